import { ApiObject, ImplicitTokenResolver, JsonPatch, Lazy, LazyResolver, NumberStringUnionResolver } from 'cdk8s';
import { IConstruct } from 'constructs';
import { merged } from '../util/merge';

/**
 * The walk cdk8s renders with — `resolve()` (the app's resolvers on every value) then
 * `sanitizeValue()` (null and undefined dropped, keys sorted) — done in one pass, for objects
 * whose app has cdk8s's built-in resolvers only (`fastRendering()` checks that the cdk8s loaded
 * is the one reproduced here). Anything else throws `FALL_BACK`: cdk8s's own code decides.
 */

/** Thrown inside a walk when cdk8s's own rendering must decide. */
export const FALL_BACK: unique symbol = Symbol('fall back to cdk8s');

/**
 * `value` after cdk8s's built-in resolvers, in their order (a `Lazy` produced, an implicit token
 * resolved, a number-or-string union made `{ value }`), until none applies.
 */
export function resolveValue(input: unknown): unknown {
  let value = input;
  for (;;) {
    if (value === null || value === undefined) return value;
    if (typeof value !== 'object') {
      if (typeof value === 'function') throw FALL_BACK;
      return value;
    }
    if (value instanceof Lazy) {
      value = value.produce();
      continue;
    }
    const v = value as { resolve?: unknown; value?: unknown; constructor?: unknown };
    if (typeof v.resolve === 'function') {
      value = (v.resolve as () => unknown).call(value);
      continue;
    }
    if (v.constructor !== Object && (typeof v.value === 'number' || typeof v.value === 'string')) {
      value = { value: v.value };
      continue;
    }
    return value;
  }
}

/** Whether `value` is an object cdk8s walks into (`resolve()`'s `value.constructor == Object`). */
export function isWalkedObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && (value as object).constructor === Object;
}

/**
 * `sanitizeValue(resolve([], value, o), { sortKeys, filterEmptyArrays: filterEmpty,
 * filterEmptyObjects: filterEmpty })` for an object whose app has the built-in resolvers only.
 */
export function resolveSanitized(input: unknown, sortKeys: boolean, filterEmpty: boolean): unknown {
  const value = resolveValue(input);
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (filterEmpty && value.length === 0) return undefined;
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw FALL_BACK; // a hole, which cdk8s's map() keeps
      items[i] = resolveSanitized(value[i], sortKeys, filterEmpty);
    }
    return items;
  }
  if (!isWalkedObject(value)) throw FALL_BACK;
  const keys = Object.keys(value);
  if (sortKeys && keys.length > 1) keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const resolved = resolveSanitized(value[key], sortKeys, filterEmpty);
    if (resolved !== null && resolved !== undefined) out[key] = resolved;
  }
  if (filterEmpty && Object.keys(out).length === 0) return undefined;
  return out;
}

/** What cdk8s keeps private on a metadata definition, read as cdk8s reads it. @internal */
export interface MetadataInternals {
  readonly name?: string;
  readonly namespace?: string;
  readonly annotations?: unknown;
  readonly labels?: unknown;
  readonly finalizers?: unknown;
  readonly ownerReferences?: unknown;
  readonly _additionalAttributes?: Record<string, unknown>;
  readonly apiObject?: ApiObject;
}

/** What cdk8s keeps private on an API object and its metadata, read as cdk8s reads it. @internal */
export interface ApiObjectInternals {
  readonly props: Record<string, unknown>;
  readonly patches: JsonPatch[];
  readonly metadata: MetadataInternals;
}

/** `o` with what cdk8s keeps private on it. @internal */
export function internals(o: ApiObject): ApiObjectInternals {
  return o as unknown as ApiObjectInternals;
}

/** `m.toJson()` of a metadata definition: cdk8s's walk with empty lists and maps left out, keys sorted. @internal */
export function metadataJson(m: MetadataInternals): unknown {
  return resolveSanitized(merged(m._additionalAttributes, {
    name: m.name,
    namespace: m.namespace,
    annotations: m.annotations,
    finalizers: m.finalizers,
    ownerReferences: m.ownerReferences,
    labels: m.labels,
  }), true, true);
}

/** Apps (roots) whose resolvers are cdk8s's built-in three, in order. */
const BUILT_IN_RESOLVERS = new WeakMap<IConstruct, boolean>();

/** Whether the app `root` has cdk8s's built-in resolvers only. @internal */
export function hasBuiltInResolvers(root: IConstruct): boolean {
  let known = BUILT_IN_RESOLVERS.get(root);
  if (known === undefined) {
    const resolvers = (root as { resolvers?: unknown }).resolvers;
    known = Array.isArray(resolvers) && resolvers.length === 3
      && resolvers[0] instanceof LazyResolver && resolvers[1] instanceof ImplicitTokenResolver && resolvers[2] instanceof NumberStringUnionResolver;
    BUILT_IN_RESOLVERS.set(root, known);
  }
  return known;
}

/**
 * Whether `o` renders by this walk: its app has the built-in resolvers only, and its props do not
 * resolve as a whole (an implicit token would replace the metadata too).
 */
export function walkable(o: ApiObject): boolean {
  return hasBuiltInResolvers(o.node.root) && typeof internals(o).props.resolve !== 'function';
}
