import { Rule, Severity } from './rule';

/**
 * One violation of a rule, found at one place.
 */
export interface Finding {
  /** The rule that was violated. */
  readonly rule: Rule;
  /** Severity of this finding (the rule's severity under the active profile). */
  readonly severity: Severity;
  /** Construct path of the construct that reported it, e.g. `prod/api`. */
  readonly path: string;
  /** The prop (dotted path) holding the offending value, e.g. `shutdown.gracePeriod`. */
  readonly field: string;
  /** The offending value, rendered for humans. */
  readonly value: string;
  /** What is wrong with this value, in one sentence. */
  readonly problem: string;
  /** The full message: rule id, path, field, value, problem and fix. */
  readonly message: string;
}

const MAX_VALUE_CHARS = 120;

/**
 * Renders any value (including ones that arrive from plain JavaScript callers) for a message,
 * never as `[object Object]`.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  let text: string;
  try {
    text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/** Builds a finding with its message. */
export function makeFinding(rule: Rule, path: string, field: string, value: unknown, problem: string, severity: Severity = rule.severity): Finding {
  const shown = describeValue(value);
  const message = `${rule.id} [${path}] ${field} = ${shown}: ${problem}. Fix: ${rule.fix}.`;
  return { rule, severity, path, field, value: shown, problem, message };
}
