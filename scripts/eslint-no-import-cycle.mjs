// ESLint rule `seaworthy/no-import-cycle`: no module may import itself back, through any chain of
// relative imports. Unlike `import/no-cycle`, type-only imports count: a loop of types is a loop of
// concepts. Every `import`, `import type`, `export ... from`, `import x = require()` and
// `import('...')` (call or type) is an edge. Packages are not followed (they cannot import us).
//
// Each file is scanned once per lint run (cached with its content), and a file's imports are
// searched once, so the rule costs about one scan of the sources plus one graph search per file.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

// Required, not imported: the parser has loaded it already, and an ES import of this large
// CommonJS module would have Node scan all of it again.
const ts = createRequire(import.meta.url)('typescript');

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '/index.ts'];
const scanned = new Map();

/** The relative imports of `text` (a file at `file`): specifier, resolved path and offset. */
function importsOf(file, text) {
  const out = [];
  // No relative specifier anywhere (generated bindings): nothing to scan for.
  if (!/['"]\.\.?\//.test(text)) return out;
  for (const f of ts.preProcessFile(text, true, true).importedFiles) {
    if (!f.fileName.startsWith('./') && !f.fileName.startsWith('../')) continue;
    const target = resolveModule(dirname(file), f.fileName);
    if (target) out.push({ specifier: f.fileName, target, pos: f.pos });
  }
  return out;
}

function resolveModule(dir, specifier) {
  const base = resolve(dir, specifier);
  for (const candidate of [base, ...EXTENSIONS.map(e => base.replace(/\.js$/, '') + e)]) {
    try {
      if (/\.tsx?$/.test(candidate) && statSync(candidate).isFile()) return candidate;
    } catch {
      // Not this candidate.
    }
  }
  return undefined;
}

/** `importsOf`, once per file and content: the file being linted is scanned once, not again from disk. */
function importsCached(file, text) {
  const hit = scanned.get(file);
  if (hit && hit.text === text) return hit.imports;
  const imports = importsOf(file, text);
  scanned.set(file, { text, imports, read: Date.now() });
  return imports;
}

/** The relative imports of the file at `file`, read from disk (within ten seconds of the last read, taken as unchanged: a lint run reads each file a few times at most). */
function importsOnDisk(file) {
  const hit = scanned.get(file);
  if (hit && Date.now() - hit.read < 10_000) return hit.imports;
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const imports = importsCached(file, text);
  scanned.get(file).read = Date.now();
  return imports;
}

/** Whether `goal` can be reached from any of `starts` (one search for all of them). */
function reachable(starts, goal) {
  const seen = new Set(starts);
  const queue = [...starts];
  while (queue.length > 0) {
    for (const { target } of importsOnDisk(queue.pop())) {
      if (target === goal) return true;
      if (!seen.has(target)) {
        seen.add(target);
        queue.push(target);
      }
    }
  }
  return false;
}

/** The shortest chain of imports from `start` back to `goal`, or undefined when there is none. */
function pathBack(start, goal) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    for (const { target } of importsOnDisk(file)) {
      if (previous.has(target)) continue;
      previous.set(target, file);
      if (target === goal) {
        const chain = [];
        for (let f = goal; f !== undefined; f = previous.get(f)) chain.unshift(f);
        return chain;
      }
      queue.push(target);
    }
  }
  return undefined;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles between modules, type-only imports included' },
    schema: [],
    messages: {
      cycle: 'import cycle: {{chain}}. Move what both sides need into a module below them (a type, a constant), or invert the dependency.',
    },
  },
  create(context) {
    const file = context.physicalFilename;
    if (!/\.tsx?$/.test(file)) return {};
    return {
      Program() {
        const root = context.cwd ?? process.cwd();
        const edges = importsCached(file, context.sourceCode.text).filter(e => e.target !== file);
        // Most files are in no loop: one search settles it; the chains are looked for only when one is.
        if (!reachable(edges.map(e => e.target), file)) return;
        for (const edge of edges) {
          const back = pathBack(edge.target, file);
          if (!back) continue;
          const chain = [file, ...back].map(f => relative(root, f)).join(' → ');
          const at = context.sourceCode.getLocFromIndex(edge.pos);
          context.report({ loc: { start: at, end: { line: at.line, column: at.column + edge.specifier.length + 2 } }, messageId: 'cycle', data: { chain } });
        }
      },
    };
  },
};

export default { rules: { 'no-import-cycle': rule } };
