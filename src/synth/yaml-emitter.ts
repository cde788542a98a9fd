import { createRequire } from 'module';
import { Yaml } from 'cdk8s';

/**
 * A YAML emitter for JSON-shaped manifests whose output is byte-identical to cdk8s's
 * `Yaml.stringify()` (the `yaml` package with `{ keepUndefined: true, lineWidth: 0,
 * version: '1.1' }`), at a fraction of its cost: `yaml` builds a node tree per document and
 * walks it through a generic stringifier, which was ~55% of a large app's synthesis.
 *
 * It renders the shapes `yaml` renders unambiguously — block maps and sequences of plain
 * objects, arrays, single-line strings, finite numbers, booleans and null — and hands any
 * document holding something else (a multi-line string, a string starting with a document
 * marker, an empty or over-long key, an object referenced twice, a class instance, …) to
 * cdk8s's own `Yaml.stringify()`, whole. Quoting decisions use the very tag tests of the
 * YAML 1.1 schema of the `yaml` module cdk8s loads, so plain-versus-quoted cannot drift.
 *
 * One deliberate difference: strings holding characters that go-yaml (kubectl, the API server)
 * and PyYAML read as line breaks (U+0085, U+2028, U+2029) or refuse unescaped (DEL, C1 controls,
 * U+FEFF, U+FFFE, U+FFFF, and tabs in plain scalars for PyYAML) — which `yaml` writes raw — are
 * written double-quoted with every such character escaped, on the emitter's path and in
 * documents handed to `yaml` alike.
 */
export function stringifyManifests(...docs: readonly unknown[]): string {
  return docs.map(stringifyDocument).join('---\n');
}

/** One document, as `Yaml.stringify(doc)` renders it. */
export function stringifyDocument(doc: unknown): string {
  if (doc === undefined) return '\n';
  if (isPlainObject(doc) && emitterMatchesCdk8s()) {
    const body = new Emitter().document(doc);
    if (body !== undefined) return `${body}\n`;
  }
  return yamlStringify(doc);
}

/**
 * Characters `yaml` writes raw that go-yaml and PyYAML do not read back as written: NEL, LS and
 * PS are line breaks to both (a plain or quoted scalar is folded or cut there), and DEL, the C1
 * controls, U+FEFF, U+FFFE and U+FFFF are refused ("control characters are not allowed") or
 * taken for a byte-order mark. A tab is read by go-yaml but ends a plain scalar for PyYAML
 * ("found character '\t' that cannot start any token"), so it is escaped too. A multi-line
 * string with a line of only spaces is written as a block scalar whose indentation YAML readers
 * infer wrongly (" \n" reads back as "\n"), so it is written double-quoted as well.
 */
const UNREADABLE = /[\t\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|(?:^|\n) +(?:\n|$)/;
const ESCAPES: Record<string, string> = { '\0': '\\0', '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e', '"': '\\"', '\\': '\\\\' };

/**
 * A double-quoted YAML scalar that go-yaml and PyYAML read back exactly: every control, line
 * break, non-character and lone surrogate escaped (`\uXXXX` where YAML has no short escape),
 * on one line.
 */
export function escapedDoubleQuoted(value: string): string {
  return `"${value.replace(/[\x00-\x1f"\\\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    c => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
}

/**
 * cdk8s's Yaml.stringify, except that strings with UNREADABLE characters are written by
 * escapedDoubleQuoted: they are swapped for placeholders yaml writes plain, then put back.
 */
function yamlStringify(doc: unknown): string {
  const replaced = new Map<string, string>();
  const nonce = `swesc${Math.random().toString(36).slice(2, 10)}x`;
  const swap = (v: unknown, seen: Map<object, unknown>): unknown => {
    if (typeof v === 'string') {
      if (!UNREADABLE.test(v)) return v;
      const token = `${nonce}${replaced.size}`;
      replaced.set(token, escapedDoubleQuoted(v));
      return token;
    }
    if (typeof v !== 'object' || v === null || !(Array.isArray(v) || isPlainObject(v))) return v;
    if (seen.has(v)) return seen.get(v);
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      seen.set(v, out);
      for (const item of v) out.push(swap(item, seen));
      return out;
    }
    const out: Record<string, unknown> = {};
    seen.set(v, out);
    for (const [k, item] of Object.entries(v)) out[swap(k, seen) as string] = swap(item, seen);
    return out;
  };
  const safe = swap(doc, new Map());
  if (replaced.size === 0) return Yaml.stringify(doc);
  return Yaml.stringify(safe).replace(new RegExp(`${nonce}\\d+`, 'g'), token => replaced.get(token) ?? token);
}

/**
 * A document whose rendering depends on every `yaml` option cdk8s passes (YAML 1.1 quoting of
 * "yes"/"08"/"1e3", no folding of long lines, keepUndefined) and on the block layout.
 */
const PROBE = {
  quoted: ['yes', 'On', '08', '1e3', '~', '12:30', "it's", 'a: b', '*x'],
  long: 'word '.repeat(30).trim(),
  undefinedValue: undefined,
  nested: { list: [{ a: 1, b: [] }, [true, null]], empty: {} },
};
let matchesCdk8s: boolean | undefined;

/**
 * Whether the emitter renders the probe exactly as this cdk8s does: should a cdk8s release
 * change its options, every document goes to cdk8s's Yaml.stringify (slower, never different).
 */
function emitterMatchesCdk8s(): boolean {
  return matchesCdk8s ??= `${new Emitter().document(PROBE)}\n` === Yaml.stringify(PROBE);
}

interface YamlTag {
  readonly tag: string;
  readonly default?: boolean | string;
  readonly test?: RegExp;
}

interface YamlModule {
  Document: new (value: unknown, options: { version: '1.1' }) => { schema: { tags: YamlTag[]; compat: YamlTag[] | null } };
}

/** The tag tests `yaml` runs on a would-be plain scalar: a match means it must be quoted. */
const NON_STRING_TESTS: readonly RegExp[] = (() => {
  // The same module instance cdk8s's Yaml.stringify uses (resolved from cdk8s, not from us).
  const yaml = createRequire(require.resolve('cdk8s'))('yaml') as YamlModule;
  const schema = new yaml.Document(undefined, { version: '1.1' }).schema;
  return [...schema.tags, ...(schema.compat ?? [])]
    .filter(t => t.default && t.tag !== 'tag:yaml.org,2002:str' && t.test)
    .map(t => t.test as RegExp);
})();

// yaml's plainString refusals for a single-line value: indicator first characters, a lone or
// space-followed `-`/`?`, `: `, ` #`, trailing space or colon.
const NOT_PLAIN = /^[\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|:[ \t]|[\t ]#|[\t :]$/;
// Control characters and lone surrogates force double quotes; handled by yaml itself.
const NEEDS_ESCAPES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;
// Where yaml's rendering depends on indentation or spans lines: left to yaml, whole document.
const CONTEXT_DEPENDENT = /\n|^(?:---|\.\.\.)/;
const MAX_IMPLICIT_KEY = 1024;

/** Rendered single-line scalars by string, shared by every document (strings repeat a lot). */
const renderedStrings = new Map<string, string | null>();
const RENDERED_STRINGS_LIMIT = 200_000;

function renderString(value: string): string | null {
  let rendered = renderedStrings.get(value);
  if (rendered !== undefined) return rendered;
  if (UNREADABLE.test(value)) {
    rendered = escapedDoubleQuoted(value);
  } else if (CONTEXT_DEPENDENT.test(value)) {
    rendered = null;
  } else if (NEEDS_ESCAPES.test(value)) {
    rendered = quotedByYaml(value);
  } else if (value === '' || NOT_PLAIN.test(value)) {
    rendered = quoted(value);
  } else if (NON_STRING_TESTS.some(t => t.test(value))) {
    // Left to yaml: it quotes most of these, but not all (a lone `<<` stays plain).
    rendered = quotedByYaml(value);
  } else {
    rendered = value;
  }
  if (renderedStrings.size >= RENDERED_STRINGS_LIMIT) renderedStrings.clear();
  renderedStrings.set(value, rendered);
  return rendered;
}

/**
 * yaml's quoting of a single-line string that needs no escape sequence and cannot be plain
 * (empty, or refused by `NOT_PLAIN`), as cdk8s configures it
 * (no `singleQuote` preference, `lineWidth: 0`): single quotes when it holds `"` and no `'`,
 * else double quotes, whose text is then JSON's (yaml's `doubleQuotedString` starts from
 * `JSON.stringify` and only rewrites `\u` escapes and newlines, which such a string has none of).
 * As a map key it is the same. The emitter's differential test holds it to `Yaml.stringify`.
 */
function quoted(value: string): string {
  return value.includes('"') && !value.includes("'") ? `'${value}'` : JSON.stringify(value);
}

/** yaml's own quoting of a single-line string as a map value (keys quote the same way). */
function quotedByYaml(value: string): string | null {
  const text = Yaml.stringify({ k: value });
  const line = text.slice('k: '.length, -1);
  return text.startsWith('k: ') && !line.includes('\n') ? line : null;
}

function renderNumber(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  return Object.is(value, -0) ? '-0' : JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Map keys as written, with their colon, by key (keys repeat in every object). */
const renderedKeys = new Map<string, string | null>();

/** `key:` as a block map writes it, or null to hand the document to yaml. */
function renderedKey(key: string): string | null {
  let out = renderedKeys.get(key);
  if (out === undefined) {
    const rendered = key === '' ? null : renderString(key);
    out = rendered === null || rendered.length > MAX_IMPLICIT_KEY ? null : `${rendered}:`;
    if (renderedKeys.size >= RENDERED_STRINGS_LIMIT) renderedKeys.clear();
    renderedKeys.set(key, out);
  }
  return out;
}

/** `\n` plus the indentation of each nesting depth, built once. */
const NEWLINE_INDENT: string[] = [];
function newlineIndent(depth: number): string {
  return NEWLINE_INDENT[depth] ??= `\n${'  '.repeat(depth)}`;
}

/**
 * Renders one document into string parts joined once at the end (flat strings, not a rope of
 * millions of concatenations); any method returning false means "leave this document to yaml".
 */
class Emitter {
  private readonly parts: string[] = [];
  /** yaml turns an object met twice into an anchor and an alias: such documents go to yaml. */
  private readonly seen = new Set<object>();

  /** The document's text without its final newline, or undefined to hand it to yaml. */
  document(doc: Record<string, unknown>): string | undefined {
    return this.value(doc, 0, false) ? this.parts.join('') : undefined;
  }

  /** Writes `value` at `depth`; after a key, scalars and `{}`/`[]` follow on the key's line. */
  private value(value: unknown, depth: number, afterKey: boolean): boolean {
    let rendered: string | null;
    switch (typeof value) {
      case 'string': rendered = renderString(value); break;
      case 'number': rendered = renderNumber(value); break;
      case 'boolean': rendered = value ? 'true' : 'false'; break;
      case 'undefined': rendered = 'null'; break;
      case 'object':
        if (value === null) {
          rendered = 'null';
          break;
        }
        if (this.seen.has(value)) return false;
        this.seen.add(value);
        if (Array.isArray(value)) return this.seq(value, depth, afterKey);
        return isPlainObject(value) && this.map(value, depth, afterKey);
      default: return false;
    }
    if (rendered === null) return false;
    this.parts.push(afterKey ? ' ' : '', rendered);
    return true;
  }

  private map(value: Record<string, unknown>, depth: number, afterKey: boolean): boolean {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      this.parts.push(afterKey ? ' {}' : '{}');
      return true;
    }
    const separator = newlineIndent(depth);
    if (afterKey) this.parts.push(separator);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const keyColon = renderedKey(key);
      if (keyColon === null) return false;
      if (i > 0) this.parts.push(separator);
      this.parts.push(keyColon);
      if (!this.value(value[key], depth + 1, true)) return false;
    }
    return true;
  }

  private seq(value: readonly unknown[], depth: number, afterKey: boolean): boolean {
    if (value.length === 0) {
      this.parts.push(afterKey ? ' []' : '[]');
      return true;
    }
    const separator = newlineIndent(depth);
    if (afterKey) this.parts.push(separator);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return false;
      this.parts.push(i > 0 ? `${separator}- ` : '- ');
      if (!this.value(value[i], depth + 1, false)) return false;
    }
    return true;
  }
}
