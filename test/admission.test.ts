import * as fs from 'fs';
import * as path from 'path';
import { ADMISSION_CHECKS } from '../src/admission/checks';
import { COMMAND_LINE_OK, HANDLERS_OK } from '../src/admission/shell-args-cel';
import { shellScriptArgsProblem } from '../src/rules/families/containers';
import { admissionEligibilities, admissionEligibility, admissionSummary, ELIGIBLE_NOT_GENERATED, NOT_ELIGIBLE, NOT_WRITTEN } from '../src/admission/eligibility';
import { actionsOf, admissionApiVersion, admissionPolicies, MESSAGE_LIMIT, policyBindings, PROFILE_LABEL, SYSTEM_NAMESPACES, V1BETA1_REQUIREMENT } from '../src/admission/policies';
import { RULES_BY_ID } from '../src/rules/catalog';
import { Profile } from '../src/rules/profile';
import { Rule, Severity } from '../src/rules/rule';
import { KubernetesTarget } from '../src/target/target';
import { audit } from '../src/audit/engine';
import { estimateCost, evaluateCel, evaluatePolicy } from './support/admission-cel';
import { goodPodSpec, wrap } from './support/admission-fixtures';
import { schemaErrors } from './support/k8s-schema';

/* eslint-disable @typescript-eslint/no-explicit-any */

const T35 = KubernetesTarget.version('1.35');
const ALL: any[] = admissionPolicies(T35);
const policies = ALL.filter(o => o.kind === 'ValidatingAdmissionPolicy');
const bindings = ALL.filter(o => o.kind === 'ValidatingAdmissionPolicyBinding');

describe('eligibility', () => {
  test('the tables hold single-object rules of the catalog only, and no rule twice', () => {
    const listed = [...Object.keys(NOT_ELIGIBLE), ...Object.keys(ELIGIBLE_NOT_GENERATED), ...ADMISSION_CHECKS.map(c => c.ruleId)];
    expect(listed.filter(id => !RULES_BY_ID.has(id))).toEqual([]);
    expect(listed.filter(id => RULES_BY_ID.get(id)?.scope !== 'object')).toEqual([]);
    expect(listed.length).toBe(new Set(listed).size);
  });

  test('a generated rule is eligible; a defaulted one, a cross-object, a props-only and a diff one are not, with their reason', () => {
    expect(admissionEligibility(RULES_BY_ID.get('SW-SEC-006')!)).toEqual({ eligible: true, generated: true });
    expect(admissionEligibility(RULES_BY_ID.get('SW-HPA-001')!)).toEqual({ eligible: false, generated: false, reason: 'defaulted by the server before admission: minReplicas (1)' });
    expect(admissionEligibility(RULES_BY_ID.get('SW-PDB-001')!)).toMatchObject({ eligible: false, reason: expect.stringMatching(/^cross-object: /) });
    expect(admissionEligibility(RULES_BY_ID.get('SW-SEC-019')!).reason).toMatch(/^props-only/);
    expect(admissionEligibility(RULES_BY_ID.get('SW-DIFF-001')!).reason).toMatch(/^diff-only/);
  });

  test('the scope decides by default: a new single-object rule in no table is eligible, not generated yet', () => {
    const fresh: Rule = { ...RULES_BY_ID.get('SW-SEC-006')!, id: 'SW-NEW-001', scope: 'object' };
    expect(admissionEligibility(fresh)).toEqual({ eligible: true, generated: false, reason: NOT_WRITTEN });
    expect(admissionEligibility({ ...fresh, scope: 'objects' }).eligible).toBe(false);
    expect(admissionEligibility({ ...fresh, scope: 'change' }).reason).toMatch(/^diff-only/);
    expect(admissionEligibility({ ...fresh, scope: 'output' }).reason).toMatch(/^props-only/);
  });

  test('the docs line says generated, eligible later or not eligible with the reason', () => {
    expect(admissionSummary(RULES_BY_ID.get('SW-SEC-006')!)).toBe('generated (policy `seaworthy-sw-sec-006`)');
    expect(admissionSummary(RULES_BY_ID.get('SW-HPA-001')!)).toBe('not eligible: defaulted by the server before admission: minReplicas (1)');
    expect(admissionSummary({ ...RULES_BY_ID.get('SW-SEC-006')!, id: 'SW-NEW-001' })).toBe(`eligible, not generated yet (${NOT_WRITTEN})`);
    expect(admissionEligibilities().every(e => e.eligibility.generated || e.eligibility.reason !== undefined)).toBe(true);
  });
});

describe('policies', () => {
  test('one ValidatingAdmissionPolicy per generated rule, named and labelled after its id', () => {
    expect(policies.map(p => p.metadata.name)).toEqual(ADMISSION_CHECKS.map(c => `seaworthy-${c.ruleId.toLowerCase()}`));
    expect(policies.find(p => p.metadata.name === 'seaworthy-sw-sec-006').metadata.labels).toEqual({ 'seaworthy.dev/rule': 'SW-SEC-006' });
  });

  test('failurePolicy Fail, reason Forbidden, a static message with id, title and fix, and the rule id as audit annotation', () => {
    const p = policies.find(x => x.metadata.name === 'seaworthy-sw-sec-006');
    expect(p.spec.failurePolicy).toBe('Fail');
    expect(p.spec.validations[0].reason).toBe('Forbidden');
    expect(p.spec.validations[0].message).toBe(`SW-SEC-006 (Containers are not privileged): fix: ${RULES_BY_ID.get('SW-SEC-006')!.fix}`);
    expect(p.spec.auditAnnotations[0]).toEqual({ key: 'rule', valueExpression: "'SW-SEC-006'" });
  });

  test('container rules match the ephemeral containers subresource; workload rules match controllers and Pods', () => {
    const p = policies.find(x => x.metadata.name === 'seaworthy-sw-sec-006');
    const resources = p.spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources);
    expect(resources).toEqual(expect.arrayContaining(['deployments', 'cronjobs', 'pods', 'pods/ephemeralcontainers']));
    const res = policies.find(x => x.metadata.name === 'seaworthy-sw-res-004').spec.matchConstraints.resourceRules.flatMap((r: any) => r.resources);
    expect(res).not.toContain('pods/ephemeralcontainers');
  });

  test('the ephemeral containers subresource cannot add a privileged container past the policy', () => {
    const p = policies.find(x => x.metadata.name === 'seaworthy-sw-sec-006');
    const pod = wrap('Pod', { ...goodPodSpec(), ephemeralContainers: [{ name: 'debug', image: 'busybox:1.36', securityContext: { privileged: true } }] });
    expect(evaluatePolicy(p, pod, 'UPDATE', 'ephemeralcontainers')).toEqual({ matched: true, allowed: false, message: expect.stringContaining('container(s) debug is privileged') });
    expect(evaluatePolicy(p, wrap('Pod', goodPodSpec()), 'UPDATE', 'ephemeralcontainers').allowed).toBe(true);
  });

  test('the messageExpression is capped', () => {
    const p = policies.find(x => x.metadata.name === 'seaworthy-sw-sec-006');
    const spec = goodPodSpec();
    spec.containers = Array.from({ length: 60 }, (_, i) => ({ ...spec.containers[0], name: `container-with-a-long-name-${i}`, securityContext: { privileged: true } }));
    const outcome = evaluatePolicy(p, wrap('Deployment', spec));
    expect(outcome.message!.length).toBe(MESSAGE_LIMIT);
    expect(outcome.message!.endsWith('…')).toBe(true);
    spec.containers = spec.containers.slice(0, 2);
    expect(evaluatePolicy(p, wrap('Deployment', spec)).message!.endsWith('…')).toBe(false);
  });

  test('admissionregistration.k8s.io/v1 from 1.30, v1beta1 on 1.28 and 1.29 with the feature gate named', () => {
    expect(admissionApiVersion(KubernetesTarget.version('1.30'))).toBe('admissionregistration.k8s.io/v1');
    expect(admissionApiVersion(KubernetesTarget.version('1.29'))).toBe('admissionregistration.k8s.io/v1beta1');
    expect(admissionApiVersion(KubernetesTarget.version('1.28'))).toBe('admissionregistration.k8s.io/v1beta1');
    expect(V1BETA1_REQUIREMENT).toContain('ValidatingAdmissionPolicy=true');
  });

  test.each(['1.28', '1.29', '1.30', '1.35', '1.36'])('valid against the %s strict schema', version => {
    expect(schemaErrors(admissionPolicies(KubernetesTarget.version(version)), version)).toEqual([]);
  });

  test('an unknown rule id is refused, naming the rules that have a policy', () => {
    expect(() => admissionPolicies(T35, { rules: ['SW-REPLICAS-002'] })).toThrow(/rule "SW-REPLICAS-002" has no admission policy; rules with one: SW-SEC-001, /);
    expect(admissionPolicies(T35, { rules: ['SW-SEC-006'] }).map(o => o.kind)).toEqual(['ValidatingAdmissionPolicy', ...Array(6).fill('ValidatingAdmissionPolicyBinding')]);
  });
});

describe('bindings by profile', () => {
  test('error → [Deny, Audit], warning → [Warn, Audit], info → [Audit]', () => {
    expect(actionsOf(Severity.ERROR)).toEqual(['Deny', 'Audit']);
    expect(actionsOf(Severity.WARNING)).toEqual(['Warn', 'Audit']);
    expect(actionsOf(Severity.INFO)).toEqual(['Audit']);
  });

  test('every Deny binding has a sibling Warn binding for the same namespaces', () => {
    const deny = bindings.filter(b => b.spec.validationActions.includes('Deny'));
    expect(deny.length).toBeGreaterThan(0);
    for (const d of deny) {
      const sibling = bindings.find(b => b.metadata.name === `${d.metadata.name}-warn`);
      expect(sibling.spec).toEqual({ ...d.spec, validationActions: ['Warn'] });
    }
  });

  test('SW-SEC-003, a hardening warning, warns under every profile', () => {
    const check = ADMISSION_CHECKS.find(c => c.ruleId === 'SW-SEC-003')!;
    const actions = Object.fromEntries(policyBindings(check, T35).map((b: any) => [b.metadata.labels[PROFILE_LABEL], b.spec.validationActions]));
    expect(actions).toEqual({ production: ['Warn', 'Audit'], staging: ['Warn', 'Audit'], development: ['Warn', 'Audit'] });
  });

  test('an availability rule is off in development: no binding there', () => {
    const check = ADMISSION_CHECKS.find(c => c.ruleId === 'SW-RES-005')!;
    expect(policyBindings(check, T35).map((b: any) => b.metadata.labels[PROFILE_LABEL])).toEqual(['production', 'staging']);
  });

  test('a cluster-scoped PersistentVolume rule is bound under the unlabelled profile only; a Namespace rule under every profile', () => {
    const pv = ADMISSION_CHECKS.find(c => c.ruleId === 'SW-PV-003')!;
    expect(policyBindings(pv, T35, { unlabelled: Profile.STAGING }).map((b: any) => b.metadata.name)).toEqual(['seaworthy-sw-pv-003-staging', 'seaworthy-sw-pv-003-staging-warn']);
    const ns = ADMISSION_CHECKS.find(c => c.ruleId === 'SW-NS-004')!;
    expect(policyBindings(ns, T35).map((b: any) => b.metadata.labels[PROFILE_LABEL])).toEqual(['production', 'staging', 'development']);
  });

  test('unlabelled namespaces get the production profile unless told otherwise; system namespaces none', () => {
    const check = ADMISSION_CHECKS.find(c => c.ruleId === 'SW-SEC-006')!;
    const selectorOf = (bs: any[], profile: string) => bs.find(b => b.metadata.name === `seaworthy-sw-sec-006-${profile}`).spec.matchResources.namespaceSelector.matchExpressions;
    const byDefault = policyBindings(check, T35);
    expect(selectorOf(byDefault, 'production')).toEqual([
      { key: PROFILE_LABEL, operator: 'NotIn', values: ['staging', 'development'] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...SYSTEM_NAMESPACES] },
    ]);
    expect(selectorOf(byDefault, 'staging')[0]).toEqual({ key: PROFILE_LABEL, operator: 'In', values: ['staging'] });
    const dev = policyBindings(check, T35, { unlabelled: Profile.DEVELOPMENT });
    expect(selectorOf(dev, 'development')[0]).toEqual({ key: PROFILE_LABEL, operator: 'NotIn', values: ['production', 'staging'] });
    expect(selectorOf(dev, 'production')[0]).toEqual({ key: PROFILE_LABEL, operator: 'In', values: ['production'] });
  });

  test('ClusterRoleBindings and ClusterRoles are judged under the unlabelled profile only; RoleBindings under their namespace\'s', () => {
    const check = ADMISSION_CHECKS.find(c => c.ruleId === 'SW-SA-003')!;
    const excluded = (bs: any[], profile: string) => bs.filter(b => b.metadata.labels['seaworthy.dev/profile'] === profile).map(b => b.spec.matchResources.excludeResourceRules?.[0]?.resources);
    const dev = policyBindings(check, T35, { unlabelled: Profile.DEVELOPMENT }) as any[];
    expect(excluded(dev, 'development')).toEqual([undefined]);
    expect(excluded(dev, 'production')).toEqual([['clusterrolebindings'], ['clusterrolebindings']]);
    expect(excluded(policyBindings(check, T35) as any[], 'production')).toEqual([undefined, undefined]);
    expect(excluded(policyBindings(ADMISSION_CHECKS.find(c => c.ruleId === 'SW-RBAC-002')!, T35) as any[], 'staging')).toEqual([['clusterroles'], ['clusterroles']]);
    // Pod rules exclude nothing.
    expect((policyBindings(ADMISSION_CHECKS.find(c => c.ruleId === 'SW-SEC-006')!, T35) as any[]).every(b => b.spec.matchResources.excludeResourceRules === undefined)).toBe(true);
  });
});

describe('target-dependent rules', () => {
  const on = (version: string, rule: string) => admissionPolicies(KubernetesTarget.version(version), { rules: [rule] }).find((o: any) => o.kind === 'ValidatingAdmissionPolicy');
  const withSysctl = (name: string) => {
    const spec = goodPodSpec();
    spec.securityContext.sysctls = [{ name, value: '600' }];
    return wrap('Deployment', spec);
  };

  test('SW-SEC-013 uses the safe sysctls of the target: tcp_keepalive_time from 1.29', () => {
    expect(evaluatePolicy(on('1.28', 'SW-SEC-013'), withSysctl('net.ipv4.tcp_keepalive_time')).allowed).toBe(false);
    expect(evaluatePolicy(on('1.29', 'SW-SEC-013'), withSysctl('net.ipv4.tcp_keepalive_time')).allowed).toBe(true);
    expect(evaluatePolicy(on('1.29', 'SW-SEC-013'), withSysctl('net.ipv4.tcp_rmem')).allowed).toBe(false);
    expect(evaluatePolicy(on('1.32', 'SW-SEC-013'), withSysctl('net.ipv4.tcp_rmem')).allowed).toBe(true);
  });

  test('SW-SEC-018 judges a probe host alike on every target, as the audit does: the target changes only its wording', () => {
    const spec = goodPodSpec();
    spec.containers[0].readinessProbe.httpGet.host = '10.0.0.1';
    for (const version of ['1.28', '1.33', '1.34', '1.36'] as const) {
      expect(evaluatePolicy(on(version, 'SW-SEC-018'), wrap('Deployment', spec)).allowed).toBe(false);
      expect(audit([{ object: wrap('Deployment', spec) }], { kubernetesVersion: version }).some(f => f.rule.id === 'SW-SEC-018')).toBe(true);
    }
  });

  test('SW-SEC-015 judges the appArmorProfile field from 1.30 only, the annotations on every target', () => {
    const spec = goodPodSpec();
    spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' };
    expect(evaluatePolicy(on('1.30', 'SW-SEC-015'), wrap('Deployment', spec)).allowed).toBe(false);
    expect(evaluatePolicy(on('1.29', 'SW-SEC-015'), wrap('Deployment', spec)).allowed).toBe(true);
    const annotated = wrap('Pod', goodPodSpec());
    annotated.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' };
    expect(evaluatePolicy(on('1.29', 'SW-SEC-015'), annotated).allowed).toBe(false);
  });
});

describe('rules needing the quantity library, and mirror Pods', () => {
  const names = (version: string) => admissionPolicies(KubernetesTarget.version(version)).filter((o: any) => o.kind === 'ValidatingAdmissionPolicy').map((o: any) => o.metadata.labels['seaworthy.dev/rule']);

  test('SW-VOL-003 and SW-VPA-004 compare quantities: generated from 1.29, and asked for by name on 1.28 they are refused with the reason', () => {
    expect(names('1.29')).toEqual(expect.arrayContaining(['SW-VOL-003', 'SW-VPA-004', 'SW-VPA-005']));
    expect(names('1.28')).toEqual(expect.arrayContaining(['SW-VPA-005', 'SW-JOB-005', 'SW-RBAC-001', 'SW-SCHED-002']));
    expect(names('1.28')).not.toEqual(expect.arrayContaining(['SW-VOL-003']));
    expect(names('1.28')).not.toContain('SW-VPA-004');
    expect(() => admissionPolicies(KubernetesTarget.version('1.28'), { rules: ['SW-VOL-003'] })).toThrow(/"SW-VOL-003" has an admission policy from Kubernetes 1\.29 only \(.*quantity\(\)/);
    expect(admissionSummary(RULES_BY_ID.get('SW-VPA-004')!)).toBe('generated (policy `seaworthy-sw-vpa-004`) for targets of 1.29 or later, where the API server has the CEL quantity library');
    for (const version of ['1.28', '1.29', '1.35']) {
      const quantity = admissionPolicies(KubernetesTarget.version(version)).filter((o: any) => o.kind === 'ValidatingAdmissionPolicy' && JSON.stringify(o).includes('quantity('));
      expect(quantity.map((o: any) => o.metadata.name)).toEqual(version === '1.28' ? [] : ['seaworthy-sw-res-002', 'seaworthy-sw-vol-003', 'seaworthy-sw-vpa-004']);
    }
  });

  test('SW-RES-002 compares a limit with its request as quantities, from 1.29: above it is Burstable, 1024Mi against 1Gi is not', () => {
    const policy = admissionPolicies(KubernetesTarget.version('1.29'), { rules: ['SW-RES-002'] }).find((o: any) => o.kind === 'ValidatingAdmissionPolicy');
    const withMemory = (request: string, limit: string) => {
      const spec = goodPodSpec();
      spec.containers[0].resources.requests.memory = request;
      spec.containers[0].resources.limits.memory = limit;
      return wrap('Deployment', spec);
    };
    expect(evaluatePolicy(policy, withMemory('128Mi', '256Mi'))).toMatchObject({ allowed: false, message: expect.stringContaining('container(s) app has a cpu or memory limit above its request') });
    expect(evaluatePolicy(policy, withMemory('1Gi', '1024Mi')).allowed).toBe(true);
    expect(evaluatePolicy(policy, withMemory('1073741824', '1Gi')).allowed).toBe(true);
    expect(() => admissionPolicies(KubernetesTarget.version('1.28'), { rules: ['SW-RES-002'] })).toThrow(/"SW-RES-002" has an admission policy from Kubernetes 1\.29 only/);
  });

  test('SW-SCHED-002 spares the mirror Pod of a static Pod, in the audit and at admission, and nothing else with the annotation', () => {
    const policy = admissionPolicies(T35, { rules: ['SW-SCHED-002'] }).find((o: any) => o.kind === 'ValidatingAdmissionPolicy');
    const pod = (annotations: Record<string, string>, kind = 'Pod') => {
      const o = wrap(kind, { ...goodPodSpec(), nodeName: 'node-1' });
      o.metadata.annotations = annotations;
      return o;
    };
    const reported = (o: any) => audit([{ object: o }]).some(f => f.rule.id === 'SW-SCHED-002');
    const mirror = pod({ 'kubernetes.io/config.mirror': '6f1b2c' });
    expect(reported(mirror)).toBe(false);
    expect(evaluatePolicy(policy, mirror).allowed).toBe(true);
    for (const other of [pod({}), pod({ 'kubernetes.io/config.source': 'file' }), pod({ 'kubernetes.io/config.mirror': 'x' }, 'Deployment')]) {
      expect(reported(other)).toBe(true);
      expect(evaluatePolicy(policy, other)).toMatchObject({ matched: true, allowed: false, message: expect.stringContaining('SW-SCHED-002') });
    }
  });
});

describe('SW-CONTAINER-002 reads a command line as the audit does', () => {
  // Every command line of up to four arguments from these: shells, -c clusters, "--", one-word and longer scripts, scripts reading $1.
  const FIRST = ['sh', '/bin/bash', 'fish'];
  const REST = ['-c', '-ec', '-x', '--', 'true', '\u00a0ready ', 'a b', 'test -e "$1"', 'for x do', '', '-'];
  const lines: string[][] = [];
  const grow = (line: string[]) => {
    lines.push(line);
    if (line.length < 4) for (const a of REST) grow([...line, a]);
  };
  for (const f of FIRST) grow([f]);

  test.each([
    ['a container\'s command', (line: string[]) => ({ name: 'app', command: line }), COMMAND_LINE_OK],
    ['a probe\'s exec command', (line: string[]) => ({ name: 'app', livenessProbe: { exec: { command: line } } }), HANDLERS_OK],
  ])('%s: the CEL and shellScriptArgsProblem agree', (_what, container, expression) => {
    const wrong = lines.filter(line => evaluateCel(expression as string, { c: (container as (l: string[]) => unknown)(line) }) !== (shellScriptArgsProblem(line) === undefined));
    expect(lines.length).toBeGreaterThan(4_000);
    expect(wrong.map(l => JSON.stringify(l))).toEqual([]);
  });
});

describe('CEL cost', () => {
  // k8s.io/apiserver/pkg/apis/cel/config.go: PerCallLimit (one expression) and RuntimeCELCostBudget (one policy evaluation).
  const PER_CALL_LIMIT = 1_000_000;
  const RUNTIME_BUDGET = 10_000_000;
  const big = () => {
    const spec = goodPodSpec();
    const c = spec.containers[0];
    c.env = Array.from({ length: 200 }, (_, i) => ({ name: `VARIABLE_NUMBER_${i}`, value: 'x'.repeat(40) }));
    spec.containers = Array.from({ length: 50 }, (_, i) => ({ ...c, name: `c${i}` }));
    return wrap('Deployment', spec);
  };

  test('50 containers × 200 environment variables: every expression within the per-call limit, every policy within the budget', () => {
    const sizes = { containers: 50, lists: 200, strings: 64 };
    let largest = { policy: '', cost: 0 };
    for (const p of policies) {
      const expressions = [...p.spec.variables.map((v: any) => v.expression), ...p.spec.validations.flatMap((v: any) => [v.expression, v.messageExpression]), ...p.spec.matchConditions.map((m: any) => m.expression), ...p.spec.auditAnnotations.map((a: any) => a.valueExpression)];
      const costs = expressions.map(e => estimateCost(e, sizes));
      for (const c of costs) expect(c).toBeLessThan(PER_CALL_LIMIT);
      const total = costs.reduce((a, b) => a + b, 0);
      expect(total).toBeLessThan(RUNTIME_BUDGET);
      if (total > largest.cost) largest = { policy: p.metadata.name, cost: total };
    }
    // The figure for the closing note.
    process.stdout.write(`largest estimated CEL cost on 50 containers x 200 env vars: ${largest.policy} ${largest.cost}\n`);
    for (const p of policies) expect(evaluatePolicy(p, big()).allowed).toBe(true);
  });

  test('the estimate grows with the object: a bound, not a constant', () => {
    const p = policies.find(x => x.metadata.name === 'seaworthy-sw-sec-006');
    const offenders = p.spec.variables.find((v: any) => v.name === 'offenders').expression;
    expect(estimateCost(offenders, { containers: 100, lists: 200, strings: 64 })).toBeGreaterThan(estimateCost(offenders, { containers: 50, lists: 200, strings: 64 }));
  });
});

describe('docs/admission.md', () => {
  test('states the eligible and generated counts the code has', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'docs', 'admission.md'), 'utf8');
    const all = admissionEligibilities();
    const eligible = all.filter(e => e.eligibility.eligible).length;
    const generated = all.filter(e => e.eligibility.generated).length;
    expect(text).toContain(`Of the ${all.length} rules, ${eligible} are\ndecidable from one object at admission and ${generated} are generated today.`);
  });
});
