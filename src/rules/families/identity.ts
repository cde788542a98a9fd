import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the identity family: ServiceAccounts and cluster-wide permissions. */
export const IdentityRules = {
  RBAC_ESCALATION_VERB: rule({
    id: 'SW-RBAC-002',
    title: 'Grants do not include escalate, bind or impersonate, nor exec into Pods or the kubelet',
    severity: Severity.ERROR,
    rationale: 'escalate lets a subject create roles with permissions it does not hold, bind lets it bind any role to itself (unless resourceNames name the roles it may bind), and impersonate lets it act as any user, group or ServiceAccount: each is a path to cluster-admin. pods/exec and pods/attach run commands in other Pods\' containers, where their ServiceAccount tokens and Secrets are, and so does patching pods/ephemeralcontainers; nodes/proxy reaches the kubelet API, which execs into every Pod of the node. Since exec moved to WebSockets, get is enough for each. create on serviceaccounts/token mints any ServiceAccount\'s token, and approve on the kube-apiserver-client signer issues certificates for any user, system:masters included.',
    fix: 'remove the verb or the pods/exec, pods/attach or nodes/proxy resource (read logs with pods/log, metrics with nodes/metrics); a controller that manages RBAC or a debugging tool needs a reviewed, waived role of its own',
    kinds: ['Role', 'ClusterRole'],
    see: `${K8S}/concepts/security/rbac-good-practices/#escalate-verb`,
  }),
  RBAC_UNKNOWN_RESOURCE: rule({
    id: 'SW-RBAC-003',
    title: 'Cluster-wide grants name known resources',
    severity: Severity.ERROR,
    rationale: 'A misspelt or wrong-group resource (e.g. "pod", or "deployments" in the core group) grants nothing and the agent fails at run time with Forbidden; in a built-in API group the resources are known.',
    fix: 'use the plural resource name of the right API group (e.g. pods in "", deployments in "apps"); custom resources are accepted in their own groups',
    kinds: [],
    see: `${K8S}/reference/access-authn-authz/rbac/#referring-to-resources`,
  }),
  RBAC_CLUSTER_SECRETS: rule({
    id: 'SW-RBAC-004',
    title: 'No cluster-wide access to Secrets',
    severity: Severity.ERROR,
    rationale: 'A ClusterRole on secrets granted by a ClusterRoleBinding reads (or writes) every credential of every namespace, the ServiceAccount tokens of other workloads included: compromising the one Pod compromises the cluster. The built-in edit and admin roles read Secrets too. The same ClusterRole bound by RoleBindings grants only in their namespaces and is not reported; the audit judges a ClusterRole where a ClusterRoleBinding among the audited objects binds it.',
    fix: 'grant Secrets in a Role of the namespace that holds them, with resourceNames, and bind edit or admin by RoleBindings in the namespaces that need them; a controller that truly needs Secrets cluster-wide waives SW-RBAC-004 with its reason',
    kinds: ['ClusterRole', 'ClusterRoleBinding'],
    see: `${K8S}/concepts/security/rbac-good-practices/#listing-secrets`,
  }),
  RBAC_BINDS_ADMIN: rule({
    id: 'SW-RBAC-005',
    title: 'Bindings do not grant cluster-admin or a role as good as it',
    severity: Severity.ERROR,
    rationale: 'Binding cluster-admin, or a role as good as it (every resource of every API group or of the core group, or escalate or bind on any role), gives the subject every permission, now and for every API added later; a compromised Pod of a bound ServiceAccount owns the cluster. A wildcard confined to named API groups is reported on the role (SW-RBAC-001), not here.',
    fix: 'bind a ClusterRole (or Role) that names the verbs and resources the subject needs',
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    see: `${K8S}/concepts/security/rbac-good-practices/#least-privilege`,
  }),
  RBAC_SUBJECT_NAMESPACE: rule({
    id: 'SW-RBAC-006',
    title: 'ServiceAccount subjects of ClusterRoleBindings name their namespace',
    severity: Severity.ERROR,
    rationale: 'A ServiceAccount exists in a namespace; a ClusterRoleBinding has none to default to, so the API server rejects a ServiceAccount subject without one.',
    fix: 'set subjects[].namespace to the ServiceAccount\'s namespace (a cluster-wide grant needs its chart to have a namespace)',
    kinds: ['ClusterRoleBinding'],
    see: `${K8S}/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding`,
  }),
  RBAC_BROAD_SUBJECT: rule({
    id: 'SW-RBAC-007',
    title: 'Bindings do not grant to anonymous users, every user or every ServiceAccount',
    severity: Severity.ERROR,
    rationale: 'User system:anonymous and Group system:unauthenticated are every request without credentials, Group system:authenticated every user and ServiceAccount, and Group system:serviceaccounts every ServiceAccount of every namespace: a role bound to them is granted to anyone who reaches the API server, or to any compromised Pod. Only the discovery roles Kubernetes binds itself (system:discovery, system:basic-user, system:public-info-viewer, system:service-account-issuer-discovery) are spared.',
    fix: 'bind the role to the ServiceAccounts (or users, groups) that need it',
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    see: `${K8S}/reference/access-authn-authz/rbac/#referring-to-subjects`,
  }),
  SA_REF_INVALID: rule({
    id: 'SW-SA-002',
    title: 'An existing ServiceAccount is referenced by a valid name',
    severity: Severity.ERROR,
    rationale: 'serviceAccountName must be a DNS-1123 subdomain of an existing ServiceAccount; the "default" ServiceAccount is shared by every Pod of the namespace that names none, so granting it permissions grants them to all of them.',
    fix: 'use ServiceAccountRef.existing("<name>") with the ops-managed ServiceAccount\'s name, never "default"',
    kinds: [],
    see: `${K8S}/concepts/security/service-accounts/`,
  }),
  SA_DEFAULT_BOUND: rule({
    id: 'SW-SA-003',
    title: 'Permissions are not bound to the default ServiceAccount',
    severity: Severity.ERROR,
    rationale: 'Every Pod that names no ServiceAccount runs as "default": a Role or ClusterRole bound to it is granted to every such Pod of the namespace, now and later.',
    fix: 'give the workload its own ServiceAccount (the seaworthy default) and bind the role to that',
    kinds: ['RoleBinding', 'ClusterRoleBinding'],
    see: `${K8S}/concepts/security/rbac-good-practices/#least-privilege`,
  }),
} as const;
