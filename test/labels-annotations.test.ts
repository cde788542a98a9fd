import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { audit, BarePod, BatchJob, CronTask, Findings, NodeAgent, Probe, SeaworthyError, StatefulService, WebService, Worker } from '../src';
import { parseManifests } from '../src/manifests/load';
import { apiProps } from './support/props';
import { KubeObject, newChart, synthValid, thrownBy } from './support/synth';

/** Labels and annotations of your own on every workload. */

const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
const own = {
  labels: { team: 'payments', 'example.com/cost-center': 'cc-42' },
  annotations: { 'example.com/runbook': 'https://runbooks.example.com/api' },
  podLabels: { 'sidecar.istio.io/inject': 'false' },
  podAnnotations: { 'instrumentation.opentelemetry.io/inject-java': 'true' },
};

type Make = (scope: Construct, extra: Record<string, unknown>) => unknown;
const workloads: Record<string, Make> = {
  WebService: (s, p) => new WebService(s, 'x', { ...apiProps(), ...p } as never),
  Worker: (s, p) => new Worker(s, 'x', { name: 'worker', image: 'a/b:1.0', size, liveness: Probe.exec(['true']), ...p } as never),
  StatefulService: (s, p) => new StatefulService(s, 'x', { name: 'db', image: 'a/b:1.0', port: 5432, size, readiness: Probe.tcp(), replicas: 3, ...p } as never),
  NodeAgent: (s, p) => new NodeAgent(s, 'x', { name: 'agent', image: 'a/b:1.0', size, ...p } as never),
  BatchJob: (s, p) => new BatchJob(s, 'x', { name: 'job', image: 'a/b:1.0', size, activeDeadline: Duration.minutes(10), ...p } as never),
  CronTask: (s, p) => new CronTask(s, 'x', { name: 'cron', image: 'a/b:1.0', size, schedule: '0 3 * * *', ...p } as never),
  BarePod: (s, p) => new BarePod(s, 'x', { name: 'pod', image: 'a/b:1.0', size, ...p } as never),
};

/** The Pod template's metadata of a rendered workload object (or the Pod's own). */
function podMeta(o: KubeObject): KubeObject | undefined {
  if (o.kind === 'Pod') return o.metadata;
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.metadata;
  return o.spec?.template?.metadata;
}

describe('labels and annotations of your own', () => {
  test.each(Object.keys(workloads))('%s: object labels and annotations on every object, Pod ones on the Pods, selectors unchanged', kind => {
    const { chart } = newChart('shop');
    workloads[kind](chart, own);
    const objects = synthValid(chart);
    for (const o of objects) {
      expect([o.kind, o.metadata.labels.team]).toEqual([o.kind, 'payments']);
      expect(o.metadata.labels['example.com/cost-center']).toBe('cc-42');
      expect(o.metadata.annotations['example.com/runbook']).toBe('https://runbooks.example.com/api');
      // Never in a selector.
      const selectors = [o.spec?.selector, o.spec?.podSelector, o.spec?.selector?.matchLabels].filter(Boolean);
      for (const sel of selectors) expect(JSON.stringify(sel)).not.toMatch(/team|cost-center|istio/);
    }
    const pods = objects.map(podMeta).filter((m): m is KubeObject => m !== undefined);
    expect(pods.length).toBe(1);
    expect(pods[0].labels).toMatchObject({ 'team': 'payments', 'example.com/cost-center': 'cc-42', 'sidecar.istio.io/inject': 'false' });
    expect(pods[0].annotations['instrumentation.opentelemetry.io/inject-java']).toBe('true');
    // Pod-only metadata stays off the other objects.
    for (const o of objects.filter(x => x.kind !== 'Pod')) {
      expect(o.metadata.labels['sidecar.istio.io/inject']).toBeUndefined();
      expect(o.metadata.annotations['instrumentation.opentelemetry.io/inject-java']).toBeUndefined();
    }
    if (kind !== 'BarePod') expect(pods[0].annotations['example.com/runbook']).toBeUndefined();
  });

  test('the notes\' example (an OpenTelemetry-instrumented Java service of the payments team) is schema-valid and audit clean of the new rules', () => {
    const { app, chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({ labels: { team: 'payments' }, podAnnotations: { 'instrumentation.opentelemetry.io/inject-java': 'true' } }));
    const objects = synthValid(chart);
    const dep = objects.find(o => o.kind === 'Deployment')!;
    expect(dep.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/instance': 'api', 'app.kubernetes.io/name': 'api' });
    expect(dep.spec.template.metadata.annotations).toEqual({ 'instrumentation.opentelemetry.io/inject-java': 'true' });
    expect(Findings.of(app).filter(f => /^SW-LABEL-00[345]$/.test(f.rule.id))).toEqual([]);
    expect(audit(objects.map(object => ({ object }))).filter(f => /^SW-LABEL/.test(f.rule.id))).toEqual([]);
  });

  test('owner and description annotations stay, next to yours, and go on the Pods as before', () => {
    const { chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({ owner: 'team-payments', annotations: { 'example.com/tier': 'gold' }, podAnnotations: { 'example.com/pod': 'y' } }));
    const dep = synthValid(chart).find(o => o.kind === 'Deployment')!;
    expect(dep.metadata.annotations).toEqual({ 'a8r.io/owner': 'team-payments', 'example.com/tier': 'gold' });
    expect(dep.spec.template.metadata.annotations).toEqual({ 'a8r.io/owner': 'team-payments', 'example.com/pod': 'y' });
  });

  const refused: Array<[string, string, unknown, string]> = [
    ['labels', 'app.kubernetes.io/name', 'x', 'SW-LABEL-004'],
    ['labels', 'app.kubernetes.io/version', '2', 'SW-LABEL-004'],
    ['podLabels', 'seaworthy.dev/track', 'canary', 'SW-LABEL-004'],
    ['annotations', 'seaworthy.dev/waivers', '[]', 'SW-LABEL-004'],
    ['annotations', 'config.seaworthy.dev/x', 'y', 'SW-LABEL-004'],
    ['annotations', 'a8r.io/owner', 'me', 'SW-LABEL-004'],
    ['podAnnotations', 'a8r.io/description', 'd', 'SW-LABEL-004'],
    ['labels', 'bad key', 'x', 'SW-LABEL-003'],
    ['labels', 'Example.com/team', 'x', 'SW-LABEL-003'],
    ['labels', `${'a'.repeat(64)}`, 'x', 'SW-LABEL-003'],
    ['annotations', `${'a'.repeat(250)}.com/${'b'.repeat(10)}`, 'x', 'SW-LABEL-003'],
    ['podAnnotations', '/x', 'y', 'SW-LABEL-003'],
    ['labels', 'team', 'pay ments', 'SW-LABEL-001'],
    ['labels', 'team', 'x'.repeat(64), 'SW-LABEL-001'],
    ['podLabels', 'team', '-x', 'SW-LABEL-001'],
    ['labels', 'team', 42, 'SW-LABEL-001'],
    ['annotations', 'example.com/n', 42, 'SW-PROPS-001'],
  ];
  test.each(refused)('%s { %s: %p } is refused with %s', (field, key, value, rule) => {
    const e = thrownBy(() => new WebService(newChart().chart, 'api', apiProps({ [field]: { [key]: value } } as never))) as SeaworthyError;
    expect(e).toBeInstanceOf(SeaworthyError);
    expect(e.ruleIds).toEqual([rule]);
    expect(e.findings[0].field).toBe(`${field}.${key}`);
  });

  test('label values of exactly 63 characters and keys with a 253-character prefix are accepted', () => {
    const prefix = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(prefix.length).toBe(253);
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps({ labels: { [`${prefix}/${'n'.repeat(63)}`]: 'v'.repeat(63) }, podLabels: { empty: '' } }));
    expect(synthValid(chart).find(o => o.kind === 'Deployment')!.spec.template.metadata.labels.empty).toBe('');
  });

  test('prometheus.io annotations are refused on the Pods only when a "metrics" port sets them', () => {
    const withMetrics = apiProps({ extraPorts: [{ name: 'metrics', port: 9090 }] });
    const e = thrownBy(() => new WebService(newChart().chart, 'api', { ...withMetrics, podAnnotations: { 'prometheus.io/scrape': 'false' } })) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-LABEL-004']);
    expect(e.message).toContain('podAnnotations.prometheus.io/scrape');
    // Without a metrics port nothing sets them; on the objects they are never seaworthy's.
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps({ podAnnotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080' }, annotations: { 'prometheus.io/team': 'x' } }));
    expect(synthValid(chart).find(o => o.kind === 'Deployment')!.spec.template.metadata.annotations['prometheus.io/port']).toBe('8080');
  });

  test('annotations over 256 KiB per object are refused (SW-LABEL-005), the owner annotation counted', () => {
    const big = 'x'.repeat(256 * 1024 - 10);
    const e = thrownBy(() => new WebService(newChart().chart, 'api', apiProps({ owner: 'team-payments', podAnnotations: { 'example.com/blob': big } }))) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-LABEL-005']);
    expect(e.findings[0].field).toBe('podAnnotations');
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps({ podAnnotations: { 'example.com/blob': 'x'.repeat(256 * 1024 - 'example.com/blob'.length) } }));
    expect(() => synthValid(chart)).not.toThrow();
  });

  test('every invalid entry is reported at once, with the field', () => {
    const e = thrownBy(() => new Worker(newChart().chart, 'w', { name: 'w', image: 'a/b:1.0', size, liveness: Probe.exec(['true']), labels: { 'a b': 'x', 'team': 'a b' }, podAnnotations: { 'app.kubernetes.io/x': 'y' } })) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-LABEL-003', 'SW-LABEL-001', 'SW-LABEL-004']);
  });

  test('the audit checks label and annotation keys, Pod template label values and annotation size (SW-LABEL-003, -001, -005)', () => {
    const yaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  labels: { "bad key": x }
  annotations: { "example.com/ok": v, "-bad/x": z }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata:
      labels: { app: api, team: "pay ments", "UPPER.com/x": v }
      annotations: { "example.com/blob": "${'x'.repeat(256 * 1024)}" }
    spec:
      containers: [{ name: api, image: a/b:1.0 }]
`;
    const { inputs } = parseManifests('d.yaml', yaml);
    const found = audit(inputs).filter(f => /^SW-LABEL-00[135]$/.test(f.rule.id)).map(f => `${f.rule.id} ${f.field}`);
    expect(found.sort()).toEqual([
      'SW-LABEL-001 spec.template.metadata.labels.team',
      'SW-LABEL-003 metadata.annotations.-bad/x',
      'SW-LABEL-003 metadata.labels.bad key',
      'SW-LABEL-003 spec.template.metadata.labels.UPPER.com/x',
      'SW-LABEL-005 spec.template.metadata.annotations',
    ]);
    // A clean manifest passes.
    const clean = parseManifests('c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, labels: { "example.com/team": a }, annotations: { "kubectl.kubernetes.io/default-container": api } }\n');
    expect(audit(clean.inputs).filter(f => f.rule.id.startsWith('SW-LABEL-00'))).toEqual([]);
  });

  test('labels on every object reach the Ingress and the autoscaler, too', () => {
    const { chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps({ replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 5 }, labels: { team: 'payments' } }));
    web.addIngress({ host: 'api.example.com', tlsSecretName: 'api-tls' });
    const objects = synthValid(chart);
    for (const kind of ['HorizontalPodAutoscaler', 'Ingress']) expect(objects.find(o => o.kind === kind)?.metadata.labels.team).toBe('payments');
  });
});

describe('your own labels and annotations go through the secret detector at synth, as the audit would on the output', () => {
  test.each([
    ['annotations', { 'example.com/api-token': 's3cr3t!Passw0rd' }],
    ['annotations', { 'example.com/notes': 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB' }],
    ['podAnnotations', { 'example.com/aws': 'AKIAIOSFODNN7EXAMPLE' }],
  ])('%s %j is refused with SW-SECRET-002, the value redacted', (field, map) => {
    const { chart } = newChart('shop');
    const e = thrownBy(() => new WebService(chart, 'api', apiProps({ [field]: map }))) as SeaworthyError;
    expect(e).toBeInstanceOf(SeaworthyError);
    expect(e.ruleIds).toContain('SW-SECRET-002');
    expect(e.message).not.toContain(Object.values(map)[0]);
  });

  test('references under credential-like names pass at synth and in the audit (nginx auth-secret, Vault paths)', () => {
    const { app, chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({
      annotations: { 'nginx.ingress.kubernetes.io/auth-secret': 'basic-auth' },
      podAnnotations: { 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/app', 'vault.hashicorp.com/role': 'app' },
    }));
    synthValid(chart);
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-SECRET'))).toEqual([]);
  });
});
