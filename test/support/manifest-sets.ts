import * as fs from 'fs';
import * as path from 'path';
import { ENVIRONMENTS } from '../../src/main';
import { KubernetesTarget } from '../../src/target/target';
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
 * one for the Argo CD Applications (`dist/argocd/*.yaml`), the text as on disk. Each
 * environment's set is rendered for its `kubernetesVersion` (the library's default otherwise).
 */
export function referenceAppSets(dist = path.join(REPO_ROOT, 'dist')): ManifestSet[] {
  const envs = fs.readdirSync(dist).filter(d => d !== 'argocd' && fs.statSync(path.join(dist, d)).isDirectory()).sort();
  return [
    ...envs.map(env => ({ label: `dist/${env}`, targetMinor: envMinor(env), files: readFiles(path.join(dist, env), /\.k8s\.yaml$/) })),
    { label: 'dist/argocd', targetMinor: KubernetesTarget.DEFAULT.minor, files: readFiles(path.join(dist, 'argocd'), /\.ya?ml$/) },
  ];
}

/**
 * The server a set runs on: the one whose minor is the set's target, else the oldest newer one
 * (output for an older minor is meant to keep working on newer servers, not the reverse), else
 * the newest.
 */
export function nearestServer<S extends { readonly minor: number }>(targetMinor: number, servers: readonly S[]): S | undefined {
  const sorted = [...servers].sort((a, b) => a.minor - b.minor);
  return sorted.find(s => s.minor >= targetMinor) ?? sorted[sorted.length - 1];
}

/** 35 for "1.35". */
export function minorOf(version: string): number {
  return Number(version.split('.')[1]);
}

function envMinor(name: string): number {
  return minorOf(ENVIRONMENTS.find(e => e.name === name)?.kubernetesVersion ?? KubernetesTarget.DEFAULT.version);
}
