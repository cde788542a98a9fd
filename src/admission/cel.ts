import { CONTAINER_WAIVER_INFIX } from '../rules/waiver';

/** CEL building blocks shared by the generated checks. */

/** `has(a.b.c)` chained so that missing intermediate fields read as absent. */
export function present(path: string): string {
  const parts = path.split('.');
  const out: string[] = [];
  // `variables.spec` is always defined; `has()` applies to its fields only.
  for (let i = parts[0] === 'variables' ? 3 : 2; i <= parts.length; i++) out.push(`has(${parts.slice(0, i).join('.')})`);
  return `(${out.join(' && ')})`;
}

/** `path` when present, else `fallback`. */
export function orElse(path: string, fallback: string): string {
  return `(${present(path)} ? ${path} : ${fallback})`;
}

/** CEL single-quoted string literal. */
export function celString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}


/** A CEL test that annotation `key` (a CEL string expression) is present with a non-blank reason. */
export function waivedBy(key: string): string {
  return `(${key} in variables.annotations && variables.annotations[${key}].trim() != '')`;
}

/** A CEL test that container `c` is waived for `ruleId` (`<container>.waiver.seaworthy.dev/<RULE-ID>`). */
export function containerWaived(ruleId: string): string {
  return waivedBy(`c.name + ${celString(`${CONTAINER_WAIVER_INFIX}${ruleId}`)}`);
}
