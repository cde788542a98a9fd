import { CelEnv, celEnv, CelFunc, CelInput, CelResult, CelType, isCelError, parse, plan } from '@bufbuild/cel';
import { durationFromMs, timestampFromDate } from '@bufbuild/protobuf/wkt';
import { crdVersions } from './crds';
import { K8S_CEL_FUNCS, OPTIONAL_NONE_FUNCS } from './k8s-cel-lib';

/**
 * Offline evaluation of the CEL rules (`x-kubernetes-validations`) of CustomResourceDefinitions,
 * as the Kubernetes API server runs them when a custom resource is created:
 *
 * - compile: every rule is parsed and checked against the type Kubernetes declares for `self`
 *   at its schema node (objects with their escaped property names, maps, lists, int, double,
 *   string, bool, duration/timestamp/bytes for those string formats). Every function and method
 *   name must resolve to an overload of the right arity and (where known) argument types among
 *   @bufbuild/cel's standard library plus test/support/k8s-cel-lib.ts; field selections on
 *   objects must name a declared property. @bufbuild/cel's own checker does not handle calls
 *   yet (0.6.1), hence the small checker below.
 * - evaluate: the object is defaulted from the schema (`default`, nulls of non-nullable fields
 *   pruned first) like the API server does before validation, then the schema is walked with the
 *   object; at each node that carries rules and whose value is present, `self` is bound to the
 *   value converted as Kubernetes does (integer → int, number → double, object → map keyed by
 *   escaped property names, additionalProperties → map, array → list, int-or-string → int or
 *   string as given, string formats duration/date/date-time/byte → duration/timestamp/bytes;
 *   at the root `metadata` only holds name and generateName). A rule that yields false, or
 *   fails at run time, is a violation (Kubernetes reports evaluation errors as invalid values).
 * - transition rules (those that reference `oldSelf`) do not run on create: they are counted
 *   and reported as not applicable, unless `optionalOldSelf: true`, where they run with
 *   `oldSelf` empty (bound to null; `hasValue()` false, `orValue(x)` x).
 *
 * Not done (the API server does): cost estimation and the runtime cost budget, `maxLength` /
 * `maxItems` driven size estimates, set/map list equality ignoring order (`x-kubernetes-list-type`),
 * ratcheting on update, and the other Kubernetes libraries (quantity, url, cidr, …) no CRD
 * here calls.
 */

type Schema = Record<string, unknown>;

/** One rule of one CRD version, with where it sits. */
export interface CelRule {
  /** "Kind group/version", e.g. "HTTPRoute gateway.networking.k8s.io/v1". */
  readonly crd: string;
  /** The CRD file, relative to its folder's parent (e.g. "gateway-api-v1.6.1/httproutes.yaml"). */
  readonly file: string;
  /** Schema path of the node carrying the rule, e.g. "spec.rules[].matches[].path" ("<root>" for the root). */
  readonly path: string;
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  readonly optionalOldSelf: boolean;
  /** References `oldSelf`: a transition rule, which runs on update only (unless optionalOldSelf). */
  readonly transition: boolean;
}

/** A rule that does not compile. */
export interface CelCompileError { readonly rule: CelRule; readonly error: string }

/** A rule a custom resource violates. */
export interface CelViolation {
  /** "Kind/name". */
  readonly object: string;
  /** Field path of the value, e.g. "spec.rules[0].matches[1].path" (with the rule's fieldPath appended). */
  readonly field: string;
  readonly message: string;
  readonly reason?: string;
  readonly rule: string;
}

/** What validating one object did. */
export interface CelOutcome {
  readonly violations: readonly CelViolation[];
  /** Rule evaluations run (a rule under a list counts once per item). */
  readonly evaluated: number;
  /** Transition rules met on a present value and not run, because Kubernetes does not run them on create. */
  readonly notApplicableOnCreate: readonly string[];
}

/** Rules per CRD version: how many, how many compile, how many are transition rules, how many were evaluated so far. */
export interface CelCounts { readonly crd: string; readonly rules: number; readonly compiled: number; readonly transition: number; readonly evaluated: number }

/** The type checker's view of a value. */
type T =
  | { readonly k: 'int' | 'uint' | 'double' | 'string' | 'bool' | 'bytes' | 'null' | 'duration' | 'timestamp' | 'dyn' | 'type' }
  | { readonly k: 'list'; readonly elem: T }
  | { readonly k: 'map'; readonly key: T; readonly val: T }
  | { readonly k: 'object'; readonly schema: Schema; readonly root: boolean };

const DYN: T = { k: 'dyn' };
const scalar = (k: 'int' | 'uint' | 'double' | 'string' | 'bool' | 'bytes' | 'null' | 'duration' | 'timestamp' | 'type'): T => ({ k });

const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);

/** A property name as CEL rules see it (k8s.io/apiserver/pkg/cel escaping), or undefined when it cannot be accessed. */
export function escapeProperty(name: string): string | undefined {
  if (name === '' || /^[0-9]/.test(name)) return undefined;
  if (CEL_RESERVED.has(name)) return `__${name}__`;
  let ok = true;
  const escaped = name.replace(/__|[-./]|[^a-zA-Z0-9_]/g, s => {
    switch (s) {
      case '__': return '__underscores__';
      case '.': return '__dot__';
      case '-': return '__dash__';
      case '/': return '__slash__';
      default: ok = false; return '';
    }
  });
  return ok ? escaped : undefined;
}

const props = (s: Schema): Record<string, Schema> | undefined => s.properties as Record<string, Schema> | undefined;
const items = (s: Schema): Schema | undefined => (s.items && typeof s.items === 'object' && !Array.isArray(s.items) ? s.items as Schema : undefined);
const additional = (s: Schema): Schema | undefined => (s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties as Schema : undefined);

/** The declared type of `self` at a schema node, as Kubernetes derives it. */
function typeOf(s: Schema | undefined, root = false): T {
  if (!s) return DYN;
  if (s['x-kubernetes-int-or-string'] || s['x-kubernetes-embedded-resource']) return DYN;
  switch (s.type) {
    case 'object':
      if (props(s)) return { k: 'object', schema: s, root };
      if (additional(s)) return { k: 'map', key: scalar('string'), val: typeOf(additional(s)) };
      return { k: 'map', key: scalar('string'), val: DYN };
    case 'array': return { k: 'list', elem: typeOf(items(s)) };
    case 'integer': return scalar('int');
    case 'number': return scalar('double');
    case 'boolean': return scalar('bool');
    case 'string':
      switch (s.format) {
        case 'duration': return scalar('duration');
        case 'date': case 'date-time': return scalar('timestamp');
        case 'byte': return scalar('bytes');
        default: return scalar('string');
      }
    default: return DYN;
  }
}

/** Declared fields of an object type, by escaped name. */
function fieldsOf(t: { schema: Schema; root: boolean }): Map<string, T> {
  const out = new Map<string, T>();
  for (const [name, child] of Object.entries(props(t.schema) ?? {})) {
    const escaped = escapeProperty(name);
    if (escaped === undefined) continue;
    if (t.root && name === 'metadata') {
      out.set(escaped, { k: 'object', root: false, schema: { type: 'object', properties: { name: { type: 'string' }, generateName: { type: 'string' } } } });
    } else {
      out.set(escaped, typeOf(child));
    }
  }
  return out;
}

const show = (t: T): string => (t.k === 'list' ? `list(${show(t.elem)})` : t.k === 'map' ? `map(${show(t.key)}, ${show(t.val)})` : t.k === 'object' ? 'object' : t.k);

/** Our type from a @bufbuild/cel type. */
function fromCel(c: CelType): T {
  switch (c.kind) {
    case 'list': return { k: 'list', elem: fromCel(c.element) };
    case 'map': return { k: 'map', key: fromCel(c.key), val: fromCel(c.value) };
    case 'object': return c.name === 'google.protobuf.Duration' ? scalar('duration') : c.name === 'google.protobuf.Timestamp' ? scalar('timestamp') : DYN;
    default:
      switch (c.scalar) {
        case 'int': case 'uint': case 'double': case 'string': case 'bool': case 'bytes': case 'type': return scalar(c.scalar);
        case 'null_type': return scalar('null');
        default: return DYN;
      }
  }
}

/** Whether a value of type `t` may be passed where @bufbuild/cel's overload expects `c`. */
function fits(t: T, c: CelType): boolean {
  if (t.k === 'dyn') return true;
  switch (c.kind) {
    case 'list': return t.k === 'list' && fits(t.elem, c.element);
    case 'map': return (t.k === 'map' && fits(t.key, c.key) && fits(t.val, c.value)) || (t.k === 'object' && fits(scalar('string'), c.key));
    case 'object': return (t.k === 'duration' && c.name === 'google.protobuf.Duration') || (t.k === 'timestamp' && c.name === 'google.protobuf.Timestamp');
    default:
      if (c.scalar === 'dyn') return true;
      return (c.scalar === 'null_type' ? 'null' : c.scalar) === t.k;
  }
}

const sameType = (a: T, b: T): boolean => show(a) === show(b) && (a.k !== 'object' || (b.k === 'object' && a.schema === b.schema));

const TYPE_NAMES = new Set(['int', 'uint', 'double', 'bool', 'string', 'bytes', 'list', 'map', 'null_type', 'type', 'dyn']);

// The parsed expression, as far as the checker needs it (cel.expr.Expr of @bufbuild/cel-spec).
interface Expr { readonly exprKind: { readonly case?: string; readonly value?: unknown } }
interface Constant { readonly constantKind: { readonly case?: string } }
interface Call { readonly function: string; readonly target?: Expr; readonly args: readonly Expr[] }
interface Select { readonly operand?: Expr; readonly field: string; readonly testOnly: boolean }
interface Comprehension { readonly iterVar: string; readonly iterVar2?: string; readonly iterRange?: Expr; readonly accuVar: string; readonly accuInit?: Expr; readonly loopCondition?: Expr; readonly loopStep?: Expr; readonly result?: Expr }
interface Struct { readonly messageName: string; readonly entries: readonly { readonly keyKind: { readonly case?: string; readonly value?: unknown }; readonly value?: Expr }[] }

/** Type-checks a parsed rule: returns the problems found (empty when it compiles). */
function checkExpr(env: CelEnv, root: Expr, vars: ReadonlyMap<string, T>): string[] {
  const problems: string[] = [];
  const visit = (e: Expr | undefined, scope: ReadonlyMap<string, T>): T => {
    if (!e) return DYN;
    const { case: kind, value } = e.exprKind;
    switch (kind) {
      case 'constExpr': {
        const c = (value as Constant).constantKind.case;
        return c === 'int64Value' ? scalar('int') : c === 'uint64Value' ? scalar('uint') : c === 'doubleValue' ? scalar('double')
          : c === 'stringValue' ? scalar('string') : c === 'boolValue' ? scalar('bool') : c === 'bytesValue' ? scalar('bytes') : c === 'nullValue' ? scalar('null') : DYN;
      }
      case 'identExpr': {
        const name = (value as { name: string }).name;
        const t = scope.get(name);
        if (t) return t;
        if (TYPE_NAMES.has(name)) return scalar('type');
        problems.push(`undeclared reference to '${name}'`);
        return DYN;
      }
      case 'selectExpr': {
        const sel = value as Select;
        const operand = visit(sel.operand, scope);
        const field = sel.field;
        let t: T;
        switch (operand.k) {
          case 'object': {
            const f = fieldsOf(operand).get(field);
            if (!f) problems.push(`undefined field '${field}'`);
            t = f ?? DYN;
            break;
          }
          case 'map': t = operand.val; break;
          case 'dyn': t = DYN; break;
          default: problems.push(`type '${show(operand)}' does not support field selection ('${field}')`); t = DYN;
        }
        return sel.testOnly ? scalar('bool') : t;
      }
      case 'listExpr': {
        const elems = (value as { elements: readonly Expr[] }).elements.map(x => visit(x, scope));
        return { k: 'list', elem: elems.length > 0 && elems.every(x => sameType(x, elems[0])) ? elems[0] : DYN };
      }
      case 'structExpr': {
        const st = value as Struct;
        if (st.messageName) { problems.push(`message construction '${st.messageName}' is not supported`); return DYN; }
        const keys: T[] = [];
        const vals: T[] = [];
        for (const entry of st.entries) {
          if (entry.keyKind.case === 'mapKey') keys.push(visit(entry.keyKind.value as Expr, scope));
          vals.push(visit(entry.value, scope));
        }
        const common = (ts: T[]): T => (ts.length > 0 && ts.every(x => sameType(x, ts[0])) ? ts[0] : DYN);
        return { k: 'map', key: common(keys), val: common(vals) };
      }
      case 'comprehensionExpr': {
        const c = value as Comprehension;
        const range = visit(c.iterRange, scope);
        let iter: T = DYN;
        let iter2: T = DYN;
        if (range.k === 'list') { iter = c.iterVar2 ? scalar('int') : range.elem; iter2 = range.elem; } else if (range.k === 'map') { iter = range.key; iter2 = range.val; } else if (range.k === 'object') { iter = scalar('string'); } else if (range.k !== 'dyn') problems.push(`expression of type '${show(range)}' cannot be the range of a comprehension`);
        const accu = visit(c.accuInit, scope);
        const inner = new Map(scope);
        inner.set(c.accuVar, accu);
        inner.set(c.iterVar, iter);
        if (c.iterVar2) inner.set(c.iterVar2, iter2);
        visit(c.loopCondition, inner);
        visit(c.loopStep, inner);
        const outer = new Map(scope);
        outer.set(c.accuVar, accu);
        return visit(c.result, outer);
      }
      case 'callExpr': return call(value as Call, scope);
      default:
        problems.push(`unsupported expression kind ${String(kind)}`);
        return DYN;
    }
  };
  const call = (c: Call, scope: ReadonlyMap<string, T>): T => {
    const target = c.target ? visit(c.target, scope) : undefined;
    const args = c.args.map(a => visit(a, scope));
    const boolish = (t: T) => t.k === 'bool' || t.k === 'dyn';
    switch (c.function) {
      case '_&&_': case '_||_': case '@not_strictly_false':
        if (!args.every(boolish)) problems.push(`no matching overload for '${c.function}' applied to (${args.map(show).join(', ')})`);
        return scalar('bool');
      case '_?_:_':
        if (!boolish(args[0])) problems.push(`the condition of '?:' is ${show(args[0])}, not bool`);
        return sameType(args[1], args[2]) ? args[1] : DYN;
      case '_[_]': {
        const [on, key] = args;
        if (on.k === 'list') { if (!(key.k === 'int' || key.k === 'uint' || key.k === 'dyn')) problems.push(`list index of type '${show(key)}'`); return on.elem; }
        if (on.k === 'map') return on.val;
        if (on.k === 'dyn' || on.k === 'object') return DYN;
        problems.push(`type '${show(on)}' cannot be indexed`);
        return DYN;
      }
      default: break;
    }
    const group = env.funcs.find(c.function);
    const signature = `${target ? `${show(target)}.` : ''}${c.function}(${args.map(show).join(', ')})`;
    if (!group) { problems.push(`undeclared reference to '${c.function}' in ${signature}`); return DYN; }
    const matching = [...group].filter((f: CelFunc) => (f.target === undefined) === (target === undefined)
      && (!target || !f.target || fits(target, f.target))
      && f.arguments.length === args.length && args.every((a, i) => fits(a, f.arguments[i])));
    if (matching.length === 0) { problems.push(`found no matching overload for ${signature}`); return DYN; }
    const results = matching.map(f => fromCel(f.result));
    return results.every(r => sameType(r, results[0])) ? results[0] : DYN;
  };
  const result = visit(root, vars);
  if (!(result.k === 'bool' || result.k === 'dyn')) problems.push(`the rule's type is ${show(result)}, not bool`);
  return problems;
}

/** Whether the parsed rule references the variable `oldSelf`. */
function references(e: unknown, name: string): boolean {
  if (e === null || typeof e !== 'object') return false;
  const node = e as { exprKind?: { case?: string; value?: { name?: string } } };
  if (node.exprKind?.case === 'identExpr' && node.exprKind.value?.name === name) return true;
  return Object.values(e as Record<string, unknown>).some(v => (Array.isArray(v) ? v.some(x => references(x, name)) : references(v, name)));
}

/** Go-style duration ("1h30m", "250ms", with strfmt's d and w) in milliseconds, or undefined. */
function durationMillis(s: string): number | undefined {
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7, w: 6.048e8 };
  const m = /^([-+]?)((?:[0-9]+(?:\.[0-9]*)?(?:ns|us|µs|ms|s|m|h|d|w))+)$/.exec(s.trim());
  if (!m) return s === '0' ? 0 : undefined;
  let total = 0;
  for (const part of m[2].matchAll(/([0-9]+(?:\.[0-9]*)?)(ns|us|µs|ms|s|m|h|d|w)/g)) total += Number(part[1]) * units[part[2]];
  return m[1] === '-' ? -total : total;
}

/** A JSON value as CEL sees it when no schema types it (preserve-unknown-fields). */
function untyped(v: unknown): CelInput {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(untyped);
  return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, untyped(x)]));
}

/** A value converted per its schema, as Kubernetes binds it to `self`. */
function toCel(s: Schema | undefined, v: unknown, root = false): CelInput {
  if (v === null || v === undefined) return null;
  if (!s || s['x-kubernetes-int-or-string'] || s['x-kubernetes-embedded-resource']) return untyped(v);
  switch (s.type) {
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v)) return untyped(v);
      const obj = v as Record<string, unknown>;
      const declared = props(s);
      if (declared) {
        const out = new Map<string, CelInput>();
        for (const [name, child] of Object.entries(declared)) {
          const escaped = escapeProperty(name);
          if (escaped === undefined || obj[name] === undefined) continue;
          if (root && name === 'metadata') {
            const meta = obj.metadata as Record<string, unknown>;
            out.set(escaped, new Map(['name', 'generateName'].filter(k => typeof meta?.[k] === 'string').map(k => [k, meta[k] as string])));
          } else {
            out.set(escaped, toCel(child, obj[name]));
          }
        }
        return out;
      }
      const ap = additional(s);
      if (ap) return new Map(Object.entries(obj).map(([k, x]) => [k, toCel(ap, x)]));
      return untyped(v);
    }
    case 'array': return Array.isArray(v) ? v.map(x => toCel(items(s), x)) : untyped(v);
    case 'integer': return typeof v === 'number' && Number.isInteger(v) ? BigInt(v) : untyped(v);
    case 'number': return typeof v === 'number' ? v : untyped(v);
    case 'string': {
      if (typeof v !== 'string') return untyped(v);
      if (s.format === 'duration') {
        const ms = durationMillis(v);
        return ms === undefined ? v : durationFromMs(ms);
      }
      if (s.format === 'date-time' || s.format === 'date') {
        const d = new Date(s.format === 'date' ? `${v}T00:00:00Z` : v);
        return Number.isNaN(d.getTime()) ? v : timestampFromDate(d);
      }
      if (s.format === 'byte') return new Uint8Array(Buffer.from(v, 'base64'));
      return v;
    }
    default: return untyped(v);
  }
}

/** Applies the schema's defaults to a copy of `v`, pruning nulls of non-nullable fields first, as the API server does before validating. */
function defaulted(s: Schema | undefined, v: unknown): unknown {
  if (!s || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(x => defaulted(items(s), x));
  const out: Record<string, unknown> = { ...(v as Record<string, unknown>) };
  const declared = props(s);
  for (const [name, child] of Object.entries(declared ?? {})) {
    if (out[name] === null && !child.nullable) delete out[name];
    if (out[name] === undefined && child.default !== undefined) out[name] = JSON.parse(JSON.stringify(child.default));
    if (out[name] !== undefined) out[name] = defaulted(child, out[name]);
  }
  const ap = additional(s);
  if (!declared && ap) for (const k of Object.keys(out)) out[k] = defaulted(ap, out[k]);
  return out;
}

interface CompiledRule {
  readonly rule: CelRule;
  readonly id: number;
  readonly run?: (self: CelInput) => CelResult;
  readonly messageRun?: (self: CelInput) => CelResult;
  readonly error?: string;
}

interface RawRule { rule: string; message?: string; messageExpression?: string; reason?: string; fieldPath?: string; optionalOldSelf?: boolean }

/** The CEL rules of every CRD in some folders, compiled; validates custom resources against them. */
export class CrdCel {
  private readonly env = celEnv({ funcs: [...K8S_CEL_FUNCS] });
  private readonly optionalEnv = celEnv({ funcs: [...K8S_CEL_FUNCS, ...OPTIONAL_NONE_FUNCS] });
  /** Compiled rules by schema node, per "group/version/Kind". */
  private readonly byGvk = new Map<string, { readonly crd: string; readonly schema: Schema; readonly rules: Map<Schema, CompiledRule[]> }>();
  private readonly all: CompiledRule[] = [];
  private readonly evaluatedIds = new Set<number>();

  constructor(dirs: readonly string[]) {
    for (const v of crdVersions(dirs)) {
      const rules = new Map<Schema, CompiledRule[]>();
      this.collect(v.crd, v.file, v.schema, '', true, rules);
      this.byGvk.set(v.gvk, { crd: v.crd, schema: v.schema, rules });
    }
  }

  private collect(crd: string, file: string, s: Schema, at: string, root: boolean, out: Map<Schema, CompiledRule[]>): void {
    const raw = (s['x-kubernetes-validations'] as RawRule[] | undefined) ?? [];
    if (raw.length > 0) out.set(s, raw.map(r => this.compile(crd, file, s, at, root, r)));
    for (const [name, child] of Object.entries(props(s) ?? {})) this.collect(crd, file, child, at ? `${at}.${name}` : name, false, out);
    const it = items(s);
    if (it) this.collect(crd, file, it, `${at}[]`, false, out);
    const ap = additional(s);
    if (ap) this.collect(crd, file, ap, `${at}{}`, false, out);
  }

  private compile(crd: string, file: string, s: Schema, at: string, root: boolean, r: RawRule): CompiledRule {
    const id = this.all.length;
    let parsed: ReturnType<typeof parse> | undefined;
    let error: string | undefined;
    try { parsed = parse(r.rule); } catch (e) { error = `parse error: ${(e as Error).message}`; }
    const transition = parsed ? references(parsed.expr, 'oldSelf') : /\boldSelf\b/.test(r.rule);
    const rule: CelRule = {
      crd, file, path: at || '<root>', rule: r.rule, message: r.message, messageExpression: r.messageExpression,
      reason: r.reason, fieldPath: r.fieldPath, optionalOldSelf: r.optionalOldSelf === true, transition,
    };
    const env = rule.optionalOldSelf ? this.optionalEnv : this.env;
    const selfType = typeOf(s, root);
    const vars = new Map<string, T>([['self', selfType], ['oldSelf', rule.optionalOldSelf ? DYN : selfType]]);
    let run: CompiledRule['run'];
    let messageRun: CompiledRule['messageRun'];
    if (parsed) {
      const problems = checkExpr(env, parsed.expr as Expr, vars);
      if (problems.length > 0) error = problems.join('; ');
      else {
        const p = plan(env, parsed);
        run = self => p({ self, oldSelf: null });
      }
    }
    if (r.messageExpression) {
      try {
        const m = parse(r.messageExpression);
        const problems = checkExpr(env, m.expr as Expr, vars).filter(p => !p.startsWith("the rule's type"));
        if (problems.length > 0) error = `${error ? `${error}; ` : ''}messageExpression: ${problems.join('; ')}`;
        else { const p = plan(env, m); messageRun = self => p({ self, oldSelf: null }); }
      } catch (e) { error = `${error ? `${error}; ` : ''}messageExpression parse error: ${(e as Error).message}`; }
    }
    const compiled: CompiledRule = { rule, id, run, messageRun, error };
    this.all.push(compiled);
    return compiled;
  }

  /** Every rule of every CRD version. */
  public rules(): CelRule[] { return this.all.map(c => c.rule); }

  /** The rules that do not compile (parse or type-check). */
  public compileErrors(): CelCompileError[] {
    return this.all.filter(c => c.error !== undefined).map(c => ({ rule: c.rule, error: c.error! }));
  }

  /** Per CRD version: rules, compiled, transition rules, rules evaluated at least once so far. */
  public counts(): CelCounts[] {
    const by = new Map<string, { rules: number; compiled: number; transition: number; evaluated: number }>();
    for (const c of this.all) {
      const n = by.get(c.rule.crd) ?? { rules: 0, compiled: 0, transition: 0, evaluated: 0 };
      n.rules++;
      if (!c.error) n.compiled++;
      if (c.rule.transition) n.transition++;
      if (this.evaluatedIds.has(c.id)) n.evaluated++;
      by.set(c.rule.crd, n);
    }
    return [...by].map(([crd, n]) => ({ crd, ...n }));
  }

  /** Validates a custom resource against the CEL rules of its CRD version; undefined when no CRD defines its kind. */
  public validate(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string } }): CelOutcome | undefined {
    const crd = this.byGvk.get(`${obj.apiVersion}/${obj.kind}`);
    if (!crd) return undefined;
    const where = `${obj.kind}/${obj.metadata?.name}`;
    const violations: CelViolation[] = [];
    const notApplicable: string[] = [];
    let evaluated = 0;
    const walk = (s: Schema, v: unknown, at: string, root: boolean): void => {
      if (v === undefined || v === null) return;
      for (const c of crd.rules.get(s) ?? []) {
        const field = `${at || '<root>'}${c.rule.fieldPath ? (at ? c.rule.fieldPath : c.rule.fieldPath.replace(/^\./, '')) : ''}`;
        if (c.rule.transition && !c.rule.optionalOldSelf) {
          notApplicable.push(`${where}: ${field}: ${c.rule.rule} (transition rule, not run on create)`);
          continue;
        }
        if (!c.run) {
          violations.push({ object: where, field, rule: c.rule.rule, message: `rule does not compile: ${c.error}` });
          continue;
        }
        evaluated++;
        this.evaluatedIds.add(c.id);
        const self = toCel(s, v, root);
        let result: CelResult;
        try { result = c.run(self); } catch (e) { result = e as CelResult; }
        if (result === true) continue;
        let message = c.rule.message ?? `failed rule: ${c.rule.rule}`;
        if (isCelError(result) || result instanceof Error) message = `rule evaluation error: ${(result as Error).message}`;
        else if (result !== false) message = `rule returned ${String(result)}, not a bool`;
        else if (c.messageRun) {
          const m = c.messageRun(self);
          if (typeof m === 'string' && m !== '') message = m;
        }
        violations.push({ object: where, field, message, rule: c.rule.rule, ...(c.rule.reason ? { reason: c.rule.reason } : {}) });
      }
      if (typeof v !== 'object') return;
      if (Array.isArray(v)) {
        const it = items(s);
        if (it) v.forEach((x, i) => walk(it, x, `${at}[${i}]`, false));
        return;
      }
      const obj = v as Record<string, unknown>;
      const declared = props(s);
      if (declared) {
        for (const [name, child] of Object.entries(declared)) walk(child, obj[name], at ? `${at}.${name}` : name, false);
        return;
      }
      const ap = additional(s);
      if (ap) for (const [k, x] of Object.entries(obj)) walk(ap, x, `${at}[${k}]`, false);
    };
    walk(crd.schema, defaulted(crd.schema, obj), '', true);
    return { violations, evaluated, notApplicableOnCreate: notApplicable };
  }
}

/** One violation as a line: "Kind/name: field: message (reason) [rule]". */
export function formatViolation(v: CelViolation): string {
  return `${v.object}: ${v.field}: ${v.message}${v.reason ? ` (reason: ${v.reason})` : ''} [rule: ${v.rule}]`;
}
