import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, Probe, SeaworthyError, StatefulService, Tenant, WebService } from '../src';
import { limitRangeDefaults, podQuotaUsage, podTotal, QuotaPodFacts, quotaShortfalls, QuotaSpec, quotaSpecProblems } from '../src/tenancy/quota-arithmetic';
import { apiProps } from './support/props';
import { synthValid, thrownBy } from './support/synth';

/** SW-NS-002: the quota arithmetic, in the Tenant (construct path) and in the audit. */

const NS2 = 'SW-NS-002';

function tenantApp(quota: ConstructorParameters<typeof Tenant>[2]['quota']) {
  const app = Testing.app();
  const t = new Tenant(app, 'shop', { name: 'shop', quota });
  return { app, t };
}

describe('SW-NS-002 in the Tenant', () => {
  test('limits quotas are compared with limits: a Burstable peak of 6 cores of limits under limits.cpu 2 is refused', () => {
    // 3 replicas + 1 surge = 4 Pods x 1500m limits = 6000m; requests are 4 x 500m = 2000m and fit.
    const { t } = tenantApp({ cpu: kplus.Cpu.units(4), limitsCpu: kplus.Cpu.units(2), memory: Size.gibibytes(8) });
    new WebService(t, 'api', apiProps({ burst: { cpu: kplus.Cpu.millis(1500) } }));
    const e = thrownBy(() => synthValid(t));
    expect(e).toBeInstanceOf(SeaworthyError);
    expect((e as SeaworthyError).ruleIds).toEqual([NS2]);
    expect((e as SeaworthyError).findings[0].message).toBe(`SW-NS-002 [shop] quota.limits.cpu = "2": the peak of the namespace's workloads needs 6000m of limits.cpu (shop/api: 4 Pods x 1500m). Fix: ${(e as SeaworthyError).findings[0].rule.fix}.`);
  });

  test('requests quotas are compared with requests only: the same workload fits requests.cpu 2 when limits have room', () => {
    const { t } = tenantApp({ cpu: kplus.Cpu.units(2), limitsCpu: kplus.Cpu.units(6), memory: Size.gibibytes(8) });
    new WebService(t, 'api', apiProps({ burst: { cpu: kplus.Cpu.millis(1500) } }));
    expect(() => synthValid(t)).not.toThrow();
  });

  test('the peak at exactly the quota passes; one milli-core more is refused', () => {
    const exact = tenantApp({ cpu: kplus.Cpu.millis(2000), memory: Size.gibibytes(8) });
    new WebService(exact.t, 'api', apiProps());
    expect(() => synthValid(exact.t)).not.toThrow();
    const short = tenantApp({ cpu: kplus.Cpu.millis(1999), memory: Size.gibibytes(8) });
    new WebService(short.t, 'api', apiProps());
    expect(() => synthValid(short.t)).toThrow(/SW-NS-002 \[shop\] quota.requests.cpu = "1999m"[\s\S]*SW-NS-002 \[shop\] quota.limits.cpu = "1999m"/);
  });

  test('workloads of other charts in the same namespace count too, each named once in one finding per key', () => {
    const { app, t } = tenantApp({ cpu: kplus.Cpu.units(3), memory: Size.gibibytes(64) });
    new WebService(t, 'api', apiProps());
    const other = new Chart(app, 'other', { namespace: 'shop' });
    new WebService(other, 'web', apiProps({ name: 'web', replicas: 2 }));
    const e = thrownBy(() => synthValid(t)) as SeaworthyError;
    expect(e.ruleIds).toEqual([NS2, NS2]);
    expect(e.findings.map(f => f.field)).toEqual(['quota.requests.cpu', 'quota.limits.cpu']);
    expect(e.findings[0].problem).toBe('the peak of the namespace\'s workloads needs 3500m of requests.cpu (shop/api: 4 Pods x 500m; other/web: 3 Pods x 500m)');
  });

  test('object counts: Services and the claims of every StatefulSet replica', () => {
    const { t } = tenantApp({ cpu: kplus.Cpu.units(64), memory: Size.gibibytes(64), services: 1, persistentVolumeClaims: 2, storage: Size.gibibytes(25) });
    new WebService(t, 'api', apiProps());
    new StatefulService(t, 'db', { name: 'db', image: 'postgres:16.2', port: 5432, size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) }, readiness: Probe.tcp(), replicas: 3, volumeClaims: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(10) }] });
    const e = thrownBy(() => synthValid(t)) as SeaworthyError;
    const byField = Object.fromEntries(e.findings.map(f => [f.field, f.problem]));
    expect(Object.keys(byField).sort()).toEqual(['quota.persistentvolumeclaims', 'quota.requests.storage', 'quota.services']);
    expect(byField['quota.persistentvolumeclaims']).toContain('needs 3 of persistentvolumeclaims (shop/db (claim data): 3 PersistentVolumeClaims)');
    expect(byField['quota.requests.storage']).toContain('needs 30720Mi of requests.storage');
  });

  test('the SW-NS-002 predicate the Tenant shares with the audit counts a Pod under several scopes only when it matches all of them', () => {
    // A Tenant's own quota has no scopes; a scoped quota reaches its workloads through this same predicate.
    const containers = [{ name: 'c', init: false, requests: { cpu: 0.5, memory: 2 ** 28 }, limits: { cpu: 0.5, memory: 2 ** 28 } }];
    const facts = (f: Partial<QuotaPodFacts>): QuotaPodFacts => ({ bestEffort: false, terminating: false, priorityClassName: '', crossNamespaceAffinity: false, ...f });
    const counted = (spec: QuotaSpec, f: Partial<QuotaPodFacts>) => quotaShortfalls({ ...spec, hard: { pods: '0' } }, [podQuotaUsage('shop/api', 4, containers, facts(f))]).map(x => x.problem);
    const both: QuotaSpec = { scopes: ['NotTerminating', 'NotBestEffort'] };
    expect(counted(both, {})).toEqual(['the peak of the namespace\'s workloads needs 4 of pods (shop/api: 4 Pods)']);
    expect(counted(both, { bestEffort: true })).toEqual([]);
    expect(counted(both, { terminating: true })).toEqual([]);
    const selector: QuotaSpec = { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }, { scopeName: 'NotBestEffort', operator: 'Exists' }] } };
    expect(counted(selector, { priorityClassName: 'high' })).toHaveLength(1);
    expect(counted(selector, { priorityClassName: 'high', bestEffort: true })).toEqual([]);
    expect(counted(selector, { priorityClassName: 'low' })).toEqual([]);
    // scopes and scopeSelector together: every term of both.
    const mixed: QuotaSpec = { scopes: ['NotTerminating'], scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Exists' }] } };
    expect(counted(mixed, { priorityClassName: 'high' })).toHaveLength(1);
    expect(counted(mixed, { priorityClassName: 'high', terminating: true })).toEqual([]);
    expect(counted(mixed, {})).toEqual([]);
  });
});

const deployment = (name: string, resources: object, extra: object = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'q' },
  spec: { replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'a:1', resources }], ...extra } } },
});
const rq = (spec: object) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'rq', namespace: 'q' }, spec });
const ns2 = (objects: object[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === NS2);
const BURSTABLE = { requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1500m', memory: '256Mi' } };

describe('SW-NS-002 in the audit', () => {
  test('limits quotas count limits at the rollout peak (before: compared with requests, no finding)', () => {
    const found = ns2([deployment('api', BURSTABLE), rq({ hard: { 'requests.cpu': '4', 'limits.cpu': '2' } })]);
    expect(found.map(f => [f.field, f.problem])).toEqual([['spec.hard.limits.cpu', 'the peak of the namespace\'s workloads needs 6000m of limits.cpu (Deployment/q/api: 4 Pods x 1500m)']]);
  });

  test('bare cpu/memory keys are requests', () => {
    expect(ns2([deployment('api', BURSTABLE), rq({ hard: { cpu: '2', memory: '1Gi' } })])).toEqual([]);
    expect(ns2([deployment('api', BURSTABLE), rq({ hard: { cpu: '1999m' } })]).map(f => f.field)).toEqual(['spec.hard.cpu']);
  });

  test('a container without a limit under a limits quota is refused outright; a LimitRange default fills it in', () => {
    const noLimit = { requests: { cpu: '100m', memory: '64Mi' } };
    const found = ns2([deployment('api', noLimit), rq({ hard: { 'limits.cpu': '10' } })]);
    expect(found.map(f => f.problem)).toEqual(['the quota tracks limits.cpu, so every container must declare it, and the quota admission refuses the Pods of Deployment/q/api (c)']);
    const lr = { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'q' }, spec: { limits: [{ type: 'Container', default: { cpu: '200m' } }] } };
    expect(ns2([deployment('api', noLimit), lr, rq({ hard: { 'limits.cpu': '10' } })])).toEqual([]);
    expect(ns2([deployment('api', noLimit), lr, rq({ hard: { 'limits.cpu': '700m' } })]).map(f => f.problem)).toEqual(['the peak of the namespace\'s workloads needs 800m of limits.cpu (Deployment/q/api: 4 Pods x 200m)']);
  });

  test('scopes: NotBestEffort and PriorityClass quotas count only the Pods they match', () => {
    const best = deployment('batch', {});
    const high = deployment('api', BURSTABLE, { priorityClassName: 'high' });
    expect(ns2([best, high, rq({ hard: { pods: '4' }, scopes: ['NotBestEffort'] })])).toEqual([]);
    expect(ns2([best, high, rq({ hard: { pods: '4' }, scopes: ['BestEffort'] })])).toEqual([]);
    expect(ns2([best, high, rq({ hard: { pods: '7' } })]).map(f => f.field)).toEqual(['spec.hard.pods']);
    const pc = (operator: string, values?: string[]) => rq({ hard: { 'requests.cpu': '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator, values }] } });
    expect(ns2([best, high, pc('In', ['high'])]).map(f => f.field)).toEqual(['spec.hard.requests.cpu']);
    expect(ns2([best, high, pc('In', ['low'])])).toEqual([]);
    expect(ns2([best, high, pc('NotIn', ['high'])]).map(f => f.problem)).toEqual(['the quota tracks requests.cpu, so every container must declare it, and the quota admission refuses the Pods of Deployment/q/batch (c)']);
  });

  test('several scopes count a Pod only when it matches all of them (Kubernetes ANDs the scopes and the scopeSelector expressions)', () => {
    const api = deployment('api', BURSTABLE); // NotBestEffort and NotTerminating: 4 Pods at the peak
    const best = deployment('batch', {}); // NotTerminating only (BestEffort)
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'q' },
      spec: { parallelism: 2, template: { spec: { restartPolicy: 'Never', activeDeadlineSeconds: 600, containers: [{ name: 'c', image: 'a:1', resources: BURSTABLE }] } } } }; // NotBestEffort only (Terminating)
    const scoped = { hard: { pods: '0' }, scopes: ['NotTerminating', 'NotBestEffort'] };
    expect(ns2([best, rq(scoped)])).toEqual([]);
    expect(ns2([job, rq(scoped)])).toEqual([]);
    expect(ns2([api, best, job, rq(scoped)]).map(f => f.problem)).toEqual(['the peak of the namespace\'s workloads needs 4 of pods (Deployment/q/api: 4 Pods)']);
    expect(ns2([api, best, job, rq({ ...scoped, hard: { pods: '4' } })])).toEqual([]);
    // The same through a scopeSelector with two expressions.
    const high = (name: string, resources: object) => deployment(name, resources, { priorityClassName: 'high' });
    const selector = { hard: { pods: '0' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }, { scopeName: 'NotBestEffort', operator: 'Exists' }] } };
    expect(ns2([high('batch', {}), rq(selector)])).toEqual([]);
    expect(ns2([api, rq(selector)])).toEqual([]);
    expect(ns2([high('api', BURSTABLE), high('batch', {}), api, rq(selector)]).map(f => f.problem)).toEqual(['the peak of the namespace\'s workloads needs 4 of pods (Deployment/q/api: 4 Pods)']);
  });

  test('each scope alone: Terminating, PriorityClass Exists and DoesNotExist, CrossNamespacePodAffinity', () => {
    const api = deployment('api', BURSTABLE);
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'q' },
      spec: { template: { spec: { restartPolicy: 'Never', activeDeadlineSeconds: 600, containers: [{ name: 'c', image: 'a:1', resources: BURSTABLE }] } } } };
    const owners = (objects: object[], spec: object) => ns2([...objects, rq({ hard: { pods: '0' }, ...spec })]).map(f => /\((.*)\)$/.exec(f.problem)![1]);
    expect(owners([api, job], { scopes: ['Terminating'] })).toEqual(['Job/q/once: 1 Pods']);
    expect(owners([api, job], { scopes: ['NotTerminating'] })).toEqual(['Deployment/q/api: 4 Pods']);
    const high = deployment('high', BURSTABLE, { priorityClassName: 'high' });
    const pc = (operator: string) => ({ scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator }] } });
    expect(owners([api, high], pc('Exists'))).toEqual(['Deployment/q/high: 4 Pods']);
    expect(owners([api, high], pc('DoesNotExist'))).toEqual(['Deployment/q/api: 4 Pods']);
    // Cross-namespace: an affinity term (required or preferred, affinity or anti-affinity) naming namespaces or selecting them.
    const term = (t: object) => ({ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname', ...t });
    const withAffinity = (name: string, affinity: object) => deployment(name, BURSTABLE, { affinity });
    const cross = [
      withAffinity('named', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: ['db'] })] } }),
      withAffinity('selected', { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: term({ namespaceSelector: {} }) }] } }),
    ];
    const local = [api, withAffinity('local', { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ namespaces: [] })] } })];
    expect(owners([...cross, ...local], { scopes: ['CrossNamespacePodAffinity'] })).toEqual(['Deployment/q/named: 4 Pods; Deployment/q/selected: 4 Pods']);
  });

  test('scope/resource combinations the API server rejects', () => {
    const problems = (spec: object) => quotaSpecProblems(spec, 'spec').map(p => p.field);
    expect(problems({ hard: { 'requests.cpu': '1' }, scopes: ['BestEffort'] })).toEqual(['spec.hard.requests.cpu']);
    expect(problems({ hard: { 'services': '1', 'pods': '2' }, scopes: ['NotTerminating'] })).toEqual(['spec.hard.services']);
    expect(problems({ hard: { pods: '1' }, scopes: ['Terminating', 'NotTerminating'] })).toEqual(['spec.scopes']);
    expect(problems({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }] } })).toEqual(['spec.scopeSelector.matchExpressions[0].operator']);
    expect(problems({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } })).toEqual(['spec.scopeSelector.matchExpressions[0].values']);
    expect(problems({ hard: { 'requests.cpu': '1', 'limits.memory': '1Gi', 'pods': '3' }, scopes: ['NotBestEffort', 'Terminating'] })).toEqual([]);
    expect(ns2([rq({ hard: { 'requests.cpu': '1' }, scopes: ['BestEffort'] })]).map(f => f.field)).toEqual(['spec.hard.requests.cpu']);
  });

  test('as the API server validates scopes: only standard resource names are checked against them, conflicts within scopes or within the selector', () => {
    const problems = (spec: object) => quotaSpecProblems(spec, 'spec').map(p => [p.field, p.problem]);
    // count/…, extended resources and storage-class keys are not standard names: the server accepts them under any scope (before: reported).
    expect(problems({ hard: { 'requests.nvidia.com/gpu': '4', 'count/pods': '10', 'pods': '10' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['gpu'] }] } })).toEqual([]);
    // Huge pages are standard: refused under a scope.
    expect(problems({ hard: { 'requests.hugepages-2Mi': '1Gi' }, scopes: ['NotBestEffort'] }).map(p => p[0])).toEqual(['spec.hard.requests.hugepages-2Mi']);
    // BestEffort in scopes and NotBestEffort in the selector: each list is valid on its own, so the server accepts it (it matches no Pod).
    expect(problems({ hard: { pods: '1' }, scopes: ['BestEffort'], scopeSelector: { matchExpressions: [{ scopeName: 'NotBestEffort', operator: 'Exists' }] } })).toEqual([]);
    expect(problems({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'Exists' }, { scopeName: 'NotBestEffort', operator: 'Exists' }] } }))
      .toEqual([['spec.scopeSelector.matchExpressions', 'BestEffort and NotBestEffort exclude each other; the API server rejects the ResourceQuota']]);
    expect(problems({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Equals', values: ['x'] }] } }))
      .toEqual([['spec.scopeSelector.matchExpressions[0].operator', 'is not a scope selector operator (In, NotIn, Exists, DoesNotExist)']]);
    expect(problems({ hard: { pods: '1' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'Exists', values: ['x'] }] } }).map(p => p[0])).toEqual(['spec.scopeSelector.matchExpressions[0].values']);
  });

  test('object counts: count/deployments.apps, services.loadbalancers, services.nodeports, the ReplicaSets Deployments keep', () => {
    const lb = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb', namespace: 'q' }, spec: { type: 'LoadBalancer', selector: { app: 'api' }, ports: [{ port: 80 }, { port: 443 }] } };
    const found = ns2([deployment('api', BURSTABLE), deployment('web', BURSTABLE), lb, rq({ hard: { 'count/deployments.apps': '1', 'services.loadbalancers': '0', 'services.nodeports': '1', 'count/replicasets.apps': '20' } })]);
    expect(found.map(f => [f.field, f.problem])).toEqual([
      ['spec.hard.count/deployments.apps', 'the peak of the namespace\'s workloads needs 2 of count/deployments.apps (Deployment/q/api: 1 Deployment; Deployment/q/web: 1 Deployment)'],
      ['spec.hard.services.loadbalancers', 'the peak of the namespace\'s workloads needs 1 of services.loadbalancers (Service/q/lb: 1 Service)'],
      ['spec.hard.services.nodeports', 'the peak of the namespace\'s workloads needs 2 of services.nodeports (Service/q/lb: 2 Services)'],
      ['spec.hard.count/replicasets.apps', 'the peak of the namespace\'s workloads needs 22 of count/replicasets.apps (Deployment/q/api: 11 ReplicaSets; Deployment/q/web: 11 ReplicaSets)'],
    ]);
  });

  test('every namespace holds kube-root-ca.crt and the default ServiceAccount, which object quotas count (counted once when audited too)', () => {
    const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'q' }, data: { a: 'b' } });
    expect(ns2([cm('app'), rq({ hard: { configmaps: '1' } })]).map(f => f.problem)).toEqual(['the peak of the namespace\'s workloads needs 2 of configmaps (ConfigMap/q/app: 1 ConfigMap; ConfigMap/q/kube-root-ca.crt (in every namespace): 1 ConfigMap)']);
    expect(ns2([cm('kube-root-ca.crt'), rq({ hard: { configmaps: '1' } })])).toEqual([]);
    expect(ns2([rq({ hard: { 'count/serviceaccounts': '0' } })]).map(f => f.problem)).toEqual(['the peak of the namespace\'s workloads needs 1 of count/serviceaccounts (ServiceAccount/q/default (in every namespace): 1 ServiceAccount)']);
  });

  test('pod limits and requests: app containers summed, the largest init container when it is more', () => {
    const app = (amount: number) => ({ amount, init: false });
    const init = (amount: number, sidecar = false) => ({ amount, init: true, sidecar });
    expect(podTotal([init(2), app(0.5), app(0.5)])).toBe(2);
    expect(podTotal([init(0.1), app(0.5), app(0.5)])).toBe(1);
    expect(podTotal([app(0.25)])).toBe(0.25);
    // A native sidecar adds to the app and to the init containers started after it, not before.
    expect(podTotal([init(0.1, true), init(2), app(0.5)])).toBeCloseTo(2.1);
    expect(podTotal([init(2), init(0.1, true), app(0.5)])).toBeCloseTo(2);
    expect(podTotal([init(0.1, true), app(0.5)])).toBeCloseTo(0.6);
  });

  test('LimitRange defaults as the API server completes them: max -> default, default -> defaultRequest, else min', () => {
    expect(limitRangeDefaults([{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }])).toEqual({ default: { cpu: 2 }, defaultRequest: { cpu: 2, memory: 64 * 2 ** 20 } });
    expect(limitRangeDefaults([{ type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '250m' } }, { type: 'Pod', max: { cpu: '4' } }])).toEqual({ default: { cpu: 1 }, defaultRequest: { cpu: 0.25 } });
  });
});
