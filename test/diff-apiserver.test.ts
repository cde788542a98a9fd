import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { diffManifests, KubernetesVersion, RULES_BY_ID } from '../src';
import { loadManifests } from '../src/manifests/load';
import { rejectedObjects } from '../src/diff/diff';
import { ApiServer, startApiServer } from './support/apiserver';
import { crdFilesForGroup, installCrds } from './support/apply';
import { appArb, synthApp } from './support/app-arbitraries';
import { DiffPair, extras, Obj, pairsOf } from './support/diff-corpus';
import { whenEnvtestAssets } from './support/envtest';
import { Applied, messageOf, objectPath, serverSideApply } from './support/server-side-apply';

/**
 * The differential test of `seaworthy diff` against real kube-apiservers: for each world (the
 * reference app's environments, property-generated apps, and extras for the kinds seaworthy does
 * not render), the before objects are created for real by server-side apply; then, for every
 * before/after pair of the corpus (test/support/diff-corpus.ts: every consequence class), the
 * changed object is server-side applied with dryRun=All by the same field manager (a pruned one
 * deleted with dryRun=All). Every refusal
 * must be predicted by diff as "will be rejected" and nothing predicted may be accepted. Prints
 * the confusion matrix per server; DIFF_APISERVER_REPORT=<file> writes every pair. The full
 * corpus runs on the 1.35 server, a smaller one (apps rendered for 1.28) on 1.28.
 * DIFF_APISERVER_APPS sets the generated apps (default 8), FC_SEED their seed.
 */

const GENERATED = Number(process.env.DIFF_APISERVER_APPS ?? 8);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 7;
const ROOT = path.join(__dirname, '..');

/** Objects not sent: quota admission and Argo CD are not what diff's predictions are about. */
const LEFT_OUT = new Set(['ResourceQuota', 'LimitRange', 'Application']);

interface World { readonly label: string; readonly objects: Obj[] }
interface Outcome {
  readonly server: string;
  readonly pair: string;
  readonly mutation: string;
  readonly expect?: string;
  readonly object: string;
  readonly predicted: boolean;
  readonly rejected: boolean;
  readonly message?: string;
}

/** Moves a world into its own namespaces (and cluster-scoped names), so worlds share a server without meeting. */
function isolate(objects: readonly Obj[], prefix: string): Obj[] {
  const ns = (n: string) => `${prefix}-${n}`.slice(0, 63);
  return objects.filter(o => !LEFT_OUT.has(o.kind)).map(o => {
    const c = JSON.parse(JSON.stringify(o)) as Obj;
    if (c.kind === 'Namespace') c.metadata.name = ns(c.metadata.name);
    else if (c.metadata.namespace) c.metadata.namespace = ns(c.metadata.namespace);
    if (c.kind === 'StorageClass') c.metadata.name = ns(c.metadata.name);
    if (c.kind === 'PersistentVolumeClaim' && c.spec.storageClassName) c.spec.storageClassName = ns(c.spec.storageClassName);
    for (const s of c.kind === 'RoleBinding' ? c.subjects ?? [] : []) if (s.namespace) s.namespace = ns(s.namespace);
    return c;
  });
}

const refOf = (o: Obj) => `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

/** Runs `task` over `items`, `limit` at a time. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]);
    }
  }));
  return out;
}

/** Creates a world's objects for real: namespaces and storage classes first; claims are then marked Bound, as a provisioner would. */
async function create(server: ApiServer, objects: readonly Obj[]): Promise<string[]> {
  const failures: string[] = [];
  const rank = (o: Obj) => (o.kind === 'Namespace' ? 0 : o.kind === 'StorageClass' ? 1 : 2);
  const referenced = [...new Set(objects.map(o => o.metadata.namespace).filter((n): n is string => typeof n === 'string'))]
    .filter(n => !objects.some(o => o.kind === 'Namespace' && o.metadata.name === n))
    .map((name): Obj => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  for (const tier of [0, 1, 2]) {
    const batch = [...referenced, ...objects].filter(o => rank(o) === tier);
    await pool(batch, 4, async o => {
      const res = await serverSideApply(server, o as Applied, false);
      if (res.status >= 300) failures.push(`creating ${refOf(o)} on ${server.version}: HTTP ${res.status}: ${messageOf(res)}`);
      if (o.kind === 'PersistentVolumeClaim' && res.status < 300) {
        const status = { status: { phase: 'Bound', accessModes: o.spec.accessModes, capacity: { storage: o.spec.resources.requests.storage } } };
        const bound = await server.request('PATCH', `/api/v1/namespaces/${o.metadata.namespace}/persistentvolumeclaims/${o.metadata.name}/status`, JSON.stringify(status), 'application/merge-patch+json');
        if (bound.status >= 300) failures.push(`binding ${refOf(o)}: HTTP ${bound.status}: ${messageOf(bound)}`);
      }
    });
  }
  return failures;
}

/** Sends every pair of a world (already created) as a dry-run apply and compares with diff's prediction. */
async function judge(server: ApiServer, pairs: readonly DiffPair[], version: KubernetesVersion): Promise<Outcome[]> {
  return pool(pairs, 4, async pair => {
    const changed = pair.changed;
    const result = diffManifests(pair.before.map(object => ({ object })), pair.after.map(object => ({ object })), { kubernetesVersion: version });
    const predicted = rejectedObjects(result).has(refOf(changed));
    // A pruned object is deleted (as Argo CD's prune and kubectl apply --prune do); the rest applied.
    const res = pair.mutation.remove
      ? await server.request('DELETE', `${await objectPath(server, changed as Applied)}?dryRun=All`)
      : await serverSideApply(server, changed as Applied, true);
    const rejected = res.status >= 300;
    return { server: server.version, pair: pair.label, mutation: pair.mutation.name, expect: (pair.mutation.acceptedFrom ?? Infinity) <= server.minor ? undefined : pair.mutation.expect, object: refOf(changed), predicted, rejected, message: rejected ? `HTTP ${res.status}: ${messageOf(res)}` : undefined };
  });
}

function matrix(outcomes: readonly Outcome[]): string {
  const n = (p: boolean, r: boolean) => outcomes.filter(o => o.predicted === p && o.rejected === r).length;
  return [
    '                        server rejects   server accepts',
    `  diff: will be rejected   ${String(n(true, true)).padStart(6)}           ${String(n(true, false)).padStart(6)}`,
    `  diff: applies            ${String(n(false, true)).padStart(6)}           ${String(n(false, false)).padStart(6)}`,
  ].join('\n');
}

function byClass(outcomes: readonly Outcome[]): string {
  const classes = new Map<string, number>();
  for (const o of outcomes) {
    const id = o.expect ?? '(no consequence)';
    const title = o.expect ? `${id} ${RULES_BY_ID.get(id)?.title ?? ''}` : id;
    classes.set(title, (classes.get(title) ?? 0) + 1);
  }
  return [...classes].sort().map(([k, v]) => `    ${String(v).padStart(4)}  ${k}`).join('\n');
}

whenEnvtestAssets('the diff differential test', assets => {
  describe(`seaworthy diff against real API servers (${assets.map(a => a.version).join(', ')})`, () => {
    const servers: ApiServer[] = [];
    const outcomes: Outcome[] = [];

    beforeAll(async () => {
      // The newest server gets the full corpus, the oldest a smaller one: start just those two.
      const sorted = [...assets].sort((a, b) => a.minor - b.minor);
      const wanted = [...new Set([sorted[sorted.length - 1], sorted[0]])];
      const started = await Promise.allSettled(wanted.map(a => startApiServer(a.dir)));
      for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
      const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      servers.sort((a, b) => a.minor - b.minor);
      // The reference app publishes through the Gateway API (routes, ReferenceGrants).
      await Promise.all(servers.map(server => installCrds(server, crdFilesForGroup('gateway.networking.k8s.io'))));
    }, 240_000);

    afterAll(async () => {
      await Promise.all(servers.map(s => s.stop()));
      const report = servers.map(s => {
        const mine = outcomes.filter(o => o.server === s.version);
        return `${s.version}: ${mine.length} before/after pairs\n${matrix(mine)}\n  pairs by expected consequence:\n${byClass(mine)}`;
      });
      console.log(`seaworthy diff vs the API server (server-side apply, dryRun=All):\n${report.join('\n')}\nall servers:\n${matrix(outcomes)}`);
      if (process.env.DIFF_APISERVER_REPORT) fs.writeFileSync(process.env.DIFF_APISERVER_REPORT, JSON.stringify(outcomes, null, 2));
    }, 60_000);

    async function runWorlds(server: ApiServer, worlds: readonly World[], perMutation: number, version: KubernetesVersion): Promise<string[]> {
      const problems: string[] = [];
      for (const [i, world] of worlds.entries()) {
        const objects = isolate(world.objects, `d${server.minor}w${i}`);
        problems.push(...await create(server, objects));
        // The admission plugins read StorageClasses from an informer: give it a moment.
        await new Promise(resolve => setTimeout(resolve, 300));
        const mine = await judge(server, pairsOf(world.label, objects, perMutation), version);
        outcomes.push(...mine);
        problems.push(...mine.filter(o => o.predicted !== o.rejected).map(o => `[${o.server}] ${o.pair}: diff ${o.predicted ? 'predicts a rejection' : 'predicts no rejection'}, the server ${o.rejected ? `rejects: ${o.message}` : 'accepts'}`));
      }
      return problems;
    }

    test('the reference app, generated apps and extras on the newest server: every rejection predicted, no false alarm', async () => {
      const server = servers[servers.length - 1];
      const envs = ['dev', 'staging', 'prod'].map(env => ({ label: `dist/${env}`, objects: [...loadManifests([path.join(ROOT, 'dist', env)]).inputs.map(i => i.object as Obj), ...extras('extras')] }));
      const generated = fc.sample(appArb, { seed: SEED, numRuns: GENERATED }).map((spec, i) => ({ label: `generated #${i} (FC_SEED=${SEED})`, objects: [...synthApp({ ...spec, target: '1.35' }).objects as Obj[], ...extras('extras')] }));
      const problems = await runWorlds(server, [...envs, ...generated], 3, `1.${server.minor}` as KubernetesVersion);
      expect(problems).toEqual([]);
      expect(outcomes.filter(o => o.server === server.version).length).toBeGreaterThanOrEqual(200);
    }, 300_000);

    test('a smaller corpus on the oldest server (apps rendered for it)', async () => {
      const server = servers[0];
      if (servers.length === 1) return; // one server: the first test covered it
      const version = `1.${server.minor}` as KubernetesVersion;
      const worlds = fc.sample(appArb, { seed: SEED + 1, numRuns: 3 }).map((spec, i) => ({ label: `generated #${i} for ${version}`, objects: [...synthApp({ ...spec, target: version }).objects as Obj[], ...extras('extras')] }));
      const problems = await runWorlds(server, worlds, 2, version);
      expect(problems).toEqual([]);
      expect(outcomes.filter(o => o.server === server.version).length).toBeGreaterThanOrEqual(30);
    }, 240_000);
  });
});
