import { ApiObject } from 'cdk8s';
import { fastRendering, renderObject, wrapRendering } from './fast-render';

/**
 * One rendering of each API object per synthesis. Validation reads rendered objects — the
 * reachability of front doors, a Tenant's quota against its workloads' rollout peaks, a claim
 * against its PersistentVolume — and synthesis then renders every object again for the YAML;
 * `ApiObject.toJson()` (cdk8s's resolve of every value) is the most expensive step of all. While
 * `renderingOnce()` runs, an object rendered through `renderOnce()` renders once: later
 * `renderOnce()` calls and the synthesis's own `toJson()` call return that same JSON. Objects no
 * validation reads are rendered by synthesis alone, as before.
 *
 * That relies on validation being a check, as the constructs contract says: a validation must not
 * change what an object renders, nor change a rendered object it reads. Outside `renderingOnce()`
 * every call renders afresh, so construct changes made between syntheses are seen.
 */

/** The renders of the synthesis in progress, or undefined outside one. */
let session: Map<ApiObject, unknown> | undefined;

/** API objects whose `toJson()` returns the session's rendering once there is one. */
const SHARED = new WeakSet<ApiObject>();

/**
 * Runs `fn` (a synthesis) with each object rendered through `renderOnce()` rendered once, each
 * rendering in one walk (`fastRendering()`).
 */
export function renderingOnce<T>(fn: () => T): T {
  const outer = session;
  session ??= new Map();
  try {
    return fastRendering(fn);
  } finally {
    session = outer;
  }
}

/**
 * The synthesis in progress, as a token (undefined outside one): within one, each object renders
 * once and validation changes nothing, so what is computed from the rendered objects of one app
 * holds for the whole synthesis.
 */
export function renderSession(): object | undefined {
  return session;
}

/**
 * `o.toJson()`, rendered once per synthesis: for checks run at validation that read rendered
 * objects. Outside a synthesis, a fresh rendering.
 */
export function renderOnce(o: ApiObject): unknown {
  if (session === undefined) return renderObject(o);
  if (session.has(o)) return session.get(o);
  const json: unknown = renderObject(o);
  session.set(o, json);
  shareRender(o);
  return json;
}

/** Makes the object's `toJson()` (its finishers included) return the session's rendering. */
function shareRender(o: ApiObject): void {
  if (SHARED.has(o)) return;
  SHARED.add(o);
  wrapRendering(o, sessionRendering);
}

/** Within a synthesis, the object's rendering of the session once there is one; else `render()`. */
function sessionRendering(render: ApiObject['toJson'], o: ApiObject): unknown {
  return session !== undefined && session.has(o) ? session.get(o) : render();
}
