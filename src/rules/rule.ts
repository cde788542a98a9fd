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
 * A rule of the catalog: a stable id and the text every finding of it carries.
 */
export interface Rule {
  /** Stable identifier, e.g. `SW-PROBE-002`. Never reused for another meaning. */
  readonly id: string;
  /** One line saying what the rule requires. */
  readonly title: string;
  /** Severity under the production profile. */
  readonly severity: Severity;
  /** Why the rule exists: the failure it prevents. */
  readonly rationale: string;
  /** How to fix a violation. */
  readonly fix: string;
  /** Kinds of objects the audit checks it on; empty for rules on construct props only. */
  readonly kinds: readonly string[];
  /** Where to read more. */
  readonly see: string;
}

/** Every kind that carries a Pod template (or is a Pod). */
export const WORKLOAD_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob', 'Pod', 'PodTemplate'];

/** Marks a rule as applying to every kind. */
export const ALL_KINDS: readonly string[] = ['*'];

/** Freezes a rule definition. */
export function defineRule(r: Rule): Rule {
  return Object.freeze(r);
}
