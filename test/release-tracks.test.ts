import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, diffManifests, DisruptionBudget, Env, explain, explainConstructs, Findings, Probe, renderExplanation, SeaworthyError, StatefulService, WebService } from '../src';
import { parseManifests } from '../src/manifests/load';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

/** Release tracks: a canary behind the stable Service, the split, and the manifest rules. */

const TRACK = 'seaworthy.dev/track';
const shared = { 'app.kubernetes.io/instance': 'api', 'app.kubernetes.io/name': 'api' };

function canaryApp(stable = 9, canary: Parameters<WebService['addCanary']>[0] = { image: 'ghcr.io/acme/api:1.5.0' }) {
  const { app, chart } = newChart('shop');
  const web = new WebService(chart, 'api', apiProps({ replicas: stable, releaseTracks: true }));
  const track = web.addCanary(canary);
  return { app, chart, web, track };
}

describe('WebService.addCanary: a canary behind the stable Service', () => {
  test('the notes\' canary: 9 stable + 1 canary behind one Service, each Deployment on its own track, schema-valid', () => {
    const { chart, track } = canaryApp();
    const objects = synthValid(chart);
    const stable = only(objects, 'Deployment', 'api');
    const canary = only(objects, 'Deployment', 'api-canary');
    // The Service selects what the tracks share.
    expect(only(objects, 'Service', 'api').spec.selector).toEqual(shared);
    // Each Deployment selects its own track, and its Pods carry it.
    expect(stable.spec.selector.matchLabels).toEqual({ ...shared, [TRACK]: 'stable' });
    expect(canary.spec.selector.matchLabels).toEqual({ ...shared, [TRACK]: 'canary' });
    expect(stable.spec.template.metadata.labels[TRACK]).toBe('stable');
    expect(canary.spec.template.metadata.labels).toMatchObject({ ...shared, [TRACK]: 'canary', 'app.kubernetes.io/version': '1.5.0' });
    expect(stable.spec.template.metadata.labels['app.kubernetes.io/version']).toBe('1.4.2');
    expect([stable.spec.replicas, canary.spec.replicas]).toEqual([9, 1]);
    expect(canary.spec.template.spec.containers[0].image).toBe('ghcr.io/acme/api:1.5.0');
    // One ServiceAccount, one NetworkPolicy covering both tracks.
    expect(canary.spec.template.spec.serviceAccountName).toBe('api');
    expect(objects.filter(o => o.kind === 'NetworkPolicy').map(o => o.spec.podSelector.matchLabels)).toEqual([shared]);
    // The stable budget covers the stable track only; a one-replica canary has none.
    expect(objects.filter(o => o.kind === 'PodDisruptionBudget').map(o => o.spec.selector.matchLabels)).toEqual([{ ...shared, [TRACK]: 'stable' }]);
    expect(track.podDisruptionBudget).toBeUndefined();
    expect([track.track, track.replicas]).toEqual(['canary', 1]);
  });

  test('the canary app is clean: no overlapping selectors, no Pod under two budgets, no single-replica warning for the canary', () => {
    const { app, chart } = canaryApp();
    const objects = synthValid(chart);
    expect(Findings.of(app).map(f => f.rule.id)).toEqual([]);
    expect(audit(objects.map(object => ({ object }))).filter(f => /^SW-(TRACK|REPLICAS|PDB)/.test(f.rule.id))).toEqual([]);
  });

  test('a canary of two or more replicas gets its own budget on its own track', () => {
    const { chart, track } = canaryApp(6, { image: 'ghcr.io/acme/api:1.5.0', replicas: 2, track: 'preview', disruptionBudget: DisruptionBudget.maxUnavailable(1) });
    const objects = synthValid(chart);
    expect(only(objects, 'PodDisruptionBudget', 'api-preview-pdb').spec.selector.matchLabels).toEqual({ ...shared, [TRACK]: 'preview' });
    expect(only(objects, 'Deployment', 'api-preview').spec.replicas).toBe(2);
    expect(track.peakPods).toBe(3);
    expect(audit(objects.map(object => ({ object }))).filter(f => /^SW-TRACK/.test(f.rule.id))).toEqual([]);
  });

  test('the canary takes env and args overrides and keeps the rest of the Pod', () => {
    const { chart } = canaryApp(9, { image: 'ghcr.io/acme/api:1.5.0', env: { FEATURE_X: Env.value('on') }, args: ['--canary'] });
    const c = only(synthValid(chart), 'Deployment', 'api-canary').spec.template.spec.containers[0];
    expect(c.env).toEqual([{ name: 'FEATURE_X', value: 'on' }]);
    expect(c.args).toEqual(['--canary']);
    expect(c.readinessProbe.httpGet.path).toBe('/ready');
    expect(c.resources.limits).toMatchObject({ cpu: '500m', memory: '512Mi' });
  });

  test('peakPods counts the tracks (quota math); grants reach the tracks\' Pods', () => {
    const { chart, web } = canaryApp();
    expect(web.peakPods).toBe(9 + 1 + 1 + 1);
    web.grantReadConfigMaps('flags');
    expect(only(synthValid(chart), 'Deployment', 'api-canary').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  test('explain shows the split for the Service fronting both tracks', () => {
    const { chart } = canaryApp();
    const items = explainConstructs(chart);
    const stable = items.find(i => i.ref === 'Deployment/shop/api')!;
    const canary = items.find(i => i.ref === 'Deployment/shop/api-canary')!;
    expect(stable.traffic).toBe('Service/shop/api: 90% here (9 of 10 Pods; Deployment/shop/api-canary 1)');
    expect(canary.traffic).toBe('Service/shop/api: 10% here (1 of 10 Pods; Deployment/shop/api 9)');
    expect(canary.facts.trafficShares).toEqual([{ service: 'Service/shop/api', pods: 1, total: 10, others: ['Deployment/shop/api 9'], autoscaled: false }]);
    expect(renderExplanation([canary], false)).toContain('  Traffic      Service/shop/api: 10% here');
    // A workload alone behind its Service has no traffic row.
    const { chart: alone } = newChart('shop');
    new WebService(alone, 'api', apiProps());
    const single = explainConstructs(alone)[0];
    expect(single.traffic).toBeUndefined();
    expect(renderExplanation([single], false)).not.toContain('Traffic');
  });

  test('turning releaseTracks on changes the stable Deployment\'s immutable selector once (SW-DIFF-001); canaries coming and going never do', () => {
    const { chart: before } = newChart('shop');
    new WebService(before, 'api', apiProps({ replicas: 9 }));
    const { chart: prepared } = newChart('shop');
    new WebService(prepared, 'api', apiProps({ replicas: 9, releaseTracks: true }));
    const d = (a: KubeObject[], b: KubeObject[]) => diffManifests(a.map(object => ({ object })), b.map(object => ({ object }))).consequences.filter(c => c.rule.id === 'SW-DIFF-001').map(c => c.object);
    expect(d(synthValid(before), synthValid(prepared))).toEqual(['Deployment/shop/api']);
    // The prepared Deployment already selects its track: adding a canary, a second one, and removing them all leave it alone.
    const { chart: withCanary } = canaryApp();
    const second = canaryApp();
    second.web.addCanary({ image: 'ghcr.io/acme/api:1.6.0', track: 'canary-b' });
    expect(d(synthValid(prepared), synthValid(withCanary))).toEqual([]);
    expect(d(synthValid(withCanary), synthValid(second.chart))).toEqual([]);
    expect(d(synthValid(second.chart), synthValid(prepared))).toEqual([]);
  });

  test('a canary without releaseTracks is refused before anything changes (SW-TRACK-003)', () => {
    const { chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps({ replicas: 9 }));
    const e = thrownBy(() => web.addCanary({ image: 'ghcr.io/acme/api:1.5.0' })) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-TRACK-003']);
    expect(e.findings[0].field).toBe('releaseTracks');
    expect(e.message).toMatch(/immutable/);
    expect(web.canaries).toEqual([]);
    expect(only(synthValid(chart), 'Deployment', 'api').spec.selector.matchLabels[TRACK]).toBeUndefined();
  });

  test('a grant given after the canary mounts the token in the canary too (grant and grantClusterWide alike)', () => {
    const { chart, web } = canaryApp();
    web.grantReadConfigMaps('flags');
    const objects = synthValid(chart);
    expect(only(objects, 'Deployment', 'api').spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(only(objects, 'Deployment', 'api-canary').spec.template.spec.automountServiceAccountToken).toBe(true);
    const other = canaryApp();
    other.web.grantClusterWide({ apiGroup: '', resources: ['pods'], verbs: ['get', 'list', 'watch'] });
    expect(only(synthValid(other.chart), 'Deployment', 'api-canary').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  const bad: Array<[string, Record<string, unknown>, string, string]> = [
    ['track "stable"', { track: 'stable' }, 'SW-TRACK-003', 'track'],
    ['track "Canary"', { track: 'Canary' }, 'SW-TRACK-003', 'track'],
    ['a 60-character track', { track: 'c'.repeat(60) }, 'SW-TRACK-003', 'track'],
    ['replicas 0', { replicas: 0 }, 'SW-REPLICAS-001', 'replicas'],
    ['replicas 1.5', { replicas: 1.5 }, 'SW-REPLICAS-001', 'replicas'],
    ['a budget on one replica', { disruptionBudget: DisruptionBudget.maxUnavailable(1) }, 'SW-TRACK-003', 'disruptionBudget'],
    ['a budget that blocks drains', { replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) }, 'SW-PDB-001', 'disruptionBudget.minAvailable'],
    ['an unpinned image', { image: 'ghcr.io/acme/api:latest' }, 'SW-IMAGE-001', 'image'],
    ['an unknown prop', { replica: 2 }, 'SW-PROPS-002', 'replica'],
    ['env as a string', { env: 'A=1' }, 'SW-PROPS-001', 'env'],
  ];
  test.each(bad)('%s is refused', (_what, props, rule, field) => {
    const { chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps({ replicas: 9, releaseTracks: true }));
    const e = thrownBy(() => web.addCanary({ image: 'ghcr.io/acme/api:1.5.0', ...props } as never)) as SeaworthyError;
    expect(e).toBeInstanceOf(SeaworthyError);
    expect(e.ruleIds).toContain(rule);
    expect(e.findings.some(f => f.field === field)).toBe(true);
    // Nothing of the track was created; the stable Deployment keeps its own track.
    expect(web.canaries).toEqual([]);
    expect(only(synthValid(chart), 'Deployment', 'api').spec.selector.matchLabels[TRACK]).toBe('stable');
  });

  test('two tracks of one name are refused', () => {
    const { web } = canaryApp();
    expect((thrownBy(() => web.addCanary({ image: 'ghcr.io/acme/api:1.5.1' })) as SeaworthyError).ruleIds).toEqual(['SW-TRACK-003']);
  });
});

describe('blue/green: WebService.addTrack + routeTo', () => {
  test('the notes\' blue/green: the Service selector switches to the green track, and back', () => {
    const { app, chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps({ replicas: 3, releaseTracks: true }));
    const green = web.addTrack({ track: 'green', image: 'ghcr.io/acme/api:2.0.0', replicas: 3 });
    expect(web.routedTo).toBeUndefined();
    web.routeTo('green');
    const objects = synthValid(chart);
    expect(only(objects, 'Service', 'api').spec.selector).toEqual({ ...shared, [TRACK]: 'green' });
    expect(only(objects, 'Deployment', 'api-green').spec.replicas).toBe(3);
    expect(green.podDisruptionBudget).toBeDefined();
    expect(web.routedTo).toBe('green');
    expect(Findings.of(app).map(f => f.rule.id)).toEqual([]);
    // The Service fronts one track: no split to explain.
    expect(explainConstructs(chart).every(i => i.traffic === undefined)).toBe(true);
    // Switching is a Service selector change, which applies in place (no SW-DIFF-001).
    const before = objects.map(object => ({ object }));
    web.routeTo('stable');
    const after = synthValid(chart);
    expect(only(after, 'Service', 'api').spec.selector).toEqual({ ...shared, [TRACK]: 'stable' });
    expect(diffManifests(before, after.map(object => ({ object }))).consequences.filter(c => c.rule.id === 'SW-DIFF-001')).toEqual([]);
  });

  test('routing to a single-replica track warns that the Service rests on one Pod (SW-REPLICAS-002)', () => {
    const { chart, web } = canaryApp();
    web.routeTo('canary');
    const found = audit(synthValid(chart).map(object => ({ object }))).filter(f => f.rule.id === 'SW-REPLICAS-002').map(f => f.object);
    expect(found).toEqual(['Deployment/shop/api-canary']);
  });

  test('routeTo before any track is refused: the stable Pods carry no track label yet (SW-TRACK-003)', () => {
    const { chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps());
    expect((thrownBy(() => web.routeTo('stable')) as SeaworthyError).ruleIds).toEqual(['SW-TRACK-003']);
    expect(only(synthValid(chart), 'Service', 'api').spec.selector).toEqual(shared);
  });

  test.each([['blue'], [''], [42 as unknown as string]])('routeTo(%p), not a track of the workload, is refused (SW-TRACK-003)', track => {
    const { web } = canaryApp();
    const e = thrownBy(() => web.routeTo(track)) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-TRACK-003']);
    expect(e.findings[0].field).toBe('routeTo');
    expect(web.routedTo).toBeUndefined();
  });
});

/** Two Deployments of the Kubernetes docs' canary example, as YAML. */
function manifests(stableSelector: string, canarySelector: string, extra = ''): KubeObject[] {
  const dep = (name: string, selector: string, track: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: ${selector} }
  template:
    metadata: { labels: { app: guestbook, track: ${track} } }
    spec: { containers: [{ name: app, image: "gb:1" }] }
`;
  const text = [dep('guestbook', stableSelector, 'stable'), dep('guestbook-canary', canarySelector, 'canary'), extra].filter(Boolean).join('---\n');
  return parseManifests('tracks.yaml', text).inputs.map(i => i.object as KubeObject);
}
const ids = (objects: KubeObject[], prefix = 'SW-TRACK') => audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith(prefix)).map(f => `${f.rule.id} ${f.object}`);

describe('release-track manifest rules (SW-TRACK-001, SW-TRACK-002)', () => {
  test('a stable Deployment selecting only the app also selects the canary\'s Pods (SW-TRACK-001)', () => {
    expect(ids(manifests('{ app: guestbook }', '{ app: guestbook, track: canary }'))).toEqual(['SW-TRACK-001 Deployment/shop/guestbook']);
    const f = audit(manifests('{ app: guestbook }', '{ app: guestbook, track: canary }').map(object => ({ object }))).find(x => x.rule.id === 'SW-TRACK-001')!;
    expect(f.problem).toContain('Deployment/shop/guestbook-canary');
    expect(f.field).toBe('spec.selector');
  });

  test('selectors with the track each (the docs\' recipe) pass', () => {
    expect(ids(manifests('{ app: guestbook, track: stable }', '{ app: guestbook, track: canary }'))).toEqual([]);
  });

  test('matchExpressions are honoured, and other namespaces and managed ReplicaSets are not compared', () => {
    expect(ids(manifests('{ app: guestbook }, matchExpressions: [{ key: track, operator: NotIn, values: [canary] }]', '{ app: guestbook, track: canary }'))).toEqual([]);
    const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: guestbook-5d8f, namespace: shop, ownerReferences: [{ apiVersion: apps/v1, kind: Deployment, name: guestbook, uid: u1, controller: true }] }
spec:
  replicas: 3
  selector: { matchLabels: { app: guestbook, track: stable, pod-template-hash: 5d8f } }
  template:
    metadata: { labels: { app: guestbook, track: stable, pod-template-hash: 5d8f } }
    spec: { containers: [{ name: app, image: "gb:1" }] }
`;
    expect(ids(manifests('{ app: guestbook, track: stable }', '{ app: guestbook, track: canary }', rs))).toEqual([]);
    const other = manifests('{ app: guestbook }', '{ app: guestbook, track: canary }');
    other[1] = { ...other[1], metadata: { ...other[1].metadata, namespace: 'other' } };
    expect(ids(other)).toEqual([]);
  });

  test('the same rule runs at synth: two constructs of one name and instance select each other\'s Pods (SW-TRACK-001)', () => {
    const { app, chart } = newChart('shop');
    new WebService(chart, 'api', apiProps());
    new StatefulService(chart, 'db', { name: 'api', image: 'postgres:16.4', port: 5432, portName: 'postgres', size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }, readiness: Probe.exec(['pg_isready']) });
    const found = Findings.of(app).filter(f => f.rule.id === 'SW-TRACK-001');
    expect(found.map(f => f.path).sort()).toEqual(['test/api', 'test/db']);
    expect(found[0].message).toMatch(/^SW-TRACK-001 \[test\/(api|db)\] (Deployment|StatefulSet)\/shop\/api spec.selector = /);
  });

  test('a Pod covered by two PodDisruptionBudgets is reported (SW-TRACK-002); one budget per track passes', () => {
    const pdb = (name: string, selector: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: ${name}, namespace: shop }
spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: AlwaysAllow, selector: { matchLabels: ${selector} } }
`;
    const sel = ['{ app: guestbook, track: stable }', '{ app: guestbook, track: canary }'] as const;
    const overlapping = manifests(...sel, [pdb('all', '{ app: guestbook }'), pdb('canary', '{ app: guestbook, track: canary }')].join('---\n'));
    expect(ids(overlapping)).toEqual(['SW-TRACK-002 Deployment/shop/guestbook-canary']);
    expect(audit(overlapping.map(object => ({ object }))).find(f => f.rule.id === 'SW-TRACK-002')!.problem).toContain('PodDisruptionBudget/shop/all and PodDisruptionBudget/shop/canary');
    const perTrack = manifests(...sel, [pdb('stable', '{ app: guestbook, track: stable }'), pdb('canary', '{ app: guestbook, track: canary }')].join('---\n'));
    expect(ids(perTrack)).toEqual([]);
  });

  test('a single-replica canary behind a Service with the stable track is not a single point of failure (no SW-REPLICAS-002); alone it is', () => {
    const svc = `apiVersion: v1
kind: Service
metadata: { name: guestbook, namespace: shop }
spec: { selector: { app: guestbook }, ports: [{ port: 80 }] }
`;
    const objects = manifests('{ app: guestbook, track: stable }', '{ app: guestbook, track: canary }', svc);
    objects[1] = { ...objects[1], spec: { ...objects[1].spec, replicas: 1 } };
    expect(ids(objects, 'SW-REPLICAS-002')).toEqual([]);
    const lone = objects.filter(o => o.kind !== 'Service');
    expect(ids(lone, 'SW-REPLICAS-002')).toEqual(['SW-REPLICAS-002 Deployment/shop/guestbook-canary']);
    // And explain reads the split from the manifests alone.
    const canary = explain(objects.map(object => ({ object }))).find(i => i.ref === 'Deployment/shop/guestbook-canary')!;
    expect(canary.traffic).toBe('Service/shop/guestbook: 25% here (1 of 4 Pods; Deployment/shop/guestbook 3)');
  });
});
