import { KubeObject } from '../audit/kube';
import { compareQuantities, quantityNanos } from '../validation/quantity';
import { appendPath, parsePath, PathStep, valueAt } from './paths';

/**
 * Comparison of manifest values as the API server compares objects (`apiequality.Semantic`):
 * key order aside, and quantities by amount, so `1Gi` and `1024Mi` are the same value. Which
 * fields hold a `resource.Quantity` is known by where they sit (`at`, the steps from the root of
 * the values compared to them), since a string that looks like a quantity elsewhere (an env
 * value, an image tag) is only text.
 */

/** LimitRange item fields that map resource names to quantities. */
const LIMIT_RANGE_MAPS = new Set(['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']);

/** HPA metric sources whose `target` holds `value`/`averageValue` quantities. */
const METRIC_SOURCES = new Set(['resource', 'containerResource', 'pods', 'object', 'external']);

/**
 * Whether the field at the end of `trail` is a `resource.Quantity` of the core API: container,
 * Pod-level and claim `resources.requests`/`limits` (Pod templates, claim templates, ephemeral
 * volumes), `emptyDir.sizeLimit`, Pod `overhead`, PersistentVolume `spec.capacity`, ResourceQuota
 * `spec.hard`, LimitRange `limits[i].max` (and min, default, defaultRequest,
 * maxLimitRequestRatio), HPA metric `target.value`/`averageValue`.
 */
export function isQuantityField(trail: readonly PathStep[]): boolean {
  const n = trail.length;
  const [key, parent, grand] = [trail[n - 1], trail[n - 2], trail[n - 3]];
  if (typeof key !== 'string') return false;
  if (grand === 'resources' && (parent === 'requests' || parent === 'limits')) return true;
  if (parent === 'emptyDir') return key === 'sizeLimit';
  if (parent === 'overhead') return true;
  if ((parent === 'capacity' || parent === 'hard') && grand === 'spec') return true;
  if (typeof parent === 'string' && LIMIT_RANGE_MAPS.has(parent) && typeof grand === 'number' && trail[n - 4] === 'limits') return true;
  return parent === 'target' && (key === 'value' || key === 'averageValue') && typeof grand === 'string' && METRIC_SOURCES.has(grand);
}

/** Whether two leaves are the same quantity (both valid and equal by amount). */
function sameQuantity(a: unknown, b: unknown): boolean {
  const quantity = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';
  return quantity(a) && quantity(b) && compareQuantities(a, b) === 0;
}

/** Stable JSON of any value: object keys sorted and quantities by amount, so two spellings of the same meaning give the same text. */
export function canonical(value: unknown, at: readonly PathStep[] = []): string {
  return canonicalAt(value, [...at]);
}

function canonicalAt(value: unknown, trail: PathStep[]): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') {
    const nanos = (typeof value === 'string' || typeof value === 'number') && isQuantityField(trail) ? quantityNanos(value) : undefined;
    return nanos === undefined ? JSON.stringify(value) ?? 'null' : `quantity(${nanos})`;
  }
  const step = (k: PathStep, v: unknown) => {
    trail.push(k);
    const text = canonicalAt(v, trail);
    trail.pop();
    return text;
  };
  if (Array.isArray(value)) return `[${value.map((v, i) => step(i, v)).join(',')}]`;
  const keys = Object.keys(value).filter(k => (value as KubeObject)[k] !== undefined).sort();
  return `{${keys.map(k => `${JSON.stringify(k)}:${step(k, (value as KubeObject)[k])}`).join(',')}}`;
}

/** Whether two values mean the same: key order aside, quantities by amount. `at` is where they sit, when not at an object's root. */
export function same(a: unknown, b: unknown, at: readonly PathStep[] = []): boolean {
  return deepEqual(a, b, at);
}

/** Whether two values are equal as the API server compares them: key order aside, quantities by amount (a structural walk, no serialisation). */
export function deepEqual(a: unknown, b: unknown, at: readonly PathStep[] = []): boolean {
  return equalAt(a, b, [...at]);
}

function equalAt(a: unknown, b: unknown, trail: PathStep[]): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return isQuantityField(trail) && sameQuantity(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      trail.push(i);
      const equal = equalAt(a[i], b[i], trail);
      trail.pop();
      if (!equal) return false;
    }
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter(k => (a as KubeObject)[k] !== undefined);
  const kb = Object.keys(b).filter(k => (b as KubeObject)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    trail.push(k);
    const equal = equalAt((a as KubeObject)[k], (b as KubeObject)[k], trail);
    trail.pop();
    if (!equal) return false;
  }
  return true;
}

/**
 * Paths (see `paths.ts`) where `a` and `b` differ (lists by index; `.` when the values differ
 * as a whole), at most `limit`, compared as `deepEqual` compares; linear in the size of the values.
 */
export function changedPaths(a: unknown, b: unknown, limit = 20): string[] {
  const out: string[] = [];
  walkChanges(a, b, '', [], out, limit);
  return out;
}

function walkChanges(a: unknown, b: unknown, at: string, trail: PathStep[], out: string[], limit: number): void {
  if (out.length >= limit || a === b) return;
  const isMap = (v: unknown): v is KubeObject => v !== null && typeof v === 'object' && !Array.isArray(v);
  const step = (k: PathStep, x: unknown, y: unknown) => {
    trail.push(k);
    walkChanges(x, y, appendPath(at, k), trail, out, limit);
    trail.pop();
  };
  if (isMap(a) && isMap(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) step(k, a[k], b[k]);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => step(i, x, b[i]));
  } else if (!equalAt(a, b, trail)) {
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

/** The API group of an apiVersion ("" for the core group). */
export function groupOf(apiVersion: unknown): string {
  const v = String(apiVersion ?? '');
  return v.includes('/') ? v.split('/')[0] : '';
}
