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

/** The minor a set was rendered for: its Pod Security version label (a Tenant's), else the default target, 1.35. */
export function targetMinorOf(files: readonly ManifestFile[]): number {
  for (const f of files) {
    const m = /pod-security\.kubernetes\.io\/enforce-version: v1\.(\d+)/.exec(f.text);
    if (m) return Number(m[1]);
  }
  return 35;
}

/**
 * The reference app's committed output: one set per environment (`dist/<env>/*.k8s.yaml`) and
 * one for the Argo CD Applications (`dist/argocd/*.yaml`), the text as on disk, each with the
 * minor it was rendered for.
 */
export function referenceAppSets(dist = path.join(REPO_ROOT, 'dist')): ManifestSet[] {
  const envs = fs.readdirSync(dist).filter(d => d !== 'argocd' && fs.statSync(path.join(dist, d)).isDirectory()).sort();
  return [
    ...envs.map(env => {
      const files = readFiles(path.join(dist, env), /\.k8s\.yaml$/);
      return { label: `dist/${env}`, targetMinor: targetMinorOf(files), files };
    }),
    { label: 'dist/argocd', targetMinor: 35, files: readFiles(path.join(dist, 'argocd'), /\.ya?ml$/) },
  ];
}

/**
 * The server a set runs on: the one whose minor is the set's target, else the oldest newer one
 * (output for a minor uses fields older servers do not know, e.g. the 1.30 preStop sleep action),
 * else the newest.
 */
export function nearestServer<S extends { readonly minor: number }>(targetMinor: number, servers: readonly S[]): S | undefined {
  const sorted = [...servers].sort((a, b) => a.minor - b.minor);
  return sorted.find(s => s.minor >= targetMinor) ?? sorted[sorted.length - 1];
}
