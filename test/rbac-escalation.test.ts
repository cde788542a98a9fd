import { audit } from '../src';

/**
 * The audit of Roles and ClusterRoles reports what a rule really grants: nonResourceURLs have no
 * resources, the special verbs are verbs, resourceNames narrow writes, and create is an
 * escalation only where the kind makes it one. Each message names the escalation.
 */

const rbac = 'rbac.authorization.k8s.io/v1';
const role = (...rules: object[]) => ({ apiVersion: rbac, kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules });
const clusterRole = (...rules: object[]) => ({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'r' }, rules });

/** "<rule> <field> <problem>" of every SW-RBAC finding on the objects. */
function rbacFindings(...objects: object[]): string[] {
  return audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith('SW-RBAC-')).map(f => `${f.rule.id} ${f.field} ${f.problem}`);
}

describe('nonResourceURLs', () => {
  test('a rule of nonResourceURLs has no resources by design', () => {
    expect(rbacFindings(clusterRole({ nonResourceURLs: ['/metrics'], verbs: ['get'] }))).toEqual([]);
  });
  test('a rule with neither resources nor nonResourceURLs grants nothing', () => {
    expect(rbacFindings(clusterRole({ apiGroups: [''], verbs: ['get'] }))).toEqual([expect.stringMatching(/^SW-RBAC-001 rules\[0\] .*resources or nonResourceURLs: it grants nothing/)]);
  });
  test('a wildcard verb on non-resource URLs names the URLs', () => {
    expect(rbacFindings(clusterRole({ nonResourceURLs: ['*'], verbs: ['*'] }))).toEqual([expect.stringMatching(/^SW-RBAC-001 rules\[0\]\.verbs .*every HTTP method on \*/)]);
  });
});

describe('the special verbs', () => {
  test.each([
    ['use', { apiGroups: ['policy'], resources: ['podsecuritypolicies'], verbs: ['use'] }],
    ['deletecollection', { apiGroups: [''], resources: ['configmaps'], verbs: ['deletecollection'] }],
    ['proxy', { apiGroups: [''], resources: ['services/proxy'], verbs: ['proxy'] }],
    ['a custom verb of an extension API server', { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['frobnicate'] }],
    ['bind limited to named roles', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] }],
    ['impersonate on a resource it does not apply to', { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'impersonate'] }],
  ])('%s: no finding', (_what, rule) => {
    expect(rbacFindings(role(rule))).toEqual([]);
  });
  test.each([
    ['bind on any role', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }, /bind lets it bind any Role or ClusterRole, cluster-admin included, to any subject/],
    ['bind naming cluster-admin', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['cluster-admin'] }, /bind lets it bind cluster-admin to any subject/],
    ['escalate, even on named roles', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'], resourceNames: ['app'] }, /write into the roles app permissions it does not hold/],
    ['impersonate', { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] }, /act as any serviceaccounts with their permissions/],
    ['create on serviceaccounts/token', { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'] }, /mints a token for any ServiceAccount of the namespace/],
    ['patch on pods/ephemeralcontainers', { apiGroups: [''], resources: ['pods/ephemeralcontainers'], verbs: ['patch'] }, /adds a container of its choosing to any Pod/],
    ['approve on the API server client signer', { apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['kubernetes.io/kube-apiserver-client'] }, /client certificates for any user or group, system:masters/],
  ])('%s: SW-RBAC-002 naming the escalation', (_what, rule, message) => {
    expect(rbacFindings(role(rule))).toEqual([expect.stringMatching(/^SW-RBAC-002 /)]);
    expect(rbacFindings(role(rule))[0]).toMatch(message);
  });
  test('narrowed by resourceNames: tokens of named ServiceAccounts, certificates of another signer', () => {
    expect(rbacFindings(role({ apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['self'] }))).toEqual([]);
    expect(rbacFindings(role({ apiGroups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], resourceNames: ['example.com/serving'] }))).toEqual([]);
  });
});

describe('Secrets', () => {
  const secrets = (verbs: string[], resourceNames?: string[]) => ({ apiGroups: [''], resources: ['secrets'], verbs, resourceNames });
  test('writes limited by resourceNames are narrower than writes to the kind', () => {
    expect(rbacFindings(role(secrets(['get', 'update', 'patch', 'delete'], ['app-tls'])))).toEqual([]);
    expect(rbacFindings(role(secrets(['get', 'update'])))).toEqual([expect.stringMatching(/^SW-RBAC-001 rules\[0\]\.verbs update on every Secret of the namespace lets the workload replace or remove the credentials other workloads read/)]);
  });
  test('resourceNames do not narrow deletecollection', () => {
    expect(rbacFindings(role(secrets(['deletecollection'], ['app-tls'])))).toEqual([expect.stringMatching(/^SW-RBAC-001 rules\[0\]\.verbs deletecollection on every Secret/)]);
  });
  test('create alone is not "replaces any credential"', () => {
    expect(rbacFindings(role(secrets(['create'])))).toEqual([]);
    // Reading only the Secrets it created is fine too.
    expect(rbacFindings(role(secrets(['create']), secrets(['get', 'patch'], ['mine'])))).toEqual([]);
  });
  test('create with read of every Secret, in one rule or two, mints ServiceAccount tokens', () => {
    const message = /^SW-RBAC-001 rules\[0\]\.verbs create and read on Secrets let the workload create a kubernetes.io\/service-account-token Secret for any ServiceAccount/;
    expect(rbacFindings(role(secrets(['get', 'create'])))).toEqual([expect.stringMatching(message)]);
    expect(rbacFindings(role(secrets(['create']), secrets(['get'])))).toEqual([expect.stringMatching(message)]);
  });
});

describe('one finding per rule', () => {
  test('a wildcard resource over several API groups is reported once', () => {
    const found = rbacFindings(clusterRole({ apiGroups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io'], resources: ['*'], verbs: ['get', 'list', 'watch', 'create'] }));
    expect(found).toEqual(['SW-RBAC-001 rules[0].resources a wildcard grants every resource of networking.istio.io, security.istio.io, telemetry.istio.io, and every kind they add']);
  });
  test('a wildcard subresource says which', () => {
    expect(rbacFindings(clusterRole({ apiGroups: ['example.com'], resources: ['*/finalizers'], verbs: ['update'] }))).toEqual(['SW-RBAC-001 rules[0].resources a wildcard grants the finalizers subresource of every resource']);
    expect(rbacFindings(clusterRole({ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['update'] }))).toEqual([]);
  });
});

describe('SW-RBAC-005: bindings of roles as good as cluster-admin', () => {
  const bind = { apiVersion: rbac, kind: 'ClusterRoleBinding', metadata: { name: 'b' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'sa', namespace: 'n' }] };
  const sw005 = (...rules: object[]) => audit([clusterRole(...rules), bind].map(object => ({ object }))).filter(f => f.rule.id === 'SW-RBAC-005').map(f => f.problem);
  test('a wildcard confined to named API groups is not cluster-admin', () => {
    expect(sw005({ apiGroups: ['custom.metrics.k8s.io'], resources: ['*'], verbs: ['*'] })).toEqual([]);
    expect(sw005({ apiGroups: ['networking.istio.io', 'security.istio.io'], resources: ['*'], verbs: ['get', 'create', 'delete'] })).toEqual([]);
  });
  test.each([
    [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'patch'] }, 'rules[0] grants every resource of every API group, now and as APIs are added'],
    [{ apiGroups: [''], resources: ['*'], verbs: ['get'] }, 'rules[0] grants every resource of the core API group (Secrets, Pods, ServiceAccounts)'],
    [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['*'] }, 'rules[0] may escalate or bind any role, and so grant itself any permission'],
  ])('%j is', (rule, why) => {
    expect(sw005(rule)).toEqual([`ClusterRole "r" is as good as cluster-admin: its ${why}`]);
  });
});
