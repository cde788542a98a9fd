import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, Findings, Probe, SeaworthyError, Severity, StatefulService, Waiver, WebService } from '../src';
import { apiProps } from './support/props';
import { newChart, only, synthValid, thrownBy } from './support/synth';

/** A typed nodePort (issue 27, item 5): the default range at synthesis, 1-65535 in the audit, one Service per node port. */

const NODE_PORT = kplus.ServiceType.NODE_PORT;
const errorsOf = (build: () => unknown) => (thrownBy(build) as SeaworthyError).findings.map(f => [f.rule.id, f.path, f.field, f.value, f.problem]);

describe('WebService and StatefulService', () => {
  test('the main port gets the node port, schema-valid; other ports are allocated', () => {
    const { chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({ serviceType: NODE_PORT, nodePort: 30080, extraPorts: [{ name: 'metrics', port: 9090, expose: true }] }));
    expect(only(synthValid(chart), 'Service').spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080, nodePort: 30080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
    ]);
  });

  test('SW-SVC-006: outside 30000-32767 is an error, waivable for a cluster with another range', () => {
    const { chart } = newChart('shop');
    expect(errorsOf(() => new WebService(chart, 'api', apiProps({ serviceType: NODE_PORT, nodePort: 8080 })))).toEqual([
      ['SW-SVC-006', 'test/api', 'nodePort', '8080', 'is outside the default node port range 30000-32767'],
    ]);
    const waived = new WebService(chart, 'web', apiProps({ name: 'web', serviceType: NODE_PORT, nodePort: 20080, waivers: [Waiver.of('SW-SVC-006', 'cluster node port range 20000-22767')] }));
    expect(Findings.of(waived).filter(f => f.rule.id === 'SW-SVC-006').map(f => f.severity)).toEqual([Severity.INFO]);
    expect(only(synthValid(chart), 'Service').spec.ports[0].nodePort).toBe(20080);
  });

  test('SW-PORT-002 and SW-SVC-001: no port number, or a Service type without node ports', () => {
    const { chart } = newChart('shop');
    expect(errorsOf(() => new WebService(chart, 'a', apiProps({ name: 'a', serviceType: NODE_PORT, nodePort: 70000 }))).map(f => [f[0], f[4]])).toEqual([['SW-PORT-002', 'must be a whole number from 1 to 65535']]);
    expect(errorsOf(() => new WebService(chart, 'b', apiProps({ name: 'b', serviceType: NODE_PORT, nodePort: '30080' as never }))).map(f => f[0])).toEqual(['SW-PORT-002']);
    expect(errorsOf(() => new WebService(chart, 'c', apiProps({ name: 'c', nodePort: 30080 }))).map(f => [f[0], f[4]])).toEqual([['SW-SVC-001', 'only applies to NodePort and LoadBalancer Services (serviceType is ClusterIP)']]);
    expect(() => new WebService(chart, 'd', apiProps({ name: 'd', serviceType: kplus.ServiceType.LOAD_BALANCER, nodePort: 30081 }))).not.toThrow();
    const db = { name: 'db', image: 'postgres:16.2', port: 5432, size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) }, readiness: Probe.tcp(), serviceType: NODE_PORT, nodePort: 30432 };
    expect(errorsOf(() => new StatefulService(chart, 'db', { ...db, clientService: false })).map(f => [f[0], f[2]])).toEqual([['SW-SVC-001', 'nodePort']]);
    const ok = newChart('shop');
    new StatefulService(ok.chart, 'db', db);
    const services = synthValid(ok.chart).filter(o => o.kind === 'Service');
    expect(services.map(s => [s.metadata.name, s.spec.ports[0].nodePort])).toEqual([['db', 30432], ['db-headless', undefined]]);
  });

  test('SW-SVC-007: two Services of the app asking for one node port, in other namespaces too', () => {
    const app = Testing.app();
    new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', apiProps({ serviceType: NODE_PORT, nodePort: 30080 }));
    const blog = new Chart(app, 'blog', { namespace: 'blog' });
    new WebService(blog, 'web', apiProps({ name: 'web', serviceType: NODE_PORT, nodePort: 30080 }));
    expect(errorsOf(() => app.synth())).toEqual([
      ['SW-SVC-007', 'blog/web', 'nodePort', '30080', 'is already the nodePort of Service "api" (shop/api/Service); a node port belongs to one Service in the whole cluster, so the API server refuses the second'],
    ]);
  });
});

describe('the audit of YAML written by others', () => {
  const svc = (name: string, ports: object[], type = 'NodePort') => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'n' }, spec: { type, ports } });
  const found = (objects: object[], group?: (i: number) => string) => audit(objects.map((object, i) => ({ object, group: group?.(i) })))
    .filter(f => ['SW-SVC-001', 'SW-SVC-005', 'SW-SVC-007', 'SW-PORT-002'].includes(f.rule.id)).map(f => [f.rule.id, f.severity, f.path, f.field, f.value]);

  test('outside the default range: a warning, since the cluster may configure another; no port number at all: an error', () => {
    expect(found([svc('a', [{ port: 80, nodePort: 20080 }])])).toEqual([['SW-SVC-005', Severity.WARNING, 'Service/n/a', 'spec.ports[0].nodePort', '20080']]);
    expect(found([svc('a', [{ port: 80, nodePort: 70000 }])])).toEqual([['SW-PORT-002', Severity.ERROR, 'Service/n/a', 'spec.ports[0].nodePort', '70000']]);
    expect(found([svc('a', [{ port: 80, nodePort: 30080 }])])).toEqual([]);
    expect(found([svc('a', [{ port: 80, nodePort: 30080 }], 'ClusterIP')]).map(f => f[0])).toEqual(['SW-SVC-001']);
  });

  test('SW-SVC-007: the same node port in two Services of one deploy group, or twice for one protocol in a Service; TCP and UDP may share one', () => {
    expect(found([svc('a', [{ port: 80, nodePort: 30080 }]), svc('b', [{ port: 81, nodePort: 30080 }])])).toEqual([['SW-SVC-007', Severity.ERROR, 'Service/n/b', 'spec.ports[0].nodePort', '30080']]);
    expect(found([svc('a', [{ port: 80, nodePort: 30080 }]), svc('b', [{ port: 81, nodePort: 30080 }])], i => `env-${i}`)).toEqual([]);
    expect(found([svc('dns', [{ port: 53, protocol: 'UDP', nodePort: 30053 }, { port: 53, protocol: 'TCP', nodePort: 30053 }])])).toEqual([]);
    expect(found([svc('a', [{ name: 'x', port: 80, nodePort: 30080 }, { name: 'y', port: 81, nodePort: 30080 }])])).toEqual([['SW-SVC-007', Severity.ERROR, 'Service/n/a', 'spec.ports[1].nodePort', '30080']]);
  });
});
