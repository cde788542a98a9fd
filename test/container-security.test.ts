import { App, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, Findings, PodSecurityLevel, PodVolume, Probe, SeaworthyError, Tenant, Waiver, WebService } from '../src';
import { SMALL } from './support/fixtures';
import { KubeObject, only, synthValid, thrownBy } from './support/synth';

/** The notes' init container: root, with CHOWN only, prepares the volume the non-root app writes. */
const fixPerms = {
  name: 'fix-perms', image: 'busybox:1.36.1', size: SMALL, command: ['chown', '-R', '10001:10001', '/data'],
  mounts: [{ volume: PodVolume.emptyDir('data', { sizeLimit: Size.mebibytes(256) }), path: '/data' }],
  security: { runAsRoot: true, capabilities: [kplus.Capability.CHOWN] },
};
const waivers = [
  Waiver.of('SW-SEC-001', 'chowns the data volume before the app starts', { container: 'fix-perms' }),
  Waiver.of('SW-SEC-010', 'runs as root, see SW-SEC-001', { container: 'fix-perms' }),
  Waiver.of('SW-SEC-002', 'CHOWN is all it needs', { container: 'fix-perms' }),
];
const web = (extra: Record<string, unknown> = {}) => ({
  name: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, size: SMALL, readiness: Probe.http('/ready'),
  mounts: [{ volume: fixPerms.mounts[0].volume, path: '/data' }], initContainers: [fixPerms], waivers, ...extra,
});

function tenant(level: PodSecurityLevel): { app: App; t: Tenant } {
  const app = Testing.app();
  return { app, t: new Tenant(app, 'data', { name: 'data', podSecurity: level }) };
}

function errors(build: () => unknown): string[] {
  const e = thrownBy(build) as SeaworthyError;
  expect(e).toBeInstanceOf(SeaworthyError);
  return e.findings.map(f => `${f.rule.id} ${f.field}`);
}

describe('an init container with privileges of its own', () => {
  test('the notes\' chown step: root and CHOWN on the init container only, under waivers naming it, in a baseline Tenant', () => {
    const { app, t } = tenant(PodSecurityLevel.BASELINE);
    new WebService(t, 'web', web());
    const deployment = only(synthValid(t), 'Deployment');
    const spec = deployment.spec.template.spec;
    expect(spec.initContainers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: false, runAsUser: 0, runAsGroup: 0,
      capabilities: { drop: ['ALL'], add: ['CHOWN'] }, seccompProfile: { type: 'RuntimeDefault' },
    });
    const main = spec.containers.find((c: KubeObject) => c.name === 'web');
    expect(main.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, capabilities: { drop: ['ALL'] } });
    expect(spec.securityContext.runAsNonRoot).toBeUndefined();
    expect(spec.securityContext).toMatchObject({ runAsUser: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(JSON.parse(deployment.metadata.annotations['seaworthy.dev/waivers'])).toContainEqual({ rule: 'SW-SEC-002', reason: 'CHOWN is all it needs', container: 'fix-perms' });
    const findings = Findings.of(app);
    expect(findings.filter(f => f.severity === 'error')).toEqual([]);
    expect(findings.filter(f => ['SW-SEC-001', 'SW-SEC-002', 'SW-SEC-010'].includes(f.rule.id)).every(f => f.severity === 'info')).toBe(true);
  });

  test('without waivers naming the container: SW-SEC-001, SW-SEC-010, SW-SEC-002; a waiver for the whole construct does not do', () => {
    const { t } = tenant(PodSecurityLevel.BASELINE);
    const expected = ['SW-SEC-001 initContainers[0].security.runAsRoot', 'SW-SEC-010 initContainers[0].security.runAsRoot', 'SW-SEC-002 initContainers[0].security.capabilities[0]'];
    expect(errors(() => new WebService(t, 'a', web({ waivers: [] })))).toEqual(expected);
    expect(errors(() => new WebService(t, 'b', web({ waivers: waivers.map(w => Waiver.of(w.ruleId, w.reason)) })))).toEqual(expected);
    expect(errors(() => new WebService(t, 'c', web({ waivers: [...waivers, Waiver.of('SW-SEC-001', 'x', { container: 'nope' })] })))).toEqual(['SW-WAIVER-001 waivers']);
  });

  test('SW-SEC-020: a restricted Tenant would reject the Pod; a baseline one rejects a capability outside its list; privileged admits it', () => {
    const restricted = tenant(PodSecurityLevel.RESTRICTED);
    new WebService(restricted.t, 'web', web());
    const e = thrownBy(() => synthValid(restricted.t));
    expect(e.message).toContain('SW-SEC-020 [data/web] initContainers[0].security = false: container "fix-perms" may run as root, which Pod Security "restricted" forbids, and tenant "data" enforces it: the Pod is rejected');
    expect(e.message).toContain('SW-SEC-020 [data/web] initContainers[0].security = "CHOWN"');

    const sysAdmin = { ...fixPerms, security: { runAsRoot: true, capabilities: [kplus.Capability.SYS_ADMIN] } };
    const baseline = tenant(PodSecurityLevel.BASELINE);
    new WebService(baseline.t, 'web', web({ initContainers: [sysAdmin] }));
    expect(thrownBy(() => synthValid(baseline.t)).message).toMatch(/SW-SEC-020 \[data\/web\] initContainers\[0\]\.security = "SYS_ADMIN": container "fix-perms" adds SYS_ADMIN, which Pod Security "baseline" forbids/);
    const privileged = tenant(PodSecurityLevel.PRIVILEGED);
    new WebService(privileged.t, 'web', web({ initContainers: [sysAdmin] }));
    expect(only(synthValid(privileged.t), 'Deployment').spec.template.spec.initContainers[0].securityContext.capabilities.add).toEqual(['SYS_ADMIN']);
  });

  test('SW-SEC-019: a sidecar cannot have privileges of its own; malformed security is refused', () => {
    const { t } = tenant(PodSecurityLevel.BASELINE);
    expect(errors(() => new WebService(t, 'a', web({ sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', size: SMALL, security: { runAsRoot: true } }] }))))
      .toEqual(['SW-SEC-019 sidecars[0].security']);
    expect(errors(() => new WebService(t, 'b', web({ initContainers: [{ ...fixPerms, security: { runAsRoot: 'yes', capabilities: ['ALL'], privileged: true } }] }))))
      .toEqual(['SW-PROPS-002 initContainers[0].security.privileged', 'SW-PROPS-001 initContainers[0].security.runAsRoot', 'SW-PROPS-001 initContainers[0].security.capabilities']);
  });
});

describe('the audit: waivers naming a container, and the namespace\'s Pod Security level', () => {
  const deployment = (waiverList: object[]): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'data', annotations: { 'seaworthy.dev/waivers': JSON.stringify(waiverList) } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          securityContext: { runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          initContainers: [{ name: 'fix-perms', image: 'busybox:1.36.1', securityContext: { runAsUser: 0, runAsGroup: 0, runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'], add: ['CHOWN'] } } }],
          containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0', securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } } }],
        },
      },
    },
  });
  const namespace = (level?: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'data', labels: level ? { 'pod-security.kubernetes.io/enforce': level } : {} } });
  const scoped = [{ rule: 'SW-SEC-001', reason: 'chown', container: 'fix-perms' }, { rule: 'SW-SEC-010', reason: 'root', container: 'fix-perms' }, { rule: 'SW-SEC-002', reason: 'CHOWN', container: 'fix-perms' }];
  const of = (objects: KubeObject[], ids: RegExp) => audit(objects.map(object => ({ object }))).filter(f => ids.test(f.rule.id)).map(f => `${f.rule.id} ${f.severity} ${f.field}`);

  test('a waiver naming the container waives its findings only; the other containers stay checked', () => {
    expect(of([deployment(scoped), namespace('baseline')], /SW-SEC-00[12]|SW-SEC-010|SW-SEC-020/)).toEqual([
      'SW-SEC-010 info spec.template.spec.initContainers[0].securityContext.runAsNonRoot',
      'SW-SEC-001 info spec.template.spec.initContainers[0].securityContext.runAsUser',
      'SW-SEC-001 info spec.template.spec.initContainers[0].securityContext.runAsGroup',
      'SW-SEC-002 info spec.template.spec.initContainers[0].securityContext.capabilities.add[0]',
    ]);
    const other = scoped.map(w => ({ ...w, container: 'web' }));
    const unwaived = of([deployment(other)], /SW-SEC-00[12]|SW-SEC-010/);
    expect(unwaived).toHaveLength(4);
    expect(unwaived.every(f => f.includes(' error '))).toBe(true);
  });

  test('SW-SEC-020 against the namespace\'s enforce label: restricted rejects the root init container, baseline admits it', () => {
    expect(of([deployment(scoped), namespace('restricted')], /SW-SEC-020/)).toEqual([
      'SW-SEC-020 error spec.template.spec.initContainers[0].securityContext.capabilities.add[0]',
      'SW-SEC-020 error spec.template.spec.initContainers[0].securityContext.runAsNonRoot',
      'SW-SEC-020 error spec.template.spec.initContainers[0].securityContext.runAsUser',
    ]);
    expect(of([deployment(scoped), namespace('baseline')], /SW-SEC-020/)).toEqual([]);
    expect(of([deployment(scoped), namespace()], /SW-SEC-020/)).toEqual([]);
    expect(of([deployment(scoped)], /SW-SEC-020/)).toEqual([]);
  });
});
