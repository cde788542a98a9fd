import { Chart, Duration, Size } from 'cdk8s';
import {
  AccessMode, AppConfig, DnsPolicy, EmptyDirMedium, Env, NodeRequirement, PodAffinityTerm, PodVolume, Probe, ProjectedSource,
  Findings, KubernetesTarget, KubernetesVersion, PreStop, SeaworthyError, TaintEffect, TerminationMessagePolicy, Toleration, WebService, Worker,
} from '../src';
import * as kplus from 'cdk8s-plus-28';
import { SMALL } from './support/fixtures';
import { podSpecOf, pssRestrictedViolations, qosOf } from './support/pod-checks';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

function podOf(overrides: Parameters<typeof apiProps>[0], build?: (chart: ReturnType<typeof newChart>['chart']) => Parameters<typeof apiProps>[0]): { pod: KubeObject; template: KubeObject } {
  const { chart } = newChart();
  new WebService(chart, 'api', apiProps({ ...overrides, ...build?.(chart) }));
  const d = only(synthValid(chart), 'Deployment');
  return { pod: podSpecOf(d)!, template: d.spec.template };
}

function errors(overrides: Parameters<typeof apiProps>[0]): SeaworthyError {
  const { chart } = newChart();
  const e = thrownBy(() => new WebService(chart, 'api', apiProps(overrides)));
  expect(e).toBeInstanceOf(SeaworthyError);
  return e as SeaworthyError;
}

describe('volumes and mounts', () => {
  test('every volume type renders and mounts', () => {
    const { pod } = podOf({
      mounts: [
        { volume: PodVolume.emptyDir('cache', { sizeLimit: Size.mebibytes(256) }), path: '/var/cache/app' },
        { volume: PodVolume.emptyDir('shm', { sizeLimit: Size.mebibytes(64), medium: EmptyDirMedium.MEMORY }), path: '/dev/shm' },
        { volume: PodVolume.configMap('settings', 'api-settings', { items: [{ key: 'app.yaml', path: 'app.yaml' }], defaultMode: 0o440 }), path: '/etc/api/app.yaml', subPath: 'app.yaml', readOnly: true },
        { volume: PodVolume.secret('tls', 'api-tls'), path: '/etc/tls', readOnly: true },
        { volume: PodVolume.persistentVolumeClaim('shared', 'uploads', { accessMode: AccessMode.READ_WRITE_MANY }), path: '/uploads' },
        { volume: PodVolume.projected('bundle', [ProjectedSource.configMap('ca'), ProjectedSource.secret('creds', [{ key: 'token', path: 'token' }]), ProjectedSource.serviceAccountToken('vault-token', 'vault', 600)]), path: '/var/run/bundle' },
        { volume: PodVolume.downwardApi('podinfo', [{ path: 'labels', fieldPath: 'metadata.labels' }, { path: 'mem', resource: 'limits.memory', containerName: 'api' }]), path: '/etc/podinfo' },
      ],
    });
    expect(pod.volumes.map((v: KubeObject) => v.name)).toEqual(['tmp', 'cache', 'shm', 'settings', 'tls', 'shared', 'bundle', 'podinfo']);
    expect(pod.volumes[2]).toEqual({ name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } });
    expect(pod.volumes[3]).toEqual({ name: 'settings', configMap: { name: 'api-settings', items: [{ key: 'app.yaml', path: 'app.yaml' }], defaultMode: 0o440 } });
    expect(pod.volumes[4]).toEqual({ name: 'tls', secret: { secretName: 'api-tls', defaultMode: 0o440 } });
    expect(pod.volumes[6].projected.sources[2]).toEqual({ serviceAccountToken: { path: 'vault-token', audience: 'vault', expirationSeconds: 600 } });
    expect(pod.volumes[7].downwardAPI.items[1]).toEqual({ path: 'mem', resourceFieldRef: { resource: 'limits.memory', containerName: 'api' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'settings', mountPath: '/etc/api/app.yaml', subPath: 'app.yaml', readOnly: true });
    expect(pssRestrictedViolations(pod)).toEqual([]);
  });

  test('SW-VOL-002: an emptyDir without sizeLimit', () => {
    expect(errors({ mounts: [{ volume: PodVolume.emptyDir('cache'), path: '/cache' }] }).ruleIds).toEqual(['SW-VOL-002']);
  });

  test('SW-VOL-003: a memory emptyDir above the memory limit', () => {
    const e = errors({ mounts: [{ volume: PodVolume.emptyDir('shm', { sizeLimit: Size.gibibytes(1), medium: EmptyDirMedium.MEMORY }), path: '/dev/shm' }] });
    expect(e.ruleIds).toEqual(['SW-VOL-003']);
    expect(e.message).toContain('counts against the memory limit of "api" (512Mi)');
  });

  test('SW-RES-003: disk emptyDirs above ephemeral storage', () => {
    expect(errors({ mounts: [{ volume: PodVolume.emptyDir('cache', { sizeLimit: Size.gibibytes(1) }), path: '/cache' }] }).ruleIds).toEqual(['SW-RES-003']);
  });

  test('SW-VOL-004: a ReadWriteOnce claim shared by replicas, or surging on one replica', () => {
    const rwo = { volume: PodVolume.persistentVolumeClaim('data', 'data'), path: '/data' };
    expect(errors({ mounts: [rwo] }).ruleIds).toEqual(['SW-VOL-004']);
    expect(errors({ mounts: [rwo], replicas: 1 }).ruleIds).toEqual(['SW-VOL-004']);
    const { pod } = podOf({ mounts: [rwo], replicas: 1, rollout: { recreate: true } });
    expect(pod.volumes[1]).toEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data' } });
  });

  test('Recreate strategy for a single writer', () => {
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps({ replicas: 1, rollout: { recreate: true }, mounts: [{ volume: PodVolume.persistentVolumeClaim('data', 'data'), path: '/data' }] }));
    expect(only(synthValid(chart), 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
  });

  test('SW-VOL-001: relative paths, duplicate paths, ".." subPaths, bad modes, clashing names', () => {
    const a = PodVolume.emptyDir('cache', { sizeLimit: Size.mebibytes(8) });
    const b = PodVolume.emptyDir('cache', { sizeLimit: Size.mebibytes(16) });
    const e = errors({
      mounts: [
        { volume: a, path: 'cache' },
        // (A mount at /tmp is no duplicate: it replaces the built-in /tmp, see tmp-volume.test.ts.)
        { volume: a, path: '/cfg' },
        { volume: b, path: '/other' },
        { volume: PodVolume.configMap('cfg', 'cfg', { defaultMode: 0o1777 }), path: '/cfg', subPath: '../etc' },
      ],
    });
    expect(e.ruleIds).toEqual(['SW-VOL-001', 'SW-VOL-001', 'SW-VOL-001', 'SW-VOL-001', 'SW-VOL-001']);
  });
});

describe('AppConfig', () => {
  test('env and subPath mounts from a config stamp a content hash that changes with the content', () => {
    const hashFor = (level: string) => podOf({}, chart => {
      const cfg = new AppConfig(chart, 'cfg', { name: 'api-config', data: { LOG_LEVEL: level, 'app.yaml': 'port: 8080\n' } });
      return { env: { LOG_LEVEL: cfg.env('LOG_LEVEL') }, mounts: [{ volume: cfg.volume({ items: [{ key: 'app.yaml', path: 'app.yaml' }] }), path: '/etc/api/app.yaml', subPath: 'app.yaml' }] };
    }).template.metadata.annotations['seaworthy.dev/config-hash'];
    expect(hashFor('info')).toMatch(/^[0-9a-f]{16}$/);
    expect(hashFor('info')).toBe(hashFor('info'));
    expect(hashFor('debug')).not.toBe(hashFor('info'));
  });

  test('no config, no hash annotation', () => {
    expect(podOf({}).template.metadata.annotations).toBeUndefined();
  });

  test('SW-CONFIG-001: a key the config does not define', () => {
    const { chart } = newChart();
    const cfg = new AppConfig(chart, 'cfg', { name: 'api-config', data: { LOG_LEVEL: 'info' } });
    const e = thrownBy(() => new WebService(chart, 'api', apiProps({ env: { LEVEL: cfg.env('LOGLEVEL') } }))) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-CONFIG-001']);
    expect(e.message).toContain('env.LEVEL = "LOGLEVEL": is not a key of config "api-config" (keys: LOG_LEVEL)');
  });

  test('the ConfigMap itself', () => {
    const { chart } = newChart();
    new AppConfig(chart, 'cfg', { name: 'api-config', data: { LOG_LEVEL: 'info' }, immutable: true });
    // Immutable: named after the content hash, so a change is a new ConfigMap rather than a refused update (issue 14).
    const cm = only(synthValid(chart), 'ConfigMap');
    expect(cm).toMatchObject({ data: { LOG_LEVEL: 'info' }, immutable: true });
    expect(cm.metadata.name).toMatch(/^api-config-[0-9a-f]{10}$/);
  });
});

describe('sidecars and init containers', () => {
  test('a log tailer sharing an emptyDir, and init containers in order, all hardened and sized', () => {
    const logs = PodVolume.emptyDir('logs', { sizeLimit: Size.mebibytes(128) });
    const { pod } = podOf({
      mounts: [{ volume: logs, path: '/var/log/app' }],
      sidecars: [{ name: 'log-tailer', image: 'busybox:1.36', size: SMALL, command: ['tail', '-F', '/logs/app.log'], mounts: [{ volume: logs, path: '/logs', readOnly: true }], ports: [{ name: 'tailer', port: 9000 }], liveness: Probe.tcp({ port: 9000 }) }],
      initContainers: [
        { name: 'wait-db', image: 'busybox:1.36', size: SMALL, command: ['/bin/wait-for', 'db:5432'] },
        { name: 'migrate', image: 'ghcr.io/acme/api:1.4.2', size: SMALL, args: ['migrate'], terminationMessagePolicy: TerminationMessagePolicy.FILE },
      ],
    });
    // Native sidecar (default target 1.35): an init container that keeps running, started first.
    expect(pod.containers.map((c: KubeObject) => c.name)).toEqual(['api']);
    expect(pod.initContainers.map((c: KubeObject) => c.name)).toEqual(['log-tailer', 'wait-db', 'migrate']);
    expect(pod.initContainers.map((c: KubeObject) => c.restartPolicy)).toEqual(['Always', undefined, undefined]);
    expect(pod.initContainers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'logs', mountPath: '/logs', readOnly: true }]);
    expect(pod.initContainers[0].livenessProbe.tcpSocket.port).toBe(9000);
    expect(pod.initContainers[2].terminationMessagePolicy).toBe('File');
    expect(pod.initContainers[1].readinessProbe).toBeUndefined();
    expect(qosOf(pod)).toBe('Guaranteed');
    expect(pssRestrictedViolations(pod)).toEqual([]);
    expect(pod.volumes.filter((v: KubeObject) => v.name === 'logs')).toHaveLength(1);
  });

  test('on Kubernetes 1.28 a sidecar stays a regular container, with SW-SIDECAR-001 saying what that costs', () => {
    const { app, chart } = newChart();
    KubernetesTarget.set(app, '1.28', { asOf: new Date('2024-01-01') });
    const web = new WebService(chart, 'api', apiProps({ sidecars: [{ name: 'log-tailer', image: 'busybox:1.36', size: SMALL, command: ['tail', '-F', '/tmp/app.log'] }] }));
    const pod = podSpecOf(only(synthValid(chart), 'Deployment'))!;
    expect(pod.containers.map((c: KubeObject) => c.name)).toEqual(['api', 'log-tailer']);
    expect(pod.initContainers).toBeUndefined();
    expect(Findings.of(web).map(f => [f.rule.id, f.severity, f.field])).toEqual([['SW-SIDECAR-001', 'warning', 'sidecars[0]']]);
    expect(Findings.of(web)[0].message).toContain('Kubernetes 1.28 has no native sidecars');
  });

  test('a native sidecar\'s preStop runs after the app has exited: it renders as the sleep action and extends the grace period', () => {
    const shipper = { name: 'shipper', image: 'ghcr.io/acme/shipper:1.0.0', size: SMALL, preStop: PreStop.sleep(Duration.seconds(10)) };
    const { pod } = podOf({ sidecars: [shipper] });
    expect(pod.initContainers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(5 + 15 + 10 + 5);
    const short = errors({ sidecars: [shipper], shutdown: { gracePeriod: Duration.seconds(34) } });
    expect(short.ruleIds).toEqual(['SW-SHUTDOWN-001']);
    expect(short.message).toContain('is shorter than preStop delay (5s) + drain time (15s) + sidecar preStop (10s) + margin (5s) = 35s');
    expect(podOf({ sidecars: [shipper], shutdown: { gracePeriod: Duration.seconds(35) } }).pod.terminationGracePeriodSeconds).toBe(35);
  });

  test('effective Pod requests with native sidecars follow the scheduler: sidecars add to the app and to later init containers', () => {
    const size = (cpu: number) => ({ cpu: kplus.Cpu.millis(cpu), memory: Size.mebibytes(cpu) });
    const props = apiProps({
      size: size(500),
      sidecars: [{ name: 'proxy', image: 'envoy:1.30', size: size(100) }],
      initContainers: [{ name: 'warm', image: 'busybox:1.36', size: size(900) }],
    });
    const requests = (v: KubernetesVersion) => {
      const { app, chart } = newChart();
      KubernetesTarget.set(app, v, { asOf: new Date('2024-01-01') });
      return new WebService(chart, 'api', props).pod.podRequests.cpu;
    };
    // Native: max(500 + 100, 100 + 900) = 1000m. Regular containers: max(500 + 100, 900) = 900m.
    expect(requests('1.35')).toBeCloseTo(1.0);
    expect(requests('1.28')).toBeCloseTo(0.9);
  });

  test('SW-PORT-001 across containers', () => {
    const e = errors({ sidecars: [{ name: 'proxy', image: 'envoy:1.30', size: SMALL, ports: [{ name: 'proxy', port: 8080 }] }] });
    expect(e.ruleIds).toEqual(['SW-PORT-001']);
    expect(e.message).toContain('sidecars[0].ports[0].port = 8080: port 8080/TCP is already declared by port');
  });

  test('SW-INIT-001: probes, hooks and ports on init containers', () => {
    const e = errors({ initContainers: [{ name: 'init', image: 'busybox:1.36', size: SMALL, readiness: Probe.exec(['true']), ports: [{ name: 'x', port: 9999 }] }] });
    expect(e.ruleIds.sort()).toEqual(['SW-INIT-001', 'SW-INIT-001']);
  });

  test('SW-CONTAINER-001: duplicate or invalid container names', () => {
    expect(errors({ sidecars: [{ name: 'api', image: 'busybox:1.36', size: SMALL }] }).ruleIds).toEqual(['SW-CONTAINER-001']);
    expect(errors({ sidecars: [{ name: 'Log_Tailer', image: 'busybox:1.36', size: SMALL }] }).ruleIds).toEqual(['SW-CONTAINER-001']);
  });

  test('an init container without resources would make the Pod Burstable, so size is required', () => {
    expect(errors({ initContainers: [{ name: 'init', image: 'busybox:1.36', size: undefined as never }] }).ruleIds).toEqual(['SW-RES-001']);
  });

  test('sidecar images are pinned too', () => {
    expect(errors({ sidecars: [{ name: 'x', image: 'busybox', size: SMALL }] }).ruleIds).toEqual(['SW-IMAGE-001']);
  });
});

describe('scheduling', () => {
  test('node selector, node affinity with every operator, pod (anti-)affinity, tolerations, priority, dedicated nodes', () => {
    const { pod } = podOf({
      scheduling: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        nodeAffinity: [
          { requirements: [NodeRequirement.in('disk', ['ssd']), NodeRequirement.notIn('zone', ['z9']), NodeRequirement.exists('fast'), NodeRequirement.doesNotExist('spot'), NodeRequirement.gt('cores', 4), NodeRequirement.lt('age', 100)] },
          { requirements: [NodeRequirement.in('tier', ['gold'])], weight: 50 },
        ],
        podAffinity: [PodAffinityTerm.withLabels({ app: 'cache' }, { topologyKey: 'topology.kubernetes.io/zone', weight: 80 })],
        podAntiAffinity: [PodAffinityTerm.withLabels({ app: 'noisy' })],
        tolerations: [Toleration.equal('team', 'a', { effect: TaintEffect.NO_SCHEDULE }), ...Toleration.nodeFailure(Duration.minutes(2))],
        dedicatedNodes: { key: 'dedicated', value: 'gpu' },
        priorityClassName: 'business-critical',
      },
    });
    expect(pod.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux', 'dedicated': 'gpu' });
    expect(pod.priorityClassName).toBe('business-critical');
    const node = pod.affinity.nodeAffinity;
    expect(node.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions).toEqual([
      { key: 'disk', operator: 'In', values: ['ssd'] }, { key: 'zone', operator: 'NotIn', values: ['z9'] }, { key: 'fast', operator: 'Exists' },
      { key: 'spot', operator: 'DoesNotExist' }, { key: 'cores', operator: 'Gt', values: ['4'] }, { key: 'age', operator: 'Lt', values: ['100'] },
    ]);
    expect(node.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{ weight: 50, preference: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold'] }] } }]);
    expect(pod.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{ weight: 80, podAffinityTerm: { labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'topology.kubernetes.io/zone' } }]);
    expect(pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ labelSelector: { matchLabels: { app: 'noisy' } }, topologyKey: 'kubernetes.io/hostname' }]);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight).toBe(100);
    expect(pod.tolerations).toEqual([
      { key: 'team', operator: 'Equal', value: 'a', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 120 },
      { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
    ]);
  });

  test('SW-SCHED-001: malformed requirements, weights and tolerations', () => {
    const e = errors({
      scheduling: {
        nodeAffinity: [{ requirements: [NodeRequirement.in('disk', []), NodeRequirement.gt('cores', 1.5)], weight: 0 }],
        tolerations: [Toleration.exists('x', { evictAfter: Duration.seconds(30) })],
      },
    });
    expect(e.ruleIds).toEqual(['SW-SCHED-001', 'SW-SCHED-001', 'SW-SCHED-001', 'SW-SCHED-001']);
  });
});

describe('pod options', () => {
  test('host aliases, DNS, process namespace sharing, readiness gates, pull secrets', () => {
    const { pod } = podOf({
      podOptions: {
        hostAliases: [{ ip: '10.0.0.5', hostnames: ['legacy.internal'] }],
        dnsPolicy: DnsPolicy.CLUSTER_FIRST,
        dnsConfig: { options: { ndots: '2' }, searches: ['svc.cluster.local'] },
        shareProcessNamespace: true,
        readinessGates: ['example.com/feature-ready'],
        imagePullSecrets: ['registry-creds'],
      },
    });
    expect(pod).toMatchObject({
      hostAliases: [{ ip: '10.0.0.5', hostnames: ['legacy.internal'] }],
      dnsPolicy: 'ClusterFirst',
      dnsConfig: { options: [{ name: 'ndots', value: '2' }], searches: ['svc.cluster.local'] },
      shareProcessNamespace: true,
      readinessGates: [{ conditionType: 'example.com/feature-ready' }],
      imagePullSecrets: [{ name: 'registry-creds' }],
    });
  });
});

describe('permissions', () => {
  test('a grant renders a Role and RoleBinding and mounts the token; without one, no token', () => {
    const { chart } = newChart('shop');
    const api = new WebService(chart, 'api', apiProps());
    const worker = new Worker(chart, 'w', { name: 'reloader', image: 'a:1', size: SMALL, liveness: Probe.exec(['true']) });
    worker.grantReadConfigMaps('api-config');
    worker.grantReadSecrets('api-db');
    worker.grant({ apiGroup: 'apps', resources: ['deployments'], verbs: ['get', 'patch'], resourceNames: ['api'] });
    const objects = synthValid(chart);
    expect(only(objects, 'Role').rules).toEqual([
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'], resourceNames: ['api-config'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['api-db'] },
      { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'patch'], resourceNames: ['api'] },
    ]);
    expect(only(objects, 'RoleBinding')).toMatchObject({ roleRef: { kind: 'Role', name: 'reloader' }, subjects: [{ kind: 'ServiceAccount', name: 'reloader' }] });
    expect(podSpecOf(only(objects, 'Deployment', 'reloader'))!.automountServiceAccountToken).toBe(true);
    expect(podSpecOf(only(objects, 'Deployment', api.pod.name))!.automountServiceAccountToken).toBe(false);
  });

  test('SW-RBAC-001: wildcards and writing Secrets', () => {
    const { chart } = newChart();
    const api = new WebService(chart, 'api', apiProps());
    const ids = (g: Parameters<WebService['grant']>[0]) => (thrownBy(() => api.grant(g)) as SeaworthyError).ruleIds;
    expect(ids({ apiGroup: '', resources: ['*'], verbs: ['get'] })).toEqual(['SW-RBAC-001']);
    expect(ids({ apiGroup: '', resources: ['pods'], verbs: ['*'] })).toEqual(['SW-RBAC-001']);
    expect(ids({ apiGroup: '', resources: ['secrets'], verbs: ['update'] })).toEqual(['SW-RBAC-001']);
    expect(ids({ apiGroup: '', resources: ['secrets'], verbs: ['get', 'create'] })).toEqual(['SW-RBAC-001']);
  });

  test('SW-RBAC-001: writing Secrets named by resourceNames, or creating Secrets it cannot read, is least-privilege', () => {
    const { chart } = newChart();
    const api = new WebService(chart, 'api', apiProps());
    api.grant({ apiGroup: '', resources: ['secrets'], verbs: ['get', 'update'], resourceNames: ['api-tls'] });
    api.grant({ apiGroup: '', resources: ['secrets'], verbs: ['create'] });
    expect(only(synthValid(chart), 'Role').rules).toHaveLength(2);
  });
});

describe('traffic declared once', () => {
  test('api.allowFrom(web) renders ingress on api and egress on web, across namespaces', () => {
    const { app, chart } = newChart('backend');
    const front = new Chart(app, 'front', { namespace: 'frontend' });
    const api = new WebService(chart, 'api', apiProps({ extraPorts: [{ name: 'metrics', port: 9090, expose: false }] }));
    const web = new WebService(front, 'web', apiProps({ name: 'web', image: 'ghcr.io/acme/web:2.0.0', port: 3000 }));
    api.allowFrom(web);
    const apiPolicy = only(synthValid(chart), 'NetworkPolicy');
    const webPolicy = only(synthValid(front), 'NetworkPolicy');
    expect(apiPolicy.spec.ingress).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'frontend' } }, podSelector: { matchLabels: web.selectorLabels } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    expect(webPolicy.spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'backend' } }, podSelector: { matchLabels: api.selectorLabels } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
  });
});

describe('Prometheus scrape annotations', () => {
  test('a port named "metrics" adds them; metricsPath overrides the path', () => {
    const { template } = podOf({ extraPorts: [{ name: 'metrics', port: 9090 }], metricsPath: '/stats' });
    expect(template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9090', 'prometheus.io/path': '/stats' });
  });
});

describe('env from secrets stays a reference', () => {
  test('no secret value in the output', () => {
    const { pod } = podOf({ env: { DB_PASSWORD: Env.fromSecret('api-db', 'password') } });
    expect(pod.containers[0].env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-db', key: 'password', optional: false } } }]);
  });
});

