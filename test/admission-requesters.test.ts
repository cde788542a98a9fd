import { admissionPolicies } from '../src/admission/policies';
import { mutatingPolicies } from '../src/admission/mutating';
import { run } from '../src/cli/main';
import { waiverAnnotationKey } from '../src/rules/waiver';
import { KubernetesTarget } from '../src/target/target';
import { evaluatePolicy } from './support/admission-cel';
import { goodPodSpec, wrap } from './support/admission-fixtures';
import { mutateWith } from './support/admission-mutation';
import { AuthzCheck, withRequester } from './support/cel-authorizer';
import { schemaErrors } from './support/k8s-schema';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Waivers teams cannot give themselves: with `authorizedWaivers`, a waiver annotation counts only
 * when the requester may `use` the resource `waivers.seaworthy.dev` named after the rule, as the
 * CEL authorizer answers it (here from test/support/cel-authorizer.ts, standing in for RBAC).
 */

const T = KubernetesTarget.version('1.35');
const policyOf = (objects: any[], rule: string): any => objects.find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.labels['seaworthy.dev/rule'] === rule);
const AUTHORIZED: any[] = admissionPolicies(T, { authorizedWaivers: true });
const OPEN: any[] = admissionPolicies(T);

/** A Deployment in namespace shop whose container is privileged (SW-SEC-006), with `annotations` on the Deployment. */
function privileged(annotations: Record<string, string>): any {
  const spec = goodPodSpec();
  spec.containers[0].securityContext.privileged = true;
  return wrap('Deployment', spec, annotations);
}
const WAIVED = privileged({ [waiverAnnotationKey('SW-SEC-006')]: 'the CNI agent needs the host network stack' });

/** A requester allowed exactly `allowed` (group, resource, namespace, name, verb). */
function may(...allowed: AuthzCheck[]) {
  const asked: AuthzCheck[] = [];
  return {
    asked,
    may: (c: AuthzCheck) => {
      asked.push(c);
      return allowed.some(a => JSON.stringify(a) === JSON.stringify(c));
    },
  };
}
const USE_SEC_006_IN_SHOP: AuthzCheck = { group: 'seaworthy.dev', resource: 'waivers', namespace: 'shop', name: 'SW-SEC-006', verb: 'use' };

describe('authorized waivers', () => {
  test('off (the default): every waiver with a reason counts, whoever sends it; the authorizer is never asked', () => {
    const r = may();
    const outcome = withRequester({ username: 'alice', may: r.may }, () => evaluatePolicy(policyOf(OPEN, 'SW-SEC-006'), WAIVED));
    expect(outcome).toEqual({ matched: true, allowed: true });
    expect(r.asked).toEqual([]);
    expect(policyOf(OPEN, 'SW-SEC-006').spec.variables[0]).toEqual({ name: 'waiverAllowed', expression: 'true' });
  });

  test('a requester who may not use the waiver is denied, and the refusal is recorded for the audit log', () => {
    const policy = policyOf(AUTHORIZED, 'SW-SEC-006');
    const r = may();
    const outcome = withRequester({ username: 'alice', may: r.may }, () => evaluatePolicy(policy, WAIVED));
    expect(outcome.allowed).toBe(false);
    expect(outcome.message).toContain('SW-SEC-006');
    // The question asked is exactly the one a Role can grant.
    expect(r.asked).toContainEqual(USE_SEC_006_IN_SHOP);
    expect(policy.spec.auditAnnotations.map((a: any) => a.key)).toEqual(['rule', 'waived', 'waiver-refused']);
  });

  test('a requester granted use of waivers/SW-SEC-006 in the namespace passes; a grant for another rule or namespace does not', () => {
    const policy = policyOf(AUTHORIZED, 'SW-SEC-006');
    expect(withRequester({ username: 'lead', may: may(USE_SEC_006_IN_SHOP).may }, () => evaluatePolicy(policy, WAIVED).allowed)).toBe(true);
    expect(withRequester({ username: 'lead', may: may({ ...USE_SEC_006_IN_SHOP, name: 'SW-SEC-004' }).may }, () => evaluatePolicy(policy, WAIVED).allowed)).toBe(false);
    expect(withRequester({ username: 'lead', may: may({ ...USE_SEC_006_IN_SHOP, namespace: 'other' }).may }, () => evaluatePolicy(policy, WAIVED).allowed)).toBe(false);
    expect(withRequester({ username: 'lead', may: may({ ...USE_SEC_006_IN_SHOP, verb: 'get' }).may }, () => evaluatePolicy(policy, WAIVED).allowed)).toBe(false);
  });

  test('container-scoped waivers need the same grant', () => {
    const policy = policyOf(AUTHORIZED, 'SW-SEC-006');
    const object = privileged({ [waiverAnnotationKey('SW-SEC-006', 'app')]: 'debugging agent' });
    object.spec.template.spec.containers[0].name = 'app';
    expect(withRequester({ username: 'alice', may: may().may }, () => evaluatePolicy(policy, object).allowed)).toBe(false);
    expect(withRequester({ username: 'lead', may: may(USE_SEC_006_IN_SHOP).may }, () => evaluatePolicy(policy, object).allowed)).toBe(true);
  });

  test('Pods created by kube-system controllers carry their owner\'s waiver without a grant; Pods sent by users do not', () => {
    const policy = policyOf(AUTHORIZED, 'SW-SEC-006');
    const spec = goodPodSpec();
    spec.containers[0].securityContext.privileged = true;
    const pod = wrap('Pod', spec, { [waiverAnnotationKey('SW-SEC-006')]: 'the CNI agent needs the host network stack' });
    expect(withRequester({ username: 'system:serviceaccount:kube-system:replicaset-controller' }, () => evaluatePolicy(policy, pod).allowed)).toBe(true);
    expect(withRequester({ username: 'system:serviceaccount:shop:deployer' }, () => evaluatePolicy(policy, pod).allowed)).toBe(false);
    // Without a waiver, even a controller's Pod is judged.
    const bare = wrap('Pod', spec);
    expect(withRequester({ username: 'system:serviceaccount:kube-system:replicaset-controller' }, () => evaluatePolicy(policy, bare).allowed)).toBe(false);
  });

  test('cluster-scoped objects ask for a cluster-wide grant (no namespace)', () => {
    const policy = policyOf(AUTHORIZED, 'SW-RBAC-002');
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'binder', annotations: { [waiverAnnotationKey('SW-RBAC-002')]: 'the platform operator binds roles' } },
      rules: [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }],
    };
    const clusterWide: AuthzCheck = { group: 'seaworthy.dev', resource: 'waivers', namespace: '', name: 'SW-RBAC-002', verb: 'use' };
    expect(withRequester({ username: 'alice', may: may().may }, () => evaluatePolicy(policy, role).allowed)).toBe(false);
    expect(withRequester({ username: 'admin', may: may(clusterWide).may }, () => evaluatePolicy(policy, role).allowed)).toBe(true);
  });

  test('every authorized policy validates against the target\'s strict schema, and unwaived objects are judged as before', () => {
    expect(schemaErrors(AUTHORIZED, '1.35')).toEqual([]);
    const unwaived = privileged({});
    for (const policies of [OPEN, AUTHORIZED]) {
      expect(withRequester({ username: 'alice' }, () => evaluatePolicy(policyOf(policies, 'SW-SEC-006'), unwaived).allowed)).toBe(false);
      expect(withRequester({ username: 'alice' }, () => evaluatePolicy(policyOf(policies, 'SW-SEC-006'), wrap('Deployment', goodPodSpec())).allowed)).toBe(true);
    }
  });

  test('mutating policies: a waiver the requester may not use does not keep the default out', () => {
    const T36 = KubernetesTarget.version('1.36');
    const policy: any = mutatingPolicies(T36, { authorizedWaivers: true, rules: ['SW-SEC-011'] }).find(o => o.kind === 'MutatingAdmissionPolicy');
    const spec = goodPodSpec();
    delete spec.containers[0].securityContext.allowPrivilegeEscalation;
    const object = wrap('Deployment', spec, { [waiverAnnotationKey('SW-SEC-011')]: 'a setuid helper' });
    const escalation = (o: any) => o.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation;
    expect(withRequester({ username: 'alice' }, () => escalation(mutateWith(policy, object).object))).toBe(false);
    const grant: AuthzCheck = { group: 'seaworthy.dev', resource: 'waivers', namespace: 'shop', name: 'SW-SEC-011', verb: 'use' };
    expect(withRequester({ username: 'lead', may: may(grant).may }, () => escalation(mutateWith(policy, object).object))).toBeUndefined();
  });

  test('seaworthy admission --authorized-waivers writes the authorizer check; without it, none', () => {
    const out = (args: string[]) => {
      let stdout = '';
      const code = run(['admission', '--kubernetes-version', '1.35', '--rules', 'SW-SEC-006', ...args], { stdout: t => { stdout += t; }, stderr: () => undefined, isTty: false });
      expect(code).toBe(0);
      return stdout;
    };
    expect(out(['--authorized-waivers'])).toContain(".resource('waivers')");
    expect(out([])).not.toContain('authorizer');
  });
});

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
