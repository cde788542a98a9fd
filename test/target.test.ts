import { ApiObject, App, Chart, Duration, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  audit, BatchJob, CAPABILITIES, CronTask, explainConstructs, Feature, Findings, isKubernetesVersion, KubernetesTarget, KubernetesVersion, SeaworthyError,
  SUPPORTED_VERSIONS, Tenant,
} from '../src';
import { run } from '../src/cli/main';
import { SMALL } from './support/fixtures';
import { podSpecOf } from './support/pod-checks';
import { KubeObject, only, synthValid, thrownBy } from './support/synth';

const LONG_AGO = new Date('2024-01-01T00:00:00Z');

function appFor(version?: KubernetesVersion): { app: App; chart: Chart } {
  const app = Testing.app();
  if (version) KubernetesTarget.set(app, version, { asOf: LONG_AGO });
  return { app, chart: new Chart(app, 'test', { namespace: 'batch' }) };
}

const sidecar = { name: 'shipper', image: 'ghcr.io/acme/shipper:1.0.0', size: SMALL, command: ['/shipper'] };

describe('KubernetesTarget', () => {
  test('the default is 1.35, the oldest minor upstream still supports on 2026-12-02, with sidecars and the sleep action', () => {
    expect(KubernetesTarget.of(Testing.app()).version).toBe('1.35');
    expect(KubernetesTarget.DEFAULT.supportedUpstream(new Date('2026-12-02'))).toBe(true);
    expect(KubernetesTarget.version('1.34').supportedUpstream(new Date('2026-12-02'))).toBe(false);
    expect(KubernetesTarget.DEFAULT.has(Feature.NATIVE_SIDECARS)).toBe(true);
    expect(KubernetesTarget.DEFAULT.has(Feature.PRESTOP_SLEEP_ACTION)).toBe(true);
  });

  test('set on the app, overridden per chart; inherited by everything below', () => {
    const app = Testing.app();
    KubernetesTarget.set(app, '1.31', { asOf: LONG_AGO });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    KubernetesTarget.set(b, '1.36', { asOf: LONG_AGO });
    expect(KubernetesTarget.of(a).version).toBe('1.31');
    expect(KubernetesTarget.of(new Chart(b, 'inner')).version).toBe('1.36');
  });

  test('SW-TARGET-001: unknown or unsupported minors name the supported range', () => {
    for (const bad of ['1.27', '1.37', '2.0', 'latest', '', 1.35 as unknown as string]) {
      const e = thrownBy(() => KubernetesTarget.set(Testing.app(), bad as KubernetesVersion)) as SeaworthyError;
      expect(e).toBeInstanceOf(SeaworthyError);
      expect(e.ruleIds).toEqual(['SW-TARGET-001']);
      expect(e.message).toMatch(/1\.28.*1\.36/);
    }
    expect((thrownBy(() => KubernetesTarget.set(Testing.app(), 'v1.30' as KubernetesVersion)) as SeaworthyError).message).toContain('"1.30"');
    expect(KubernetesTarget.version('v1.30.4').version).toBe('1.30');
  });

  test('parseVersion: a version read at run time becomes a KubernetesVersion, normalised as the CLI and environments normalise', () => {
    // GIVEN strings as a CI variable or `kubectl version` give them
    const cases: Array<[string, KubernetesVersion]> = [['1.35', '1.35'], ['v1.35', '1.35'], ['1.35.2', '1.35'], ['v1.28.15', '1.28'], [' 1.36\n', '1.36'], ['1.030', '1.30']];
    for (const [input, expected] of cases) {
      // WHEN parsed THEN the value is typed and usable without a cast
      const version: KubernetesVersion = KubernetesTarget.parseVersion(input);
      expect(version).toBe(expected);
    }
    const app = Testing.app();
    KubernetesTarget.set(app, KubernetesTarget.parseVersion('v1.31.4'), { asOf: LONG_AGO });
    expect(KubernetesTarget.of(app).version).toBe('1.31');
  });

  test('parseVersion: anything else is SW-TARGET-001 naming the value and the supported range', () => {
    for (const bad of ['1.27', '1.37', 'v1.27.9', '2.0', '1', 'latest', '', '1.35.x', 'v1.35-eks', 'V1.35', undefined as unknown as string, 1.35 as unknown as string]) {
      const e = thrownBy(() => KubernetesTarget.parseVersion(bad)) as SeaworthyError;
      expect(e).toBeInstanceOf(SeaworthyError);
      expect(e.ruleIds).toEqual(['SW-TARGET-001']);
      expect(e.message).toContain(`kubernetesVersion = ${bad === undefined ? '(unset)' : JSON.stringify(bad)}`);
      expect(e.message).toMatch(/1\.28.*1\.36/);
    }
    expect(thrownBy(() => KubernetesTarget.parseVersion('1.37')).message).toBe('seaworthy found 1 error:\n  SW-TARGET-001 [KubernetesTarget.parseVersion] kubernetesVersion = "1.37": is not a supported Kubernetes minor: seaworthy renders for 1.28 to 1.36. Fix: set the target to the minor of the cluster, written as "1.NN" between "1.28" and "1.36", e.g. KubernetesTarget.set(app, \'1.35\') or --kubernetes-version 1.35.');
  });

  test('isKubernetesVersion: the type guard accepts exactly the supported "1.NN" strings', () => {
    for (const v of SUPPORTED_VERSIONS) expect(isKubernetesVersion(v)).toBe(true);
    for (const v of ['v1.35', '1.35.2', '1.27', '1.37', '', ' 1.35', 1.35, undefined, null, {}]) expect(isKubernetesVersion(v)).toBe(false);
    const fromEnv: unknown = '1.33';
    if (isKubernetesVersion(fromEnv)) {
      const version: KubernetesVersion = fromEnv;
      expect(KubernetesTarget.version(version).minor).toBe(33);
    }
  });

  test('SW-TARGET-002: a target past its upstream end of life is a warning, judged on the day given', () => {
    const old = Testing.app();
    KubernetesTarget.set(old, '1.28', { asOf: new Date('2026-12-02') });
    expect(Findings.of(old).map(f => `${f.rule.id} ${f.severity} ${f.problem}`)).toEqual(['SW-TARGET-002 warning Kubernetes 1.28 reached its upstream end of life on 2024-10-28']);
    const current = Testing.app();
    KubernetesTarget.set(current, '1.28', { asOf: new Date('2024-10-28') });
    expect(Findings.of(current)).toEqual([]);
  });

  test('the capability table: every feature starts inside the supported range, and safe sysctls grow with the minor', () => {
    for (const c of Object.values(CAPABILITIES)) {
      expect(c.since).toBeGreaterThanOrEqual(28); // 28: every supported minor has it (listed so the table names every feature used)
      expect(c.since).toBeLessThanOrEqual(36);
      expect(c.why).toMatch(/1\.\d\d/);
    }
    const sysctls = SUPPORTED_VERSIONS.map(v => KubernetesTarget.version(v).safeSysctls);
    for (let i = 1; i < sysctls.length; i++) for (const s of sysctls[i - 1]) expect(sysctls[i].has(s)).toBe(true);
    expect(KubernetesTarget.version('1.28').safeSysctls.has('net.ipv4.tcp_keepalive_time')).toBe(false);
    expect(KubernetesTarget.version('1.29').safeSysctls.has('net.ipv4.tcp_keepalive_time')).toBe(true);
    expect(KubernetesTarget.version('1.31').safeSysctls.has('net.ipv4.tcp_rmem')).toBe(false);
    expect(KubernetesTarget.version('1.32').safeSysctls.has('net.ipv4.tcp_rmem')).toBe(true);
  });

  test('Pod Security labels of a Tenant carry the target\'s policy version', () => {
    for (const v of ['1.28', '1.33', '1.36'] as const) {
      const app = Testing.app();
      KubernetesTarget.set(app, v, { asOf: LONG_AGO });
      const ns = only(synthValid(new Tenant(app, 't', { name: 't' })), 'Namespace');
      for (const mode of ['enforce', 'audit', 'warn']) expect(ns.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe(`v${v}`);
    }
  });
});

describe('native sidecars in Jobs', () => {
  test('a BatchJob with a sidecar completes: the sidecar is native and the Job carries no completion workaround', () => {
    const { chart } = appFor('1.29');
    const job = new BatchJob(chart, 'export', { name: 'export', image: 'ghcr.io/acme/export:1.0.0', size: SMALL, sidecars: [sidecar] });
    const pod = podSpecOf(only(synthValid(chart), 'Job'))!;
    expect(pod.containers.map((c: KubeObject) => c.name)).toEqual(['export']);
    expect(pod.initContainers).toEqual([expect.objectContaining({ name: 'shipper', restartPolicy: 'Always' })]);
    expect(Findings.of(job).filter(f => f.rule.id === 'SW-SIDECAR-001')).toEqual([]);
    // 1.29 has native sidecars but not yet the sleep action: the Job has no preStop either way.
    expect(pod.containers[0].lifecycle).toBeUndefined();
  });

  test('on 1.28 the same Job warns that it never completes (SW-SIDECAR-001)', () => {
    const { chart } = appFor('1.28');
    const cron = new CronTask(chart, 'nightly', { name: 'nightly', image: 'ghcr.io/acme/export:1.0.0', size: SMALL, schedule: '0 3 * * *', sidecars: [sidecar] });
    const pod = podSpecOf(only(synthValid(chart), 'CronJob'))!;
    expect(pod.containers.map((c: KubeObject) => c.name)).toEqual(['nightly', 'shipper']);
    const [finding] = Findings.of(cron).filter(f => f.rule.id === 'SW-SIDECAR-001');
    expect(finding.message).toContain('Kubernetes 1.28 has no native sidecars, so "shipper" keeps the Pod running after the app exits and the Job never completes');
  });

  test('explainConstructs states the target it judged against', () => {
    const { chart } = appFor('1.31');
    new BatchJob(chart, 'export', { name: 'export', image: 'ghcr.io/acme/export:1.0.0', size: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(64) }, activeDeadline: Duration.minutes(5) });
    expect(explainConstructs(chart)[0].target).toMatch(/^Kubernetes 1\.31 \(upstream support ended 2025-10-28\)$/);
  });
});

/** An Istio/OpenTelemetry-style Pod: a native sidecar with probes and a preStop hook. */
function meshPod(lifecycle?: object): KubeObject {
  const resources = { requests: { 'cpu': '100m', 'memory': '64Mi', 'ephemeral-storage': '1Gi' }, limits: { 'cpu': '100m', 'memory': '64Mi', 'ephemeral-storage': '1Gi' } };
  const security = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 };
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mesh', namespace: 'mesh', labels: { 'app.kubernetes.io/name': 'mesh', 'app.kubernetes.io/instance': 'mesh' } },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [{
        name: 'istio-proxy', image: 'istio/proxyv2:1.24.0', imagePullPolicy: 'IfNotPresent', restartPolicy: 'Always', resources, securityContext: security,
        ports: [{ name: 'http-envoy-prom', containerPort: 15090 }],
        readinessProbe: { httpGet: { path: '/healthz/ready', port: 15021 } }, startupProbe: { httpGet: { path: '/healthz/ready', port: 15021 } },
        lifecycle: { preStop: { exec: { command: ['pilot-agent', 'request', 'POST', 'drain'] } } },
      }],
      containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0', imagePullPolicy: 'Always', resources, securityContext: security, lifecycle }],
    },
  };
}

const ids = (objects: KubeObject[], version?: KubernetesVersion) => audit(objects.map(object => ({ object })), { kubernetesVersion: version }).map(f => f.rule.id);

describe('the audit judges for a target', () => {
  test('SW-INIT-001 no longer fires on a native sidecar with probes and hooks; a plain init container still gets it', () => {
    expect(ids([meshPod()], '1.35')).not.toContain('SW-INIT-001');
    const plain = meshPod();
    delete plain.spec.initContainers[0].restartPolicy;
    expect(ids([plain], '1.35').filter(id => id === 'SW-INIT-001')).toHaveLength(3);
  });

  test('SW-TARGET-003: a native sidecar or a sleep action on a target that lacks it', () => {
    expect(ids([meshPod()], '1.28')).toContain('SW-TARGET-003');
    expect(ids([meshPod()], '1.29')).not.toContain('SW-TARGET-003');
    const sleeping = meshPod({ preStop: { sleep: { seconds: 5 } } });
    expect(ids([sleeping], '1.29').filter(id => id === 'SW-TARGET-003')).toEqual(['SW-TARGET-003']);
    expect(ids([sleeping], '1.30')).not.toContain('SW-TARGET-003');
  });

  test('SW-API-001 and SW-API-002 follow the target: flowcontrol v1beta3 is deprecated from 1.29 and removed in 1.32', () => {
    const fc = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'fs' } };
    expect(ids([fc], '1.28')).not.toEqual(expect.arrayContaining(['SW-API-001']));
    expect(ids([fc], '1.28')).not.toContain('SW-API-002');
    expect(ids([fc], '1.31')).toContain('SW-API-002');
    expect(ids([fc], '1.32')).toContain('SW-API-001');
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } };
    const [removed] = audit([{ object: pdb }], { kubernetesVersion: '1.33' }).filter(f => f.rule.id === 'SW-API-001');
    expect(removed.message).toContain('is not served by Kubernetes 1.33 (the target; removed in 1.25); use policy/v1');
    // ValidatingAdmissionPolicy is new in admissionregistration.k8s.io/v1beta1, not removed with the webhooks.
    expect(ids([{ apiVersion: 'admissionregistration.k8s.io/v1beta1', kind: 'ValidatingAdmissionPolicy', metadata: { name: 'v' } }], '1.30')).not.toContain('SW-API-001');
  });

  test('safe sysctls are the target\'s: tcp_keepalive_time is unsafe on 1.28, safe from 1.29', () => {
    const pod = meshPod();
    pod.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }];
    expect(ids([pod], '1.28')).toContain('SW-SEC-013');
    expect(ids([pod], '1.29')).not.toContain('SW-SEC-013');
  });

  test('SW-SEC-018 on any probe host; the message says when the target\'s Pod Security also rejects it', () => {
    const pod = meshPod();
    pod.spec.containers[0].livenessProbe = { tcpSocket: { port: 8080, host: '127.0.0.1' } };
    const find = (v: KubernetesVersion) => audit([{ object: pod }], { kubernetesVersion: v }).find(f => f.rule.id === 'SW-SEC-018')!;
    expect(find('1.35').problem).toBe('the kubelet would call 127.0.0.1 from the node; Pod Security "baseline" of Kubernetes 1.35 (the target) rejects the Pod in a namespace enforcing baseline or restricted');
    expect(find('1.33').problem).toBe('the kubelet would call 127.0.0.1 from the node');
  });

  test('appArmorProfile: Unconfined is SW-SEC-015 from 1.30; before 1.30 the field itself is SW-TARGET-003', () => {
    const pod = meshPod();
    pod.spec.securityContext.appArmorProfile = { type: 'Unconfined' };
    expect(ids([pod], '1.30')).toContain('SW-SEC-015');
    expect(ids([pod], '1.29')).toContain('SW-TARGET-003');
    pod.spec.securityContext.appArmorProfile = { type: 'RuntimeDefault' };
    expect(ids([pod], '1.30')).not.toContain('SW-SEC-015');
  });

  test('the CLI takes --kubernetes-version; a bad value is a usage error naming the range', () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), isTty: false };
    expect(run(['audit', 'test/fixtures/cli', '--kubernetes-version', '1.27'], io)).toBe(2);
    expect(out.join('')).toMatch(/--kubernetes-version is not a supported Kubernetes minor: seaworthy renders for 1\.28 to 1\.36 \(SW-TARGET-001\)/);
  });
});

describe('manifest rules at synth judge for the chart\'s target and catch what escape hatches add', () => {
  const sysctlPod = (chart: Chart) => new ApiObject(chart, 'raw', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'raw' },
    spec: { securityContext: { sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }] }, containers: [{ name: 'c', image: 'busybox:1.36' }] },
  });

  test('a raw Pod\'s sysctl is unsafe on 1.28 and safe from 1.29, in Findings.of(app)', () => {
    for (const [version, expected] of [['1.28', true], ['1.29', false]] as const) {
      const { app, chart } = appFor(version);
      sysctlPod(chart);
      expect(Findings.of(app).some(f => f.rule.id === 'SW-SEC-013')).toBe(expected);
    }
  });

  test('a raw Secret with data and a password added through a JSON patch are reported, without the value', () => {
    const { app, chart } = appFor('1.35');
    new ApiObject(chart, 'secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2-hunter2' } });
    const job = new BatchJob(chart, 'export', { name: 'export', image: 'ghcr.io/acme/export:1.0.0', size: SMALL });
    ApiObject.of(job.job).addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/env', [{ name: 'DB_URL', value: 'postgres://app:s3cr3t-pw@db:5432/shop' }]));
    const found = Findings.of(app).filter(f => f.rule.id.startsWith('SW-SECRET-'));
    expect(found.map(f => f.rule.id).sort()).toEqual(['SW-SECRET-001', 'SW-SECRET-002']);
    for (const f of found) {
      expect(f.message).not.toContain('hunter2');
      expect(f.message).not.toContain('s3cr3t-pw');
    }
  });
});
