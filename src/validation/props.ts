import { Reporter } from '../rules/findings';
import { Rules } from '../rules/catalog';

/** Reports `value` unless it is unset or one of the enum's values. */
export function checkEnum(reporter: Reporter, field: string, value: unknown, allowed: Record<string, string>): void {
  if (value === undefined) return;
  const values = Object.values(allowed);
  if (!values.includes(value as string)) reporter.report(Rules.PROPS_INVALID, field, value, `must be one of ${values.map(v => JSON.stringify(v)).join(', ')}`);
}

/** Reports each of `fields` of `props` that is set but not an object (null included). */
export function checkObjects(reporter: Reporter, props: object, fields: readonly string[]): void {
  for (const field of fields) {
    const value: unknown = (props as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) reporter.report(Rules.PROPS_INVALID, field, value, 'must be an object (leave it unset for the default)');
  }
}
