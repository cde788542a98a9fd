import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LoadFs, REAL_LOAD_FS } from '../src/manifests/load';
import { CliIo, run, runAsync } from '../src/cli/main';

const FIX = path.join(__dirname, 'fixtures');

function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: false });
  return { code, stdout, stderr };
}

describe('seaworthy CLI', () => {
  test('audit exits 0 on the reference app and 1 on bad manifests', () => {
    expect(cli('audit', path.join(__dirname, '..', 'dist')).code).toBe(0);
    const bad = cli('audit', path.join(FIX, 'bad', 'network.yaml'), '--complete');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^error +SW-SVC-002 +Service\/net\/nobody/m);
    expect(bad.stdout).toMatch(/\d+ errors, \d+ warnings, \d+ infos\n$/);
  });

  test('--fail-on warning exits 1 on warnings alone', () => {
    const dist = path.join(__dirname, '..', 'dist');
    expect(cli('audit', dist, '--fail-on', 'warning').code).toBe(1);
    expect(cli('audit', dist, '--fail-on=error').code).toBe(0);
  });

  test('a broken YAML file is reported with file and line, and the rest is still audited; exit 2', () => {
    const r = cli('audit', path.join(FIX, 'cli'), '--format', 'json');
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.problems).toEqual([expect.objectContaining({ file: expect.stringMatching(/broken\.yaml$/), line: expect.any(Number) })]);
    expect(out.findings.map((f: { object: string; rule: string }) => `${f.rule} ${f.object}`)).toContain('SW-API-001 PodDisruptionBudget/x/old');
  });

  test('SARIF for code-scanning UIs', () => {
    const r = cli('audit', path.join(FIX, 'bad', 'batch.yaml'), '--format', 'sarif');
    const sarif = JSON.parse(r.stdout);
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.name).toBe('seaworthy');
    expect(run0.tool.driver.rules.map((x: { id: string }) => x.id)).toContain('SW-CRON-001');
    const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'SW-CRON-001');
    expect(result).toMatchObject({ level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: expect.stringMatching(/batch\.yaml$/) }, region: { startLine: 12 } } }] });
    expect(run0.tool.driver.rules[result.ruleIndex].id).toBe('SW-CRON-001');
  });

  test('JUnit with a failure per error', () => {
    const r = cli('audit', path.join(FIX, 'bad', 'batch.yaml'), '--format', 'junit');
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites>/);
    const [, tests, failures] = /<testsuite name="seaworthy audit" tests="(\d+)" failures="(\d+)" errors="0">/.exec(r.stdout)!;
    expect(Number(failures)).toBe((r.stdout.match(/<failure /g) ?? []).length);
    expect(Number(tests)).toBe((r.stdout.match(/<testcase /g) ?? []).length);
    expect(r.stdout).toContain('<failure type="SW-CRON-001"');
  });

  test('colour only on a terminal', () => {
    let out = '';
    run(['audit', path.join(FIX, 'bad', 'batch.yaml')], { stdout: t => { out += t; }, stderr: () => undefined, isTty: true });
    expect(out).toContain('\x1b[31merror');
    expect(cli('audit', path.join(FIX, 'bad', 'batch.yaml')).stdout).not.toContain('\x1b[');
  });

  test('usage errors exit 2', () => {
    expect(cli('audit').code).toBe(2);
    expect(cli('audit', FIX, '--format', 'xml').stderr).toContain('--format must be one of table, json, sarif, junit (got "xml")');
    expect(cli('audit', FIX, '--nope', 'x').code).toBe(2);
    expect(cli('frobnicate').stderr).toContain('unknown command "frobnicate"');
    expect(cli('audit', path.join(FIX, 'does-not-exist.yaml')).code).toBe(2);
  });

  test('--help and --version', () => {
    expect(cli('--help')).toMatchObject({ code: 0, stdout: expect.stringContaining('Exit codes: 0 clean, 1 findings') });
    expect(cli('audit', '--help').stdout).toContain('--fail-on error|warning');
    expect(cli('explain', '--help').stdout).toContain('--format text|markdown|mermaid');
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(cli('--version').stdout).toBe(`${version}\n`);
  });

  test('explain: QoS, rollout math, shutdown timeline, traffic and rules, in text, markdown and mermaid', () => {
    const shop = path.join(__dirname, '..', 'dist', 'prod', 'shop.k8s.yaml');
    const text = cli('explain', shop, '--kubernetes-version', '1.33').stdout;
    expect(text).toMatch(/Deployment\/shop\/api\n {2}Target +Kubernetes 1\.33 \(upstream support (until|ended) 2026-06-28\)\n {2}QoS +Guaranteed: every container \(2\) has cpu and memory limits equal to its requests/);
    // The native otel-agent sidecar (100m, 128Mi) counts in every Pod: 9 × (500m + 100m).
    expect(text).toContain('up to 8 replicas (HPA 3–8); a rollout adds up to 1 surge Pod and keeps at least 8 available; peak 12 Pods = 7200m cpu, 7680Mi memory requested: 9 Pods running + 3 old still terminating at t=60s');
    expect(text).toContain('t=0 Terminating, removed from endpoints → preStop sleeps 5s (kubelet sleep action) while endpoints drop the Pod → t=5s SIGTERM to PID 1 → drain for up to 20s → t=25s SIGKILL; native sidecar "otel-agent" gets SIGTERM only after the app containers exit');
    // Judged for 1.28, the same sidecar is an init container that never exits.
    expect(cli('audit', shop, '--kubernetes-version', '1.28', '--format', 'json').stdout).toContain('SW-TARGET-003');
    expect(text).toMatch(/StatefulSet\/shop\/postgres\n[\s\S]*?Reached by +Deployment\/shop\/api on 5432\/TCP; Deployment\/shop\/orders-worker on 5432\/TCP; Job\/shop\/migrate-4-2-0 on 5432\/TCP/);
    expect(text).toMatch(/Rules +\d+ passed, 0 failed, 0 waived/);
    const md = cli('explain', shop, '--format', 'markdown').stdout;
    expect(md).toContain('### Deployment/shop/web\n\n| | |\n| --- | --- |\n| Target | Kubernetes 1.35');
    const mermaid = cli('explain', shop, '--format', 'mermaid').stdout;
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toMatch(/n\d+ -->\|5432\/TCP\| n\d+/);
    // The Prometheus Pods the API's monitoring admits on its metrics port.
    expect(mermaid).toMatch(/n\d+\(\["pods #123;#34;app\.kubernetes\.io\/name#34;:#34;prometheus#34;#125; in monitoring"\]\) -->\|9090\/TCP\| n\d+/);
    // The platform Gateway's data plane, with the quotes of its labels escaped for Mermaid.
    // Labels are escaped for Mermaid: quotes and braces of the gateway peer's selector included.
    expect(mermaid).toMatch(/n\d+\(\["pods #123;#34;gateway\.networking\.k8s\.io\/gateway-name#34;:#34;public#34;#125; in infra"\]\) -->\|3000\/TCP\| n\d+/);
  });
});

describe('a file that vanishes between listing and reading is unreadable input: exit 2, the file named, never skipped', () => {
  const VANISHED = 'vanished after it was listed, before it could be read; not audited';
  const CONFIG = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: batch\ndata:\n  a: b\n`;

  /** A folder with error findings (so a silent skip would exit 1), a file and a folder that may vanish. */
  function folder(): { dir: string; file: string; sub: string } {
    const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-vanish-')));
    fs.copyFileSync(path.join(FIX, 'bad', 'batch.yaml'), path.join(dir, 'batch.yaml'));
    fs.writeFileSync(path.join(dir, 'gone.yaml'), CONFIG('gone'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', 'also.yaml'), CONFIG('also'));
    return { dir, file: path.join(dir, 'gone.yaml'), sub: path.join(dir, 'sub') };
  }

  /**
   * The real loader, except that `victim` is deleted at one moment: right after its directory is
   * listed, or right before it is read (after the walk found it a regular file).
   */
  function vanishing(victim: string, when: 'listed' | 'read'): LoadFs {
    return {
      ...REAL_LOAD_FS,
      readdir: p => {
        const entries = REAL_LOAD_FS.readdir(p);
        if (when === 'listed' && p === path.dirname(victim)) fs.rmSync(victim, { recursive: true, force: true });
        return entries;
      },
      readFile: p => {
        if (when === 'read' && p === victim) fs.rmSync(victim, { force: true });
        return REAL_LOAD_FS.readFile(p);
      },
    };
  }

  async function cliWith(loader: LoadFs, ...args: string[]) {
    let stdout = '';
    let stderr = '';
    const io: CliIo = { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: false, fs: loader };
    const code = await runAsync(args, io);
    return { code, stdout, stderr };
  }

  const CASES: Array<[string, 'file' | 'sub', 'listed' | 'read']> = [
    ['a file, after its directory was listed', 'file', 'listed'],
    ['a file, after the walk, before it is read', 'file', 'read'],
    ['a directory, after its parent was listed', 'sub', 'listed'],
  ];

  test.each(CASES)('audit: %s', async (_name, which, when) => {
    const f = folder();
    expect((await cliWith(REAL_LOAD_FS, 'audit', f.dir)).code).toBe(1);
    const r = await cliWith(vanishing(f[which], when), 'audit', f.dir, '--format', 'json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems).toEqual([{ file: f[which], message: VANISHED }]);
  });

  test.each(CASES)('diff: %s', async (_name, which, when) => {
    const before = folder();
    const after = folder();
    expect((await cliWith(REAL_LOAD_FS, 'diff', before.dir, after.dir)).code).toBe(0);
    const r = await cliWith(vanishing(after[which], when), 'diff', before.dir, after.dir, '--format', 'json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).problems).toEqual([{ file: after[which], message: VANISHED }]);
  });

  test('explain and report: the same', async () => {
    const f = folder();
    const explained = await cliWith(vanishing(f.file, 'read'), 'explain', f.dir);
    expect(explained.code).toBe(2);
    expect(explained.stderr).toBe(`error: ${f.file}: ${VANISHED}\n`);
    const g = folder();
    const out = path.join(g.dir, '..', `${path.basename(g.dir)}.html`);
    const reported = await cliWith(vanishing(g.sub, 'listed'), 'report', g.dir, '-o', out);
    expect(reported.code).toBe(2);
    expect(reported.stderr).toBe(`error: ${g.sub}: ${VANISHED}\n`);
  });

  test('a directory that cannot be listed is unreadable input too (EACCES injected: root lists any directory)', () => {
    const f = folder();
    const denied: LoadFs = {
      ...REAL_LOAD_FS,
      readdir: p => {
        if (p === f.sub) throw Object.assign(new Error(`EACCES: permission denied, scandir '${p}'`), { code: 'EACCES' });
        return REAL_LOAD_FS.readdir(p);
      },
    };
    let stdout = '';
    expect(run(['audit', f.dir, '--format', 'json'], { stdout: t => { stdout += t; }, stderr: () => undefined, isTty: false, fs: denied })).toBe(2);
    expect(JSON.parse(stdout).problems).toEqual([{ file: f.sub, message: `could not be read: EACCES: permission denied, scandir '${f.sub}'` }]);
  });

  test('the table names the file', () => {
    const f = folder();
    let stdout = '';
    expect(run(['audit', f.dir], { stdout: t => { stdout += t; }, stderr: () => undefined, isTty: false, fs: vanishing(f.file, 'listed') })).toBe(2);
    expect(stdout).toContain(`${f.file}  ${VANISHED}`);
  });
});
