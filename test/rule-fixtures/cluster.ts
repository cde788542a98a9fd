import { NS, web } from './base';
import { Obj, RuleFixture } from './fixture';
import { onManifests, onWeb } from './manifest';

const RBAC = 'rbac.authorization.k8s.io/v1';
const role = (rules: Obj[], kind = 'Role'): Obj => ({ apiVersion: RBAC, kind, metadata: kind === 'Role' ? { name: 'reader', namespace: NS } : { name: 'reader' }, rules });
const READ_PODS = [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }];
const binding = (roleRef: Obj, subjects: Obj[], kind = 'RoleBinding'): Obj => ({
  apiVersion: RBAC, kind, metadata: kind === 'RoleBinding' ? { name: 'reader', namespace: NS } : { name: 'reader' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
});
const API_SA = { kind: 'ServiceAccount', name: 'api', namespace: NS };

const namespace = (labels: Obj = { 'pod-security.kubernetes.io/enforce': 'restricted' }): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels } });
const quota = (hard: Obj): Obj => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'quota', namespace: NS }, spec: { hard } });
const limitRange = (max: Obj): Obj => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'limits', namespace: NS }, spec: { limits: [{ type: 'Container', max }] } });

const pv = (spec: Obj): Obj => ({
  apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'data' },
  spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', storageClassName: 'nfs', nfs: { server: 'nfs.internal', path: '/exports' }, ...spec },
});
const pvc = (spec: Obj = {}): Obj => ({
  apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: NS },
  spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'nfs', volumeName: 'data', resources: { requests: { storage: '10Gi' } }, ...spec },
});
const LOCAL = { nfs: undefined, storageClassName: 'local-ssd', local: { path: '/mnt/disks/ssd0' } };
const ON_NODE = { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } } };

const priorityClass = (name: string, extra: Obj = {}): Obj => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 1000, preemptionPolicy: 'PreemptLowerPriority', ...extra });

const flowSchema = (apiVersion: string): Obj => ({
  apiVersion, kind: 'FlowSchema', metadata: { name: 'shop' },
  spec: { priorityLevelConfiguration: { name: 'workload-low' }, rules: [{ subjects: [{ kind: 'Group', group: { name: 'shop' } }], resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'], namespaces: [NS] }] }] },
});

const configMap = (data: Obj): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: NS }, data });

/** API versions, objects, secrets, RBAC, namespaces and quotas, storage, priority classes. */
export const CLUSTER_FIXTURES: readonly RuleFixture[] = [
  // API versions and objects
  onWeb('SW-API-001', s => { s.pdb.apiVersion = 'policy/v1beta1'; }),
  onManifests('SW-API-002', [flowSchema('flowcontrol.apiserver.k8s.io/v1beta3')], [flowSchema('flowcontrol.apiserver.k8s.io/v1')], '1.29'),
  onManifests('SW-OBJECT-001', web(() => undefined, [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: NS }, spec: { selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 80, targetPort: 8080 }] } }]), web()),
  // Configuration and secrets
  onManifests('SW-CONFIG-004', web(() => undefined, [configMap({ blob: 'x'.repeat(1024 * 1024 + 1) })]), web(() => undefined, [configMap({ blob: 'x'.repeat(1000 * 1024) })])),
  onManifests('SW-SECRET-001', web(() => undefined, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: NS }, stringData: { password: 'hunter2-hunter2' } }]),
    web(() => undefined, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: NS, annotations: { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-SECRET-001', reason: 'test data' }]) } }, type: 'Opaque' }])),
  onManifests('SW-SECRET-002', web(() => undefined, [configMap({ DATABASE_URL: 'postgres://admin:hunter2hunter2@db.internal:5432/shop' })]), web(() => undefined, [configMap({ DATABASE_URL: 'postgres://db.internal:5432/shop' })])),
  // RBAC
  onManifests('SW-RBAC-001', [role([{ apiGroups: [''], resources: ['*'], verbs: ['get'] }])], [role(READ_PODS)]),
  onManifests('SW-RBAC-002', [role([{ apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] }])], [role([{ apiGroups: [''], resources: ['pods/log'], verbs: ['get'] }])]),
  onManifests('SW-RBAC-004', [role([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'ClusterRole'), binding({ kind: 'ClusterRole', name: 'reader' }, [API_SA], 'ClusterRoleBinding')],
    [role([{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }], 'ClusterRole'), binding({ kind: 'ClusterRole', name: 'reader' }, [API_SA])]),
  onManifests('SW-RBAC-005', [binding({ kind: 'ClusterRole', name: 'cluster-admin' }, [API_SA])], [role(READ_PODS), binding({ kind: 'Role', name: 'reader' }, [API_SA])]),
  onManifests('SW-RBAC-006', [role(READ_PODS, 'ClusterRole'), binding({ kind: 'ClusterRole', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'api' }], 'ClusterRoleBinding')],
    [role(READ_PODS, 'ClusterRole'), binding({ kind: 'ClusterRole', name: 'reader' }, [API_SA], 'ClusterRoleBinding')]),
  onManifests('SW-RBAC-007', [role(READ_PODS), binding({ kind: 'Role', name: 'reader' }, [{ kind: 'Group', name: 'system:authenticated', apiGroup: 'rbac.authorization.k8s.io' }])],
    [role(READ_PODS), binding({ kind: 'Role', name: 'reader' }, [{ kind: 'Group', name: 'shop-devs', apiGroup: 'rbac.authorization.k8s.io' }])]),
  onManifests('SW-SA-003', [role(READ_PODS), binding({ kind: 'Role', name: 'reader' }, [{ kind: 'ServiceAccount', name: 'default', namespace: NS }])], [role(READ_PODS), binding({ kind: 'Role', name: 'reader' }, [API_SA])]),
  // Namespaces, quotas and limits
  onManifests('SW-NS-001', web(() => undefined, [limitRange({ memory: '256Mi' })]), web(() => undefined, [limitRange({ memory: '1Gi' })])),
  onManifests('SW-NS-002', web(() => undefined, [namespace(), quota({ 'limits.memory': '1Gi' })]), web(() => undefined, [namespace(), quota({ 'limits.memory': '4Gi' })])),
  onManifests('SW-NS-005', web(s => { s.pod.terminationGracePeriodSeconds = 60; s.deployment.spec.minReadySeconds = 0; }, [namespace(), quota({ 'limits.memory': '2Gi' })]),
    web(() => undefined, [namespace(), quota({ 'limits.memory': '4Gi' })])),
  onManifests('SW-NS-004', web(() => undefined, [namespace({})]), web(() => undefined, [namespace()])),
  // Storage
  onManifests('SW-VOL-004', web(s => { s.pod.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'data' } }); s.c.volumeMounts.push({ name: 'data', mountPath: '/data' }); }, [pv({}), pvc()]),
    web(s => { s.pod.volumes.push({ name: 'data', persistentVolumeClaim: { claimName: 'data' } }); s.c.volumeMounts.push({ name: 'data', mountPath: '/data' }); }, [pv({ accessModes: ['ReadWriteMany'] }), pvc({ accessModes: ['ReadWriteMany'] })])),
  onManifests('SW-PV-002', [pv({ persistentVolumeReclaimPolicy: 'Delete' })], [pv({})]),
  onManifests('SW-PV-003', [pv({ nfs: undefined, hostPath: { path: '/data' } })], [pv({})]),
  onManifests('SW-PV-004', [pv(LOCAL)], [pv({ ...LOCAL, ...ON_NODE })]),
  onManifests('SW-PV-005', [pv({}), pvc({ resources: { requests: { storage: '50Gi' } } })], [pv({}), pvc()]),
  onManifests('SW-PV-006', [pv({}), pvc({ storageClassName: undefined })], [pv({}), pvc()]),
  // Priority classes
  onManifests('SW-PRIO-001', [priorityClass('system-high')], [priorityClass('high')]),
  onManifests('SW-PRIO-002', [priorityClass('high', { globalDefault: true }), priorityClass('higher', { globalDefault: true })], [priorityClass('high', { globalDefault: true }), priorityClass('higher')]),
  onManifests('SW-PRIO-003', [priorityClass('critical', { value: 1000000 })], [priorityClass('critical', { value: 1000000, preemptionPolicy: 'Never' })]),
];
