/**
 * Field paths as `seaworthy diff` prints them and reads them back: `.key` after a plain key
 * (letters, digits, `_` and `-`, not starting with a digit or `-`), `["key"]` — the key as a JSON
 * string — for every other key, `[i]` for a list index. So a label key with dots and a slash
 * stays one step: `metadata.labels["app.kubernetes.io/instance"]`, and any key (with `"`, `\`,
 * `[` or `]` too) reads back as itself. The root is `.`.
 */

/** One step of a field path: a map key or a list index. */
export type PathStep = string | number;

const PLAIN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `at` extended by one step. */
export function appendPath(at: string, step: PathStep): string {
  if (typeof step === 'number') return `${at}[${step}]`;
  if (PLAIN.test(step)) return at ? `${at}.${step}` : step;
  return `${at}[${JSON.stringify(step)}]`;
}

/** The path of `steps` (`.` for none). */
export function formatPath(steps: readonly PathStep[]): string {
  return steps.reduce<string>(appendPath, '') || '.';
}

/** `rest` (a path relative to `base`) appended to `base`. */
export function joinPaths(base: string, rest: string): string {
  if (rest === '' || rest === '.') return base;
  if (base === '' || base === '.') return rest;
  return rest.startsWith('[') ? `${base}${rest}` : `${base}.${rest}`;
}

const INDEX_AT = /\[(0|[1-9]\d*)\]/y;
const PLAIN_AT = /[A-Za-z_][A-Za-z0-9_-]*/y;

/** The steps of a path (none for `.` or ""), or undefined when it is not one `formatPath` writes. */
export function parsePath(path: string): PathStep[] | undefined {
  const steps: PathStep[] = [];
  if (path === '' || path === '.') return steps;
  let at = 0;
  while (at < path.length) {
    if (path[at] === '[') {
      INDEX_AT.lastIndex = at;
      const index = INDEX_AT.exec(path);
      if (index) {
        steps.push(Number(index[1]));
        at = INDEX_AT.lastIndex;
        continue;
      }
      const end = stringEnd(path, at + 1);
      if (end === undefined || path[end + 1] !== ']') return undefined;
      try {
        steps.push(JSON.parse(path.slice(at + 1, end + 1)) as string);
      } catch {
        return undefined;
      }
      at = end + 2;
      continue;
    }
    if (at > 0) {
      if (path[at] !== '.') return undefined;
      at++;
    }
    PLAIN_AT.lastIndex = at;
    const plain = PLAIN_AT.exec(path);
    if (!plain) return undefined;
    steps.push(plain[0]);
    at = PLAIN_AT.lastIndex;
  }
  return steps;
}

/** The index of the quote closing the JSON string that opens at `from`, or undefined. */
function stringEnd(path: string, from: number): number | undefined {
  if (path[from] !== '"') return undefined;
  for (let i = from + 1; i < path.length; i++) {
    if (path[i] === '\\') i++;
    else if (path[i] === '"') return i;
  }
  return undefined;
}

/** The value at `path` in `obj`, or undefined when it is absent (or the path is malformed). */
export function valueAt(obj: unknown, path: string | readonly PathStep[]): unknown {
  const steps = typeof path === 'string' ? parsePath(path) : path;
  if (!steps) return undefined;
  let node: unknown = obj;
  for (const step of steps) {
    if (node === null || typeof node !== 'object') return undefined;
    if (typeof step === 'number' ? !Array.isArray(node) : Array.isArray(node)) return undefined;
    node = Object.prototype.hasOwnProperty.call(node, step) ? (node as Record<PathStep, unknown>)[step] : undefined;
  }
  return node;
}
