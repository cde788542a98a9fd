import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { renderOnce } from './render-once';
import { setOwn } from '../util/set-own';
import { PROTOTYPE_MEMBERS } from '../validation/names';
import { wrapRendering } from './fast-render';

/**
 * Map keys named like Object.prototype's members ("constructor", "toString", "__proto__", …) are
 * valid Kubernetes keys — an env var "constructor", a ConfigMap key "__proto__", a label
 * "toString" — but the cdk8s render path cannot carry all of them: `ApiObject.toJson()` resolves
 * and sanitizes every map through plain objects, so a "constructor" key throws ("can't render
 * non-simple object") and an own "__proto__" key is lost, and cdk8s-plus-28's ConfigMap refuses
 * every such key as "already used" (an `in` check).
 *
 * So such a key travels marked: `carriedMap()` appends a suffix no Kubernetes key can contain (it
 * holds a NUL) before the map is handed to cdk8s-plus or an L1 class, and the app's API objects,
 * once one carries a marked key, get a `toJson()` that puts the keys back exactly as given, with
 * the same key order (a marked key sorts where the plain key would). The construct's own fields
 * keep the keys as given; only what cdk8s holds is marked.
 */

/** The mark: NUL is in no valid label, annotation, ConfigMap, selector or env key. */
const MARK = '\u0000seaworthy:own-key';

/** Apps whose API objects restore marked keys when they render. */
const RESTORING = new WeakSet<IConstruct>();
/** API objects already restoring. */
const WRAPPED = new WeakSet<ApiObject>();

/** `key` as cdk8s may hold it: marked when it is named like an Object.prototype member. */
export function carriedKey(key: string): string {
  return PROTOTYPE_MEMBERS.has(key) ? `${key}${MARK}` : key;
}

/** The key as given, from one cdk8s held (`carriedKey()`'s inverse). */
export function givenKey(key: string): string {
  return key.endsWith(MARK) ? key.slice(0, -MARK.length) : key;
}

/**
 * A copy of `map` that cdk8s and cdk8s-plus carry to the YAML unchanged: keys named like
 * Object.prototype members are marked, and the app of `scope` restores them when it renders.
 * Undefined stays undefined.
 */
export function carriedMap<T>(scope: IConstruct, map: Readonly<Record<string, T>>): Record<string, T>;
export function carriedMap<T>(scope: IConstruct, map: Readonly<Record<string, T>> | undefined): Record<string, T> | undefined;
export function carriedMap<T>(scope: IConstruct, map: Readonly<Record<string, T>> | undefined): Record<string, T> | undefined {
  if (map === undefined) return undefined;
  const out: Record<string, T> = {};
  let marked = false;
  for (const key of Object.keys(map)) {
    const carried = carriedKey(key);
    marked ||= carried !== key;
    setOwn(out, carried, map[key]);
  }
  if (marked) restoreOwnKeys(scope);
  return out;
}

/**
 * `o.toJson()` with marked keys restored, for code that renders objects outside synthesis or
 * before the root's validation has wrapped them all (findings, explain, checks at validation).
 */
export function renderJson(o: ApiObject): unknown {
  const json: unknown = renderOnce(o);
  return RESTORING.has(o.node.root) ? restoreKeys(json) : json;
}

/** Whether the API objects of the app of `scope` restore marked keys (once a map carried one). */
export function restoresOwnKeys(scope: IConstruct): boolean {
  return RESTORING.has(scope.node.root);
}

/**
 * Makes every API object of the app of `scope` restore marked keys when it renders: a validation
 * on the root (synthesis validates the whole app before any object renders) wraps each object's
 * `toJson()`. What renders objects earlier — findings, explain, checks run as validations —
 * uses `renderJson()`.
 */
function restoreOwnKeys(scope: IConstruct): void {
  const root = scope.node.root;
  if (RESTORING.has(root)) return;
  RESTORING.add(root);
  const wrapAll = () => {
    for (const c of root.node.findAll()) {
      if (c instanceof ApiObject && !WRAPPED.has(c)) {
        WRAPPED.add(c);
        wrapRendering(c, renderedWithKeysRestored);
      }
    }
    return [];
  };
  root.node.addValidation({ validate: wrapAll });
}

function renderedWithKeysRestored(render: ApiObject['toJson']): unknown {
  return restoreKeys(render());
}

/** `json` with every marked key restored (objects holding one are rebuilt in place, order kept). */
export function restoreKeys<T>(json: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = walk(v[i]);
      return v;
    }
    if (v === null || typeof v !== 'object') return v;
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (!keys.some(k => k.endsWith(MARK))) {
      for (const k of keys) {
        const restored = walk(obj[k]);
        if (restored !== obj[k]) setOwn(obj, k, restored);
      }
      return obj;
    }
    const out: Record<string, unknown> = {};
    for (const k of keys) setOwn(out, givenKey(k), walk(obj[k]));
    return out;
  };
  return walk(json) as T;
}
