import { App, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Findings, NodeAgent, PodSecurityLevel, PodVolume, Probe, SeaworthyError, Tenant, TenantProps, Waiver, WebService, Worker } from '../src';
import { Profile, PROFILE_LABEL, Profiles } from '../src/rules/profile';
import { SMALL } from './support/fixtures';
import { apiProps } from './support/props';
import { only, synthValid, thrownBy } from './support/synth';

function tenant(props: Partial<ConstructorParameters<typeof Tenant>[2]> = {}): { app: App; t: Tenant } {
  const app = Testing.app();
  return { app, t: new Tenant(app, 'shop', { name: 'shop', ...props }) };
}

describe('Tenant', () => {
  test('Namespace with PSA labels, LimitRange, ResourceQuota and default-deny with DNS', () => {
    const { t } = tenant({ quota: { cpu: kplus.Cpu.units(4), memory: Size.gibibytes(8), pods: 20, services: 10, persistentVolumeClaims: 5, storage: Size.gibibytes(100) }, owner: 'team-shop' });
    const objects = synthValid(t);
    const ns = only(objects, 'Namespace');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.35',
      'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(only(objects, 'LimitRange').spec.limits).toEqual([{
      type: 'Container', default: { cpu: '250m', memory: '256Mi' }, defaultRequest: { cpu: '250m', memory: '256Mi' }, maxLimitRequestRatio: { cpu: '4', memory: '2' },
    }]);
    expect(only(objects, 'ResourceQuota').spec.hard).toEqual({
      'requests.cpu': '4', 'limits.cpu': '4', 'requests.memory': '8Gi', 'limits.memory': '8Gi', 'pods': '20', 'services': '10', 'persistentvolumeclaims': '5', 'requests.storage': '100Gi',
    });
    const deny = only(objects, 'NetworkPolicy');
    expect(deny.spec).toMatchObject({ podSelector: {}, policyTypes: ['Egress', 'Ingress'] });
    expect(deny.spec.egress[0].ports).toEqual([{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }]);
    expect(objects.filter(o => o.kind !== 'Namespace').every(o => o.metadata.namespace === 'shop')).toBe(true);
  });

  test('the Namespace carries the profile in force at the Tenant, for the admission policies\' bindings', () => {
    expect(only(synthValid(tenant().t), 'Namespace').metadata.labels[PROFILE_LABEL]).toBe('production');
    const app = Testing.app();
    Profiles.set(app, Profile.STAGING);
    const staging = new Tenant(app, 'shop', { name: 'shop' });
    expect(only(synthValid(staging), 'Namespace').metadata.labels[PROFILE_LABEL]).toBe('staging');
    // Set on the Tenant itself after it is built: read when the app is synthesized.
    const late = tenant();
    Profiles.set(late.t, Profile.DEVELOPMENT);
    expect(only(synthValid(late.t), 'Namespace').metadata.labels[PROFILE_LABEL]).toBe('development');
  });

  test('workloads inside land in the namespace and the quota fits their rollout peak', () => {
    // 3 + 1 surge + 2 old Pods still terminating (25s grace, 10s steps) = 6 Pods x 500m, 512Mi.
    const { t } = tenant({ quota: { cpu: kplus.Cpu.millis(3000), memory: Size.gibibytes(3), pods: 10 } });
    const api = new WebService(t, 'api', apiProps({ replicas: 3 }));
    expect(api.peakPods).toBe(4);
    expect(only(synthValid(t), 'Deployment').metadata.namespace).toBe('shop');
    expect(Findings.of(t).filter(f => f.rule.id.startsWith('SW-NS-'))).toEqual([]);
  });

  test('SW-NS-002: the rollout peak does not fit the quota (the hung-rollout pitfall)', () => {
    // 3 replicas + 1 surge = 4 Pods x 500m = 2000m; the quota holds 3 Pods' worth.
    const { t } = tenant({ quota: { cpu: kplus.Cpu.millis(1500), memory: Size.gibibytes(8) } });
    new WebService(t, 'api', apiProps({ replicas: 3 }));
    expect(() => synthValid(t)).toThrow(/SW-NS-002 \[shop\] quota.requests.cpu = "1500m": the peak of the namespace's workloads needs 2000m of requests.cpu \(shop\/api: 4 Pods x 500m\)/);
  });

  test('the peak uses the autoscaler maximum', () => {
    const { t } = tenant({ quota: { cpu: kplus.Cpu.units(3), memory: Size.gibibytes(64) } });
    new WebService(t, 'api', apiProps({ replicas: undefined, autoscaling: { maxReplicas: 6 } }));
    expect(() => synthValid(t)).toThrow(/SW-NS-002 .*needs 3500m of requests.cpu \(shop\/api: 7 Pods x 500m\)/);
  });

  test('SW-NS-001: containers outside the LimitRange', () => {
    const { t } = tenant({ limits: { maxMemory: Size.mebibytes(256), minCpu: kplus.Cpu.millis(200) } });
    new Worker(t, 'w', { name: 'w', image: 'a:1', size: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(512) }, liveness: Probe.exec(['true']) });
    expect(() => synthValid(t)).toThrow(/SW-NS-001 \[shop\/w\] size.cpu = "100m": requests 100m cpu, below the LimitRange minimum 200m of tenant "shop"[\s\S]*SW-NS-001 \[shop\/w\] size.memory = "512Mi": limits memory to 512Mi, above the LimitRange maximum 256Mi/);
  });

  test('SW-NS-003: a node agent with host access in a restricted namespace; fine in a privileged one', () => {
    const agentProps = {
      name: 'fluent-bit', image: 'fluent/fluent-bit:3.0.4', size: SMALL,
      mounts: [{ volume: PodVolume.hostPath('varlog', '/var/log'), path: '/var/log' }],
      waivers: [Waiver.of('SW-SEC-004', 'ships node logs')],
    };
    const restricted = tenant();
    new NodeAgent(restricted.t, 'agent', agentProps);
    expect(() => synthValid(restricted.t)).toThrow(/SW-NS-003 \[shop\/agent\] waivers = \["SW-SEC-004"\]: uses host access, but tenant "shop" enforces Pod Security "restricted"/);
    const privileged = tenant({ podSecurity: PodSecurityLevel.PRIVILEGED });
    new NodeAgent(privileged.t, 'agent', agentProps);
    expect(only(synthValid(privileged.t), 'Namespace').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('invalid tenant names and sizes stop construction', () => {
    expect(() => tenant({ name: 'Shop' })).toThrow(/SW-NAME-001/);
    expect(() => tenant({ quota: { cpu: kplus.Cpu.millis(0), memory: Size.gibibytes(1) } })).toThrow(/SW-RES-001 \[shop\] quota.cpu/);
  });
});

describe('Tenant numbers the API server cannot take are refused, never written', () => {
  const bad = (what: string) => [Infinity, -Infinity, NaN, -1, 0, 0.5].map(v => [what, v] as [string, number]);

  test.each([...bad('cpu'), ...bad('memory')])('maxLimitRequestRatio.%s = %p is SW-RES-001 naming the field and the value', (resource, value) => {
    // GIVEN a ratio that is not a finite number of at least 1
    const e = thrownBy(() => tenant({ limits: { maxLimitRequestRatio: { [resource]: value } } })) as SeaworthyError;
    // THEN construction stops, naming the field and the value as given
    expect(e).toBeInstanceOf(SeaworthyError);
    expect(e.findings.map(f => `${f.rule.id} ${f.field} = ${f.value}`)).toEqual([`SW-RES-001 limits.maxLimitRequestRatio.${resource} = ${String(value)}`]);
    expect(e.message).toContain('must be a finite number of at least 1');
  });

  test('a ratio that is not an object of ratios is refused instead of ignored', () => {
    const e = thrownBy(() => tenant({ limits: { maxLimitRequestRatio: 4 as never } })) as SeaworthyError;
    expect(e.findings.map(f => `${f.rule.id} ${f.field}`)).toEqual(['SW-PROPS-001 limits.maxLimitRequestRatio']);
  });

  test('finite ratios of at least 1 are written as given', () => {
    const { t } = tenant({ limits: { maxLimitRequestRatio: { cpu: 1, memory: 1.5 } } });
    expect(only(synthValid(t), 'LimitRange').spec.limits[0].maxLimitRequestRatio).toEqual({ cpu: '1', memory: '1.5' });
  });

  const sizes: Array<[string, Partial<TenantProps>]> = [
    ...[Infinity, NaN].flatMap(v => [
      [`limits.defaultCpu = Cpu.units(${v})`, { limits: { defaultCpu: kplus.Cpu.units(v) } }],
      [`limits.minCpu = Cpu.millis(${v})`, { limits: { minCpu: kplus.Cpu.millis(v) } }],
      [`limits.maxCpu = Cpu.units(${v})`, { limits: { maxCpu: kplus.Cpu.units(v) } }],
      [`limits.defaultMemory = Size.mebibytes(${v})`, { limits: { defaultMemory: Size.mebibytes(v) } }],
      [`limits.minMemory = Size.mebibytes(${v})`, { limits: { minMemory: Size.mebibytes(v) } }],
      [`limits.maxMemory = Size.gibibytes(${v})`, { limits: { maxMemory: Size.gibibytes(v) } }],
      [`quota.cpu = Cpu.units(${v})`, { quota: { cpu: kplus.Cpu.units(v), memory: Size.gibibytes(1) } }],
      [`quota.memory = Size.gibibytes(${v})`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(v) } }],
      [`quota.limitsCpu = Cpu.units(${v})`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), limitsCpu: kplus.Cpu.units(v) } }],
      [`quota.limitsMemory = Size.gibibytes(${v})`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), limitsMemory: Size.gibibytes(v) } }],
      [`quota.pods = ${v}`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), pods: v } }],
      [`quota.services = ${v}`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), services: v } }],
      [`quota.persistentVolumeClaims = ${v}`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), persistentVolumeClaims: v } }],
      [`quota.storage = Size.gibibytes(${v})`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), storage: Size.gibibytes(v) } }],
      [`quota.extended.nvidia.com/gpu = ${v}`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), extended: { 'nvidia.com/gpu': v } } }],
      [`quota.hugepages2Mi = Size.mebibytes(${v})`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), hugepages2Mi: Size.mebibytes(v) } }],
      [`quota.hugepages1Gi = Size.gibibytes(${v})`, { quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), hugepages1Gi: Size.gibibytes(v) } }],
    ] as Array<[string, Partial<TenantProps>]>),
  ];
  test.each(sizes)('%s is refused, naming the field', (what, props) => {
    const e = thrownBy(() => tenant(props)) as SeaworthyError;
    expect(e).toBeInstanceOf(SeaworthyError);
    expect(e.findings.map(f => f.field)).toContain(what.split(' = ')[0]);
  });
});
