import { setOwn } from './set-own';

/**
 * `{ ...a, ...b }` without an object literal: Node 20's V8 defines every property that follows a
 * spread in a literal (`{ ...a, k: v }`, `{ ...a, ...b }`) through a runtime call, about a
 * microsecond each, which made these copies the largest cost of building a workload. Object.assign
 * onto a fresh object copies the same own enumerable properties, in the same order, at a tenth of
 * the cost. The one difference, a source's own "__proto__" key (Object.assign would set the
 * prototype), takes the literal's path. Write `{ ...a, k: v }` as `merged(a, { k: v })`.
 */
export function merged<A extends object, B extends object>(a: A | undefined, b: B | undefined): Omit<A, keyof B> & B;
export function merged<A extends object, B extends object, C extends object>(a: A | undefined, b: B | undefined, c: C | undefined): Omit<Omit<A, keyof B> & B, keyof C> & C;
export function merged(a: object | undefined, b: object | undefined, c?: object): object {
  if (ownProto(a) || ownProto(b) || ownProto(c)) return { ...a, ...b, ...c };
  return c === undefined ? Object.assign({}, a, b) : Object.assign({}, a, b, c);
}

function ownProto(o: object | undefined): boolean {
  return o !== undefined && o !== null && Object.prototype.hasOwnProperty.call(o, '__proto__');
}

/**
 * A copy of `obj` without `key`, the other keys in their order: for objects that are kept, where
 * `delete` would turn a V8 object into a hash table several times its size.
 */
export function omitted<T extends object>(obj: T, key: string): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) if (k !== key) setOwn(out, k, (obj as Record<string, unknown>)[k]);
  return out as T;
}

/** A copy of `obj` with `obj[key]` set to `value`, in its place when `obj` has it (else last). */
export function replaced<T extends object>(obj: T, key: string, value: unknown): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) setOwn(out, k, k === key ? value : (obj as Record<string, unknown>)[k]);
  if (!Object.prototype.hasOwnProperty.call(out, key)) setOwn(out, key, value);
  return out as T;
}
