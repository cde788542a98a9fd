import { grade, Profile, Rule, RULES_BY_ID, Severity, severityUnder } from '../src';

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
