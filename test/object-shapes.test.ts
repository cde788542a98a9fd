import * as v8 from 'v8';
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Peer, Probe, synthesize, WebService } from '../src';
import { withoutZeroDefaults } from '../src/target/zero-defaults';
import { merged, omitted, replaced } from '../src/util/merge';

/**
 * The rendered objects stay in memory for a whole synthesis (and with every Manifest), so they
 * are built the way V8 stores compactly: objects of one shape share one hidden class, and none is
 * a hash table. On Node 20 a literal with a spread followed by anything (`{ ...a, ...b }`) gives
 * each object it makes a hidden class of its own, and deleting any but the last key added turns
 * an object into a hash table; both made rendered objects about a third larger. The checks use
 * V8's natives: should a Node release drop them, creating the functions below fails loudly.
 */

v8.setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
const hasFastProperties = new Function('a', 'return %HasFastProperties(a)') as (a: object) => boolean;

function app(n: number): App {
  const a = new App({ outdir: '/dev/null' });
  const chart = new Chart(a, 'shapes', { namespace: 'shapes' });
  for (let i = 0; i < n; i++) {
    new WebService(chart, `svc${i}`, {
      name: `svc-${i}`, image: `ghcr.io/acme/svc-${i}:1.0.${i}`, port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: 3, readiness: Probe.http('/ready'), liveness: Probe.http('/healthz'),
      allowFrom: [Peer.namespace('ingress-nginx')],
    });
  }
  return a;
}

/** Every object and array under `value`, with its path. */
function* nodes(value: unknown, path: string): Iterable<[string, object]> {
  if (value === null || typeof value !== 'object') return;
  yield [path, value];
  for (const [k, v] of Object.entries(value)) yield* nodes(v, `${path}.${k}`);
}

describe('rendered objects are stored compactly', () => {
  // Enough workloads for the inline caches of the rendering code to see many objects.
  const objects = synthesize(app(40))[0].objects as Array<Record<string, unknown> & { kind: string }>;

  test('no rendered object is a hash table', () => {
    const slow = objects.flatMap((o, i) => [...nodes(o, `${o.kind}#${i}`)].filter(([, n]) => !hasFastProperties(n)).map(([p]) => p));
    expect(slow).toEqual([]);
  });

  test('the objects of one kind, and their metadata and probes, share one hidden class each', () => {
    const byKind = new Map<string, Array<Record<string, unknown>>>();
    for (const o of objects) {
      if (!byKind.has(o.kind)) byKind.set(o.kind, []);
      byKind.get(o.kind)!.push(o);
    }
    expect([...byKind.keys()].sort()).toEqual(['Deployment', 'NetworkPolicy', 'PodDisruptionBudget', 'Service', 'ServiceAccount']);
    for (const [kind, list] of byKind) {
      expect(list.length).toBe(40);
      const parts = (o: Record<string, unknown>): Array<[string, object]> => [...nodes(o, kind)];
      const first = parts(list[0]);
      for (const other of list.slice(1)) {
        const these = parts(other);
        expect(these.map(([p]) => p)).toEqual(first.map(([p]) => p));
        expect(these.filter(([, n], j) => !Array.isArray(n) && !haveSameMap(n, first[j][1])).map(([p]) => p)).toEqual([]);
      }
    }
  });
});

describe('copies that keep the key order', () => {
  test('omitted() leaves one key out; replaced() sets one in its place or last', () => {
    const o = { a: 1, b: 2, c: 3 };
    expect(Object.entries(omitted(o, 'b'))).toEqual([['a', 1], ['c', 3]]);
    expect(Object.entries(replaced(o, 'b', 9))).toEqual([['a', 1], ['b', 9], ['c', 3]]);
    expect(Object.entries(replaced(o, 'd', 4))).toEqual([['a', 1], ['b', 2], ['c', 3], ['d', 4]]);
    expect(o).toEqual({ a: 1, b: 2, c: 3 });
  });

  test('a "__proto__" key stays an own key, and the prototype stays Object.prototype', () => {
    const o = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as Record<string, unknown>;
    for (const copy of [omitted(o, 'a'), replaced(o, 'a', 2), replaced(o, '__proto__', { y: 2 }), merged(o, { b: 1 }), merged({ z: 0 }, { b: 1 }, o, { c: 2 })]) {
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(copy, '__proto__')).toBe(true);
    }
    expect(Object.keys(omitted(o, '__proto__'))).toEqual(['a']);
    expect(Object.entries(merged({ z: 0 }, { b: 1 }, o, { c: 2 }))).toEqual([['z', 0], ['b', 1], ['__proto__', { x: 1 }], ['a', 1], ['c', 2]]);
    expect(Object.getOwnPropertyDescriptor(replaced(o, '__proto__', { y: 2 }), '__proto__')?.value).toEqual({ y: 2 });
  });

  test('withoutZeroDefaults() copies the maps and lists on the way to a zero, shares the rest, keeps the order', () => {
    const container = { name: 'a', image: 'a:1', readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: 0, periodSeconds: 10 } };
    const other: Record<string, unknown> = { name: 'b', image: 'b:1' };
    const input = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' }, spec: { replicas: 2, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [container, other] as Array<typeof container> } } } };
    const before = JSON.stringify(input);
    const stored = withoutZeroDefaults(input);
    expect(JSON.stringify(input)).toBe(before);
    expect(stored.metadata).toBe(input.metadata);
    expect(stored.spec.template.metadata).toBe(input.spec.template.metadata);
    expect(stored.spec.template.spec.containers[1]).toBe(other);
    expect(stored.spec.template.spec.containers[0].readinessProbe.httpGet).toBe(container.readinessProbe.httpGet);
    expect(Object.keys(stored.spec.template.spec.containers[0].readinessProbe)).toEqual(['httpGet', 'periodSeconds']);
    expect(Object.keys(stored)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
  });
});
