import { ADMISSION_CHECKS } from '../src/admission/checks';
import { admissionPolicies } from '../src/admission/policies';
import { ADMISSION_MUTATIONS, MUTATING_V1BETA1_REQUIREMENT, mutatingApiVersion, mutatingPolicies, mutatingRefusal } from '../src/admission/mutating';
import { audit } from '../src/audit/engine';
import { Profile } from '../src/rules/profile';
import { KubernetesTarget } from '../src/target/target';
import { estimateCost, evaluatePolicy } from './support/admission-cel';
import { goodPodSpec, MUTATIONS, TEMPLATE_KINDS, wrap } from './support/admission-fixtures';
import { mergeApplyConfiguration, mutateUntilSettled, mutateWith } from './support/admission-mutation';
import { schemaErrors } from './support/k8s-schema';

/** The kinds the defaults are filled into: every kind with a Pod template but ReplicaSets (test/admission-updates.test.ts says why). */
const MUTATED_KINDS = TEMPLATE_KINDS.filter(k => k !== 'ReplicaSet');

/* eslint-disable @typescript-eslint/no-explicit-any */

const T36 = KubernetesTarget.version('1.36');
const MUTATING: any[] = mutatingPolicies(T36);
const mutating = (rule: string): any => MUTATING.find(o => o.kind === 'MutatingAdmissionPolicy' && o.metadata.labels['seaworthy.dev/rule'] === rule);
const validating = (rule: string): any => admissionPolicies(T36, { rules: [rule] }).find((o: any) => o.kind === 'ValidatingAdmissionPolicy');

/** The Pod spec inside `o`, whatever its kind. */
function podSpecOf(o: any): any {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'CronJob') return o.spec.jobTemplate.spec.template.spec;
  if (o.kind === 'PodTemplate') return o.template.spec;
  return o.spec.template.spec;
}

/** The rule's unwaived findings of `audit()` on the lone object. */
const auditFinds = (object: any, rule: string): boolean => audit([{ object }]).some(f => f.rule.id === rule && f.waived === undefined);

/** The good Pod spec with `change` made, in `kind`. */
function fixture(kind: string, change: (s: any, c: any) => void, annotations: Record<string, string> = {}): any {
  const spec = goodPodSpec();
  change(spec, spec.containers[0]);
  const o = wrap(kind, spec, annotations);
  // A DaemonSet has no replicas (the shared fixture gives every apps/v1 kind some).
  if (kind === 'DaemonSet') delete o.spec.replicas;
  return o;
}

const noSeccomp = (s: any) => { delete s.securityContext.seccompProfile; };
const noEscalationSetting = (s: any, c: any) => {
  delete c.securityContext.allowPrivilegeEscalation;
  s.initContainers = [{ name: 'migrate', image: c.image, securityContext: structuredClone(c.securityContext), resources: structuredClone(c.resources) }];
};

describe('API versions per target', () => {
  test('v1 on 1.36, v1beta1 on 1.34 and 1.35 with the feature gate named, none before', () => {
    expect(mutatingApiVersion(T36)).toBe('admissionregistration.k8s.io/v1');
    expect(mutatingApiVersion(KubernetesTarget.version('1.35'))).toBe('admissionregistration.k8s.io/v1beta1');
    expect(mutatingApiVersion(KubernetesTarget.version('1.34'))).toBe('admissionregistration.k8s.io/v1beta1');
    expect(mutatingApiVersion(KubernetesTarget.version('1.33'))).toBeUndefined();
    expect(MUTATING_V1BETA1_REQUIREMENT).toContain('--feature-gates=MutatingAdmissionPolicy=true');
  });

  test('refused on 1.33 and older, naming the first minor', () => {
    for (const v of ['1.28', '1.32', '1.33']) {
      expect(() => mutatingPolicies(KubernetesTarget.version(v))).toThrow(`mutating admission policies need Kubernetes 1.34 (admissionregistration.k8s.io/v1beta1, behind the MutatingAdmissionPolicy feature gate) or 1.36 (v1); the target is ${v}`);
    }
    expect(mutatingRefusal(KubernetesTarget.version('1.34'))).toBeUndefined();
  });

  test.each(['1.34', '1.35', '1.36'])('valid against the %s strict schema', version => {
    const objects = mutatingPolicies(KubernetesTarget.version(version));
    expect(objects.length).toBeGreaterThan(0);
    expect(schemaErrors(objects, version)).toEqual([]);
  });

  test('the v1 objects are not valid on 1.35 (the schema check has teeth)', () => {
    expect(schemaErrors(MUTATING.slice(0, 1), '1.35')).toEqual(['MutatingAdmissionPolicy/seaworthy-default-sw-sec-009: no Kubernetes 1.35 schema for admissionregistration.k8s.io/v1/MutatingAdmissionPolicy']);
  });
});

describe('the policies and their bindings', () => {
  test('one policy per default, tied to its rule; ApplyConfiguration, IfNeeded, Ignore', () => {
    const policies = MUTATING.filter(o => o.kind === 'MutatingAdmissionPolicy');
    expect(policies.map(p => [p.metadata.name, p.metadata.labels['seaworthy.dev/rule']])).toEqual([
      ['seaworthy-default-sw-sec-009', 'SW-SEC-009'], ['seaworthy-default-sw-sec-011', 'SW-SEC-011'],
    ]);
    for (const p of policies) {
      expect(p.spec.reinvocationPolicy).toBe('IfNeeded');
      expect(p.spec.failurePolicy).toBe('Ignore');
      expect(p.spec.mutations.every((m: any) => m.patchType === 'ApplyConfiguration')).toBe(true);
    }
  });

  test('controllers on CREATE and UPDATE, Pods on CREATE only, no subresource', () => {
    const rules = mutating('SW-SEC-009').spec.matchConstraints.resourceRules;
    expect(rules.find((r: any) => r.resources.includes('deployments')).operations).toEqual(['CREATE', 'UPDATE']);
    expect(rules.find((r: any) => r.resources.includes('pods')).operations).toEqual(['CREATE']);
    expect(rules.flatMap((r: any) => r.resources).filter((r: string) => r.includes('/'))).toEqual([]);
  });

  test('bindings per profile with the same namespace selectors as the validating bindings, system namespaces excluded', () => {
    const objects: any[] = mutatingPolicies(T36, { unlabelled: Profile.STAGING, rules: ['SW-SEC-009'] });
    const vBindings: any[] = admissionPolicies(T36, { unlabelled: Profile.STAGING, rules: ['SW-SEC-009'] }).filter((o: any) => o.kind === 'ValidatingAdmissionPolicyBinding');
    const mBindings = objects.filter(o => o.kind === 'MutatingAdmissionPolicyBinding');
    expect(mBindings.map(b => b.metadata.labels['seaworthy.dev/profile'])).toEqual(['production', 'staging', 'development']);
    for (const b of mBindings) {
      const v = vBindings.find(x => x.metadata.labels['seaworthy.dev/profile'] === b.metadata.labels['seaworthy.dev/profile']);
      expect(b.spec).toEqual({ policyName: 'seaworthy-default-sw-sec-009', matchResources: v.spec.matchResources });
    }
    expect(mBindings.find(b => b.metadata.name.endsWith('-staging')).spec.matchResources.namespaceSelector.matchExpressions).toEqual([
      { key: 'seaworthy.dev/profile', operator: 'NotIn', values: ['production', 'development'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-node-lease', 'kube-public', 'kube-system'] },
    ]);
  });

  test('every default names why it leaves no choice', () => {
    for (const m of ADMISSION_MUTATIONS) expect(m.choiceFree.length).toBeGreaterThan(40);
  });
});

describe('SW-SEC-009: seccomp RuntimeDefault on the Pod', () => {
  const policy = mutating('SW-SEC-009');
  const check = validating('SW-SEC-009');

  test.each(MUTATED_KINDS)('a %s without seccomp gets RuntimeDefault on its Pod; then the policy and the audit pass', kind => {
    const before = fixture(kind, noSeccomp);
    expect(evaluatePolicy(check, before).allowed).toBe(false);
    expect(auditFinds(before, 'SW-SEC-009')).toBe(true);
    const after = mutateUntilSettled(policy, before);
    expect(podSpecOf(after).securityContext).toEqual({ ...podSpecOf(before).securityContext, seccompProfile: { type: 'RuntimeDefault' } });
    // Nothing else changed.
    const restored = structuredClone(after);
    delete podSpecOf(restored).securityContext.seccompProfile;
    expect(restored).toEqual(before);
    expect(evaluatePolicy(check, after)).toEqual({ matched: true, allowed: true });
    expect(auditFinds(after, 'SW-SEC-009')).toBe(false);
    expect(schemaErrors([after], '1.36')).toEqual([]);
  });

  test('a Pod with no securityContext at all gets one', () => {
    const before = fixture('Deployment', s => { delete s.securityContext; });
    const after = mutateWith(policy, before).object;
    expect(podSpecOf(after).securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(evaluatePolicy(check, after).allowed).toBe(true);
  });

  test('a container\'s own profile is kept: its sibling without one is covered by the Pod\'s', () => {
    const before = fixture('Deployment', (s, c) => {
      noSeccomp(s);
      c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' };
      s.containers.push({ ...structuredClone(c), name: 'sidecar' });
      delete s.containers[1].securityContext.seccompProfile;
    });
    expect(evaluatePolicy(check, before).allowed).toBe(false);
    const after = mutateWith(policy, before).object;
    expect(podSpecOf(after).securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
    expect(podSpecOf(after).containers[0].securityContext.seccompProfile).toEqual({ type: 'Localhost', localhostProfile: 'profiles/app.json' });
    expect(evaluatePolicy(check, after).allowed).toBe(true);
    expect(auditFinds(after, 'SW-SEC-009')).toBe(false);
  });

  const untouched: ReadonlyArray<[string, any]> = [
    ['a Pod-level Localhost profile', fixture('Deployment', s => { s.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'p.json' }; })],
    ['a Pod-level Unconfined profile (a value someone set)', fixture('Deployment', s => { s.securityContext.seccompProfile = { type: 'Unconfined' }; })],
    ['every container with its own profile', fixture('Deployment', (s, c) => { noSeccomp(s); c.securityContext.seccompProfile = { type: 'Unconfined' }; })],
    ['a waived object', fixture('Deployment', noSeccomp, { 'waiver.seaworthy.dev/SW-SEC-009': 'runs strace' })],
    ['a waived container without a profile', fixture('Deployment', noSeccomp, { 'app.waiver.seaworthy.dev/SW-SEC-009': 'runs strace' })],
    ['a Windows Pod (the server refuses the field)', fixture('Pod', s => { noSeccomp(s); s.os = { name: 'windows' }; })],
    ['a Pod with the old seccomp annotation', (() => {
      const o = fixture('Pod', noSeccomp);
      o.metadata.annotations = { 'seccomp.security.alpha.kubernetes.io/pod': 'runtime/default' };
      return o;
    })()],
  ];

  test.each(untouched)('untouched: %s', (_name, before) => {
    const outcome = mutateWith(policy, before);
    expect(outcome.matched).toBe(true);
    expect(outcome.patches).toEqual([{}]);
    expect(outcome.object).toEqual(before);
  });

  test('a waived object stays as it is and passes through its waiver', () => {
    const before = fixture('Deployment', noSeccomp, { 'waiver.seaworthy.dev/SW-SEC-009': 'runs strace' });
    expect(mutateWith(policy, before).object).toEqual(before);
    expect(evaluatePolicy(check, before).allowed).toBe(true);
  });

  test('an object being deleted, a Service and a Pod update are not matched', () => {
    const deleting = fixture('Deployment', noSeccomp);
    deleting.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
    expect(mutateWith(policy, deleting).matched).toBe(false);
    expect(mutateWith(policy, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: {} }).matched).toBe(false);
    expect(mutateWith(policy, fixture('Pod', noSeccomp), 'UPDATE').matched).toBe(false);
    expect(mutateWith(policy, fixture('Deployment', noSeccomp), 'UPDATE').matched).toBe(true);
  });
});

describe('SW-SEC-011: allowPrivilegeEscalation false where unset', () => {
  const policy = mutating('SW-SEC-011');
  const check = validating('SW-SEC-011');

  test.each(MUTATED_KINDS)('a %s whose init and regular containers set nothing gets false on both; then the policy and the audit pass', kind => {
    const before = fixture(kind, noEscalationSetting);
    expect(evaluatePolicy(check, before).allowed).toBe(false);
    expect(auditFinds(before, 'SW-SEC-011')).toBe(true);
    const after = mutateUntilSettled(policy, before);
    for (const c of [...podSpecOf(after).containers, ...podSpecOf(after).initContainers]) expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
    // The other securityContext fields are kept (a merge, not a replacement).
    expect(podSpecOf(after).containers[0].securityContext).toEqual({ ...podSpecOf(before).containers[0].securityContext, allowPrivilegeEscalation: false });
    expect(evaluatePolicy(check, after)).toEqual({ matched: true, allowed: true });
    expect(auditFinds(after, 'SW-SEC-011')).toBe(false);
    expect(schemaErrors([after], '1.36')).toEqual([]);
  });

  test('containers are merged by name: order, other containers and their fields stay', () => {
    const before = fixture('Deployment', (s, c) => {
      s.containers.push({ ...structuredClone(c), name: 'proxy' });
      delete s.containers[1].securityContext.allowPrivilegeEscalation;
    });
    const after = mutateWith(policy, before).object;
    expect(podSpecOf(after).containers.map((c: any) => c.name)).toEqual(['app', 'proxy']);
    expect(podSpecOf(after).containers[1]).toEqual({ ...podSpecOf(before).containers[1], securityContext: { ...podSpecOf(before).containers[1].securityContext, allowPrivilegeEscalation: false } });
    expect(podSpecOf(after).initContainers).toBeUndefined();
  });

  const untouched: ReadonlyArray<[string, any]> = [
    ['allowPrivilegeEscalation: true (a value someone set)', fixture('Deployment', (_s, c) => { c.securityContext.allowPrivilegeEscalation = true; })],
    ['a privileged container (the server refuses false with it)', fixture('Deployment', (_s, c) => { delete c.securityContext.allowPrivilegeEscalation; c.securityContext.privileged = true; })],
    ['a container adding CAP_SYS_ADMIN (the server refuses false with it)', fixture('Deployment', (_s, c) => { delete c.securityContext.allowPrivilegeEscalation; c.securityContext.capabilities.add = ['CAP_SYS_ADMIN']; })],
    ['a waived object', fixture('StatefulSet', (_s, c) => { delete c.securityContext.allowPrivilegeEscalation; }, { 'waiver.seaworthy.dev/SW-SEC-011': 'sudo in the image' })],
    ['a waived container', fixture('Job', (_s, c) => { delete c.securityContext.allowPrivilegeEscalation; }, { 'app.waiver.seaworthy.dev/SW-SEC-011': 'sudo in the image' })],
    ['a Windows Pod', fixture('Pod', (s, c) => { delete c.securityContext.allowPrivilegeEscalation; s.os = { name: 'windows' }; })],
  ];

  test.each(untouched)('untouched: %s', (_name, before) => {
    const outcome = mutateWith(policy, before);
    expect(outcome.patches).toEqual([{}, {}]);
    expect(outcome.object).toEqual(before);
  });

  test('a waived container is left out, its unwaived sibling is set', () => {
    const before = fixture('Deployment', noEscalationSetting, { 'migrate.waiver.seaworthy.dev/SW-SEC-011': 'sudo in the image' });
    const after = mutateWith(policy, before).object;
    expect(podSpecOf(after).containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
    expect(podSpecOf(after).initContainers[0].securityContext.allowPrivilegeEscalation).toBeUndefined();
    expect(evaluatePolicy(check, after).allowed).toBe(true);
  });
});

describe('both defaults together', () => {
  test('a Deployment with neither setting passes every validating policy after both mutations', () => {
    const before = fixture('Deployment', (s, c) => { noSeccomp(s); noEscalationSetting(s, c); });
    let after = before;
    for (const p of MUTATING.filter(o => o.kind === 'MutatingAdmissionPolicy')) after = mutateUntilSettled(p, after);
    const denied = admissionPolicies(T36).filter((o: any) => o.kind === 'ValidatingAdmissionPolicy').filter(p => !evaluatePolicy(p, after).allowed).map((p: any) => p.metadata.name);
    expect(denied).toEqual([]);
    // The audit of the lone object also reports cross-object rules (no NetworkPolicy, no budget …); of the rules judged at admission it reports none.
    const atAdmission = new Set(ADMISSION_CHECKS.map(c => c.ruleId));
    expect(audit([{ object: before }]).filter(f => f.waived === undefined && atAdmission.has(f.rule.id)).map(f => f.rule.id).sort()).toEqual(['SW-SEC-009', 'SW-SEC-009', 'SW-SEC-011', 'SW-SEC-011']);
    expect(audit([{ object: after }]).filter(f => f.waived === undefined && atAdmission.has(f.rule.id)).map(f => f.rule.id)).toEqual([]);
  });
});

describe('test support: the apply merge', () => {
  test('maps merge field by field, container lists by name, other lists are replaced', () => {
    const live = { spec: { a: 1, containers: [{ name: 'x', image: 'i' }], args: ['a', 'b'] } };
    expect(mergeApplyConfiguration(live, { spec: { b: 2, containers: [{ name: 'x', tty: true }, { name: 'y' }], args: ['c'] } })).toEqual({
      spec: { a: 1, b: 2, containers: [{ name: 'x', image: 'i', tty: true }, { name: 'y' }], args: ['c'] },
    });
    expect(live.spec.containers).toEqual([{ name: 'x', image: 'i' }]);
  });
});

/** The paths at which `after` differs from `before` other than by adding fields or list items. */
function changedOrRemoved(before: any, after: any, at = ''): string[] {
  if (Array.isArray(before)) {
    if (!Array.isArray(after)) return [at];
    return before.flatMap((b, i) => changedOrRemoved(b, after[i], `${at}[${i}]`));
  }
  if (before !== null && typeof before === 'object') {
    if (after === null || typeof after !== 'object' || Array.isArray(after)) return [at];
    return Object.keys(before).flatMap(k => changedOrRemoved(before[k], after[k], `${at}.${k}`));
  }
  return before === after ? [] : [at];
}

describe('every fixture of the differential test', () => {
  const policies = MUTATING.filter(o => o.kind === 'MutatingAdmissionPolicy');
  const validatingPolicies: any[] = admissionPolicies(T36).filter((o: any) => o.kind === 'ValidatingAdmissionPolicy');

  test.each(MUTATIONS.map(m => [m.name, m]))('%s: the defaults only add fields, and no policy that passed fails after them', (_name, m) => {
    // One kind per place of the Pod spec (the others share the Deployment's).
    for (const kind of ['Deployment', 'CronJob', 'PodTemplate', 'Pod']) {
      const before = fixture(kind, (s, c) => m.apply(s, c));
      let after = before;
      for (const p of policies) after = mutateUntilSettled(p, after);
      expect(changedOrRemoved(before, after)).toEqual([]);
      const worse = validatingPolicies.filter(p => evaluatePolicy(p, before).allowed && !evaluatePolicy(p, after).allowed).map(p => p.metadata.name);
      expect(worse).toEqual([]);
      // A rule the fixture breaks stays broken unless it is one of the defaults' rules.
      if (m.breaks !== undefined && !ADMISSION_MUTATIONS.some(x => x.ruleId === m.breaks) && !evaluatePolicy(validating(m.breaks), before).allowed) {
        expect(evaluatePolicy(validating(m.breaks), after).allowed).toBe(false);
      }
    }
  });
});

describe('reinvocation', () => {
  test('a second run changes nothing; a container another plugin adds afterwards gets the default on reinvocation', () => {
    const policy = mutating('SW-SEC-011');
    const once = mutateWith(policy, fixture('Pod', noEscalationSetting)).object;
    expect(mutateWith(policy, once).patches).toEqual([{}, {}]);
    // A sidecar injector adds a container after the first run.
    const injected = structuredClone(once);
    injected.spec.containers.push({ name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.24.0', securityContext: { runAsUser: 1337 } });
    const settled = mutateUntilSettled(policy, injected);
    expect(settled.spec.containers[1].securityContext).toEqual({ runAsUser: 1337, allowPrivilegeEscalation: false });
  });
});

describe('CEL cost', () => {
  test('50 containers: every expression of the mutating policies within the per-call limit', () => {
    const sizes = { containers: 50, lists: 200, strings: 64 };
    for (const p of MUTATING.filter(o => o.kind === 'MutatingAdmissionPolicy')) {
      const expressions = [...p.spec.variables.map((v: any) => v.expression), ...p.spec.mutations.map((m: any) => m.applyConfiguration.expression), ...p.spec.matchConditions.map((c: any) => c.expression)];
      for (const e of expressions) expect(estimateCost(e, sizes)).toBeLessThan(1_000_000);
    }
  });
});
