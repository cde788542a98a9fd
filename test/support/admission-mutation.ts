import { celEnv, isCelError, isCelList, isCelMap, parse, plan } from '@bufbuild/cel';
import { bindingsOf, evaluateCel, matchesConstraints } from './admission-cel';
import { K8S_CEL_FUNCS } from './k8s-cel-lib';

/**
 * Offline evaluation of generated MutatingAdmissionPolicies with @bufbuild/cel, as the API server
 * does it for `patchType: ApplyConfiguration`: match the object (resource rules and
 * `matchConditions`), compute `variables`, evaluate each mutation's expression to an apply
 * configuration and merge it into the object with server-side apply's merge (maps and structs
 * field by field, lists of containers by `name`, anything else replaced), the next mutation seeing
 * the merged object.
 *
 * The API server types `Object{…}` and `Object.spec{…}` dynamically (any field name under
 * `Object`); @bufbuild/cel knows only protobuf messages, so the parsed expression's struct
 * literals of those types are evaluated as maps with the same fields.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const env = celEnv({ funcs: [...K8S_CEL_FUNCS] });
const PROGRAMS = new Map<string, ReturnType<typeof plan>>();

/** Struct literals of the dynamic object types of mutating admission. */
const DYNAMIC_TYPE = /^Object(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Rewrites, in place, every `Object…{field: value}` literal of `node` into the map `{'field': value}`. */
function dynamicStructsToMaps(node: Json, ids: { next: bigint }): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) dynamicStructsToMaps(n, ids);
    return;
  }
  if (node.$typeName === 'cel.expr.Expr.CreateStruct' && DYNAMIC_TYPE.test(node.messageName)) {
    node.messageName = '';
    for (const entry of node.entries) {
      if (entry.keyKind.case !== 'fieldKey') continue;
      const field = entry.keyKind.value;
      entry.keyKind = { case: 'mapKey', value: { $typeName: 'cel.expr.Expr', id: ids.next++, exprKind: { case: 'constExpr', value: { $typeName: 'cel.expr.Constant', constantKind: { case: 'stringValue', value: field } } } } };
    }
  }
  for (const [k, v] of Object.entries(node)) if (k !== '$typeName') dynamicStructsToMaps(v, ids);
}

/** A CEL value as plain JSON (maps to objects, lists to arrays, ints to numbers). */
export function celToJson(v: unknown): Json {
  if (typeof v === 'bigint') return Number(v);
  if (isCelMap(v)) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), celToJson(x)]));
  if (isCelList(v)) return [...v].map(celToJson);
  return v;
}

/** Evaluates an apply configuration expression to plain JSON; throws on a compile or evaluation error. */
export function evaluateApplyConfiguration(expression: string, bindings: Record<string, unknown>): Json {
  let program = PROGRAMS.get(expression);
  if (!program) {
    const parsed = parse(expression);
    dynamicStructsToMaps(parsed.expr, { next: 1_000_000n });
    program = plan(env, parsed);
    PROGRAMS.set(expression, program);
  }
  const result = program(bindings as never);
  if (isCelError(result)) throw new Error(`CEL error in ${expression}: ${String((result as { message?: string }).message ?? result)}`);
  if (!isCelMap(result)) throw new Error(`apply configuration is not an object: ${expression}`);
  return celToJson(result);
}

/** Lists merged by a key (`x-kubernetes-list-type: map`) that the generated apply configurations carry. */
const LIST_MAP_KEYS: Readonly<Record<string, string>> = { containers: 'name', initContainers: 'name', ephemeralContainers: 'name' };

/** Server-side apply's merge of `patch` into `live`, for the shapes the generated mutations produce. */
export function mergeApplyConfiguration(live: Json, patch: Json, field?: string): Json {
  if (Array.isArray(patch)) {
    const key = field === undefined ? undefined : LIST_MAP_KEYS[field];
    if (key === undefined || !Array.isArray(live)) return structuredClone(patch);
    const out = live.map(x => structuredClone(x));
    for (const item of patch) {
      const i = out.findIndex(x => x[key] === item[key]);
      if (i < 0) out.push(structuredClone(item));
      else out[i] = mergeApplyConfiguration(out[i], item);
    }
    return out;
  }
  if (patch !== null && typeof patch === 'object') {
    const out: Json = live !== null && typeof live === 'object' && !Array.isArray(live) ? structuredClone(live) : {};
    for (const [k, v] of Object.entries(patch)) out[k] = mergeApplyConfiguration(out[k], v, k);
    return out;
  }
  return patch;
}

/** The outcome of one mutating policy on one object. */
export interface MutationOutcome {
  /** The policy applies to the object (constraints and conditions). */
  readonly matched: boolean;
  /** The object after every mutation (the object itself when not matched). */
  readonly object: Json;
  /** The apply configurations, in order. */
  readonly patches: readonly Json[];
}

/** The mutating policy's effect on `object` (sent with `operation`; `oldObject` for an UPDATE). */
export function mutateWith(policy: Json, object: Json, operation = 'CREATE', oldObject?: Json): MutationOutcome {
  if (!matchesConstraints(policy, object, operation)) return { matched: false, object, patches: [] };
  for (const c of policy.spec.matchConditions ?? []) if (evaluateCel(c.expression, bindingsOf(object, operation, oldObject)) !== true) return { matched: false, object, patches: [] };
  let current = object;
  const patches: Json[] = [];
  for (const m of policy.spec.mutations) {
    if (m.patchType !== 'ApplyConfiguration') throw new Error(`patch type ${m.patchType} is not evaluated here`);
    // Variables are computed for each mutation on the object as it stands.
    const variables: Record<string, unknown> = {};
    for (const v of policy.spec.variables ?? []) variables[v.name] = evaluateCel(v.expression, { object: current, variables });
    const patch = evaluateApplyConfiguration(m.applyConfiguration.expression, { object: current, variables });
    patches.push(patch);
    current = mergeApplyConfiguration(current, patch);
  }
  return { matched: true, object: current, patches };
}

/**
 * The object after `policy` with reinvocation: mutations are run again while they change the
 * object (`reinvocationPolicy: IfNeeded`); throws if they do not settle within `limit` rounds.
 */
export function mutateUntilSettled(policy: Json, object: Json, operation = 'CREATE', limit = 3): Json {
  let current = object;
  for (let i = 0; i < limit; i++) {
    const next = mutateWith(policy, current, operation).object;
    if (JSON.stringify(next) === JSON.stringify(current)) return current;
    current = next;
  }
  throw new Error(`mutations of ${policy.metadata.name} did not settle in ${limit} rounds`);
}
