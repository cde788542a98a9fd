import { AuditInput } from '../audit/engine';
import { Loaded, LoadFs, LoadProblem, parseManifests, readManifests, REAL_LOAD_FS } from '../manifests/load';

/**
 * Loading for `seaworthy diff`: the YAML is parsed by `parseManifests` (kubectl's YAML 1.1
 * reading), one document at a time, and a document whose text already appeared (on the other side
 * of the diff, usually) is not parsed again: both sides share its object, so most of a pull
 * request's unchanged documents cost a string lookup instead of a parse, and compare equal at
 * once. The shared objects must not be mutated.
 */
export class DocumentCache {
  private readonly parsed = new Map<string, { readonly objects: Array<{ object: object; line: number }>; readonly problems: LoadProblem[] }>();

  /** Parses `text` (a file's content) as `parseManifests` would, reusing documents seen before. */
  public parse(file: string, text: string, group?: string): Loaded {
    const inputs: AuditInput[] = [];
    const problems: LoadProblem[] = [];
    // Documents start where parseManifests starts them, at a line "---" followed by whitespace or
    // the end; found with indexOf (no split into lines), each chunk exactly parseManifests's text.
    const starts = [0];
    for (let at = text.indexOf('\n---'); at !== -1; at = text.indexOf('\n---', at + 1)) {
      const next = text.charCodeAt(at + 4);
      if (Number.isNaN(next) || next === 10 || next === 13 || next === 32 || next === 9 || next === 11 || next === 12) starts.push(at + 1);
    }
    let line = 0;
    for (let i = 0; i < starts.length; i++) {
      if (i > 0) line += newlines(text, starts[i - 1], starts[i]);
      const chunk = i + 1 < starts.length ? text.slice(starts[i], starts[i + 1] - 1) : text.slice(starts[i]);
      let hit = this.parsed.get(chunk);
      if (!hit) {
        const loaded = parseManifests(file, chunk);
        hit = { objects: loaded.inputs.map(x => ({ object: x.object, line: x.line ?? 1 })), problems: loaded.problems };
        this.parsed.set(chunk, hit);
      }
      for (const o of hit.objects) inputs.push({ object: o.object, file, line: line + o.line, group });
      for (const p of hit.problems) problems.push({ ...p, file, line: p.line === undefined ? undefined : line + p.line });
    }
    return { inputs, problems };
  }

  /** Reads and parses every manifest under `paths`, as `loadManifests` does (grouped by directory). */
  public load(paths: readonly string[]): Loaded {
    return this._load(paths, REAL_LOAD_FS);
  }

  /** `load()` through the loader's file-system seam. @internal */
  public _load(paths: readonly string[], io: LoadFs): Loaded {
    return readManifests(paths, (file, text, group) => this.parse(file, text, group), io);
  }
}

function newlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) n++;
  return n;
}
