import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { DisruptionBudget, Env, Peer, Probe, PreStop, Rules, RULES_BY_ID, SeaworthyError, WebService, WebServiceProps } from '../src';
import { apiProps } from './support/props';
import { newChart, synthValid, thrownBy } from './support/synth';

interface Case {
  /** What is wrong. */
  readonly what: string;
  /** The rule that must fire. */
  readonly id: string;
  /** Props that violate it. */
  readonly bad: Partial<WebServiceProps>;
  /** The closest props that satisfy it. */
  readonly good: Partial<WebServiceProps>;
  /** The field and rendered value the message must name. */
  readonly field: string;
  readonly value: string;
}

// Plain-JavaScript callers can pass anything; these casts model them.
const js = <T>(v: unknown): T => v as T;

const cases: Case[] = [
  { what: 'command as a string from JavaScript', id: 'SW-PROPS-001', bad: { command: js('/app/server --port 8080') }, good: { command: ['/app/server', '--port', '8080'] }, field: 'command', value: '"/app/server --port 8080"' },
  { what: 'env value as a bare string from JavaScript', id: 'SW-ENV-002', bad: { env: { LOG_LEVEL: js('info') } }, good: { env: { LOG_LEVEL: Env.value('info') } }, field: 'env.LOG_LEVEL', value: '"info"' },
  { what: 'spread maxSkew of 0', id: 'SW-SPREAD-001', bad: { spread: { maxSkew: 0 } }, good: { spread: { maxSkew: 1 } }, field: 'spread.maxSkew', value: '0' },
  { what: 'image tagged latest', id: 'SW-IMAGE-001', bad: { image: 'nginx:latest' }, good: { image: 'nginx:1.27.0' }, field: 'image', value: '"nginx:latest"' },
  { what: 'image without tag', id: 'SW-IMAGE-001', bad: { image: 'ghcr.io/acme/api' }, good: { image: 'ghcr.io/acme/api:2' }, field: 'image', value: '"ghcr.io/acme/api"' },
  { what: 'malformed image', id: 'SW-IMAGE-002', bad: { image: 'Acme/API:1.0' }, good: { image: 'acme/api:1.0' }, field: 'image', value: '"Acme/API:1.0"' },
  { what: 'missing readiness probe', id: 'SW-PROBE-001', bad: { readiness: js(undefined) }, good: { readiness: Probe.tcp() }, field: 'readiness', value: '(unset)' },
  { what: 'identical readiness and liveness', id: 'SW-PROBE-002', bad: { readiness: Probe.http('/health'), liveness: Probe.http('/health', { period: Duration.seconds(30) }) }, good: { readiness: Probe.http('/ready'), liveness: Probe.http('/health') }, field: 'liveness', value: '"httpGet HTTP://<pod-ip>:8080/health"' },
  { what: 'identical probes by name and number', id: 'SW-PROBE-002', bad: { readiness: Probe.http('/health', { portName: 'http' }), liveness: Probe.http('/health', { port: 8080 }) }, good: { readiness: Probe.http('/health', { portName: 'http' }), liveness: Probe.http('/health', { port: 8080, headers: { 'X-Probe': 'liveness' } }) }, field: 'liveness', value: '"httpGet HTTP://<pod-ip>:8080/health"' },
  { what: 'probe on an undeclared port', id: 'SW-PROBE-003', bad: { readiness: Probe.http('/ready', { port: 9090 }) }, good: { readiness: Probe.http('/ready', { port: 8080 }) }, field: 'readiness.port', value: '9090' },
  { what: 'probe on an undeclared port name', id: 'SW-PROBE-003', bad: { liveness: Probe.http('/healthz', { portName: 'metrics' }) }, good: { liveness: Probe.http('/healthz', { portName: 'metrics' }), extraPorts: [{ name: 'metrics', port: 9090 }] }, field: 'liveness.portName', value: '"metrics"' },
  { what: 'liveness successThreshold above 1', id: 'SW-PROBE-004', bad: { liveness: Probe.http('/healthz', { successThreshold: 2 }) }, good: { liveness: Probe.http('/healthz', { failureThreshold: 2 }) }, field: 'liveness.successThreshold', value: '2' },
  { what: 'probe period of 0', id: 'SW-PROBE-004', bad: { readiness: Probe.http('/ready', { period: Duration.seconds(0) }) }, good: { readiness: Probe.http('/ready', { period: Duration.seconds(1) }) }, field: 'readiness.period', value: '0' },
  { what: 'relative probe path', id: 'SW-PROBE-004', bad: { readiness: Probe.http('ready') }, good: { readiness: Probe.http('/ready') }, field: 'readiness.path', value: '"ready"' },
  { what: 'grace period shorter than preStop + drain + margin', id: 'SW-SHUTDOWN-001', bad: { shutdown: { gracePeriod: Duration.seconds(20) } }, good: { shutdown: { gracePeriod: Duration.seconds(25) } }, field: 'shutdown.gracePeriod', value: '"20s"' },
  { what: 'grace period below a long preStop', id: 'SW-SHUTDOWN-001', bad: { shutdown: { preStop: PreStop.sleep(Duration.seconds(30)), gracePeriod: Duration.seconds(30) } }, good: { shutdown: { preStop: PreStop.sleep(Duration.seconds(30)) } }, field: 'shutdown.gracePeriod', value: '"30s"' },
  { what: 'fractional drain time', id: 'SW-SHUTDOWN-003', bad: { shutdown: { drainTime: Duration.millis(1500) } }, good: { shutdown: { drainTime: Duration.seconds(2) } }, field: 'shutdown.drainTime', value: '"1500ms"' },
  { what: 'PDB with maxUnavailable 0', id: 'SW-PDB-001', bad: { disruptionBudget: DisruptionBudget.maxUnavailable(0) }, good: { disruptionBudget: DisruptionBudget.maxUnavailable(2) }, field: 'disruptionBudget.maxUnavailable', value: '0' },
  { what: 'PDB with minAvailable = replicas', id: 'SW-PDB-001', bad: { disruptionBudget: DisruptionBudget.minAvailable(3) }, good: { disruptionBudget: DisruptionBudget.minAvailable(2) }, field: 'disruptionBudget.minAvailable', value: '3' },
  { what: 'PDB with minAvailable 100%', id: 'SW-PDB-001', bad: { disruptionBudget: DisruptionBudget.minAvailablePercent(100) }, good: { disruptionBudget: DisruptionBudget.minAvailablePercent(60) }, field: 'disruptionBudget.minAvailable', value: '"100%"' },
  { what: 'PDB blocking drains at the HPA minimum', id: 'SW-PDB-001', bad: { replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 8 }, disruptionBudget: DisruptionBudget.minAvailable(2) }, good: { replicas: undefined, autoscaling: { minReplicas: 3, maxReplicas: 8 }, disruptionBudget: DisruptionBudget.minAvailable(2) }, field: 'disruptionBudget.minAvailable', value: '2' },
  { what: 'HPA min below 2', id: 'SW-HPA-001', bad: { replicas: undefined, autoscaling: { minReplicas: 1, maxReplicas: 5 } }, good: { replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 5 } }, field: 'autoscaling.minReplicas', value: '1' },
  { what: 'HPA min above max', id: 'SW-HPA-002', bad: { replicas: undefined, autoscaling: { minReplicas: 6, maxReplicas: 4 } }, good: { replicas: undefined, autoscaling: { minReplicas: 4, maxReplicas: 6 } }, field: 'autoscaling.maxReplicas', value: '4' },
  { what: 'HPA min equal to max', id: 'SW-HPA-002', bad: { replicas: undefined, autoscaling: { minReplicas: 3, maxReplicas: 3 } }, good: { replicas: undefined, autoscaling: { minReplicas: 3, maxReplicas: 4 } }, field: 'autoscaling.maxReplicas', value: '3' },
  { what: 'HPA cpu target above 100', id: 'SW-HPA-003', bad: { replicas: undefined, autoscaling: { maxReplicas: 4, cpuUtilization: 150 } }, good: { replicas: undefined, autoscaling: { maxReplicas: 4, cpuUtilization: 90 } }, field: 'autoscaling.cpuUtilization', value: '150' },
  { what: 'replicas together with autoscaling', id: 'SW-HPA-004', bad: { replicas: 3, autoscaling: { maxReplicas: 5 } }, good: { replicas: undefined, autoscaling: { maxReplicas: 5 } }, field: 'replicas', value: '3' },
  { what: 'name with uppercase', id: 'SW-NAME-001', bad: { name: 'Api' }, good: { name: 'api' }, field: 'name', value: '"Api"' },
  { what: 'name starting with a digit (DNS-1035)', id: 'SW-NAME-001', bad: { name: '1api' }, good: { name: 'api1' }, field: 'name', value: '"1api"' },
  { what: 'name longer than 63 characters', id: 'SW-NAME-001', bad: { name: 'a'.repeat(64) }, good: { name: 'a'.repeat(63) }, field: 'name', value: `"${'a'.repeat(64)}"` },
  { what: 'invalid label value', id: 'SW-LABEL-001', bad: { component: 'web server' }, good: { component: 'web-server' }, field: 'component', value: '"web server"' },
  { what: 'label value too long', id: 'SW-LABEL-001', bad: { instance: `i${'x'.repeat(63)}` }, good: { instance: 'i'.repeat(63) }, field: 'instance', value: `"i${'x'.repeat(63)}"` },
  { what: 'a literal value for a secret-looking env name', id: 'SW-ENV-003', bad: { env: { DB_PASSWORD: Env.value('hunter2') } }, good: { env: { DB_PASSWORD: Env.fromSecret('db', 'password') } }, field: 'env.DB_PASSWORD', value: '"(redacted)"' },
  { what: 'env name with a space (the API server rejects it)', id: 'SW-ENV-001', bad: { env: { 'LOG LEVEL': Env.value('info') } }, good: { env: { LOG_LEVEL: Env.value('info') } }, field: 'env.LOG LEVEL', value: '"LOG LEVEL"' },
  { what: 'env name starting with a digit', id: 'SW-ENV-001', bad: { env: { '1PASS': Env.value('x') } }, good: { env: { PASS1: Env.value('x') } }, field: 'env.1PASS', value: '"1PASS"' },
  { what: 'duplicate container port', id: 'SW-PORT-001', bad: { extraPorts: [{ name: 'metrics', port: 8080 }] }, good: { extraPorts: [{ name: 'metrics', port: 9090 }] }, field: 'extraPorts[0].port', value: '8080' },
  { what: 'duplicate port name', id: 'SW-PORT-001', bad: { extraPorts: [{ name: 'http', port: 9090 }] }, good: { extraPorts: [{ name: 'http-alt', port: 9090 }] }, field: 'extraPorts[0].name', value: '"http"' },
  { what: 'port out of range', id: 'SW-PORT-002', bad: { port: 70000 }, good: { port: 65535 }, field: 'port', value: '70000' },
  { what: 'port name too long', id: 'SW-PORT-002', bad: { extraPorts: [{ name: 'prometheus-metrics', port: 9090 }] }, good: { extraPorts: [{ name: 'prom-metrics', port: 9090 }] }, field: 'extraPorts[0].name', value: '"prometheus-metrics"' },
  { what: 'maxSurge and maxUnavailable both 0', id: 'SW-ROLLOUT-001', bad: { rollout: { maxSurge: kplus.PercentOrAbsolute.absolute(0) } }, good: { rollout: { maxSurge: kplus.PercentOrAbsolute.percent(25) } }, field: 'rollout.maxSurge', value: '0' },
  { what: 'progressDeadline not above minReady', id: 'SW-ROLLOUT-002', bad: { rollout: { minReady: Duration.seconds(60), progressDeadline: Duration.seconds(60) } }, good: { rollout: { minReady: Duration.seconds(60), progressDeadline: Duration.seconds(61) } }, field: 'rollout.progressDeadline', value: '"60s"' },
  { what: 'zero replicas', id: 'SW-REPLICAS-001', bad: { replicas: 0 }, good: { replicas: 2 }, field: 'replicas', value: '0' },
  { what: 'fractional replicas', id: 'SW-REPLICAS-001', bad: { replicas: 2.5 }, good: { replicas: 2 }, field: 'replicas', value: '2.5' },
  { what: 'zero cpu', id: 'SW-RES-001', bad: { size: { cpu: kplus.Cpu.millis(0), memory: Size.mebibytes(512) } }, good: { size: { cpu: kplus.Cpu.millis(1), memory: Size.mebibytes(512) } }, field: 'size.cpu', value: '"0m"' },
  { what: 'NaN cpu', id: 'SW-RES-001', bad: { size: { cpu: kplus.Cpu.millis(NaN), memory: Size.mebibytes(512) } }, good: { size: { cpu: kplus.Cpu.units(0.25), memory: Size.mebibytes(512) } }, field: 'size.cpu', value: '"NaNm"' },
  { what: 'zero memory', id: 'SW-RES-001', bad: { size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(0) } }, good: { size: { cpu: kplus.Cpu.millis(500), memory: Size.kibibytes(1) } }, field: 'size.memory', value: '"0Ki"' },
  { what: 'memory passed as a string from JavaScript', id: 'SW-RES-001', bad: { size: { cpu: kplus.Cpu.millis(500), memory: js('512Mi') } }, good: { size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) } }, field: 'size.memory', value: '"512Mi"' },
  { what: 'burst limit below the request', id: 'SW-RES-001', bad: { burst: { memory: Size.mebibytes(256) } }, good: { burst: { memory: Size.mebibytes(1024) } }, field: 'burst.memory', value: '"256Mi"' },
  { what: '/tmp larger than ephemeral storage', id: 'SW-RES-003', bad: { tmpSize: Size.gibibytes(2) }, good: { tmpSize: Size.gibibytes(1) }, field: 'tmpSize', value: '"2Gi"' },
  { what: 'root user', id: 'SW-SEC-001', bad: { security: { user: 0 } }, good: { security: { user: 20000 } }, field: 'security.user', value: '0' },
  { what: 'capability other than NET_BIND_SERVICE', id: 'SW-SEC-002', bad: { security: { addCapabilities: [kplus.Capability.SYS_ADMIN] } }, good: { security: { addCapabilities: [kplus.Capability.NET_BIND_SERVICE] } }, field: 'security.addCapabilities[0]', value: '"SYS_ADMIN"' },
  { what: 'ingress on an unexposed port', id: 'SW-NETPOL-001', bad: { allowFrom: [Peer.namespace('monitoring').tcp(9090)] }, good: { allowFrom: [Peer.namespace('monitoring').tcp(9090)], extraPorts: [{ name: 'metrics', port: 9090 }] }, field: 'allowFrom[0]', value: '"9090/TCP"' },
];

describe.each(cases)('$id: $what', (c) => {
  test('fails with the rule id, the construct path, the field, the value and the fix', () => {
    const { chart } = newChart();
    const error = thrownBy(() => new WebService(chart, 'api', apiProps(c.bad)));
    expect(error).toBeInstanceOf(SeaworthyError);
    const sw = error as SeaworthyError;
    expect(sw.ruleIds).toContain(c.id);
    const finding = sw.findings.find(f => f.rule.id === c.id && f.field === c.field);
    expect(finding).toBeDefined();
    expect(finding!.message).toContain(`${c.id} [test/api] ${c.field} = `);
    expect(finding!.value).toContain(c.value);
    expect(finding!.message).toContain(`Fix: ${RULES_BY_ID.get(c.id)!.fix}`);
    expect(sw.message).not.toMatch(/\[object Object\]|undefined(?!\))/);
  });

  test('passes with the corrected value', () => {
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps(c.good));
    expect(synthValid(chart).length).toBeGreaterThan(0);
  });
});

describe('error reporting', () => {
  test('every rule of the catalog is exercised by a test that expects its id', () => {
    const dir = path.join(__dirname);
    const fixtures = path.join(dir, 'fixtures', 'bad');
    const sources = [...fs.readdirSync(dir).filter(f => f.endsWith('.test.ts') && f !== 'rules.test.ts').map(f => path.join(dir, f)), ...fs.readdirSync(fixtures).map(f => path.join(fixtures, f))].map(f => fs.readFileSync(f, 'utf8')).join('\n');
    const covered = new Set([...cases.map(c => c.id), ...(sources.match(/SW-[A-Z]+-\d{3}/g) ?? [])]);
    expect(Object.values(Rules).map(r => r.id).filter(id => !covered.has(id))).toEqual([]);
  });

  test('rule ids are unique and well-formed', () => {
    const ids = Object.values(Rules).map(r => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^SW-[A-Z]+-\d{3}$/);
  });

  test('all violations of one construct are reported together', () => {
    const { chart } = newChart();
    const error = thrownBy(() => new WebService(chart, 'api', apiProps({ image: 'nginx', replicas: 0, env: { 'A B': Env.value('x') } }))) as SeaworthyError;
    expect(error.ruleIds.sort()).toEqual(['SW-ENV-001', 'SW-IMAGE-001', 'SW-REPLICAS-001']);
    expect(error.message).toMatch(/^seaworthy found 3 errors:\n/);
  });

  test.each([null, undefined, 42, 'api'])('props of %p from JavaScript fail with SW-PROPS-001, not a TypeError', (props) => {
    const { chart } = newChart();
    const error = thrownBy(() => new WebService(chart, 'api', js(props)));
    expect(error).toBeInstanceOf(SeaworthyError);
    expect((error as SeaworthyError).ruleIds).toEqual(['SW-PROPS-001']);
  });

  test('an error stops construction, so nothing reaches synthesis', () => {
    const { chart } = newChart();
    thrownBy(() => new WebService(chart, 'api', apiProps({ image: 'nginx:latest' })));
    expect(chart.node.findAll().some(c => c.node.id === 'Deployment')).toBe(false);
  });
});
