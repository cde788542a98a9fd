import { audit, Severity } from '../src';

/**
 * Correct Kubernetes is never an error: ports a container does not list, the documented probe
 * pattern, memory-backed volumes bounded by limits. And what is wrong is reported wherever it
 * hides: containers without ports behind a Service, bare Pods and ReplicationControllers,
 * ephemeral containers, route values the Gateway API refuses.
 */

const NS = 'shop';
const labels = { app: 'web' };
const pod = (containers: object[], extra: object = {}) => ({ metadata: { labels }, spec: { containers, ...extra } });
const deployment = (containers: object[], extra: object = {}, replicas = 2) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: NS },
  spec: { replicas, selector: { matchLabels: labels }, template: pod(containers, extra) },
});
const service = (ports: object[]) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: NS }, spec: { selector: labels, ports } });
const ids = (objects: object[], id: string) => audit(objects.map(object => ({ object })), { complete: true }).filter(f => f.rule.id === id);

describe('ports: the list is informational, a name must resolve', () => {
  const probe = (port: unknown) => ({ name: 'c', image: 'a:1', ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/ready', port } } });

  test('SW-PROBE-003: a probe on an undeclared port number is correct; an undeclared port name is an error', () => {
    expect(ids([deployment([probe(10254)])], 'SW-PROBE-003')).toEqual([]);
    expect(ids([deployment([probe(8080)])], 'SW-PROBE-003')).toEqual([]);
    expect(ids([deployment([probe('http')])], 'SW-PROBE-003')).toEqual([]);
    const named = ids([deployment([probe('metrics')])], 'SW-PROBE-003');
    expect(named.map(f => [f.severity, f.field, f.value])).toEqual([[Severity.ERROR, 'spec.template.spec.containers[0].readinessProbe', '"metrics"']]);
    expect(named[0].problem).toContain('cannot resolve it (declared: http/8080)');
  });

  test('SW-SVC-003: a targetPort number no container declares is correct; a name none declares is an error', () => {
    const workload = deployment([{ name: 'c', image: 'a:1', ports: [{ name: 'http', containerPort: 8080 }] }]);
    expect(ids([workload, service([{ port: 80, targetPort: 16686 }])], 'SW-SVC-003')).toEqual([]);
    expect(ids([workload, service([{ port: 80, targetPort: 'http' }])], 'SW-SVC-003')).toEqual([]);
    expect(ids([workload, service([{ port: 80, targetPort: 'query' }])], 'SW-SVC-003').map(f => [f.severity, f.value])).toEqual([[Severity.ERROR, '"query"']]);
  });
});

describe('SW-PROBE-001: every container a Service sends traffic to needs readiness', () => {
  const bare = { name: 'c', image: 'a:1' };

  test('a single container that declares no port, behind a Service, is serving', () => {
    expect(ids([deployment([bare]), service([{ port: 80, targetPort: 9001 }])], 'SW-PROBE-001').map(f => f.field)).toEqual(['spec.template.spec.containers[0].readinessProbe']);
    expect(ids([deployment([bare])], 'SW-PROBE-001')).toEqual([]);
    expect(ids([deployment([{ ...bare, readinessProbe: { tcpSocket: { port: 9001 } } }]), service([{ port: 80, targetPort: 9001 }])], 'SW-PROBE-001')).toEqual([]);
  });

  test('of several containers, the one declaring the target port is serving; one that declares none is not guessed at', () => {
    const sidecar = { name: 'log', image: 'b:1' };
    const app = { name: 'app', image: 'a:1', ports: [{ name: 'http', containerPort: 8080 }] };
    expect(ids([deployment([app, sidecar]), service([{ port: 80, targetPort: 'http' }])], 'SW-PROBE-001').map(f => f.field)).toEqual(['spec.template.spec.containers[0].readinessProbe']);
    expect(ids([deployment([{ name: 'a', image: 'a:1' }, sidecar]), service([{ port: 80, targetPort: 9000 }])], 'SW-PROBE-001')).toEqual([]);
  });

  test('a bare Pod and a ReplicationController behind a Service are judged as a Deployment is', () => {
    const barePod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mysql', namespace: NS, labels }, spec: { containers: [{ ...bare, ports: [{ containerPort: 3306 }] }] } };
    expect(ids([barePod, service([{ port: 3306 }])], 'SW-PROBE-001').map(f => f.field)).toEqual(['spec.containers[0].readinessProbe']);
    expect(ids([barePod], 'SW-PROBE-001')).toEqual([]);
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', namespace: NS }, spec: { replicas: 3, selector: labels, template: pod([bare]) } };
    expect(ids([rc, service([{ port: 80, targetPort: 8080 }])], 'SW-PROBE-001')).toHaveLength(1);
  });

  test('a ReplicationController at 2+ replicas needs spread and a budget, as a Deployment does; at 1 it does not', () => {
    const rc = (replicas: number, extra: object = {}) => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', namespace: NS }, spec: { replicas, selector: labels, template: pod([bare], extra) } });
    expect(ids([rc(3)], 'SW-SPREAD-002')).toHaveLength(1);
    expect(ids([rc(3)], 'SW-PDB-003')).toHaveLength(1);
    expect(ids([rc(1)], 'SW-SPREAD-002')).toEqual([]);
    expect(ids([rc(1)], 'SW-PDB-003')).toEqual([]);
    const spread = { topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: labels } }] };
    const budget = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: labels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } };
    expect(ids([rc(3, spread), budget], 'SW-SPREAD-002')).toEqual([]);
    expect(ids([rc(3, spread), budget], 'SW-PDB-003')).toEqual([]);
  });
});

describe('SW-PROBE-002: the documented pattern is not reported', () => {
  const probes = (readiness: object, liveness: object) => deployment([{ name: 'c', image: 'a:1', ports: [{ containerPort: 10254 }], readinessProbe: { httpGet: { path: '/healthz', port: 10254 }, ...readiness }, livenessProbe: { httpGet: { path: '/healthz', port: 10254 }, ...liveness } }]);

  test('one endpoint, liveness with the larger failureThreshold: not reported (ingress-nginx, 5 against 3)', () => {
    expect(ids([probes({ failureThreshold: 3 }, { failureThreshold: 5 })], 'SW-PROBE-002')).toEqual([]);
    expect(ids([probes({}, { failureThreshold: 10 })], 'SW-PROBE-002')).toEqual([]);
  });

  test('one endpoint with the same (or a smaller) liveness failureThreshold is still an error', () => {
    expect(ids([probes({}, {})], 'SW-PROBE-002')).toHaveLength(1);
    expect(ids([probes({ failureThreshold: 5 }, { failureThreshold: 3 })], 'SW-PROBE-002')).toHaveLength(1);
  });
});

describe('SW-VOL-002: a memory-backed emptyDir is bounded by the memory limits', () => {
  const withVolume = (limits: object | undefined) => deployment(
    [{ name: 'c', image: 'a:1', resources: limits ? { limits } : undefined, volumeMounts: [{ name: 'shm', mountPath: '/dev/shm' }] }],
    { volumes: [{ name: 'shm', emptyDir: { medium: 'Memory' } }] });

  test('every container with a memory limit: not reported; one without: reported', () => {
    expect(ids([withVolume({ memory: '1Gi' })], 'SW-VOL-002')).toEqual([]);
    expect(ids([withVolume(undefined)], 'SW-VOL-002')).toHaveLength(1);
    expect(ids([withVolume({ cpu: '1' })], 'SW-VOL-002')).toHaveLength(1);
  });

  test('a disk-backed emptyDir still needs its sizeLimit', () => {
    const disk = deployment([{ name: 'c', image: 'a:1', resources: { limits: { memory: '1Gi' } } }], { volumes: [{ name: 'tmp', emptyDir: {} }] });
    expect(ids([disk], 'SW-VOL-002')).toHaveLength(1);
  });
});

describe('ephemeral containers get the container rules', () => {
  const debugged = (securityContext: object) => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: NS },
    spec: { containers: [{ name: 'c', image: 'a:1' }], ephemeralContainers: [{ name: 'debugger', image: 'busybox', securityContext }] },
  });

  test('a privileged ephemeral container is reported, with its path', () => {
    expect(ids([debugged({ privileged: true })], 'SW-SEC-006').map(f => f.field)).toEqual(['spec.ephemeralContainers[0].securityContext.privileged']);
    expect(ids([debugged({ privileged: false })], 'SW-SEC-006')).toEqual([]);
  });

  test('its image, root user and capabilities are judged too', () => {
    const found = audit([{ object: debugged({}) }]).filter(f => f.field.startsWith('spec.ephemeralContainers[0]')).map(f => f.rule.id);
    expect(found).toEqual(expect.arrayContaining(['SW-IMAGE-001', 'SW-SEC-010', 'SW-SEC-007']));
    // No resources, probes or ports may be set on an ephemeral container: nothing asks for them.
    expect(found.filter(id => id.startsWith('SW-RES-') || id.startsWith('SW-PROBE-'))).toEqual([]);
  });
});

describe('SW-ROUTE-005 is audited on HTTPRoutes', () => {
  const route = (rule: object) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', namespace: NS }, spec: { rules: [rule] } });

  test('a path that is not absolute, a malformed or inverted timeout, a weight out of range', () => {
    const found = (rule: object) => ids([route(rule)], 'SW-ROUTE-005').map(f => [f.field, f.value]);
    expect(found({ matches: [{ path: { type: 'PathPrefix', value: 'api' } }] })).toEqual([['spec.rules[0].matches[0].path.value', '"api"']]);
    expect(found({ matches: [{ path: { value: '/a//b' } }] })).toEqual([['spec.rules[0].matches[0].path.value', '"/a//b"']]);
    expect(found({ timeouts: { request: '10 seconds' } })).toEqual([['spec.rules[0].timeouts.request', '"10 seconds"']]);
    expect(found({ timeouts: { request: '10s', backendRequest: '1m' } })).toEqual([['spec.rules[0].timeouts.backendRequest', '"1m"']]);
    expect(found({ backendRefs: [{ name: 'web', port: 80, weight: -1 }] })).toEqual([['spec.rules[0].backendRefs[0].weight', '-1']]);
  });

  test('valid values are not reported', () => {
    expect(ids([route({ matches: [{ path: { type: 'PathPrefix', value: '/api' } }, { path: { type: 'RegularExpression', value: 'api.*' } }], timeouts: { request: '1m', backendRequest: '30s' }, backendRefs: [{ name: 'web', port: 80, weight: 10 }] })], 'SW-ROUTE-005')).toEqual([]);
    // A request timeout of 0s disables it: any backend timeout is accepted.
    expect(ids([route({ timeouts: { request: '0s', backendRequest: '1h' } })], 'SW-ROUTE-005')).toEqual([]);
  });
});
