import { orElse } from './cel';

/**
 * SW-RBAC-002 in CEL, over the rules of a Role or ClusterRole, read as src/security/grants.ts
 * `escalations` reads them: exact verbs and resources (a wildcard verb is SW-RBAC-001's), the core
 * group when apiGroups is absent. Only `in` on literal names, no nested loop, so the cost stays
 * linear in the rules.
 */

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const EXEC_RESOURCES = ['pods/exec', 'pods/attach', 'nodes/proxy'];
const IMPERSONATED = ['users', 'groups', 'serviceaccounts', 'uids', 'userextras', 'userextras/*', '*'];

const quote = (s: string) => `'${s}'`;
const anyIn = (names: readonly string[], list: string) => `(${names.map(n => `${quote(n)} in ${list}`).join(' || ')})`;

/** A rule `r` that is a path to more permissions: escalate or bind on roles, impersonate, exec, token minting, ephemeral containers, client certificates. */
function escalates(): string {
  const groups = "(has(r.apiGroups) ? r.apiGroups : [''])";
  const resources = orElse('r.resources', '[]');
  const verbs = orElse('r.verbs', '[]');
  const names = orElse('r.resourceNames', '[]');
  const inGroup = (g: string) => `(${quote(g)} in ${groups} || '*' in ${groups})`;
  const covers = (g: string, res: string) => `(${inGroup(g)} && ${quote(res)} in ${resources})`;
  const roles = `(${covers(RBAC_GROUP, 'roles')} || ${covers(RBAC_GROUP, 'clusterroles')} || ${covers(RBAC_GROUP, '*')})`;
  return [
    `(${roles} && 'escalate' in ${verbs})`,
    `(${roles} && 'bind' in ${verbs} && (size(${names}) == 0 || 'cluster-admin' in ${names}))`,
    `('impersonate' in ${verbs} && ${anyIn(IMPERSONATED, resources)} && ('' in ${groups} || 'authentication.k8s.io' in ${groups} || '*' in ${groups}))`,
    `(${inGroup('')} && (${anyIn(EXEC_RESOURCES, resources)}`
      + ` || ('serviceaccounts/token' in ${resources} && 'create' in ${verbs} && size(${names}) == 0)`
      + ` || ('pods/ephemeralcontainers' in ${resources} && ('update' in ${verbs} || 'patch' in ${verbs}))))`,
    `(${covers('certificates.k8s.io', 'signers')} && 'approve' in ${verbs} && (size(${names}) == 0 || ${anyIn(['kubernetes.io/kube-apiserver-client', 'kubernetes.io/*'], names)}))`,
  ].join(' || ');
}

/** No rule of the Role or ClusterRole is a path to more permissions (SW-RBAC-002). */
export const NO_ESCALATION = `${orElse('object.rules', '[]')}.all(r, !(${escalates()}))`;

/**
 * SW-RBAC-001 in CEL, over the rules of a Role or ClusterRole, read as src/security/grants.ts
 * `checkPolicyRule` reads them for the audit (no unknown-verb check: a manifest may hold custom
 * verbs): a wildcard API group, verb or resource; a rule granting nothing (no verb, or neither
 * resources nor nonResourceURLs) or naming both; and on Secrets of the core group, update, patch
 * or delete without resourceNames, deletecollection, list without resourceNames, or create
 * without resourceNames while some rule of the role reads every Secret.
 */
function tooBroad(): string {
  const groups = "(has(r.apiGroups) ? r.apiGroups : [''])";
  const resources = orElse('r.resources', '[]');
  const verbs = orElse('r.verbs', '[]');
  const urls = orElse('r.nonResourceURLs', '[]');
  const unnamed = `size(${orElse('r.resourceNames', '[]')}) == 0`;
  return [
    // One scan of the joined names, not a loop inside the loop over the rules.
    `${groups}.join(',').contains('*')`,
    `size(${verbs}) == 0 || (size(${resources}) == 0 && size(${urls}) == 0) || (size(${resources}) > 0 && size(${urls}) > 0)`,
    `'*' in ${verbs}`,
    `${resources}.join(',').contains('*')`,
    `(${secrets()} && ((${unnamed} && ${anyIn(['update', 'patch', 'delete', 'list'], verbs)}) || 'deletecollection' in ${verbs}))`,
  ].map(p => `(${p})`).join(' || ');
}

/** The rule `r` covers Secrets of the core group. */
function secrets(): string {
  return `(('' in (has(r.apiGroups) ? r.apiGroups : ['']) || '*' in (has(r.apiGroups) ? r.apiGroups : [''])) && 'secrets' in ${orElse('r.resources', '[]')})`;
}

/** The rule `r` reads every Secret (get, list, watch or a wildcard verb, no resourceNames): `readsAnySecret`. */
function readsAnySecret(): string {
  const verbs = orElse('r.verbs', '[]');
  return `(${secrets()} && size(${orElse('r.resourceNames', '[]')}) == 0 && ${anyIn(['*', 'get', 'list', 'watch'], verbs)})`;
}

/** Every rule of the Role or ClusterRole is least-privilege (SW-RBAC-001); two loops over the rules, not one inside the other. */
export const LEAST_PRIVILEGE = `${orElse('object.rules', '[]')}.all(r, !(${tooBroad()}))`
  + ` && (!${orElse('object.rules', '[]')}.exists(r, ${readsAnySecret()})`
  + ` || ${orElse('object.rules', '[]')}.all(r, !(${secrets()} && 'create' in ${orElse('r.verbs', '[]')} && size(${orElse('r.resourceNames', '[]')}) == 0)))`;
