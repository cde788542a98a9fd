import * as fs from 'fs';
import * as path from 'path';
import { CAPABILITIES, Feature } from '../src';
import { EXAMPLES } from '../src/construct-examples';
import { RULES_BY_ID } from '../src/rules/catalog';
import { claimsIn, contradictions, describeContradiction, Passage, passagesOfMarkdown, passagesOfSource } from './support/capability-claims';

const ROOT = path.join(__dirname, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every JSDoc comment of src/, every rule's texts, the construct examples and the generated docs. */
function documentation(): Passage[] {
  const jsdoc = sourceFiles(path.join(ROOT, 'src')).flatMap(f => passagesOfSource(path.relative(ROOT, f), fs.readFileSync(f, 'utf8')));
  const rules = [...RULES_BY_ID.values()].flatMap(r => (['title', 'rationale', 'fix'] as const).map(k => ({ where: `${r.id} ${k}`, text: r[k] })));
  const examples = EXAMPLES.map(e => ({ where: `construct example ${e.title}`, text: e.code.replace(/^\s*\/\/ ?/gm, ''), subject: e.title }));
  const generated = ['docs/api/README.md', 'docs/rules.md', 'docs/constructs.md'].flatMap(f => passagesOfMarkdown(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
  return [...jsdoc, ...rules, ...examples, ...generated];
}

describe('first minors named in the docs agree with the capability table', () => {
  test('a wrong first minor in a fixture is caught, with the file, the feature and both minors', () => {
    // GIVEN JSDoc that says sidecars start one minor late and the sleep action one minor early
    const fixture = [
      '/** Containers beside the app. Native sidecars are emitted from Kubernetes 1.30. */',
      'export const sidecars = 1;',
      '/** Uses the preStop sleep action on 1.29 and later. */',
      'export const stop = 2;',
    ].join('\n');
    // WHEN it is scanned
    const found = contradictions(passagesOfSource('fixture.ts', fixture));
    // THEN both statements are reported against the table
    expect(found.map(describeContradiction)).toEqual([
      'fixture.ts:1: names 1.30 for nativeSidecars, but CAPABILITIES says 1.29: "Native sidecars are emitted from Kubernetes 1.30."',
      'fixture.ts:3: names 1.29 for preStopSleepAction, but CAPABILITIES says 1.30: "Uses the preStop sleep action on 1.29 and later."',
    ]);
  });

  test('the phrasings it reads: "from", "since", "1.NN+", "or later", "before", "needs"; the declaration names the feature when the text does not', () => {
    const fixture = [
      '/** Retries per index (Kubernetes 1.28+). */',
      'readonly backoffLimitPerIndex?: number;',
      '/** A successPolicy needs Kubernetes 1.30; refused before 1.30 since the field is unknown. */',
      'readonly successPolicy?: string;',
      '/** tcp_rmem is safe since 1.29. */',
      'readonly a?: string;',
    ].join('\n');
    const wrapped = `interface X {\n${fixture}\n}`;
    expect(contradictions(passagesOfSource('f.ts', wrapped)).map(c => `${c.feature} 1.${c.minor}`)).toEqual([
      'jobBackoffLimitPerIndex 1.28', 'jobSuccessPolicy 1.30', 'jobSuccessPolicy 1.30', 'safeSysctlsTcpBuffers 1.29',
    ]);
  });

  test('right statements, upstream stages and minors of other things pass', () => {
    const fixture = [
      '/** From Kubernetes 1.29 sidecars render as native sidecars; GA from 1.33. */',
      'export const a = 1;',
      '/** tcp_keepalive_* from 1.29, tcp_rmem/wmem from 1.32. Job podFailurePolicy from 1.26. */',
      'export const b = 2;',
      '/** Time zones inside the schedule are rejected since Kubernetes 1.27. */',
      'export const c = 3;',
    ].join('\n');
    const passages = passagesOfSource('ok.ts', fixture);
    expect(passages.flatMap(claimsIn).map(c => `${c.feature} 1.${c.minor}`)).toEqual([
      'nativeSidecars 1.29', 'safeSysctlsTcpKeepalive 1.29', 'safeSysctlsTcpBuffers 1.32', 'jobPodFailurePolicy 1.26',
    ]);
    expect(contradictions(passages)).toEqual([]);
  });

  test('every feature of the table has words to recognise it by', () => {
    expect(Object.keys(CAPABILITIES).sort()).toEqual(Object.values(Feature).sort());
  });

  test('JSDoc in src/, rule texts, construct examples and docs/ (api, rules, constructs) agree with CAPABILITIES', () => {
    const passages = documentation();
    // The scan reads the docs that carry such statements (a scan that finds nothing proves nothing).
    const claims = passages.flatMap(claimsIn);
    expect(new Set(claims.map(c => c.feature)).size).toBeGreaterThanOrEqual(8);
    expect(claims.some(c => c.where.startsWith('src/pod/pod-props.ts') && c.feature === Feature.NATIVE_SIDECARS)).toBe(true);
    expect(claims.some(c => c.where.startsWith('docs/api/README.md'))).toBe(true);
    expect(contradictions(passages).map(describeContradiction)).toEqual([]);
  });
});
