import { App, Chart, Testing } from 'cdk8s';
import { audit, Findings, KubernetesTarget, KubernetesVersion, NodeAgent, PodSecurityLevel, SeaworthyError, Tenant, Waiver } from '../src';
import { WebService } from '../src/workloads/web-service';
import { SMALL } from './support/fixtures';
import { apiProps } from './support/props';
import { KubeObject, only, synthValid, thrownBy } from './support/synth';

const LONG_AGO = new Date('2024-01-01T00:00:00Z');

function appFor(version?: KubernetesVersion): App {
  const app = new App({ outdir: Testing.app().outdir });
  if (version) KubernetesTarget.set(app, version, { asOf: LONG_AGO });
  return app;
}
const chartFor = (version?: KubernetesVersion) => new Chart(appFor(version), 'test', { namespace: 'shop' });
const ids = (e: Error) => (e as SeaworthyError).findings.map(f => `${f.rule.id} ${f.field}`);
const podSecurityContext = (objects: KubeObject[]) => only(objects, 'Deployment').spec.template.spec.securityContext;
const waiver = Waiver.of('SW-SEC-013', 'the broker needs a longer accept queue; the nodes allow net.core.somaxconn');

describe('safe sysctls through security.sysctls', () => {
  test('GIVEN a safe sysctl WHEN synthesized THEN it is in the Pod security context, schema-valid and audit clean', () => {
    const app = appFor();
    const chart = new Chart(app, 'test', { namespace: 'shop' });
    new WebService(chart, 'web', apiProps({ security: { sysctls: { 'net.ipv4.ip_local_port_range': '1024 65000', 'net.ipv4.tcp_keepalive_time': '600' } } }));
    const sc = podSecurityContext(synthValid(chart));
    expect(sc.sysctls).toEqual([{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }, { name: 'net.ipv4.tcp_keepalive_time', value: '600' }]);
    expect(sc.runAsNonRoot).toBe(true);
    expect(Findings.of(app).filter(f => /^SW-(SYSCTL|SEC)-/.test(f.rule.id))).toEqual([]);
  });

  test('the safe set is the target\'s: tcp_keepalive_time is SW-SEC-013 on 1.28, safe on 1.29; tcp_rmem safe from 1.32', () => {
    const keepalive = { security: { sysctls: { 'net.ipv4.tcp_keepalive_time': '600' } } };
    expect(ids(thrownBy(() => new WebService(chartFor('1.28'), 'web', apiProps(keepalive))))).toEqual(['SW-SEC-013 security.sysctls.net.ipv4.tcp_keepalive_time']);
    expect(() => new WebService(chartFor('1.29'), 'web', apiProps(keepalive))).not.toThrow();
    const rmem = { security: { sysctls: { 'net.ipv4.tcp_rmem': '4096 87380 6291456' } } };
    expect(ids(thrownBy(() => new WebService(chartFor('1.31'), 'web', apiProps(rmem))))).toEqual(['SW-SEC-013 security.sysctls.net.ipv4.tcp_rmem']);
    expect(() => new WebService(chartFor('1.32'), 'web', apiProps(rmem))).not.toThrow();
  });

  test('names and values are validated (SW-SYSCTL-001) and node-level sysctls refused (SW-SYSCTL-002)', () => {
    const chart = chartFor();
    const e = thrownBy(() => new WebService(chart, 'web', apiProps({ security: { sysctls: { 'Net.Core..x': '1', 'kernel.shm_rmid_forced': '', 'vm.swappiness': '10' } } })));
    expect(ids(e)).toEqual([
      'SW-SYSCTL-001 security.sysctls.Net.Core..x',
      'SW-SYSCTL-001 security.sysctls.kernel.shm_rmid_forced',
      'SW-SYSCTL-002 security.sysctls.vm.swappiness',
      'SW-SEC-013 security.sysctls.vm.swappiness',
    ]);
    expect(ids(thrownBy(() => new WebService(chart, 'b', apiProps({ name: 'b', security: { sysctls: ['net.ipv4.tcp_syncookies=1'] as unknown as Record<string, string> } }))))).toEqual(['SW-PROPS-001 security.sysctls']);
  });

  test('a net.* sysctl on a host-network node agent is SW-SYSCTL-002', () => {
    const tenant = new Tenant(appFor(), 'logging', { name: 'logging', podSecurity: PodSecurityLevel.PRIVILEGED });
    const e = thrownBy(() => new NodeAgent(tenant, 'agent', {
      name: 'agent', image: 'ghcr.io/acme/agent:1.0.0', size: SMALL, hostNetwork: true,
      security: { sysctls: { 'net.ipv4.ip_local_port_range': '1024 65000' } },
      waivers: [Waiver.of('SW-SEC-005', 'the agent reads node network stats')],
    }));
    expect(ids(e)).toEqual(['SW-SYSCTL-002 security.sysctls.net.ipv4.ip_local_port_range']);
  });
});

describe('unsafe sysctls: only under a waiver, and in a privileged Tenant (the notes\' net.core.somaxconn)', () => {
  const somaxconn = { security: { sysctls: { 'net.core.somaxconn': '1024' } } };

  test('net.core.somaxconn is namespaced but not in the safe set of any target: SW-SEC-013', () => {
    const e = thrownBy(() => new WebService(chartFor('1.35'), 'web', apiProps(somaxconn)));
    expect(ids(e)).toEqual(['SW-SEC-013 security.sysctls.net.core.somaxconn']);
    expect(e.message).toContain('--allowed-unsafe-sysctls');
  });

  test('waived, but in no Tenant or a restricted one: SW-SYSCTL-003', () => {
    expect(ids(thrownBy(() => new WebService(chartFor(), 'web', apiProps({ ...somaxconn, waivers: [waiver] }))))).toEqual(['SW-SYSCTL-003 security.sysctls']);
    const tenant = new Tenant(appFor(), 'shop', { name: 'shop' });
    const e = thrownBy(() => new WebService(tenant, 'web', apiProps({ ...somaxconn, waivers: [waiver] })));
    expect(ids(e)).toEqual(['SW-SYSCTL-003 security.sysctls']);
    expect(e.message).toContain('the Tenant enforces "restricted"');
  });

  test('waived in a privileged Tenant: synthesized, the waiver recorded, the finding info', () => {
    const app = appFor();
    const tenant = new Tenant(app, 'broker', { name: 'broker', podSecurity: PodSecurityLevel.PRIVILEGED });
    new WebService(tenant, 'web', apiProps({ ...somaxconn, waivers: [waiver] }));
    const objects = synthValid(tenant);
    const deployment = only(objects, 'Deployment');
    expect(deployment.spec.template.spec.securityContext.sysctls).toEqual([{ name: 'net.core.somaxconn', value: '1024' }]);
    expect(deployment.metadata.annotations['seaworthy.dev/waivers']).toContain('SW-SEC-013');
    const found = Findings.of(app).filter(f => f.rule.id === 'SW-SEC-013');
    expect(found.map(f => f.severity)).toEqual(['info']);
  });
});

describe('audit: the same implementation on any YAML', () => {
  const pod = (sysctls: unknown[], spec: KubeObject = {}) => ({ object: {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'sysctl-example', namespace: 'n' },
    spec: { securityContext: { sysctls }, containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec },
  } });
  const found = (input: ReturnType<typeof pod>, version: KubernetesVersion = '1.35') =>
    audit([input], { kubernetesVersion: version }).filter(f => /^SW-(SYSCTL-|SEC-013)/.test(f.rule.id)).map(f => `${f.rule.id} ${f.field} ${f.value}`);

  test('the notes\' sysctl-example Pod: somaxconn and msgmax unsafe, shm_rmid_forced safe', () => {
    expect(found(pod([{ name: 'kernel.shm_rmid_forced', value: '0' }, { name: 'net.core.somaxconn', value: '1024' }, { name: 'kernel.msgmax', value: '65536' }]))).toEqual([
      'SW-SEC-013 spec.securityContext.sysctls[1] "net.core.somaxconn"',
      'SW-SEC-013 spec.securityContext.sysctls[2] "kernel.msgmax"',
    ]);
  });

  test('duplicates, bad names and values, node-level and host-network sysctls', () => {
    expect(found(pod([{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net/ipv4/tcp_syncookies', value: '1' }]))).toEqual([
      'SW-SYSCTL-001 spec.securityContext.sysctls[1] "net/ipv4/tcp_syncookies"',
      // Pod Security compares names as written: the slash form is not in its safe list.
      'SW-SEC-013 spec.securityContext.sysctls[1] "net/ipv4/tcp_syncookies"',
    ]);
    expect(found(pod([{ name: 'net.ipv4.tcp_syncookies' }, { name: 'kernel.pid_max', value: '65536' }]))).toEqual([
      'SW-SYSCTL-001 spec.securityContext.sysctls[0].value (unset)',
      'SW-SYSCTL-002 spec.securityContext.sysctls[1] "kernel.pid_max"',
      'SW-SEC-013 spec.securityContext.sysctls[1] "kernel.pid_max"',
    ]);
    expect(found(pod([{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }], { hostNetwork: true }))).toEqual([
      'SW-SYSCTL-002 spec.securityContext.sysctls[0] "net.ipv4.ip_local_port_range"',
    ]);
    expect(found(pod([{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }]))).toEqual([]);
  });
});

describe('SW-SYSCTL-004: the alpha sysctl annotations, ignored since 1.11', () => {
  const sts = (annotations: Record<string, string>) => ({
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'nifi', namespace: 'prd' },
    spec: { serviceName: 'nifi', selector: { matchLabels: { app: 'nifi' } }, template: { metadata: { labels: { app: 'nifi' }, annotations }, spec: { containers: [{ name: 'nifi', image: 'apache/nifi:1.23.2' }] } } },
  });
  const found = (objects: object[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-SYSCTL-004');

  test('a warning naming the sysctls and where they go (the notes\' nifi chart case)', () => {
    const f = found([sts({ 'security.alpha.kubernetes.io/sysctls': 'net.ipv4.ip_local_port_range=10000 65000' })]);
    expect(f.map(x => [x.severity, x.field, x.problem])).toEqual([[
      'warning', 'spec.template.metadata.annotations.security.alpha.kubernetes.io/sysctls',
      'is ignored since Kubernetes 1.11, so this sysctl is never set; put { name: "net.ipv4.ip_local_port_range", value: "10000 65000" } in spec.template.spec.securityContext.sysctls',
    ]]);
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', annotations: { 'security.alpha.kubernetes.io/unsafe-sysctls': 'kernel.msgmax=65536,net.core.somaxconn=1024' } }, spec: { containers: [{ name: 'c', image: 'a:1' }] } };
    expect(found([pod]).map(x => [x.field, x.problem])).toEqual([[
      'metadata.annotations.security.alpha.kubernetes.io/unsafe-sysctls',
      'is ignored since Kubernetes 1.11, so these 2 sysctls are never set; put { name: "kernel.msgmax", value: "65536" }, { name: "net.core.somaxconn", value: "1024" } in spec.securityContext.sysctls',
    ]]);
  });

  test('no finding without the annotations, nor for securityContext.sysctls', () => {
    expect(found([sts({ 'prometheus.io/scrape': 'true' })])).toEqual([]);
  });

  test('through a construct\'s podAnnotations, Findings.of(app) reports it', () => {
    const app = appFor();
    new WebService(new Chart(app, 'test', { namespace: 'shop' }), 'web', apiProps({ podAnnotations: { 'security.alpha.kubernetes.io/sysctls': 'net.ipv4.tcp_keepalive_time=600' } }));
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-SYSCTL-004').map(f => [f.path, f.field])).toEqual([['test/web', 'Deployment/shop/api spec.template.metadata.annotations.security.alpha.kubernetes.io/sysctls']]);
  });
});
