import * as fs from 'fs';
import * as path from 'path';
import type * as JsYaml from 'js-yaml';
import { AuditInput } from '../audit/engine';
import { compareCodeUnits } from '../util/compare';
import { jsYaml, yaml11Schema } from './yaml11';

/** A file that could not be read or parsed. */
export interface LoadProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** How an unreadable input is said on stderr: `error: <file>[:<line>]: <message>`. */
export function problemLine(p: LoadProblem): string {
  return `error: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}

/** Objects read from files, and the files that failed. */
export interface Loaded {
  readonly inputs: AuditInput[];
  readonly problems: LoadProblem[];
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** The largest file read (larger ones are reported, not read). */
export const MAX_FILE_BYTES = 64 << 20;
/** The largest document parsed: the API server refuses requests above 3 MiB anyway. */
export const MAX_DOCUMENT_BYTES = 3 << 20;
/** The most YAML nodes one document may expand to, aliases expanded (go-yaml's upper range). */
export const MAX_NODES = 4_000_000;
/** The deepest nesting accepted (no manifest comes near it; it keeps every walker off the stack limit). */
export const MAX_DEPTH = 1000;

/**
 * Every file-system call of the manifest loader, in one seam (as `WriteFs` is for the write
 * path): the tests swap it to make files vanish between listing and reading. Not part of the
 * public API.
 * @internal
 */
export interface LoadFs {
  /** `fs.statSync` (links followed). */
  stat(p: string): fs.Stats;
  realpath(p: string): string;
  /** The entries of a directory, with their types as listed. */
  readdir(p: string): fs.Dirent[];
  /** The text of a regular file; throws for anything else, or a file over MAX_FILE_BYTES. */
  readFile(p: string): string;
}

/** The real file system. @internal */
export const REAL_LOAD_FS: LoadFs = {
  stat: p => fs.statSync(p),
  realpath: p => fs.realpathSync(p),
  readdir: p => fs.readdirSync(p, { withFileTypes: true }),
  readFile: p => readRegularFile(p),
};

/** What a file or directory that was listed, then gone when opened, is reported as: unreadable input, never skipped silently. */
const VANISHED = 'vanished after it was listed, before it could be read; not audited';

/** Every manifest file under the given files and directories, sorted. */
export function manifestFiles(paths: readonly string[], io: LoadFs = REAL_LOAD_FS): { files: string[]; problems: LoadProblem[] } {
  const files: string[] = [];
  const problems: LoadProblem[] = [];
  // Real paths of the directories entered, so a symlink loop is walked once.
  const entered = new Set<string>();
  const skip = (file: string, message: string) => problems.push({ file, message });
  // `listed`: how the parent directory listed the path (undefined for a path named by the user).
  const walk = (p: string, listed: fs.Dirent | undefined) => {
    let stat: fs.Stats;
    try {
      stat = io.stat(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      skip(p, code === 'ENOENT' ? (listed === undefined ? 'does not exist' : listed.isSymbolicLink() ? 'is a dangling symbolic link; skipped' : VANISHED) : code === 'ELOOP' ? 'is a symbolic link loop; skipped' : (e as Error).message);
      return;
    }
    if (stat.isDirectory()) {
      let real: string;
      let entries: fs.Dirent[];
      try {
        real = io.realpath(p);
        entries = io.readdir(p).sort((a, b) => compareCodeUnits(a.name, b.name));
      } catch (e) {
        skip(p, (e as NodeJS.ErrnoException).code === 'ENOENT' && listed !== undefined ? VANISHED : `could not be read: ${(e as Error).message}`);
        return;
      }
      if (entered.has(real)) {
        skip(p, `is a symbolic link back to ${real}, already audited; skipped`);
        return;
      }
      entered.add(real);
      for (const entry of entries) {
        const child = path.join(p, entry.name);
        // A directory as listed is walked (and reported if it vanishes); a link is followed only to a directory.
        if (EXTENSIONS.includes(path.extname(entry.name)) || entry.isDirectory()) walk(child, entry);
        else if (entry.isSymbolicLink()) {
          let isDir = false;
          try {
            isDir = io.stat(child).isDirectory();
          } catch {
            // Dangling or looping links without a manifest extension are not ours to report.
          }
          if (isDir) walk(child, entry);
        }
      }
    } else if (stat.isFile()) {
      files.push(p);
    } else {
      skip(p, `is not a regular file (${stat.isFIFO() ? 'a FIFO' : stat.isSocket() ? 'a socket' : 'a device'}); skipped, never read`);
    }
  };
  for (const p of paths) walk(p, undefined);
  return { files, problems };
}

/** Reads a regular file without ever blocking on a FIFO or device swapped in after the walk. */
function readRegularFile(file: string): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error('is not a regular file; skipped, never read');
    if (st.size > MAX_FILE_BYTES) throw new Error(`is ${st.size} bytes; files over ${MAX_FILE_BYTES} bytes are not read`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Lists the manifests under `paths` and parses each with `parse`, objects grouped by directory.
 * A file that cannot be read, one that vanished after it was listed included, is a problem naming
 * it (the CLI exits 2). What `seaworthy audit`, `explain`, `report` and `diff` read through.
 * @internal
 */
export function readManifests(paths: readonly string[], parse: (file: string, text: string, group: string) => Loaded, io: LoadFs = REAL_LOAD_FS): Loaded {
  const { files, problems } = manifestFiles(paths, io);
  const inputs: AuditInput[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      problems.push({ file, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? VANISHED : (e as Error).message });
      continue;
    }
    // Objects in one directory are deployed together (one GitOps folder per environment or cluster).
    const loaded = parse(file, text, path.dirname(file));
    // One by one: spreading 100k+ objects into push() overflows the stack.
    for (const i of loaded.inputs) inputs.push(i);
    for (const p of loaded.problems) problems.push(p);
  }
  return { inputs, problems };
}

/**
 * Why a parsed document is too expensive to audit, or undefined. Aliases are counted as go-yaml
 * (kubectl, the API server) counts them while decoding: every node decoded, each alias expanded
 * in place. A document is refused when aliases make up more of the decoded nodes than go-yaml
 * allows ("document contains excessive aliasing"; checked on the totals, where go-yaml checks as
 * it goes), when it expands to more than MAX_NODES nodes, refers to itself, or nests deeper than
 * MAX_DEPTH. Each distinct node is visited once (expansion sizes are memoised), so the check is
 * linear in the size of the text, however large the expansion.
 */
export function expansionProblem(value: unknown): string | undefined {
  // Per distinct object: nodes decoded and aliases met when it is expanded once.
  const sizes = new Map<object, { decoded: number; aliases: number }>();
  const open = new Set<object>();
  let decoded = 0;
  let aliases = 0;
  // Post-order over distinct objects; an object met again is an alias to its memoised expansion.
  type Frame = { obj: object; children: unknown[]; next: number; decoded: number; aliases: number };
  const stack: Frame[] = [];
  const enter = (v: unknown, parent: Frame | undefined): string | undefined => {
    if (v === null || typeof v !== 'object') {
      if (parent) parent.decoded++;
      else decoded++;
      return undefined;
    }
    if (open.has(v)) return 'refers to itself through an alias';
    const known = sizes.get(v);
    if (known && parent) {
      // An alias: go-yaml decodes the alias node, then the anchored node again.
      parent.decoded += 1 + known.decoded;
      parent.aliases += 1 + known.aliases;
      if (parent.decoded > MAX_NODES) return `expands to more than ${MAX_NODES} nodes`;
      return undefined;
    }
    if (stack.length >= MAX_DEPTH) return `nests deeper than ${MAX_DEPTH} levels`;
    open.add(v);
    const children = Array.isArray(v) ? v : Object.values(v);
    // A mapping's keys are decoded too.
    stack.push({ obj: v, children, next: 0, decoded: 1 + (Array.isArray(v) ? 0 : children.length), aliases: 0 });
    return undefined;
  };
  let problem = enter(value, undefined);
  while (!problem && stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next < top.children.length) {
      problem = enter(top.children[top.next++], top);
      continue;
    }
    stack.pop();
    open.delete(top.obj);
    sizes.set(top.obj, { decoded: top.decoded, aliases: top.aliases });
    const parent = stack[stack.length - 1];
    if (parent) {
      parent.decoded += top.decoded;
      parent.aliases += top.aliases;
      if (parent.decoded > MAX_NODES) problem = `expands to more than ${MAX_NODES} nodes`;
    } else {
      decoded += top.decoded;
      aliases += top.aliases;
    }
  }
  if (problem) return problem;
  if (decoded > MAX_NODES) return `expands to more than ${MAX_NODES} nodes`;
  if (aliases > 100 && decoded > 1000 && aliases / decoded > allowedAliasRatio(decoded)) return 'contains excessive aliasing (as go-yaml refuses it)';
  return undefined;
}

/** go-yaml's allowedAliasRatio (yaml.v2 ≥ 2.2.3 and yaml.v3). */
function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.10;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

/**
 * Parses multi-document YAML the way kubectl does (YAML 1.1: `yes`/`on` are booleans, `0755` is
 * octal), flattening `kind: List` recursively, as kubectl does, so nested Lists hide nothing. A
 * broken or too expensive document is reported with its line; the others are kept.
 */
export function parseManifests(file: string, text: string, group?: string): Loaded {
  const inputs: AuditInput[] = [];
  const problems: LoadProblem[] = [];
  // A line starting with "---" always starts a document (it cannot occur inside a scalar), so
  // documents are split first: each one's line is then known, and one broken document does not
  // hide the others.
  const lines = text.split('\n');
  let start = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end).join('\n');
    const first = lines.slice(start, end).findIndex(l => l.trim() !== '' && !l.startsWith('#') && !/^---\s*$/.test(l) && !l.startsWith('%'));
    if (first >= 0) parseDocument(chunk, start, start + first + 1);
  };
  const parseDocument = (chunk: string, offset: number, line: number) => {
    if (chunk.length > MAX_DOCUMENT_BYTES) {
      problems.push({ file, line, message: `document is ${chunk.length} characters long; documents over ${MAX_DOCUMENT_BYTES} are not parsed (the API server refuses them too)` });
      return;
    }
    let value: unknown;
    try {
      // maxDepth: js-yaml's own default (100) refuses deep but legitimate documents such as nested Lists.
      value = jsYaml().load(chunk.replace(/^---[ \t]*$/m, ''), { schema: yaml11Schema(), filename: file, maxDepth: MAX_DEPTH } as JsYaml.LoadOptions);
    } catch (e) {
      const err = e as JsYaml.YAMLException;
      problems.push({ file, line: err.mark ? offset + err.mark.line + 1 : line, column: err.mark ? err.mark.column + 1 : undefined, message: err.reason ?? (e instanceof RangeError ? `nests too deeply to parse (${err.message})` : err.message) });
      return;
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ file, line, message: 'document is not a mapping' });
      return;
    }
    const expensive = expansionProblem(value);
    if (expensive) {
      problems.push({ file, line, message: `document ${expensive}; not audited` });
      return;
    }
    // kind: List and typed lists (ConfigMapList, RoleList, …), flattened recursively (kubectl's
    // FlattenListVisitor); an item of a typed list with neither apiVersion nor kind takes the
    // list's, as kubectl's decoder gives them.
    const stack: Array<[object, string]> = [[value, '']];
    while (stack.length > 0) {
      const [obj, at] = stack.pop()!;
      const o = obj as { apiVersion?: unknown; kind?: unknown; items?: unknown };
      const typed = typeof o.kind === 'string' && o.kind.length > 4 && o.kind.endsWith('List') ? o.kind.slice(0, -4) : undefined;
      if ((o.kind === 'List' || typed !== undefined) && Array.isArray(o.items)) {
        for (let i = o.items.length - 1; i >= 0; i--) {
          const item: unknown = o.items[i];
          if (item && typeof item === 'object' && !Array.isArray(item)) stack.push([typed === undefined ? item : withListType(item as Record<string, unknown>, o.apiVersion, typed), `${at}items[${i}].`]);
          else problems.push({ file, line, message: `${at}items[${i}] of a ${String(o.kind)} is not an object` });
        }
      } else {
        inputs.push({ object: obj, file, line, group });
      }
    }
  };
  for (let i = 0; i < lines.length; i++) {
    if (i > start && /^---(\s|$)/.test(lines[i])) {
      flush(i);
      start = i;
    }
  }
  flush(lines.length);
  return { inputs, problems };
}

/** An item of a typed list that names neither apiVersion nor kind, given the list's (as kubectl's decoder does; apiVersion and kind first). */
function withListType(item: Record<string, unknown>, apiVersion: unknown, kind: string): object {
  if (item.apiVersion !== undefined || item.kind !== undefined) return item;
  return { apiVersion, kind, ...item };
}

/** Reads and parses every manifest under `paths`. */
export function loadManifests(paths: readonly string[], io: LoadFs = REAL_LOAD_FS): Loaded {
  return readManifests(paths, parseManifests, io);
}
