import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, Findings, Probe, Severity, WebService, Worker } from '../src';
import { SMALL } from './support/fixtures';
import { apiProps } from './support/props';
import { newChart } from './support/synth';

/** What the rules did not see before (issue 12, item 5), in the construct path and the audit. */

type Obj = Record<string, unknown>;
const deployment = (podSpec: Obj = {}, container: Obj = {}, spec: Obj = {}): Obj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'a:1', ...container }], ...podSpec } }, ...spec },
});
const found = (id: string, objects: Obj[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === id).map(f => [f.field, f.value, f.severity]);

test('SW-SCHED-001: tolerationSeconds on a toleration that is not NoExecute', () => {
  const tolerations = [{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }, { key: 'b', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }];
  expect(found('SW-SCHED-001', [deployment({ tolerations })])).toEqual([['spec.template.spec.tolerations[0].tolerationSeconds', '60', Severity.ERROR]]);
});

test('SW-HPA-005: an HPA whose target kind cannot scale, or names no object', () => {
  const hpa = (kind: string, name: string): Obj => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'n' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind, name }, minReplicas: 2, maxReplicas: 4 } });
  const ds: Obj = { ...deployment(), kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'n' } };
  expect(found('SW-HPA-005', [ds, hpa('DaemonSet', 'agent')])).toEqual([['spec.scaleTargetRef.kind', '"DaemonSet"', Severity.ERROR]]);
  expect(found('SW-HPA-005', [deployment(), hpa('Job', 'd')]).map(f => f[0])).toEqual(['spec.scaleTargetRef.kind']);
  expect(found('SW-HPA-005', [deployment(), hpa('Deployment', 'ghost')]).map(f => f[1])).toEqual(['"Deployment/ghost"']);
  expect(found('SW-HPA-005', [deployment(), hpa('Deployment', 'd')])).toEqual([]);
});

test('SW-SCHED-002: nodeName bypasses the scheduler (an error unless waived)', () => {
  expect(found('SW-SCHED-002', [deployment({ nodeName: 'node-1' })])).toEqual([['spec.template.spec.nodeName', '"node-1"', Severity.ERROR]]);
  expect(found('SW-SCHED-002', [deployment()])).toEqual([]);
});

test('SW-SVC-005: nodePort outside 30000-32767', () => {
  const svc = (nodePort: number): Obj => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { type: 'NodePort', selector: { app: 'd' }, ports: [{ port: 80, targetPort: 80, nodePort }] } });
  const d = deployment({}, { ports: [{ containerPort: 80 }] });
  expect(found('SW-SVC-005', [d, svc(29999)]).map(f => f[1])).toEqual(['29999']);
  expect(found('SW-SVC-005', [d, svc(30000)])).toEqual([]);
  expect(found('SW-SVC-005', [d, svc(32767)])).toEqual([]);
  expect(found('SW-SVC-005', [d, svc(32768)]).map(f => f[1])).toEqual(['32768']);
});

describe('SW-SHUTDOWN-002: a shell as PID 1 through args', () => {
  test('audit: command [sh] with args [-c, …], args [sh, -c, …] with no command, -c script handed to the image entrypoint', () => {
    expect(found('SW-SHUTDOWN-002', [deployment({}, { command: ['sh'], args: ['-c', 'run app'] })]).map(f => f[0])).toEqual(['spec.template.spec.containers[0].command']);
    expect(found('SW-SHUTDOWN-002', [deployment({}, { args: ['/bin/bash', '-c', 'run app'] })]).map(f => f[0])).toEqual(['spec.template.spec.containers[0].args']);
    expect(found('SW-SHUTDOWN-002', [deployment({}, { args: ['-c', 'nginx -g "daemon off;"'] })]).map(f => f[0])).toEqual(['spec.template.spec.containers[0].args']);
  });
  test('not a shell: postgres -c option values, exec scripts, plain args', () => {
    expect(found('SW-SHUTDOWN-002', [deployment({}, { args: ['-c', 'config_file=/etc/postgresql/postgresql.conf'] })])).toEqual([]);
    expect(found('SW-SHUTDOWN-002', [deployment({}, { command: ['sh', '-c', 'exec /app/server --port 8080'] })])).toEqual([]);
    expect(found('SW-SHUTDOWN-002', [deployment({}, { args: ['--port', '8080'] })])).toEqual([]);
  });
  test('construct: command [sh] with args [-c, …]', () => {
    const { chart } = newChart();
    const api = new WebService(chart, 'api', apiProps({ command: ['sh'], args: ['-c', 'run app'] }));
    expect(Findings.of(api).filter(f => f.rule.id === 'SW-SHUTDOWN-002').map(f => f.field)).toEqual(['command']);
    const web = new WebService(chart, 'web', apiProps({ name: 'web', args: ['-c', 'run app'] }));
    expect(Findings.of(web).filter(f => f.rule.id === 'SW-SHUTDOWN-002').map(f => f.field)).toEqual(['args']);
  });
});

test('SW-PROBE-007 at synth too: a liveness initialDelay above 30s without a startup probe (before: audit only)', () => {
  const { chart } = newChart();
  const slow = new WebService(chart, 'a', apiProps({ name: 'a', liveness: Probe.http('/healthz', { initialDelay: Duration.seconds(31) }) }));
  expect(Findings.of(slow).filter(f => f.rule.id === 'SW-PROBE-007').map(f => [f.field, f.value, f.severity])).toEqual([['liveness.initialDelay', '31', Severity.WARNING]]);
  const ok = new WebService(chart, 'b', apiProps({ name: 'b', liveness: Probe.http('/healthz', { initialDelay: Duration.seconds(30) }) }));
  expect(Findings.of(ok).filter(f => f.rule.id === 'SW-PROBE-007')).toEqual([]);
  const withStartup = new WebService(chart, 'c', apiProps({ name: 'c', liveness: Probe.http('/healthz', { initialDelay: Duration.seconds(60) }), startup: Probe.http('/healthz', { failureThreshold: 30 }) }));
  expect(Findings.of(withStartup).filter(f => f.rule.id === 'SW-PROBE-007')).toEqual([]);
});

describe('SW-ROLLOUT-004: a startup budget longer than progressDeadlineSeconds', () => {
  test('construct: 61 x 10s > 600s warns; 60 x 10s = 600s does not', () => {
    const { chart } = newChart();
    const slow = new WebService(chart, 'a', apiProps({ name: 'a', startup: Probe.http('/healthz', { failureThreshold: 61 }) }));
    expect(Findings.of(slow).filter(f => f.rule.id === 'SW-ROLLOUT-004').map(f => [f.field, f.value, f.severity])).toEqual([['rollout.progressDeadline', '"600s"', Severity.WARNING]]);
    const fits = new WebService(chart, 'b', apiProps({ name: 'b', startup: Probe.http('/healthz', { failureThreshold: 60 }) }));
    expect(Findings.of(fits).filter(f => f.rule.id === 'SW-ROLLOUT-004')).toEqual([]);
    const worker = new Worker(chart, 'w', { name: 'w', image: 'a:1', size: SMALL, liveness: Probe.exec(['true']), startup: Probe.exec(['true'], { initialDelay: Duration.seconds(10), failureThreshold: 10, period: Duration.seconds(10) }), rollout: { progressDeadline: Duration.seconds(100) } });
    expect(Findings.of(worker).filter(f => f.rule.id === 'SW-ROLLOUT-004').map(f => f.problem)).toEqual(['is 100s, shorter than the startup budget of 110s (initialDelaySeconds + failureThreshold x periodSeconds) of container "w"']);
  });
  test('audit: the same budget against spec.progressDeadlineSeconds (default 600)', () => {
    const startup = (failureThreshold: number) => deployment({}, { ports: [{ containerPort: 80 }], startupProbe: { tcpSocket: { port: 80 }, failureThreshold, periodSeconds: 10 } });
    expect(found('SW-ROLLOUT-004', [startup(61)]).map(f => f[1])).toEqual(['600']);
    expect(found('SW-ROLLOUT-004', [startup(60)])).toEqual([]);
  });
});

test('SW-IMAGE-004: imagePullPolicy Never (warning), in the audit and the constructs', () => {
  expect(found('SW-IMAGE-004', [deployment({}, { imagePullPolicy: 'Never' })])).toEqual([['spec.template.spec.containers[0].imagePullPolicy', '"Never"', Severity.WARNING]]);
  const { chart } = newChart();
  const api = new WebService(chart, 'api', apiProps({ imagePullPolicy: kplus.ImagePullPolicy.NEVER }));
  expect(Findings.of(api).filter(f => f.rule.id === 'SW-IMAGE-004').map(f => f.field)).toEqual(['imagePullPolicy']);
});
