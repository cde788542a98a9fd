import { setOwn } from './set-own';

/** The keys `T` may leave out. */
type OptionalKeys<T> = { [K in keyof T]-?: Partial<Pick<T, K>> extends Pick<T, K> ? K : never }[keyof T];

/**
 * The type of `{ ...A, ...B }` as TypeScript types the literal: B's required keys win, an optional
 * key of B keeps A's type beside B's.
 */
export type Spread<A, B> = Omit<A, keyof B> & Omit<B, OptionalKeys<B>>
  & { [K in OptionalKeys<B> & keyof A]: A[K] | Exclude<B[K], undefined> }
  & { [K in Exclude<OptionalKeys<B>, keyof A>]?: B[K] };

/** The type of `{ ...T[0], ...T[1], … }`. */
type SpreadAll<T extends readonly unknown[]> = T extends readonly [infer A, infer B, ...infer R] ? SpreadAll<[Spread<A, B>, ...R]> : T extends readonly [infer A] ? A : object;

/**
 * `{ ...a, ...b }` without an object literal. On Node 20 a literal with a spread followed by
 * anything (`{ ...a, k: v }`, `{ ...a, ...b }`) defines each later property through a runtime
 * call, about a microsecond each, and gives every object it makes a hidden class of its own
 * (about 200 bytes, and megamorphic reads downstream). Object.assign onto a fresh object copies
 * the same own enumerable properties, in the same order, at a tenth of the cost, and the objects
 * share their hidden class. The one difference, a source's own "__proto__" key (Object.assign
 * would set the prototype), takes the literal's path. Write `{ ...a, k: v }` as
 * `merged(a, { k: v })`; add `satisfies` to a literal argument to have its keys checked.
 */
export function merged<T extends Array<object | undefined>>(...sources: T): SpreadAll<{ [I in keyof T]: NonNullable<T[I]> }>;
export function merged(...sources: Array<object | undefined>): object {
  if (sources.some(ownProto)) return sources.reduce<object>((out, s) => ({ ...out, ...s }), {});
  switch (sources.length) {
    case 2: return Object.assign({}, sources[0], sources[1]);
    case 3: return Object.assign({}, sources[0], sources[1], sources[2]);
    default: return Object.assign({}, ...sources);
  }
}

function ownProto(o: object | undefined): boolean {
  return o !== undefined && o !== null && Object.prototype.hasOwnProperty.call(o, '__proto__');
}

/**
 * A copy of `obj` without `key`, the other keys in their order: for objects that are kept, where
 * `delete` (of any but the last key added) would turn a V8 object into a hash table several
 * times its size.
 */
export function omitted<T extends object, K extends keyof T & string>(obj: T, key: K): Omit<T, K> {
  return copied(obj, key, false, undefined) as Omit<T, K>;
}

/** A copy of `obj` with `obj[key]` set to `value`, in its place when `obj` has it (else last). */
export function replaced<T extends object, K extends string>(obj: T, key: K, value: unknown): T {
  return copied(obj, key, true, value) as T;
}

function copied(obj: object, key: string, put: boolean, value: unknown): object {
  const source = obj as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let placed = false;
  for (const k of Object.keys(source)) {
    if (k !== key) setOwn(out, k, source[k]);
    else if (put) {
      setOwn(out, k, value);
      placed = true;
    }
  }
  if (put && !placed) setOwn(out, key, value);
  return out;
}
