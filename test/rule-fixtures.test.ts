import { Chart, Testing } from 'cdk8s';
import { audit, Findings, SeaworthyError } from '../src';
import { diffManifests } from '../src/diff';
import { RULES_BY_ID } from '../src/rules/catalog';
import { RULE_FIXTURES, MISSING } from './rule-fixtures';
import { Fixture } from './rule-fixtures/fixture';

/**
 * Every rule of the catalog has a failing and a passing fixture, found by its id
 * (`test/rule-fixtures/<family>.ts`): the failing one reports the rule, the passing one does not.
 */

/** What a fixture reports: the rule ids of its findings, and whether it threw. */
interface Outcome {
  readonly ids: ReadonlySet<string>;
  /** The error thrown, if any (a SeaworthyError's ids are in `ids`). */
  readonly thrown?: unknown;
}

function run(fixture: Fixture): Outcome {
  if ('manifests' in fixture) {
    const findings = audit(fixture.manifests.map(object => ({ object })), { kubernetesVersion: fixture.kubernetesVersion, profile: fixture.profile });
    return { ids: new Set(findings.map(f => f.rule.id)) };
  }
  if ('before' in fixture) {
    const result = diffManifests(fixture.before, fixture.after, { repoRoot: fixture.repoRoot });
    return { ids: new Set(result.consequences.map(c => c.rule.id)) };
  }
  const app = Testing.app();
  try {
    fixture.build(new Chart(app, 'fixture', { namespace: 'shop' }));
  } catch (e) {
    return { ids: new Set(e instanceof SeaworthyError ? e.ruleIds : []), thrown: e };
  }
  return { ids: new Set(Findings.of(app).map(f => f.rule.id)) };
}

const byId = new Map(RULE_FIXTURES.map(f => [f.id, f]));

describe('per-rule fixtures', () => {
  test.each(RULE_FIXTURES.map(f => [f.id, f] as const))('%s: the failing fixture reports it, the passing one does not', (id, { fail, pass }) => {
    const failed = run(fail);
    if (failed.thrown && !(failed.thrown instanceof SeaworthyError)) throw failed.thrown;
    expect([...failed.ids]).toContain(id);
    const passed = run(pass);
    if (passed.thrown) throw passed.thrown;
    expect([...passed.ids]).not.toContain(id);
  });

  test('every rule of the catalog has a fixture pair, or is listed as missing', () => {
    const ids = [...RULES_BY_ID.keys()];
    expect(ids.filter(id => !byId.has(id) && !MISSING.includes(id))).toEqual([]);
  });

  test('fixtures name rules of the catalog, once each, and no rule with fixtures is still listed as missing', () => {
    expect(RULE_FIXTURES.map(f => f.id).filter(id => !RULES_BY_ID.has(id))).toEqual([]);
    expect(RULE_FIXTURES.map(f => f.id).filter((id, i, all) => all.indexOf(id) !== i)).toEqual([]);
    expect(MISSING.filter(id => byId.has(id) || !RULES_BY_ID.has(id))).toEqual([]);
  });
});
