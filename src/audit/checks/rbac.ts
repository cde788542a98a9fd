import { Rules } from '../../rules/catalog';
import { broadSubjectProblem, BUILT_IN_SECRET_READERS, clusterSecretsProblem, PUBLIC_CLUSTER_ROLES } from '../../security/cluster-grants';
import { CheckContext, ObjectCheck } from '../check';
import { KubeObject } from '../kube';
import { namespaceOf } from '../object-index';

/** Checks of ClusterRoles and of the bindings of roles to subjects. */

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Secrets in a ClusterRole are judged where the role is granted cluster-wide: a ClusterRole bound
 * only by RoleBindings grants only in their namespaces (the usual way to share one role among
 * namespaces), and one bound by nothing among the audited objects grants nothing here. The audit
 * reports it on the ClusterRole (where its waiver lives) once a ClusterRoleBinding binds it.
 */
function clusterRole(obj: KubeObject, ctx: CheckContext): void {
  const name = obj.metadata?.name;
  const wide = ctx.index.ofKind('ClusterRoleBinding').find(b => b.roleRef?.kind === 'ClusterRole' && b.roleRef?.name === name);
  if (!wide) return;
  list(obj.rules).forEach((rule, i) => {
    const r = (rule ?? {}) as KubeObject;
    const problem = clusterSecretsProblem(list(r.apiGroups), list(r.resources));
    if (problem) ctx.reporter.report(Rules.RBAC_CLUSTER_SECRETS, `rules[${i}].resources`, 'secrets', `${problem} (ClusterRoleBinding "${wide.metadata?.name}" grants it${list(r.resourceNames).length > 0 ? ', for Secrets of these names in every namespace' : ''})`);
  });
}

/**
 * What makes a role as good as cluster-admin, or undefined: a rule on every resource of every API
 * group, or of the core group (Secrets, Pods and ServiceAccounts of every namespace it is granted
 * in). A wildcard confined to named API groups (custom.metrics.k8s.io, a mesh's CRDs) is broad,
 * and SW-RBAC-001 on the role, but grants nothing outside those groups.
 */
function adminLike(role: KubeObject): string | undefined {
  for (const [i, rule] of list(role.rules).entries()) {
    const r = (rule ?? {}) as KubeObject;
    const groups = r.apiGroups === undefined ? [''] : list(r.apiGroups);
    const resources = list(r.resources);
    if (resources.includes('*') && groups.includes('*')) return `rules[${i}] grants every resource of every API group, now and as APIs are added`;
    if (resources.includes('*') && groups.includes('')) return `rules[${i}] grants every resource of the core API group (Secrets, Pods, ServiceAccounts)`;
    const roles = (groups.includes('*') || groups.includes('rbac.authorization.k8s.io')) && ['*', 'roles', 'clusterroles'].some(x => resources.includes(x));
    if (roles && list(r.verbs).some(v => v === '*' || v === 'escalate' || v === 'bind') && list(r.resourceNames).length === 0) return `rules[${i}] may escalate or bind any role, and so grant itself any permission`;
  }
  return undefined;
}

function binding(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const ref = obj.roleRef ?? {};
  if (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin') {
    r.report(Rules.RBAC_BINDS_ADMIN, 'roleRef.name', ref.name, `grants every permission${obj.kind === 'ClusterRoleBinding' ? ' in every namespace' : ' in the namespace'} to its subjects`);
  } else {
    const role = ref.kind === 'ClusterRole' ? ctx.index.get('ClusterRole', '', ref.name) : ref.kind === 'Role' ? ctx.index.get('Role', namespaceOf(obj), ref.name) : undefined;
    const admin = role ? adminLike(role) : undefined;
    if (admin) r.report(Rules.RBAC_BINDS_ADMIN, 'roleRef.name', ref.name, `${ref.kind} "${ref.name}" is as good as cluster-admin: its ${admin}`);
    // The built-in edit and admin roles read every Secret of the namespaces they are granted in.
    if (!role && obj.kind === 'ClusterRoleBinding' && ref.kind === 'ClusterRole' && BUILT_IN_SECRET_READERS.includes(ref.name)) {
      r.report(Rules.RBAC_CLUSTER_SECRETS, 'roleRef.name', ref.name, `the built-in ClusterRole "${ref.name}" reads and writes Secrets; bound by a ClusterRoleBinding it reaches every credential of every namespace`);
    }
  }
  const publicRole = ref.kind === 'ClusterRole' && PUBLIC_CLUSTER_ROLES.includes(ref.name);
  list(obj.subjects).forEach((s, i) => {
    const subject = (s ?? {}) as KubeObject;
    const broad = publicRole ? undefined : broadSubjectProblem(subject);
    if (broad) r.report(Rules.RBAC_BROAD_SUBJECT, `subjects[${i}].name`, `${subject.kind} ${subject.name}`, `grants ${ref.kind ?? 'the role'} "${ref.name}" to ${broad}${obj.kind === 'ClusterRoleBinding' ? ', cluster-wide' : ` in namespace "${namespaceOf(obj) || '(unset)'}"`}`);
    if (subject.kind !== 'ServiceAccount') return;
    if (obj.kind === 'ClusterRoleBinding' && !subject.namespace) r.report(Rules.RBAC_SUBJECT_NAMESPACE, `subjects[${i}].namespace`, subject.namespace, `ServiceAccount "${subject.name}" has no namespace`);
    if (subject.name === 'default') r.report(Rules.SA_DEFAULT_BOUND, `subjects[${i}].name`, subject.name, `every Pod of namespace "${subject.namespace ?? (namespaceOf(obj) || '(unset)')}" that names no ServiceAccount gets ${ref.kind ?? 'the role'} "${ref.name}"`);
  });
}

/** The RBAC checks. */
export const RBAC_CHECKS: ObjectCheck[] = [
  { rules: [Rules.RBAC_CLUSTER_SECRETS], kinds: ['ClusterRole'], run: clusterRole },
  { rules: [Rules.RBAC_BINDS_ADMIN, Rules.RBAC_CLUSTER_SECRETS, Rules.RBAC_BROAD_SUBJECT, Rules.RBAC_SUBJECT_NAMESPACE, Rules.SA_DEFAULT_BOUND], kinds: ['RoleBinding', 'ClusterRoleBinding'], run: binding },
];
