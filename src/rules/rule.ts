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
  /** Where to read more. */
  readonly see: string;
}
