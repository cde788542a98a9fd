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

/** Anything checks report violations to: a construct's collector, or the audit of a manifest. */
export interface Reporter {
  /** Records a violation of `rule` at `field` (a prop path, or a path in the manifest). */
  report(rule: Rule, field: string, value: unknown, problem: string): void;
}

const MAX_VALUE_CHARS = 120;

/**
 * Renders any value (including ones that arrive from plain JavaScript callers or hostile YAML)
 * for a message, never as `[object Object]`, and bounded: strings are cut before they are quoted
 * and objects are serialised only up to the limit, so a multi-megabyte value costs no more than a
 * short one.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return quoteBounded(value);
  const out: string[] = [];
  let length = 0;
  const emit = (s: string) => {
    out.push(s);
    length += s.length;
  };
  const seen = new Set<object>();
  const walk = (v: unknown, depth: number): void => {
    if (length > MAX_VALUE_CHARS) return;
    if (v === null || v === undefined) emit('null');
    else if (typeof v === 'number') emit(Number.isFinite(v) ? String(v) : JSON.stringify(String(v)));
    else if (typeof v === 'string') emit(quoteBounded(v));
    else if (typeof v === 'boolean' || typeof v === 'bigint') emit(String(v));
    else if (typeof v === 'object') {
      if (seen.has(v) || depth > 20) {
        emit('…');
        return;
      }
      seen.add(v);
      const json = (v as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function' && !Array.isArray(v)) {
        let converted: unknown;
        try {
          converted = json.call(v);
        } catch {
          converted = Object.prototype.toString.call(v);
        }
        walk(converted, depth + 1);
      } else if (Array.isArray(v)) {
        emit('[');
        for (let i = 0; i < v.length && length <= MAX_VALUE_CHARS; i++) {
          if (i > 0) emit(',');
          walk(v[i], depth + 1);
        }
        emit(']');
      } else {
        emit('{');
        let first = true;
        for (const k in v) {
          if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
          if (length > MAX_VALUE_CHARS) break;
          const item = (v as Record<string, unknown>)[k];
          if (item === undefined || typeof item === 'function') continue;
          if (!first) emit(',');
          first = false;
          emit(`${quoteBounded(k)}:`);
          walk(item, depth + 1);
        }
        emit('}');
      }
      seen.delete(v);
    } else {
      emit(Object.prototype.toString.call(v));
    }
  };
  try {
    walk(value, 0);
  } catch {
    return Object.prototype.toString.call(value);
  }
  const text = out.join('');
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
}

/** JSON-quotes at most MAX_VALUE_CHARS characters of `s`, marking the cut. */
function quoteBounded(s: string): string {
  return s.length > MAX_VALUE_CHARS ? `${JSON.stringify(s.slice(0, MAX_VALUE_CHARS))}…` : JSON.stringify(s);
}

/** The parts of a finding its message is made of; `value` already rendered by `describeValue`. @internal */
export interface FindingText {
  /** The rule violated: its fix ends the message. */
  readonly rule: Rule;
  /** The field holding the value. */
  readonly field: string;
  /** The value, as `describeValue` renders it. */
  readonly value: string;
  /** What is wrong with the value. */
  readonly problem: string;
}

/**
 * The one message format, after the place: `<field> = <value>: <problem>. Fix: <fix>.`. A
 * finding's message puts `<rule id> [<construct path or object>] ` before it (`findingMessage`);
 * the SARIF result names the object, JUnit's failure the test case.
 * @internal
 */
export function findingText(f: FindingText): string {
  return `${f.field} = ${f.value}: ${f.problem}. Fix: ${f.rule.fix}.`;
}

/** A finding's message: `<rule id> [<where>] <field> = <value>: <problem>. Fix: <fix>.` @internal */
export function findingMessage(where: string, f: FindingText): string {
  return `${f.rule.id} [${where}] ${findingText(f)}`;
}

/** Builds a finding with its message. */
export function makeFinding(rule: Rule, path: string, field: string, value: unknown, problem: string, severity: Severity = rule.severity): Finding {
  const shown = describeValue(value);
  return { rule, severity, path, field, value: shown, problem, message: findingMessage(path, { rule, field, value: shown, problem }) };
}
