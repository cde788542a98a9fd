import { copy, Obj } from './fixture';

/**
 * Correct bases the fixtures patch: what `WebService` and `Worker` write for a small API in the
 * namespace "shop", which the audit passes without a finding. Every call returns fresh objects.
 */

export const NS = 'shop';

/** The recommended labels of an app. */
export function labelsOf(name: string, component = 'server'): Obj {
  return {
    'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': name, 'app.kubernetes.io/managed-by': 'seaworthy',
    'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': name, 'app.kubernetes.io/version': '1.0.0',
  };
}

/** The selector labels of an app. */
export function selectorOf(name: string): Obj {
  return { 'app.kubernetes.io/instance': name, 'app.kubernetes.io/name': name };
}

const SECURITY = { runAsGroup: 10001, runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } };

/** A hardened container, serving HTTP on `port` (none for 0) with readiness and liveness probes. */
export function container(name = 'api', port = 8080): Obj {
  const probe = (path: string) => (port ? { httpGet: { path, port: 'http', scheme: 'HTTP' } } : { exec: { command: ['/bin/true'] } });
  return {
    name, image: `ghcr.io/acme/${name}:1.0.0`, imagePullPolicy: 'Always',
    ...(port ? { ports: [{ containerPort: port, name: 'http', protocol: 'TCP' }], readinessProbe: { ...probe('/ready'), failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 } } : {}),
    livenessProbe: { ...probe('/healthz'), failureThreshold: 3, periodSeconds: 10, successThreshold: 1, timeoutSeconds: 1 },
    lifecycle: port ? { preStop: { sleep: { seconds: 5 } } } : undefined,
    resources: {
      limits: { 'cpu': '500m', 'ephemeral-storage': '1Gi', 'memory': '512Mi' },
      requests: { 'cpu': '500m', 'ephemeral-storage': '1Gi', 'memory': '512Mi' },
    },
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, privileged: false, readOnlyRootFilesystem: true, ...SECURITY },
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [{ mountPath: '/tmp', name: 'tmp' }],
  };
}

/** A Pod spec around `container(name, port)`. */
export function podSpec(name = 'api', port = 8080): Obj {
  const selector = { matchLabels: selectorOf(name) };
  const spread = (topologyKey: string) => ({ labelSelector: selector, matchLabelKeys: ['pod-template-hash'], maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway' });
  return JSON.parse(JSON.stringify({
    affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ podAffinityTerm: { labelSelector: selector, topologyKey: 'kubernetes.io/hostname' }, weight: 100 }] } },
    automountServiceAccountToken: false,
    containers: [container(name, port)],
    dnsPolicy: 'ClusterFirst', restartPolicy: 'Always',
    securityContext: { fsGroup: 10001, fsGroupChangePolicy: 'OnRootMismatch', ...SECURITY },
    serviceAccountName: name, setHostnameAsFQDN: false, terminationGracePeriodSeconds: 25,
    topologySpreadConstraints: [spread('kubernetes.io/hostname'), spread('topology.kubernetes.io/zone')],
    volumes: [{ emptyDir: { sizeLimit: '64Mi' }, name: 'tmp' }],
  }));
}

/** The objects of a WebService, named so the fixtures can patch them. */
export interface WebSet {
  readonly sa: Obj;
  readonly netpol: Obj;
  readonly deployment: Obj;
  readonly service: Obj;
  readonly pdb: Obj;
  /** The Deployment's Pod spec. */
  readonly pod: Obj;
  /** Its one container. */
  readonly c: Obj;
}

/** A WebService's objects: ServiceAccount, NetworkPolicy, Deployment, Service and PodDisruptionBudget. */
export function webSet(name = 'api', port = 8080): WebSet {
  const meta = (n: string) => ({ name: n, namespace: NS, labels: labelsOf(name) });
  const pod = podSpec(name, port);
  const deployment = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name),
    spec: {
      minReadySeconds: 10, progressDeadlineSeconds: 600, replicas: 3, revisionHistoryLimit: 5, selector: { matchLabels: selectorOf(name) },
      strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }, type: 'RollingUpdate' },
      template: { metadata: { labels: labelsOf(name) }, spec: pod },
    },
  };
  const dns = { ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }], to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }] };
  return {
    sa: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(name), automountServiceAccountToken: false },
    netpol: {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta(`${name}-netpol`),
      spec: {
        egress: [dns], podSelector: { matchLabels: selectorOf(name) }, policyTypes: ['Egress', 'Ingress'],
        ingress: port ? [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} }], ports: [{ port, protocol: 'TCP' }] }] : undefined,
      },
    },
    deployment,
    service: { apiVersion: 'v1', kind: 'Service', metadata: meta(name), spec: { ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: port }], selector: selectorOf(name), type: 'ClusterIP' } },
    pdb: { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: meta(`${name}-pdb`), spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf(name) }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } },
    pod,
    c: pod.containers[0],
  };
}

/** The objects of a set, in apply order (undefined members left out). */
export function objectsOf(s: WebSet): Obj[] {
  return JSON.parse(JSON.stringify([s.sa, s.netpol, s.deployment, s.service, s.pdb].filter(o => o !== undefined)));
}

/**
 * A WebService's objects after `edit` (which may patch any member in place), plus `extra`
 * objects: the one-line way to write a fixture.
 */
export function web(edit: (s: WebSet) => void = () => undefined, extra: readonly Obj[] = []): Obj[] {
  const s = webSet();
  edit(s);
  return [...objectsOf(s), ...copy(extra)];
}

/** A Job (or, with `schedule`, a CronJob) around a worker Pod spec, after `edit`. */
export function batch(kind: 'Job' | 'CronJob', edit: (job: Obj, pod: Obj, c: Obj) => void = () => undefined): Obj[] {
  const pod = podSpec('batch', 0);
  pod.restartPolicy = 'Never';
  delete pod.containers[0].livenessProbe;
  const jobSpec: Obj = { backoffLimit: 3, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 3600, podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: { metadata: { labels: labelsOf('batch', 'job') }, spec: pod } };
  const job: Obj = kind === 'Job'
    ? { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'batch', namespace: NS, labels: labelsOf('batch', 'job') }, spec: jobSpec }
    : { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'batch', namespace: NS, labels: labelsOf('batch', 'job') }, spec: { schedule: '30 2 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, jobTemplate: { spec: jobSpec } } };
  edit(job, pod, pod.containers[0]);
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'batch', namespace: NS }, automountServiceAccountToken: false };
  const netpol = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'batch', namespace: NS }, spec: { podSelector: { matchLabels: selectorOf('batch') }, policyTypes: ['Ingress', 'Egress'] } };
  return JSON.parse(JSON.stringify([sa, netpol, job]));
}
