import { ApiObject } from 'cdk8s';

/**
 * One rendering of each API object per synthesis. Validation reads rendered objects — the
 * reachability of front doors, a Tenant's quota against its workloads' rollout peaks, a claim
 * against its PersistentVolume — and synthesis then renders every object again for the YAML;
 * `ApiObject.toJson()` (cdk8s's resolve of every value) is the most expensive step of all. While
 * `renderingOnce()` runs, each API object that existed when it started renders once: later
 * calls of its `toJson()` return that same JSON.
 *
 * That relies on validation being a check, as the constructs contract says: a validation must not
 * change what an object renders, nor change a rendered object it reads. Outside `renderingOnce()`
 * every call renders afresh, so construct changes made between syntheses are seen.
 */

/** The renders of the synthesis in progress, or undefined outside one. */
let session: Map<ApiObject, unknown> | undefined;

/** API objects whose `toJson()` consults the session. */
const SHARED = new WeakSet<ApiObject>();

/** Runs `fn` (a synthesis) with each of `objects` rendered at most once. */
export function renderingOnce<T>(objects: readonly ApiObject[], fn: () => T): T {
  for (const o of objects) shareRender(o);
  const outer = session;
  session ??= new Map();
  try {
    return fn();
  } finally {
    session = outer;
  }
}

/** Wraps the object's `toJson()` (its finishers included) so that a session renders it once. */
function shareRender(o: ApiObject): void {
  if (SHARED.has(o)) return;
  SHARED.add(o);
  const render = o.toJson.bind(o);
  o.toJson = () => {
    if (session === undefined) return render();
    if (session.has(o)) return session.get(o);
    const json: unknown = render();
    session.set(o, json);
    return json;
  };
}
