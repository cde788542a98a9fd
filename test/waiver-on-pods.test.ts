import { admissionPolicies } from '../src/admission/policies';
import { audit } from '../src/audit/engine';
import { KubernetesTarget } from '../src/target/target';
import { auditAnnotationsOf, evaluatePolicy } from './support/admission-cel';
import { goodPodSpec, wrap } from './support/admission-fixtures';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * SW-WAIVER-002: a workload's waiver of a rule that also judges Pods must be on its Pod template,
 * which is what its Pods carry; on the workload alone it waives the workload and not its Pods.
 */

const KEY = 'waiver.seaworthy.dev/SW-SEC-006';
const privileged = () => {
  const spec = goodPodSpec();
  spec.containers[0].securityContext.privileged = true;
  return spec;
};
const ruleIds = (object: any) => audit([{ object }]).filter(f => f.waived === undefined).map(f => f.rule.id);

test('a waiver on the Deployment alone: SW-WAIVER-002 on the Deployment, and the policy admits it but refuses the Pods made from its template', () => {
  const deployment = wrap('Deployment', privileged(), { [KEY]: 'the CNI agent needs it' });
  const findings = audit([{ object: deployment }]).filter(f => f.rule.id === 'SW-WAIVER-002');
  expect(findings.map(f => [f.field, f.value])).toEqual([['spec.template.metadata.annotations', JSON.stringify(KEY)]]);
  expect(ruleIds(deployment)).not.toContain('SW-SEC-006');
  const policy: any = (admissionPolicies(KubernetesTarget.version('1.35'), { rules: ['SW-SEC-006'] }) as any[]).find(o => o.kind === 'ValidatingAdmissionPolicy');
  expect(evaluatePolicy(policy, deployment).allowed).toBe(true);
  const pod = wrap('Pod', deployment.spec.template.spec, deployment.spec.template.metadata.annotations ?? {});
  expect(evaluatePolicy(policy, pod).allowed).toBe(false);
});

test('the same waiver on the Pod template too: no SW-WAIVER-002, and the Pods pass', () => {
  const deployment = wrap('Deployment', privileged(), { [KEY]: 'the CNI agent needs it' });
  deployment.spec.template.metadata.annotations = { [KEY]: 'the CNI agent needs it' };
  expect(ruleIds(deployment)).not.toContain('SW-WAIVER-002');
  const policy: any = (admissionPolicies(KubernetesTarget.version('1.35'), { rules: ['SW-SEC-006'] }) as any[]).find(o => o.kind === 'ValidatingAdmissionPolicy');
  expect(evaluatePolicy(policy, wrap('Pod', deployment.spec.template.spec, deployment.spec.template.metadata.annotations)).allowed).toBe(true);
});

test('container-scoped waivers, JSON-list waivers and CronJobs are read the same way; waivers of rules that do not judge Pods are not reported', () => {
  const cron = wrap('CronJob', privileged(), { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-SEC-006', reason: 'x', container: 'app' }]) });
  const f = audit([{ object: cron }]).filter(x => x.rule.id === 'SW-WAIVER-002');
  expect(f.map(x => [x.field, x.value])).toEqual([['spec.jobTemplate.spec.template.metadata.annotations', JSON.stringify('app.waiver.seaworthy.dev/SW-SEC-006')]]);
  const job = wrap('Job', goodPodSpec(), { 'waiver.seaworthy.dev/SW-JOB-002': 'cleaned up by the pipeline' });
  expect(ruleIds(job)).not.toContain('SW-WAIVER-002');
});

test('the audit log records a container-scoped waiver as it records the object\'s own (audit annotation waived-containers)', () => {
  const spec = privileged();
  spec.containers[0].name = 'agent';
  const deployment = wrap('Deployment', spec, { 'agent.waiver.seaworthy.dev/SW-SEC-006': 'loads a kernel module' });
  const policy: any = (admissionPolicies(KubernetesTarget.version('1.35'), { rules: ['SW-SEC-006'] }) as any[]).find(o => o.kind === 'ValidatingAdmissionPolicy');
  expect(evaluatePolicy(policy, deployment).allowed).toBe(true);
  expect(auditAnnotationsOf(policy, deployment)).toEqual({ 'rule': 'SW-SEC-006', 'waived-containers': 'agent: loads a kernel module' });
  expect(auditAnnotationsOf(policy, wrap('Deployment', goodPodSpec()))).toEqual({ rule: 'SW-SEC-006' });
  const whole = wrap('Deployment', privileged(), { [KEY]: 'the CNI agent needs it' });
  expect(auditAnnotationsOf(policy, whole)).toEqual({ rule: 'SW-SEC-006', waived: 'the CNI agent needs it' });
});
