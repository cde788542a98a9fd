import * as fs from 'fs';
import * as path from 'path';
import { prepareAssets, sharedDir } from '../../scripts/envtest-assets';
import { assetsVersion } from './apiserver';

/** An envtest asset folder (kube-apiserver + etcd) and the Kubernetes version it holds. */
export interface EnvtestAssets {
  readonly dir: string;
  /** `1.28.15`. */
  readonly version: string;
  readonly minor: number;
}

/**
 * The asset folders the API-server suite runs on, envtest's way: `SEAWORTHY_ENVTEST_ASSETS`
 * (several folders, `:`-separated), else `KUBEBUILDER_ASSETS` (one folder, as `setup-envtest use
 * -p path` prints it), else none. Each folder's version comes from `kube-apiserver --version`.
 */
export function envtestAssets(): EnvtestAssets[] {
  const list = process.env.SEAWORTHY_ENVTEST_ASSETS || process.env.KUBEBUILDER_ASSETS || '';
  return list.split(path.delimiter).filter(d => d.trim() !== '').map(dir => {
    const version = assetsVersion(dir);
    return { dir, version, minor: Number(version.split('.')[1]) };
  });
}

/**
 * For plain `npm test` on a machine with the shared folder: when neither variable is set and
 * `$SEAWORTHY_SHARED_DIR/envtest` exists (default ../shared), uncompresses every version there
 * into node_modules/.cache/envtest/ and sets `SEAWORTHY_ENVTEST_ASSETS` for the test workers.
 * Called from jest's globalSetup; a failure is reported and leaves the variable unset.
 */
export function prepareSharedAssets(): void {
  if (process.env.SEAWORTHY_ENVTEST_ASSETS || process.env.KUBEBUILDER_ASSETS) return;
  if (!fs.existsSync(path.join(sharedDir(), 'envtest', 'k8s'))) return;
  try {
    process.env.SEAWORTHY_ENVTEST_ASSETS = prepareAssets().join(path.delimiter);
  } catch (e) {
    console.warn(`envtest assets from ${sharedDir()}/envtest could not be prepared: ${(e as Error).message}`);
  }
}

/**
 * Declares `suite` when envtest assets are available. Without them: under CI=true a failing test
 * says how to get them; elsewhere the instructions are printed once and `label` is skipped (the
 * one skip the project allows).
 */
export function whenEnvtestAssets(label: string, suite: (assets: readonly EnvtestAssets[]) => void): void {
  const assets = envtestAssets();
  if (assets.length > 0) {
    suite(assets);
  } else if (process.env.CI === 'true') {
    test(`${label} has envtest assets`, () => {
      throw new Error(HOW_TO_GET_ASSETS);
    });
  } else {
    console.warn(HOW_TO_GET_ASSETS);
    test.skip(`${label} (no envtest assets)`, () => undefined);
  }
}

/** How to get assets, printed when there are none. */
export const HOW_TO_GET_ASSETS = [
  'The API-server suite needs envtest assets (kube-apiserver + etcd). Either',
  '  export KUBEBUILDER_ASSETS=$(setup-envtest use -p path 1.35.x)',
  'or, with the shared folder (../shared or $SEAWORTHY_SHARED_DIR),',
  '  export SEAWORTHY_ENVTEST_ASSETS=$(node scripts/envtest-assets.js)',
  'and run npm test again. Outside CI the suite is skipped; under CI=true it fails.',
].join('\n');
