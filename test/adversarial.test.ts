import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  AppConfig, BarePod, BatchJob, CronTask, ExternalService, FixedEndpointsService, Gateway, HttpRoute, ListenerProtocol, NodeAgent, Probe, SeaworthyError,
  StatefulService, StorageClass, Tenant, WebService, Worker,
} from '../src';

/**
 * Invalid input from plain JavaScript callers: every case must raise SeaworthyError with a rule
 * id and a message naming the field — never a TypeError, never "undefined" or "[object Object]"
 * in the message.
 */

type Factory = (scope: Construct, props: Record<string, unknown>) => unknown;
const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };

const constructs: Record<string, { make: Factory; base: () => Record<string, unknown> }> = {
  WebService: { make: (s, p) => new WebService(s, 'x', p as never), base: () => ({ name: 'api', image: 'a/b:1.0', port: 8080, size, readiness: Probe.http('/ready') }) },
  Worker: { make: (s, p) => new Worker(s, 'x', p as never), base: () => ({ name: 'worker', image: 'a/b:1.0', size, liveness: Probe.exec(['true']) }) },
  StatefulService: { make: (s, p) => new StatefulService(s, 'x', p as never), base: () => ({ name: 'db', image: 'a/b:1.0', port: 5432, size, readiness: Probe.tcp() }) },
  NodeAgent: { make: (s, p) => new NodeAgent(s, 'x', p as never), base: () => ({ name: 'agent', image: 'a/b:1.0', size }) },
  BatchJob: { make: (s, p) => new BatchJob(s, 'x', p as never), base: () => ({ name: 'job', image: 'a/b:1.0', size }) },
  CronTask: { make: (s, p) => new CronTask(s, 'x', p as never), base: () => ({ name: 'cron', image: 'a/b:1.0', size, schedule: '0 3 * * *' }) },
  BarePod: { make: (s, p) => new BarePod(s, 'x', p as never), base: () => ({ name: 'pod', image: 'a/b:1.0', size }) },
};

const common: Array<[string, unknown]> = [
  ['name', ''], ['name', '   '], ['name', 'Api'], ['name', 'a'.repeat(64)], ['name', 'ünïcode'], ['name', 42], ['name', null], ['name', undefined], ['name', {}],
  ['image', ''], ['image', 'nginx'], ['image', 'nginx:latest'], ['image', 'UPPER/case:1'], ['image', 'a b:1'], ['image', null], ['image', 7],
  ['size', null], ['size', undefined], ['size', '1Gi'], ['size', { cpu: kplus.Cpu.millis(NaN), memory: Size.mebibytes(128) }],
  ['size', { cpu: kplus.Cpu.millis(-1), memory: Size.mebibytes(128) }], ['size', { cpu: kplus.Cpu.millis(100), memory: '1,5Gi' }],
  ['size', { cpu: kplus.Cpu.units(Infinity), memory: Size.mebibytes(128) }], ['size', { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(0) }],
  ['env', { 'A-B': 'x' }], ['env', 'LOG=1'], ['command', 'sh -c x'], ['args', [1, 2]],
  ['extraPorts', [{ name: 'metrics', port: 70000 }]], ['extraPorts', [{ name: 'x'.repeat(20), port: 9090 }]], ['extraPorts', [{ name: 'm', port: NaN }]],
  ['tmpSize', Size.gibibytes(5)], ['tmpSize', '64Mi'],
  ['security', { user: 0 }], ['security', { user: -5 }], ['security', { addCapabilities: [kplus.Capability.SYS_ADMIN] }],
  ['shutdown', { gracePeriod: Duration.seconds(1) }], ['shutdown', { drainTime: Duration.millis(1) }],
  ['instance', 'bad value!'], ['component', '-x'],
  ['imagePullPolicy', 'Sometimes'], ['size', { cpu: kplus.Cpu.millis(100), memory: '1.5.0' }],
  ['size', { cpu: kplus.Cpu.units(1e12), memory: Size.mebibytes(128) }],
  ['shutdown', null], ['security', null], ['scheduling', null], ['spread', { maxSkew: Infinity }], ['waivers', [null]],
  ['sidecars', [null]], ['initContainers', 'busybox'], ['mounts', [{ path: '/x' }]], ['extraPorts', [{ name: 'm', port: 9090, protocol: 'QUIC' }]],
  ['scheduling', { tolerations: ['NoSchedule'] }], ['env', { A: null }],
];

const specific: Record<string, Array<[string, unknown]>> = {
  WebService: [['readiness', Probe.http('/ready', { port: 70000 })], ['readiness', Probe.tcp({ port: -1 })], ['serviceType', 'Magic'], ['externalTrafficPolicy', 'Nearest'], ['sessionAffinity', 'Sticky'], ['rollout', null], ['disruptionBudget', 'one'], ['port', 0], ['port', -1], ['port', 65536], ['port', '8080'], ['readiness', null], ['readiness', 'http'], ['replicas', 0], ['replicas', NaN], ['replicas', 2.5], ['servicePort', 1e9], ['autoscaling', { maxReplicas: 1 }], ['autoscaling', { minReplicas: 5, maxReplicas: 3 }]],
  Worker: [['liveness', null], ['replicas', -3], ['rollout', { maxSurge: kplus.PercentOrAbsolute.absolute(0), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }]],
  StatefulService: [['podManagementPolicy', 'Random'], ['claimRetention', 'Forever'], ['replicas', 0], ['partition', -1], ['volumeClaims', [{ name: 'Data', mountPath: 'x', size: Size.gibibytes(0) }]], ['port', NaN]],
  NodeAgent: [['maxUnavailable', 0], ['hostNetwork', true]],
  BatchJob: [['completions', 0], ['parallelism', -1], ['backoffLimit', 1.5], ['activeDeadline', Duration.millis(5)], ['restartPolicy', 'Always']],
  CronTask: [['concurrencyPolicy', 'Sometimes'], ['schedule', undefined], ['timeZone', 5], ['schedule', '0 0 * * 8 extra'], ['schedule', '*/0 * * * *'], ['schedule', '@fortnightly'], ['schedule', '* * *'], ['schedule', ''], ['schedule', '61 * * * *'], ['schedule', 'TZ=UTC 0 0 * * *'], ['schedule', null], ['timeZone', 'Nowhere/City'], ['startingDeadline', Duration.seconds(0)], ['successfulJobsHistory', -1]],
  BarePod: [],
};

const cases: Array<[string, string, unknown]> = [];
for (const [kind, { }] of Object.entries(constructs)) {
  for (const [field, value] of [...common, ...specific[kind]]) cases.push([kind, field, value]);
}

const describeValue = (v: unknown) => (v === undefined ? 'undefined' : typeof v === 'number' || typeof v === 'string' ? JSON.stringify(v) : Object.prototype.toString.call(v));

describe('adversarial input to every workload construct', () => {
  test(`the corpus holds at least 150 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
  });

  test.each(cases.map(([k, f, v]) => [k, f, describeValue(v), v]))('%s %s = %s', (kind, field, _shown, value) => {
    const { make, base } = constructs[kind as string];
    const chart = new Chart(Testing.app(), 'c');
    let error: unknown;
    try {
      make(chart, { ...base(), [field as string]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeaworthyError);
    const sw = error as SeaworthyError;
    expect(sw.ruleIds.length).toBeGreaterThan(0);
    expect(sw.findings.some(f => f.field === field || f.field.startsWith(`${field as string}.`) || f.field.startsWith(`${field as string}[`))).toBe(true);
    expect(sw.message).not.toContain('[object Object]');
    expect(sw.message.replace(/\(unset\)/g, '')).not.toMatch(/\bundefined\b/);
    // Nothing was created under the failed construct.
    expect(chart.node.findAll().filter(c => c.node.id === 'Resource')).toEqual([]);
  });
});

const others: Array<[string, () => unknown, string]> = [
  ['Tenant name', () => new Tenant(Testing.app(), 't', { name: 'Bad Name' }), 'name'],
  ['Tenant quota cpu', () => new Tenant(Testing.app(), 't', { name: 't', quota: { cpu: kplus.Cpu.millis(NaN), memory: Size.gibibytes(1) } }), 'quota.cpu'],
  ['Tenant quota pods', () => new Tenant(Testing.app(), 't', { name: 't', quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), pods: -1 } }), 'quota.pods'],
  ['Tenant limits ratio', () => new Tenant(Testing.app(), 't', { name: 't', limits: { maxLimitRequestRatio: { cpu: 0.5 } } }), 'limits.maxLimitRequestRatio.cpu'],
  ['AppConfig name', () => new AppConfig(new Chart(Testing.app(), 'c'), 'x', { name: 'Bad_Name' }), 'name'],
  ['AppConfig key', () => new AppConfig(new Chart(Testing.app(), 'c'), 'x', { name: 'cfg', data: { 'a b': 'x' } }), 'data.a b'],
  ['ExternalService name', () => new ExternalService(new Chart(Testing.app(), 'c'), 'x', { name: '9x', externalName: 'a.example.com' }), 'name'],
  ['ExternalService target', () => new ExternalService(new Chart(Testing.app(), 'c'), 'x', { name: 'x', externalName: 'http://a' }), 'externalName'],
  ['FixedEndpoints address', () => new FixedEndpointsService(new Chart(Testing.app(), 'c'), 'x', { name: 'x', addresses: ['300.1.1.1'], ports: [{ name: 'p', port: 1 }] }), 'addresses[0]'],
  ['FixedEndpoints port', () => new FixedEndpointsService(new Chart(Testing.app(), 'c'), 'x', { name: 'x', addresses: ['10.0.0.1'], ports: [{ name: 'p', port: 0 }] }), 'ports[0].port'],
  ['StorageClass name', () => new StorageClass(new Chart(Testing.app(), 'c'), 'x', { name: 'Fast!', provisioner: 'p' }), 'name'],
  ...frontDoorCases(),
];

/** Invalid input to the front-door constructs and methods (Gateway, routes, Tenant gateways, addIngress). */
function frontDoorCases(): Array<[string, () => unknown, string]> {
  const chart = () => new Chart(Testing.app(), 'c', { namespace: 'infra' });
  const listener = { name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, tlsSecretName: 'tls' };
  const gatewayProps = { name: 'public', gatewayClassName: 'eg', listeners: [listener] };
  const gateway = (props: Record<string, unknown>) => () => new Gateway(chart(), 'g', { ...gatewayProps, ...props } as never);
  const ref = Gateway.fromRef('infra', 'public', { sectionName: 'https' });
  const service = () => new WebService(new Chart(Testing.app(), 's', { namespace: 'shop' }), 'web', { name: 'web', image: 'a/b:1.0', port: 8080, size, readiness: Probe.http('/ready') });
  const route = (options: Record<string, unknown>) => () => service().addRoute({ gateway: ref, ...options } as never);
  return [
    ['Gateway name', gateway({ name: 'Public!' }), 'name'],
    ['Gateway class', gateway({ gatewayClassName: '' }), 'gatewayClassName'],
    ['Gateway class type', gateway({ gatewayClassName: 7 }), 'gatewayClassName'],
    ['Gateway listeners empty', gateway({ listeners: [] }), 'listeners'],
    ['Gateway listeners not a list', gateway({ listeners: 'https' }), 'listeners'],
    ['Gateway listener null', gateway({ listeners: [null] }), 'listeners[0]'],
    ['Gateway listener port', gateway({ listeners: [{ ...listener, port: 70000 }] }), 'listeners[0].port'],
    ['Gateway listener protocol', gateway({ listeners: [{ ...listener, protocol: 'QUIC' }] }), 'listeners[0].protocol'],
    ['Gateway listener name', gateway({ listeners: [{ ...listener, name: 'HTTPS' }] }), 'listeners[0].name'],
    ['Gateway HTTPS without certificate', gateway({ listeners: [{ ...listener, tlsSecretName: undefined }] }), 'listeners[0].tlsSecretName'],
    ['Gateway HTTP with certificate', gateway({ listeners: [{ ...listener, protocol: ListenerProtocol.HTTP }] }), 'listeners[0].tlsSecretName'],
    ['Gateway duplicate listener', gateway({ listeners: [listener, listener] }), 'listeners[1].name'],
    ['Gateway allowRoutesFrom', gateway({ allowRoutesFrom: ['Shop'] }), 'allowRoutesFrom[0]'],
    ['Gateway allowRoutesFrom type', gateway({ allowRoutesFrom: 'shop' }), 'allowRoutesFrom'],
    ['Gateway dataPlane', gateway({ dataPlane: { app: 'envoy' } }), 'dataPlane'],
    ['Gateway without namespace', () => new Gateway(new Chart(Testing.app(), 'c'), 'g', gatewayProps), 'scope'],
    ['route gateway', route({ gateway: 'infra/public' }), 'gateway'],
    ['route hostnames type', route({ hostnames: 'shop.example.com' }), 'hostnames'],
    ['route hostname', route({ hostnames: ['https://shop.example.com'] }), 'hostnames[0]'],
    ['route hostname wildcard inside', route({ hostnames: ['shop.*.example.com'] }), 'hostnames[0]'],
    ['route hostnames too many', route({ hostnames: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) }), 'hostnames'],
    ['route paths type', route({ paths: '/api' }), 'paths'],
    ['route path relative', route({ paths: ['api'] }), 'paths[0]'],
    ['route path number', route({ paths: [1] }), 'paths[0]'],
    ['route timeout type', route({ timeout: '30s' }), 'timeout'],
    ['route timeout zero', route({ timeout: Duration.millis(0) }), 'timeout'],
    ['route backendTimeout longer', route({ timeout: Duration.seconds(1), backendTimeout: Duration.seconds(2) }), 'backendTimeout'],
    ['route name', route({ name: 'Api' }), 'name'],
    ['route portName', route({ portName: 'metrics' }), 'portName'],
    ['route portName type', route({ portName: 80 }), 'portName'],
    ['grpc route services', () => service().addGrpcRoute({ gateway: ref, services: ['shop v1'] }), 'services[0]'],
    ['grpc route timeout', () => service().addGrpcRoute({ gateway: ref, timeout: Duration.seconds(1) } as never), 'timeout'],
    ['HttpRoute backends', () => new HttpRoute(chart(), 'r', { gateway: ref, backends: [] }), 'backends'],
    ['HttpRoute backend workload', () => new HttpRoute(chart(), 'r', { gateway: ref, backends: [{ workload: 'web' }] } as never), 'backends[0].workload'],
    ['HttpRoute backend weight', () => new HttpRoute(chart(), 'r', { gateway: ref, backends: [{ workload: service(), weight: -1 }] }), 'backends[0].weight'],
    ['Tenant gateways', () => new Tenant(Testing.app(), 't', { name: 't', gateways: ['infra/public'] } as never), 'gateways'],
    ['Tenant ingressController', () => new Tenant(Testing.app(), 't', { name: 't', ingressController: 'ingress-nginx' } as never), 'ingressController'],
    ['addIngress controller', () => service().addIngress({ host: 'shop.example.com', controller: 'ingress-nginx' } as never), 'controller'],
  ];
}

describe('adversarial input to the other constructs', () => {
  test.each(others)('%s', (_what, build, field) => {
    const e = (() => {
      try {
        build();
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(SeaworthyError);
    expect((e as SeaworthyError).findings.map(f => f.field)).toContain(field);
    expect((e as SeaworthyError).message).not.toContain('[object Object]');
    expect((e as SeaworthyError).message.replace(/\(unset\)/g, '')).not.toMatch(/\bundefined\b/);
  });
});
