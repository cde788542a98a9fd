/**
 * Parsing of Kubernetes resource quantities ("500m", "1.5Gi", "2e3") into numbers, used to
 * compare requests with limits and to check that sizes are positive.
 */

const SUFFIX: Record<string, number> = {
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1,
  'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
};

const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/**
 * The numeric value of a quantity (in base units: cores, bytes), or undefined when the string is
 * not a valid Kubernetes quantity.
 */
export function parseQuantity(quantity: string | number): number | undefined {
  if (typeof quantity === 'number') return Number.isFinite(quantity) ? quantity : undefined;
  const m = QUANTITY.exec(quantity.trim() === quantity ? quantity : '');
  if (!m) return undefined;
  const base = Number(m[1]);
  const value = m[2] !== undefined ? base * 10 ** Number(m[2].slice(1)) : base * SUFFIX[m[3] ?? ''];
  return Number.isFinite(value) ? value : undefined;
}
