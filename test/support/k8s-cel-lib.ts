import { CelFunc, celFunc, celList, celMap, CelMap, celMethod, CelScalar, listType, mapType } from '@bufbuild/cel';
import { quantityNanos } from '../../src/validation/quantity';
import { strings } from '@bufbuild/cel/ext';

/**
 * The Kubernetes CEL functions that the CRDs' `x-kubernetes-validations` rules call and that
 * @bufbuild/cel does not bring itself. The API server compiles CRD rules with the CEL standard
 * library plus cel-go's `ext.Strings` (here: `strings` from `@bufbuild/cel/ext`, which has
 * `split`, `substring`, `indexOf`, `lowerAscii`, …) and the Kubernetes libraries (lists, regex,
 * URLs, authz, quantity, IP, CIDR, format, semver). Of the latter, the rules of the CRDs under
 * `../shared/crds` only call `isIP` (the IP library); `duration()`, `matches()` and the
 * `all`/`exists`/`exists_one`/`filter` macros are standard CEL and built into @bufbuild/cel.
 * Any other function a future CRD calls fails the compilation test in test/crd-cel.test.ts.
 * `split` and `substring` (which the Gateway CRDs call) replace @bufbuild/cel's own, whose
 * split with a limit truncates like JavaScript's and whose indices count UTF-16 units, where
 * cel-go follows Go's `strings.SplitN` and counts code points.
 */

/** The groups (four octets, no leading zeros) of a dotted IPv4 address, or undefined (Go netip rules). */
function parseIPv4(s: string): number[] | undefined {
  const fields = s.split('.');
  if (fields.length !== 4) return undefined;
  const out: number[] = [];
  for (const f of fields) {
    if (!/^[0-9]{1,3}$/.test(f)) return undefined;
    if (f.length > 1 && f[0] === '0') return undefined; // "IPv4 field has octet with leading zero"
    const n = Number(f);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

/** The 16 bytes of an IPv6 address (no zone), or undefined; follows Go's netip.ParseAddr. */
function parseIPv6(s: string): number[] | undefined {
  const bytes: number[] = [];
  let ellipsis = -1;
  let rest = s;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === '') return new Array(16).fill(0);
  }
  while (rest.length > 0) {
    const m = /^[0-9a-fA-F]{1,4}/.exec(rest);
    if (!m) return undefined;
    // An embedded IPv4 address ends the string and fills the last four bytes.
    if (rest.length > m[0].length && rest[m[0].length] === '.') {
      if (ellipsis < 0 && bytes.length !== 12) return undefined;
      if (bytes.length + 4 > 16) return undefined;
      const v4 = parseIPv4(rest);
      if (!v4) return undefined;
      bytes.push(...v4);
      rest = '';
      break;
    }
    const group = parseInt(m[0], 16);
    bytes.push(group >> 8, group & 0xff);
    rest = rest.slice(m[0].length);
    if (rest.length === 0) break;
    if (rest[0] !== ':' || rest.length === 1) return undefined;
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) return undefined; // at most one "::"
      ellipsis = bytes.length;
      rest = rest.slice(1);
      if (rest.length === 0) break;
    }
    if (bytes.length >= 16) return undefined;
  }
  if (bytes.length < 16) {
    if (ellipsis < 0) return undefined;
    const zeros = new Array(16 - bytes.length).fill(0);
    bytes.splice(ellipsis, 0, ...zeros);
  } else if (ellipsis >= 0) {
    return undefined; // "::" must stand for at least one group of zeros
  }
  return bytes.length === 16 ? bytes : undefined;
}

/**
 * `isIP(<string>) <bool>` of the Kubernetes IP library: true for a valid IPv4 or IPv6 address;
 * IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`), addresses with a zone (`fe80::1%eth0`) and
 * IPv4 octets with leading zeros are not. Go's `netip.ParseAddr` decides which of `.`, `:` or
 * `%` comes first in the string.
 * https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-ip-address-library
 */
export function isIP(s: string): boolean {
  const first = /[.:%]/.exec(s)?.[0];
  if (first === '.') return parseIPv4(s) !== undefined;
  if (first !== ':' || s.includes('%')) return false;
  const bytes = parseIPv6(s);
  if (!bytes) return false;
  const is4In6 = bytes.slice(0, 10).every(b => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return !is4In6;
}

/**
 * `<string>.split(<string>, <int>)` of cel-go's strings extension, which is Go's
 * `strings.SplitN`: at most n parts, the last holding the rest (n < 0: all; n == 0: none); an
 * empty separator splits into characters. @bufbuild/cel's split truncates like JavaScript's
 * (`'a/b/c'.split('/', 2)` gives ['a', 'b'], not ['a', 'b/c']).
 */
export function splitN(s: string, sep: string, n = -1): string[] {
  if (n === 0) return [];
  const parts = sep === '' ? Array.from(s) : s.split(sep);
  if (n < 0 || parts.length <= n) return parts;
  return [...parts.slice(0, n - 1), parts.slice(n - 1).join(sep)];
}

/** `<string>.substring(<int>[, <int>])` of cel-go's strings extension: indices count code points, out-of-range or reversed ones are errors. */
export function substring(s: string, start: number, end?: number): string {
  const chars = Array.from(s);
  const to = end ?? chars.length;
  if (start < 0 || start > chars.length || to < 0 || to > chars.length) throw new Error(`index out of range: ${start < 0 || start > chars.length ? start : to}`);
  if (start > to) throw new Error(`invalid substring range. start: ${start}, end: ${to}`);
  return chars.slice(start, to).join('');
}

/**
 * A Quantity of the Kubernetes quantity library, held as a map with one key, `QUANTITY_KEY`, whose
 * value is the exact amount in nano-units (so that `==` on two Quantities compares amounts, as
 * the library's Quantity equality does: `quantity('1Gi') == quantity('1024Mi')`). Parsing follows
 * `resource.Quantity` (src/validation/quantity.ts, which test/quantity*.test.ts holds to it).
 * https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-quantity-library
 */
const QUANTITY_KEY = '@k8s.io/quantity';
const QUANTITY = mapType(CelScalar.STRING, CelScalar.INT);
const NANO = 1_000_000_000n;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function toQuantity(nanos: bigint): CelMap {
  return celMap(new Map([[QUANTITY_KEY, nanos]]));
}

/** The nano-units of a Quantity; an error for any other map. */
function nanosOf(q: CelMap): bigint {
  const v = q.get(QUANTITY_KEY);
  if (typeof v !== 'bigint' || q.size !== 1) throw new Error('not a Quantity');
  return v;
}

/** `quantity(<string>)`: an error for a string that is not a quantity. */
export function parseCelQuantity(s: string): CelMap {
  const nanos = quantityNanos(s);
  if (nanos === undefined) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(s)}`);
  return toQuantity(nanos);
}

/** `asInteger()`: an error on overflow or loss of precision. */
function asInteger(q: CelMap): bigint {
  const n = nanosOf(q);
  if (n % NANO !== 0n || n / NANO > INT64_MAX || n / NANO < INT64_MIN) throw new Error('cannot convert value to integer');
  return n / NANO;
}

const compare = (a: CelMap, b: CelMap): bigint => { const x = nanosOf(a); const y = nanosOf(b); return x < y ? -1n : x > y ? 1n : 0n; };

/** The quantity library: `isQuantity`, `quantity` and the Quantity members the docs list. */
export const K8S_QUANTITY_FUNCS: readonly CelFunc[] = [
  celFunc('isQuantity', [CelScalar.STRING], CelScalar.BOOL, s => quantityNanos(s) !== undefined),
  celFunc('quantity', [CelScalar.STRING], QUANTITY, s => parseCelQuantity(s)),
  celMethod('sign', QUANTITY, [], CelScalar.INT, function () { const n = nanosOf(this); return n > 0n ? 1n : n < 0n ? -1n : 0n; }),
  celMethod('isInteger', QUANTITY, [], CelScalar.BOOL, function () { const n = nanosOf(this); return n % NANO === 0n && n / NANO <= INT64_MAX && n / NANO >= INT64_MIN; }),
  celMethod('asInteger', QUANTITY, [], CelScalar.INT, function () { return asInteger(this); }),
  celMethod('asApproximateFloat', QUANTITY, [], CelScalar.DOUBLE, function () { return Number(nanosOf(this)) / 1e9; }),
  celMethod('compareTo', QUANTITY, [QUANTITY], CelScalar.INT, function (other) { return compare(this, other); }),
  celMethod('isGreaterThan', QUANTITY, [QUANTITY], CelScalar.BOOL, function (other) { return compare(this, other) > 0n; }),
  celMethod('isLessThan', QUANTITY, [QUANTITY], CelScalar.BOOL, function (other) { return compare(this, other) < 0n; }),
  celMethod('add', QUANTITY, [QUANTITY], QUANTITY, function (other) { return toQuantity(nanosOf(this) + nanosOf(other)); }),
  celMethod('add', QUANTITY, [CelScalar.INT], QUANTITY, function (other) { return toQuantity(nanosOf(this) + other * NANO); }),
  celMethod('sub', QUANTITY, [QUANTITY], QUANTITY, function (other) { return toQuantity(nanosOf(this) - nanosOf(other)); }),
  celMethod('sub', QUANTITY, [CelScalar.INT], QUANTITY, function (other) { return toQuantity(nanosOf(this) - other * NANO); }),
];

/** The Kubernetes library functions that @bufbuild/cel lacks, and cel-go strings functions whose @bufbuild/cel version differs, as CEL functions. */
export const K8S_LIBRARY_FUNCS: readonly CelFunc[] = [
  celFunc('isIP', [CelScalar.STRING], CelScalar.BOOL, isIP),
  celMethod('split', CelScalar.STRING, [CelScalar.STRING], listType(CelScalar.STRING), function (sep) { return celList(splitN(this, sep)); }),
  celMethod('split', CelScalar.STRING, [CelScalar.STRING, CelScalar.INT], listType(CelScalar.STRING), function (sep, n) { return celList(splitN(this, sep, Number(n))); }),
  celMethod('substring', CelScalar.STRING, [CelScalar.INT], CelScalar.STRING, function (start) { return substring(this, Number(start)); }),
  celMethod('substring', CelScalar.STRING, [CelScalar.INT, CelScalar.INT], CelScalar.STRING, function (start, end) { return substring(this, Number(start), Number(end)); }),
  ...K8S_QUANTITY_FUNCS,
];

/** Functions of the Kubernetes lists library (a method on lists beside the strings extension's method of the same name on strings). */
const K8S_LIST_FUNCS: readonly CelFunc[] = [
  // The Kubernetes lists library's `<list<T>>.indexOf(<T>) <int>` (-1 when absent), for lists of strings.
  celMethod('indexOf', listType(CelScalar.DYN), [CelScalar.STRING], CelScalar.INT, function (value) {
    let i = 0;
    for (const x of this) {
      if (x === value) return BigInt(i);
      i++;
    }
    return -1n;
  }),
];

const OVERRIDDEN = new Set(K8S_LIBRARY_FUNCS.map(f => f.name));

/**
 * `oldSelf` of a rule with `optionalOldSelf: true` is `optional.none()` on create. @bufbuild/cel
 * has no optional type: `oldSelf` is bound to null instead and these methods answer as an empty
 * optional does.
 */
export const OPTIONAL_NONE_FUNCS: readonly CelFunc[] = [
  celMethod('hasValue', CelScalar.DYN, [], CelScalar.BOOL, function (this: unknown) { return this !== null; }),
  celMethod('orValue', CelScalar.DYN, [CelScalar.DYN], CelScalar.DYN, function (this: unknown, other) { return this === null ? other : this as typeof other; }),
];

/** Every function the API server offers CRD rules and @bufbuild/cel's standard library lacks: cel-go's strings extension (split and substring with cel-go's semantics) and the Kubernetes libraries above. */
export const K8S_CEL_FUNCS: readonly CelFunc[] = [...strings.filter(f => !OVERRIDDEN.has(f.name)), ...K8S_LIBRARY_FUNCS, ...K8S_LIST_FUNCS];
