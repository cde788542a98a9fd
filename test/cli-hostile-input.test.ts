import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cli, file } from './support/cli-capture';

/* ------------------------------------------------------------------------------------------ */
/* Hostile input to the CLI: every input must be audited or reported,                          */
/* within bounded time, and every output format must print it inert.                          */
/* ------------------------------------------------------------------------------------------ */

/** Inputs per class, counted as each describe block is collected. */
const corpus: Record<string, number> = {};

const laughs = (levels: number, width: number) => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol, namespace: a}', 'data:', `  l0: &l0 [${Array(width).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
};
const mapLaughs = (levels: number, width: number) => {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol, namespace: a}', 'x:', '  l0: &l0 {a: b}'];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} {${Array.from({ length: width }, (_, k) => `k${k}: *l${i - 1}`).join(', ')}}`);
  return `${lines.join('\n')}\n`;
};

describe('alias bombs are refused in bounded time, as go-yaml refuses them', () => {
  const bombs: Array<[string, string, number]> = [];
  for (const levels of [6, 7, 8, 9, 10, 12, 15, 20]) for (const width of [8, 10, 16, 32]) bombs.push([`list ${levels}x${width}`, laughs(levels, width), width ** levels]);
  for (const levels of [7, 9, 12]) for (const width of [10, 16]) bombs.push([`map ${levels}x${width}`, mapLaughs(levels, width), width ** levels]);
  corpus.aliasBombs = bombs.length + 1;
  bombs.push(['an alias to its own anchor', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nx: &a [1, *a]\n', Infinity]);
  test.each(bombs)('%s: audited or refused within seconds; refused above go-yaml\'s limits', (_what, text, expansion) => {
    const started = Date.now();
    const r = cli(['audit', '--format', 'json', file(text)]);
    expect(Date.now() - started).toBeLessThan(3000);
    const problems = JSON.parse(r.stdout).problems;
    if (expansion > 4_000_000) {
      expect(r.code).toBe(2);
      expect(problems[0].message).toMatch(/excessive aliasing|expands to more than|refers to itself/);
    } else {
      expect(problems).toEqual([]);
    }
  });

  test('a few aliases, as real manifests use them, are fine', () => {
    const r = cli(['audit', '--format', 'json', file(laughs(3, 4))]);
    expect(JSON.parse(r.stdout).problems).toEqual([]);
  });
});

describe('kind: List is flattened recursively: nested Lists hide nothing', () => {
  const secret = '{apiVersion: v1, kind: Secret, metadata: {name: hidden, namespace: a}, stringData: {password: x}}';
  const nest = (depth: number) => {
    let inner = secret;
    for (let i = 0; i < depth; i++) inner = `{apiVersion: v1, kind: List, items: [${inner}]}`;
    return `${inner}\n`;
  };
  corpus.nestedLists = 10 + 1 + 5;
  test.each([1, 2, 3, 5, 10, 20, 50, 100, 200, 300])('a Secret inside %i nested Lists is audited', depth => {
    const r = cli(['audit', '--format', 'json', file(nest(depth))]);
    const out = JSON.parse(r.stdout);
    expect(out.problems).toEqual([]);
    expect(out.findings.map((f: { rule: string; object: string }) => `${f.rule} ${f.object}`)).toContain('SW-SECRET-001 Secret/a/hidden');
  });
  test('too deep to parse is reported, never silently dropped', () => {
    const r = cli(['audit', '--format', 'json', file(nest(2000))]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems).toHaveLength(1);
  });
  test.each(['42', '"text"', 'null', '[1, 2]', 'true'])('a List item %s that is not an object is reported', item => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: List\nitems: [${item}, ${secret}]\n`)]);
    const out = JSON.parse(r.stdout);
    expect(r.code).toBe(2);
    expect(out.problems[0].message).toMatch(/items\[0\] of a List is not an object/);
    expect(out.findings.map((f: { rule: string }) => f.rule)).toContain('SW-SECRET-001');
  });
});

describe('work per document is bounded', () => {
  corpus.bounded = 1 + 4 + 4;
  test('a document over 3 MiB is reported, not parsed', () => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: "${'a'.repeat(3 << 20)}"\n`)]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems[0].message).toMatch(/over 3145728 are not parsed/);
  });
  test.each([1 << 10, 1 << 16, 1 << 20, 2 << 20])('a %i-character bad value is cut in the finding', n => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n  labels:\n    x: "${'a '.repeat(n / 2)}"\n`)]);
    const f = JSON.parse(r.stdout).findings.find((x: { rule: string }) => x.rule === 'SW-LABEL-001');
    expect(f.value.length).toBeLessThan(130);
    expect(r.stdout.length).toBeLessThan(5000);
  });
  test.each([1001, 1500, 5000, 20000])('flow nesting %i deep is reported', depth => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\nx: ${'['.repeat(depth)}${']'.repeat(depth)}\n`)]);
    expect(r.code).toBe(2);
  });
});

describe('directory walking survives what a file system can hold', () => {
  const base = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-walk-'));
    fs.writeFileSync(path.join(dir, 'good.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\nstringData: {k: v}\n');
    return dir;
  };
  const audited = (r: { stdout: string }) => JSON.parse(r.stdout).findings.map((f: { rule: string }) => f.rule);
  const cases: Array<[string, (dir: string) => void]> = [
    ['a symlink loop to the directory itself', d => fs.symlinkSync(d, path.join(d, 'loop'))],
    ['a symlink loop to a parent', d => { fs.mkdirSync(path.join(d, 'sub')); fs.symlinkSync(d, path.join(d, 'sub', 'up')); }],
    ['a self-referencing link with a manifest name', d => fs.symlinkSync(path.join(d, 'self.yaml'), path.join(d, 'self.yaml'))],
    ['a dangling link with a manifest name', d => fs.symlinkSync(path.join(d, 'nowhere'), path.join(d, 'dangling.yaml'))],
    ['a FIFO with a manifest name', d => { spawnSync('mkfifo', [path.join(d, 'pipe.yaml')]); }],
    ['a link to a character device', d => fs.symlinkSync('/dev/zero', path.join(d, 'zero.yaml'))],
    ['a unix socket', d => { spawnSync('python3', ['-c', `import socket; s=socket.socket(socket.AF_UNIX); s.bind(${JSON.stringify(path.join(d, 'sock.yaml'))})`]); }],
    ['an unreadable directory', d => { fs.mkdirSync(path.join(d, 'locked')); fs.writeFileSync(path.join(d, 'locked', 'x.yaml'), 'kind: A'); fs.chmodSync(path.join(d, 'locked'), 0); }],
  ];
  corpus.walking = cases.length + 3;
  test.each(cases)('%s: skipped with a message, the rest audited, exit 2', (what, make) => {
    const dir = base();
    make(dir);
    const started = Date.now();
    const r = cli(['audit', '--format', 'json', dir]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(audited(r)).toContain('SW-SECRET-001');
    // Root reads unreadable directories; only then is there nothing to report.
    if (what === 'an unreadable directory' && process.getuid?.() === 0) return;
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems.length).toBeGreaterThan(0);
  });
  test.each(['/dev/null', '/dev/zero', '/nonexistent/file.yaml'])('%s named on the command line is reported, never read', p => {
    const r = cli(['audit', '--format', 'json', p]);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems).toHaveLength(1);
  });
});

describe('every output format prints hostile strings inert', () => {
  const nasty = ['\u001b[2J', '\u001b]0;pwned\u0007', '\u009b31m', '\u0000', '\u0008\u0008', '\r', '\u007f', '\u2028', '\u2029', '\u202e', '\u2066', '\u061c', '\ufffe', '\ud800', '<!--', ']]>', '"];click n0 "http://x', '&amp;', '|x|', '#quot;'];
  const ILLEGAL_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  const TERMINAL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u061c]/;
  const docFor = (s: string) => file(`apiVersion: v1\nkind: Service\nmetadata:\n  name: ${JSON.stringify(`svc${s}`)}\n  namespace: ${JSON.stringify(`ns${s}`)}\n  labels: {x: ${JSON.stringify(s)}}\nspec: {selector: {app: ${JSON.stringify(s)}}, ports: [{port: 80}]}\n`);
  const cases = nasty.flatMap(s => ['table', 'junit', 'json', 'sarif', 'mermaid', 'text'].map(format => [format, JSON.stringify(s), s]));
  corpus.escaping = cases.length;
  test.each(cases)('%s output of %s', (format, _shown, s) => {
    const f = docFor(s as string);
    const r = format === 'mermaid' || format === 'text' ? cli(['explain', '--format', format as string, f]) : cli(['audit', '--format', format as string, f]);
    const out = r.stdout + r.stderr;
    if (format === 'table' || format === 'text') expect(out.replace(/\u001b\[(0|3[136])m/g, '')).not.toMatch(TERMINAL);
    if (format === 'junit') expect(out).not.toMatch(ILLEGAL_XML);
    if (format === 'json' || format === 'sarif') expect(() => JSON.parse(r.stdout)).not.toThrow();
    if (format === 'mermaid') for (const line of r.stdout.split('\n').slice(1)) expect(line).toMatch(/^ {2}n\d+(\["[^"]*"\]|\(\["[^"]*"\]\))?( -->(\|[^|"]*\|)? n\d+)?$|^$/);
  });
});

describe('malformed flags are usage errors', () => {
  const bad = [
    ['--format=json=x'], ['--format='], ['--format', ''], ['--format', 'JSON'], ['--format', 'json', '--format', 'sarif'], ['--profile=prod'], ['--fail-on', 'info'],
    ['--fail-on=error=1'], ['--nope'], ['-f', 'json'], ['--format'], ['--format\u001b[2J=json'], ['--=x'], ['---format=json'], ['--profile', 'production', '--profile=staging'],
  ];
  corpus.flags = bad.length;
  test.each(bad.map(b => [JSON.stringify(b), b]))('audit %s', (_shown, flags) => {
    const r = cli(['audit', ...(flags as string[]), path.join(__dirname, 'fixtures', 'bad', 'network.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^seaworthy: /);
    expect(r.stderr).not.toMatch(/\u001b/);
  });
});

test('the hostile CLI input corpus holds at least 210 inputs', () => {
  // Counted per class as each describe block is collected; 210 when the corpus was split by
  // concept (with invalid-props.test.ts and the other two, 700 hostile inputs), and it only grows.
  expect(Object.values(corpus).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(210);
});
