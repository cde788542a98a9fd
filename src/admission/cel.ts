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


/**
 * A CEL test that annotation `key` (a CEL string expression) is present with a non-blank reason
 * and that the requester may waive (`variables.waiverAllowed`, see `waiverAllowedVariable`).
 */
export function waivedBy(key: string): string {
  return `(${key} in variables.annotations && variables.annotations[${key}].trim() != '' && variables.waiverAllowed)`;
}

/** The API group, resource and verb a requester needs, per rule id, for its waivers to count when waivers are authorized. */
export const WAIVER_PERMISSION = { group: 'seaworthy.dev', resource: 'waivers', verb: 'use' } as const;

/**
 * Requesters whose waivers always count when waivers are authorized: the controllers of
 * kube-system. They create ReplicaSets, Pods and Jobs from a template whose owner passed its own
 * admission, where the waiver was authorized (a waiver on the template alone does not lift a
 * Deny on the owner).
 */
export const TRUSTED_WAIVER_REQUESTERS = 'system:serviceaccount:kube-system:';

/**
 * The variable `waiverAllowed`: `true`, or with `authorized`, whether the requester may `use`
 * the `waivers` resource named after the rule (in the object's namespace, or cluster-wide for
 * cluster-scoped objects), through the CEL authorizer. Policies evaluate variables lazily, so the
 * authorization check runs only for objects carrying a waiver.
 */
export function waiverAllowedVariable(ruleId: string, authorized: boolean): { name: string; expression: string } {
  if (!authorized) return { name: 'waiverAllowed', expression: 'true' };
  const { group, resource, verb } = WAIVER_PERMISSION;
  const base = `authorizer.group(${celString(group)}).resource(${celString(resource)})`;
  return {
    name: 'waiverAllowed',
    expression: `request.userInfo.username.startsWith(${celString(TRUSTED_WAIVER_REQUESTERS)})`
      + ` || (request.namespace != '' ? ${base}.namespace(request.namespace) : ${base}).name(${celString(ruleId)}).check(${celString(verb)}).allowed()`,
  };
}

/** A CEL test that container `c` is waived for `ruleId` (`<container>.waiver.seaworthy.dev/<RULE-ID>`). */
export function containerWaived(ruleId: string): string {
  return waivedBy(`c.name + ${celString(`${CONTAINER_WAIVER_INFIX}${ruleId}`)}`);
}
