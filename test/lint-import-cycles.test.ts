import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

// The lint rule that keeps the import graph free of loops (scripts/eslint-no-import-cycle.mjs),
// run by ESLint on small module sets written to a temporary directory.
const ROOT = path.join(__dirname, '..');
const RULE = pathToFileURL(path.join(ROOT, 'scripts', 'eslint-no-import-cycle.mjs')).href;

/** Lints `files` (name → source) with only the cycle rule; "file:line: message" per report, sorted. */
function lint(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cycles-'));
  try {
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      fs.writeFileSync(path.join(dir, name), text);
    }
    const script = `
      import { ESLint } from 'eslint';
      import tseslint from 'typescript-eslint';
      import plugin from ${JSON.stringify(RULE)};
      const eslint = new ESLint({
        cwd: ${JSON.stringify(dir)},
        overrideConfigFile: true,
        overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, plugins: { seaworthy: plugin }, rules: { 'seaworthy/no-import-cycle': 'error' } }],
      });
      const results = await eslint.lintFiles(['**/*.ts']);
      const out = results.flatMap(r => r.messages.map(m => r.filePath.slice(${JSON.stringify(dir.length + 1)}) + ':' + m.line + ': ' + m.message));
      process.stdout.write(JSON.stringify(out.sort()));
    `;
    return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' })) as string[];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('lint: no import cycles', () => {
  test('a loop of type-only imports is reported on each import of the loop, with the chain', () => {
    const found = lint({
      'a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
      'b.ts': "import { A } from './a';\nexport interface B { a?: A }\n",
    });
    expect(found).toEqual([
      'a.ts:1: import cycle: a.ts → b.ts → a.ts. Move what both sides need into a module below them (a type, a constant), or invert the dependency.',
      'b.ts:1: import cycle: b.ts → a.ts → b.ts. Move what both sides need into a module below them (a type, a constant), or invert the dependency.',
    ]);
  });

  test('re-exports and folder indexes are edges too, across folders', () => {
    const found = lint({
      'engine.ts': "import { CHECKS } from './checks';\nexport const run = (): number => CHECKS.length;\n",
      'checks/index.ts': "export * from './pod';\n",
      'checks/pod.ts': "import type { run } from '../engine';\nexport const CHECKS: Array<typeof run> = [];\n",
    });
    expect(found.map(f => f.split(': import cycle: ')[0])).toEqual(['checks/index.ts:1', 'checks/pod.ts:1', 'engine.ts:1']);
    expect(found[2]).toContain('engine.ts → checks/index.ts → checks/pod.ts → engine.ts');
  });

  test('layered imports, packages and a module importing itself are not loops', () => {
    expect(lint({
      'top.ts': "import * as fs from 'fs';\nimport { mid } from './mid';\nimport type { Low } from './low';\nexport const top = (l: Low): string => mid(l) + fs.sep;\n",
      'mid.ts': "import { Low, low } from './low';\nexport const mid = (l: Low): string => low + l.name;\n",
      'low.ts': "export interface Low { name: string }\nexport const low = 'low';\nexport type Self = import('./low').Low;\n",
    })).toEqual([]);
  });
});
