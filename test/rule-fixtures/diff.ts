import { AuditInput } from '../../src/audit/engine';
import { labelsOf, NS, podSpec, selectorOf, web } from './base';
import { copy, DiffFixture, Obj, RuleFixture } from './fixture';

/** Objects of every kind the diff rules judge, deployed together: the WebService base and more. */
function world(): Obj[] {
  const meta = (name: string) => ({ name, namespace: NS, labels: labelsOf(name) });
  return copy([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    ...web(),
    {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'),
      spec: {
        replicas: 3, serviceName: 'db', selector: { matchLabels: selectorOf('db') }, template: { metadata: { labels: labelsOf('db') }, spec: podSpec('db', 5432) },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } } }],
      },
    },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('files'), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '10Gi' } } } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('settings-3f2a'), immutable: true, data: { mode: 'fast' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('reader'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: NS }] },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta('debug'), spec: podSpec('debug') },
    { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('migrate'), spec: { backoffLimit: 3, template: { metadata: { labels: labelsOf('migrate') }, spec: { ...podSpec('migrate', 0), restartPolicy: 'Never' } } } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('api'),
      spec: { ingressClassName: 'nginx', rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }] },
    },
  ]);
}

const find = (objects: Obj[], kind: string, name?: string): Obj => objects.find(o => o.kind === kind && (name === undefined || o.metadata.name === name))!;
const inputs = (objects: readonly Obj[]): AuditInput[] => objects.map(object => ({ object }));

/** The world before, and after `change` (which may patch objects in place or return a new list). */
function change(edit: (after: Obj[]) => Obj[] | void): DiffFixture {
  const after = world();
  return { before: inputs(world()), after: inputs(edit(after) ?? after) };
}

/** A diff rule: `fail` is a change it reports, `pass` a change it does not. */
function onDiff(id: string, fail: (after: Obj[]) => Obj[] | void, pass: (after: Obj[]) => Obj[] | void): RuleFixture {
  return { id, fail: change(fail), pass: change(pass) };
}

const deployment = (o: Obj[]): Obj => find(o, 'Deployment');
const apiContainer = (o: Obj[]): Obj => deployment(o).spec.template.spec.containers[0];
const without = (kind: string) => (o: Obj[]): Obj[] => o.filter(x => x.kind !== kind);

/** An Argo CD Application deploying `dist/prod`, and one manifest in `folder`. */
function argo(folder: string): AuditInput[] {
  const app = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'shop', namespace: 'argocd' }, spec: { source: { repoURL: 'https://git.example/x', path: 'dist/prod' }, destination: { server: 'https://k', namespace: NS } } };
  return [{ object: app, file: '/repo/argocd/shop.yaml', group: 'argocd' }, { object: web()[0], file: `/repo/${folder}/sa.yaml`, group: folder }];
}

/** The rules `seaworthy diff` judges on a change: SW-DIFF-*. */
export const DIFF_FIXTURES: readonly RuleFixture[] = [
  // Rejected by the API server
  onDiff('SW-DIFF-001', o => { deployment(o).spec.selector.matchLabels.track = 'stable'; deployment(o).spec.template.metadata.labels.track = 'stable'; }, o => { deployment(o).spec.template.metadata.labels.track = 'stable'; }),
  onDiff('SW-DIFF-002', o => { find(o, 'StatefulSet').spec.serviceName = 'db-v2'; }, o => { find(o, 'StatefulSet').spec.replicas = 4; }),
  onDiff('SW-DIFF-003', o => { find(o, 'Job').spec.template.spec.containers[0].image = 'ghcr.io/acme/migrate:2.0.0'; }, o => { find(o, 'Job').spec.backoffLimit = 4; }),
  onDiff('SW-DIFF-004', o => { find(o, 'Service').spec.clusterIP = 'None'; }, o => { find(o, 'Service').spec.ports[0].port = 8080; }),
  onDiff('SW-DIFF-005', o => { find(o, 'PersistentVolumeClaim').spec.resources.requests.storage = '5Gi'; }, o => { find(o, 'PersistentVolumeClaim').spec.resources.requests.storage = '20Gi'; find(o, 'StorageClass').allowVolumeExpansion = true; }),
  onDiff('SW-DIFF-006', o => { find(o, 'StorageClass').parameters.type = 'io2'; }, o => { find(o, 'StorageClass').allowVolumeExpansion = true; }),
  onDiff('SW-DIFF-007', o => { find(o, 'ConfigMap').data.mode = 'slow'; }, o => { find(o, 'ConfigMap').metadata.labels.touched = 'yes'; }),
  onDiff('SW-DIFF-008', o => { find(o, 'RoleBinding').roleRef.name = 'writer'; }, o => { find(o, 'RoleBinding').subjects.push({ kind: 'ServiceAccount', name: 'worker', namespace: NS }); }),
  onDiff('SW-DIFF-009', o => { find(o, 'Pod').spec.containers[0].resources.limits.cpu = '1'; }, o => { find(o, 'Pod').spec.containers[0].image = 'ghcr.io/acme/debug:1.0.1'; }),
  // Recreated
  onDiff('SW-DIFF-010', o => {
    deployment(o).metadata.annotations = { 'argocd.argoproj.io/sync-options': 'Replace=true' };
    deployment(o).spec.selector.matchLabels.track = 'stable';
    deployment(o).spec.template.metadata.labels.track = 'stable';
  }, o => { deployment(o).metadata.annotations = { 'argocd.argoproj.io/sync-options': 'Replace=true' }; }),
  // Pod restarts and availability
  onDiff('SW-DIFF-020', o => { apiContainer(o).image = 'ghcr.io/acme/api:1.0.1'; }, o => { deployment(o).metadata.labels.touched = 'yes'; }),
  onDiff('SW-DIFF-021', o => { deployment(o).spec.strategy = { type: 'Recreate' }; apiContainer(o).image = 'ghcr.io/acme/api:1.0.1'; }, o => { apiContainer(o).image = 'ghcr.io/acme/api:1.0.1'; }),
  onDiff('SW-DIFF-030', o => { find(o, 'PodDisruptionBudget').spec.maxUnavailable = 0; }, o => { find(o, 'PodDisruptionBudget').spec.maxUnavailable = 2; }),
  onDiff('SW-DIFF-031', o => { deployment(o).spec.replicas = 1; }, o => { deployment(o).spec.replicas = 2; }),
  onDiff('SW-DIFF-032', o => { deployment(o).spec.strategy.rollingUpdate.maxUnavailable = '100%'; }, o => { deployment(o).spec.strategy.rollingUpdate.maxSurge = 2; }),
  onDiff('SW-DIFF-033', o => { delete apiContainer(o).readinessProbe; }, o => { apiContainer(o).readinessProbe.periodSeconds = 5; }),
  onDiff('SW-DIFF-034', o => { delete deployment(o).spec.template.spec.topologySpreadConstraints; delete deployment(o).spec.template.spec.affinity; }, o => { delete deployment(o).spec.template.spec.affinity; }),
  onDiff('SW-DIFF-035', o => { find(o, 'NetworkPolicy').spec.ingress = []; }, o => { find(o, 'NetworkPolicy').spec.ingress[0].from.push({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'worker' } } }); }),
  // Deletions
  onDiff('SW-DIFF-040', without('StatefulSet'), without('Job')),
  onDiff('SW-DIFF-041', without('PersistentVolumeClaim'), without('Job')),
  onDiff('SW-DIFF-042', without('Namespace'), without('Job')),
  { id: 'SW-DIFF-043', fail: { before: argo('dist/prod'), after: argo('dist/production'), repoRoot: '/repo' }, pass: { before: argo('dist/prod'), after: argo('dist/prod'), repoRoot: '/repo' } },
  onDiff('SW-DIFF-050', o => { find(o, 'PersistentVolumeClaim').metadata.name = 'files-v2'; }, o => { find(o, 'PersistentVolumeClaim').metadata.labels.touched = 'yes'; }),
  // Exposure
  onDiff('SW-DIFF-060', o => { find(o, 'Service').spec.type = 'NodePort'; }, o => { find(o, 'Service').spec.ports[0].name = 'web'; }),
  onDiff('SW-DIFF-061', o => { const i = find(o, 'Ingress'); i.spec.rules.push({ ...i.spec.rules[0], host: 'new.example.com' }); }, o => { find(o, 'Ingress').spec.rules[0].http.paths[0].path = '/shop'; }),
  onDiff('SW-DIFF-062', o => { find(o, 'NetworkPolicy').spec.ingress.push({ from: [{ namespaceSelector: {} }] }); }, o => { find(o, 'NetworkPolicy').spec.ingress[0].ports[0].port = 8080; }),
];
