import { audit, Rules, Severity } from '../src';
import { findingMessage, findingText, makeFinding } from '../src/rules/finding';
import { atLeast, compareSeverity, GATE_SEVERITIES, SEVERITY_ORDER, severityRank } from '../src/rules/severity';

describe('one severity order', () => {
  test('error before warning before info; anything unknown last', () => {
    expect(SEVERITY_ORDER).toEqual([Severity.ERROR, Severity.WARNING, Severity.INFO]);
    expect([Severity.INFO, 'bogus', Severity.ERROR, Severity.WARNING].sort(compareSeverity)).toEqual([Severity.ERROR, Severity.WARNING, Severity.INFO, 'bogus']);
    expect(severityRank(Severity.ERROR)).toBe(0);
    expect(severityRank('bogus')).toBe(3);
  });

  test('atLeast: a gate at error fails on errors only, at warning on errors and warnings, never on infos', () => {
    expect(atLeast(Severity.ERROR, Severity.ERROR)).toBe(true);
    expect(atLeast(Severity.WARNING, Severity.ERROR)).toBe(false);
    expect(atLeast(Severity.WARNING, Severity.WARNING)).toBe(true);
    expect(atLeast(Severity.ERROR, Severity.WARNING)).toBe(true);
    expect(GATE_SEVERITIES.some(g => atLeast(Severity.INFO, g))).toBe(false);
  });
});

describe('one message format', () => {
  test('makeFinding builds `<id> [<where>] <field> = <value>: <problem>. Fix: <fix>.`', () => {
    const f = makeFinding(Rules.ENV_NAME_INVALID, 'prod/api', 'env.1X', '1X', 'is rejected by the API server');
    expect(f.message).toBe(`SW-ENV-001 [prod/api] env.1X = "1X": is rejected by the API server. Fix: ${Rules.ENV_NAME_INVALID.fix}.`);
    expect(f.message).toBe(findingMessage('prod/api', f));
    expect(f.message.endsWith(findingText(f))).toBe(true);
  });

  test('the audit\'s findings carry the same format, naming the object', () => {
    const [f] = audit([{ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers: [{ name: 'c', image: 'a:1', env: [{ name: '1X', value: 'y' }] }] } } }])
      .filter(x => x.rule.id === 'SW-ENV-001');
    expect(f.message).toBe(`SW-ENV-001 [Pod/n/p] ${f.field} = "1X": ${f.problem}. Fix: ${f.rule.fix}.`);
  });
});
