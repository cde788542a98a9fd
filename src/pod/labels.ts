import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { kindOf, labelKeyProblem, labelValueProblem } from '../validation/names';
import { annotationSecretReason, secretValueReason } from '../validation/secrets';
import { merged } from '../util/merge';

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

/**
 * The release track label (`stable`, `canary`, …) on the Pods and in the Deployment selectors
 * of a workload that runs several tracks behind one Service (see `WebService.addCanary()`).
 */
export const TRACK_LABEL = 'seaworthy.dev/track';

/** Most bytes the API server accepts for the annotations of one object (keys and values). @internal */
export const MAX_ANNOTATIONS_BYTES = 256 * 1024;

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
  /**
   * Labels of your own (e.g. `{ team: 'payments' }`) on every object the workload creates (its
   * controller, Service, PodDisruptionBudget, NetworkPolicy, ServiceAccount, autoscaler, Ingress,
   * routes, Role and RoleBinding, release tracks) and on its Pods. Never part of a selector: selectors stay `name` + `instance`,
   * so these labels may change freely (on the Pods, a change rolls them). Keys and values are
   * validated as the API server does (rules SW-LABEL-003, SW-LABEL-001); `app.kubernetes.io/*`,
   * `seaworthy.dev/*` and the other keys seaworthy sets are refused (rule SW-LABEL-004).
   * @default - none
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations of your own on the objects the workload creates (its controller, Service,
   * PodDisruptionBudget, NetworkPolicy, ServiceAccount, autoscaler, Ingress, Role and RoleBinding,
   * release tracks; not its routes, and not its Pods: see `podAnnotations`). Keys validated like label keys (rule SW-LABEL-003), reserved keys refused
   * (rule SW-LABEL-004), at most 256 KiB per object (rule SW-LABEL-005).
   * @default - none
   * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/
   */
  readonly annotations?: Record<string, string>;
  /**
   * Labels of your own on the Pods only (the Pod template), on top of `labels`; e.g. a label a
   * mesh or a policy engine selects Pods by. Never part of a selector. Validated like `labels`.
   * @default - none
   */
  readonly podLabels?: Record<string, string>;
  /**
   * Annotations of your own on the Pods only (the Pod template), e.g. the OpenTelemetry
   * Operator's `instrumentation.opentelemetry.io/inject-java: "true"`. A change rolls the Pods.
   * The `prometheus.io/*` keys are refused when a "metrics" port sets them, and on monitored
   * workloads (rule SW-LABEL-004).
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
}

/** Labels and annotations of a workload, with the stable subset used in selectors. */
export interface Identity {
  /** Labels on every object (and the Pod template). */
  readonly labels: Record<string, string>;
  /** `name` + `instance` only: stable across versions and construct-tree moves. */
  readonly selector: Record<string, string>;
  /** Ownership annotations and the `annotations` of your own, on every object. */
  readonly annotations: Record<string, string>;
  /** Labels of the Pod template: `labels` plus the `podLabels` of your own. */
  readonly podLabels: Record<string, string>;
  /** Annotations of the Pod template: the ownership annotations plus the `podAnnotations` of your own. */
  readonly podAnnotations: Record<string, string>;
}

/** What seaworthy itself sets on a workload's Pods, beyond the recommended labels. */
export interface IdentityOptions {
  /** A "metrics" port is declared, so the Pods get the `prometheus.io/*` scrape annotations. */
  readonly metricsPort?: boolean;
  /** The release track, added to the labels and the selector (`seaworthy.dev/track`). */
  readonly track?: string;
}

/** Key prefixes seaworthy owns: labels and annotations of your own must not use them. */
const RESERVED_PREFIXES = ['app.kubernetes.io', 'seaworthy.dev'];

/** Why seaworthy reserves `key` (on objects, or on Pods when `pod`), or undefined when it is free. @internal */
export function reservedKeyProblem(key: string, pod: boolean, options: IdentityOptions = {}): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? '' : key.slice(0, slash);
  const owned = RESERVED_PREFIXES.find(p => prefix === p || prefix.endsWith(`.${p}`));
  if (owned) return `the "${owned}/" prefix is reserved: seaworthy sets these keys itself`;
  if (key === AnnotationKeys.OWNER) return 'is set by the "owner" prop';
  if (key === AnnotationKeys.DESCRIPTION) return 'is set by the "description" prop';
  if (pod && options.metricsPort && prefix === 'prometheus.io') return 'is set from the "metrics" port (use "metricsPath" for the path)';
  return undefined;
}

/**
 * Validates a map of labels (or annotations, when `annotation`) of your own: a plain object of
 * string values, keys as the API server checks them and not reserved, label values as the API
 * server checks them. Returns the valid entries.
 */
function ownMetadata(value: unknown, field: string, kind: 'label' | 'annotation', pod: boolean, options: IdentityOptions, collector: FindingCollector): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    collector.report(Rules.PROPS_INVALID, field, value, `must be an object of ${kind} keys to string values, got ${kindOf(value)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const at = `${field}.${key}`;
    const keyProblem = labelKeyProblem(key);
    if (keyProblem) {
      collector.report(Rules.LABEL_KEY_INVALID, at, key, `is not a valid ${kind} key: it ${keyProblem}`);
      continue;
    }
    const reserved = reservedKeyProblem(key, pod, options);
    if (reserved) {
      collector.report(Rules.LABEL_RESERVED, at, key, reserved);
      continue;
    }
    if (kind === 'label') {
      const problem = labelValueProblem(v);
      if (problem) {
        collector.report(Rules.LABEL_VALUE_INVALID, at, v, `is not a valid value for label "${key}": it ${problem}`);
        continue;
      }
    } else if (typeof v !== 'string') {
      collector.report(Rules.PROPS_INVALID, at, v, `an annotation value must be a string, got ${kindOf(v)}`);
      continue;
    }
    // The detector the audit runs on the output, so a credential never reaches the YAML.
    const secret = (kind === 'annotation' ? annotationSecretReason(key, v) : undefined) ?? secretValueReason(v as string);
    if (secret) {
      collector.report(Rules.SECRET_IN_MANIFEST, at, '(redacted)', `${secret}; labels and annotations are plain text in Git and readable by anyone who can list the object`);
      continue;
    }
    out[key] = v as string;
  }
  return out;
}

/** Resolves the recommended labels, reporting invalid values. */
export function resolveIdentity(name: string, props: IdentityProps, imageVersion: string | undefined, defaultComponent: string, collector: FindingCollector, options: IdentityOptions = {}): Identity {
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
  if (options.track !== undefined) labels[TRACK_LABEL] = options.track;
  const ownership: Record<string, string> = {};
  if (props.owner !== undefined) ownership[AnnotationKeys.OWNER] = props.owner;
  if (props.description !== undefined) ownership[AnnotationKeys.DESCRIPTION] = props.description;
  const own = {
    labels: ownMetadata(props.labels, 'labels', 'label', true, options, collector),
    annotations: ownMetadata(props.annotations, 'annotations', 'annotation', false, options, collector),
    podLabels: ownMetadata(props.podLabels, 'podLabels', 'label', true, options, collector),
    podAnnotations: ownMetadata(props.podAnnotations, 'podAnnotations', 'annotation', true, options, collector),
  };
  const selector: Record<string, string> = { [LabelKeys.NAME]: labels[LabelKeys.NAME], [LabelKeys.INSTANCE]: labels[LabelKeys.INSTANCE] };
  if (options.track !== undefined) selector[TRACK_LABEL] = options.track;
  const annotations = merged(ownership, own.annotations);
  const podAnnotations = merged(ownership, own.podAnnotations);
  for (const [field, all] of [['annotations', annotations], ['podAnnotations', podAnnotations]] as const) {
    const bytes = annotationBytes(all);
    if (bytes > MAX_ANNOTATIONS_BYTES) collector.report(Rules.ANNOTATIONS_TOO_LARGE, field, `${bytes} bytes`, `with the owner and description annotations, is more than the ${MAX_ANNOTATIONS_BYTES} bytes (256 KiB) the API server accepts for the annotations of one object`);
  }
  const allLabels = merged(labels, own.labels);
  return {
    labels: allLabels,
    selector,
    annotations,
    podLabels: merged(allLabels, own.podLabels),
    podAnnotations,
  };
}

/** Size of annotations as the API server counts it: the bytes of every key and value. @internal */
export function annotationBytes(annotations: Record<string, unknown>): number {
  return Object.entries(annotations).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(typeof v === 'string' ? v : String(v)), 0);
}
