import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { Reporter } from '../rules/finding';

/** One permission: verbs on resources of an API group, optionally only on named objects. */
export interface Grant {
  /** API group: "" for the core group, "apps", "batch", … */
  readonly apiGroup: string;
  /** Resource types (plural), e.g. ["configmaps"]. */
  readonly resources: string[];
  /** Verbs, e.g. ["get", "list", "watch"]. */
  readonly verbs: string[];
  /**
   * Only these objects.
   * @default - every object of the resource types in the namespace
   */
  readonly resourceNames?: string[];
}

/** The verbs of resource requests: the API server's, plus the special verbs RBAC and admission check. */
const KNOWN_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate', 'approve', 'sign', 'proxy']);
/** The verbs of non-resource URLs (/healthz, /metrics, …): lower-case HTTP methods. */
const URL_VERBS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options']);
/** Verbs that change or remove existing objects. */
const REPLACE_VERBS = ['update', 'patch', 'delete', 'deletecollection'];
/** Verbs that read objects. */
const READ_VERBS = ['get', 'list', 'watch'];
const READ = ['get', 'list', 'watch'];
/** Subresources that run commands in containers (pods/exec, pods/attach) or reach the kubelet (nodes/proxy), in the core group. */
const EXEC_RESOURCES = new Set(['pods/exec', 'pods/attach', 'nodes/proxy']);
const RBAC_GROUP = 'rbac.authorization.k8s.io';
/** What impersonate applies to (the authentication API's virtual resources, in the core and authentication groups). */
const IMPERSONATED = new Set(['users', 'groups', 'serviceaccounts', 'uids', 'userextras', 'userextras/*', '*']);

/**
 * One rule of a Role or ClusterRole as written: arrays of whatever the manifest holds (the audit
 * reads untrusted YAML), or a construct's grant.
 * @internal
 */
export interface PolicyRuleView {
  readonly apiGroups: readonly unknown[];
  readonly resources: readonly unknown[];
  readonly verbs: readonly unknown[];
  readonly resourceNames?: readonly unknown[];
  readonly nonResourceURLs?: readonly unknown[];
}

/**
 * What the other rules of the same role add to the judgement of one rule.
 * @internal
 */
export interface PolicyRuleContext {
  /**
   * Whether the role reads every Secret of its scope (get, list or watch on secrets, no resourceNames).
   * @default - only the rule itself is considered
   */
  readonly readsAnySecret?: boolean;
  /**
   * Whether a verb that is not a Kubernetes verb is reported: a construct's grant is typed by us, while
   * a manifest may hold custom verbs of extension API servers (an unknown verb grants nothing).
   * @default false
   */
  readonly unknownVerbs?: boolean;
}

const strings = (v: readonly unknown[] | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** Whether the rule covers `resource` of `group` ("" the core group), wildcards included. */
function covers(rule: PolicyRuleView, group: string, resource: string): boolean {
  const groups = strings(rule.apiGroups);
  return (groups.includes(group) || groups.includes('*')) && strings(rule.resources).includes(resource);
}

/** Whether a role rule reads every Secret of its scope: get, list or watch on secrets (or every verb) without resourceNames. @internal */
export function readsAnySecret(rule: PolicyRuleView): boolean {
  const verbs = strings(rule.verbs);
  return covers(rule, '', 'secrets') && strings(rule.resourceNames).length === 0 && (verbs.includes('*') || verbs.some(v => READ_VERBS.includes(v)));
}

/** What a wildcard resource grants: "*" everything, "*\/x" a subresource of everything, "x/*" every subresource of x. */
function wildcardResource(resource: string, groups: readonly string[]): string {
  if (resource === '*') return groups.length > 0 && !groups.some(g => g === '*' || g === '') ? `a wildcard grants every resource of ${groups.join(', ')}, and every kind they add` : 'a wildcard grants every resource';
  if (resource.startsWith('*/')) return `a wildcard grants the ${resource.slice(2)} subresource of every resource`;
  return `a wildcard grants every subresource of ${resource.slice(0, resource.indexOf('/'))}${resource.startsWith('pods/') ? ' (pods/exec included)' : ''}`;
}

/**
 * The one least-privilege judgement of a role rule, for constructs' grants and audited Roles and
 * ClusterRoles alike: wildcards and write access to Secrets (SW-RBAC-001), verbs and resources
 * that lead to more permissions than the rule names (SW-RBAC-002). A rule of nonResourceURLs has
 * no resources by design; resourceNames narrow every verb but create and deletecollection.
 * @internal
 */
export function checkPolicyRule(rule: PolicyRuleView, collector: Reporter, field: string, context: PolicyRuleContext = {}): void {
  const verbs = strings(rule.verbs);
  const resources = strings(rule.resources);
  const urls = strings(rule.nonResourceURLs);
  const groups = strings(rule.apiGroups);
  if (groups.some(g => g.includes('*'))) collector.report(Rules.RBAC_TOO_BROAD, `${field}.apiGroups`, '*', 'a wildcard grants every API group, custom resources included');
  if (verbs.length === 0 || (resources.length === 0 && urls.length === 0)) {
    collector.report(Rules.RBAC_TOO_BROAD, field, rule, 'needs at least one verb, and resources or nonResourceURLs: it grants nothing');
  } else if (resources.length > 0 && urls.length > 0) {
    collector.report(Rules.RBAC_TOO_BROAD, field, rule, 'names both resources and nonResourceURLs, which the API server rejects; split it into two rules');
  }
  const onUrls = resources.length === 0 && urls.length > 0;
  for (const verb of verbs) {
    if (verb === '*') collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, verb, onUrls ? `a wildcard grants every HTTP method on ${urls.join(', ')}` : 'a wildcard grants every verb');
    else if (context.unknownVerbs && !(onUrls ? URL_VERBS : KNOWN_VERBS).has(verb)) collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, verb, `is not a Kubernetes verb${onUrls ? ' of non-resource URLs (get, post, put, patch, delete, head, options)' : ''}: it grants nothing`);
  }
  for (const resource of resources) {
    if (resource.includes('*')) collector.report(Rules.RBAC_TOO_BROAD, `${field}.resources`, resource, wildcardResource(resource, groups));
  }
  escalations(rule, collector, field);
  secretWrites(rule, collector, field, context.readsAnySecret === true || readsAnySecret(rule));
}

/** SW-RBAC-002: each verb or subresource of the rule that is a path to more permissions, with the path. */
function escalations(rule: PolicyRuleView, collector: Reporter, field: string): void {
  const verbs = strings(rule.verbs);
  const names = strings(rule.resourceNames);
  const has = (verb: string) => verbs.includes(verb);
  const roles = covers(rule, RBAC_GROUP, 'roles') || covers(rule, RBAC_GROUP, 'clusterroles') || covers(rule, RBAC_GROUP, '*');
  if (roles && has('escalate')) {
    collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.verbs`, 'escalate', `escalate lets it write into ${names.length > 0 ? `the roles ${names.join(', ')}` : 'any role'} permissions it does not hold, cluster-admin's included, and so gain them through a binding`);
  }
  if (roles && has('bind') && (names.length === 0 || names.includes('cluster-admin'))) {
    collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.verbs`, 'bind', `bind lets it bind ${names.length === 0 ? 'any Role or ClusterRole, cluster-admin included,' : 'cluster-admin'} to any subject, itself included (name the roles it may bind with resourceNames)`);
  }
  const impersonated = strings(rule.resources).filter(r => IMPERSONATED.has(r));
  const groups = strings(rule.apiGroups);
  if (has('impersonate') && impersonated.length > 0 && (groups.includes('') || groups.includes('authentication.k8s.io') || groups.includes('*'))) {
    collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.verbs`, 'impersonate', `impersonate lets it act as ${names.length > 0 ? names.join(', ') : `any ${impersonated.join(', ')}`} with their permissions${names.length === 0 ? ' (the group system:masters, cluster-admin, included)' : ''}`);
  }
  for (const resource of strings(rule.resources)) {
    if (!covers(rule, '', resource)) continue;
    if (EXEC_RESOURCES.has(resource)) {
      collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.resources`, resource, resource === 'nodes/proxy'
        ? 'reaches the kubelet API, which runs commands in every Pod of the node (with get alone)'
        : `runs commands in the Pods' containers, with their ServiceAccount tokens and Secrets (with ${resource === 'pods/exec' ? 'create, or get over WebSockets' : 'create or get'})`);
    } else if (resource === 'serviceaccounts/token' && has('create') && names.length === 0) {
      collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.resources`, resource, 'create on serviceaccounts/token mints a token for any ServiceAccount of the namespace and so acts with its permissions (name the ServiceAccounts with resourceNames)');
    } else if (resource === 'pods/ephemeralcontainers' && (has('update') || has('patch'))) {
      collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.resources`, resource, `adds a container of its choosing to ${names.length > 0 ? `the Pods ${names.join(', ')}` : 'any Pod of the namespace'}, with that Pod's ServiceAccount token and Secrets`);
    }
  }
  const signers = covers(rule, 'certificates.k8s.io', 'signers');
  const clientSigner = names.length === 0 || names.some(n => n === 'kubernetes.io/kube-apiserver-client' || n === 'kubernetes.io/*');
  if (signers && has('approve') && clientSigner) {
    collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.verbs`, 'approve', 'approve on the kubernetes.io/kube-apiserver-client signer approves client certificates for any user or group, system:masters (cluster-admin) included');
  }
}

/** SW-RBAC-001 on Secrets: changing any Secret, or creating one it can then read (a ServiceAccount token). */
function secretWrites(rule: PolicyRuleView, collector: Reporter, field: string, readsAny: boolean): void {
  if (!covers(rule, '', 'secrets')) return;
  const verbs = strings(rule.verbs);
  const names = strings(rule.resourceNames);
  const replace = verbs.filter(v => REPLACE_VERBS.includes(v));
  // resourceNames narrow update, patch and delete to the named Secrets (the workload's own); deletecollection is never narrowed.
  const unnamed = names.length === 0 ? replace : replace.filter(v => v === 'deletecollection');
  if (unnamed.length > 0) {
    collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, rule.verbs, `${unnamed.join(', ')} on every Secret of the namespace lets the workload replace or remove the credentials other workloads read (name its own Secrets with resourceNames)`);
  }
  // create cannot be narrowed by resourceNames (a rule with them grants no create at all).
  if (verbs.includes('create') && names.length === 0 && readsAny) {
    collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, rule.verbs, 'create and read on Secrets let the workload create a kubernetes.io/service-account-token Secret for any ServiceAccount of the namespace and read the token the control plane writes into it (read only the Secrets it creates, by resourceNames)');
  }
  if (verbs.includes('list') && names.length === 0) {
    collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, rule.verbs, 'listing Secrets reveals every Secret in the namespace; name the Secrets with resourceNames and use get');
  }
}

/** Reports grants that are not least-privilege. */
export function checkGrant(grant: Grant, collector: Reporter, field = 'grant'): void {
  if (grant === null || typeof grant !== 'object') {
    collector.report(Rules.RBAC_TOO_BROAD, field, grant, 'must be { apiGroup, resources, verbs }');
    return;
  }
  if (typeof grant.apiGroup !== 'string') collector.report(Rules.RBAC_TOO_BROAD, `${field}.apiGroup`, grant.apiGroup, 'must be a string ("" for the core group)');
  const rule: PolicyRuleView = { apiGroups: typeof grant.apiGroup === 'string' ? [grant.apiGroup] : [], resources: grant.resources ?? [], verbs: grant.verbs ?? [], resourceNames: grant.resourceNames };
  checkPolicyRule(rule, collector, field, { unknownVerbs: true });
}

/**
 * A Role holding a workload's grants and the RoleBinding to its ServiceAccount, created on the
 * first grant.
 */
export class Permissions extends Construct {
  private readonly rules: k8s.PolicyRule[] = [];

  constructor(scope: Construct, id: string, metadata: { readonly name: string; readonly labels: Record<string, string> }, serviceAccountName: string) {
    super(scope, id);
    new k8s.KubeRole(this, 'Role', {
      metadata: { ...metadata, name: `${metadata.name}` },
      rules: Lazy.any({ produce: () => this.rules.map(r => ({ ...r })) }),
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata: { ...metadata, name: `${metadata.name}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccountName }],
    });
  }

  /** Adds a grant. */
  public add(grant: Grant): void {
    this.rules.push({ apiGroups: [grant.apiGroup], resources: [...grant.resources], verbs: [...grant.verbs], resourceNames: grant.resourceNames && [...grant.resourceNames] });
  }
}

/** Read access to named ConfigMaps. */
export function readConfigMaps(names: string[]): Grant {
  return { apiGroup: '', resources: ['configmaps'], verbs: READ, resourceNames: names };
}

/** Read access to named Secrets (get only: watching or listing Secrets is rarely needed). */
export function readSecrets(names: string[]): Grant {
  return { apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: names };
}
