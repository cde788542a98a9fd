import { CONTAINER_WAIVER_INFIX, WAIVER_ANNOTATION_PREFIX, WAIVERS_ANNOTATION } from '../rules/waiver';
import { KubeObject, podTemplateOf } from './kube';

/** The waivers an object carries, as the audit reads them: the JSON list and the per-rule annotations. */

const waiverCache = new WeakMap<KubeObject, Map<string, string>>();
const containerWaiverCache = new WeakMap<KubeObject, Map<string, string>>();

/**
 * The reason of a waiver of `ruleId` limited to the container that `field` (a path into the Pod
 * template) lies in, if the object has one (`{ rule, reason, container }` in its waivers annotation).
 */
export function containerWaiver(obj: KubeObject, ruleId: string, field: string): string | undefined {
  const scoped = containerWaiversOf(obj);
  if (scoped.size === 0) return undefined;
  const m = /(?:^|\.)(initContainers|containers|ephemeralContainers)\[(\d+)\]/.exec(field);
  const name = m ? podTemplateOf(obj)?.spec?.[m[1]]?.[Number(m[2])]?.name : undefined;
  return typeof name === 'string' ? scoped.get(`${ruleId}\0${name}`) : undefined;
}

/** The object's container-scoped waivers, by `<rule id>\0<container>`, with their reasons. */
function containerWaiversOf(obj: KubeObject): Map<string, string> {
  let scoped = containerWaiverCache.get(obj);
  if (scoped) return scoped;
  scoped = new Map();
  const raw = obj?.metadata?.annotations?.[WAIVERS_ANNOTATION];
  try {
    for (const w of (typeof raw === 'string' ? JSON.parse(raw) : []) as Array<{ rule?: unknown; reason?: unknown; container?: unknown }>) {
      if (typeof w?.rule === 'string' && typeof w.reason === 'string' && w.reason.trim() && typeof w.container === 'string') scoped.set(`${w.rule}\0${w.container}`, w.reason);
    }
  } catch {
    // A malformed annotation waives nothing.
  }
  // The one-annotation form, `<container>.waiver.seaworthy.dev/<RULE-ID>: <reason>`, which admission policies read too.
  for (const [key, reason] of perRuleWaivers(obj)) {
    const at = key.indexOf(CONTAINER_WAIVER_INFIX);
    if (at > 0 && !scoped.has(`${key.slice(at + CONTAINER_WAIVER_INFIX.length)}\0${key.slice(0, at)}`)) scoped.set(`${key.slice(at + CONTAINER_WAIVER_INFIX.length)}\0${key.slice(0, at)}`, reason);
  }
  containerWaiverCache.set(obj, scoped);
  return scoped;
}

/** The rule ids an object waives, with their reasons, from its waivers annotation. */
export function waiversOf(obj: KubeObject): Map<string, string> {
  let cached = waiverCache.get(obj);
  if (cached) return cached;
  cached = new Map();
  const raw = obj?.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (typeof raw === 'string') {
    try {
      for (const w of JSON.parse(raw) as Array<{ rule?: unknown; reason?: unknown }>) {
        // A waiver naming a container is not one for the whole object (see containerWaiver).
        if (typeof w?.rule === 'string' && typeof w.reason === 'string' && w.reason.trim() && (w as { container?: unknown }).container === undefined) cached.set(w.rule, w.reason);
      }
    } catch {
      // A malformed annotation waives nothing.
    }
  }
  for (const [key, reason] of perRuleWaivers(obj)) {
    if (key.startsWith(WAIVER_ANNOTATION_PREFIX) && !cached.has(key.slice(WAIVER_ANNOTATION_PREFIX.length))) cached.set(key.slice(WAIVER_ANNOTATION_PREFIX.length), reason);
  }
  waiverCache.set(obj, cached);
  return cached;
}

/** The `waiver.seaworthy.dev/…` annotations of an object with a non-blank reason, as [key, reason]. */
function perRuleWaivers(obj: KubeObject): Array<[string, string]> {
  const annotations = obj?.metadata?.annotations;
  if (!annotations || typeof annotations !== 'object') return [];
  return Object.entries(annotations as Record<string, unknown>)
    .filter((e): e is [string, string] => e[0].includes(WAIVER_ANNOTATION_PREFIX) && typeof e[1] === 'string' && e[1].trim() !== '');
}

/** Every waiver an object carries, whole-object (`container` undefined) or for one container. */
export function waiverEntries(obj: KubeObject): Array<{ readonly rule: string; readonly container?: string }> {
  const out: Array<{ rule: string; container?: string }> = [...waiversOf(obj).keys()].map(rule => ({ rule }));
  for (const key of containerWaiversOf(obj).keys()) {
    const [rule, container] = key.split('\0');
    out.push({ rule, container });
  }
  return out;
}
