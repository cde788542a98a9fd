import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startApiServer } from './support/apiserver';
import { envtestAssets, howToRun } from './support/envtest';

/** The asset discovery of the API-server suites: given assets must work, absent ones skip. */

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'envtest-assets-'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** An asset folder whose kube-apiserver is a shell script with `body`. */
function assetFolder(name: string, body: string | undefined): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  if (body !== undefined) fs.writeFileSync(path.join(dir, 'kube-apiserver'), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'etcd'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return dir;
}

describe('envtest assets', () => {
  test('none given: no assets (the suites skip)', () => {
    expect(envtestAssets({})).toEqual([]);
    expect(envtestAssets({ SEAWORTHY_ENVTEST_ASSETS: '', KUBEBUILDER_ASSETS: '' })).toEqual([]);
  });

  test('the version comes from `kube-apiserver --version`; SEAWORTHY_ENVTEST_ASSETS takes several folders and wins over KUBEBUILDER_ASSETS', () => {
    const old = assetFolder('old', 'echo "Kubernetes v1.28.15"');
    const current = assetFolder('current', 'echo "Kubernetes v1.35.6"');
    expect(envtestAssets({ SEAWORTHY_ENVTEST_ASSETS: `${old}${path.delimiter}${current}`, KUBEBUILDER_ASSETS: '/nonexistent' }))
      .toEqual([{ dir: old, version: '1.28.15', minor: 28 }, { dir: current, version: '1.35.6', minor: 35 }]);
    expect(envtestAssets({ KUBEBUILDER_ASSETS: current })).toEqual([{ dir: current, version: '1.35.6', minor: 35 }]);
  });

  test('a binary that runs but prints no version: the folder name setup-envtest gives is read', () => {
    const dir = assetFolder('1.31.2-linux-amd64', 'echo "Kubernetes v0.0.0-master"');
    expect(envtestAssets({ KUBEBUILDER_ASSETS: dir })).toEqual([{ dir, version: '1.31.2', minor: 31 }]);
  });

  test('given but broken assets fail, naming the folder and what is wrong', () => {
    const crashing = assetFolder('1.35.0-linux-amd64-crashing', 'echo "exec format error" >&2; exit 126');
    expect(() => envtestAssets({ KUBEBUILDER_ASSETS: crashing })).toThrow(/kube-apiserver does not start \(exit 126: exec format error\)/);
    const empty = assetFolder('1.35.0-linux-amd64-empty', undefined);
    expect(() => envtestAssets({ KUBEBUILDER_ASSETS: empty })).toThrow(/kube-apiserver does not exist/);
    const unreadable = assetFolder('no-version-here', 'echo "hello"');
    expect(() => envtestAssets({ SEAWORTHY_ENVTEST_ASSETS: unreadable })).toThrow(/cannot tell the Kubernetes version: `kube-apiserver --version` printed "hello"/);
    const notExecutable = assetFolder('1.35.0-not-executable', 'echo v1.35.0');
    fs.chmodSync(path.join(notExecutable, 'kube-apiserver'), 0o644);
    if (process.getuid?.() !== 0) expect(() => envtestAssets({ KUBEBUILDER_ASSETS: notExecutable })).toThrow(/is not executable/);
    else expect(() => envtestAssets({ KUBEBUILDER_ASSETS: notExecutable })).toThrow(/kube-apiserver (is not executable|does not start)/);
  });

  test('assets whose version reads but whose servers do not start fail the suite\'s set-up, with the log', async () => {
    const dir = assetFolder('1.35.0-linux-amd64-nostart', 'if [ "$1" = "--version" ]; then echo "Kubernetes v1.35.0"; exit 0; fi\necho "cannot serve" >&2; exit 1');
    fs.writeFileSync(path.join(dir, 'etcd'), '#!/bin/sh\necho "etcd: bad data dir" >&2\nexit 1\n', { mode: 0o755 });
    expect(envtestAssets({ KUBEBUILDER_ASSETS: dir })).toEqual([{ dir, version: '1.35.0', minor: 35 }]);
    await expect(startApiServer(dir, { timeoutMs: 20_000, attempts: 1 })).rejects.toThrow(/etcd \(.*\) exited with 1 before the API server was ready; its log ends:\s+etcd: bad data dir/);
  }, 30_000);

  test('the skip line says exactly how to run the suite', () => {
    const line = howToRun('the API-server suite');
    expect(line).not.toContain('\n');
    expect(line).toContain('setup-envtest use -p path 1.35.x');
    expect(line).toContain('KUBEBUILDER_ASSETS');
    expect(line).toContain('SEAWORTHY_ENVTEST_ASSETS');
  });
});
