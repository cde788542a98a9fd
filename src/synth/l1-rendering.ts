import { ApiObject } from 'cdk8s';
import { isMap } from '../util/is-map';
import { merged } from '../util/merge';
import { setOwn } from '../util/set-own';
import { FALL_BACK, internals, isWalkedObject, metadataJson, resolveSanitized, resolveValue, walkable } from './resolve-walk';

/**
 * The last step of rendering an L1 object (`KubeDeployment`, `HttpRoute`, …), without its cost.
 *
 * Every class `cdk8s import` generates renders as `{ ...GVK, ...toJson_<Kind>Props(resolved) }`,
 * and each `toJson_<Type>` converter builds its output by spreading an accumulator once per
 * field (`Object.entries(result).reduce((r, i) => ({ ...r, [i[0]]: i[1] }), {})`): quadratic in
 * the fields, an object allocated per field, about a tenth of a large synthesis and much of its
 * garbage. This module reads each converter's source once — generated code of seven shapes: a
 * field as is, a nested type, a list of either, a map of either, a quantity's `.value`, a date —
 * into a plan (a map of lists of a type, too), and converts by the plan in one pass with the same
 * output, key order included.
 * A converter with any other shape has no plan, and its class renders as before; anything the
 * plan does not expect in the data (a null, a list that is not an array) is handed to the
 * class's own code.
 */

/** One field of a converter: its JSON name, its property name and how its value converts. */
interface Field {
  readonly json: string;
  readonly prop: string;
  readonly convert: Convert;
}

/** A converter's plan: its fields in order. */
type Plan = readonly Field[];

/** A nested converter, planned on first use (types can be recursive). */
interface PlanRef {
  readonly module: Converters;
  readonly name: string;
  plan?: Plan;
}

type Convert =
  | { readonly kind: 'as-is' }
  | { readonly kind: 'type'; readonly ref: PlanRef }
  | { readonly kind: 'list' }
  | { readonly kind: 'list-of-type'; readonly ref: PlanRef }
  | { readonly kind: 'map'; readonly item: 'as-is' | 'value' | 'list' }
  | { readonly kind: 'map-of-type'; readonly ref: PlanRef }
  | { readonly kind: 'map-of-lists-of-type'; readonly ref: PlanRef }
  | { readonly kind: 'value' }
  | { readonly kind: 'date' };

type Converters = Readonly<Record<string, unknown>>;

const FUNCTION = /^function (toJson_\w+)\(obj\) \{\s*if \(obj === undefined\) \{\s*return undefined;\s*\}\s*const result = \{\n([\s\S]*?)\n\s*\};\s*\/\/ filter undefined values\s*return Object\.entries\(result\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: i\[1\] \}\), \{\}\);\s*\}$/;
const LINE = /^\s*'([^'\\]+)': (.+),$/;
const AS_IS = /^obj\.(\w+)$/;
const TYPE = /^(toJson_\w+)\(obj\.(\w+)\)$/;
const LIST = /^obj\.(\w+)\?\.map\(y => y\)$/;
const LIST_OF_TYPE = /^obj\.(\w+)\?\.map\(y => (toJson_\w+)\(y\)\)$/;
const MAP = /^\(\(obj\.(\w+)\) === undefined\) \? undefined : \(Object\.entries\(obj\.(\w+)\)\.reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: (.+) \}\), \{\}\)\)$/;
const VALUE = /^obj\.(\w+)\?\.value$/;
const DATE = /^obj\.(\w+)\?\.toISOString\(\)$/;

/** Plans by converter function, built on first use; `null`: a converter of another shape. */
const PLANS = new WeakMap<object, Plan | null>();

/** The plan of converter `name` of `module`, or undefined when it has a shape not understood. */
function planOf(module: Converters, name: string): Plan | undefined {
  const fn = module[name];
  if (typeof fn !== 'function') return undefined;
  const known = PLANS.get(fn);
  if (known !== undefined) return known ?? undefined;
  const match = FUNCTION.exec(Function.prototype.toString.call(fn));
  const plan = match ? parseFields(module, match[2]) : undefined;
  PLANS.set(fn, plan ?? null);
  return plan;
}

function parseFields(module: Converters, body: string): Plan | undefined {
  const fields: Field[] = [];
  for (const line of body.split('\n')) {
    const m = LINE.exec(line);
    const field = m ? parseField(module, m[1], m[2]) : undefined;
    if (!field) return undefined;
    fields.push(field);
  }
  return fields;
}

/**
 * A nested converter, planned on first use (types can be recursive); whether it has a plan is
 * checked once per class, by `everyNestedPlanned()`.
 */
function nested(module: Converters, name: string): PlanRef | undefined {
  return typeof module[name] === 'function' ? { module, name } : undefined;
}

function planned(ref: PlanRef): Plan {
  if (ref.plan) return ref.plan;
  const plan = planOf(ref.module, ref.name);
  if (!plan) throw FALL_BACK;
  return ref.plan = plan;
}

function parseField(module: Converters, json: string, expr: string): Field | undefined {
  let m: RegExpExecArray | null;
  const field = (prop: string, convert: Convert | undefined): Field | undefined => (convert ? { json, prop, convert } : undefined);
  if ((m = AS_IS.exec(expr))) return field(m[1], { kind: 'as-is' });
  if ((m = TYPE.exec(expr))) {
    const ref = nested(module, m[1]);
    return field(m[2], ref && { kind: 'type', ref });
  }
  if ((m = LIST.exec(expr))) return field(m[1], { kind: 'list' });
  if ((m = LIST_OF_TYPE.exec(expr))) {
    const ref = nested(module, m[2]);
    return field(m[1], ref && { kind: 'list-of-type', ref });
  }
  if ((m = MAP.exec(expr)) && m[1] === m[2]) {
    const item = m[3];
    if (item === 'i[1]') return field(m[1], { kind: 'map', item: 'as-is' });
    if (item === 'i[1]?.value') return field(m[1], { kind: 'map', item: 'value' });
    if (item === 'i[1]?.map(y => y)') return field(m[1], { kind: 'map', item: 'list' });
    const t = /^(toJson_\w+)\(i\[1\]\)$/.exec(item);
    if (t) {
      const ref = nested(module, t[1]);
      return field(m[1], ref && { kind: 'map-of-type', ref });
    }
    const lt = /^i\[1\]\?\.map\(y => (toJson_\w+)\(y\)\)$/.exec(item);
    const ref = lt ? nested(module, lt[1]) : undefined;
    return field(m[1], ref && { kind: 'map-of-lists-of-type', ref });
  }
  if ((m = VALUE.exec(expr))) return field(m[1], { kind: 'value' });
  if ((m = DATE.exec(expr))) return field(m[1], { kind: 'date' });
  return undefined;
}


/** `toJson_<Type>(value)` by its plan. */
function convertType(plan: Plan, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (!isMap(value)) throw FALL_BACK;
  const out: Record<string, unknown> = {};
  for (const f of plan) {
    const converted = convertField(f.convert, value[f.prop]);
    if (converted !== undefined) out[f.json] = converted;
  }
  return out;
}

function copyList(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw FALL_BACK;
  return value.map(y => y);
}

/** `value?.map(y => toJson_<Type>(y))` by the type's plan. */
function convertList(plan: Plan, value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw FALL_BACK;
  return value.map(y => convertType(plan, y));
}

function convertField(c: Convert, value: unknown): unknown {
  switch (c.kind) {
    case 'as-is': return value;
    case 'type': return convertType(planned(c.ref), value);
    case 'list': return copyList(value);
    case 'list-of-type': return convertList(planned(c.ref), value);
    case 'value': return value === undefined || value === null ? undefined : (value as { value?: unknown }).value;
    case 'date':
      if (value === undefined || value === null) return undefined;
      throw FALL_BACK;
    case 'map':
    case 'map-of-type':
    case 'map-of-lists-of-type': {
      if (value === undefined) return undefined;
      if (!isMap(value)) throw FALL_BACK;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const item = value[key];
        if (item === undefined) continue;
        const converted = c.kind === 'map-of-type' ? convertType(planned(c.ref), item)
          : c.kind === 'map-of-lists-of-type' ? convertList(planned(c.ref), item)
            : c.item === 'value' ? (item === null ? undefined : (item as { value?: unknown }).value)
              : c.item === 'list' ? copyList(item)
                : item;
        // As the generated code's `{ ...r, [key]: value }`: an own property, "__proto__" included.
        setOwn(out, key, converted);
      }
      return out;
    }
  }
}

/** How an L1 class renders: its GVK and its props' plan; null when it is not a generated class. */
interface ClassRendering {
  readonly gvk: Readonly<Record<string, unknown>>;
  readonly plan: Plan;
}

/** What was found for a class, and the `toJson` method it was found for. */
interface ClassEntry {
  readonly toJson: unknown;
  readonly rendering: ClassRendering | null;
}

const CLASS_TO_JSON = /^toJson\(\) \{\s*const resolved = super\.toJson\(\);\s*return \{\s*\.\.\.(\w+)\.GVK,\s*\.\.\.(toJson_\w+)\(resolved\),\s*\};\s*\}$/;

/** Whether every converter a plan reaches has a plan too (checked once per class, not at each rendering). */
function everyNestedPlanned(plan: Plan, seen = new Set<Plan>()): boolean {
  if (seen.has(plan)) return true;
  seen.add(plan);
  for (const f of plan) {
    if (!('ref' in f.convert)) continue;
    const nestedPlan = planOf(f.convert.ref.module, f.convert.ref.name);
    if (!nestedPlan || !everyNestedPlanned(nestedPlan, seen)) return false;
  }
  return true;
}

/** How each class renders, found once per class. */
const CLASSES = new WeakMap<object, ClassEntry>();

/**
 * The generated module whose classes may be rendered by plan, by API group: cdk8s-plus-28's
 * Kubernetes classes, or one of this package's own imports — loaded only when an object of its
 * group is met, which means it is loaded already.
 */
function moduleFor(apiVersion: string): Converters {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  /* eslint-disable @typescript-eslint/no-require-imports */
  switch (group) {
    case 'gateway.networking.k8s.io': return require('../../imports/gateway-api') as Converters;
    case 'autoscaling.k8s.io': return require('../../imports/vpa') as Converters;
    case 'monitoring.coreos.com': return require('../../imports/prometheus-operator') as Converters;
    case 'kustomize.toolkit.fluxcd.io': return require('../../imports/flux') as Converters;
    default: return require('cdk8s-plus-28/lib/imports/k8s') as Converters;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}

function classRendering(proto: object): ClassRendering | null {
  const own = Object.getOwnPropertyDescriptor(proto, 'toJson')?.value as unknown;
  const known = CLASSES.get(proto);
  // The class's method replaced since (a test's spy, a patch): looked at again.
  if (known !== undefined && known.toJson === own) return known.rendering;
  let found: ClassRendering | null = null;
  const cls = (proto as { constructor?: unknown }).constructor as ({ name: string; GVK?: unknown } & object) | undefined;
  const m = typeof own === 'function' && Object.getPrototypeOf(proto) === ApiObject.prototype ? CLASS_TO_JSON.exec(Function.prototype.toString.call(own)) : null;
  if (cls && m && m[1] === cls.name && isMap(cls.GVK) && typeof cls.GVK.apiVersion === 'string') {
    const module = moduleFor(cls.GVK.apiVersion);
    const plan = module[cls.name] === cls ? planOf(module, m[2]) : undefined;
    if (plan && everyNestedPlanned(plan)) found = { gvk: cls.GVK, plan };
  }
  CLASSES.set(proto, { toJson: own, rendering: found });
  return found;
}

/** Each plan's fields by property name, for reading unresolved props by plan. */
const FIELD_INDEX = new WeakMap<Plan, ReadonlyMap<string, number>>();

function fieldIndex(plan: Plan): ReadonlyMap<string, number> {
  let index = FIELD_INDEX.get(plan);
  if (!index) {
    index = new Map(plan.map((f, i) => [f.prop, i]));
    FIELD_INDEX.set(plan, index);
  }
  return index;
}

/**
 * `toJson_<Type>(sanitizeValue(resolve(value)))` in one walk, for `value` already resolved to a
 * plain object: nested types are read by plan straight from the unresolved props (no sorted copy
 * built only to be rebuilt in the plan's order); maps, lists and other values are resolved and
 * sanitized as cdk8s does, then converted. Props are resolved in cdk8s's order (the object's own
 * key order), those the plan does not know included — cdk8s resolves them before the converter
 * drops them.
 */
function convertResolving(plan: Plan, value: Record<string, unknown>, sortKeys: boolean): Record<string, unknown> {
  const index = fieldIndex(plan);
  const converted = new Array<unknown>(plan.length);
  for (const key of Object.keys(value)) {
    const at = index.get(key);
    if (at === undefined) resolveSanitized(value[key], sortKeys, false);
    else converted[at] = convertResolvingField(plan[at].convert, value[key], sortKeys);
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < plan.length; i++) {
    if (converted[i] !== undefined) out[plan[i].json] = converted[i];
  }
  return out;
}

function convertResolvingField(c: Convert, raw: unknown, sortKeys: boolean): unknown {
  if (c.kind === 'type') {
    const value = resolveValue(raw);
    if (value === null || value === undefined) return undefined;
    if (!isWalkedObject(value)) throw FALL_BACK;
    return convertResolving(planned(c.ref), value, sortKeys);
  }
  if (c.kind === 'list-of-type') {
    const value = resolveValue(raw);
    if (value === null || value === undefined) return undefined;
    if (!Array.isArray(value)) throw FALL_BACK;
    const plan = planned(c.ref);
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw FALL_BACK;
      const item = resolveValue(value[i]);
      if (item === null || item === undefined) items[i] = undefined;
      else if (isWalkedObject(item)) items[i] = convertResolving(plan, item, sortKeys);
      else throw FALL_BACK;
    }
    return items;
  }
  return convertField(c, resolveSanitized(raw, sortKeys, false));
}

/**
 * `o.toJson()` as `o`'s class renders it, the L1 conversion done by plan when the class is a
 * generated one whose converters have a plan: from the unresolved props in one walk when the
 * object has no JSON patch (the common case), else on cdk8s's rendering (`ApiObject.toJson()`,
 * which `fastRendering()` makes one walk too). Data the plan does not expect, or an error, is
 * handed to the class's own code, which renders as it always does (and fails in its own words).
 */
export function classToJson(o: ApiObject): unknown {
  const proto = Object.getPrototypeOf(o) as { toJson: () => unknown };
  const rendering = classRendering(proto);
  if (rendering) {
    try {
      const self = internals(o);
      let converted: Record<string, unknown> | undefined;
      if (self.patches.length === 0 && walkable(o)) {
        const metadata = metadataJson(self.metadata);
        converted = convertResolving(rendering.plan, merged(self.props, { metadata }), !process.env.CDK8S_DISABLE_SORT);
      } else {
        converted = convertType(rendering.plan, ApiObject.prototype.toJson.call(o));
      }
      // Not a spread literal (see `merged`): these objects are kept.
      return merged(rendering.gvk, converted);
    } catch {
      // The class's own code: it renders as before, and fails in its own words.
      handedBack++;
    }
  }
  return proto.toJson.call(o);
}

/** Renderings of a planned class handed back to the class's own code. */
let handedBack = 0;

/** How many renderings of planned classes were handed back to their own code so far. @internal */
export function renderingsHandedBack(): number {
  return handedBack;
}

/** Whether `o`'s class renders by plan (a generated class whose converters all have one). @internal */
export function rendersByPlan(o: ApiObject): boolean {
  return classRendering(Object.getPrototypeOf(o) as object) !== null;
}
