import { createHash } from 'crypto';
import { IConstruct } from 'constructs';
import { AuditFinding } from './engine';
import { renderSession } from '../synth/render-once';

/**
 * The latest audit of each app's rendered objects, so that `Findings.of(app)` followed by a
 * synthesis (as `src/main.ts` and most users run them) audits the objects once: the synthesis's
 * validation renders the objects again (it must, for the output) and reuses the audit when the
 * app's objects render to the same content (same keys in the same order, same values and types),
 * in the same order and deploy groups: the audit reads nothing else. Anything else — an object
 * added, removed or changed after `Findings.of(app)`, a label patched, another target — is
 * audited afresh.
 *
 * The content is compared through a SHA-256 digest of its JSON text, for objects JSON holds
 * exactly (see `digestOf`), so the memo holds no rendered object (the peak memory of a large app
 * stays that of one rendering, and a caller changing the returned manifests cannot make the memo
 * stale) and no construct (manifests do not keep the tree alive). Within one synthesis (see
 * `renderingOnce()`), where each object renders once and validation changes nothing, the audit of
 * the app is reused without a digest: `app.synth()` validates once more per chart.
 */

/** One object of the audit: its deploy group and its rendered JSON. */
export interface AuditedObject {
  /** Its deploy group (the Kubernetes version of its chart's target). */
  readonly group: string;
  /** The rendered object the audit reads. */
  readonly json: unknown;
}

interface Memo {
  /** The digest of the audited objects, when it was computed. */
  readonly digest?: string;
  readonly findings: readonly AuditFinding[];
}

const memos = new WeakMap<IConstruct, Memo>();
/** The audits of each app within each synthesis in progress (dropped with the synthesis). */
const inSession = new WeakMap<object, WeakMap<IConstruct, readonly AuditFinding[]>>();

/**
 * `run()`'s findings over `objects`, the objects of the app `root`: those of the previous call
 * for `root` when it was in the same synthesis, or when its objects had the same digest; else a
 * fresh run. Outside a synthesis (`Findings.of(app)`) the digest is always computed, for the
 * synthesis that follows; a synthesis computes it only to compare with an earlier call's.
 */
export function auditOnce(root: IConstruct, objects: readonly AuditedObject[], run: () => AuditFinding[]): AuditFinding[] {
  const session = renderSession();
  const audits = session && (inSession.get(session) ?? inSession.set(session, new WeakMap()).get(session)!);
  const current = audits?.get(root);
  if (current) return [...current];
  const memo = memos.get(root);
  const digest = memo?.digest !== undefined || session === undefined ? digestOf(objects) : undefined;
  const findings = memo?.digest !== undefined && digest === memo.digest ? memo.findings : run();
  memos.set(root, { digest, findings });
  audits?.set(root, findings);
  return [...findings];
}

/**
 * SHA-256 of the objects' groups and rendered JSON, in order; undefined when a value would not
 * survive JSON text unchanged (NaN, ±Infinity, -0, undefined, an array hole, a non-plain object):
 * JSON text is exact for everything else (key order included), and such objects are audited
 * afresh.
 */
export function digestOf(objects: readonly AuditedObject[]): string | undefined {
  // The digest of the JSON text of [[group, json], …], hashed object by object in chunks of
  // about 1 MiB: the text of all objects at once was a transient string as large as the app's
  // YAML (~35 MiB at 5,000 services), alive with the rendered objects at the synthesis's peak.
  const hash = createHash('sha256');
  let chunk = '[';
  for (let i = 0; i < objects.length; i++) {
    const { group, json } = objects[i];
    if (typeof group !== 'string' || !exactInJson(json)) return undefined;
    chunk += `${i > 0 ? ',' : ''}${JSON.stringify([group, json])}`;
    if (chunk.length >= CHUNK) {
      hash.update(chunk);
      chunk = '';
    }
  }
  return hash.update(`${chunk}]`).digest('base64');
}

/** How much JSON text `digestOf` hashes at a time (characters). */
const CHUNK = 1 << 20;

/** Whether JSON text holds `v` exactly (so that equal text means equal values). */
function exactInJson(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !exactInJson(v[i])) return false;
        return true;
      }
      const proto: unknown = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      const record = v as Record<string, unknown>;
      for (const key of Object.keys(record)) if (!exactInJson(record[key])) return false;
      return true;
    }
    default:
      return false;
  }
}
