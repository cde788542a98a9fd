import { Chart, Testing } from 'cdk8s';
import { DisruptionBudget, Probe, WebService } from '../src';
import { expectSeaworthyError, SIZE as size, WORKLOADS } from './support/adversarial';

/**
 * Invalid input from plain JavaScript callers to the labels, annotations
 * of your own and release-track props: a SeaworthyError with a rule id and the field,
 * never a TypeError, "undefined" or "[object Object]".
 */

const constructs = WORKLOADS;

const metadataCases: Array<[string, unknown]> = [
  ['labels', 'team=payments'], ['labels', ['team']], ['labels', null], ['labels', 42], ['labels', { 'a b': 'x' }], ['labels', { team: null }],
  ['labels', { team: { nested: 'x' } }], ['labels', { 'app.kubernetes.io/instance': 'other' }], ['labels', { '': 'x' }], ['labels', { team: 'ü' }],
  ['annotations', 'x'], ['annotations', { 'seaworthy.dev/config-hash': 'x' }], ['annotations', { 'ex.com/a': 7 }], ['annotations', { 'ex.com/a': undefined }],
  ['annotations', { 'ex.com/big': 'x'.repeat(300 * 1024) }], ['annotations', { 'a8r.io/owner': 'me' }],
  ['podLabels', { 'seaworthy.dev/track': 'canary' }], ['podLabels', { x: 'a'.repeat(64) }], ['podLabels', true],
  ['podAnnotations', { 'app.kubernetes.io/name': 'x' }], ['podAnnotations', { 'bad/key/x': 'y' }], ['podAnnotations', []],
];

const cases: Array<[string, string, unknown]> = [];
for (const kind of Object.keys(constructs)) for (const [field, value] of metadataCases) cases.push([kind, field, value]);

const describeValue = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : JSON.stringify(v)?.slice(0, 60) ?? String(v));

const expectSeaworthy = (build: () => unknown, field: string) => expectSeaworthyError(build, field, { nested: true });

describe('adversarial labels and annotations of your own, on every workload', () => {
  test.each(cases.map(([k, f, v]) => [k, f, describeValue(v), v]))('%s %s = %s', (kind, field, _shown, value) => {
    const { make, base } = constructs[kind as string];
    const chart = new Chart(Testing.app(), 'c');
    expectSeaworthy(() => make(chart, { ...base(), [field as string]: value }), field as string);
    expect(chart.node.findAll().filter(c => c.node.id === 'Resource')).toEqual([]);
  });
});

const trackCases: Array<[string, Record<string, unknown> | unknown, string]> = [
  ['props null', null, 'canary'], ['props a string', 'ghcr.io/acme/api:2', 'canary'], ['image missing', {}, 'image'], ['image unpinned', { image: 'nginx' }, 'image'],
  ['image a number', { image: 7 }, 'image'], ['track a number', { image: 'a/b:2.0', track: 5 }, 'track'], ['track empty', { image: 'a/b:2.0', track: '' }, 'track'],
  ['track with a slash', { image: 'a/b:2.0', track: 'a/b' }, 'track'], ['track stable', { image: 'a/b:2.0', track: 'stable' }, 'track'],
  ['replicas a string', { image: 'a/b:2.0', replicas: '2' }, 'replicas'], ['replicas negative', { image: 'a/b:2.0', replicas: -1 }, 'replicas'],
  ['replicas Infinity', { image: 'a/b:2.0', replicas: Infinity }, 'replicas'], ['version invalid', { image: 'a/b:2.0', version: 'v 2' }, 'version'],
  ['env a list', { image: 'a/b:2.0', env: ['A=1'] }, 'env'], ['env bad name', { image: 'a/b:2.0', env: { 'A B': 'x' } }, 'env'],
  ['args a string', { image: 'a/b:2.0', args: '--x' }, 'args'], ['disruptionBudget a number', { image: 'a/b:2.0', replicas: 3, disruptionBudget: 1 }, 'disruptionBudget'],
  ['disruptionBudget zero', { image: 'a/b:2.0', replicas: 2, disruptionBudget: DisruptionBudget.maxUnavailable(0) }, 'disruptionBudget.maxUnavailable'],
  ['unknown prop', { image: 'a/b:2.0', weight: 10 }, 'weight'],
];

describe('adversarial release tracks (addCanary / addTrack / routeTo)', () => {
  const web = () => new WebService(new Chart(Testing.app(), 'c'), 'x', { name: 'api', image: 'a/b:1.0', port: 8080, size, readiness: Probe.http('/ready'), replicas: 3, releaseTracks: true });
  test.each(trackCases.map(([what, props, field]) => [what, props, field]))('addCanary: %s', (_what, props, field) => {
    const w = web();
    expectSeaworthy(() => w.addCanary(props as never), field as string);
    expect(w.canaries).toEqual([]);
  });

  test.each([[undefined], [null], ['green'], [{}]])('routeTo(%p) is refused', track => {
    const w = web();
    w.addTrack({ track: 'blue', image: 'a/b:2.0', replicas: 3 });
    expectSeaworthy(() => w.routeTo(track as never), 'routeTo');
  });
});
