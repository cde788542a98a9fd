import { KubeObject } from '../audit/kube';
import { parseQuantity } from '../validation/quantity';

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

/** Dotted paths where `a` and `b` differ (lists by index), at most `limit`; linear in the size of the values. */
export function changedPaths(a: unknown, b: unknown, at = '', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit || a === b) return out;
  const isMap = (v: unknown): v is KubeObject => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isMap(a) && isMap(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) changedPaths(a[k], b[k], at ? `${at}.${k}` : k, out, limit);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => changedPaths(x, b[i], `${at}[${i}]`, out, limit));
  } else if (!deepEqual(a, b)) {
    out.push(at || '.');
  }
  return out;
}

/** A copy of `obj` without the keys at the dotted `paths` (for "everything else is equal" checks). */
export function without(obj: unknown, paths: readonly string[]): unknown {
  if (obj === null || typeof obj !== 'object') return obj;
  const copy = JSON.parse(JSON.stringify(obj)) as Record<string, unknown>;
  for (const p of paths) {
    const parts = p.split('.');
    let node: Record<string, unknown> | undefined = copy;
    for (const part of parts.slice(0, -1)) node = node && node[part] !== null && typeof node[part] === 'object' ? node[part] as Record<string, unknown> : undefined;
    if (node) delete node[parts[parts.length - 1]];
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
