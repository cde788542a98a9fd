import * as fs from 'fs';
import * as path from 'path';
import { parseManifests } from '../../src/manifests/load';
import { ApiResponse, ApiServer } from './apiserver';
import { sharedDir } from './shared-dir';

/**
 * Sends manifests to a real API server the way `kubectl apply --dry-run=server --validate=strict`
 * does: each document's YAML text exactly as written, `?dryRun=All&fieldValidation=Strict`, and
 * every non-2xx answer or `Warning:` header (Pod Security warnings included) is a failure. Then
 * every field sent must come back equal in the server's answer ("sent ⊆ returned").
 *
 * A manifest set is made self-contained first: its Namespaces (with their Pod Security labels)
 * and its ResourceQuotas and LimitRanges are created for real, because a dry-run object does not
 * exist for admission (a namespaced object in a dry-run Namespace is rejected; a dry-run quota
 * or LimitRange constrains nothing); namespaces it only references are created bare; the CRDs of
 * its custom kinds are installed from ../shared/crds. After the set, everything created for it is
 * deleted again (Namespaces through their `finalize` subresource, since no namespace controller
 * runs), so sets that reuse a namespace name (dev, staging and prod all define `shop`) run one
 * after another on the same server without seeing each other. Sets on one server must therefore
 * not run concurrently; different servers can.
 */

/** A manifest file: its path (for messages) and its text as on disk. */
export interface ManifestFile {
  readonly path: string;
  readonly text: string;
}

/** One document of a file: its exact text and the object it parses to (YAML 1.1, as kubectl). */
export interface ManifestDocument {
  readonly file: string;
  /** 1-based line of the document's first line in the file. */
  readonly line: number;
  readonly text: string;
  readonly object: ManifestObject;
}

/** A Kubernetes object as parsed from YAML or JSON. */
export interface ManifestObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

/** What happened to one document. */
export interface SentObject {
  readonly doc: ManifestDocument;
  /** `Kind/name` (`Kind/namespace/name` for namespaced objects). */
  readonly id: string;
  /** `created` for the objects a set needs for real (Namespaces, ResourceQuotas, LimitRanges). */
  readonly mode: 'dry-run' | 'created';
  readonly status: number;
  readonly warnings: readonly string[];
  /** The server's answer (the object as it would be stored), when 2xx. */
  readonly returned?: unknown;
  /** How the sent fields came back (empty when the server rejected the object). */
  readonly readBack: ReadBack;
  /** Set when the server rejected the object or warned about it. */
  readonly failure?: string;
}

/** The outcome of one manifest set on one server. */
export interface SetResult {
  readonly objects: readonly SentObject[];
  /** Readable failures: rejected objects, warnings, set-up errors. Empty when all went through. */
  readonly failures: readonly string[];
  /** `id (file): diff` for every read-back difference. */
  readonly readBackDiffs: readonly string[];
  /** `id (file): path` for every sent zero value the server left out (see {@link ReadBack}). */
  readonly omittedZeros: readonly string[];
}

/** The CRD files in ../shared/crds for each API group the manifests may use. */
export function crdFilesForGroup(group: string): string[] {
  const crds = path.join(sharedDir(), 'crds');
  if (group === 'argoproj.io') return [path.join(crds, 'argo-cd', 'application-crd.yaml')];
  if (group === 'autoscaling.k8s.io') return [path.join(crds, 'vertical-pod-autoscaler', 'vpa-v1-crd-gen.yaml')];
  if (group === 'kustomize.toolkit.fluxcd.io') return [path.join(crds, 'flux', 'kustomize.toolkit.fluxcd.io_kustomizations.yaml')];
  if (group === 'monitoring.coreos.com') {
    const dir = path.join(crds, 'prometheus-operator');
    return fs.readdirSync(dir).filter(f => f.endsWith('CustomResourceDefinition.yaml')).sort().map(f => path.join(dir, f));
  }
  if (group === 'gateway.networking.k8s.io') {
    const dir = path.join(crds, 'gateway-api-v1.6.1');
    return fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort().map(f => path.join(dir, f));
  }
  return [];
}

/**
 * Splits multi-document YAML on its `---` lines, keeping each document's text byte for byte (the
 * separator lines themselves excluded). A `---` line always starts a document (it cannot occur
 * inside a scalar). Documents holding only comments or blank lines are dropped.
 */
export function splitDocuments(file: string, text: string): ManifestDocument[] {
  const docs: ManifestDocument[] = [];
  const separator = /^---(?=[ \t\r\n]|$)([^\n]*)(?:\n|$)/gm;
  let start = 0;
  let startLine = 1;
  const flush = (end: number): void => {
    const chunk = text.slice(start, end);
    if (chunk.split('\n').every(l => l.trim() === '' || l.trimStart().startsWith('#'))) return;
    const { inputs, problems } = parseManifests(file, chunk);
    if (problems.length > 0) throw new Error(`${file}:${startLine}: ${problems.map(p => p.message).join('; ')}`);
    if (inputs.length !== 1) throw new Error(`${file}:${startLine}: expected one object, found ${inputs.length} (kind: List is not sent as is)`);
    docs.push({ file, line: startLine, text: chunk, object: inputs[0].object as ManifestObject });
  };
  for (let m = separator.exec(text); m; m = separator.exec(text)) {
    if (m[1].trim() !== '' && !m[1].trim().startsWith('#')) throw new Error(`${file}: content on a "---" line is not supported: ${JSON.stringify(m[0])}`);
    flush(m.index);
    start = m.index + m[0].length;
    startLine = text.slice(0, start).split('\n').length;
  }
  flush(text.length);
  return docs;
}

interface ApiResource {
  readonly name: string;
  readonly namespaced: boolean;
  readonly kind: string;
}

/** Discovery per server: group-version → its resources (only answers that were found are cached). */
const discoveryCache = new WeakMap<ApiServer, Map<string, readonly ApiResource[]>>();
/** API groups whose CRDs were installed on a server. */
const installedGroups = new WeakMap<ApiServer, Set<string>>();

function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The resource serving `kind` in `apiVersion`, from the server's discovery documents. */
export async function resolveResource(server: ApiServer, apiVersion: string, kind: string): Promise<ApiResource> {
  let cache = discoveryCache.get(server);
  if (!cache) discoveryCache.set(server, cache = new Map());
  const find = (list: readonly ApiResource[] | undefined): ApiResource | undefined => list?.find(r => r.kind === kind && !r.name.includes('/'));
  let found = find(cache.get(apiVersion));
  if (!found) {
    const res = await server.request('GET', groupVersionPath(apiVersion));
    if (res.status === 200) {
      const list = (JSON.parse(res.body) as { resources: ApiResource[] }).resources;
      cache.set(apiVersion, list);
      found = find(list);
    }
  }
  if (!found) throw new Error(`the ${server.version} server serves no ${kind} in ${apiVersion} (is its CRD installed?)`);
  return found;
}

/** The collection URL of an object (`/api/v1/namespaces/shop/services`). */
async function collectionPath(server: ApiServer, obj: ManifestObject): Promise<string> {
  const resource = await resolveResource(server, String(obj.apiVersion), String(obj.kind));
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata?.namespace ?? 'default')}` : '';
  return `${groupVersionPath(String(obj.apiVersion))}${ns}/${resource.name}`;
}

function idOf(obj: ManifestObject): string {
  return [obj.kind, obj.metadata?.namespace, obj.metadata?.name].filter(x => x !== undefined).join('/');
}

function serverMessage(res: ApiResponse): string {
  try {
    const status = JSON.parse(res.body) as { message?: string };
    if (status.message) return status.message;
  } catch {
    // not JSON
  }
  return res.body.trim().slice(0, 500);
}

/** How a sent object came back. */
export interface ReadBack {
  /** `path: sent …, returned …` for every sent field that came back different or not at all. */
  readonly diffs: string[];
  /**
   * Paths of sent zero values (0, false, "", [], {}) the server left out: Go's `omitempty` drops
   * the zero value of a non-pointer field, which reads back as the same value, so the meaning is
   * unchanged; reported, not failed.
   */
  readonly omittedZeros: string[];
}

function isZero(v: unknown): boolean {
  return v === 0 || v === false || v === '' || (Array.isArray(v) && v.length === 0)
    || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
}

/**
 * Compares what was sent with what came back, "sent ⊆ returned": maps must hold every sent key
 * with an equal value, lists must have the same length and contain the sent elements in order
 * (each one recursively), scalars must be identical. Fields the server adds are ignored.
 */
export function readBack(sent: unknown, returned: unknown, at = '', out: ReadBack = { diffs: [], omittedZeros: [] }): ReadBack {
  const here = at || '.';
  const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  if (returned === undefined && isZero(sent)) {
    out.omittedZeros.push(here);
  } else if (Array.isArray(sent)) {
    if (!Array.isArray(returned)) out.diffs.push(`${here}: sent ${show(sent)}, returned ${show(returned)}`);
    else if (returned.length !== sent.length) out.diffs.push(`${here}: sent ${sent.length} items, returned ${returned.length}: ${show(returned)}`);
    else sent.forEach((item, i) => readBack(item, returned[i], `${at}[${i}]`, out));
  } else if (sent !== null && typeof sent === 'object') {
    if (returned === null || typeof returned !== 'object' || Array.isArray(returned)) out.diffs.push(`${here}: sent a map, returned ${show(returned)}`);
    else for (const [k, v] of Object.entries(sent)) readBack(v, (returned as Record<string, unknown>)[k], at ? `${at}.${k}` : k, out);
  } else if (sent !== returned) {
    out.diffs.push(`${here}: sent ${show(sent)}, returned ${show(returned)}`);
  }
  return out;
}

/** Runs `task` over `items` with at most `limit` at a time, results in order. */
async function pool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]);
    }
  }));
  return results;
}

/** One CRD document's installation. */
export interface CrdInstall {
  readonly file: string;
  readonly name: string;
  readonly ok: boolean;
  /** Why not, when not ok. */
  readonly message?: string;
  readonly warnings: readonly string[];
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Creates the CRDs in `files` (an existing one is kept) and waits until each is Established and
 * its kind is discoverable. Returns one entry per CRD; a CRD the server rejects is reported, not
 * thrown.
 */
export async function installCrds(server: ApiServer, files: readonly string[], timeoutMs = 60_000): Promise<CrdInstall[]> {
  const docs = files.flatMap(f => splitDocuments(f, fs.readFileSync(f, 'utf8')));
  const results = await pool(docs, 4, async (doc): Promise<CrdInstall> => {
    const name = String(doc.object.metadata?.name);
    const res = await server.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?fieldValidation=Strict', doc.text, 'application/yaml');
    if (res.status === 409) return { file: doc.file, name, ok: true, warnings: res.warnings };
    if (res.status >= 300) return { file: doc.file, name, ok: false, message: `HTTP ${res.status}: ${serverMessage(res)}`, warnings: res.warnings };
    const spec = doc.object.spec as { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await server.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
      const conditions = (JSON.parse(got.body) as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? [];
      if (conditions.some(c => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) return { file: doc.file, name, ok: false, message: `not Established within ${timeoutMs / 1000} s: ${JSON.stringify(conditions)}`, warnings: res.warnings };
      await sleep(200);
    }
    for (const version of spec.versions.filter(v => v.served)) {
      for (;;) {
        try {
          await resolveResource(server, `${spec.group}/${version.name}`, spec.names.kind);
          break;
        } catch (e) {
          if (Date.now() > deadline) return { file: doc.file, name, ok: false, message: (e as Error).message, warnings: res.warnings };
          await sleep(200);
        }
      }
    }
    return { file: doc.file, name, ok: true, warnings: res.warnings };
  });
  return results;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

/** Kinds created for real before the dry run: they matter for admission only when they exist. */
const CREATED_FOR_REAL = new Set(['v1/Namespace', 'v1/ResourceQuota', 'v1/LimitRange']);

export interface ApplyOptions {
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
}

/**
 * Sends a manifest set (files deployed together, e.g. one `dist/<env>/`) to `server` and checks
 * every object's read-back. See the module comment for the set-up and clean-up around it.
 */
export async function applyDryRun(server: ApiServer, files: string | readonly ManifestFile[], options: ApplyOptions = {}): Promise<SetResult> {
  const manifestFiles = typeof files === 'string' ? [{ path: '<inline>', text: files }] : files;
  const docs = manifestFiles.flatMap(f => splitDocuments(f.path, f.text));
  const failures: string[] = [];
  const objects: SentObject[] = [];
  const cleanup: { path: string; namespace?: string }[] = [];
  const concurrency = options.concurrency ?? 4;

  const send = async (doc: ManifestDocument, mode: SentObject['mode']): Promise<SentObject> => {
    const id = idOf(doc.object);
    const where = `${id} (${doc.file}:${doc.line})`;
    let collection: string;
    try {
      collection = await collectionPath(server, doc.object);
    } catch (e) {
      return { doc, id, mode, status: 0, warnings: [], readBack: { diffs: [], omittedZeros: [] }, failure: `${where}: ${(e as Error).message}` };
    }
    const query = mode === 'dry-run' ? '?dryRun=All&fieldValidation=Strict' : '?fieldValidation=Strict';
    const res = await server.request('POST', `${collection}${query}`, doc.text, 'application/yaml');
    const ok = res.status >= 200 && res.status < 300;
    if (ok && mode === 'created') cleanup.push({ path: `${collection}/${encodeURIComponent(String(doc.object.metadata?.name))}`, namespace: doc.object.kind === 'Namespace' ? doc.object.metadata?.name : undefined });
    const returned: unknown = ok ? JSON.parse(res.body) : undefined;
    const problems = [
      ...(ok ? [] : [`HTTP ${res.status}: ${serverMessage(res)}`]),
      ...res.warnings.map(w => `Warning: ${w}`),
    ];
    return {
      doc, id, mode, status: res.status, warnings: res.warnings, returned,
      readBack: ok ? readBack(doc.object, returned) : { diffs: [], omittedZeros: [] },
      failure: problems.length > 0 ? `${where} on ${server.version}: ${problems.join('; ')}` : undefined,
    };
  };

  try {
    // CRDs of the custom kinds, once per server.
    let installed = installedGroups.get(server);
    if (!installed) installedGroups.set(server, installed = new Set());
    for (const group of new Set(docs.map(d => groupOf(String(d.object.apiVersion))))) {
      const crdFiles = crdFilesForGroup(group);
      if (crdFiles.length === 0 || installed.has(group)) continue;
      const results = await installCrds(server, crdFiles);
      for (const r of results.filter(r => !r.ok)) failures.push(`CRD ${r.name} (${r.file}) on ${server.version}: ${r.message}`);
      installed.add(group);
    }

    // Namespaces: those the set defines, for real and with their labels; those it only references, bare.
    const real = docs.filter(d => CREATED_FOR_REAL.has(`${d.object.apiVersion}/${d.object.kind}`));
    const namespaceDocs = real.filter(d => d.object.kind === 'Namespace');
    for (const doc of namespaceDocs) objects.push(await send(doc, 'created'));
    const defined = new Set(namespaceDocs.map(d => d.object.metadata?.name));
    const referenced = new Set(docs.map(d => d.object.metadata?.namespace).filter((n): n is string => n !== undefined && !defined.has(n)));
    for (const ns of referenced) {
      const exists = await server.request('GET', `/api/v1/namespaces/${encodeURIComponent(ns)}`);
      if (exists.status === 200) continue;
      const res = await server.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
      if (res.status >= 300) failures.push(`creating the referenced namespace ${ns} on ${server.version}: HTTP ${res.status}: ${serverMessage(res)}`);
      else cleanup.push({ path: `/api/v1/namespaces/${encodeURIComponent(ns)}`, namespace: ns });
    }

    // Quotas and LimitRanges for real; a quota gets the status the quota controller would write.
    for (const doc of real.filter(d => d.object.kind !== 'Namespace')) {
      const sent = await send(doc, 'created');
      objects.push(sent);
      if (doc.object.kind === 'ResourceQuota' && sent.returned) await primeQuota(server, sent.returned, failures);
    }

    objects.push(...await pool(docs.filter(d => !real.includes(d)), concurrency, d => send(d, 'dry-run')));
  } finally {
    await deleteAll(server, cleanup.reverse(), failures);
  }
  // In the order of the files.
  const order = new Map(docs.map((d, i) => [d, i]));
  objects.sort((a, b) => order.get(a.doc)! - order.get(b.doc)!);
  failures.push(...objects.flatMap(o => (o.failure ? [o.failure] : [])));
  const each = (pick: (r: ReadBack) => string[]): string[] => objects.flatMap(o => pick(o.readBack).map(d => `${o.id} (${o.doc.file}): ${d}`));
  return { objects, failures, readBackDiffs: each(r => r.diffs), omittedZeros: each(r => r.omittedZeros) };
}

/** Writes the status the quota controller would: hard = spec.hard, nothing used yet. */
async function primeQuota(server: ApiServer, quota: unknown, failures: string[]): Promise<void> {
  const q = quota as { metadata: { name: string; namespace: string }; spec: { hard?: Record<string, string> } };
  const hard = q.spec.hard ?? {};
  const body = { ...q, status: { hard, used: Object.fromEntries(Object.keys(hard).map(k => [k, '0'])) } };
  const res = await server.request('PUT', `/api/v1/namespaces/${q.metadata.namespace}/resourcequotas/${q.metadata.name}/status`, JSON.stringify(body));
  if (res.status >= 300) failures.push(`priming ResourceQuota ${q.metadata.namespace}/${q.metadata.name} on ${server.version}: HTTP ${res.status}: ${serverMessage(res)}`);
}

/** Deletes what a set created; Namespaces are finalized, as their controller would. */
async function deleteAll(server: ApiServer, created: readonly { path: string; namespace?: string }[], failures: string[]): Promise<void> {
  for (const { path: objectPath, namespace } of created) {
    const res = await server.request('DELETE', objectPath);
    if (res.status >= 300 && res.status !== 404) failures.push(`deleting ${objectPath} on ${server.version}: HTTP ${res.status}: ${serverMessage(res)}`);
    if (namespace === undefined) continue;
    // The first DELETE only marks a Namespace Terminating; with its finalizers cleared through
    // the finalize subresource, the next DELETE removes it.
    for (let attempt = 0; ; attempt++) {
      const got = await server.request('GET', objectPath);
      if (got.status === 404) break;
      if (attempt === 50) {
        failures.push(`namespace ${namespace} on ${server.version} is still there after clean-up: ${got.body.slice(0, 300)}`);
        break;
      }
      const ns = JSON.parse(got.body) as { spec?: { finalizers?: string[] } };
      const fin = await server.request('PUT', `${objectPath}/finalize`, JSON.stringify({ ...ns, spec: { ...ns.spec, finalizers: [] } }));
      if (fin.status >= 300 && fin.status !== 404 && fin.status !== 409) failures.push(`finalizing ${objectPath} on ${server.version}: HTTP ${fin.status}: ${serverMessage(fin)}`);
      await server.request('DELETE', objectPath);
      if (attempt > 0) await sleep(100);
    }
  }
}
