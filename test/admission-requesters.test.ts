import { admissionPolicies } from '../src/admission/policies';
import { KubernetesTarget } from '../src/target/target';
import { evaluatePolicy } from './support/admission-cel';
import { withRequester } from './support/admission-request';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Who sends a request decides, for a few senders, whether a policy looks at it at all. */

const policyOf = (objects: any[], rule: string): any => objects.find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.labels['seaworthy.dev/rule'] === rule);
const OPEN: any[] = admissionPolicies(KubernetesTarget.version('1.35'));

describe('requests the policies leave alone', () => {
  const WILDCARD = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'cluster-admin' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }, { nonResourceURLs: ['*'], verbs: ['*'] }] };

  test('the API server reconciling its built-in ClusterRoles (cluster-admin, system:controller:*) is not judged; anyone else writing the same role is', () => {
    const policy = policyOf(OPEN, 'SW-RBAC-001');
    expect(withRequester({ username: 'system:apiserver' }, () => evaluatePolicy(policy, WILDCARD))).toEqual({ matched: false, allowed: true });
    expect(withRequester({ username: 'alice' }, () => evaluatePolicy(policy, WILDCARD).allowed)).toBe(false);
  });

  test('the aggregation controller filling in an aggregated ClusterRole is not judged; the same controller writing another role is, and so is anyone writing an aggregated one', () => {
    const policy = policyOf(OPEN, 'SW-RBAC-001');
    const aggregated = { ...WILDCARD, metadata: { name: 'monitoring' }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }] } };
    const controller = 'system:serviceaccount:kube-system:clusterrole-aggregation-controller';
    expect(withRequester({ username: controller }, () => evaluatePolicy(policy, aggregated, 'UPDATE').matched)).toBe(false);
    expect(withRequester({ username: controller }, () => evaluatePolicy(policy, WILDCARD, 'UPDATE').allowed)).toBe(false);
    expect(withRequester({ username: 'alice' }, () => evaluatePolicy(policy, aggregated).allowed)).toBe(false);
  });
});
