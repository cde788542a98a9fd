import { IConstruct } from 'constructs';
import { AuditFinding } from './engine';

/**
 * The latest audit of each app's rendered objects, so that `Findings.of(app)` followed by a
 * synthesis (as `src/main.ts` and most users run them) audits the objects once: the synthesis's
 * validation renders the objects again (it must, for the output) and reuses the audit when the
 * app's objects render to equal JSON (same keys in the same order, same values), in the same
 * order and deploy groups: the audit reads nothing else. Anything else — an object added,
 * removed or changed after `Findings.of(app)`, a label patched, another target — is audited
 * afresh.
 *
 * The memo holds the latest rendering only (replaced on every call, so a synthesis's output and
 * the memo share their objects) and no construct (so the manifests do not keep the tree alive),
 * and is dropped with the app.
 */

/** One object of the audit: its deploy group and its rendered JSON. */
export interface AuditedObject {
  /** Its deploy group (the Kubernetes version of its chart's target). */
  readonly group: string;
  /** The rendered object the audit reads. */
  readonly json: unknown;
}

interface Memo {
  readonly objects: readonly AuditedObject[];
  readonly findings: readonly AuditFinding[];
}

const memos = new WeakMap<IConstruct, Memo>();

/**
 * `run()`'s findings over `objects`, the objects of the app `root`: those of the previous call
 * for `root` when its objects were the same and rendered equal, else a fresh run.
 */
export function auditOnce(root: IConstruct, objects: readonly AuditedObject[], run: () => AuditFinding[]): AuditFinding[] {
  const memo = memos.get(root);
  const findings = memo && sameObjects(memo.objects, objects) ? memo.findings : run();
  memos.set(root, { objects, findings });
  return [...findings];
}

function sameObjects(a: readonly AuditedObject[], b: readonly AuditedObject[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].group !== b[i].group || !sameJson(a[i].json, b[i].json)) return false;
  }
  return true;
}

/** Whether two rendered values are equal: same types, same keys in the same order, same values. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  const array = Array.isArray(a);
  if (array !== Array.isArray(b)) return false;
  if (array) {
    const x = a as unknown[];
    const y = b as unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameJson(x[i], y[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i];
    if (key !== kb[i] || !sameJson(x[key], y[key])) return false;
  }
  return true;
}
