import * as fs from 'fs';
import * as path from 'path';
import { ManifestFile } from './apply';

/** Files deployed together, and the Kubernetes minor version they are rendered for. */
export interface ManifestSet {
  readonly label: string;
  /** 28 for Kubernetes 1.28. */
  readonly targetMinor: number;
  readonly files: readonly ManifestFile[];
}

const REPO_ROOT = path.resolve(__dirname, '..', '..');

function readFiles(dir: string, pattern: RegExp): ManifestFile[] {
  return fs.readdirSync(dir).filter(f => pattern.test(f)).sort()
    .map(f => ({ path: path.relative(REPO_ROOT, path.join(dir, f)), text: fs.readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * The reference app's committed output: one set per environment (`dist/<env>/*.k8s.yaml`) and
 * one for the Argo CD Applications (`dist/argocd/*.yaml`), the text as on disk. Every
 * environment targets Kubernetes 1.28 today; the library's target version will decide this.
 */
export function referenceAppSets(dist = path.join(REPO_ROOT, 'dist')): ManifestSet[] {
  const envs = fs.readdirSync(dist).filter(d => d !== 'argocd' && fs.statSync(path.join(dist, d)).isDirectory()).sort();
  return [
    ...envs.map(env => ({ label: `dist/${env}`, targetMinor: 28, files: readFiles(path.join(dist, env), /\.k8s\.yaml$/) })),
    { label: 'dist/argocd', targetMinor: 28, files: readFiles(path.join(dist, 'argocd'), /\.ya?ml$/) },
  ];
}

/**
 * The server a set runs on: the one whose minor is the set's target, else the nearest one
 * (the older of two equally near).
 */
export function nearestServer<S extends { readonly minor: number }>(targetMinor: number, servers: readonly S[]): S | undefined {
  return [...servers].sort((a, b) => Math.abs(a.minor - targetMinor) - Math.abs(b.minor - targetMinor) || a.minor - b.minor)[0];
}
