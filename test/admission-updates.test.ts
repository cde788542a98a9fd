import { mutatingPolicies } from '../src/admission/mutating';
import { admissionPolicies } from '../src/admission/policies';
import { KubernetesTarget } from '../src/target/target';
import { evaluatePolicy } from './support/admission-cel';
import { goodPodSpec, wrap } from './support/admission-fixtures';
import { mutateWith } from './support/admission-mutation';
import { withRequester } from './support/admission-request';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Updates: judged when they change what a rule reads (so a running Pod cannot be walked around
 * by changing it), not when a controller updates what it owns of an object the policies admitted
 * earlier or that predates them (so rollouts and scaling keep working until the template changes).
 */

const T35 = KubernetesTarget.version('1.35');
const policyOf = (rule: string, target = T35): any => (admissionPolicies(target) as any[]).find(o => o.kind === 'ValidatingAdmissionPolicy' && o.metadata.labels['seaworthy.dev/rule'] === rule);
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** A ReplicaSet whose container is privileged (SW-SEC-006), as one made before the policies were installed. */
function legacyReplicaSet(): any {
  const spec = goodPodSpec();
  spec.containers[0].securityContext.privileged = true;
  return wrap('ReplicaSet', spec);
}

describe('updates', () => {
  test('the deployment controller scaling an old ReplicaSet down is not judged; a change to its Pod template is', () => {
    const old = legacyReplicaSet();
    const scaled = clone(old);
    scaled.spec.replicas = 0;
    const controller = 'system:serviceaccount:kube-system:deployment-controller';
    expect(withRequester({ username: controller }, () => evaluatePolicy(policyOf('SW-SEC-006'), scaled, 'UPDATE', undefined, old))).toEqual({ matched: false, allowed: true });
    const changed = clone(old);
    changed.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:1.2.4';
    expect(evaluatePolicy(policyOf('SW-SEC-006'), changed, 'UPDATE', undefined, old).allowed).toBe(false);
    // A CREATE is always judged.
    expect(evaluatePolicy(policyOf('SW-SEC-006'), old).allowed).toBe(false);
  });

  test('a metadata-only update (owner references, labels) of a Job made before the policies is not judged; removing its waiver is', () => {
    const policy = policyOf('SW-JOB-002');
    const old = wrap('Job', goodPodSpec(), { 'waiver.seaworthy.dev/SW-JOB-002': 'kept for the audit trail' });
    delete old.spec.ttlSecondsAfterFinished;
    const orphaned = clone(old);
    orphaned.metadata.labels = { team: 'shop' };
    orphaned.metadata.ownerReferences = [];
    expect(evaluatePolicy(policy, orphaned, 'UPDATE', undefined, old).matched).toBe(false);
    const unwaived = clone(old);
    delete unwaived.metadata.annotations;
    expect(evaluatePolicy(policy, unwaived, 'UPDATE', undefined, old).allowed).toBe(false);
  });

  test('a running Pod\'s image changed to :latest by a plain update is judged (SW-IMAGE-001); a label added to it is not', () => {
    const policy = policyOf('SW-IMAGE-001');
    const pod = wrap('Pod', goodPodSpec());
    expect(evaluatePolicy(policy, pod).allowed).toBe(true);
    const latest = clone(pod);
    latest.spec.containers[0].image = 'ghcr.io/acme/web:latest';
    expect(evaluatePolicy(policy, latest, 'UPDATE', undefined, pod).allowed).toBe(false);
    const legacy = clone(latest);
    const labelled = clone(legacy);
    labelled.metadata.labels = { ...labelled.metadata.labels, audited: 'no' };
    expect(evaluatePolicy(policy, labelled, 'UPDATE', undefined, legacy).matched).toBe(false);
  });

  test('pods/resize is matched by the resource rules from 1.33 (in-place resize), not before', () => {
    const pod = wrap('Pod', goodPodSpec());
    const resized = clone(pod);
    delete resized.spec.containers[0].resources.limits.memory;
    expect(evaluatePolicy(policyOf('SW-RES-004'), resized, 'UPDATE', 'resize', pod).allowed).toBe(false);
    expect(evaluatePolicy(policyOf('SW-RES-004', KubernetesTarget.version('1.32')), resized, 'UPDATE', 'resize', pod).matched).toBe(false);
    // Security rules do not look at resizes.
    expect(evaluatePolicy(policyOf('SW-SEC-006'), resized, 'UPDATE', 'resize', pod).matched).toBe(false);
  });

  test('roles: an update that leaves the rules alone is not judged; one that changes them is', () => {
    const policy = policyOf('SW-RBAC-001');
    const old = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'shop' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }] };
    const labelled = { ...clone(old), metadata: { ...old.metadata, labels: { team: 'shop' } } };
    expect(evaluatePolicy(policy, labelled, 'UPDATE', undefined, old).matched).toBe(false);
    const widened = clone(old);
    widened.rules[0].verbs = ['get', 'list'];
    expect(evaluatePolicy(policy, widened, 'UPDATE', undefined, old).allowed).toBe(false);
  });
});

describe('mutating policies and updates', () => {
  const T36 = KubernetesTarget.version('1.36');
  const escalation: any = mutatingPolicies(T36, { rules: ['SW-SEC-011'] }).find(o => o.kind === 'MutatingAdmissionPolicy');
  const unset = () => {
    const spec = goodPodSpec();
    delete spec.containers[0].securityContext.allowPrivilegeEscalation;
    return spec;
  };

  test('ReplicaSets are never mutated: the deployment controller finds its ReplicaSet by its template, and a changed one makes it create another', () => {
    expect(mutateWith(escalation, wrap('ReplicaSet', unset())).matched).toBe(false);
    expect(mutateWith(escalation, wrap('Deployment', unset())).object.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
  });

  test('an update that leaves the Pod template alone does not get the default (it would roll every Pod); one that changes the template does', () => {
    const old = wrap('Deployment', unset());
    const scaled = clone(old);
    scaled.spec.replicas = 5;
    expect(mutateWith(escalation, scaled, 'UPDATE', old).matched).toBe(false);
    const changed = clone(old);
    changed.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:1.2.4';
    expect(mutateWith(escalation, changed, 'UPDATE', old).object.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
  });
});
