/**
 * Orders strings by UTF-16 code units, as `Array.prototype.sort()` and cdk8s's sorted keys do.
 * Unlike `localeCompare` it is the same on every machine and needs no ICU collator, whose first
 * use costs a synthesis process ~6 ms.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
