import { Duration } from 'cdk8s';
import { audit, Findings, KubernetesTarget, Probe, ProbeScheme, SeaworthyError, Severity, WebService } from '../src';
import { podSpecOf } from './support/pod-checks';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

function mainContainer(overrides: Parameters<typeof apiProps>[0]): KubeObject {
  const { chart } = newChart();
  new WebService(chart, 'api', apiProps({ extraPorts: [{ name: 'grpc', port: 9000 }, { name: 'admin', port: 9901 }], ...overrides }));
  return podSpecOf(only(synthValid(chart), 'Deployment'))!.containers[0];
}

describe('Probe', () => {
  test('http with every field', () => {
    const c = mainContainer({
      readiness: Probe.http('/ready', {
        portName: 'admin', scheme: ProbeScheme.HTTPS, headers: { 'X-Probe': 'kubelet', 'Accept': 'application/json', 'Host': 'api.internal' },
        initialDelay: Duration.seconds(2), period: Duration.seconds(5), timeout: Duration.seconds(3), successThreshold: 2, failureThreshold: 6,
      }),
    });
    expect(c.readinessProbe).toEqual({
      httpGet: { path: '/ready', port: 'admin', scheme: 'HTTPS', httpHeaders: [{ name: 'X-Probe', value: 'kubelet' }, { name: 'Accept', value: 'application/json' }, { name: 'Host', value: 'api.internal' }] },
      initialDelaySeconds: 2, periodSeconds: 5, timeoutSeconds: 3, successThreshold: 2, failureThreshold: 6,
    });
  });

  test('SW-SEC-018: a probe host, loopback included, is refused (Pod Security "baseline" of 1.34+ rejects it; checked on a real 1.35 API server)', () => {
    for (const host of ['localhost', '127.0.0.1', '10.0.0.1']) {
      const { chart } = newChart();
      const e = thrownBy(() => new WebService(chart, 'api', apiProps({ readiness: Probe.http('/ready', { host }) }))) as SeaworthyError;
      expect(e.ruleIds).toEqual(['SW-SEC-018']);
      expect(e.message).toContain(`readiness.host = "${host}": the kubelet would call ${host} from the node; Pod Security "baseline" of Kubernetes 1.35 (the target) rejects the Pod`);
    }
    const { app, chart } = newChart();
    KubernetesTarget.set(app, '1.33', { asOf: new Date('2024-01-01') });
    const old = thrownBy(() => new WebService(chart, 'api', apiProps({ readiness: Probe.http('/ready', { host: '10.0.0.1' }) }))) as SeaworthyError;
    expect(old.message).toContain('from the node. Fix:');
  });

  test('tcp by port number', () => {
    expect(mainContainer({ readiness: Probe.tcp({ port: 9901 }) }).readinessProbe.tcpSocket).toEqual({ port: 9901 });
  });

  test('tcp defaults to the main port by name', () => {
    expect(mainContainer({ readiness: Probe.tcp() }).readinessProbe.tcpSocket).toEqual({ port: 'http' });
  });

  test('exec', () => {
    expect(mainContainer({ liveness: Probe.exec(['/bin/health', '--quick']) }).livenessProbe.exec).toEqual({ command: ['/bin/health', '--quick'] });
  });

  test('grpc takes a port number and a service name', () => {
    const c = mainContainer({ readiness: Probe.grpc({ port: 9000, service: 'orders.v1' }) });
    expect(c.readinessProbe.grpc).toEqual({ port: 9000, service: 'orders.v1' });
  });

  test('grpc defaults to the main port number', () => {
    expect(mainContainer({ readiness: Probe.grpc() }).readinessProbe.grpc).toEqual({ port: 8080 });
  });

  test('startup and liveness carry a probe-level grace period; readiness cannot', () => {
    const c = mainContainer({
      startup: Probe.http('/ready', { period: Duration.seconds(2), failureThreshold: 60, terminationGracePeriod: Duration.seconds(10) }),
    });
    expect(c.startupProbe).toMatchObject({ periodSeconds: 2, failureThreshold: 60, terminationGracePeriodSeconds: 10 });
    const { chart } = newChart();
    expect(() => new WebService(chart, 'api', apiProps({ readiness: Probe.http('/ready', { terminationGracePeriod: Duration.seconds(5) }) })))
      .toThrow(/SW-PROBE-004 \[test\/api\] readiness.terminationGracePeriod = 5: is only allowed on liveness and startup probes/);
  });

  test('readiness may use successThreshold above 1, liveness may not', () => {
    expect(mainContainer({ readiness: Probe.tcp({ successThreshold: 3 }) }).readinessProbe.successThreshold).toBe(3);
    const { chart } = newChart();
    expect(() => new WebService(chart, 'api', apiProps({ startup: Probe.tcp({ successThreshold: 3 }) }))).toThrow(/SW-PROBE-004 .* startup.successThreshold = 3: must be 1 for a startup probe/);
  });

  test('giving both port and portName is an error', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'api', apiProps({ readiness: Probe.tcp({ port: 8080, portName: 'http' }) }))).toThrow(/SW-PROBE-004 .* readiness.port = \{"port":8080,"portName":"http"\}/);
  });

  test('an empty exec command is an error', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'api', apiProps({ liveness: Probe.exec([]) }))).toThrow(/SW-PROBE-004 .* liveness.command = \[\]/);
  });

  test('probes that differ only in timing count as identical', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'api', apiProps({ readiness: Probe.grpc(), liveness: Probe.grpc({ period: Duration.seconds(30) }) }))).toThrow(/SW-PROBE-002/);
  });

  test('the documented pattern (one endpoint, liveness with the larger failureThreshold) is not SW-PROBE-002', () => {
    const { chart } = newChart();
    const api = new WebService(chart, 'api', apiProps({ readiness: Probe.http('/healthz'), liveness: Probe.http('/healthz', { failureThreshold: 6 }) }));
    expect(Findings.of(api).filter(f => f.rule.id === 'SW-PROBE-002')).toEqual([]);
    expect(() => new WebService(chart, 'same', apiProps({ name: 'same', readiness: Probe.http('/healthz', { failureThreshold: 6 }), liveness: Probe.http('/healthz', { failureThreshold: 6 }) }))).toThrow(/SW-PROBE-002/);
  });

  test('SW-PROBE-008: a TCP liveness equal to readiness is a warning with an exec-readiness fix, not an error', () => {
    const { chart } = newChart();
    const db = new WebService(chart, 'db', apiProps({ name: 'db', readiness: Probe.tcp(), liveness: Probe.tcp({ port: 8080, period: Duration.seconds(30) }) }));
    const found = Findings.of(db).filter(f => f.rule.id.startsWith('SW-PROBE-00'));
    expect(found.map(f => [f.rule.id, f.severity, f.field, f.value])).toEqual([['SW-PROBE-008', Severity.WARNING, 'liveness', '"tcpSocket :8080"']]);
    expect(found[0].message).toContain('Probe.exec(["redis-cli", "ping"])');
  });

  test('SW-PROBE-002 compares the handler exactly: headers, scheme, host and gRPC service make probes differ', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'a', apiProps({ name: 'a', readiness: Probe.http('/health'), liveness: Probe.http('/health', { headers: { 'X-Check': 'live' } }) }))).not.toThrow();
    expect(() => new WebService(chart, 'b', apiProps({ name: 'b', readiness: Probe.http('/health'), liveness: Probe.http('/health', { scheme: ProbeScheme.HTTPS }) }))).not.toThrow();
    expect(() => new WebService(chart, 'c', apiProps({ name: 'c', readiness: Probe.grpc({ service: 'ready' }), liveness: Probe.grpc() }))).not.toThrow();
    expect(() => new WebService(chart, 'd', apiProps({ name: 'd', readiness: Probe.exec(['check', 'ready']), liveness: Probe.exec(['check', 'ready']) }))).toThrow(/SW-PROBE-002 \[test\/d\] liveness = "exec \[\\"check\\",\\"ready\\"\]": runs the same command as readiness/);
  });
});

describe('SW-PROBE-002 / SW-PROBE-008 in the audit', () => {
  const pod = (container: object) => [{ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'a:1', ...container }] } } }];
  const probeFindings = (container: object) => audit(pod(container)).filter(f => ['SW-PROBE-002', 'SW-PROBE-008'].includes(f.rule.id)).map(f => [f.rule.id, f.severity, f.value]);

  test('ports are compared (before: a readiness TCP 6379 and a liveness TCP 8080 were "identical")', () => {
    const ports = [{ name: 'redis', containerPort: 6379 }, { name: 'metrics', containerPort: 8080 }];
    expect(probeFindings({ ports, readinessProbe: { tcpSocket: { port: 6379 } }, livenessProbe: { tcpSocket: { port: 8080 } } })).toEqual([]);
    expect(probeFindings({ ports, readinessProbe: { httpGet: { path: '/h', port: 6379 } }, livenessProbe: { httpGet: { path: '/h', port: 8080 } } })).toEqual([]);
  });

  test('named and numbered ports are the same port; TCP gets the warning, HTTP the error', () => {
    const ports = [{ name: 'redis', containerPort: 6379 }];
    expect(probeFindings({ ports, readinessProbe: { tcpSocket: { port: 'redis' } }, livenessProbe: { tcpSocket: { port: 6379 }, periodSeconds: 30 } })).toEqual([['SW-PROBE-008', Severity.WARNING, '"tcpSocket :6379"']]);
    expect(probeFindings({ ports, readinessProbe: { httpGet: { path: '/h', port: 'redis' } }, livenessProbe: { httpGet: { path: '/h', port: 6379 } } })).toEqual([['SW-PROBE-002', Severity.ERROR, '"httpGet HTTP://<pod-ip>:6379/h"']]);
  });
});
