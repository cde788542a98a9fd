import { Chart, Testing } from 'cdk8s';
import { audit, Findings, SeaworthyError, Severity } from '../src';
import { diffManifests } from '../src/diff';
import { RULES_BY_ID } from '../src/rules/catalog';
import { RULE_FIXTURES } from './rule-fixtures';
import { removeTempDirs } from './rule-fixtures/constructs';
import { Fixture } from './rule-fixtures/fixture';

/**
 * Every rule of the catalog has a failing and a passing fixture, found by its id
 * (`test/rule-fixtures/<family>.ts`, see docs/testing.md): the failing one reports the rule, the
 * passing one does not.
 */

/** What a fixture reported: each rule id with the severity it was reported at. */
interface Outcome {
  readonly reported: ReadonlyMap<string, Severity>;
  /** How: by the audit, the diff, a SeaworthyError thrown, or in Findings.of(app). */
  readonly by: 'audit' | 'diff' | 'thrown' | 'findings';
}

const severities = (findings: ReadonlyArray<{ rule: { id: string }; severity: Severity }>): Map<string, Severity> => new Map(findings.map(f => [f.rule.id, f.severity]));

function run(fixture: Fixture): Outcome {
  if ('manifests' in fixture) {
    return { reported: severities(audit(fixture.manifests.map(object => ({ object })), { kubernetesVersion: fixture.kubernetesVersion, profile: fixture.profile })), by: 'audit' };
  }
  if ('before' in fixture) {
    return { reported: severities(diffManifests(fixture.before, fixture.after, { repoRoot: fixture.repoRoot }).consequences), by: 'diff' };
  }
  const app = Testing.app();
  try {
    fixture.build(new Chart(app, 'fixture', { namespace: 'shop' }));
  } catch (e) {
    if (e instanceof SeaworthyError) return { reported: severities(e.findings), by: 'thrown' };
    throw e;
  }
  return { reported: severities(Findings.of(app)), by: 'findings' };
}

describe('per-rule fixtures', () => {
  afterAll(removeTempDirs);

  test.each(RULE_FIXTURES.map(f => [f.what ? `${f.id} (${f.what})` : f.id, f] as const))('%s: the failing fixture reports it, the passing one does not', (_title, { id, fail, pass }) => {
    const failed = run(fail);
    expect([...failed.reported.keys()]).toContain(id);
    // Constructs stop at an error and record the rest (production profile: the catalog's severity).
    if (failed.by === 'thrown' || failed.by === 'findings') {
      const severity = RULES_BY_ID.get(id)!.severity;
      expect({ by: failed.by, severity: failed.reported.get(id) }).toEqual({ by: severity === Severity.ERROR ? 'thrown' : 'findings', severity });
    }
    const passed = run(pass);
    expect([...passed.reported.keys()]).not.toContain(id);
    // A passing fixture is a correct input: it builds with no error in Findings.of(app), and the
    // audit has no error or warning on it.
    expect(passed.by === 'thrown' ? [...passed.reported.keys()] : []).toEqual([]);
    expect(passed.by === 'audit' ? [...passed.reported].filter(([, s]) => s !== Severity.INFO).map(([r]) => r) : []).toEqual([]);
    expect(passed.by === 'findings' ? [...passed.reported].filter(([, s]) => s === Severity.ERROR).map(([r]) => r) : []).toEqual([]);
  });

  test('every rule of the catalog has a fixture pair, and every fixture names a rule of the catalog', () => {
    const ids = RULE_FIXTURES.map(f => f.id);
    expect([...RULES_BY_ID.keys()].filter(id => !ids.includes(id))).toEqual([]);
    expect(ids.filter(id => !RULES_BY_ID.has(id))).toEqual([]);
    // One first pair per rule; further pairs say what they add.
    const titles = RULE_FIXTURES.map(f => `${f.id} ${f.what ?? ''}`);
    expect(titles.filter((t, i) => titles.indexOf(t) !== i)).toEqual([]);
  });
});
