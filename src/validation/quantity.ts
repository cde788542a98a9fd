/**
 * Kubernetes resource quantities ("500m", "1.5Gi", "2e3"), read exactly as `resource.Quantity`
 * (k8s.io/apimachinery `ParseQuantity`) reads them: one parser for the codebase. The exact value
 * (`quantityNanos`, `compareQuantities`) decides whether two quantities are the same or which is
 * larger, as the API server compares them; `parseQuantity` gives the number for arithmetic.
 */

/** Powers of ten of the decimal SI suffixes. */
const DECIMAL: Record<string, number> = { 'n': -9, 'u': -6, 'm': -3, '': 0, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };

/** Powers of two of the binary SI suffixes. */
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** Decimal exponents beyond this are refused: 10^1000 bytes or cores is no resource, and the arithmetic stays cheap. */
const MAX_EXPONENT = 1000;

const NANO = 9;

/** The cap `ParseQuantity` puts on binary-suffixed amounts: 2^63-1 (in nano-units). */
const BINARY_CAP = ((1n << 63n) - 1n) * 10n ** BigInt(NANO);

const cache = new Map<string, bigint | null>();
const CACHE_LIMIT = 4096;

/**
 * The exact value of a quantity in nano-units (1 = 1n: a billionth of a core or byte), as
 * Kubernetes holds it, or undefined when it is not a valid quantity: finer amounts are rounded
 * up (away from zero) to 1n, and binary-suffixed amounts (`Ki` … `Ei`) are capped at 2^63-1, so
 * `8Ei` is 9223372036854775807. A number (a YAML scalar without quotes) is read from its text,
 * as the API server reads it.
 */
export function quantityNanos(quantity: string | number): bigint | undefined {
  const text = typeof quantity === 'number' ? (Number.isFinite(quantity) ? String(quantity) : '') : quantity;
  let hit = cache.get(text);
  if (hit === undefined) {
    hit = exact(text) ?? null;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(text, hit);
  }
  return hit ?? undefined;
}

function exact(text: string): bigint | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const [, sign, whole, fraction = '', exponent, suffix = ''] = m;
  if (whole === '' && fraction === '') return undefined;
  const mantissa = BigInt(`${whole}${fraction}` || '0');
  let power10 = NANO - fraction.length;
  let power2 = 0;
  if (exponent !== undefined) {
    const e = Number(exponent);
    if (Math.abs(e) > MAX_EXPONENT) return undefined;
    power10 += e;
  } else if (suffix in BINARY) {
    power2 = BINARY[suffix];
  } else {
    power10 += DECIMAL[suffix];
  }
  let nanos = mantissa << BigInt(power2);
  if (power10 >= 0) {
    nanos *= 10n ** BigInt(power10);
  } else {
    const divisor = 10n ** BigInt(-power10);
    nanos = nanos / divisor + (nanos % divisor === 0n ? 0n : 1n);
  }
  if (power2 > 0 && nanos > BINARY_CAP) nanos = BINARY_CAP;
  return sign === '-' ? -nanos : nanos;
}

/**
 * How two quantities compare as Kubernetes compares them (`Quantity.Cmp`): -1, 0 or 1, or
 * undefined when either is not a valid quantity. `1Gi` equals `1024Mi`, `500m` equals `0.5`,
 * `1G` is less than `1Gi`; exact for any size.
 */
export function compareQuantities(a: string | number, b: string | number): -1 | 0 | 1 | undefined {
  const x = quantityNanos(a);
  const y = quantityNanos(b);
  if (x === undefined || y === undefined) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}

const BILLION = 1_000_000_000n;

/**
 * The numeric value of a quantity (in base units: cores, bytes), or undefined when it is not a
 * valid Kubernetes quantity: the nearest number to the exact value. For equality or order, use
 * `compareQuantities`, which is exact beyond 2^53.
 */
export function parseQuantity(quantity: string | number): number | undefined {
  const nanos = quantityNanos(quantity);
  if (nanos === undefined) return undefined;
  const value = nanos % BILLION === 0n ? Number(nanos / BILLION) : Number(nanos) / 1e9;
  return Number.isFinite(value) ? value : undefined;
}
