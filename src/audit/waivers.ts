import { CONTAINER_WAIVER_INFIX, WAIVER_ANNOTATION_PREFIX, WAIVERS_ANNOTATION } from '../rules/waiver';
import { KubeObject, podTemplateOf } from './kube';

/** The waivers an object carries, as the audit reads them: the JSON list and the per-rule annotations. */

/** An object's waivers: by rule id for the whole object, and by `<rule id>\0<container>`. */
interface ObjectWaivers {
  readonly whole: Map<string, string>;
  readonly scoped: Map<string, string>;
}

const waiverCache = new WeakMap<KubeObject, ObjectWaivers>();

/**
 * The reason of a waiver of `ruleId` limited to the container that `field` (a path into the Pod
 * template) lies in, if the object has one (`{ rule, reason, container }` in its waivers annotation).
 */
export function containerWaiver(obj: KubeObject, ruleId: string, field: string): string | undefined {
  const scoped = waiversRead(obj).scoped;
  if (scoped.size === 0) return undefined;
  const m = /(?:^|\.)(initContainers|containers|ephemeralContainers)\[(\d+)\]/.exec(field);
  const name = m ? podTemplateOf(obj)?.spec?.[m[1]]?.[Number(m[2])]?.name : undefined;
  return typeof name === 'string' ? scoped.get(`${ruleId}\0${name}`) : undefined;
}

/** The rule ids an object waives, with their reasons, from its waivers annotation. */
export function waiversOf(obj: KubeObject): Map<string, string> {
  return waiversRead(obj).whole;
}

/**
 * Both kinds of waiver, read once per object: the JSON list (a waiver naming a container is not
 * one for the whole object) and the per-rule annotations, `waiver.seaworthy.dev/<RULE-ID>` and
 * `<container>.waiver.seaworthy.dev/<RULE-ID>` (which admission policies read too). The JSON list
 * wins over an annotation of the same rule.
 */
function waiversRead(obj: KubeObject): ObjectWaivers {
  const cached = waiverCache.get(obj);
  if (cached) return cached;
  const whole = new Map<string, string>();
  const scoped = new Map<string, string>();
  const raw = obj?.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (typeof raw === 'string') {
    try {
      for (const w of JSON.parse(raw) as Array<{ rule?: unknown; reason?: unknown; container?: unknown }>) {
        if (typeof w?.rule !== 'string' || typeof w.reason !== 'string' || !w.reason.trim()) continue;
        if (w.container === undefined) whole.set(w.rule, w.reason);
        else if (typeof w.container === 'string') scoped.set(`${w.rule}\0${w.container}`, w.reason);
      }
    } catch {
      // A malformed annotation waives nothing.
    }
  }
  for (const [key, reason] of perRuleWaivers(obj)) {
    if (key.startsWith(WAIVER_ANNOTATION_PREFIX)) {
      const rule = key.slice(WAIVER_ANNOTATION_PREFIX.length);
      if (!whole.has(rule)) whole.set(rule, reason);
    }
    const at = key.indexOf(CONTAINER_WAIVER_INFIX);
    if (at > 0) {
      const scope = `${key.slice(at + CONTAINER_WAIVER_INFIX.length)}\0${key.slice(0, at)}`;
      if (!scoped.has(scope)) scoped.set(scope, reason);
    }
  }
  const read = { whole, scoped };
  waiverCache.set(obj, read);
  return read;
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
  for (const key of waiversRead(obj).scoped.keys()) {
    const [rule, container] = key.split('\0');
    out.push({ rule, container });
  }
  return out;
}
