import * as jsyaml from 'js-yaml';

/**
 * Before/after pairs for `seaworthy diff`: mutation operators that each change one object the way
 * a pull request would (one per consequence class, accepted and refused), hand-written extras for
 * the kinds seaworthy does not render (claims, storage classes, Secrets, bindings, bare Pods), and
 * a function that turns any manifest set into pairs. The unit tests and the API-server
 * differential test share them.
 */

/** A Kubernetes object as parsed from YAML (mutable copies only). */
export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One way to change one object. `refused` is what the API server is expected to do (documentation only; the server decides). */
export interface Mutation {
  readonly name: string;
  /** The SW-DIFF id diff should report, if any. */
  readonly expect?: string;
  /** Returns the changed copy, or undefined when the operator does not apply to `o`. */
  readonly apply: (o: Obj) => Obj | undefined;
  /** The first minor where the change is no longer refused (the expected id is then absent). */
  readonly acceptedFrom?: number;
  /** The object is deleted (pruned) instead of changed; `apply` only says whether it applies. */
  readonly remove?: boolean;
}

const clone = (o: Obj): Obj => JSON.parse(JSON.stringify(o)) as Obj;
const template = (o: Obj): Obj | undefined => (o.kind === 'CronJob' ? o.spec?.jobTemplate?.spec?.template : o.spec?.template);
const firstContainer = (o: Obj): Obj | undefined => template(o)?.spec?.containers?.[0];
const is = (...kinds: string[]) => (o: Obj) => kinds.includes(o.kind);

/** `q` in other units with the same amount (`50Gi` → `51200Mi`, `250m` → `0.25`), or undefined when it has no such spelling here. */
export function restated(q: unknown): string | undefined {
  const m = /^(\d+)(Ki|Mi|Gi|Ti|m|)$/.exec(String(q));
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === 'm') return String(n / 1000);
  if (m[2] === '') return `${n * 1000}m`;
  return `${n * 1024}${({ Ki: '', Mi: 'Ki', Gi: 'Mi', Ti: 'Gi' } as Record<string, string>)[m[2]]}`;
}

/** `q` (`<n>Gi`) shrunk across units: `<n*1000>Mi`, which reads larger but is less. */
function shrunkAcrossUnits(q: unknown): string | undefined {
  const m = /^(\d+)Gi$/.exec(String(q));
  return m ? `${Number(m[1]) * 1000}Mi` : undefined;
}

/** Every quantity of a container's requests and limits, restated in other units; false when none can be. */
function restateResources(c: Obj | undefined): boolean {
  let any = false;
  for (const list of [c?.resources?.requests, c?.resources?.limits]) {
    for (const [k, v] of Object.entries((list ?? {}) as Record<string, unknown>)) {
      const q = restated(v);
      if (q !== undefined) {
        list[k] = q;
        any = true;
      }
    }
  }
  return any;
}

function edit(when: (o: Obj) => boolean, change: (c: Obj) => unknown): (o: Obj) => Obj | undefined {
  return o => {
    if (!when(o)) return undefined;
    const c = clone(o);
    return change(c) === false ? undefined : c;
  };
}

/** Every mutation operator. */
export const MUTATIONS: readonly Mutation[] = [
  // Will be rejected
  { name: 'selector gains a label', expect: 'SW-DIFF-001', apply: edit(is('Deployment', 'StatefulSet', 'DaemonSet'), c => {
    if (!c.spec?.selector?.matchLabels) return false;
    c.spec.selector.matchLabels['diff.seaworthy.dev/track'] = 'stable';
    c.spec.template.metadata.labels['diff.seaworthy.dev/track'] = 'stable';
    return true;
  }) },
  { name: 'StatefulSet serviceName', expect: 'SW-DIFF-002', apply: edit(is('StatefulSet'), c => { c.spec.serviceName = `${c.spec.serviceName ?? 'x'}-v2`; }) },
  { name: 'StatefulSet claim size', expect: 'SW-DIFF-002', apply: edit(is('StatefulSet'), c => {
    const t = c.spec.volumeClaimTemplates?.[0];
    if (!t) return false;
    t.spec.resources.requests.storage = '999Gi';
    return true;
  }) },
  { name: 'StatefulSet claim shrinks across units', expect: 'SW-DIFF-002', apply: edit(is('StatefulSet'), c => {
    const t = c.spec.volumeClaimTemplates?.[0];
    const q = shrunkAcrossUnits(t?.spec?.resources?.requests?.storage);
    if (q === undefined) return false;
    t.spec.resources.requests.storage = q;
    return true;
  }) },
  { name: 'StatefulSet podManagementPolicy', expect: 'SW-DIFF-002', apply: edit(is('StatefulSet'), c => { c.spec.podManagementPolicy = c.spec.podManagementPolicy === 'Parallel' ? 'OrderedReady' : 'Parallel'; }) },
  { name: 'StatefulSet revisionHistoryLimit', expect: 'SW-DIFF-002', acceptedFrom: 33, apply: edit(is('StatefulSet'), c => { c.spec.revisionHistoryLimit = (c.spec.revisionHistoryLimit ?? 10) + 1; }) },
  { name: 'Job image', expect: 'SW-DIFF-003', apply: edit(is('Job'), c => { c.spec.template.spec.containers[0].image = `${c.spec.template.spec.containers[0].image}-next`; }) },
  { name: 'Job completions', expect: 'SW-DIFF-003', apply: edit(is('Job'), c => {
    if (c.spec.completionMode === 'Indexed') return false;
    c.spec.completions = (c.spec.completions ?? 1) + 1;
    c.spec.parallelism = c.spec.completions;
    return true;
  }) },
  { name: 'Service becomes headless', expect: 'SW-DIFF-004', apply: edit(is('Service'), c => {
    if (c.spec.clusterIP !== undefined || c.spec.type === 'ExternalName') return false;
    c.spec.clusterIP = 'None';
    return true;
  }) },
  { name: 'Service picks a cluster IP', expect: 'SW-DIFF-004', apply: edit(is('Service'), c => {
    if (c.spec.clusterIP !== undefined || c.spec.type === 'ExternalName') return false;
    c.spec.clusterIP = '10.96.250.250';
    return true;
  }) },
  { name: 'headless Service gets an address', expect: 'SW-DIFF-004', apply: edit(is('Service'), c => {
    if (c.spec.clusterIP !== 'None') return false;
    c.spec.clusterIP = '10.96.250.251';
    return true;
  }) },
  { name: 'claim shrinks', expect: 'SW-DIFF-005', apply: edit(is('PersistentVolumeClaim'), c => { c.spec.resources.requests.storage = '1Gi'; }) },
  { name: 'claim shrinks across units', expect: 'SW-DIFF-005', apply: edit(is('PersistentVolumeClaim'), c => {
    const q = shrunkAcrossUnits(c.spec.resources?.requests?.storage);
    if (q === undefined) return false;
    c.spec.resources.requests.storage = q;
    return true;
  }) },
  { name: 'claim access mode', expect: 'SW-DIFF-005', apply: edit(is('PersistentVolumeClaim'), c => { c.spec.accessModes = ['ReadWriteMany']; }) },
  { name: 'claim grows', expect: undefined, apply: edit(is('PersistentVolumeClaim'), c => { c.spec.resources.requests.storage = '200Gi'; }) },
  { name: 'StorageClass parameters', expect: 'SW-DIFF-006', apply: edit(is('StorageClass'), c => { c.parameters = { ...c.parameters, tier: 'gold' }; }) },
  { name: 'StorageClass reclaim policy', expect: 'SW-DIFF-006', apply: edit(is('StorageClass'), c => { c.reclaimPolicy = c.reclaimPolicy === 'Retain' ? 'Delete' : 'Retain'; }) },
  { name: 'StorageClass expansion', expect: undefined, apply: edit(is('StorageClass'), c => { c.allowVolumeExpansion = !c.allowVolumeExpansion; }) },
  { name: 'config content', expect: undefined, apply: edit(is('ConfigMap', 'Secret'), c => {
    if (c.kind === 'ConfigMap') c.data = { ...c.data, DIFF_ADDED: 'yes' };
    else c.stringData = { ...c.stringData, DIFF_ADDED: 'yes' };
    return true;
  }) },
  { name: 'immutable config made mutable', expect: 'SW-DIFF-007', apply: edit(is('ConfigMap', 'Secret'), c => {
    if (c.immutable !== true) return false;
    c.immutable = false;
    return true;
  }) },
  { name: 'Secret type', expect: 'SW-DIFF-007', apply: edit(is('Secret'), c => { c.type = (c.type ?? 'Opaque') === 'Opaque' ? 'example.com/token' : 'Opaque'; }) },
  { name: 'binding roleRef', expect: 'SW-DIFF-008', apply: edit(is('RoleBinding', 'ClusterRoleBinding'), c => { c.roleRef = { ...c.roleRef, name: `${c.roleRef.name}-v2` }; }) },
  { name: 'binding subjects', expect: undefined, apply: edit(is('RoleBinding', 'ClusterRoleBinding'), c => { c.subjects = [...(c.subjects ?? []), { kind: 'ServiceAccount', name: 'extra', namespace: c.metadata.namespace ?? 'default' }]; }) },
  { name: 'Pod resources', expect: 'SW-DIFF-009', apply: edit(is('Pod'), c => { c.spec.containers[0].resources = { limits: { cpu: '3', memory: '3Gi' }, requests: { cpu: '3', memory: '3Gi' } }; }) },
  { name: 'Pod image', expect: undefined, apply: edit(is('Pod'), c => { c.spec.containers[0].image = `${c.spec.containers[0].image}-next`; }) },
  // Will restart Pods (accepted)
  { name: 'image bump', expect: 'SW-DIFF-020', apply: edit(is('Deployment', 'StatefulSet', 'DaemonSet'), c => { firstContainer(c)!.image = `${firstContainer(c)!.image}-next`; }) },
  { name: 'env change', expect: 'SW-DIFF-020', apply: edit(is('Deployment', 'StatefulSet', 'DaemonSet'), c => { firstContainer(c)!.env = [...(firstContainer(c)!.env ?? []), { name: 'DIFF_ADDED', value: 'yes' }]; }) },
  { name: 'config hash', expect: 'SW-DIFF-020', apply: edit(is('Deployment', 'StatefulSet', 'DaemonSet'), c => { const t = template(c)!; t.metadata = { ...t.metadata, annotations: { ...t.metadata?.annotations, 'seaworthy.dev/config-hash': '0123456789abcdef' } }; }) },
  { name: 'CronJob image', expect: undefined, apply: edit(is('CronJob'), c => { firstContainer(c)!.image = `${firstContainer(c)!.image}-next`; }) },
  // Availability (accepted)
  { name: 'one replica', expect: 'SW-DIFF-031', apply: edit(is('Deployment', 'StatefulSet'), c => { if (c.spec.replicas === undefined || c.spec.replicas < 2) return false; c.spec.replicas = 1; return true; }) },
  { name: 'HPA minimum 1', expect: 'SW-DIFF-031', apply: edit(is('HorizontalPodAutoscaler'), c => { if ((c.spec.minReplicas ?? 1) < 2) return false; c.spec.minReplicas = 1; return true; }) },
  { name: 'maxUnavailable rises', expect: 'SW-DIFF-032', apply: edit(is('Deployment'), c => { c.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '100%' } }; }) },
  { name: 'readiness removed', expect: 'SW-DIFF-033', apply: edit(is('Deployment', 'StatefulSet'), c => { if (!firstContainer(c)?.readinessProbe) return false; delete firstContainer(c)!.readinessProbe; return true; }) },
  { name: 'spread removed', expect: 'SW-DIFF-034', apply: edit(is('Deployment', 'StatefulSet'), c => {
    const t = template(c)!;
    if ((!t.spec.topologySpreadConstraints && !t.spec.affinity) || c.spec.replicas === 1) return false;
    delete t.spec.topologySpreadConstraints;
    delete t.spec.affinity;
    return true;
  }) },
  { name: 'PDB blocks drains', expect: 'SW-DIFF-030', apply: edit(is('PodDisruptionBudget'), c => { delete c.spec.minAvailable; c.spec.maxUnavailable = 0; }) },
  { name: 'ingress rules removed', expect: 'SW-DIFF-035', apply: edit(is('NetworkPolicy'), c => { if (!c.spec.ingress?.length) return false; c.spec.ingress = []; return true; }) },
  // Exposure (accepted)
  { name: 'Service to NodePort', expect: 'SW-DIFF-060', apply: edit(is('Service'), c => { if (c.spec.clusterIP === 'None' || (c.spec.type ?? 'ClusterIP') !== 'ClusterIP') return false; c.spec.type = 'NodePort'; return true; }) },
  { name: 'new front-door host', expect: 'SW-DIFF-061', apply: edit(is('Ingress', 'HTTPRoute', 'GRPCRoute'), c => {
    if (c.kind === 'Ingress') c.spec.rules = [...c.spec.rules, { ...c.spec.rules[0], host: 'new.example.com' }];
    else c.spec.hostnames = [...(c.spec.hostnames ?? []), 'new.example.com'];
  }) },
  { name: 'policy admits every namespace', expect: 'SW-DIFF-062', apply: edit(is('NetworkPolicy'), c => {
    if (!(c.spec.policyTypes ?? []).includes('Ingress')) return false;
    c.spec.ingress = [...(c.spec.ingress ?? []), { from: [{ namespaceSelector: {} }] }];
    return true;
  }) },
  // Will recreate
  { name: 'selector change under Argo CD Replace=true', expect: 'SW-DIFF-010', apply: edit(is('Deployment'), c => {
    c.metadata.annotations = { ...c.metadata.annotations, 'argocd.argoproj.io/sync-options': 'Replace=true' };
    c.spec.selector.matchLabels['diff.seaworthy.dev/track'] = 'stable';
    c.spec.template.metadata.labels['diff.seaworthy.dev/track'] = 'stable';
    return true;
  }) },
  { name: 'rename', expect: 'SW-DIFF-050', apply: edit(is('Deployment', 'Service', 'PersistentVolumeClaim', 'ConfigMap'), c => { c.metadata.name = `${c.metadata.name}-v2`; return true; }) },
  // Deletes data
  { name: 'StatefulSet pruned', expect: 'SW-DIFF-040', remove: true, apply: o => (o.kind === 'StatefulSet' && o.spec?.volumeClaimTemplates?.length ? o : undefined) },
  { name: 'claim pruned', expect: 'SW-DIFF-041', remove: true, apply: o => (o.kind === 'PersistentVolumeClaim' ? o : undefined) },
  { name: 'Namespace pruned', expect: 'SW-DIFF-042', remove: true, apply: o => (o.kind === 'Namespace' ? o : undefined) },
  { name: 'ServiceAccount pruned', expect: undefined, remove: true, apply: o => (o.kind === 'ServiceAccount' ? o : undefined) },
  // Neither
  { name: 'a label', expect: undefined, apply: edit(() => true, c => { c.metadata.labels = { ...c.metadata.labels, 'diff.seaworthy.dev/touched': 'yes' }; }) },
  // The same amounts in other units: the API server compares quantities by amount, so nothing changes.
  { name: 'claim restated in other units', expect: undefined, apply: edit(is('PersistentVolumeClaim'), c => {
    const q = restated(c.spec.resources?.requests?.storage);
    if (q === undefined) return false;
    c.spec.resources.requests.storage = q;
    return true;
  }) },
  { name: 'StatefulSet claim restated in other units', expect: undefined, apply: edit(is('StatefulSet'), c => {
    const t = c.spec.volumeClaimTemplates?.[0];
    const q = restated(t?.spec?.resources?.requests?.storage);
    if (q === undefined) return false;
    t.spec.resources.requests.storage = q;
    return true;
  }) },
  { name: 'container resources restated in other units', expect: undefined, apply: edit(is('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'Pod'), c => restateResources(c.kind === 'Pod' ? c.spec.containers[0] : firstContainer(c))) },
  { name: 'Job parallelism', expect: undefined, apply: edit(is('Job'), c => { if (c.spec.completionMode !== 'Indexed') return false; c.spec.parallelism = (c.spec.parallelism ?? 1) + 1; return true; }) },
];

/** A mutated object of a set: the set before, the set after, which object changed and how. */
export interface DiffPair {
  readonly label: string;
  readonly mutation: Mutation;
  readonly index: number;
  readonly before: readonly Obj[];
  readonly after: readonly Obj[];
  /** The object as applied (the before object when it is removed). */
  readonly changed: Obj;
}

/** Every applicable mutation of every object of `objects` (at most `perMutation` objects per mutation). */
export function pairsOf(label: string, objects: readonly Obj[], perMutation = Infinity): DiffPair[] {
  const out: DiffPair[] = [];
  for (const mutation of MUTATIONS) {
    let used = 0;
    objects.forEach((o, index) => {
      if (used >= perMutation) return;
      const changed = mutation.apply(o);
      if (!changed) return;
      used++;
      const after = mutation.remove ? objects.filter((_x, i) => i !== index) : objects.map((x, i) => (i === index ? changed : x));
      out.push({ label: `${label}: ${mutation.name} on ${o.kind}/${o.metadata?.name}`, mutation, index, before: objects, after, changed });
    });
  }
  return out;
}

/** Kinds seaworthy does not render, for the consequences on them: claims, storage classes, Secrets, bindings, a bare Pod, an Indexed Job, a headless Service. */
export function extras(namespace: string): Obj[] {
  const docs = `
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: ${namespace}-expandable}
provisioner: example.com/csi
parameters: {type: ssd}
reclaimPolicy: Retain
allowVolumeExpansion: true
volumeBindingMode: WaitForFirstConsumer
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: ${namespace}}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: ${namespace}-expandable
  resources: {requests: {storage: 10Gi}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: frozen, namespace: ${namespace}}
data: {MODE: blue}
immutable: true
---
apiVersion: v1
kind: Secret
metadata: {name: token, namespace: ${namespace}}
type: Opaque
stringData: {token: abc}
---
apiVersion: v1
kind: Secret
metadata: {name: frozen-token, namespace: ${namespace}}
type: Opaque
stringData: {token: abc}
immutable: true
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: ${namespace}}
rules: [{apiGroups: [''], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: ${namespace}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: default, namespace: ${namespace}}]
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: ${namespace}}
spec:
  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: c
      image: ghcr.io/acme/debug:1.0.0
      resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 100m, memory: 64Mi}}
      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: shards, namespace: ${namespace}}
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 3
  template:
    spec:
      restartPolicy: Never
      securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: c
          image: ghcr.io/acme/shard:1.0.0
          resources: {limits: {cpu: 100m, memory: 64Mi}, requests: {cpu: 100m, memory: 64Mi}}
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
---
apiVersion: v1
kind: Service
metadata: {name: peers, namespace: ${namespace}}
spec:
  clusterIP: None
  selector: {app: peers}
  ports: [{name: tcp, port: 7000}]
`;
  return jsyaml.loadAll(docs) as Obj[];
}
