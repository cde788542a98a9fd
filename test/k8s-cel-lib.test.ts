import { celEnv, CelInput, isCelError, parse, plan } from '@bufbuild/cel';
import { isIP, K8S_CEL_FUNCS, OPTIONAL_NONE_FUNCS, splitN, substring } from './support/k8s-cel-lib';

/**
 * The Kubernetes CEL functions test/support/k8s-cel-lib.ts provides to the offline evaluation of
 * CRD rules, against the examples of their documentation.
 */

const env = celEnv({ funcs: [...K8S_CEL_FUNCS] });
const evaluate = (expr: string, self: CelInput = null): unknown => plan(env, parse(expr))({ self });

describe('isIP (Kubernetes IP address library)', () => {
  // https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-ip-address-library, and the
  // library's doc comment (k8s.io/apiserver/pkg/cel/library/ip.go): "The IP address must be an
  // IPv4 or IPv6 address. IPv4-mapped IPv6 addresses (e.g. ::ffff:1.2.3.4) are not allowed. IP
  // addresses with zones (e.g. fe80::1%eth0) are not allowed. Leading zeros in IPv4 address
  // octets are not allowed."
  test.each([
    ['127.0.0.1', true],
    ['::1', true],
    ['127.0.0.256', false],
    [':::1', false],
    ['::ffff:1.2.3.4', false],
    ['fe80::1%eth0', false],
    ['010.0.0.1', false],
  ])('the documented example isIP(%j) is %s', (s, expected) => {
    expect(isIP(s)).toBe(expected);
    expect(evaluate(`isIP('${s}')`)).toBe(expected);
  });

  test.each([
    ['0.0.0.0', true], ['255.255.255.255', true], ['1.2.3', false], ['1.2.3.4.5', false], ['1..3.4', false], ['1.2.3.4 ', false], ['', false],
    ['::', true], ['2001:db8::abcd', true], ['2001:DB8::ABCD', true], ['2001:db8:0:0:0:0:0:1', true], ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7:8:9', false], ['1:2:3:4:5:6:7', false], ['1:2:3:4:5:6:7::8', false], ['1::2::3', false], ['12345::1', false],
    ['::1.2.3.4', true], ['1:2:3:4:5:6:1.2.3.4', true], ['::ffff:0102:0304', false], ['1:2:3:4:5:6:7:1.2.3.4', false], ['fe80::1%', false],
    ['shop.example.com', false], ['*.example.com', false], ['localhost', false], ['1:', false], [':1', false],
  ])('isIP(%j) is %s, as Go\'s netip.ParseAddr and the zone and 4-in-6 checks decide', (s, expected) => {
    expect(isIP(s)).toBe(expected);
  });
});

describe('strings extension (cel-go ext.Strings, which the API server registers for CRD rules)', () => {
  // https://github.com/google/cel-go/blob/master/ext/README.md#split and #substring, linked from
  // https://kubernetes.io/docs/reference/using-api/cel/#language-overview ("Extended strings").
  test('split', () => {
    expect(evaluate("'hello hello hello'.split(' ') == ['hello', 'hello', 'hello']")).toBe(true);
    expect(evaluate("'hello hello hello'.split(' ', 0) == []")).toBe(true);
    expect(evaluate("'hello hello hello'.split(' ', 1) == ['hello hello hello']")).toBe(true);
    expect(evaluate("'hello hello hello'.split(' ', 2) == ['hello', 'hello hello']")).toBe(true);
    expect(evaluate("'hello hello hello'.split(' ', -1) == ['hello', 'hello', 'hello']")).toBe(true);
    // The Gateway CRD's label-key rule: key.split("/")[0].size() < 253.
    expect(evaluate('self.split("/")[0]', 'example.com/tier')).toBe('example.com');
    expect(evaluate('self.split("/")[0]', 'tier')).toBe('tier');
    // Go's strings.SplitN, which cel-go calls: the last part holds the rest.
    expect(splitN('a/b/c', '/', 2)).toEqual(['a', 'b/c']);
    expect(splitN('abc', '')).toEqual(['a', 'b', 'c']);
    expect(splitN('', ',')).toEqual(['']);
  });

  test('substring', () => {
    expect(evaluate("'tacocat'.substring(4)")).toBe('cat');
    expect(evaluate("'tacocat'.substring(0, 4)")).toBe('taco');
    expect(isCelError(evaluate("'tacocat'.substring(-1)"))).toBe(true);
    expect(isCelError(evaluate("'tacocat'.substring(2, 1)"))).toBe(true);
    expect(isCelError(evaluate("'tacocat'.substring(8)"))).toBe(true);
    // Indices count code points, as cel-go's do.
    expect(substring('😀ab', 1)).toBe('ab');
    expect(evaluate("'*.😀.example'.substring(2, 3)")).toBe('😀');
  });
});

describe('standard CEL the rules rely on', () => {
  // https://github.com/google/cel-spec/blob/master/doc/langdef.md (duration, matches, exists_one).
  test('duration() parses Gateway API durations and compares them', () => {
    expect(evaluate("duration('1h') > duration('59m')")).toBe(true);
    expect(evaluate("duration('2500ms') < duration('30s')")).toBe(true);
    expect(evaluate("duration('0s') == duration('0ms')")).toBe(true);
    expect(evaluate("duration('1h30m') == duration('90m')")).toBe(true);
  });

  test('matches() is RE2, unanchored', () => {
    expect(evaluate("'/api'.matches('^/')")).toBe(true);
    expect(evaluate("'api'.matches('^/')")).toBe(false);
    expect(evaluate("'shop.example.com'.matches('example')")).toBe(true);
  });

  test('exists_one', () => {
    expect(evaluate('[1, 2, 3].exists_one(x, x > 2)')).toBe(true);
    expect(evaluate('[1, 2, 3].exists_one(x, x > 1)')).toBe(false);
  });
});

describe('oldSelf of an optionalOldSelf rule on create', () => {
  // https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-optional-oldself
  test('behaves as an empty optional: hasValue() is false, orValue(x) is x', () => {
    const optional = celEnv({ funcs: [...K8S_CEL_FUNCS, ...OPTIONAL_NONE_FUNCS] });
    const run = (expr: string, oldSelf: CelInput) => plan(optional, parse(expr))({ self: 1n, oldSelf });
    expect(run('oldSelf.hasValue()', null)).toBe(false);
    expect(run('oldSelf.orValue(self) == self', null)).toBe(true);
    expect(run('oldSelf.hasValue()', 2n)).toBe(true);
  });
});

describe('trim and join (cel-go strings extension), which the admission policies call', () => {
  // The examples of cel-go's ext/strings.go documentation, which Kubernetes links for these functions.
  test.each([
    ["' \\ttrim\\n    '.trim()", 'trim'],
    ["['hello', 'mellow'].join()", 'hellomellow'],
    ["['hello', 'mellow'].join(' ')", 'hello mellow'],
    ['[].join()', ''],
    ["[].join('/')", ''],
  ])('%s is %j', (expr, expected) => {
    expect(evaluate(expr)).toBe(expected);
  });

  test('a blank waiver reason trims to empty, a real one does not', () => {
    expect(evaluate("' \\t '.trim() != ''")).toBe(false);
    expect(evaluate("' because '.trim() != ''")).toBe(true);
  });
});

describe('indexOf of the Kubernetes lists library', () => {
  // https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-list-library: "['a', 'b', 'b', 'c'].indexOf('b') == 1".
  test.each([
    ["['a', 'b', 'b', 'c'].indexOf('b')", 1n],
    ["['a', 'b', 'b', 'c'].indexOf('d')", -1n],
    ["[1, 2].map(x, 'n' + string(x)).indexOf('n2')", 1n],
    ["'abcb'.indexOf('b')", 1n],
  ])('%s is %s', (expr, expected) => {
    expect(evaluate(expr)).toEqual(expected);
  });
});

describe('the Kubernetes quantity library (isQuantity, quantity and the Quantity members)', () => {
  // https://kubernetes.io/docs/reference/using-api/cel/#kubernetes-quantity-library and the
  // library's doc comment (k8s.io/apiserver/pkg/cel/library/quantity.go).
  test.each([
    ['1.3G', true],
    ['1.3Gi', true],
    ['1,3G', false],
    ['10000k', true],
    ['200K', false],
    ['Three', false],
    ['Mi', false],
    ['', false],
    ['500m', true],
    ['1e3', true],
  ])('the documented example isQuantity(%j) is %s', (s, expected) => {
    expect(evaluate(`isQuantity('${s}')`)).toBe(expected);
  });

  test.each([
    ["quantity('50k').add(quantity('20k')) == quantity('70k')", true],
    ["quantity('50k').sub(20000) == quantity('30k')", true],
    ["quantity('50k').add(20) == quantity('50020')", true],
    ["quantity('50M').sub(quantity('20M')) == quantity('30M')", true],
    ["quantity('50.703k').asApproximateFloat()", 50703],
    ["quantity('50M').isLessThan(quantity('100M'))", true],
    ["quantity('100M').isLessThan(quantity('50M'))", false],
    ["quantity('50M').isGreaterThan(quantity('100M'))", false],
    ["quantity('200M').compareTo(quantity('0.2G'))", 0n],
    ["quantity('50M').compareTo(quantity('100M'))", -1n],
    ["quantity('1Gi').compareTo(quantity('1G'))", 1n],
    ["quantity('1Gi') == quantity('1024Mi')", true],
    ["quantity('1.5') == quantity('1500m')", true],
    ["quantity('50n').isInteger()", false],
    ["quantity('5k').isInteger()", true],
    ["quantity('5k').asInteger()", 5000n],
    ["quantity('9999999999999999999999999999999999999G').isInteger()", false],
    ["quantity('-1').sign()", -1n],
    ["quantity('0').sign()", 0n],
    ["quantity('1m').sign()", 1n],
  ])('%s is %s', (expr, expected) => {
    expect(evaluate(expr)).toEqual(expected);
  });

  test('quantity() of a string that is not a quantity, and asInteger() losing precision, are errors', () => {
    expect(isCelError(evaluate("quantity('Three')"))).toBe(true);
    expect(isCelError(evaluate("quantity('1.5').asInteger()"))).toBe(true);
  });
});
