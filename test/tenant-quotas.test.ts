import { ApiObject, App, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppConfig, audit, PersistentVolumeClaim, Probe, QuotaScope, ScopeSelectorOperator, SeaworthyError, StatefulService, Tenant, TenantQuota, WebService, Worker } from '../src';
import { NamespaceView } from '../src/tenancy/namespace-usage';
import { apiProps } from './support/props';
import { KubeObject, only, synthValid, thrownBy } from './support/synth';

/** The Tenant's quota forms (several quotas, scopes, object counts) and its Pod and claim LimitRange items (issue 27, item 4). */

const size = { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) };
const HIGH = { scopeName: QuotaScope.PRIORITY_CLASS, operator: ScopeSelectorOperator.IN, values: ['high'] };

function tenant(props: Partial<ConstructorParameters<typeof Tenant>[2]> = {}): { app: App; t: Tenant } {
  const app = Testing.app();
  return { app, t: new Tenant(app, 'shop', { name: 'shop', ...props }) };
}

/** Every object of the app, rendered without running the validations (what the Tenant refuses is still rendered here). */
function rendered(app: App): KubeObject[] {
  return app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(o => o.toJson());
}

const errorsOf = (build: () => unknown) => (thrownBy(build) as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.problem]);

describe('several quotas, each with its scopes', () => {
  test('an unscoped quota and one for a priority class render as two ResourceQuotas, schema-valid', () => {
    const { t } = tenant({
      quota: { cpu: kplus.Cpu.units(8), memory: Size.gibibytes(16) },
      quotas: [{ name: 'shop-high', scopeSelector: [HIGH], cpu: kplus.Cpu.units(2), memory: Size.gibibytes(4), pods: 6 }],
    });
    const objects = synthValid(t);
    expect(objects.filter(o => o.kind === 'ResourceQuota').map(o => o.metadata.name)).toEqual(['shop-quota', 'shop-high']);
    expect(only(objects, 'ResourceQuota', 'shop-high').spec).toEqual({
      hard: { 'requests.cpu': '2', 'limits.cpu': '2', 'requests.memory': '4Gi', 'limits.memory': '4Gi', 'pods': '6' },
      scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] },
    });
    expect(t.resourceQuotas.map(q => q.name)).toEqual(['shop-quota', 'shop-high']);
    expect(t.resourceQuota).toBe(t.resourceQuotas[0]);
  });

  test('SW-NS-002: the scoped quota counts only the Pods of its priority class, as the audit does', () => {
    const { app, t } = tenant({
      quota: { cpu: kplus.Cpu.units(16), memory: Size.gibibytes(16) },
      quotas: [{ name: 'shop-high', scopeSelector: [HIGH], cpu: kplus.Cpu.millis(1500) }],
    });
    new WebService(t, 'api', apiProps({ scheduling: { priorityClassName: 'high' } })); // 4 Pods x 500m at the peak
    new WebService(t, 'web', apiProps({ name: 'web' })); // no priority class: not counted by shop-high
    const e = errorsOf(() => synthValid(t));
    expect(e).toEqual([
      ['SW-NS-002', 'quotas[0].requests.cpu', 'the peak of the namespace\'s workloads needs 2000m of requests.cpu (shop/api: 4 Pods x 500m)'],
      ['SW-NS-002', 'quotas[0].limits.cpu', 'the peak of the namespace\'s workloads needs 2000m of limits.cpu (shop/api: 4 Pods x 500m)'],
    ]);
    // The same objects through `seaworthy audit`: the same quota, the same keys, the same workload.
    const found = audit(rendered(app).map(object => ({ object }))).filter(f => f.rule.id === 'SW-NS-002');
    expect(found.map(f => [f.path, f.field, f.problem])).toEqual([
      ['ResourceQuota/shop/shop-high', 'spec.hard.limits.cpu', 'the peak of the namespace\'s workloads needs 2000m of limits.cpu (Deployment/shop/api: 4 Pods x 500m)'],
      ['ResourceQuota/shop/shop-high', 'spec.hard.requests.cpu', 'the peak of the namespace\'s workloads needs 2000m of requests.cpu (Deployment/shop/api: 4 Pods x 500m)'],
    ]);
  });

  test('a Pod counts only when it matches every scope: NotIn, NotBestEffort', () => {
    const { t } = tenant({ quotas: [{ scopes: [QuotaScope.NOT_BEST_EFFORT], scopeSelector: [{ scopeName: QuotaScope.PRIORITY_CLASS, operator: ScopeSelectorOperator.NOT_IN, values: ['high'] }], pods: 3 }] });
    new WebService(t, 'api', apiProps({ scheduling: { priorityClassName: 'high' } }));
    new WebService(t, 'web', apiProps({ name: 'web', replicas: 2 }));
    expect(() => synthValid(t)).not.toThrow(); // web: 3 Pods; api is excluded by NotIn
    const { t: t2 } = tenant({ quotas: [{ scopeSelector: [{ scopeName: QuotaScope.PRIORITY_CLASS, operator: ScopeSelectorOperator.DOES_NOT_EXIST }], pods: 2 }] });
    new WebService(t2, 'web', apiProps({ name: 'web', replicas: 2 }));
    expect(errorsOf(() => synthValid(t2))).toEqual([['SW-NS-002', 'quotas[0].pods', 'the peak of the namespace\'s workloads needs 3 of pods (shop/web: 3 Pods)']]);
  });

  test('scopes as the API server validates them: which combine, which need values, what a scoped quota may track', () => {
    const q = (quota: TenantQuota) => () => tenant({ quota });
    expect(errorsOf(q({ scopes: [QuotaScope.BEST_EFFORT], cpu: kplus.Cpu.units(1), pods: 5 }))).toEqual([
      ['SW-NS-002', 'quota.cpu', 'cannot be tracked by a quota with scope BestEffort (it tracks only pods); the API server rejects the ResourceQuota'],
      ['SW-NS-002', 'quota.cpu', 'cannot be tracked by a quota with scope BestEffort (it tracks only pods); the API server rejects the ResourceQuota'],
    ]);
    expect(errorsOf(q({ scopes: [QuotaScope.TERMINATING, QuotaScope.NOT_TERMINATING], pods: 5 }))).toEqual([
      ['SW-NS-002', 'quota.scopes', 'Terminating and NotTerminating exclude each other; the API server rejects the ResourceQuota'],
    ]);
    expect(errorsOf(q({ scopeSelector: [{ scopeName: QuotaScope.PRIORITY_CLASS, operator: ScopeSelectorOperator.IN }], pods: 5 }))).toEqual([
      ['SW-NS-002', 'quota.scopeSelector[0].values', 'must list at least one value for operator In'],
    ]);
    expect(errorsOf(q({ scopeSelector: [{ scopeName: QuotaScope.NOT_BEST_EFFORT, operator: ScopeSelectorOperator.NOT_IN, values: ['x'] }], pods: 5 }))).toEqual([
      ['SW-NS-002', 'quota.scopeSelector[0].operator', 'must be Exists for scope NotBestEffort (only PriorityClass takes In, NotIn and DoesNotExist)'],
    ]);
    expect(errorsOf(q({ scopes: [QuotaScope.NOT_TERMINATING], services: 2, pods: 5 }))).toEqual([
      ['SW-NS-002', 'quota.services', 'cannot be tracked by a quota with scope NotTerminating (it tracks only pods and cpu/memory requests and limits); the API server rejects the ResourceQuota'],
    ]);
    // Plain JavaScript: an unknown scope, a misspelt prop, an empty quota.
    expect(errorsOf(q({ scopes: ['Burstable' as QuotaScope], pods: 1 })).map(f => f.slice(0, 2))).toEqual([['SW-PROPS-001', 'quota.scopes[0]'], ['SW-NS-002', 'quota.scopes[0]']]);
    expect(errorsOf(q({ pod: 3 } as never)).map(f => f.slice(0, 2))).toEqual([['SW-PROPS-002', 'quota.pod'], ['SW-PROPS-001', 'quota']]);
  });

  test('names: the first quota is <tenant>-quota; every other needs its own, unique name', () => {
    expect(errorsOf(() => tenant({ quota: { pods: 1 }, quotas: [{ pods: 2 }] }))).toEqual([
      ['SW-PROPS-001', 'quotas[0].name', 'is required for every quota but the first (the first is named "<tenant>-quota")'],
    ]);
    expect(errorsOf(() => tenant({ quota: { pods: 1 }, quotas: [{ name: 'shop-quota', pods: 2 }] }))).toEqual([
      ['SW-PROPS-001', 'quotas[0].name', 'is already the name of quota: each ResourceQuota needs its own name'],
    ]);
    const { t } = tenant({ quotas: [{ pods: 10 }] });
    expect(only(synthValid(t), 'ResourceQuota').metadata.name).toBe('shop-quota');
  });
});

describe('object counts', () => {
  test('every count renders under its quota key', () => {
    const { t } = tenant({
      quota: {
        secrets: 10, configMaps: 20, services: 5, loadBalancers: 1, nodePorts: 2, persistentVolumeClaims: 4, storage: Size.gibibytes(200),
        objectCounts: { 'deployments.apps': 10, 'jobs.batch': 20 }, storageClasses: { fast: { storage: Size.gibibytes(100), claims: 2 } },
      },
    });
    expect(only(synthValid(t), 'ResourceQuota').spec.hard).toEqual({
      'secrets': '10', 'configmaps': '20', 'services': '5', 'services.loadbalancers': '1', 'services.nodeports': '2', 'persistentvolumeclaims': '4', 'requests.storage': '200Gi',
      'count/deployments.apps': '10', 'count/jobs.batch': '20', 'fast.storageclass.storage.k8s.io/requests.storage': '100Gi', 'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '2',
    });
  });

  test('SW-NS-002: ConfigMaps (kube-root-ca.crt included), Deployments with their ReplicaSets, claims of a storage class', () => {
    const { t } = tenant({ quota: { configMaps: 1, objectCounts: { 'deployments.apps': 1, 'replicasets.apps': 5 }, storageClasses: { fast: { storage: Size.gibibytes(15) } } } });
    new AppConfig(t, 'config', { name: 'api-config', data: { LOG_LEVEL: 'info' } });
    new WebService(t, 'api', apiProps());
    new StatefulService(t, 'db', { name: 'db', image: 'postgres:16.2', port: 5432, size, readiness: Probe.tcp(), replicas: 2, volumeClaims: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(10), storageClassName: 'fast' }] });
    const byField = Object.fromEntries(errorsOf(() => synthValid(t)).map(([, field, problem]) => [field, problem]));
    expect(byField).toEqual({
      'quota.configmaps': 'the peak of the namespace\'s workloads needs 2 of configmaps (shop/config: 1 ConfigMap; ConfigMap/shop/kube-root-ca.crt (in every namespace): 1 ConfigMap)',
      'quota.count/replicasets.apps': 'the peak of the namespace\'s workloads needs 6 of count/replicasets.apps (shop/api: 6 ReplicaSets)',
      'quota.fast.storageclass.storage.k8s.io/requests.storage': 'the peak of the namespace\'s workloads needs 20480Mi of fast.storageclass.storage.k8s.io/requests.storage (shop/db (claim data): 2 x 10240Mi)',
    });
  });

  test('plain JavaScript: bad count keys, storage class names and values', () => {
    expect(errorsOf(() => tenant({ quota: { objectCounts: { 'Deployments.apps': 1 }, storageClasses: { 'Fast': { claims: 1 } }, secrets: -1 } })).map(f => f.slice(0, 2))).toEqual([
      ['SW-RES-001', 'quota.secrets'], ['SW-PROPS-001', 'quota.objectCounts.Deployments.apps'], ['SW-PROPS-001', 'quota.storageClasses.Fast'], ['SW-PROPS-001', 'quota'],
    ]);
    expect(errorsOf(() => tenant({ quota: { storageClasses: { fast: { claim: 1 } } } as never })).map(f => f.slice(0, 2))).toEqual([['SW-PROPS-002', 'quota.storageClasses.fast.claim'], ['SW-PROPS-001', 'quota']]);
  });
});

describe('LimitRange items of type Pod and PersistentVolumeClaim', () => {
  test('rendered after the Container item, schema-valid', () => {
    const { t } = tenant({ limits: { pod: { maxCpu: kplus.Cpu.units(2), maxMemory: Size.gibibytes(4), minMemory: Size.mebibytes(64) }, claims: { minStorage: Size.gibibytes(1), maxStorage: Size.gibibytes(50) } } });
    expect(only(synthValid(t), 'LimitRange').spec.limits.slice(1)).toEqual([
      { type: 'Pod', min: { memory: '64Mi' }, max: { cpu: '2', memory: '4Gi' } },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '50Gi' } },
    ]);
  });

  test('SW-NS-001 at synthesis: a Pod above the Pod maximum, claims outside the claim bounds; the audit agrees', () => {
    const { app, t } = tenant({ limits: { pod: { maxCpu: kplus.Cpu.millis(600) }, claims: { minStorage: Size.gibibytes(1), maxStorage: Size.gibibytes(20) } } });
    // 500m app + 250m sidecar = 750m per Pod.
    new Worker(t, 'w', { name: 'w', image: 'a:1', size, liveness: Probe.exec(['true']), sidecars: [{ name: 'log', image: 'b:1', size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(64) } }] });
    new StatefulService(t, 'db', { name: 'db', image: 'postgres:16.2', port: 5432, size, readiness: Probe.tcp(), volumeClaims: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(50) }] });
    new PersistentVolumeClaim(t, 'scratch', { name: 'scratch', storage: Size.mebibytes(500) });
    expect(errorsOf(() => synthValid(t))).toEqual([
      ['SW-NS-001', '(Pod limits.cpu)', 'the Pod limits cpu to 750m, above the LimitRange maximum 600m of tenant "shop"'],
      ['SW-NS-001', 'volumeClaims[0].size', 'requests 51200Mi, above the LimitRange maximum 20480Mi of tenant "shop"'],
      ['SW-NS-001', 'storage', 'requests 500Mi, below the LimitRange minimum 1024Mi of tenant "shop"'],
    ]);
    const found = audit(rendered(app).map(object => ({ object }))).filter(f => f.rule.id === 'SW-NS-001');
    expect(found.map(f => [f.path, f.field])).toEqual([
      ['Deployment/shop/w', 'spec.template.spec (Pod limits.cpu)'],
      ['StatefulSet/shop/db', 'spec.volumeClaimTemplates[0].spec.resources.requests.storage'],
      ['PersistentVolumeClaim/shop/scratch', 'spec.resources.requests.storage'],
    ]);
  });

  test('a bound with nothing in it, and an inverted one, are refused', () => {
    expect(errorsOf(() => tenant({ limits: { pod: {} } })).map(f => f.slice(0, 2))).toEqual([['SW-PROPS-001', 'limits.pod']]);
    expect(errorsOf(() => tenant({ limits: { claims: { minStorage: Size.gibibytes(10), maxStorage: Size.gibibytes(1) } } }))).toEqual([
      ['SW-NS-001', 'limits.claims.minStorage', 'is above max.storage (1Gi); the API server requires min <= defaultRequest <= default <= max'],
    ]);
    expect(errorsOf(() => tenant({ limits: { pod: { maxCpus: 1 } } as never })).map(f => f.slice(0, 2))).toEqual([['SW-PROPS-002', 'limits.pod.maxCpus'], ['SW-PROPS-001', 'limits.pod']]);
  });

  test('a resource name with dots is split at the first dot only (before: "limits.example.com/gpu" looked up "example")', () => {
    const { app, t } = tenant();
    new Worker(t, 'gpu', { name: 'gpu', image: 'a:1', size: { ...size, extended: { 'example.com/gpu': 2 } }, liveness: Probe.exec(['true']) });
    // A LimitRange item bounding an extended resource (the Tenant's own props bound cpu and memory only).
    const found = new NamespaceView(app, 'shop').limitRangeFindings([{ type: 'Container', max: { 'example.com/gpu': '1' } }], 'shop');
    expect(found.map(f => [f.field, f.value, f.problem])).toEqual([['size.extended.example.com/gpu', '"2"', 'limits example.com/gpu to 2, above the LimitRange maximum 1 of tenant "shop"']]);
  });
});
