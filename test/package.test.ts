import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

interface PackResult { files: Array<{ path: string }>; size: number; entryCount: number }

describe('the npm package', () => {
  // `npm pack --dry-run` runs the prepack build, so lib/ is current.
  const pack = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as PackResult[];
  const files = pack[0].files.map(f => f.path).sort();

  test('holds the compiled library, the CLI, the docs and nothing else', () => {
    const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|bin\/seaworthy\.js|docs\/[\w./-]+\.md|lib\/imports\/(k8s|gateway-api|vpa|prometheus-operator|flux)\.(js|d\.ts)|lib\/src\/.+\.(js|d\.ts))$/;
    expect(files.filter(f => !allowed.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/cli/main.js', 'bin/seaworthy.js', 'docs/rules.md', 'LICENSE', 'CHANGELOG.md']));
    expect(files.some(f => /^(test|dist|src|bench|scripts)\//.test(f) || f.startsWith('lib/src/main.'))).toBe(false);
  });

  test('its type declarations expose no internal members', () => {
    const dts = files.filter(f => f.endsWith('.d.ts') && f.startsWith('lib/src/'));
    expect(dts.length).toBeGreaterThan(30);
    const leaks = dts.flatMap(f => fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n')
      .filter(line => /^\s+(?:(?:public|readonly|static|protected)\s+)*_\w+[?(:]/.test(line))
      .map(line => `${f}: ${line.trim()}`));
    expect(leaks).toEqual([]);
  });

  test('declares its framework as peer dependencies, matched by dev dependencies', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual(['cdk8s', 'cdk8s-plus-28', 'constructs']);
    for (const name of Object.keys(pkg.peerDependencies)) {
      expect(pkg.devDependencies[name]).toBeDefined();
      expect(pkg.dependencies[name]).toBeUndefined();
    }
    expect(pkg.bin).toEqual({ seaworthy: 'bin/seaworthy.js' });
    expect(pkg.version).toMatch(/^0\.\d+\.\d+$/);
  });
});
