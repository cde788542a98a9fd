import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The README and docs/ link to each other and to the repository's files: every relative link must
 * resolve — the file exists, a `#heading` anchor names a heading of the target page (GitHub's
 * slugs), a `#L<n>` anchor a line the file has. External links are not fetched.
 */

const ROOT = path.resolve(__dirname, '..');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

const PAGES = [path.join(ROOT, 'README.md'), path.join(ROOT, 'CHANGELOG.md'), ...markdownFiles(path.join(ROOT, 'docs'))];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/<[^>]+>/g, '').replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The text outside fenced code blocks. */
function outsideFences(text: string): string {
  return text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
}

/** The text outside fenced code blocks and inline code. */
function prose(text: string): string {
  return outsideFences(text).replace(/`[^`\n]*`/g, '');
}

const anchorsCache = new Map<string, Set<string>>();
function anchorsOf(file: string): Set<string> {
  let anchors = anchorsCache.get(file);
  if (!anchors) {
    anchors = new Set<string>();
    const seen = new Map<string, number>();
    for (const m of outsideFences(fs.readFileSync(file, 'utf8')).matchAll(/^#{1,6} (.+)$/gm)) {
      const base = slug(m[1]);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/<a (?:name|id)="([^"]+)"/g)) anchors.add(m[1]);
    anchorsCache.set(file, anchors);
  }
  return anchors;
}

/** Every problem with the relative links of `file`. */
function brokenLinks(file: string): string[] {
  const out: string[] = [];
  for (const m of prose(fs.readFileSync(file, 'utf8')).matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1];
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
    const [file2, anchor] = target.split('#') as [string, string | undefined];
    const resolved = file2 === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(file2));
    const where = `${path.relative(ROOT, file)}: ${target}`;
    if (!fs.existsSync(resolved)) {
      out.push(`${where}: ${path.relative(ROOT, resolved)} does not exist`);
      continue;
    }
    if (anchor === undefined || fs.statSync(resolved).isDirectory()) continue;
    const line = /^L(\d+)$/.exec(anchor);
    if (line) {
      const lines = fs.readFileSync(resolved, 'utf8').split('\n').length;
      if (Number(line[1]) > lines) out.push(`${where}: ${path.relative(ROOT, resolved)} has ${lines} lines`);
    } else if (resolved.endsWith('.md') && !anchorsOf(resolved).has(anchor)) {
      out.push(`${where}: no heading "#${anchor}" in ${path.relative(ROOT, resolved)}`);
    }
  }
  return out;
}

describe('documentation links', () => {
  test('every relative link of the README, the CHANGELOG and docs/ resolves', () => {
    expect(PAGES.length).toBeGreaterThan(10);
    expect(PAGES.flatMap(brokenLinks)).toEqual([]);
  });

  test('the README links every page of docs/ (but the generated API reference\'s inner pages)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const pages = fs.readdirSync(path.join(ROOT, 'docs')).filter(f => f.endsWith('.md'));
    expect(pages.filter(p => !readme.includes(`(docs/${p})`))).toEqual([]);
  });

  test('the README stays a page a newcomer reads to the end (at most 300 lines)', () => {
    expect(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(300);
  });

  test('the checker itself: a missing file, a missing heading and a line past the end are reported', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'links-'));
    try {
      fs.writeFileSync(path.join(dir, 'a.md'), '# Title\n\n## Some `code` heading!\n\n[ok](#title) [ok2](#some-code-heading) [ok3](b.txt#L2) [x](missing.md) [y](#nope) [z](b.txt#L9) `[not](a-link.md)`\n');
      fs.writeFileSync(path.join(dir, 'b.txt'), 'one\ntwo\n');
      expect(brokenLinks(path.join(dir, 'a.md')).map(l => l.replace(/^.*?: /, ''))).toEqual([
        expect.stringMatching(/^missing\.md: .*missing\.md does not exist$/),
        expect.stringMatching(/^#nope: no heading "#nope"/),
        expect.stringMatching(/^b\.txt#L9: .*b\.txt has 3 lines$/),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
