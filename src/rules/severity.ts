import { Severity } from './rule';

/**
 * The one severity order, most serious first, shared by synthesis, the audit, the diff, the
 * report and `explain`: tables and pages list findings in it, and every gate (`--fail-on`, the
 * validation plugin's `failOn`) compares against it.
 */
export const SEVERITY_ORDER: readonly Severity[] = [Severity.ERROR, Severity.WARNING, Severity.INFO];

/**
 * The severities a gate may fail on (`--fail-on`, `failOn`), most serious first: an info is a
 * deliberate, visible deviation and never fails a run.
 */
export const GATE_SEVERITIES: readonly Severity[] = [Severity.ERROR, Severity.WARNING];

/** The position of `severity` in `SEVERITY_ORDER`: 0 for an error; anything unknown ranks last. */
export function severityRank(severity: string): number {
  const at = SEVERITY_ORDER.indexOf(severity as Severity);
  return at < 0 ? SEVERITY_ORDER.length : at;
}

/** Sort comparator: the more serious severity first. */
export function compareSeverity(a: string, b: string): number {
  return severityRank(a) - severityRank(b);
}

/** Whether `severity` is at or above `threshold` (`atLeast(WARNING, ERROR)` is false). */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}
