import { execFileSync } from 'child_process';
import * as path from 'path';
import { Loaded, LoadProblem } from '../manifests/load';
import { DocumentCache } from './load';
import { AuditInput } from '../audit/engine';

/** Why the files of a revision could not be read: no repository, an unknown revision, a path outside the repository. */
export class GitError extends Error {}

const EXTENSIONS = ['.yaml', '.yml', '.json'];

function git(cwd: string, args: readonly string[], input?: Buffer): Buffer {
  return execFileSync('git', args, { cwd, input, maxBuffer: 1024 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

/**
 * Reads the manifests under `dir` as they were at revision `ref`, with `git` itself (`ls-tree`
 * and one `cat-file --batch`; no checkout, no clone). File names are given as the working-tree
 * files would be (relative to `cwd`), so both sides of a diff name files alike.
 */
export function loadAtRevision(ref: string, dir: string, cwd: string = process.cwd(), cache: DocumentCache = new DocumentCache()): Loaded {
  let top: string;
  try {
    top = git(cwd, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  } catch {
    throw new GitError(`${path.resolve(cwd)} is not inside a git repository, so --base ${ref} cannot be read`);
  }
  try {
    git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    let shallow = false;
    try {
      shallow = git(cwd, ['rev-parse', '--is-shallow-repository']).toString('utf8').trim() === 'true';
    } catch {
      // older git: assume not
    }
    throw new GitError(`unknown revision "${ref}"${shallow ? ' (this clone is shallow: fetch more history, e.g. `git fetch --deepen=1`, or check out with fetch-depth: 0)' : ''}`);
  }
  const abs = path.resolve(cwd, dir);
  const prefix = path.relative(top, abs).split(path.sep).join('/');
  if (prefix.startsWith('..') || path.isAbsolute(prefix)) throw new GitError(`${dir} is outside the git repository ${top}`);
  const listing = git(top, ['ls-tree', '-r', '-z', '--full-tree', ref, '--', ...(prefix ? [prefix] : [])]).toString('utf8');
  const blobs: Array<{ sha: string; file: string }> = [];
  for (const entry of listing.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry);
    if (!m || m[2] !== 'blob' || m[1] === '120000' || !EXTENSIONS.includes(path.posix.extname(m[4]))) continue;
    if (prefix && m[4] !== prefix && !m[4].startsWith(`${prefix}/`)) continue;
    blobs.push({ sha: m[3], file: path.relative(cwd, path.join(top, m[4])) || m[4] });
  }
  const inputs: AuditInput[] = [];
  const problems: LoadProblem[] = [];
  if (blobs.length === 0) return { inputs, problems };
  const out = git(top, ['cat-file', '--batch'], Buffer.from(`${blobs.map(b => b.sha).join('\n')}\n`));
  let at = 0;
  for (const blob of blobs) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8');
    const size = Number(header.split(' ')[2]);
    if (!header.startsWith(blob.sha) || !Number.isFinite(size)) {
      problems.push({ file: `${ref}:${blob.file}`, message: `git cat-file answered "${header}"` });
      break;
    }
    const text = out.subarray(eol + 1, eol + 1 + size).toString('utf8');
    at = eol + 1 + size + 1;
    const loaded = cache.parse(blob.file, text, path.dirname(blob.file));
    inputs.push(...loaded.inputs);
    problems.push(...loaded.problems.map(p => ({ ...p, file: `${ref}:${p.file}` })));
  }
  return { inputs, problems };
}

/** The top of the git work tree containing `cwd`, or undefined outside one. */
export function gitTopLevel(cwd: string = process.cwd()): string | undefined {
  try {
    return git(cwd, ['rev-parse', '--show-toplevel']).toString('utf8').trim();
  } catch {
    return undefined;
  }
}
