import { createHash } from 'crypto';
import { ApiObject, ApiObjectMetadataDefinition, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver, resolve } from 'cdk8s';
import { classToJson } from './l1-rendering';
import { FALL_BACK, hasBuiltInResolvers, internals, metadataJson, MetadataInternals, resolveSanitized, walkable } from './resolve-walk';
import { omitted } from '../util/merge';

/**
 * A faster `ApiObject.prototype.toJson()` with the same output, used while seaworthy renders.
 *
 * cdk8s renders every object by walking it twice: `resolve()` (a `ResolutionContext` and a copied
 * key path per value, the app's resolvers asked in turn, `App.of()` climbing the tree per value)
 * and then `sanitizeValue()` (dropping null and undefined, sorting keys); the object's metadata
 * is walked the same way first. That was a third of rendering the reference shapes. This module
 * does both walks in one, with no allocation per value beyond the output, for apps with cdk8s's
 * built-in resolvers only (`Lazy`, implicit tokens, number-or-string unions); anything else —
 * custom resolvers, a value neither plain nor resolvable (which cdk8s refuses with its own
 * message), a function — falls back to cdk8s's own `toJson()` for that object.
 *
 * The L1 classes call it as `super.toJson()`, so it can only be put in place on the prototype:
 * `fastRendering()` does that for the duration of one synchronous call (a synthesis) and restores
 * cdk8s's method after it, and only for the cdk8s whose rendering code it was checked against
 * (`VERIFIED`: digests of the functions it replaces; another version renders as before).
 */

/** Digests of the cdk8s functions this module reproduces, as in cdk8s 2.70.x. */
const VERIFIED: Readonly<Record<string, string>> = {
  'ApiObject.toJson': 'b0124785d6525aa7d18eff0aa204d0d53a9639b3c049d6030cd45abf9fc5f55f',
  'ApiObjectMetadataDefinition.toJson': '13fb4cb94fe0974fa812f049f173eefa7dcb8acc70eb259e7e08c39c16e53c22',
  'resolve': 'd922ff5b293f106dcfdab630091c00339869754c37913e39435f179a1a9699ce',
  'sanitizeValue': '46b26b4875bda85a611907168d76a9f273b452ad271d1b94c7f35c344df4765b',
  'LazyResolver.resolve': 'e8da9801cd20c454919d394c53464fbe7ef431451e0a93309ec95751113d5d48',
  'ImplicitTokenResolver.resolve': '317521bb865f2e88aaf132457d6787c37b082386ac6662f7f7c20dce84c99ad4',
  'NumberStringUnionResolver.resolve': '068b0d1bad20ab9be102a32a97d688d58651a7d0e06ed5e02ff91e9c440cf256',
};

/** The cdk8s functions this module reproduces, by the names of `VERIFIED`. @internal */
export function reproducedFunctions(): Record<string, unknown> {
  let sanitizeValue: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sanitizeValue = (require('cdk8s/lib/_util') as { sanitizeValue?: unknown }).sanitizeValue;
  } catch {
    sanitizeValue = undefined;
  }
  return {
    'ApiObject.toJson': ApiObject.prototype.toJson,
    'ApiObjectMetadataDefinition.toJson': ApiObjectMetadataDefinition.prototype.toJson,
    'resolve': resolve,
    'sanitizeValue': sanitizeValue,
    'LazyResolver.resolve': LazyResolver.prototype.resolve,
    'ImplicitTokenResolver.resolve': ImplicitTokenResolver.prototype.resolve,
    'NumberStringUnionResolver.resolve': NumberStringUnionResolver.prototype.resolve,
  };
}

/** The digest of a function's source text, whitespace collapsed. @internal */
export function sourceDigest(fn: unknown): string {
  if (typeof fn !== 'function') return '';
  return createHash('sha256').update(Function.prototype.toString.call(fn).replace(/\s+/g, ' ')).digest('hex');
}

const CDK8S_TO_JSON = ApiObject.prototype.toJson;
const CDK8S_METADATA_TO_JSON = ApiObjectMetadataDefinition.prototype.toJson;

/** Whether the cdk8s loaded is the one this module reproduces. */
const MATCHES = Object.entries(reproducedFunctions()).every(([name, fn]) => VERIFIED[name] === sourceDigest(fn));

/** Whether rendering is sped up here (the cdk8s loaded is the one verified). @internal */
export function fastRenderingAvailable(): boolean {
  return MATCHES;
}

/** `ApiObject.prototype.toJson()`, in one walk; cdk8s's own where it must decide. */
function fastToJson(this: ApiObject): unknown {
  const self = internals(this);
  if (!walkable(this)) return CDK8S_TO_JSON.call(this);
  let patched: Record<string, unknown>;
  try {
    const metadata = metadataJson(self.metadata);
    // cdk8s resolves and sanitizes the metadata once more inside the whole object, which changes
    // nothing (it is plain, sanitized data by then); where it sits among the keys does not matter
    // either, as "metadata" is moved third below.
    const json = resolveSanitized(omitted(self.props, 'metadata'), !process.env.CDK8S_DISABLE_SORT, false) as Record<string, unknown>;
    if (metadata !== undefined) json.metadata = metadata;
    patched = self.patches.length > 0 ? JsonPatch.apply(json, ...self.patches) as Record<string, unknown> : json;
  } catch (e) {
    if (e === FALL_BACK) return CDK8S_TO_JSON.call(this);
    throw new Error(`Failed serializing construct at path '${this.node.path}' with name '${this.name}': ${e}`);
  }
  const result: Record<string, unknown> = {};
  for (const key of ['apiVersion', 'kind', 'metadata', ...Object.keys(patched)]) {
    if (key in patched) result[key] = patched[key];
  }
  return result;
}

/**
 * Runs `fn` (a synchronous synthesis or rendering) with API objects rendered in one walk each,
 * when the cdk8s loaded is the one verified and its method is in place; nested calls share the
 * outer one.
 */
export function fastRendering<T>(fn: () => T): T {
  const proto = ApiObject.prototype as { toJson: () => unknown };
  const metadataProto = ApiObjectMetadataDefinition.prototype as { toJson: () => unknown };
  // Already in place (a nested call), or cdk8s's methods replaced by someone else (a test's spy): as is.
  if (!MATCHES || proto.toJson !== CDK8S_TO_JSON || metadataProto.toJson !== CDK8S_METADATA_TO_JSON) return fn();
  proto.toJson = fastToJson;
  metadataProto.toJson = fastMetadataToJson;
  try {
    return fn();
  } finally {
    proto.toJson = CDK8S_TO_JSON;
    metadataProto.toJson = CDK8S_METADATA_TO_JSON;
  }
}

/**
 * `ApiObjectMetadataDefinition.prototype.toJson()` in one walk: cdk8s-plus renders a Pod
 * template's metadata with it. Errors propagate as cdk8s's do (the object's rendering wraps them).
 */
function fastMetadataToJson(this: ApiObjectMetadataDefinition): unknown {
  const m = this as unknown as MetadataInternals;
  if (!m.apiObject || !hasBuiltInResolvers(m.apiObject.node.root)) return CDK8S_METADATA_TO_JSON.call(this);
  try {
    return metadataJson(m);
  } catch (e) {
    if (e === FALL_BACK) return CDK8S_METADATA_TO_JSON.call(this);
    throw e;
  }
}

/**
 * Wraps the object's rendering in a finisher: from now on `o.toJson()` returns `wrap(render, o)`,
 * where `render` does what `o.toJson()` did before (an earlier finisher's rendering, else the
 * class's). The one way seaworthy adds a finisher, so that each keeps the ones before it and,
 * within `fastRendering()`, the L1 conversion by plan. A `wrap` that needs nothing of one object
 * is best a function defined once: a closure made per object lives as long as the object. @internal
 */
export function wrapRendering(o: ApiObject, wrap: (render: ApiObject['toJson'], o: ApiObject) => unknown): void {
  const render = currentRendering(o);
  o.toJson = () => wrap(render, o);
}

/**
 * What `o.toJson()` does now, as a function a finisher can wrap: an own `toJson` set earlier (an
 * earlier finisher's), else the class's rendering, looked up at each call — so that within
 * `fastRendering()` the L1 conversion is done by plan (`classToJson()`), which binding the
 * class's method once, at construction, would bypass.
 */
function currentRendering(o: ApiObject): ApiObject['toJson'] {
  if (Object.prototype.hasOwnProperty.call(o, 'toJson')) return o.toJson.bind(o);
  return () => renderByClass(o);
}

/** `o.toJson()`: its own finishers if it has any, else its class's rendering (by plan within `fastRendering()`). */
export function renderObject(o: ApiObject): unknown {
  return Object.prototype.hasOwnProperty.call(o, 'toJson') ? o.toJson() : renderByClass(o);
}

function renderByClass(o: ApiObject): unknown {
  return ApiObject.prototype.toJson === fastToJson ? classToJson(o) : (Object.getPrototypeOf(o) as { toJson: () => unknown }).toJson.call(o);
}
