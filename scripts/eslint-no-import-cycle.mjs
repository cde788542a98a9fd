// ESLint rule `seaworthy/no-import-cycle`: no module may import itself back, through any chain of
// relative imports. Unlike `import/no-cycle`, type-only imports count: a loop of types is a loop of
// concepts. Every `import`, `import type`, `export ... from`, `import x = require()` and
// `import('...')` (call or type) is an edge. Packages are not followed (they cannot import us).
//
// Each file is read and scanned once per lint run (cached by modification time), so the rule adds
// a linear pass over the sources, not one per file.
import { readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import ts from 'typescript';

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '/index.ts'];
const scanned = new Map();

/** The relative imports of `text` (a file at `file`): specifier, resolved path and offset. */
function importsOf(file, text) {
  const out = [];
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

/** The relative imports of the file at `file`, read from disk. */
function importsOnDisk(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = scanned.get(file);
  if (hit && hit.mtime === mtime) return hit.imports;
  const imports = importsOf(file, readFileSync(file, 'utf8'));
  scanned.set(file, { mtime, imports });
  return imports;
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
        for (const edge of importsOf(file, context.sourceCode.text)) {
          if (edge.target === file) continue;
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
