import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { runAsync } from '../src/cli/main';

// Where CI already is: the pre-commit hooks' entries run on fixture files as pre-commit would run
// them, and the composite GitHub Action calls the CLI with flags it accepts.
const ROOT = path.join(__dirname, '..');

interface Hook {
  id: string;
  entry: string;
  language: string;
  files: string;
  exclude?: string;
  args?: string[];
  pass_filenames?: boolean;
}

const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const code = await runAsync(args, { stdout: t => { stdout += t; }, stderr: () => undefined, isTty: false });
  return { code, stdout };
}

describe('pre-commit hooks', () => {
  test('seaworthy-audit: its entry audits the staged manifests it matches and fails on errors only', async () => {
    const hook = hooks.find(h => h.id === 'seaworthy-audit')!;
    expect(hook.entry.startsWith('npx --no-install seaworthy ')).toBe(true);
    const args = [...hook.entry.replace('npx --no-install seaworthy ', '').split(' '), ...(hook.args ?? [])];
    // The files pre-commit would pass: what `files` matches and `exclude` does not.
    const staged = (dir: string) => fs.readdirSync(dir).map(f => path.relative(ROOT, path.join(dir, f)))
      .filter(f => new RegExp(hook.files).test(f) && !(hook.exclude && new RegExp(hook.exclude).test(f)));
    const good = staged(path.join(ROOT, 'dist', 'prod'));
    expect(good).toEqual(['dist/prod/hello.k8s.yaml', 'dist/prod/infra.k8s.yaml', 'dist/prod/logging.k8s.yaml', 'dist/prod/shop.k8s.yaml']);
    expect((await cli([...args, ...good.map(f => path.join(ROOT, f))])).code).toBe(0);
    const bad = staged(path.join(ROOT, 'test', 'fixtures', 'bad'));
    expect(bad.length).toBeGreaterThan(0);
    const failing = await cli([...args, ...bad.map(f => path.join(ROOT, f))]);
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/^error +SW-[A-Z]+-\d+ /m);
    expect(new RegExp(hook.files).test('src/main.ts')).toBe(false);
  });

  test('seaworthy-synth-drift: passes when dist/ is what the app synthesizes, fails and names the files when not', () => {
    const hook = hooks.find(h => h.id === 'seaworthy-synth-drift')!;
    expect(hook).toMatchObject({ language: 'script', pass_filenames: false });
    expect(new RegExp(hook.files).test('src/main.ts')).toBe(true);
    expect(new RegExp(hook.files).test('cdk8s.yaml')).toBe(true);
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-hook-'));
    try {
      const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, stdio: 'pipe' });
      git('init', '-q');
      git('config', 'user.email', 'ci@example.com');
      git('config', 'user.name', 'ci');
      // A stand-in cdk8s app: `npm run synth` writes dist/ from main.js.
      fs.writeFileSync(path.join(repo, 'package.json'), JSON.stringify({ name: 'app', private: true, scripts: { synth: 'node main.js' } }));
      const app = (replicas: number) => fs.writeFileSync(path.join(repo, 'main.js'), `require('fs').mkdirSync('dist', { recursive: true }); require('fs').writeFileSync('dist/app.k8s.yaml', 'replicas: ${replicas}\\n');\n`);
      app(2);
      execFileSync('npm', ['run', '-s', 'synth'], { cwd: repo });
      git('add', '-A');
      git('commit', '-qm', 'app');
      const hookRun = () => spawnSync(path.join(ROOT, hook.entry), hook.args ?? [], { cwd: repo, encoding: 'utf8' });
      expect(hookRun().status).toBe(0);
      app(3);
      const drift = hookRun();
      expect(drift.status).toBe(1);
      expect(drift.stderr).toContain('dist/ differs from what the app synthesizes');
      expect(drift.stderr).toContain('dist/app.k8s.yaml');
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('GitHub Action (action.yml)', () => {
  const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default: string }>;
    runs: { using: string; steps: Array<{ uses?: string; run?: string; env?: Record<string, string> }> };
  };

  test('a composite action: install, audit, SARIF to code scanning, the HTML report as an artifact', () => {
    expect(action.runs.using).toBe('composite');
    const uses = action.runs.steps.map(s => s.uses).filter(Boolean);
    expect(uses).toEqual(['actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3', 'actions/upload-artifact@v4']);
    // Inputs reach scripts through env only (no ${{ }} inside a shell script: no injection).
    for (const s of action.runs.steps.filter(x => x.run)) expect(s.run).not.toContain('${{');
    expect(action.runs.steps.map(s => s.run ?? '').join('\n')).toMatch(/audit \$PATHS .*--format sarif > seaworthy\.sarif/);
  });

  test('the CLI accepts the flags the Action passes, with its defaults', async () => {
    const i = action.inputs;
    const prod = path.join(ROOT, 'dist', 'prod');
    expect((await cli(['audit', prod, '--profile', i.profile.default, '--fail-on', i['fail-on'].default])).code).toBe(0);
    const sarif = await cli(['audit', prod, '--profile', i.profile.default, '--kubernetes-version', '1.35', '--format', 'sarif']);
    expect(JSON.parse(sarif.stdout).version).toBe('2.1.0');
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-action-')), 'seaworthy-report.html');
    expect((await cli(['report', prod, '--profile', i.profile.default, '-o', out])).code).toBe(0);
    expect(fs.statSync(out).size).toBeGreaterThan(10_000);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });
});
