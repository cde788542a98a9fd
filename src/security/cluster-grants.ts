import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { Reporter } from '../rules/finding';
import { clusterScoped } from '../util/cluster-scoped';
import { Grant } from './grants';

/**
 * The resources of the built-in API groups a cluster-wide grant may name: what node agents and
 * cluster observers read. Custom resources (other groups) are not listed and not checked;
 * `nodes/proxy` is left out on purpose (it reaches the kubelet API, exec included).
 * @internal
 */
export const CLUSTER_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  '': ['configmaps', 'endpoints', 'events', 'limitranges', 'namespaces', 'nodes', 'nodes/metrics', 'nodes/stats', 'nodes/status', 'persistentvolumeclaims', 'persistentvolumes', 'pods', 'pods/log', 'pods/status', 'replicationcontrollers', 'resourcequotas', 'secrets', 'serviceaccounts', 'services'],
  'apps': ['controllerrevisions', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'],
  'autoscaling': ['horizontalpodautoscalers'],
  'batch': ['cronjobs', 'jobs'],
  'coordination.k8s.io': ['leases'],
  'discovery.k8s.io': ['endpointslices'],
  'events.k8s.io': ['events'],
  'metrics.k8s.io': ['nodes', 'pods'],
  'networking.k8s.io': ['ingressclasses', 'ingresses', 'networkpolicies'],
  'policy': ['poddisruptionbudgets'],
  'storage.k8s.io': ['csidrivers', 'csinodes', 'storageclasses', 'volumeattachments'],
};

/**
 * Why a ClusterRole rule on `resources`, granted cluster-wide (by a ClusterRoleBinding), exposes
 * Secrets of every namespace, or undefined (SW-RBAC-004). The same ClusterRole bound only by
 * RoleBindings grants only in their namespaces, so callers apply this where the grant is
 * cluster-wide.
 * @internal
 */
export function clusterSecretsProblem(apiGroups: readonly unknown[], resources: readonly unknown[]): string | undefined {
  const core = apiGroups.length === 0 || apiGroups.includes('') || apiGroups.includes('*');
  return core && resources.includes('secrets') ? 'a ClusterRole on secrets granted cluster-wide reaches every credential of every namespace' : undefined;
}

/**
 * The built-in ClusterRoles that read Secrets (edit and admin read and write every Secret of the
 * namespace they are granted in; bound by a ClusterRoleBinding, of every namespace).
 * @internal
 */
export const BUILT_IN_SECRET_READERS: readonly string[] = ['admin', 'edit'];

/**
 * Subjects that stand for everyone (or every workload) of the cluster: a binding to them grants
 * its role to anonymous callers, every user, or every ServiceAccount of every namespace (SW-RBAC-007).
 * @internal
 */
export function broadSubjectProblem(subject: { readonly kind?: unknown; readonly name?: unknown }): string | undefined {
  if (subject.kind === 'User' && subject.name === 'system:anonymous') return 'every unauthenticated request to the API server';
  if (subject.kind !== 'Group') return undefined;
  switch (subject.name) {
    case 'system:unauthenticated': return 'every unauthenticated request to the API server';
    case 'system:authenticated': return 'every user and every ServiceAccount of the cluster';
    case 'system:serviceaccounts': return 'every ServiceAccount of every namespace (so to any compromised Pod)';
    default: return undefined;
  }
}

/**
 * The discovery ClusterRoles Kubernetes itself binds to system:authenticated,
 * system:unauthenticated or system:serviceaccounts: binding the broad groups to them is the default.
 * @internal
 */
export const PUBLIC_CLUSTER_ROLES: readonly string[] = ['system:basic-user', 'system:discovery', 'system:public-info-viewer', 'system:service-account-issuer-discovery'];

/** Reports what a cluster-wide grant adds to `checkGrant`: known resources (SW-RBAC-003) and no Secrets (SW-RBAC-004). @internal */
export function checkClusterGrant(grant: Grant, reporter: Reporter, field = 'grant'): void {
  if (grant === null || typeof grant !== 'object') return;
  const known = Object.prototype.hasOwnProperty.call(CLUSTER_RESOURCES, grant.apiGroup) ? CLUSTER_RESOURCES[grant.apiGroup] : undefined;
  for (const resource of Array.isArray(grant.resources) ? grant.resources : []) {
    if (known && typeof resource === 'string' && !resource.includes('*') && !known.includes(resource)) {
      reporter.report(Rules.RBAC_UNKNOWN_RESOURCE, `${field}.resources`, resource, `is not among the resources of API group ${JSON.stringify(grant.apiGroup)} a cluster-wide grant may name (${known.join(', ')})`);
    }
  }
  const secrets = clusterSecretsProblem([grant.apiGroup], Array.isArray(grant.resources) ? grant.resources : []);
  if (secrets) reporter.report(Rules.RBAC_CLUSTER_SECRETS, `${field}.resources`, 'secrets', secrets);
}

/** Read access (get, list, watch) to `resources` of `apiGroup` in every namespace, e.g. `readCluster(['pods', 'nodes'])`. */
export function readCluster(resources: string[], apiGroup = ''): Grant {
  return { apiGroup, resources, verbs: ['get', 'list', 'watch'] };
}

/**
 * A ClusterRole holding a workload's cluster-wide grants and the ClusterRoleBinding to its
 * ServiceAccount, both named `<namespace>-<name>` (cluster-scoped names are shared by every
 * namespace), created on the first cluster-wide grant.
 */
export class ClusterPermissions extends Construct {
  private readonly rules: k8s.PolicyRule[] = [];

  constructor(scope: Construct, id: string, metadata: { readonly name: string; readonly labels: Record<string, string>; readonly annotations?: Record<string, string> }, serviceAccount: { readonly name: string; readonly namespace: string }) {
    super(scope, id);
    const name = `${serviceAccount.namespace}-${metadata.name}`;
    const annotations = metadata.annotations && Object.keys(metadata.annotations).length > 0 ? { ...metadata.annotations } : undefined;
    const role = new k8s.KubeClusterRole(this, 'ClusterRole', {
      metadata: { name, labels: { ...metadata.labels }, annotations },
      rules: Lazy.any({ produce: () => this.rules.map(r => ({ ...r })) }),
    });
    const binding = new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name, labels: { ...metadata.labels }, annotations },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: serviceAccount.namespace }],
    });
    clusterScoped(role);
    clusterScoped(binding);
  }

  /** Adds a grant. */
  public add(grant: Grant): void {
    this.rules.push({ apiGroups: [grant.apiGroup], resources: [...grant.resources], verbs: [...grant.verbs], resourceNames: grant.resourceNames && [...grant.resourceNames] });
  }
}
