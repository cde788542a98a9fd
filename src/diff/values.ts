import { KubeObject } from '../audit/kube';
import { parseQuantity } from '../validation/quantity';
import { appendPath, parsePath, PathStep, valueAt } from './paths';

/** Stable JSON of any value: object keys sorted, so two parses of the same meaning compare equal. */
export function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value).filter(k => (value as KubeObject)[k] !== undefined).sort();
  return `{${keys.map(k => `${JSON.stringify(k)}:${canonical((value as KubeObject)[k])}`).join(',')}}`;
}

/** Whether two values mean the same (key order aside). */
export function same(a: unknown, b: unknown): boolean {
  return deepEqual(a, b);
}

/** Whether two values are equal, key order aside (a structural walk, no serialisation). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter(k => (a as KubeObject)[k] !== undefined);
  const kb = Object.keys(b).filter(k => (b as KubeObject)[k] !== undefined);
  return ka.length === kb.length && ka.every(k => deepEqual((a as KubeObject)[k], (b as KubeObject)[k]));
}

/**
 * Paths (see `paths.ts`) where `a` and `b` differ (lists by index; `.` when the values differ
 * as a whole), at most `limit`; linear in the size of the values.
 */
export function changedPaths(a: unknown, b: unknown, limit = 20): string[] {
  const out: string[] = [];
  walkChanges(a, b, '', out, limit);
  return out;
}

function walkChanges(a: unknown, b: unknown, at: string, out: string[], limit: number): void {
  if (out.length >= limit || a === b) return;
  const isMap = (v: unknown): v is KubeObject => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walkChanges(a[k], b[k], appendPath(at, k), out, limit);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => walkChanges(x, b[i], appendPath(at, i), out, limit));
  } else if (!deepEqual(a, b)) {
    out.push(at || '.');
  }
}

/** A copy of `obj` without the fields at `paths` (for "everything else is equal" checks). */
export function without(obj: unknown, paths: readonly string[]): unknown {
  if (obj === null || typeof obj !== 'object') return obj;
  const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  for (const p of paths) {
    const steps = parsePath(p);
    if (!steps || steps.length === 0) continue;
    const parent = valueAt(copy, steps.slice(0, -1));
    if (parent !== null && typeof parent === 'object') delete (parent as Record<PathStep, unknown>)[steps[steps.length - 1]];
  }
  return copy;
}

/** A storage quantity in bytes, or undefined when absent or malformed. */
export function bytes(q: unknown): number | undefined {
  return typeof q === 'string' || typeof q === 'number' ? parseQuantity(String(q)) : undefined;
}

/** The API group of an apiVersion ("" for the core group). */
export function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.split('/')[0] : '';
}
