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

const KNOWN_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection']);
const READ = ['get', 'list', 'watch'];
/** Subresources that run commands in containers (pods/exec, pods/attach) or reach the kubelet (nodes/proxy), in the core group. */
const EXEC_RESOURCES = new Set(['pods/exec', 'pods/attach', 'nodes/proxy']);
const EXEC_GROUPS = new Set(['', '*']);
/** Verbs that let a subject gain permissions it does not hold. */
const ESCALATION_VERBS = new Set(['escalate', 'bind', 'impersonate']);

/** Reports grants that are not least-privilege. */
export function checkGrant(grant: Grant, collector: Reporter, field = 'grant'): void {
  if (grant === null || typeof grant !== 'object') {
    collector.report(Rules.RBAC_TOO_BROAD, field, grant, 'must be { apiGroup, resources, verbs }');
    return;
  }
  if (typeof grant.apiGroup !== 'string') collector.report(Rules.RBAC_TOO_BROAD, `${field}.apiGroup`, grant.apiGroup, 'must be a string ("" for the core group)');
  if (typeof grant.apiGroup === 'string' && grant.apiGroup.includes('*')) collector.report(Rules.RBAC_TOO_BROAD, `${field}.apiGroups`, grant.apiGroup, 'a wildcard grants every API group, custom resources included');
  for (const verb of grant.verbs ?? []) {
    if (ESCALATION_VERBS.has(verb)) collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.verbs`, verb, `${verb} is a path to cluster-admin`);
    else if (!KNOWN_VERBS.has(verb)) collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, verb, verb === '*' ? 'a wildcard grants every verb' : 'is not a Kubernetes verb');
  }
  for (const resource of grant.resources ?? []) {
    if (resource === '*' || resource.includes('*')) collector.report(Rules.RBAC_TOO_BROAD, `${field}.resources`, resource, 'a wildcard grants every resource');
    else if (EXEC_GROUPS.has(grant.apiGroup) && EXEC_RESOURCES.has(resource)) {
      collector.report(Rules.RBAC_ESCALATION_VERB, `${field}.resources`, resource, resource === 'nodes/proxy'
        ? 'reaches the kubelet API, which runs commands in every Pod of the node (with get alone)'
        : `runs commands in the Pods' containers, with their ServiceAccount tokens and Secrets (with ${resource === 'pods/exec' ? 'create, or get over WebSockets' : 'create or get'})`);
    }
  }
  if ((grant.verbs ?? []).length === 0 || (grant.resources ?? []).length === 0) {
    collector.report(Rules.RBAC_TOO_BROAD, field, grant, 'needs at least one verb and one resource');
  }
  if ((grant.resources ?? []).includes('secrets') && (grant.verbs ?? []).some(v => !READ.includes(v))) {
    collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, grant.verbs, 'write access to Secrets lets the workload replace any credential in the namespace');
  }
  if ((grant.resources ?? []).includes('secrets') && (grant.verbs ?? []).includes('list') && !grant.resourceNames) {
    collector.report(Rules.RBAC_TOO_BROAD, `${field}.verbs`, grant.verbs, 'listing Secrets reveals every Secret in the namespace; name the Secrets with resourceNames and use get');
  }
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
