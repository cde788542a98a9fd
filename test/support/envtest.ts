import * as path from 'path';
import { assetsVersion } from './apiserver';

/** An envtest asset folder (kube-apiserver + etcd) and the Kubernetes version it holds. */
export interface EnvtestAssets {
  readonly dir: string;
  /** `1.28.15`. */
  readonly version: string;
  readonly minor: number;
}

/**
 * The asset folders the API-server suites run on, envtest's way: `SEAWORTHY_ENVTEST_ASSETS`
 * (several folders, `:`-separated), else `KUBEBUILDER_ASSETS` (one folder, as `setup-envtest use
 * -p path` prints it), else none. Each folder's version comes from `kube-apiserver --version`;
 * a folder whose binary does not run, or whose version cannot be read, throws.
 */
export function envtestAssets(env: NodeJS.ProcessEnv = process.env): EnvtestAssets[] {
  const list = env.SEAWORTHY_ENVTEST_ASSETS || env.KUBEBUILDER_ASSETS || '';
  return list.split(path.delimiter).filter(d => d.trim() !== '').map(dir => {
    const version = assetsVersion(dir);
    return { dir, version, minor: Number(version.split('.')[1]) };
  });
}

/** The one line printed when a suite is skipped for want of assets: exactly how to run it. */
export function howToRun(label: string): string {
  return `${label}: skipped, no envtest assets. To run it: export KUBEBUILDER_ASSETS="$(setup-envtest use -p path 1.35.x)" `
    + '(or SEAWORTHY_ENVTEST_ASSETS="$(setup-envtest use -p path 1.28.x):$(setup-envtest use -p path 1.35.x)" for both ends of the range), then npm test';
}

/**
 * Declares `suite` when envtest assets are given. Without them — under CI=true too, since no
 * server is bundled — the suite is skipped and one line says how to run it. Assets that are given
 * but unusable (a binary that does not start, a version that cannot be read) fail.
 */
export function whenEnvtestAssets(label: string, suite: (assets: readonly EnvtestAssets[]) => void): void {
  let assets: EnvtestAssets[];
  try {
    assets = envtestAssets();
  } catch (e) {
    const message = (e as Error).message;
    test(`${label}: the given envtest assets are usable`, () => {
      throw new Error(message);
    });
    return;
  }
  if (assets.length > 0) {
    suite(assets);
    return;
  }
  process.stderr.write(`${howToRun(label)}\n`);
  test.skip(`${label} (no envtest assets: set KUBEBUILDER_ASSETS or SEAWORTHY_ENVTEST_ASSETS)`, () => undefined);
}
