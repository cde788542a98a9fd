/**
 * How serious a finding is.
 *
 * An `ERROR` stops synthesis; a `WARNING` or `INFO` is recorded on the construct
 * (see `Findings`) and the app still synthesizes.
 */
export enum Severity {
  /** Synthesis stops before any file is written. */
  ERROR = 'error',
  /** Reported; the output is still written. */
  WARNING = 'warning',
  /** A deliberate, visible deviation from the production default. */
  INFO = 'info',
}

/**
 * What a rule protects, which decides its severity under the staging and development profiles
 * (see `severityUnder`):
 * - `correctness`: a violation breaks the manifest, the Pod or the traffic outright; the same
 *   severity under every profile.
 * - `availability`: availability and capacity (replicas, budgets, spreading, quotas): a warning
 *   under staging, off under development.
 * - `hardening`: defence in depth development clusters may skip: full severity under staging, a
 *   warning under development.
 */
export type RuleTier = 'correctness' | 'availability' | 'hardening';

/**
 * What a rule's verdict is decided from:
 * - `object`: one object, as the API server sees it (an admission policy can judge it);
 * - `objects`: an object related to other objects of the deployment (a selector, a reference, a
 *   sum over a namespace, a duplicate);
 * - `props`: construct props only (no kinds: the audit never reports it);
 * - `output`: the layout and write path of the output directory;
 * - `change`: two versions of the manifests (`seaworthy diff`).
 */
export type RuleScope = 'object' | 'objects' | 'props' | 'output' | 'change';

/**
 * A rule of the catalog, declared once: its stable id, the text every finding of it carries, its
 * severity under each profile (through `tier`), what it judges (`kinds`, `scope`) and whether its
 * verdict needs the whole deployment in view. The audit checks declare which rules they report,
 * and run on the kinds those rules declare.
 */
export interface Rule {
  /** Stable identifier, e.g. `SW-PROBE-002`. Never reused for another meaning. */
  readonly id: string;
  /** One line saying what the rule requires. */
  readonly title: string;
  /** Severity under the production profile. */
  readonly severity: Severity;
  /** What the rule protects; decides its severity under the staging and development profiles. */
  readonly tier: RuleTier;
  /** What the verdict is decided from: one object, several, construct props, the output layout or a change. */
  readonly scope: RuleScope;
  /**
   * Whether the verdict needs every object deployed together in view: the rule reports something
   * absent or unmatched among them (a selector matching nothing, a reference to a missing object,
   * no budget or policy covering a workload, a quota summed over a namespace), so judging part of
   * a deployment can report a violation that the rest would resolve.
   */
  readonly wholeDeployment: boolean;
  /**
   * What the rule cannot see in an open set (files that may not be the whole deployment), for the
   * rules that report the absence of an object: there they report an info saying it is not seen
   * (`CheckContext.notSeen`); in a complete set (`Findings.of(app)`, a dist/ written by seaworthy,
   * `seaworthy audit --complete`) they report at their severity.
   * @default - the rule judges what it sees alike in open and complete sets
   */
  readonly unseen?: string;
  /** Why the rule exists: the failure it prevents. */
  readonly rationale: string;
  /** How to fix a violation. */
  readonly fix: string;
  /**
   * Kinds of objects the audit checks it on (`ALL_KINDS` for every kind); empty for rules the
   * audit does not report (scopes `props`, `output` and `change`).
   */
  readonly kinds: readonly string[];
  /** Where to read more. */
  readonly see: string;
  /**
   * The checks of other scanners that test the same condition: a waiver of the rule is also
   * rendered as their exemption annotations (see `ScannerAnnotations`).
   * @default - none
   */
  readonly scanners?: ScannerChecks;
}

/**
 * The checks of other Kubernetes scanners that match a seaworthy rule, so one waiver exempts
 * the object from all of them: security teams run Checkov, kube-linter, kube-score and Polaris
 * on the same dist/. Only checks known to test the same condition are listed.
 */
export interface ScannerChecks {
  /** Checkov check ids (`CKV_K8S_<n>`). */
  readonly checkov?: readonly string[];
  /** kube-linter check names. */
  readonly kubeLinter?: readonly string[];
  /** kube-score check ids. */
  readonly kubeScore?: readonly string[];
  /** Polaris check ids. */
  readonly polaris?: readonly string[];
}

/** Every kind that carries a Pod template (or is a Pod). */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'PodTemplate'];

/** Marks a rule as applying to every kind. */
export const ALL_KINDS: readonly string[] = ['*'];

/** Freezes a rule definition. */
export function defineRule(r: Rule): Rule {
  return Object.freeze(r);
}
