import * as fs from 'fs';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { AuditInput } from '../audit/engine';
import { YAML11_SCHEMA } from './yaml11';

/** A file that could not be read or parsed. */
export interface LoadProblem {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** Objects read from files, and the files that failed. */
export interface Loaded {
  readonly inputs: AuditInput[];
  readonly problems: LoadProblem[];
}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Every manifest file under the given files and directories, sorted. */
export function manifestFiles(paths: readonly string[]): { files: string[]; problems: LoadProblem[] } {
  const files: string[] = [];
  const problems: LoadProblem[] = [];
  const walk = (p: string) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      problems.push({ file: p, message: (e as Error).message });
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(p).sort()) {
        const child = path.join(p, entry);
        if (fs.statSync(child).isDirectory() || EXTENSIONS.includes(path.extname(entry))) walk(child);
      }
    } else {
      files.push(p);
    }
  };
  paths.forEach(walk);
  return { files, problems };
}

/**
 * Parses multi-document YAML the way kubectl does (YAML 1.1: `yes`/`on` are booleans, `0755` is
 * octal), flattening `kind: List`. A broken document is reported with its line; the others are
 * kept.
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
    let value: unknown;
    try {
      value = jsyaml.load(chunk.replace(/^---[ \t]*$/m, ''), { schema: YAML11_SCHEMA, filename: file });
    } catch (e) {
      const err = e as jsyaml.YAMLException;
      problems.push({ file, line: err.mark ? offset + err.mark.line + 1 : line, column: err.mark ? err.mark.column + 1 : undefined, message: err.reason ?? err.message });
      return;
    }
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      problems.push({ file, line, message: 'document is not a mapping' });
      return;
    }
    const obj = value as { kind?: unknown; items?: unknown };
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      for (const item of obj.items) if (item && typeof item === 'object') inputs.push({ object: item as object, file, line, group });
    } else {
      inputs.push({ object: obj, file, line, group });
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

/** Reads and parses every manifest under `paths`. */
export function loadManifests(paths: readonly string[]): Loaded {
  const { files, problems } = manifestFiles(paths);
  const inputs: AuditInput[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      problems.push({ file, message: (e as Error).message });
      continue;
    }
    // Objects in one directory are deployed together (one GitOps folder per environment or cluster).
    const loaded = parseManifests(file, text, path.dirname(file));
    inputs.push(...loaded.inputs);
    problems.push(...loaded.problems);
  }
  return { inputs, problems };
}
