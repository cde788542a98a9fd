import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/findings';
import { labelValueProblem } from '../validation/names';

/** The `app.kubernetes.io/*` recommended label keys. @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/ */
export const LabelKeys = {
  NAME: 'app.kubernetes.io/name',
  INSTANCE: 'app.kubernetes.io/instance',
  VERSION: 'app.kubernetes.io/version',
  COMPONENT: 'app.kubernetes.io/component',
  PART_OF: 'app.kubernetes.io/part-of',
  MANAGED_BY: 'app.kubernetes.io/managed-by',
} as const;

/** Annotation keys for ownership metadata (the a8r.io convention). */
export const AnnotationKeys = {
  OWNER: 'a8r.io/owner',
  DESCRIPTION: 'a8r.io/description',
} as const;

/** The value of `app.kubernetes.io/managed-by` on everything seaworthy renders. */
export const MANAGED_BY = 'seaworthy';

/** Identity of a workload: the recommended labels and ownership annotations. */
export interface IdentityProps {
  /**
   * `app.kubernetes.io/instance`: distinguishes several installations of the same app
   * (e.g. "api-eu"). Part of every selector, so it must never change after the first deploy.
   * @default - the `name`
   */
  readonly instance?: string;
  /**
   * `app.kubernetes.io/component`: the role within the architecture.
   * @default - by workload kind: "server", "worker", "database", "agent", "job", "cron-job"
   */
  readonly component?: string;
  /**
   * `app.kubernetes.io/part-of`: the higher-level application this belongs to.
   * @default - the `name`
   */
  readonly partOf?: string;
  /**
   * `app.kubernetes.io/version`.
   * @default - the image tag (or the first 12 digits of its digest)
   */
  readonly version?: string;
  /**
   * Team or person to contact, rendered as the `a8r.io/owner` annotation.
   * @default - no annotation
   */
  readonly owner?: string;
  /**
   * What the workload does, rendered as the `a8r.io/description` annotation.
   * @default - no annotation
   */
  readonly description?: string;
}

/** Labels and annotations of a workload, with the stable subset used in selectors. */
export interface Identity {
  /** Labels on every object (and the Pod template). */
  readonly labels: Record<string, string>;
  /** `name` + `instance` only: stable across versions and construct-tree moves. */
  readonly selector: Record<string, string>;
  /** Ownership annotations on every object. */
  readonly annotations: Record<string, string>;
}

/** Resolves the recommended labels, reporting invalid values. */
export function resolveIdentity(name: string, props: IdentityProps, imageVersion: string | undefined, defaultComponent: string, collector: FindingCollector): Identity {
  const labels: Record<string, string> = {};
  const put = (key: string, field: string, value: string | undefined) => {
    if (value === undefined) return;
    const problem = labelValueProblem(value);
    if (problem) collector.report(Rules.LABEL_VALUE_INVALID, field, value, `is not a valid value for label "${key}": it ${problem}`);
    labels[key] = value;
  };
  put(LabelKeys.NAME, 'name', name);
  put(LabelKeys.INSTANCE, 'instance', props.instance ?? name);
  put(LabelKeys.VERSION, 'version', props.version ?? imageVersion);
  put(LabelKeys.COMPONENT, 'component', props.component ?? defaultComponent);
  put(LabelKeys.PART_OF, 'partOf', props.partOf ?? name);
  labels[LabelKeys.MANAGED_BY] = MANAGED_BY;
  const annotations: Record<string, string> = {};
  if (props.owner !== undefined) annotations[AnnotationKeys.OWNER] = props.owner;
  if (props.description !== undefined) annotations[AnnotationKeys.DESCRIPTION] = props.description;
  return {
    labels,
    selector: { [LabelKeys.NAME]: labels[LabelKeys.NAME], [LabelKeys.INSTANCE]: labels[LabelKeys.INSTANCE] },
    annotations,
  };
}
