import { kindOf, labelKeyProblem, labelValueProblem } from './names';

/** One problem of a label map or selector requirement: where (a key, or "values[1]"), the value, why. */
export interface SelectorProblem {
  /** The map key, or the requirement's part ("key", "operator", "values", "values[0]"); "" for the whole. */
  readonly at: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * What the API server refuses in a label map (matchLabels, nodeSelector, a peer's labels): a map
 * that is not an object, keys that are not qualified names, values that are not label values.
 */
export function labelMapProblems(labels: unknown): SelectorProblem[] {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) {
    return [{ at: '', value: labels, problem: `must be an object of label keys to values, got ${kindOf(labels)}` }];
  }
  const out: SelectorProblem[] = [];
  for (const [k, v] of Object.entries(labels)) {
    const keyProblem = labelKeyProblem(k);
    const problem = keyProblem ? `the key ${keyProblem}` : labelValueProblem(v);
    if (problem) out.push({ at: k, value: v, problem: keyProblem ? problem : `the value ${problem}` });
  }
  return out;
}

/** The operators of a label selector requirement (matchExpressions). */
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * What the API server refuses in a label selector requirement `{ key, operator, values }`: a key
 * that is not a qualified name, an unknown operator, In/NotIn without values, Exists/DoesNotExist
 * with values, values that are not label values.
 */
export function selectorRequirementProblems(r: { readonly key?: unknown; readonly operator?: unknown; readonly values?: unknown } | null | undefined): SelectorProblem[] {
  const out: SelectorProblem[] = [];
  const keyProblem = labelKeyProblem(r?.key);
  if (keyProblem) out.push({ at: 'key', value: r?.key, problem: `the key ${keyProblem}` });
  const operator = r?.operator;
  if (typeof operator !== 'string' || !OPERATORS.includes(operator)) out.push({ at: 'operator', value: operator, problem: `must be one of ${OPERATORS.map(o => JSON.stringify(o)).join(', ')}` });
  const values = r?.values ?? [];
  const setBased = operator === 'In' || operator === 'NotIn';
  if (!Array.isArray(values)) out.push({ at: 'values', value: values, problem: 'must be a list of label values' });
  else if (setBased && values.length === 0) out.push({ at: 'values', value: values, problem: `${operator} needs at least one value` });
  else if (!setBased && values.length > 0) out.push({ at: 'values', value: values, problem: `must be empty with ${String(operator)}` });
  else values.forEach((v, j) => {
    const problem = labelValueProblem(v);
    if (problem) out.push({ at: `values[${j}]`, value: v, problem: `the value ${JSON.stringify(v)} ${problem}` });
  });
  return out;
}
