import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { formatBytes, formatCpu, qosClassOf, QosClass } from '../src';
import { labelMapProblems, selectorRequirementProblems } from '../src/validation/selectors';
import * as k8s from '../imports/k8s';
import { imageVersion, isPinned, parseImage } from '../src/validation/image';
import { dns1035LabelProblem, envNameProblem, labelValueProblem, portNameProblem } from '../src/validation/names';
import { compareQuantities, parseQuantity, quantityNanos } from '../src/validation/quantity';

describe('names', () => {
  test.each(['a', 'api', 'checkout-web-2', 'a'.repeat(63)])('DNS-1035 accepts %s', n => expect(dns1035LabelProblem(n)).toBeUndefined());
  test.each(['', 'Api', '1api', 'api-', 'a_b', 'a.b', 'a'.repeat(64), ' api'])('DNS-1035 rejects "%s"', n => expect(dns1035LabelProblem(n)).toBeDefined());
  test.each(['', 'v1.2.3', 'A_b-c.d', 'x'.repeat(63)])('label value accepts "%s"', v => expect(labelValueProblem(v)).toBeUndefined());
  test.each(['-a', 'a-', 'a b', 'x'.repeat(64), 'ä'])('label value rejects "%s"', v => expect(labelValueProblem(v)).toBeDefined());
  test.each(['LOG_LEVEL', '_X', 'a1'])('env name accepts %s', n => expect(envNameProblem(n)).toBeUndefined());
  test.each(['LOG-LEVEL', '1A', 'A B', '', 'A.B'])('env name rejects "%s"', n => expect(envNameProblem(n)).toBeDefined());
  test.each(['http', 'metrics', 'h2c', 'grpc-web'])('port name accepts %s', n => expect(portNameProblem(n)).toBeUndefined());
  test.each(['', 'HTTP', '8080', 'a--b', '-a', 'prometheus-metrics'])('port name rejects "%s"', n => expect(portNameProblem(n)).toBeDefined());
});

describe('images', () => {
  test('parses registry, port, path, tag and digest', () => {
    const digest = `sha256:${'0'.repeat(64)}`;
    expect(parseImage('nginx')).toEqual({ repository: 'nginx', tag: undefined, digest: undefined });
    expect(parseImage('localhost:5000/team/app:1.0')).toEqual({ repository: 'localhost:5000/team/app', tag: '1.0', digest: undefined });
    expect(parseImage(`ghcr.io/acme/api:1.4.2@${digest}`)).toEqual({ repository: 'ghcr.io/acme/api', tag: '1.4.2', digest });
  });

  test.each(['', 'UPPER/case:1', 'a b:1', 'repo:', 'repo@sha256:short', 'repo:-bad', 'repo//x:1'])('rejects "%s"', i => expect(parseImage(i)).toBeUndefined());

  test('pinning', () => {
    expect(isPinned(parseImage('nginx:1.27')!)).toBe(true);
    expect(isPinned(parseImage(`nginx@sha256:${'f'.repeat(64)}`)!)).toBe(true);
    expect(isPinned(parseImage('nginx:latest')!)).toBe(false);
    expect(isPinned(parseImage('nginx')!)).toBe(false);
  });

  test('version label from tag or digest, trimmed to a valid label value', () => {
    expect(imageVersion(parseImage('a:1.4.2')!)).toBe('1.4.2');
    expect(imageVersion(parseImage(`a@sha256:${'ab'.repeat(32)}`)!)).toBe('abababababab');
    expect(imageVersion(parseImage(`a:_${'x'.repeat(70)}`)!)).toBe('x'.repeat(62));
  });
});

describe('quantities', () => {
  test.each([['500m', 0.5], ['1', 1], ['1.5Gi', 1.5 * 2 ** 30], ['2e3', 2000], ['128Mi', 128 * 2 ** 20], ['1k', 1000]])('%s = %d', (q, v) => expect(parseQuantity(q)).toBeCloseTo(v as number));
  test.each(['1,5Gi', '', '1.5.0', 'Gi', '5 Mi', '1mi', '.', '-', '1e', '1e1.5', '1Ki2', ' 1', '1E1001'])('rejects "%s"', q => {
    expect(parseQuantity(q)).toBeUndefined();
    expect(quantityNanos(q)).toBeUndefined();
  });

  // Each pair as resource.Quantity's Cmp orders it (k8s.io/apimachinery ParseQuantity).
  test.each([
    ['1Gi', '1024Mi', 0], ['1Gi', '1000Mi', 1], ['1G', '1Gi', -1], ['1G', '1000M', 0], ['500m', '0.5', 0], ['1e3', '1k', 0],
    ['1E3', '1000', 0], ['1E', '1e18', 0], ['2e-3', '2m', 0], ['+1.5Gi', '1536Mi', 0], ['.5', '500m', 0], ['1.', '1', 0],
    ['0.1Ki', '102400m', 0], ['-1', '1', -1], ['0', '0m', 0], ['1n', '0.0000000001', 0], ['1m', '0.0009', 1], ['100Mi', '104857600', 0],
  ] as const)('%s against %s is %d', (a, b, order) => expect(compareQuantities(a, b)).toBe(order));

  test('exact beyond 2^53: quantities a float cannot tell apart', () => {
    expect(compareQuantities('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareQuantities('9007199254740993', '9007199254740993.0')).toBe(0);
    expect(quantityNanos('1E')).toBe(10n ** 27n);
    // Decimal amounts are not capped: 10E (1e19) is more than 8Ei (capped to 2^63-1).
    expect(compareQuantities('10E', '8Ei')).toBe(1);
  });

  test('binary amounts are capped at 2^63-1, as ParseQuantity caps them; decimal ones are not', () => {
    expect(quantityNanos('8Ei')).toBe(((1n << 63n) - 1n) * 1_000_000_000n);
    expect(compareQuantities('8Ei', '9223372036854775807')).toBe(0);
    expect(compareQuantities('8Ei', '9Ei')).toBe(0);
    expect(compareQuantities('7Ei', '8Ei')).toBe(-1);
    expect(compareQuantities('9223372036854775808', '8Ei')).toBe(1);
    expect(compareQuantities('-8Ei', '-9223372036854775807')).toBe(0);
  });

  test('amounts finer than 1n round up, away from zero, to 1n', () => {
    expect(quantityNanos('0.1n')).toBe(1n);
    expect(quantityNanos('1e-30')).toBe(1n);
    expect(quantityNanos('-0.1n')).toBe(-1n);
    expect(quantityNanos('1.0000000001')).toBe(1_000_000_001n);
    expect(quantityNanos('0.0000000000')).toBe(0n);
  });

  test('a YAML number is read from its text; a number that is not finite is no quantity', () => {
    expect(quantityNanos(1.5)).toBe(1_500_000_000n);
    expect(quantityNanos(1e21)).toBe(10n ** 30n);
    expect(parseQuantity(0.1)).toBe(0.1);
    expect(parseQuantity(Infinity)).toBeUndefined();
    expect(parseQuantity(NaN)).toBeUndefined();
  });

  test('parseQuantity is the nearest number to the exact value', () => {
    expect(parseQuantity('0.1')).toBe(0.1);
    expect(parseQuantity('100m')).toBe(0.1);
    expect(parseQuantity('1.1Gi')).toBe(1181116006.4);
    expect(parseQuantity('8Ei')).toBe(2 ** 63);
    expect(parseQuantity('1e1000')).toBeUndefined();
  });

  test('formatBytes picks the largest exact binary suffix', () => {
    expect(formatBytes(Size.gibibytes(2))).toBe('2Gi');
    expect(formatBytes(Size.mebibytes(1536))).toBe('1536Mi');
    expect(formatBytes(Size.kibibytes(100))).toBe('100Ki');
    expect(formatBytes(Size.mebibytes(0))).toBeUndefined();
    expect(formatBytes('1Gi')).toBeUndefined();
  });

  test('formatCpu is canonical and rejects sub-millicore or non-positive amounts', () => {
    expect(formatCpu(kplus.Cpu.millis(500))).toBe('500m');
    expect(formatCpu(kplus.Cpu.units(2))).toBe('2');
    expect(formatCpu(kplus.Cpu.units(0.25))).toBe('250m');
    expect(formatCpu(kplus.Cpu.units(0.0001))).toBeUndefined();
    expect(formatCpu(kplus.Cpu.millis(-5))).toBeUndefined();
    expect(formatCpu(kplus.Cpu.millis(Infinity))).toBeUndefined();
  });
});

describe('qosClassOf', () => {
  const res = (req: Record<string, string>, lim: Record<string, string>): k8s.ResourceRequirements => ({
    requests: Object.fromEntries(Object.entries(req).map(([k, v]) => [k, k8s.Quantity.fromString(v)])),
    limits: Object.fromEntries(Object.entries(lim).map(([k, v]) => [k, k8s.Quantity.fromString(v)])),
  });

  test('Guaranteed when every container, init containers included, has equal requests and limits', () => {
    const eq = res({ cpu: '500m', memory: '1Gi' }, { cpu: '0.5', memory: '1024Mi' });
    expect(qosClassOf({ containers: [{ name: 'a', resources: eq }], initContainers: [{ name: 'i', resources: eq }] })).toBe(QosClass.GUARANTEED);
  });

  test('limits alone imply equal requests', () => {
    expect(qosClassOf({ containers: [{ name: 'a', resources: res({}, { cpu: '1', memory: '1Gi' }) }] })).toBe(QosClass.GUARANTEED);
  });

  test('an init container without resources makes the Pod Burstable', () => {
    const eq = res({ cpu: '1', memory: '1Gi' }, { cpu: '1', memory: '1Gi' });
    expect(qosClassOf({ containers: [{ name: 'a', resources: eq }], initContainers: [{ name: 'i' }] })).toBe(QosClass.BURSTABLE);
  });

  test('BestEffort without any cpu or memory', () => {
    expect(qosClassOf({ containers: [{ name: 'a' }, { name: 'b', resources: res({ 'ephemeral-storage': '1Gi' }, {}) }] })).toBe(QosClass.BEST_EFFORT);
  });
});

describe('one check for label maps and selector requirements (nodeSelector, affinity, claims, peers)', () => {
  test('label maps: key and value problems, each named', () => {
    expect(labelMapProblems({ disk: 'ssd', 'example.com/tier': 'gold' })).toEqual([]);
    expect(labelMapProblems({ 'a b': 'x', disk: 'fast ssd' }).map(p => [p.at, p.problem.split(' ').slice(0, 2).join(' ')])).toEqual([['a b', 'the key'], ['disk', 'the value']]);
    expect(labelMapProblems('disk=ssd')).toEqual([{ at: '', value: 'disk=ssd', problem: 'must be an object of label keys to values, got a string' }]);
  });

  test('requirements: operator, values by operator, and each value', () => {
    expect(selectorRequirementProblems({ key: 'tier', operator: 'In', values: ['gold'] })).toEqual([]);
    expect(selectorRequirementProblems({ key: 'tier', operator: 'Exists' })).toEqual([]);
    expect(selectorRequirementProblems({ key: 'tier', operator: 'In', values: [] }).map(p => p.at)).toEqual(['values']);
    expect(selectorRequirementProblems({ key: 'tier', operator: 'Exists', values: ['gold'] }).map(p => p.problem)).toEqual(['must be empty with Exists']);
    expect(selectorRequirementProblems({ key: 'tier', operator: 'Gt', values: ['1'] }).map(p => p.at)).toEqual(['operator', 'values']);
    expect(selectorRequirementProblems({ key: 'Bad Key', operator: 'NotIn', values: ['a b'] }).map(p => p.at)).toEqual(['key', 'values[0]']);
    expect(selectorRequirementProblems(null).map(p => p.at)).toEqual(['key', 'operator']);
  });
});
