import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AppConfig, Env, ExternalService, FixedEndpointsService, Gateway, HttpRoute, IngressOptions, ListenerProtocol, Peer, Probe, SeaworthyError,
  StorageClass, Tenant, WebService,
} from '../src';
import { run } from '../src/cli/main';
import { secretArgs, secretNameReason, secretValueReason } from '../src/validation/secrets';
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

/* ------------------------------------------------------------------------------------------ */
/* Hostile input to the CLI: every input must be audited or reported,                          */
/* within bounded time, and every output format must print it inert.                          */
/* ------------------------------------------------------------------------------------------ */

/** Inputs per class of hostile input, counted as each describe block is collected. */
const corpus: Record<string, number> = {};
const newInputs = () => Object.values(corpus).reduce((a, b) => a + b, 0);

function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: true });
  return { code, stdout, stderr };
}

const hostileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-hostile-'));
let fileCount = 0;
function file(text: string): string {
  const f = path.join(hostileDir, `f${fileCount++}.yaml`);
  fs.writeFileSync(f, text);
  return f;
}

const laughs = (levels: number, width: number) => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol, namespace: a}', 'data:', `  l0: &l0 [${Array(width).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
};
const mapLaughs = (levels: number, width: number) => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol, namespace: a}', 'x:', '  l0: &l0 {a: b}'];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} {${Array.from({ length: width }, (_, k) => `k${k}: *l${i - 1}`).join(', ')}}`);
  return `${lines.join('\n')}\n`;
};

describe('alias bombs are refused in bounded time, as go-yaml refuses them', () => {
  const bombs: Array<[string, string, number]> = [];
  for (const levels of [6, 7, 8, 9, 10, 12, 15, 20]) for (const width of [8, 10, 16, 32]) bombs.push([`list ${levels}x${width}`, laughs(levels, width), width ** levels]);
  for (const levels of [7, 9, 12]) for (const width of [10, 16]) bombs.push([`map ${levels}x${width}`, mapLaughs(levels, width), width ** levels]);
  corpus.aliasBombs = bombs.length + 1;
  bombs.push(['an alias to its own anchor', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nx: &a [1, *a]\n', Infinity]);
  test.each(bombs)('%s: audited or refused within seconds; refused above go-yaml\'s limits', (_what, text, expansion) => {
    const started = Date.now();
    const r = cli(['audit', '--format', 'json', file(text)]);
    expect(Date.now() - started).toBeLessThan(3000);
    const problems = JSON.parse(r.stdout).problems;
    if (expansion > 4_000_000) {
      expect(r.code).toBe(2);
      expect(problems[0].message).toMatch(/excessive aliasing|expands to more than|refers to itself/);
    } else {
      expect(problems).toEqual([]);
    }
  });

  test('a few aliases, as real manifests use them, are fine', () => {
    const r = cli(['audit', '--format', 'json', file(laughs(3, 4))]);
    expect(JSON.parse(r.stdout).problems).toEqual([]);
  });
});

describe('kind: List is flattened recursively: nested Lists hide nothing', () => {
  const secret = '{apiVersion: v1, kind: Secret, metadata: {name: hidden, namespace: a}, stringData: {password: x}}';
  const nest = (depth: number) => {
    let inner = secret;
    for (let i = 0; i < depth; i++) inner = `{apiVersion: v1, kind: List, items: [${inner}]}`;
    return `${inner}\n`;
  };
  corpus.nestedLists = 10 + 1 + 5;
  test.each([1, 2, 3, 5, 10, 20, 50, 100, 200, 300])('a Secret inside %i nested Lists is audited', depth => {
    const r = cli(['audit', '--format', 'json', file(nest(depth))]);
    const out = JSON.parse(r.stdout);
    expect(out.problems).toEqual([]);
    expect(out.findings.map((f: { rule: string; object: string }) => `${f.rule} ${f.object}`)).toContain('SW-SECRET-001 Secret/a/hidden');
  });
  test('too deep to parse is reported, never silently dropped', () => {
    const r = cli(['audit', '--format', 'json', file(nest(2000))]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems).toHaveLength(1);
  });
  test.each(['42', '"text"', 'null', '[1, 2]', 'true'])('a List item %s that is not an object is reported', item => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: List\nitems: [${item}, ${secret}]\n`)]);
    const out = JSON.parse(r.stdout);
    expect(r.code).toBe(2);
    expect(out.problems[0].message).toMatch(/items\[0\] of a List is not an object/);
    expect(out.findings.map((f: { rule: string }) => f.rule)).toContain('SW-SECRET-001');
  });
});

describe('work per document is bounded', () => {
  corpus.bounded = 1 + 4 + 4;
  test('a document over 3 MiB is reported, not parsed', () => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: "${'a'.repeat(3 << 20)}"\n`)]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems[0].message).toMatch(/over 3145728 are not parsed/);
  });
  test.each([1 << 10, 1 << 16, 1 << 20, 2 << 20])('a %i-character bad value is cut in the finding', n => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n  labels:\n    x: "${'a '.repeat(n / 2)}"\n`)]);
    const f = JSON.parse(r.stdout).findings.find((x: { rule: string }) => x.rule === 'SW-LABEL-001');
    expect(f.value.length).toBeLessThan(130);
    expect(r.stdout.length).toBeLessThan(5000);
  });
  test.each([1001, 1500, 5000, 20000])('flow nesting %i deep is reported', depth => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\n`)]);
    expect(r.code).toBe(2);
  });
});

describe('directory walking survives what a file system can hold', () => {
  const base = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-walk-'));
    fs.writeFileSync(path.join(dir, 'good.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\nstringData: {k: v}\n');
    return dir;
  };
  const audited = (r: { stdout: string }) => JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule);
  const cases: Array<[string, (dir: string) => void]> = [
    ['a symlink loop to the directory itself', d => fs.symlinkSync(d, path.join(d, 'loop'))],
    ['a symlink loop to a parent', d => { fs.mkdirSync(path.join(d, 'sub')); fs.symlinkSync(d, path.join(d, 'sub', 'up')); }],
    ['a self-referencing link with a manifest name', d => fs.symlinkSync(path.join(d, 'self.yaml'), path.join(d, 'self.yaml'))],
    ['a dangling link with a manifest name', d => fs.symlinkSync(path.join(d, 'nowhere'), path.join(d, 'dangling.yaml'))],
    ['a FIFO with a manifest name', d => { spawnSync('mkfifo', [path.join(d, 'pipe.yaml')]); }],
    ['a link to a character device', d => fs.symlinkSync('/dev/zero', path.join(d, 'zero.yaml'))],
    ['a unix socket', d => { spawnSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path.join(d, 'sock.yaml'))})`]); }],
    ['an unreadable directory', d => { fs.mkdirSync(path.join(d, 'locked')); fs.writeFileSync(path.join(d, 'locked', 'x.yaml'), 'kind: A'); fs.chmodSync(path.join(d, 'locked'), 0); }],
  ];
  corpus.walking = cases.length + 3;
  test.each(cases)('%s: skipped with a message, the rest audited, exit 2', (what, make) => {
    const dir = base();
    make(dir);
    const started = Date.now();
    const r = cli(['audit', '--format', 'json', dir]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(audited(r)).toContain('SW-SECRET-001');
    // Root reads unreadable directories; only then is there nothing to report.
    if (what === 'an unreadable directory' && process.getuid?.() === 0) return;
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems.length).toBeGreaterThan(0);
  });
  test.each(['/dev/null', '/dev/zero', '/nonexistent/file.yaml'])('%s named on the command line is reported, never read', p => {
    const r = cli(['audit', '--format', 'json', p]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems).toHaveLength(1);
  });
});

describe('every output format prints hostile strings inert', () => {
  const nasty = ['\u001b[2J', '\u001b]0;pwned\u0007', '\u009b31m', '\u0000', '\u0008\u0008', '\r', '\u007f', '\u2028', '\u2029', '\u202e', '\u2066', '\u061c', '\ufffe', '\ud800', '<!--', ']]>', '"];click n0 "http://x', '&amp;', '|x|', '#quot;'];
  const ILLEGAL_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u061c]/;
  const docFor = (s: string) => file(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${JSON.stringify(`svc${s}`)}\n  namespace: ${JSON.stringify(`ns${s}`)}\n  labels: {x: ${JSON.stringify(s)}}\nspec: {selector: {app: ${JSON.stringify(s)}}, ports: [{port: 80}]}\n`);
  const cases = nasty.flatMap(s => ['table', 'junit', 'json', 'sarif', 'mermaid', 'text'].map(format => [format, JSON.stringify(s), s]));
  corpus.escaping = cases.length;
  test.each(cases)('%s output of %s', (format, _shown, s) => {
    const f = docFor(s as string);
    const r = format === 'mermaid' || format === 'text' ? cli(['explain', '--format', format as string, f]) : cli(['audit', '--format', format as string, f]);
    const out = r.stdout + r.stderr;
    if (format === 'table' || format === 'text') expect(out.replace(/\u001b\[(0|3[136])m/g, '')).not.toMatch(TERMINAL);
    if (format === 'junit') expect(out).not.toMatch(ILLEGAL_XML);
    if (format === 'json' || format === 'sarif') expect(() => JSON.parse(r.stdout)).not.toThrow();
    if (format === 'mermaid') for (const line of r.stdout.split('\n').slice(1)) expect(line).toMatch(/^ {2}n\d+(\["[^"]*"\]|\(\["[^"]*"\]\))?( -->(\|[^|"]*\|)? n\d+)?$|^$/);
  });
});

describe('malformed flags are usage errors', () => {
  const bad = [
    ['--format=json=x'], ['--format='], ['--format', ''], ['--format', 'JSON'], ['--format', 'json', '--format', 'sarif'], ['--profile=prod'], ['--fail-on', 'info'],
    ['--fail-on=error=1'], ['--nope'], ['-f', 'json'], ['--format'], ['--format\u001b[2J=json'], ['--=x'], ['---format=json'], ['--profile', 'production', '--profile=staging'],
  ];
  corpus.flags = bad.length;
  test.each(bad.map(b => [JSON.stringify(b), b]))('audit %s', (_shown, flags) => {
    const r = cli(['audit', ...(flags as string[]), path.join(__dirname, 'fixtures', 'bad', 'network.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^seaworthy: /);
    expect(r.stderr).not.toMatch(/\u001b/);
  });
});

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

/* ------------------------------------------------------------------------------------------ */
/* Secrets never slip through silently: one detector, every place.                           */
/* ------------------------------------------------------------------------------------------ */

// Credentials built at run time so this file holds no literal that scanners flag.
const SECRET_VALUES_BY_SHAPE: Array<[string, string]> = [
  ['a URL with a password', ['postgres://app:', 's3cr3t-pw', '@db.internal:5432/app'].join('')],
  ['a redis URL with a password', ['redis://:', 'hunter2hunter2', '@cache:6379/0'].join('')],
  ['an amqp URL', ['amqp://user:', 'pa55word', '@mq/vhost'].join('')],
  ['a PEM RSA key', ['-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'].join('')],
  ['a PEM key', ['-----BEGIN ', 'PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----'].join('')],
  ['an OpenSSH key', ['-----BEGIN OPENSSH ', 'PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----'].join('')],
  ['an EC key', ['-----BEGIN EC ', 'PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----'].join('')],
  ['an AWS access key id', ['AKIA', 'IOSFODNN7EXAMPLE'].join('')],
  ['an AWS STS key id', ['ASIA', 'Y34FZKBOKMUTVV7A'].join('')],
  ['a JWT', ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.')],
  ['a GitHub token', ['ghp_', 'a'.repeat(36)].join('')],
  ['a GitLab token', ['glpat-', 'x'.repeat(20)].join('')],
  ['a Slack token', ['xoxb-', '1234567890-abcdefghij'].join('')],
  ['a Google API key', ['AIza', 'S'.repeat(35)].join('')],
  ['a Stripe key', ['sk_live_', '4eC39HqLyjWDarjtT1zdp7dc'].join('')],
  ['a bearer header value', ['Bearer ', 'abcdef0123456789'].join('')],
  ['a basic header value', ['Basic ', 'dXNlcjpwYXNzd29yZA=='].join('')],
  ['a --password= flag', ['--password=', 'hunter22'].join('')],
  ['a --db-password= flag', ['--db-password=', 'hunter22'].join('')],
  ['a --api-key= flag', ['--api-key=', 'k3yk3yk3y'].join('')],
  ['a -token= flag', ['-token=', 'abcd1234'].join('')],
  ['a password= assignment', ['host=db user=app password=', 'hunter22'].join('')],
  ['a JDBC password', ['jdbc:mysql://db/app?user=app&password=', 'hunter22'].join('')],
  ['an ini secret', ['[db]\nsecret = ', 'hunter22hunter'].join('')],
  ['a service-account key', ['{"type": "service_account", "private_key": "', 'x', '"}'].join('')],
];
const NOT_SECRETS = ['postgres://db.internal:5432/app', 'https://user@example.com/path', 'http://example.com:8080/a@b', 'info', 'ghcr.io/acme/api:1.4.2', '--password-file=/run/secrets/db', '--token-ttl=1h', 'Bearer', 'password=$(DB_PASSWORD)',
  'password=${DB_PASSWORD}', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'AKIA-not-a-key', 'eyJhbGciOiJIUzI1NiJ9', '0123456789abcdef', 'a=b', 'secret-name', '/etc/passwd', 'SELECT 1'];
const SECRET_NAMES = ['DB_PASSWORD', 'PASS', 'DB_PASS', 'PASSWD', 'MYSQL_PWD', 'GPG_PASSPHRASE', 'CLIENT_SECRET', 'SECRET', 'AUTH_TOKEN', 'API_KEY', 'APIKEY', 'apiKey', 'stripeApiKey', 'PRIVATE_KEY', 'privateKey',
  'ENCRYPTION_KEY', 'SIGNING_KEY', 'SSH_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY', 'GOOGLE_APPLICATION_CREDENTIALS_JSON', 'CREDENTIALS', 'BASIC_AUTH', 'AUTH', 'SENTRY_DSN', 'DSN', 'db.password', 'smtp-password', 'session_key', 'COOKIE_SECRET'];
const INNOCENT_NAMES = ['LOG_LEVEL', 'PORT', 'DB_HOST', 'PASSWORD_FILE', 'TOKEN_PATH', 'SECRET_NAME', 'AUTH_URL', 'AUTH_ENABLED', 'OAUTH_ISSUER', 'API_KEY_ID', 'KEYCLOAK_REALM', 'PASSTHROUGH', 'COMPASS', 'BYPASS_CACHE', 'TOKENIZER', 'AUTHOR', 'KEY_NAME', 'MONKEY', 'SECRETARY_EMAIL', 'DSN_HOST'];

describe('the secret detector', () => {
  corpus.detector = SECRET_VALUES_BY_SHAPE.length + NOT_SECRETS.length + SECRET_NAMES.length + INNOCENT_NAMES.length + 5;
  test.each(SECRET_VALUES_BY_SHAPE)('catches %s by its shape', (_what, value) => {
    expect(secretValueReason(value)).toBeDefined();
  });
  test.each(NOT_SECRETS.map(v => [JSON.stringify(v), v]))('leaves %s alone', (_shown, value) => {
    expect(secretValueReason(value)).toBeUndefined();
  });
  test.each(SECRET_NAMES)('catches the name %s', name => {
    expect(secretNameReason(name)).toBeDefined();
  });
  test.each(INNOCENT_NAMES)('leaves the name %s alone', name => {
    expect(secretNameReason(name)).toBeUndefined();
  });
  test.each([[['--password', 'hunter22'], 1], [['-p', 'x', '--token', 'abc123'], 3], [['--password', '$(DB_PASSWORD)'], -1], [['--password-file', '/run/pw'], -1], [['--api-key', '--verbose'], -1]] as Array<[string[], number]>)('args %j: the secret is at index %i', (args, at) => {
    expect(secretArgs(args).map(([i]) => i)).toEqual(at < 0 ? [] : [at]);
  });
});

describe('the audit finds secrets wherever a manifest puts them, and never prints them (SW-SECRET-002)', () => {
  const places: Array<[string, (v: string) => string]> = [
    ['a ConfigMap value', v => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata:\n  app.conf: ${JSON.stringify(v)}\n`],
    ['an annotation value', v => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n  annotations: {note: ${JSON.stringify(v)}}\n`],
    ['an env value under an innocent name', v => pod(`env: [{name: DB_URL, value: ${JSON.stringify(v)}}]`)],
    ['an arg', v => pod(`args: [serve, ${JSON.stringify(v)}]`)],
    ['a command', v => pod(`command: [/app, ${JSON.stringify(v)}]`)],
    ['a probe header', v => pod(`readinessProbe: {httpGet: {path: /, port: 80, httpHeaders: [{name: X-Check, value: ${JSON.stringify(v)}}]}}`)],
    ['a custom resource field', v => `apiVersion: example.com/v1\nkind: Database\nmetadata: {name: d, namespace: a}\nspec:\n  connection: ${JSON.stringify(v)}\n`],
    ['a List item', v => `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c, namespace: a}\n    data: {x: ${JSON.stringify(v)}}\n`],
  ];
  function pod(container: string): string {
    return `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n    - name: c\n      image: a/b:1\n      ${container}\n`;
  }
  const cases = places.flatMap(([where, make]) => SECRET_VALUES_BY_SHAPE.filter(([what]) => !/flag|assignment/.test(what) || where !== 'a probe header').map(([what, v]) => [where, what, make, v] as const));
  corpus.auditSecrets = cases.length + 8 + 12 + 4;
  test.each(cases)('%s holding %s', (_where, _what, make, value) => {
    const f = file(make(value));
    for (const format of ['table', 'json', 'sarif', 'junit']) {
      const r = cli(['audit', '--format', format, f]);
      expect(r.stdout).toContain('SW-SECRET-002');
      expect(r.stdout).not.toContain(value);
      for (const line of value.split('\n').filter(l => l.length >= 8)) expect(r.stdout).not.toContain(line);
    }
  });

  test.each(INNOCENT_NAMES.slice(0, 8))('a ConfigMap key %s with an ordinary value is fine', name => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {${name}: "https://example.com"}\n`)]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).not.toContain('SW-SECRET-002');
  });

  test.each(SECRET_NAMES.slice(0, 12))('a ConfigMap key %s with a literal value is reported', name => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {${JSON.stringify(name)}: "plain-looking-value"}\n`)]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).toContain('SW-SECRET-002');
    expect(r.stdout).not.toContain('plain-looking-value');
  });

  test.each(['Authorization', 'Proxy-Authorization', 'X-Api-Key', 'X-Auth-Token'])('a probe header %s with a literal value is reported', header => {
    const r = cli(['audit', '--format', 'json', file(pod(`livenessProbe: {httpGet: {path: /, port: 80, httpHeaders: [{name: ${header}, value: "opaque-value-123"}]}}`))]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).toContain('SW-SECRET-002');
    expect(r.stdout).not.toContain('opaque-value-123');
  });

  test('the reference app has none', () => {
    const r = cli(['audit', '--format', 'json', path.join(__dirname, '..', 'dist')]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).not.toContain('SW-SECRET-002');
  });
});

describe('the constructs ask the same detector at synth', () => {
  corpus.synthSecrets = 19 + 3 + 3;
  test.each(SECRET_VALUES_BY_SHAPE.filter(([what]) => !/PEM|OpenSSH|EC key|service-account|ini/.test(what)))('an env literal holding %s', (_what, value) => {
    const { make, base } = constructs.WebService;
    let error: unknown;
    try {
      make(new Chart(Testing.app(), 'c'), { ...base(), env: { DB_URL: Env.value(value) } });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).ruleIds).toContain('SW-SECRET-002');
    expect((error as SeaworthyError).message).not.toContain(value);
  });
  test.each([[['--password=hunter22x']], [['--token', 'abcdef123']], [['serve', '--db-url', 'postgres://u:pw123456@db/x']]])('args %j', args => {
    const { make, base } = constructs.Worker;
    let error: unknown;
    try {
      make(new Chart(Testing.app(), 'c'), { ...base(), args });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).ruleIds).toContain('SW-SECRET-002');
  });
  test.each([['DB_PASSWORD', 'x'], ['settings.ini', 'password = hunter22hunter'], ['url', 'postgres://u:pw123456@db/x']])('AppConfig data %s', (key, value) => {
    let error: unknown;
    try {
      new AppConfig(new Chart(Testing.app(), 'c'), 'x', { name: 'cfg', data: { [key]: value } });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).ruleIds).toContain('SW-SECRET-002');
    expect((error as SeaworthyError).message).not.toContain(value.length > 1 ? value : '\u0000');
  });
});

test('the hostile-input corpus holds at least 300 inputs', () => {
  // Counted per class in this file; names (write-tree.test.ts, identity.test.ts) and the
  // fault-injection steps come on top.
  expect(newInputs()).toBeGreaterThanOrEqual(300);
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
