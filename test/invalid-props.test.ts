import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppConfig, Env, ExternalService, FixedEndpointsService, Gateway, HttpRoute, IngressOptions, ListenerProtocol, Peer, Probe, SeaworthyError,
  StorageClass, Tenant, WebService,
} from '../src';
import { expectSeaworthyError, SIZE, WORKLOADS } from './support/adversarial';
import { KubeObject } from './support/synth';

/**
 * Invalid input from plain JavaScript callers: every case must raise SeaworthyError with a rule
 * id and a message naming the field — never a TypeError, never "undefined" or "[object Object]"
 * in the message.
 */

const size = SIZE;
const constructs = WORKLOADS;

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
    ['Gateway listener hostname', gateway({ listeners: [{ ...listener, hostname: '*.Example.com' }] }), 'listeners[0].hostname'],
    ['Gateway listener hostname type', gateway({ listeners: [{ ...listener, hostname: 443 }] }), 'listeners[0].hostname'],
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

/** Inputs per class, counted as each describe block is collected. */
const corpus: Record<string, number> = {};

/* ------------------------------------------------------------------------------------------ */
/* Props validation has no holes.                                                            */
/* ------------------------------------------------------------------------------------------ */

describe('unknown props name the closest known prop (SW-PROPS-002)', () => {
  const typos: Array<[string, string, string | undefined]> = [
    ['WebService', 'replica', 'replicas'], ['WebService', 'Replicas', 'replicas'], ['WebService', 'imagee', 'image'], ['WebService', 'prot', 'port'], ['WebService', 'readyness', 'readiness'],
    ['WebService', 'livenes', 'liveness'], ['WebService', 'enviroment', undefined], ['WebService', 'autoscale', 'autoscaling'], ['WebService', 'servicetype', 'serviceType'], ['WebService', 'allow_from', 'allowFrom'],
    ['Worker', 'replica', 'replicas'], ['Worker', 'livenessProbe', 'liveness'], ['Worker', 'cmd', undefined], ['Worker', 'sizes', 'size'], ['Worker', 'enviroment', undefined],
    ['StatefulService', 'volumeClaim', 'volumeClaims'], ['StatefulService', 'replica', 'replicas'], ['StatefulService', 'podManagement', 'podManagementPolicy'],
    ['NodeAgent', 'maxUnavailble', 'maxUnavailable'], ['NodeAgent', 'hostnetwork', 'hostNetwork'],
    ['BatchJob', 'completion', 'completions'], ['BatchJob', 'backofflimit', 'backoffLimit'], ['BatchJob', 'paralellism', 'parallelism'],
    ['CronTask', 'schedul', 'schedule'], ['CronTask', 'timezone', 'timeZone'], ['CronTask', 'concurrency', undefined],
    ['BarePod', 'imagePullPolcy', 'imagePullPolicy'], ['BarePod', 'sidecar', 'sidecars'], ['BarePod', 'initContainer', 'initContainers'], ['BarePod', 'x', undefined],
  ];
  corpus.unknownProps = typos.length + 4 + 4;
  test.each(typos)('%s { %s }', (kind, key, closest) => {
    const { make, base } = constructs[kind];
    let error: unknown;
    try {
      make(new Chart(Testing.app(), 'c'), { ...base(), [key]: 3 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeaworthyError);
    const f = (error as SeaworthyError).findings.find(x => x.rule.id === 'SW-PROPS-002');
    expect(f?.field).toBe(key);
    if (closest) expect(f?.problem).toContain(`"${closest}"`);
  });

  const nested: Array<[string, Record<string, unknown>, string]> = [
    ['shutdown', { gracePeriods: Duration.seconds(30) }, 'shutdown.gracePeriods'], ['security', { users: 10001 }, 'security.users'],
    ['spread', { maxskew: 1 }, 'spread.maxskew'], ['scheduling', { nodeselector: {} }, 'scheduling.nodeselector'],
  ];
  test.each(nested)('nested %s typo', (field, value, reported) => {
    const { make, base } = constructs.WebService;
    let error: unknown;
    try {
      make(new Chart(Testing.app(), 'c'), { ...base(), [field]: value });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).findings.map(f => f.field)).toContain(reported);
  });

  test.each([
    ['Tenant', () => new Tenant(Testing.app(), 't', { name: 't', qouta: {} } as never), 'qouta'],
    ['AppConfig', () => new AppConfig(new Chart(Testing.app(), 'c'), 'x', { name: 'cfg', date: {} } as never), 'date'],
    ['ExternalService', () => new ExternalService(new Chart(Testing.app(), 'c'), 'x', { name: 'x', externalname: 'a.example.com' } as never), 'externalname'],
    ['StorageClass', () => new StorageClass(new Chart(Testing.app(), 'c'), 'x', { name: 'fast', provisioner: 'p', reclaim: 'Retain' } as never), 'reclaim'],
  ])('%s rejects an unknown prop', (_kind, build, field) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).findings.map(f => f.field)).toContain(field);
  });
});

describe('numbers and units out of range are rule errors, never raw cdk8s errors', () => {
  const bad: Array<[string, unknown]> = [
    ['shutdown', { gracePeriod: Duration.seconds(NaN) }], ['shutdown', { gracePeriod: Duration.seconds(Infinity) }], ['shutdown', { drainTime: Duration.minutes(NaN) }],
    ['shutdown', { drainTime: Duration.millis(NaN) }], ['tmpSize', Size.mebibytes(NaN)], ['tmpSize', Size.mebibytes(Infinity)], ['tmpSize', Size.gibibytes(NaN)],
    ['security', { user: 2147483648 }], ['security', { group: 1e12 }], ['security', { user: Infinity }], ['security', { group: NaN }], ['security', { user: 1.5 }],
  ];
  corpus.ranges = bad.length;
  test.each(bad.map(([f, v]) => [f, describeValue(v), v]))('%s = %s', (field, _shown, value) => {
    const { make, base } = constructs.WebService;
    let error: unknown;
    try {
      make(new Chart(Testing.app(), 'c'), { ...base(), [field as string]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeaworthyError);
    expect((error as SeaworthyError).findings.some(f => f.field.startsWith(field as string))).toBe(true);
  });
});

describe('AppConfig data: strings only, and JavaScript object keys never dropped silently', () => {
  corpus.appConfig = 6 + 1 + 5;
  test.each([['a number', 5], ['a boolean', true], ['null', null], ['an object', { a: 1 }], ['a list', ['x']], ['a Buffer', Buffer.from('x')]])('a value that is %s is refused', (_what, value) => {
    let error: unknown;
    try {
      new AppConfig(new Chart(Testing.app(), 'c'), 'x', { name: 'cfg', data: { k: value as never } });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).findings.map(f => f.field)).toContain('data.k');
  });

  test('an own "__proto__" key reaches the ConfigMap (a valid ConfigMap key; it used to be refused)', () => {
    const chart = new Chart(Testing.app(), 'c');
    new AppConfig(chart, 'x', { name: 'cfg', data: JSON.parse('{"__proto__": "x"}') });
    const data = Testing.synth(chart).find(o => o.kind === 'ConfigMap').data;
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe('x');
  });

  test.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])('an own "%s" key reaches the ConfigMap, where cdk8s-plus alone refuses it', key => {
    const chart = new Chart(Testing.app(), 'c');
    new AppConfig(chart, 'x', { name: 'cfg', data: { [key]: 'v' } });
    expect(Testing.synth(chart).find(o => o.kind === 'ConfigMap').data).toEqual({ [key]: 'v' });
  });

  test('ordinary keys survive to the YAML', () => {
    const chart = new Chart(Testing.app(), 'c');
    new AppConfig(chart, 'x', { name: 'cfg', data: { proto: 'v', 'app.properties': 'a=b' } });
    expect(Testing.synth(chart).find(o => o.kind === 'ConfigMap').data).toEqual({ proto: 'v', 'app.properties': 'a=b' });
  });
});

describe('reference fields are validated as the API server validates them', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['nodeSelector key with a space', { scheduling: { nodeSelector: { 'disk type': 'ssd' } } }, 'scheduling.nodeSelector.disk type'],
    ['nodeSelector key with two slashes', { scheduling: { nodeSelector: { 'a/b/c': 'x' } } }, 'scheduling.nodeSelector.a/b/c'],
    ['nodeSelector key with an upper-case prefix', { scheduling: { nodeSelector: { 'Example.com/disk': 'x' } } }, 'scheduling.nodeSelector.Example.com/disk'],
    ['nodeSelector value with a space', { scheduling: { nodeSelector: { disk: 'fast ssd' } } }, 'scheduling.nodeSelector.disk'],
    ['nodeSelector value too long', { scheduling: { nodeSelector: { disk: 'x'.repeat(64) } } }, 'scheduling.nodeSelector.disk'],
    ['nodeSelector value not a string', { scheduling: { nodeSelector: { disk: 1 } } }, 'scheduling.nodeSelector.disk'],
    ['priorityClassName with upper case', { scheduling: { priorityClassName: 'High' } }, 'scheduling.priorityClassName'],
    ['priorityClassName with a space', { scheduling: { priorityClassName: 'high prio' } }, 'scheduling.priorityClassName'],
    ['priorityClassName empty', { scheduling: { priorityClassName: '' } }, 'scheduling.priorityClassName'],
    ['hostAlias IP 300.1.1.1', { podOptions: { hostAliases: [{ ip: '300.1.1.1', hostnames: ['a.example.com'] }] } }, 'podOptions.hostAliases[0].ip'],
    ['hostAlias IP as a hostname', { podOptions: { hostAliases: [{ ip: 'db.internal', hostnames: ['a.example.com'] }] } }, 'podOptions.hostAliases[0].ip'],
    ['hostAlias hostname with a space', { podOptions: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['a b'] }] } }, 'podOptions.hostAliases[0].hostnames[0]'],
    ['hostAlias hostname upper case', { podOptions: { hostAliases: [{ ip: '::1', hostnames: ['DB.example.com'] }] } }, 'podOptions.hostAliases[0].hostnames[0]'],
    ['imagePullSecret with a slash', { podOptions: { imagePullSecrets: ['ns/regcred'] } }, 'podOptions.imagePullSecrets[0]'],
    ['imagePullSecret empty', { podOptions: { imagePullSecrets: [''] } }, 'podOptions.imagePullSecrets[0]'],
  ];
  corpus.references = bad.length;
  test.each(bad)('%s', (_what, props, field) => {
    const { make, base } = constructs.WebService;
    expectSeaworthyError(() => make(new Chart(Testing.app(), 'c'), { ...base(), ...props }), field);
  });

  test('valid references pass', () => {
    const { make, base } = constructs.WebService;
    expect(() => make(new Chart(Testing.app(), 'c'), {
      ...base(),
      scheduling: { nodeSelector: { 'node.kubernetes.io/instance-type': 'm5.large', disk: 'ssd' }, priorityClassName: 'high-priority' },
      podOptions: { hostAliases: [{ ip: '10.0.0.1', hostnames: ['db.internal'] }, { ip: 'fd00::1', hostnames: ['cache'] }], imagePullSecrets: ['regcred'] },
    })).not.toThrow();
  });
});

describe('Ingress fields are validated as the API server validates them', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['host with upper case', { host: 'Shop.example.com' }, 'host'],
    ['host as an IP address', { host: '10.0.0.1' }, 'host'],
    ['host with a port', { host: 'shop.example.com:443' }, 'host'],
    ['host with a space', { host: 'shop example.com' }, 'host'],
    ['host empty', { host: '' }, 'host'],
    ['host missing', {}, 'host'],
    ['host with a wildcard in the middle', { host: 'shop.*.example.com' }, 'host'],
    ['host with a label over 63 characters', { host: `${'a'.repeat(64)}.example.com` }, 'host'],
    ['tlsSecretName with a slash', { host: 'shop.example.com', tlsSecretName: 'certs/shop' }, 'tlsSecretName'],
    ['tlsSecretName with upper case', { host: 'shop.example.com', tlsSecretName: 'Shop-TLS' }, 'tlsSecretName'],
    ['tlsSecretName empty', { host: 'shop.example.com', tlsSecretName: '' }, 'tlsSecretName'],
    ['ingressClassName with a space', { host: 'shop.example.com', ingressClassName: 'nginx public' }, 'ingressClassName'],
    ['a relative path', { host: 'shop.example.com', paths: ['api'] }, 'paths[0]'],
    ['a path with whitespace', { host: 'shop.example.com', paths: ['/a b'] }, 'paths[0]'],
    ['an empty path list', { host: 'shop.example.com', paths: [] }, 'paths'],
    ['a path listed twice', { host: 'shop.example.com', paths: ['/api', '/api'] }, 'paths[1]'],
    ['a typo in an option', { host: 'shop.example.com', tlsSecret: 'shop-tls' }, 'tlsSecret'],
  ];
  corpus.ingress = bad.length;
  test.each(bad)('%s', (_what, options, field) => {
    const { make, base } = constructs.WebService;
    let error: unknown;
    try {
      const web = make(new Chart(Testing.app(), 'c'), { ...base(), allowFrom: [Peer.namespace('ingress').tcp(8080)] }) as WebService;
      web.addIngress(options as unknown as IngressOptions);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeaworthyError);
    expect((error as SeaworthyError).findings.map(f => f.field)).toContain(field);
  });

  test('a valid Ingress passes, wildcard host included', () => {
    const { make, base } = constructs.WebService;
    const web = make(new Chart(Testing.app(), 'c'), { ...base(), allowFrom: [Peer.namespace('ingress').tcp(8080)] }) as WebService;
    expect(() => web.addIngress({ host: '*.shop.example.com', tlsSecretName: 'shop-tls', ingressClassName: 'nginx', paths: ['/', '/api'] })).not.toThrow();
  });
});

describe('map keys named like Object.prototype members reach the YAML in the Pod maps, never dropped', () => {
  const own = (key: string, value: unknown) => JSON.parse(JSON.stringify({ [`@@${key}`]: value }).replace(`"@@${key}"`, JSON.stringify(key))) as Record<string, unknown>;
  const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];
  const podSpec = (objects: Array<KubeObject>) => objects.find(o => o.kind === 'Deployment')!.spec.template.spec;
  const maps: Array<[string, (key: string) => Record<string, unknown>, (spec: KubeObject, key: string) => unknown, (key: string) => unknown]> = [
    ['env', k => ({ env: Object.defineProperty({}, k, { value: Env.value('x'), enumerable: true }) }), (s, k) => s.containers[0].env.find((e: { name: string }) => e.name === k), k => ({ name: k, value: 'x' })],
    ['nodeSelector', k => ({ scheduling: { nodeSelector: own(k, 'x') } }), (s, k) => Object.getOwnPropertyDescriptor(s.nodeSelector ?? {}, k)?.value, () => 'x'],
    ['DNS options', k => ({ podOptions: { dnsConfig: { options: own(k, '2') } } }), s => s.dnsConfig.options, k => [{ name: k, value: '2' }]],
    ['a sidecar env', k => ({ sidecars: [{ name: 'tail', image: 'ghcr.io/acme/tail:1.0.0', size: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(32) }, env: Object.defineProperty({}, k, { value: Env.value('x'), enumerable: true }) }] }), (s, k) => s.initContainers[0].env.find((e: { name: string }) => e.name === k), k => ({ name: k, value: 'x' })],
  ];
  // "__proto__" is no label key (it must start with an alphanumeric): the API server refuses it in a nodeSelector.
  const cases = maps.flatMap(([what, props, found, expected]) => keys.filter(k => !(what === 'nodeSelector' && k === '__proto__')).map(k => [`${what}: ${k}`, props(k), (s: KubeObject) => found(s, k), expected(k)] as [string, Record<string, unknown>, (s: KubeObject) => unknown, unknown]));
  corpus.objectKeys = cases.length + 2;
  test.each(cases)('%s', (_what, props, found, expected) => {
    const { make, base } = constructs.WebService;
    const chart = new Chart(Testing.app(), 'c');
    make(chart, { ...base(), ...props });
    expect(found(podSpec(Testing.synth(chart)))).toEqual(expected);
  });

  test('"__proto__" in a nodeSelector is refused as a label key, with the API server\'s words', () => {
    const { make, base } = constructs.WebService;
    expectSeaworthyError(() => make(new Chart(Testing.app(), 'c'), { ...base(), scheduling: { nodeSelector: own('__proto__', 'x') } }), 'scheduling.nodeSelector.__proto__');
  });

  test('maps that do not carry them refuse them clearly (StorageClass parameters)', () => {
    const sw = expectSeaworthyError(() => new StorageClass(new Chart(Testing.app(), 'c'), 'sc', { name: 'fast', provisioner: 'ebs.csi.aws.com', parameters: own('constructor', 'x') as Record<string, string> }), 'parameters.constructor');
    expect(sw.message).toMatch(/built-in JavaScript object member/);
  });

  test('ordinary keys that merely contain those words pass', () => {
    const { make, base } = constructs.WebService;
    expect(() => make(new Chart(Testing.app(), 'c'), { ...base(), env: { CONSTRUCTOR_MODE: Env.value('1'), proto: Env.value('2') }, scheduling: { nodeSelector: { 'example.com/constructor': 'x' } } })).not.toThrow();
  });
});

describe('peers are validated as the NetworkPolicy they become', () => {
  const bad: Array<[string, Peer, string]> = [
    ['a namespace with upper case', Peer.namespace('Monitoring'), 'allowFrom[0].namespace'],
    ['a namespace with a dot', Peer.namespace('a.b'), 'allowFrom[0].namespace'],
    ['pods in a namespace with a space', Peer.pods({ app: 'x' }, 'team a'), 'allowFrom[0].namespace'],
    ['a pod label key with a space', Peer.pods({ 'app name': 'x' }), 'allowFrom[0].podLabels.app name'],
    ['a pod label value with a slash', Peer.pods({ app: 'a/b' }), 'allowFrom[0].podLabels.app'],
    ['a pod label value too long', Peer.pods({ app: 'x'.repeat(64) }), 'allowFrom[0].podLabels.app'],
    ['a pod label key named constructor', Peer.pods({ constructor: 'x' } as unknown as Record<string, string>), 'allowFrom[0].podLabels.constructor'],
    ['a pod label key named toString', Peer.pods({ toString: 'x' } as unknown as Record<string, string>), 'allowFrom[0].podLabels.toString'],
    ['a namespace label key with an upper-case prefix', Peer.namespaces({ 'Example.com/team': 'a' }), 'allowFrom[0].namespaceLabels.Example.com/team'],
    ['a namespace label value with a space', Peer.namespaces({ team: 'a b' }), 'allowFrom[0].namespaceLabels.team'],
    ['a CIDR without a prefix length', Peer.ipBlock('10.0.0.0'), 'allowFrom[0].cidr'],
    ['a CIDR with a prefix length over 32', Peer.ipBlock('10.0.0.0/33'), 'allowFrom[0].cidr'],
    ['a CIDR that is a host name', Peer.ipBlock('db.internal/32'), 'allowFrom[0].cidr'],
    ['an IPv6 CIDR over 128', Peer.ipBlock('fd00::/129'), 'allowFrom[0].cidr'],
    ['a port number 0', Peer.namespace('monitoring').tcp(0), 'allowFrom[0].ports'],
  ];
  corpus.peers = bad.length;
  test.each(bad)('%s', (_what, peer, field) => {
    const { make, base } = constructs.WebService;
    expectSeaworthyError(() => make(new Chart(Testing.app(), 'c'), { ...base(), allowFrom: [peer] }), field);
  });

  test('valid peers pass', () => {
    const { make, base } = constructs.WebService;
    expect(() => make(new Chart(Testing.app(), 'c'), {
      ...base(),
      allowFrom: [Peer.namespace('monitoring'), Peer.pods({ 'app.kubernetes.io/name': 'web' }, 'shop'), Peer.namespaces({ 'kubernetes.io/metadata.name': 'a' }), Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']), Peer.ipBlock('fd00::/8')],
    })).not.toThrow();
  });
});

describe('references to ConfigMaps, Secrets and probe headers are validated as the API server validates them', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['a Secret name with a slash', { env: { DB_PASSWORD: Env.fromSecret('db/creds', 'password') } }, 'env.DB_PASSWORD'],
    ['a Secret name with upper case', { env: { DB_PASSWORD: Env.fromSecret('DB', 'password') } }, 'env.DB_PASSWORD'],
    ['an empty Secret name', { env: { DB_PASSWORD: Env.fromSecret('', 'password') } }, 'env.DB_PASSWORD'],
    ['a Secret key with a space', { env: { DB_PASSWORD: Env.fromSecret('db', 'pass word') } }, 'env.DB_PASSWORD'],
    ['a Secret key ".."', { env: { DB_PASSWORD: Env.fromSecret('db', '..') } }, 'env.DB_PASSWORD'],
    ['a ConfigMap name with an underscore', { env: { MODE: Env.fromConfigMap('app_config', 'mode') } }, 'env.MODE'],
    ['a ConfigMap key with a slash', { env: { MODE: Env.fromConfigMap('app', 'a/b') } }, 'env.MODE'],
    ['a ConfigMap key starting with ".."', { env: { MODE: Env.fromConfigMap('app', '..mode') } }, 'env.MODE'],
    ['a literal that is a number', { env: { MODE: Env.value(1 as unknown as string) } }, 'env.MODE'],
    ['a probe header name with a space', { readiness: Probe.http('/ready', { headers: { 'X Token': 'a' } }) }, 'readiness.headers.X Token'],
    ['a probe header name with a colon', { readiness: Probe.http('/ready', { headers: { 'Host:': 'a' } }) }, 'readiness.headers.Host:'],
    ['a probe header value that is a number', { readiness: Probe.http('/ready', { headers: { 'X-Id': 1 as unknown as string } }) }, 'readiness.headers.X-Id'],
  ];
  corpus.envReferences = bad.length;
  test.each(bad)('%s', (_what, props, field) => {
    const { make, base } = constructs.WebService;
    expectSeaworthyError(() => make(new Chart(Testing.app(), 'c'), { ...base(), ...props }), field);
  });

  test('valid references pass', () => {
    const { make, base } = constructs.WebService;
    expect(() => make(new Chart(Testing.app(), 'c'), {
      ...base(),
      env: { DB_PASSWORD: Env.fromSecret('db.creds', 'password'), MODE: Env.fromConfigMap('app-config', 'app.mode_1') },
      readiness: Probe.http('/ready', { headers: { 'X-Probe': 'kubelet' } }),
    })).not.toThrow();
  });
});

describe('numbers beyond the API\'s 32-bit fields are rule errors, not server rejections', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['replicas 2^31', { replicas: 2147483648 }, 'replicas'],
    ['replicas 3e9', { replicas: 3e9 }, 'replicas'],
    ['a probe period of 1e12 seconds', { readiness: Probe.http('/ready', { period: Duration.seconds(1e12) }) }, 'readiness.period'],
    ['a probe timeout of 2^31 seconds', { readiness: Probe.http('/ready', { timeout: Duration.seconds(2147483648) }) }, 'readiness.timeout'],
    ['a failureThreshold of 3e9', { readiness: Probe.http('/ready', { failureThreshold: 3e9 }) }, 'readiness.failureThreshold'],
  ];
  corpus.int32 = bad.length + 1;
  test.each(bad)('%s', (_what, props, field) => {
    const { make, base } = constructs.WebService;
    expectSeaworthyError(() => make(new Chart(Testing.app(), 'c'), { ...base(), ...props }), field);
  });

  test('StatefulService replicas 2^31', () => {
    const { make, base } = constructs.StatefulService;
    expect(() => make(new Chart(Testing.app(), 'c'), { ...base(), replicas: 2147483648 })).toThrow(/SW-REPLICAS-001.*32-bit/);
  });
});

test('the invalid-props corpus holds at least 148 inputs', () => {
  // Counted per class as each describe block is collected; 148 when the corpus was split by
  // concept (with invalid-props.test.ts and the other two, 700 hostile inputs), and it only grows.
  expect(Object.values(corpus).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(148);
});
