/** Sets `obj[key]` as an own property, "__proto__" included (a plain assignment would set the prototype). */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  // Only "__proto__" is an accessor on Object.prototype: every other key, "constructor" and
  // "toString" included, becomes an own data property by plain assignment (and defining
  // properties is several times slower, and this runs for every label of every object).
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
