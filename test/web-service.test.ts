import { Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as yaml from 'yaml';
import { DisruptionBudget, Env, Findings, KubernetesTarget, KubernetesVersion, Peer, Probe, PreStop, QosClass, WebService } from '../src';
import { podSpecOf, pssRestrictedViolations, qosOf, wiringProblems } from './support/pod-checks';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid } from './support/synth';

function synthApi(overrides: Parameters<typeof apiProps>[0] = {}, target?: KubernetesVersion) {
  const { app, chart } = newChart('shop');
  if (target) KubernetesTarget.set(app, target, { asOf: new Date('2024-01-01') });
  const web = new WebService(chart, 'api', apiProps(overrides));
  const objects = synthValid(chart);
  return { app, chart, web, objects, deployment: only(objects, 'Deployment'), pod: podSpecOf(only(objects, 'Deployment'))! };
}

describe('WebService defaults', () => {
  test('GIVEN the ten-line example THEN it renders exactly the five expected, stably named objects', () => {
    const { objects } = synthApi();
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/api', 'NetworkPolicy/api-netpol', 'PodDisruptionBudget/api-pdb', 'Service/api', 'ServiceAccount/api',
    ].sort());
    expect(objects.every(o => o.metadata.namespace === 'shop')).toBe(true);
  });

  test('the YAML users get', () => {
    const { objects } = synthApi();
    expect(yaml.stringify(objects)).toMatchSnapshot();
  });

  test('the YAML users get on Kubernetes 1.28 is unchanged since before targets existed', () => {
    // This snapshot was recorded before the target was introduced and must never change.
    const { objects } = synthApi({}, '1.28');
    expect(yaml.stringify(objects)).toMatchSnapshot();
  });

  test('Pods are Guaranteed: one size sets requests = limits, ephemeral storage included', () => {
    const { web, pod } = synthApi();
    const c = pod.containers[0];
    expect(c.resources.requests).toEqual({ 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '1Gi' });
    expect(c.resources.limits).toEqual(c.resources.requests);
    expect(qosOf(pod)).toBe('Guaranteed');
    expect(web.qosClass).toBe(QosClass.GUARANTEED);
  });

  test('Pods pass Pod Security Standards "restricted"', () => {
    const { pod } = synthApi();
    expect(pssRestrictedViolations(pod)).toEqual([]);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
  });

  test('the root filesystem is read-only with a size-limited emptyDir at /tmp', () => {
    const { pod } = synthApi();
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(pod.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  test('probes target the declared "http" port and differ', () => {
    const { pod } = synthApi();
    const c = pod.containers[0];
    expect(c.ports).toEqual([{ containerPort: 8080, name: 'http', protocol: 'TCP' }]);
    expect(c.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    expect(c.readinessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 });
    expect(c.startupProbe).toBeUndefined();
  });

  test('graceful shutdown: 5s preStop sleep and a grace period of preStop + drain + margin', () => {
    const { pod, web } = synthApi();
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(pod.terminationGracePeriodSeconds).toBe(25);
    expect(web.terminationGracePeriodSeconds).toBe(25);
  });

  test('the preStop pause is the kubelet\'s sleep action from 1.30, exec sleep before', () => {
    const lifecycle = (v: KubernetesVersion) => synthApi({}, v).pod.containers[0].lifecycle;
    for (const v of ['1.28', '1.29'] as const) expect(lifecycle(v)).toEqual({ preStop: { exec: { command: ['sleep', '5'] } } });
    for (const v of ['1.30', '1.33', '1.36'] as const) expect(lifecycle(v)).toEqual({ preStop: { sleep: { seconds: 5 } } });
    // Other preStop hooks are not touched.
    expect(synthApi({ shutdown: { preStop: PreStop.httpGet('/drain') } }).pod.containers[0].lifecycle.preStop.httpGet.path).toBe('/drain');
  });

  test('rollout never drops below the desired count', () => {
    const { deployment } = synthApi();
    expect(deployment.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(deployment.spec).toMatchObject({ replicas: 3, minReadySeconds: 10, progressDeadlineSeconds: 600, revisionHistoryLimit: 5 });
    expect(deployment.spec.progressDeadlineSeconds).toBeGreaterThan(deployment.spec.minReadySeconds);
  });

  test('replicas default to 2', () => {
    const { deployment } = synthApi({ replicas: undefined });
    expect(deployment.spec.replicas).toBe(2);
  });

  test('the PDB allows one disruption, evicts unhealthy Pods, and selects the Pods', () => {
    const { objects, deployment } = synthApi();
    const pdb = only(objects, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: deployment.spec.selector.matchLabels },
    });
  });

  test('replicas are spread over hostname and zone, with preferred anti-affinity on hostname', () => {
    const { pod, deployment } = synthApi();
    const selector = deployment.spec.selector.matchLabels;
    expect(pod.topologySpreadConstraints.map((t: KubeObject) => t.topologyKey)).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    for (const t of pod.topologySpreadConstraints) {
      expect(t).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector } });
    }
    const anti = pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution;
    expect(anti).toEqual([{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: selector } } }]);
  });

  test('strict spread uses DoNotSchedule', () => {
    const { pod } = synthApi({ spread: { strict: true, maxSkew: 2 } });
    expect(pod.topologySpreadConstraints.every((t: KubeObject) => t.whenUnsatisfiable === 'DoNotSchedule' && t.maxSkew === 2)).toBe(true);
  });

  test('the NetworkPolicy denies by default, admits declared peers on declared ports, and allows DNS egress', () => {
    const { objects, deployment } = synthApi();
    const np = only(objects, 'NetworkPolicy');
    expect(np.spec.podSelector).toEqual(deployment.spec.selector);
    expect(np.spec.policyTypes.sort()).toEqual(['Egress', 'Ingress']);
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
    expect(np.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    }]);
  });

  test('egress peers and narrowed ingress ports', () => {
    const { objects } = synthApi({
      extraPorts: [{ name: 'metrics', port: 9090 }],
      allowFrom: [Peer.namespace('ingress-nginx').tcp(8080), Peer.namespaces({ team: 'observability' }).tcp(9090)],
      allowTo: [Peer.pods({ app: 'postgres' }).tcp(5432), Peer.ipBlock('10.0.0.0/8', ['10.1.0.0/16']).tcp(443)],
      allowDns: false,
    });
    const np = only(objects, 'NetworkPolicy');
    expect(np.spec.ingress.map((r: KubeObject) => r.ports)).toEqual([[{ port: 8080, protocol: 'TCP' }], [{ port: 9090, protocol: 'TCP' }]]);
    expect(np.spec.egress).toEqual([
      { to: [{ podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 443, protocol: 'TCP' }] },
    ]);
  });

  test('with no allowFrom, all ingress is denied', () => {
    const { objects } = synthApi({ allowFrom: undefined });
    const np = only(objects, 'NetworkPolicy');
    expect(np.spec.ingress).toBeUndefined();
    expect(np.spec.policyTypes).toContain('Ingress');
  });

  test('its own ServiceAccount, with no token mounted', () => {
    const { objects, pod } = synthApi();
    expect(only(objects, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('api');
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  test('recommended labels everywhere; selectors use only name + instance', () => {
    const { objects, deployment, web } = synthApi({ owner: 'team-a', description: 'Orders API' });
    const expected = {
      'app.kubernetes.io/name': 'api',
      'app.kubernetes.io/instance': 'api',
      'app.kubernetes.io/version': '1.4.2',
      'app.kubernetes.io/component': 'server',
      'app.kubernetes.io/part-of': 'api',
      'app.kubernetes.io/managed-by': 'seaworthy',
    };
    for (const o of objects) {
      expect(o.metadata.labels).toEqual(expected);
      expect(o.metadata.annotations).toEqual({ 'a8r.io/owner': 'team-a', 'a8r.io/description': 'Orders API' });
    }
    expect(deployment.spec.template.metadata.labels).toEqual(expected);
    const selector = { 'app.kubernetes.io/name': 'api', 'app.kubernetes.io/instance': 'api' };
    expect(web.selectorLabels).toEqual(selector);
    expect(deployment.spec.selector).toEqual({ matchLabels: selector });
    expect(only(objects, 'Service').spec.selector).toEqual(selector);
  });

  test('no construct-path label anywhere (cdk8s.io/metadata.addr is stripped from the template)', () => {
    const { objects } = synthApi();
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io');
  });

  test('the Service targets the Pods and their declared ports', () => {
    const { objects } = synthApi({ extraPorts: [{ name: 'metrics', port: 9090 }, { name: 'admin', port: 9901, expose: false }] });
    const svc = only(objects, 'Service');
    expect(svc.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 9090, protocol: 'TCP' },
    ]);
    expect(svc.spec.type).toBe('ClusterIP');
    expect(wiringProblems(objects)).toEqual([]);
  });

  test('image pull policy: Always for tags, IfNotPresent for digests', () => {
    expect(synthApi().pod.containers[0].imagePullPolicy).toBe('Always');
    const digest = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`;
    const { pod, deployment } = synthApi({ image: digest });
    expect(pod.containers[0].imagePullPolicy).toBe('IfNotPresent');
    expect(deployment.metadata.labels['app.kubernetes.io/version']).toBe('a'.repeat(12));
  });

  test('env: literals, ConfigMap and Secret keys, Downward API fields and resources', () => {
    const { pod } = synthApi({
      env: {
        LOG_LEVEL: Env.value('info'),
        FEATURE_FLAGS: Env.fromConfigMap('api-config', 'flags', { optional: true }),
        DB_PASSWORD: Env.fromSecret('api-db', 'password'),
        POD_NAME: Env.fromField(kplus.EnvFieldPaths.POD_NAME),
        NODE_NAME: Env.fromField(kplus.EnvFieldPaths.NODE_NAME),
        MEMORY_LIMIT_MIB: Env.fromResource(kplus.ResourceFieldPaths.MEMORY_LIMIT, { divisor: '1Mi' }),
      },
    });
    expect(pod.containers[0].env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'FEATURE_FLAGS', valueFrom: { configMapKeyRef: { name: 'api-config', key: 'flags', optional: true } } },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'api-db', key: 'password', optional: false } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'MEMORY_LIMIT_MIB', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    ]);
  });

  test('a PreStop.httpGet hook calls the main port and its delay feeds the grace period', () => {
    const { pod } = synthApi({ shutdown: { preStop: PreStop.httpGet('/drain', { delay: Duration.seconds(10) }), drainTime: Duration.seconds(30) } });
    expect(pod.containers[0].lifecycle.preStop).toEqual({ httpGet: { path: '/drain', port: 8080, scheme: 'HTTP' } });
    expect(pod.terminationGracePeriodSeconds).toBe(45);
  });

  test('an explicit grace period that is long enough is kept', () => {
    const { pod } = synthApi({ shutdown: { gracePeriod: Duration.seconds(120) } });
    expect(pod.terminationGracePeriodSeconds).toBe(120);
  });

  test('ClusterIP is the default Service type; others are explicit', () => {
    const { objects } = synthApi({ serviceType: kplus.ServiceType.LOAD_BALANCER, servicePort: 443 });
    expect(only(objects, 'Service').spec).toMatchObject({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 8080 }] });
  });
});

describe('WebService with autoscaling', () => {
  test('renders an autoscaling/v2 HPA and omits Deployment replicas', () => {
    const { objects, deployment, web } = synthApi({ replicas: undefined, autoscaling: { maxReplicas: 10, memoryUtilization: 80 } });
    const hpa = only(objects, 'HorizontalPodAutoscaler');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.metadata.name).toBe('api');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 10, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' } });
    expect(hpa.spec.metrics).toEqual([
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } },
    ]);
    expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(300);
    expect('replicas' in deployment.spec).toBe(false);
    expect(web.minReplicas).toBe(2);
    // The PDB stays satisfiable at the autoscaler's minimum.
    expect(only(objects, 'PodDisruptionBudget').spec.maxUnavailable).toBeLessThan(hpa.spec.minReplicas);
  });
});

describe('WebService warnings and infos', () => {
  test('one replica synthesizes, with warning SW-PDB-002', () => {
    const { app, deployment } = synthApi({ replicas: 1 });
    expect(deployment.spec.replicas).toBe(1);
    expect(Findings.of(app).map(f => `${f.rule.id} ${f.severity}`)).toEqual(['SW-PDB-002 warning']);
  });

  test('a shell entrypoint synthesizes, with warning SW-SHUTDOWN-002 naming the command', () => {
    const { app } = synthApi({ command: ['/bin/sh', '-c', '/app/server'] });
    const [finding] = Findings.of(app);
    expect(finding.rule.id).toBe('SW-SHUTDOWN-002');
    expect(finding.message).toContain('[test/api] command = ["/bin/sh","-c","/app/server"]');
  });

  test('an exec-form entrypoint raises no finding', () => {
    const { app } = synthApi({ command: ['/app/server', '--port', '8080'] });
    expect(Findings.of(app)).toEqual([]);
  });

  test('burst limits opt out to Burstable, visibly (SW-RES-002 info)', () => {
    const { app, pod, web } = synthApi({ burst: { cpu: kplus.Cpu.units(1), memory: Size.mebibytes(768) } });
    expect(pod.containers[0].resources.limits).toMatchObject({ cpu: '1', memory: '768Mi' });
    expect(qosOf(pod)).toBe('Burstable');
    expect(web.qosClass).toBe(QosClass.BURSTABLE);
    expect(Findings.of(app).map(f => f.rule.id)).toEqual(['SW-RES-002']);
  });

  test('a UID at or below 10000 is a warning (SW-SEC-003)', () => {
    const { app, pod } = synthApi({ security: { user: 1000, group: 1000 } });
    expect(pod.securityContext.runAsUser).toBe(1000);
    expect(Findings.of(app).map(f => f.rule.id)).toEqual(['SW-SEC-003', 'SW-SEC-003']);
  });

  test('NET_BIND_SERVICE may be added back', () => {
    const { pod, app } = synthApi({ security: { addCapabilities: [kplus.Capability.NET_BIND_SERVICE] } });
    expect(pod.containers[0].securityContext.capabilities).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
    expect(pssRestrictedViolations(pod)).toEqual([]);
    expect(Findings.of(app)).toEqual([]);
  });
});

describe('WebService output stability', () => {
  function build(scopeOf: (chart: Chart) => Construct): string {
    const { chart } = newChart('shop');
    new WebService(scopeOf(chart), 'api', apiProps({ autoscaling: { maxReplicas: 6 }, replicas: undefined }));
    return yaml.stringify(synthValid(chart));
  }

  test('the same input gives byte-identical output', () => {
    expect(build(c => c)).toBe(build(c => c));
  });

  test('moving the construct in the tree changes no byte', () => {
    const atRoot = build(c => c);
    const nested = build(c => new Construct(new Construct(c, 'team-a'), 'services'));
    expect(nested).toBe(atRoot);
  });

  test('later cdk8s-plus mutations reach the YAML and the QoS class', () => {
    const { chart } = newChart();
    const web = new WebService(chart, 'api', apiProps());
    // A sidecar that passes the production rules (manifest errors stop synthesis), Burstable: requests below limits.
    web.deployment.addContainer({
      name: 'sidecar', image: 'busybox:1.36', portNumber: 9000, readiness: kplus.Probe.fromTcpSocket({ port: 9000 }),
      resources: { cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(100) }, memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) } },
      securityContext: { capabilities: { drop: [kplus.Capability.ALL] } },
    });
    const pod = podSpecOf(only(synthValid(chart), 'Deployment'))!;
    expect(pod.containers.map((c: KubeObject) => c.name)).toEqual(['api', 'sidecar']);
    expect(qosOf(pod)).toBe('Burstable');
    expect(web.qosClass).toBe(QosClass.BURSTABLE);
  });

  test('Testing.synth of a whole app also validates', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new WebService(chart, 'api', apiProps({ disruptionBudget: DisruptionBudget.minAvailable(2), readiness: Probe.tcp() }));
    expect(only(synthValid(chart), 'PodDisruptionBudget').spec.minAvailable).toBe(2);
  });
});
