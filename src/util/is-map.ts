/** Whether `value` is a JSON map: an object that is not an array (null excluded). */
export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
