import * as fs from 'fs';
import * as path from 'path';
import { AuditInput } from '../audit/engine';
import { Loaded, LoadProblem, manifestFiles, parseManifests } from '../cli/load';

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
    const lines = text.split('\n');
    let start = 0;
    const flush = (end: number) => {
      const chunk = lines.slice(start, end).join('\n');
      let hit = this.parsed.get(chunk);
      if (!hit) {
        const loaded = parseManifests(file, chunk);
        hit = { objects: loaded.inputs.map(i => ({ object: i.object, line: i.line ?? 1 })), problems: loaded.problems };
        this.parsed.set(chunk, hit);
      }
      for (const o of hit.objects) inputs.push({ object: o.object, file, line: start + o.line, group });
      for (const p of hit.problems) problems.push({ ...p, file, line: p.line === undefined ? undefined : start + p.line });
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

  /** Reads and parses every manifest under `paths`, as `loadManifests` does (grouped by directory). */
  public load(paths: readonly string[]): Loaded {
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
      const loaded = this.parse(file, text, path.dirname(file));
      inputs.push(...loaded.inputs);
      problems.push(...loaded.problems);
    }
    return { inputs, problems };
  }
}
