import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import * as jsyaml from 'js-yaml';
import { CONSEQUENCE_CLASSES, Consequence, ConsequenceClass, diffManifests, DiffResult, DocumentCache, RULES_BY_ID, Severity } from '../src';
import { loadManifests } from '../src/manifests/load';
import { run } from '../src/cli/main';
import { formatPath, parsePath } from '../src/diff/paths';
import { extras, MUTATIONS, Obj } from './support/diff-corpus';

/**
 * docs/diff-json.md documents `seaworthy diff --format json`: its JSON Schema is read from the
 * page itself and real CLI output is validated against it, and the page's table mapping JSON keys
 * to the `Consequence` type is checked against the library's own result for the same change.
 */

const ROOT = path.join(__dirname, '..');
const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'diff-json.md'), 'utf8');

/** The first ```json block after `heading` (or the first one of the page). */
function jsonBlock(heading?: string): unknown {
  const from = heading === undefined ? 0 : DOC.indexOf(`\n${heading}\n`);
  expect(from).toBeGreaterThanOrEqual(0);
  const m = /```json\n([\s\S]*?)\n```/.exec(DOC.slice(from));
  expect(m).not.toBeNull();
  return JSON.parse(m![1]);
}

/** The rows of the markdown table whose header row starts with `| <first> |`, as cells without backticks. */
function tableRows(first: string): string[][] {
  const lines = DOC.split('\n');
  const start = lines.findIndex(l => l.startsWith(`| ${first} |`));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map(c => c.trim().replace(/^`|`$/g, '')));
  }
  return rows;
}

const schema = jsonBlock('## The schema') as { $defs: Record<string, { properties?: Record<string, { enum?: string[] }>; enum?: string[]; pattern?: string }> };
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(schema);
const valid = (doc: unknown) => {
  const ok = validate(doc);
  return ok ? [] : (validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`);
};

function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: false });
  return { code, stdout, stderr };
}

/** The world and a change touching one object per mutation operator (every consequence class), with one consequence waived. */
function aChangeOfEveryKind(): { before: Obj[]; after: Obj[] } {
  const prod = loadManifests([path.join(ROOT, 'dist', 'prod')]).inputs.map(i => i.object as Obj);
  const before = [...prod, ...extras('shop')];
  const after: Array<Obj | undefined> = [...before];
  const touched = new Set<number>();
  for (const m of MUTATIONS) {
    const at = before.findIndex((o, i) => !touched.has(i) && m.apply(o) !== undefined);
    if (at === -1) continue;
    touched.add(at);
    after[at] = m.remove ? undefined : m.apply(before[at]);
    if (m.name === 'one replica') after[at]!.metadata.annotations = { ...after[at]!.metadata.annotations, 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-DIFF-031', reason: 'scaling down for the holidays' }]) };
  }
  return { before, after: after.filter((o): o is Obj => o !== undefined) };
}

describe('seaworthy diff --format json against the schema in docs/diff-json.md', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-diff-json-'));
  const write = (dir: string, objects: readonly Obj[], extra: Record<string, string> = {}) => {
    fs.mkdirSync(path.join(tmp, dir, 'prod'), { recursive: true });
    fs.writeFileSync(path.join(tmp, dir, 'prod', 'shop.k8s.yaml'), objects.map(o => jsyaml.dump(o)).join('---\n'));
    for (const [file, text] of Object.entries(extra)) fs.writeFileSync(path.join(tmp, dir, 'prod', file), text);
    return path.join(tmp, dir);
  };
  const change = aChangeOfEveryKind();
  const beforeDir = write('before', change.before);
  const afterDir = write('after', change.after);
  const out = cli('diff', beforeDir, afterDir, '--format', 'json');
  const json = JSON.parse(out.stdout);

  /** The library's result for the same change, grouped as the CLI groups directories. */
  const library: DiffResult = (() => {
    const cache = new DocumentCache();
    const side = (root: string) => cache.load([root]).inputs.map(i => ({ ...i, group: path.relative(root, path.dirname(i.file!)) }));
    return diffManifests(side(beforeDir), side(afterDir), { repoRoot: process.cwd() });
  })();

  test('the output of a change with consequences of every class is valid', () => {
    expect(out.code).toBe(1);
    expect(valid(json)).toEqual([]);
    expect(new Set(json.consequences.map((c: { class: string }) => c.class))).toEqual(new Set(CONSEQUENCE_CLASSES.map(c => c.cls)));
    expect(json.consequences.some((c: { waived?: string }) => c.waived === 'scaling down for the holidays')).toBe(true);
    expect(json.summary.created + json.summary.deleted + json.summary.changed).toBeGreaterThan(0);
    expect(json.changes.some((c: { fields: string[] }) => c.fields.some(f => f.includes('["')))).toBe(true);
  });

  test('unreadable input: the document is printed, with its problems, and is valid; exit 2', () => {
    const broken = write('broken', change.after, { 'bad.yaml': 'kind: [unclosed\n' });
    const r = cli('diff', beforeDir, broken, '--format', 'json');
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.stdout);
    expect(doc.problems).toEqual([expect.objectContaining({ file: path.join(broken, 'prod', 'bad.yaml'), message: expect.any(String) })]);
    expect(valid(doc)).toEqual([]);
  });

  test('no change at all is valid too', () => {
    const r = cli('diff', beforeDir, beforeDir, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ consequences: [], changes: [], problems: [] });
    expect(valid(doc)).toEqual([]);
  });

  test('the schema refuses what the output must never hold', () => {
    const c = json.consequences[0];
    expect(valid({ ...json, consequences: [{ ...c, class: 'oops' }] })).not.toEqual([]);
    expect(valid({ ...json, consequences: [{ ...c, field: 'metadata.labels.app.kubernetes.io/name' }] })).not.toEqual([]);
    expect(valid({ ...json, consequences: [{ ...c, extra: 1 }] })).not.toEqual([]);
    const { fix: _fix, ...withoutFix } = c;
    expect(valid({ ...json, consequences: [withoutFix] })).not.toEqual([]);
  });

  test('the example on the page is valid, and its rule and fix are the catalog\'s', () => {
    const example = jsonBlock() as { consequences: Array<{ rule: string; fix: string; field: string }> };
    expect(valid(example)).toEqual([]);
    for (const c of example.consequences) expect(c.fix).toBe(RULES_BY_ID.get(c.rule)!.fix);
  });

  describe('the page\'s mapping of JSON keys to the Consequence type', () => {
    const mapping = tableRows('JSON key').map(([key, property]) => ({ key, property }));
    const leftOut = tableRows('`Consequence` property').map(([property]) => property);
    const get = (c: Consequence, property: string) => property.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], c);

    test('the table lists exactly the keys of the schema', () => {
      expect(mapping.map(m => m.key).sort()).toEqual(Object.keys(schema.$defs.consequence.properties!).sort());
    });

    test('every property of a Consequence is either mapped or said to be left out', () => {
      const mapped = new Set(mapping.map(m => m.property.split('.')[0]));
      for (const c of library.consequences) {
        for (const k of Object.keys(c)) expect(mapped.has(k) || leftOut.includes(k) ? k : `${k} (neither mapped nor left out)`).toBe(k);
      }
      for (const k of leftOut) expect(mapped.has(k)).toBe(false);
    });

    test('each JSON key holds the property the table names, for every consequence of the change', () => {
      expect(json.consequences).toHaveLength(library.consequences.length);
      library.consequences.forEach((c, i) => {
        const expected = Object.fromEntries(mapping.map(m => [m.key, get(c, m.property)]).filter(([, v]) => v !== undefined));
        expect(json.consequences[i]).toEqual(expected);
      });
    });

    test('the top level is the DiffResult: version, summary and changes as the library returns them', () => {
      expect(json.kubernetesVersion).toBe(library.kubernetesVersion);
      expect(json.summary).toEqual(library.summary);
      expect(json.changes).toEqual(JSON.parse(JSON.stringify(library.changes)));
    });

    test('the schema\'s enumerations are the code\'s', () => {
      expect(schema.$defs.consequence.properties!.class.enum!.sort()).toEqual(Object.values(ConsequenceClass).sort());
      expect(schema.$defs.consequence.properties!.severity.enum!.sort()).toEqual(Object.values(Severity).sort());
      expect(schema.$defs.changeKind.enum!.sort()).toEqual(['changed', 'created', 'deleted']);
    });
  });

  test('the schema\'s field path pattern accepts exactly the paths diff writes and reads back', () => {
    const pattern = new RegExp(schema.$defs.fieldPath.pattern!, 'u');
    const written = ['.', 'spec', 'spec.replicas', 'spec.template.spec.containers[0].image', formatPath(['metadata', 'labels', 'app.kubernetes.io/instance']),
      formatPath(['data', 'say "hi" \\ [x]']), formatPath(['a', '']), formatPath(['a', 'tab\there']), formatPath(['x-y_z', 0, 'é'])];
    const malformed = ['', '.a', 'a.', 'a..b', 'a[', 'a["b"', 'a[b]', 'a[01]', 'a["\\x"]', 'a b', 'a.1b', 'metadata.labels.app.kubernetes.io/name'];
    for (const p of written) expect([p, pattern.test(p), parsePath(p) !== undefined]).toEqual([p, true, true]);
    for (const p of malformed.filter(x => x !== '')) expect([p, pattern.test(p), parsePath(p) !== undefined]).toEqual([p, false, false]);
  });
});
