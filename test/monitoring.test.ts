import { ApiObject, App, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AlertSeverity, audit, BarePod, BatchJob, CronTask, DefaultAlert, NodeAgent, Peer, Probe, Prometheus, SeaworthyError, Severity, StatefulService,
  synthesize, Tenant, WebService, Worker,
} from '../src';
import { defaultAlerts } from '../src/monitoring/alerts';
import { KUBE_STATE_METRICS, TARGET_LABELS } from './fixtures/kube-state-metrics';
import { schemaErrors } from './support/k8s-schema';
import { analyzePromql } from './support/promql';
import { KubeObject, thrownBy } from './support/synth';

/**
 * Monitoring as part of a workload (issue 27, item 1): ServiceMonitor or PodMonitor, the
 * NetworkPolicy opened to the scraper, the default alerts as a PrometheusRule, the rules that
 * check a monitor's port and path (SW-MON-*), at synthesis and on YAML written by others.
 */

const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
const metrics = [{ name: 'metrics', port: 9090 }];

function shop(app: App = Testing.app(), props: Partial<ConstructorParameters<typeof Tenant>[2]> = {}): Tenant {
  return new Tenant(app, 'shop', { name: 'shop', ...props });
}

function api(scope: Tenant, extra: Record<string, unknown> = {}): WebService {
  return new WebService(scope, 'api', { name: 'api', image: 'ghcr.io/acme/api:1.0.0', port: 8080, extraPorts: metrics, size, replicas: 2, readiness: Probe.http('/ready'), ...extra });
}

function objectsOf(app: App): KubeObject[] {
  const objects = synthesize(app).flatMap(m => m.objects as KubeObject[]);
  expect(schemaErrors(objects, '1.35')).toEqual([]);
  return objects;
}

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const o = objects.find(x => x.kind === kind && x.metadata?.name === name);
  if (!o) throw new Error(`no ${kind}/${name} among ${objects.map(x => `${x.kind}/${x.metadata?.name}`).join(', ')}`);
  return o;
}

function ruleIds(build: () => unknown): string[] {
  const e = thrownBy(build);
  expect(e).toBeInstanceOf(SeaworthyError);
  return (e as SeaworthyError).ruleIds;
}

describe('monitoring a WebService', () => {
  test('a ServiceMonitor on the metrics port, the scraper admitted, alerts in a PrometheusRule, no scrape annotations', () => {
    const app = Testing.app();
    api(shop(app), { monitoring: { interval: Duration.seconds(30) } });
    const objects = objectsOf(app);
    const sm = find(objects, 'ServiceMonitor', 'api');
    expect(sm.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(sm.metadata.namespace).toBe('shop');
    expect(sm.spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'api', 'app.kubernetes.io/name': 'api' } },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '30s' }],
    });
    // The Service the selector matches has the port, by name.
    const svc = find(objects, 'Service', 'api');
    expect(svc.metadata.labels).toMatchObject(sm.spec.selector.matchLabels);
    expect(svc.spec.ports.map((p: KubeObject) => p.name)).toContain('metrics');
    // The NetworkPolicy admits the Prometheus Pods on 9090.
    const netpol = find(objects, 'NetworkPolicy', 'api-netpol');
    expect(netpol.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
      ports: [{ port: 9090, protocol: 'TCP' }],
    });
    // One scrape declaration: the Pods carry no prometheus.io/* annotations.
    const annotations = find(objects, 'Deployment', 'api').spec.template.metadata.annotations ?? {};
    expect(Object.keys(annotations).filter(k => k.startsWith('prometheus.io/'))).toEqual([]);
    const rule = find(objects, 'PrometheusRule', 'api-alerts');
    expect(rule.spec.groups).toHaveLength(1);
    expect(rule.spec.groups[0].rules.map((r: KubeObject) => r.alert)).toEqual(['PodNotReady', 'ContainerCrashLooping', 'RolloutStuck', 'BelowDisruptionBudget']);
    expect(rule.spec.groups[0].rules[0]).toMatchObject({ for: '15m', labels: { severity: 'warning', namespace: 'shop', workload: 'api', workload_kind: 'Deployment' } });
    expect(rule.spec.groups[0].rules[3].labels.severity).toBe('critical');
    // The whole set passes the audit, the monitor checks included.
    expect(audit(objects.map(object => ({ object }))).filter(f => f.severity === Severity.ERROR).map(f => f.message)).toEqual([]);
  });

  test('without monitoring a "metrics" port keeps the prometheus.io annotations (unchanged behaviour)', () => {
    const app = Testing.app();
    api(shop(app));
    const objects = objectsOf(app);
    expect(find(objects, 'Deployment', 'api').spec.template.metadata.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090' });
    expect(objects.some(o => o.kind === 'ServiceMonitor' || o.kind === 'PrometheusRule')).toBe(false);
  });

  test('addMonitor() renders what the prop renders', () => {
    const viaProp = Testing.app();
    api(shop(viaProp), { monitoring: { alerts: { labels: { team: 'shop' } } } });
    const viaMethod = Testing.app();
    api(shop(viaMethod)).addMonitor({ alerts: { labels: { team: 'shop' } } });
    expect(objectsOf(viaMethod)).toEqual(objectsOf(viaProp));
  });

  test('a metrics port kept off the Service is scraped through the Service by targetPort', () => {
    const app = Testing.app();
    api(shop(app), { extraPorts: [{ name: 'metrics', port: 9090, expose: false }], monitoring: {} });
    const objects = objectsOf(app);
    expect(find(objects, 'ServiceMonitor', 'api').spec.endpoints).toEqual([{ targetPort: 'metrics', path: '/metrics' }]);
    expect(audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith('SW-MON'))).toEqual([]);
  });

  test('canaries are scraped by the same monitor and lose the annotations too', () => {
    const app = Testing.app();
    const web = api(shop(app), { releaseTracks: true, monitoring: {} });
    web.addCanary({ image: 'ghcr.io/acme/api:1.1.0' });
    const objects = objectsOf(app);
    const canary = find(objects, 'Deployment', 'api-canary');
    expect(Object.keys(canary.spec.template.metadata.annotations ?? {}).filter(k => k.startsWith('prometheus.io/'))).toEqual([]);
  });

  test('the Tenant\'s Prometheus: its Pods admitted, its selector labels on monitor and rule', () => {
    const app = Testing.app();
    const prometheus = Prometheus.of({ pods: Peer.pods({ 'app.kubernetes.io/name': 'prometheus', 'prometheus': 'k8s' }, 'observability'), selectorLabels: { release: 'kube-prometheus-stack' } });
    api(shop(app, { prometheus }), { monitoring: {} });
    const objects = objectsOf(app);
    expect(find(objects, 'ServiceMonitor', 'api').metadata.labels.release).toBe('kube-prometheus-stack');
    expect(find(objects, 'PrometheusRule', 'api-alerts').metadata.labels.release).toBe('kube-prometheus-stack');
    expect(JSON.stringify(find(objects, 'NetworkPolicy', 'api-netpol').spec.ingress)).toContain('observability');
  });
});

describe('monitoring the other workloads', () => {
  test('a Worker gets a PodMonitor', () => {
    const app = Testing.app();
    new Worker(shop(app), 'w', { name: 'orders', image: 'ghcr.io/acme/w:1.0.0', size, replicas: 2, extraPorts: metrics, liveness: Probe.tcp({ portName: 'metrics' }), monitoring: { path: '/stats' } });
    const objects = objectsOf(app);
    expect(find(objects, 'PodMonitor', 'orders').spec).toEqual({
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'orders', 'app.kubernetes.io/name': 'orders' } },
      podMetricsEndpoints: [{ port: 'metrics', path: '/stats' }],
    });
    expect(find(objects, 'PrometheusRule', 'orders-alerts').spec.groups[0].rules.map((r: KubeObject) => r.alert)).toEqual(['PodNotReady', 'ContainerCrashLooping', 'RolloutStuck', 'BelowDisruptionBudget']);
  });

  test('a StatefulService is scraped through its client Service only (the headless one selects the same Pods)', () => {
    const app = Testing.app();
    new StatefulService(shop(app), 'db', { name: 'db', image: 'postgres:16.4', port: 5432, portName: 'postgres', extraPorts: metrics, size, replicas: 3, readiness: Probe.tcp(), monitoring: {} });
    const sm = find(objectsOf(app), 'ServiceMonitor', 'db');
    expect(sm.spec.endpoints[0].relabelings).toEqual([{ sourceLabels: ['__meta_kubernetes_service_name'], regex: 'db', action: 'keep' }]);
    const headlessOnly = Testing.app();
    new StatefulService(shop(headlessOnly), 'db', { name: 'db', image: 'postgres:16.4', port: 5432, extraPorts: metrics, size, replicas: 3, readiness: Probe.tcp(), clientService: false, monitoring: {} });
    expect(find(objectsOf(headlessOnly), 'ServiceMonitor', 'db').spec.endpoints[0].relabelings).toBeUndefined();
  });

  test('a NodeAgent gets a PodMonitor and the DaemonSet alerts', () => {
    const app = Testing.app();
    new NodeAgent(shop(app), 'agent', { name: 'agent', image: 'ghcr.io/acme/agent:1.0.0', size, extraPorts: metrics, metricsPath: '/api/metrics', monitoring: {} });
    const objects = objectsOf(app);
    expect(find(objects, 'PodMonitor', 'agent').spec.podMetricsEndpoints).toEqual([{ port: 'metrics', path: '/api/metrics' }]);
    expect(find(objects, 'PrometheusRule', 'agent-alerts').spec.groups[0].rules.map((r: KubeObject) => r.alert)).toEqual(['PodNotReady', 'ContainerCrashLooping']);
  });

  test('a BatchJob and a CronTask get alerts only, unless they ask to be scraped', () => {
    const app = Testing.app();
    const tenant = shop(app);
    new BatchJob(tenant, 'migrate', { name: 'migrate', image: 'ghcr.io/acme/api:1.0.0', size, monitoring: {} });
    new CronTask(tenant, 'report', { name: 'report', image: 'ghcr.io/acme/report:1.0.0', size, schedule: '30 2 * * *', monitoring: {} });
    new CronTask(tenant, 'export', { name: 'export', image: 'ghcr.io/acme/export:1.0.0', size, schedule: '@hourly', extraPorts: metrics, monitoring: { scrape: true } });
    const objects = objectsOf(app);
    expect(objects.filter(o => o.kind === 'PodMonitor').map(o => o.metadata.name)).toEqual(['export']);
    expect(find(objects, 'PrometheusRule', 'migrate-alerts').spec.groups[0].rules.map((r: KubeObject) => r.alert)).toEqual(['JobFailed']);
    const cron = find(objects, 'PrometheusRule', 'report-alerts').spec.groups[0].rules;
    expect(cron.map((r: KubeObject) => r.alert)).toEqual(['JobFailed', 'CronJobScheduleMissed']);
    // startingDeadline (5 min by default) plus a minute.
    expect(cron[1].expr).toContain('> 360 unless');
  });

  test('alerts can be tuned and turned off', () => {
    const app = Testing.app();
    const tenant = shop(app);
    api(tenant, { monitoring: { alerts: { notReadyFor: Duration.minutes(5), disable: [DefaultAlert.ROLLOUT_STUCK], severity: AlertSeverity.CRITICAL, labels: { team: 'shop' } } } });
    new Worker(tenant, 'w', { name: 'quiet', image: 'ghcr.io/acme/w:1.0.0', size, replicas: 2, extraPorts: metrics, liveness: Probe.tcp({ portName: 'metrics' }), monitoring: { alerts: { enabled: false } } });
    const objects = objectsOf(app);
    const rules = find(objects, 'PrometheusRule', 'api-alerts').spec.groups[0].rules;
    expect(rules.map((r: KubeObject) => r.alert)).toEqual(['PodNotReady', 'ContainerCrashLooping', 'BelowDisruptionBudget']);
    expect(rules[0]).toMatchObject({ for: '5m', labels: { severity: 'critical', team: 'shop' } });
    expect(objects.some(o => o.kind === 'PrometheusRule' && o.metadata.name === 'quiet-alerts')).toBe(false);
    expect(find(objects, 'PodMonitor', 'quiet')).toBeDefined();
  });
});

describe('monitoring props that are refused', () => {
  test('SW-MON-001: a port the workload does not declare', () => {
    expect(ruleIds(() => api(shop(), { extraPorts: undefined, monitoring: {} }))).toEqual(['SW-MON-001']);
    const e = thrownBy(() => api(shop(), { monitoring: { port: 'prom' } }));
    expect(e.message).toContain('SW-MON-001 [shop/api] monitoring.port = "prom": is not a port of the workload\'s containers (http, metrics)');
  });

  test('SW-MON-003: path, interval, alert timings, alert names and labels, settings that need scraping, no namespace', () => {
    expect(ruleIds(() => api(shop(), { monitoring: { path: 'metrics', interval: Duration.millis(1500) } }))).toEqual(['SW-MON-003', 'SW-MON-003']);
    expect(ruleIds(() => api(shop(), { monitoring: { alerts: { notReadyFor: Duration.millis(10), disable: ['Nope'], labels: { severity: 'page', 'team-name': 'x' } } } }))).toEqual(['SW-MON-003', 'SW-MON-003', 'SW-MON-003', 'SW-MON-003']);
    expect(ruleIds(() => new BatchJob(shop(), 'j', { name: 'j', image: 'ghcr.io/acme/j:1.0.0', size, monitoring: { port: 'metrics' } }))).toEqual(['SW-MON-003']);
    const app = Testing.app();
    const e = thrownBy(() => new Worker(new Chart(app, 'nons'), 'w', { name: 'w', image: 'ghcr.io/acme/w:1.0.0', size, replicas: 2, liveness: Probe.exec(['/healthcheck']), monitoring: { scrape: false } }));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-MON-003']);
    expect(e.message).toContain('the chart has no namespace');
  });

  test('SW-PROPS-001/002 for plain-JavaScript callers: unknown keys and wrong types', () => {
    expect(ruleIds(() => api(shop(), { monitoring: { intervall: Duration.seconds(30) } }))).toEqual(['SW-PROPS-002']);
    expect(ruleIds(() => api(shop(), { monitoring: { alerts: { severity: 'page', enabeld: false } } }))).toEqual(['SW-PROPS-002', 'SW-PROPS-001']);
    expect(ruleIds(() => api(shop(), { monitoring: { scrape: 'yes', prometheus: { pods: 'monitoring' } } }))).toEqual(['SW-PROPS-001', 'SW-PROPS-001']);
    expect(ruleIds(() => api(shop(), { monitoring: 'on' }))).toEqual(['SW-PROPS-001']);
    expect(ruleIds(() => shop(Testing.app(), { prometheus: Prometheus.of({ pods: Peer.pods({ 'app.kubernetes.io/name': 'prometheus' }, 'Monitoring') }) }))).toEqual(['SW-PROPS-001']);
  });

  test('SW-LABEL-004: prometheus.io annotations of your own on monitored Pods', () => {
    const e = thrownBy(() => new Worker(shop(), 'w', { name: 'w', image: 'ghcr.io/acme/w:1.0.0', size, replicas: 2, extraPorts: [{ name: 'prom', port: 9100 }], liveness: Probe.tcp({ portName: 'prom' }), podAnnotations: { 'prometheus.io/scrape': 'true' }, monitoring: { port: 'prom' } }));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-LABEL-004']);
    expect(e.message).toContain('scrape them twice');
  });

  test('SW-MON-002 at synthesis: a NetworkPolicy changed behind seaworthy\'s back no longer admits the scraper', () => {
    const app = Testing.app();
    const web = api(shop(app), { monitoring: {} });
    ApiObject.of(web.networkPolicy).addJsonPatch(JsonPatch.remove('/spec/ingress'));
    const e = thrownBy(() => app.synth());
    expect(e.message).toContain('[shop/api] SW-MON-002 [shop/api] ServiceMonitor/shop/api spec.endpoints[0] = "metrics": no NetworkPolicy admits the scraper (Pods {"app.kubernetes.io/name":"prometheus"} in namespace monitoring) to Deployment/shop/api on port 9090 ("metrics")');
    // Once: the monitor's own check leaves to the manifest rule what it reports.
    expect(e.message.match(/SW-MON-002/g)).toHaveLength(1);
  });

  test('Prometheus.of() from plain JavaScript: unknown keys refused', () => {
    expect(ruleIds(() => shop(Testing.app(), { prometheus: Prometheus.of({ pod: Peer.namespace('monitoring') } as never) }))).toEqual(['SW-PROPS-002']);
  });

  test('addMonitor() once per workload, never on a bare Pod', () => {
    const web = api(shop(), { monitoring: {} });
    expect(ruleIds(() => web.addMonitor())).toEqual(['SW-MON-003']);
    const pod = new BarePod(shop(), 'pod', { name: 'debug', image: 'ghcr.io/acme/debug:1.0.0', size });
    expect(thrownBy(() => pod.addMonitor({ scrape: false })).message).toContain('a bare Pod');
  });
});

describe('the monitor checks on YAML written by others', () => {
  const labels = { app: 'api' };
  const deployment = (ports: KubeObject[]) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'api', image: 'a:1', ports }] } } } });
  const service = (name: string, ports: KubeObject[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'shop', labels }, spec: { selector: labels, ports } });
  const serviceMonitor = (endpoints: KubeObject[], annotations?: Record<string, string>) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'api', namespace: 'shop', annotations }, spec: { selector: { matchLabels: labels }, endpoints } });
  const podMonitor = (endpoints: KubeObject[]) => ({ apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', metadata: { name: 'api', namespace: 'shop' }, spec: { selector: { matchLabels: labels }, podMetricsEndpoints: endpoints } });
  const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
  const allowPrometheus = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'prom', namespace: 'shop' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ port: 9090 }] }] } };
  const scraper = { 'seaworthy.dev/scraper': JSON.stringify({ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } }) };
  const containerPorts = [{ name: 'http', containerPort: 8080 }, { name: 'metrics', containerPort: 9090 }];
  const mon = (...objects: KubeObject[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith('SW-MON')).map(f => f.message);

  test('passing: the port on the Service, on one of several Services, as a targetPort, on the Pods, an admitted scraper', () => {
    expect(mon(deployment(containerPorts), service('api', [{ name: 'metrics', port: 9090 }]), serviceMonitor([{ port: 'metrics' }], scraper), denyAll, allowPrometheus)).toEqual([]);
    expect(mon(deployment(containerPorts), service('api', [{ name: 'http', port: 80 }]), service('api-metrics', [{ name: 'metrics', port: 9090 }]), serviceMonitor([{ port: 'metrics' }]))).toEqual([]);
    expect(mon(deployment(containerPorts), service('api', [{ name: 'http', port: 80 }]), serviceMonitor([{ targetPort: 'metrics' }, { targetPort: 9090 }]))).toEqual([]);
    expect(mon(deployment(containerPorts), podMonitor([{ port: 'metrics' }, { portNumber: 9090 }]))).toEqual([]);
  });

  test('never an error on what is not in view: no selected Service or Pods, no declared scraper, any namespace', () => {
    expect(mon(serviceMonitor([{ port: 'metrics' }]))).toEqual([]);
    expect(mon(podMonitor([{ port: 'metrics' }]))).toEqual([]);
    // Isolated, but the scraper is not named on the monitor: the path cannot be judged.
    expect(mon(deployment(containerPorts), service('api', [{ name: 'metrics', port: 9090 }]), serviceMonitor([{ port: 'metrics' }]), denyAll)).toEqual([]);
    expect(mon(deployment(containerPorts), service('api', [{ name: 'http', port: 80 }]), { ...serviceMonitor([{ port: 'metrics' }]), spec: { selector: { matchLabels: labels }, namespaceSelector: { any: true }, endpoints: [{ port: 'metrics' }] } })).toEqual([]);
  });

  test('SW-MON-001: no selected Service or Pod has the port', () => {
    expect(mon(deployment(containerPorts), service('api', [{ name: 'http', port: 80 }]), serviceMonitor([{ port: 'metrics' }]))).toEqual([
      expect.stringContaining('SW-MON-001 [ServiceMonitor/shop/api] spec.endpoints[0].port = "metrics": is not a port name of the selected Service shop/api (http)'),
    ]);
    expect(mon(deployment(containerPorts), service('api', [{ name: 'http', port: 80 }]), serviceMonitor([{ targetPort: 'prom' }]))).toEqual([expect.stringContaining('SW-MON-001')]);
    expect(mon(deployment([{ name: 'http', containerPort: 8080 }]), podMonitor([{ port: 'metrics' }]))).toEqual([
      expect.stringContaining('spec.podMetricsEndpoints[0].port = "metrics": is not a container port of the selected Pods (Deployment/shop/api: http=8080)'),
    ]);
  });

  test('SW-MON-002: the Pods are isolated and nothing admits the declared scraper on the port', () => {
    expect(mon(deployment(containerPorts), service('api', [{ name: 'metrics', port: 9090 }]), serviceMonitor([{ port: 'metrics' }], scraper), denyAll)).toEqual([
      expect.stringContaining('SW-MON-002 [ServiceMonitor/shop/api] spec.endpoints[0] = "metrics": no NetworkPolicy admits the scraper (Pods {"app.kubernetes.io/name":"prometheus"} in namespace monitoring) to Deployment/shop/api on port 9090 ("metrics") (isolated by deny)'),
    ]);
  });

  test('a monitor of another API group is not judged', () => {
    expect(mon(deployment(containerPorts), service('api', [{ name: 'http', port: 80 }]), { ...serviceMonitor([{ port: 'metrics' }]), apiVersion: 'example.com/v1' })).toEqual([]);
  });
});

describe('the default alerts against kube-state-metrics', () => {
  const FUNCTIONS = ['max', 'max_over_time', 'label_replace', 'time'];
  const targets = [
    { kind: 'Deployment' as const, name: 'api', budget: 'api-pdb', progressDeadlineSeconds: 600 },
    { kind: 'StatefulSet' as const, name: 'db', budget: 'db-pdb' },
    { kind: 'DaemonSet' as const, name: 'agent' },
    { kind: 'Job' as const, name: 'migrate-4-2-0' },
    { kind: 'CronJob' as const, name: 'nightly-report', startingDeadlineSeconds: 300 },
  ];
  const all = targets.flatMap(t => defaultAlerts({ ...t, namespace: 'shop' }, { notReadySeconds: 900, disabled: [], labels: {} }).map(a => ({ target: t, alert: a })));

  test('every kind has its alerts', () => {
    expect(all.map(a => `${a.target.kind}:${a.alert.alert}`)).toEqual([
      'Deployment:PodNotReady', 'Deployment:ContainerCrashLooping', 'Deployment:RolloutStuck', 'Deployment:BelowDisruptionBudget',
      'StatefulSet:PodNotReady', 'StatefulSet:ContainerCrashLooping', 'StatefulSet:BelowDisruptionBudget',
      'DaemonSet:PodNotReady', 'DaemonSet:ContainerCrashLooping',
      'Job:JobFailed',
      'CronJob:JobFailed', 'CronJob:CronJobScheduleMissed',
    ]);
  });

  test.each(all.map(a => [`${a.target.kind} ${a.alert.alert}`, a] as const))('%s parses as PromQL and reads only kube-state-metrics metrics and labels', (_label, { target, alert }) => {
    const a = analyzePromql(alert.expr);
    expect(a.errors).toEqual([]);
    expect(a.selectors.length).toBeGreaterThan(0);
    for (const s of a.selectors) {
      const metric = KUBE_STATE_METRICS[s.metric];
      expect([s.metric, metric?.status]).toEqual([s.metric, 'STABLE']);
      for (const m of s.matchers) expect([s.metric, metric.labels]).toEqual([s.metric, expect.arrayContaining([m.label])]);
      // Every selector is confined to the workload's namespace.
      expect(s.matchers).toContainEqual({ label: 'namespace', op: '=', value: 'shop' });
    }
    // Grouping and matching clauses name labels the selected metrics have, or label_replace creates.
    const available = new Set([...a.selectors.flatMap(s => KUBE_STATE_METRICS[s.metric].labels), ...a.createdLabels, ...TARGET_LABELS]);
    for (const l of a.groupingLabels) expect([l, available.has(l)]).toEqual([l, true]);
    for (const f of a.functions) expect(FUNCTIONS).toContain(f);
    // The workload is selected by name: directly, as the owner, or through its disruption budget.
    const names = a.selectors.flatMap(s => s.matchers.filter(m => ['deployment', 'job_name', 'cronjob', 'owner_name', 'poddisruptionbudget'].includes(m.label)).map(m => m.value));
    expect(names.length).toBeGreaterThan(0);
    expect(names.every(n => n === target.name || n === `${target.name}-pdb`)).toBe(true);
  });

  test('a parse error is caught (the checker is not vacuous)', () => {
    expect(analyzePromql('max by (namespace (kube_pod_owner{namespace="shop"}').errors.length).toBeGreaterThan(0);
    expect(analyzePromql('kube_pod_owner{namespace="shop", owner_name="a"}').selectors).toEqual([{ metric: 'kube_pod_owner', matchers: [{ label: 'namespace', op: '=', value: 'shop' }, { label: 'owner_name', op: '=', value: 'a' }] }]);
  });
});
