import * as path from 'path';
import { audit, CheckContext, checkKinds, grade, ObjectCheck, Profile, Rule, Rules, RULES_BY_ID, Severity, severityUnder, WORKLOAD_KINDS } from '../src';
import { ALL_CHECKS } from '../src/audit/checks';
import { declaredContext } from '../src/audit/checks/declared';
import { KubeObject } from '../src/audit/kube';
import { loadManifests } from '../src/manifests/load';
import { sharedDir } from './support/shared-dir';

/**
 * The registry: every rule declares its tier, scope and whether it needs the whole deployment,
 * consistently with the kinds it declares; the profiles and waivers grade it from that alone.
 */

const rules = [...RULES_BY_ID.values()];
const TIERS = ['correctness', 'availability', 'hardening'];
const SCOPES = ['object', 'objects', 'props', 'output', 'change'];

describe('every rule is declared completely', () => {
  test.each(rules.map(r => [r.id, r] as const))('%s', (_id, r) => {
    expect(TIERS).toContain(r.tier);
    expect(SCOPES).toContain(r.scope);
    expect(typeof r.wholeDeployment).toBe('boolean');
    for (const text of [r.title, r.rationale, r.fix, r.see]) expect(text.trim().length).toBeGreaterThan(0);
    // The audit reports exactly the rules of scopes `object` and `objects`, on the kinds they declare.
    expect(r.kinds.length === 0).toBe(['props', 'output', 'change'].includes(r.scope));
    expect(r.scope === 'change').toBe(r.id.startsWith('SW-DIFF-'));
    expect(r.scope === 'output').toBe(r.id.startsWith('SW-OUTPUT-'));
    // Needing the whole deployment means relating objects (or two versions of them).
    if (r.wholeDeployment) expect(['objects', 'change']).toContain(r.scope);
  });
});

describe('the profile grades a rule by its tier', () => {
  const withTier = (tier: Rule['tier'], severity = Severity.ERROR): Rule => ({ ...RULES_BY_ID.get('SW-IMAGE-001')!, tier, severity });

  test('correctness: the same severity under every profile', () => {
    expect([Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT].map(p => severityUnder(withTier('correctness'), p))).toEqual(['error', 'error', 'error']);
  });

  test('availability: a warning under staging, off under development', () => {
    expect([Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT].map(p => severityUnder(withTier('availability'), p))).toEqual(['error', 'warning', undefined]);
    expect(severityUnder(withTier('availability', Severity.INFO), Profile.STAGING)).toBe('info');
  });

  test('hardening: full severity under staging, a warning under development', () => {
    expect([Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT].map(p => severityUnder(withTier('hardening'), p))).toEqual(['error', 'error', 'warning']);
  });

  test('the tiers of the catalog: SW-PDB-001 is availability, SW-SEC-012 hardening, SW-IMAGE-001 correctness', () => {
    expect(['SW-PDB-001', 'SW-SEC-012', 'SW-IMAGE-001'].map(id => RULES_BY_ID.get(id)!.tier)).toEqual(['availability', 'hardening', 'correctness']);
  });
});

describe('grade: profile and waiver to the effective severity', () => {
  const pdb = RULES_BY_ID.get('SW-PDB-001')!;

  test('not waived: the severity under the profile', () => {
    expect(grade(pdb, Profile.PRODUCTION)).toBe(Severity.ERROR);
    expect(grade(pdb, Profile.STAGING)).toBe(Severity.WARNING);
  });

  test('waived: info', () => {
    expect(grade(pdb, Profile.PRODUCTION, 'drained by hand')).toBe(Severity.INFO);
  });

  test('a rule the profile turns off stays off, waived or not', () => {
    expect(grade(pdb, Profile.DEVELOPMENT)).toBeUndefined();
    expect(grade(pdb, Profile.DEVELOPMENT, 'drained by hand')).toBeUndefined();
  });
});

describe('the audit routes objects to checks by the rules they declare', () => {
  const kindsOf = (c: ObjectCheck) => checkKinds(c);

  test('every rule the audit reports (non-empty kinds) is declared by a check, on every kind it lists', () => {
    const missing = rules.filter(r => r.kinds.length > 0).flatMap(r => r.kinds
      .filter(k => !ALL_CHECKS.some(c => c.rules.includes(r) && (kindsOf(c).includes('*') || kindsOf(c).includes(k))))
      .map(k => `${r.id} on ${k}`));
    expect(missing).toEqual([]);
  });

  test('no check declares a rule the audit does not report (empty kinds)', () => {
    expect(ALL_CHECKS.flatMap(c => c.rules.filter(r => r.kinds.length === 0).map(r => `${c.run.name}: ${r.id}`))).toEqual([]);
  });

  test('a check narrows its kinds only to kinds its rules declare', () => {
    const wider = ALL_CHECKS.filter(c => c.kinds !== undefined).flatMap(c => c.kinds!
      .filter(k => !c.rules.some(r => r.kinds.includes(k) || r.kinds.includes('*'))).map(k => `${c.run.name}: ${k}`));
    expect(wider).toEqual([]);
  });

  test('the checks run on what they ran on before the registry: the Pod checks on every workload kind, the Service check on Services only', () => {
    const pod = ALL_CHECKS.find(c => c.run.name === 'checkPod')!;
    expect(kindsOf(pod)).toEqual(WORKLOAD_KINDS);
    expect(kindsOf(ALL_CHECKS.find(c => c.run.name === 'service')!)).toEqual(['Service']);
    expect(kindsOf(ALL_CHECKS.find(c => c.run.name === 'every')!)).toEqual(['*']);
  });

  test('the audit of the stored manifests (third-party YAML, fixtures, dist/, the example repo) reports only declared rules, on their kinds', () => {
    expect(process.env.SEAWORTHY_STRICT_CHECKS).toBe('1');
    const { inputs } = loadManifests([path.join(sharedDir(), 'outside-yaml'), 'test/fixtures', 'dist', 'examples']);
    expect(inputs.length).toBeGreaterThan(100);
    expect(audit(inputs).length).toBeGreaterThan(0);
  });

  describe('a check reporting what it did not declare fails under SEAWORTHY_STRICT_CHECKS', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { template: { spec: { containers: [] } } } };
    const withCheck = (check: ObjectCheck, run: () => void) => {
      (ALL_CHECKS as ObjectCheck[]).push(check);
      try {
        run();
      } finally {
        (ALL_CHECKS as ObjectCheck[]).pop();
      }
    };

    test('a rule it did not declare', () => {
      const sneaky = (_obj: KubeObject, ctx: CheckContext) => ctx.reporter.report(Rules.IMAGE_INVALID, 'spec', 1, 'test');
      withCheck({ rules: [Rules.IMAGE_NOT_PINNED], run: sneaky }, () => expect(() => audit([{ object: deployment }])).toThrow('check sneaky reported SW-IMAGE-002, which it does not declare, on Deployment'));
    });

    test('a declared rule on a kind outside the rule\'s kinds', () => {
      const misplaced = (_obj: KubeObject, ctx: CheckContext) => ctx.reporter.report(Rules.SERVICE_INVALID, 'spec', 1, 'test');
      withCheck({ rules: [Rules.SERVICE_INVALID], kinds: ['Deployment'], run: misplaced }, () => expect(() => audit([{ object: deployment }])).toThrow('check misplaced reported SW-SVC-001 on Deployment, outside the rule\'s kinds (Service)'));
    });

    test('a declared rule on its kinds passes', () => {
      const honest = (_obj: KubeObject, ctx: CheckContext) => ctx.reporter.report(Rules.IMAGE_NOT_PINNED, 'spec', 1, 'test');
      withCheck({ rules: [Rules.IMAGE_NOT_PINNED], run: honest }, () => expect(audit([{ object: deployment }]).filter(f => f.problem === 'test').map(f => f.rule.id)).toEqual(['SW-IMAGE-001']));
    });
  });
});

describe('a part of a check (the Pod checks) is held to the rules it declares', () => {
  const reported: string[] = [];
  const ctx = { reporter: { report: (rule: Rule) => reported.push(rule.id) }, reportOn: (_t: KubeObject, rule: Rule) => reported.push(rule.id) } as unknown as CheckContext;

  test('a declared rule passes through', () => {
    declaredContext([Rules.NODE_NAME], ctx).reporter.report(Rules.NODE_NAME, 'spec.nodeName', 'n1', 'test');
    expect(reported).toEqual(['SW-SCHED-002']);
  });

  test('another rule fails', () => {
    expect(() => declaredContext([Rules.NODE_NAME], ctx).reporter.report(Rules.SCHEDULING_INVALID, 'spec.tolerations', 1, 'test')).toThrow('a check declaring SW-SCHED-002 reported SW-SCHED-001');
  });
});
