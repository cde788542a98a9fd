import * as crypto from 'crypto';
import * as path from 'path';
import { SeaworthyError } from '../errors';
import { OutputRules as Rules } from '../rules/families/output';
import { Finding, makeFinding } from '../rules/finding';
import { acquireLock, releaseLock, removeStaleLocks } from './output-lock';
import { REAL_FS, WriteFs } from './write-fs';

/** Options of `writeManifests()` and `writeEnvironments()`. */
export interface WriteOptions {
  /**
   * Take over an existing, non-empty output directory that seaworthy did not write (no
   * `.seaworthy-output` marker), for example a `dist/` written by `cdk8s synth` or by an older
   * seaworthy. Everything in it is replaced. Use it once, after checking the directory; the
   * marker written then makes later runs recognise the directory.
   * @default false
   */
  readonly adopt?: boolean;
}

/** The file in the output directory listing what seaworthy wrote there. */
export const MARKER = '.seaworthy-output';
const MARKER_HEADER = '# written by seaworthy; files it may replace:';

/** A path segment we write: lowercase ASCII letters, digits, ".", "-", "_"; never "." or "..". */
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

/** Why `file` (a relative output path) is not safe to write, or undefined when it is. */
export function outputNameProblem(file: string): string | undefined {
  if (typeof file !== 'string' || file.length === 0) return 'must be a non-empty relative path';
  if (/[\u0000-\u001f\u007f]/.test(file)) return 'must not contain NUL or control characters';
  if (/[^\x20-\x7e]/.test(file)) return 'must contain only ASCII characters';
  if (file.includes('\\')) return 'must not contain "\\"';
  if (file.startsWith('/')) return 'must be relative to the output directory';
  const segments = file.split('/');
  if (segments.some(s => s === '..' || s === '.')) return 'must not contain "." or ".." segments';
  if (segments.some(s => s.length === 0)) return 'must not contain empty segments ("//" or a trailing "/")';
  const bad = segments.find(s => !SEGMENT.test(s) || s.length > 255);
  if (bad !== undefined) return `segment "${bad}" must be lowercase letters, digits, ".", "-" or "_", starting with a letter or digit, at most 255 characters`;
  if (segments[0] === MARKER) return `"${MARKER}" is seaworthy's own marker file`;
  return undefined;
}

/** Throws SW-OUTPUT-003 for unsafe or colliding relative file names. */
function checkNames(files: readonly string[], where: string): void {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const dirs = new Set<string>();
  for (const file of files) {
    const segs = file.split('/');
    for (let i = 1; i < segs.length; i++) dirs.add(segs.slice(0, i).join('/'));
  }
  for (const file of files) {
    const problem = outputNameProblem(file)
      ?? (seen.has(file) ? 'is produced twice; the second would overwrite the first' : undefined)
      ?? (dirs.has(file) ? 'is both a file and a directory of the output' : undefined);
    if (problem) findings.push(makeFinding(Rules.OUTPUT_NAME_INVALID, where, 'file', file, problem));
    seen.add(file);
  }
  if (findings.length > 0) throw new SeaworthyError(findings);
}

function fail(rule: typeof Rules.OUTPUT_DIR_UNSAFE, outdir: string, problem: string): never {
  throw new SeaworthyError([makeFinding(rule, 'write', 'outdir', outdir, problem)]);
}

/**
 * Where `outdir` really is, refusing (SW-OUTPUT-001) paths that are not a dedicated directory:
 * empty, ".", the current directory or an ancestor of it, a project root, a file. A symbolic link
 * is followed, so the link stays and its target is written.
 */
export function resolveOutdir(outdir: string, io: WriteFs = REAL_FS): string {
  if (typeof outdir !== 'string' || outdir.trim() === '') fail(Rules.OUTPUT_DIR_UNSAFE, String(outdir), 'is empty, which would mean the current directory');
  if (/[\u0000]/.test(outdir)) fail(Rules.OUTPUT_DIR_UNSAFE, outdir, 'contains a NUL character');
  let target = path.resolve(outdir);
  const st = io.lstat(target);
  if (st?.isSymbolicLink()) {
    try {
      target = io.realpath(target);
    } catch {
      fail(Rules.OUTPUT_DIR_UNSAFE, outdir, 'is a symbolic link whose target does not exist');
    }
  } else {
    // Resolve links in the parents too, so the ancestor check below compares real paths.
    const parent = path.dirname(target);
    // A parent that does not exist yet is created before writing.
    if (io.lstat(parent)) target = path.join(io.realpath(parent), path.basename(target));
  }
  const cwd = io.realpath(process.cwd());
  if (target === path.parse(target).root) fail(Rules.OUTPUT_DIR_UNSAFE, outdir, 'is the root of the file system');
  if (target === cwd || cwd.startsWith(target + path.sep)) fail(Rules.OUTPUT_DIR_UNSAFE, outdir, `is the current directory or one of its ancestors (${target})`);
  const real = io.lstat(target);
  if (real && !real.isDirectory()) fail(Rules.OUTPUT_DIR_UNSAFE, outdir, 'exists and is not a directory');
  if (real) {
    const root = ['package.json', '.git'].find(f => io.lstat(path.join(target, f)) !== undefined);
    if (root) fail(Rules.OUTPUT_DIR_UNSAFE, outdir, `holds ${root}, so it looks like a project root`);
  }
  return target;
}

/** Relative paths of every file (and link) under `dir`, "/"-separated, sorted. */
function listFiles(dir: string, io: WriteFs, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of io.readdir(dir).sort()) {
    const rel = prefix ? `${prefix}/${entry}` : entry;
    const st = io.lstat(path.join(dir, entry));
    if (st?.isDirectory()) out.push(...listFiles(path.join(dir, entry), io, rel));
    else out.push(rel);
  }
  return out;
}

/** The files a marker lists, or undefined when `dir` has no marker. */
function markerFiles(dir: string, io: WriteFs): string[] | undefined {
  if (!io.lstat(path.join(dir, MARKER))?.isFile()) return undefined;
  return io.readFile(path.join(dir, MARKER)).split('\n').filter(l => l.length > 0 && !l.startsWith('#'));
}

/** Throws SW-OUTPUT-002 when `target` holds files seaworthy did not write. */
function checkOwnership(target: string, outdir: string, options: WriteOptions, io: WriteFs): void {
  if (!io.lstat(target)) return;
  const present = listFiles(target, io).filter(f => f !== MARKER);
  const listed = markerFiles(target, io);
  if (listed === undefined && options.adopt) return;
  const ours = new Set(listed ?? []);
  const foreign = present.filter(f => !ours.has(f));
  if (foreign.length === 0) return;
  const shown = foreign.slice(0, 5).join(', ') + (foreign.length > 5 ? ` and ${foreign.length - 5} more` : '');
  const why = listed === undefined ? `is not empty and has no ${MARKER} marker` : 'holds files seaworthy did not write';
  fail(Rules.OUTPUT_DIR_FOREIGN, outdir, `${why} (${shown})`);
}

const STAGING = '.staging-';
const PREVIOUS = '.previous-';
const LEFTOVER = /^\.(staging|previous)-[0-9a-f]{12}$/;

/**
 * Cleans up after earlier runs, before anything else: restores a previous tree when the output
 * directory is missing (a run killed between the two renames of the swap), and removes the
 * staging and previous directories that carry our marker (a run killed mid-way, or whose cleanup
 * failed), saying so in one line. Leftovers without the marker are not ours and are left alone.
 */
function recover(target: string, io: WriteFs): void {
  const parent = path.dirname(target);
  const base = path.basename(target);
  if (!io.lstat(parent)) return;
  const leftovers = io.readdir(parent).filter(e => e.startsWith(base) && LEFTOVER.test(e.slice(base.length)));
  const ours = (dir: string) => {
    if (!io.lstat(dir)?.isDirectory()) return false;
    const entries = io.readdir(dir);
    return entries.length === 0 || entries.includes(MARKER);
  };
  if (!io.lstat(target)) {
    const previous = leftovers.filter(e => e.startsWith(base + PREVIOUS)).map(e => path.join(parent, e)).find(ours);
    if (previous) {
      io.rename(previous, target);
      io.warn(`seaworthy: restored ${target} from ${path.basename(previous)}, left by an interrupted run`);
    }
  }
  const removed: string[] = [];
  const failed: string[] = [];
  for (const e of leftovers) {
    const dir = path.join(parent, e);
    try {
      if (!io.lstat(dir) || !ours(dir)) continue;
      removeOurTree(dir, io);
      removed.push(e);
    } catch (err) {
      failed.push(`${e} (${(err as Error).message})`);
    }
  }
  if (removed.length > 0) io.warn(`seaworthy: removed ${removed.join(', ')} beside ${target}, left by an earlier run that was interrupted or could not clean up`);
  if (failed.length > 0) io.warn(`seaworthy: could not remove ${failed.join(', ')} beside ${target}, left by an earlier run; check and remove it by hand`);
  removeStaleLocks(target, io);
}

/**
 * Removes a tree seaworthy wrote (or was told to adopt). Its directories may be read-only (a
 * checkout with 0555 directories; the top one keeps the output directory's mode), and removing
 * their entries needs write permission, so each directory of the tree is given u+rwx first. Only
 * directories inside `dir` are changed: symbolic links are not followed.
 */
function removeOurTree(dir: string, io: WriteFs): void {
  makeRemovable(dir, io);
  io.rm(dir);
}

function makeRemovable(dir: string, io: WriteFs): void {
  const st = io.lstat(dir);
  if (!st?.isDirectory()) return;
  if ((st.mode & 0o700) !== 0o700) io.chmod(dir, (st.mode & 0o7777) | 0o700);
  for (const entry of io.readdir(dir)) makeRemovable(path.join(dir, entry), io);
}

/**
 * A file's content: its text, or a function giving it in chunks, called when the file is written
 * (so that the text of one file at most, and of that only a chunk, is in memory at a time).
 * @internal
 */
export type FileContent = string | (() => Iterable<string>);

/**
 * Replaces `outdir` with exactly `files` (relative path → content). Before touching the disk it
 * refuses (SW-OUTPUT-001/002/003) unsafe directories, directories holding files seaworthy did not
 * write, and unsafe or colliding file names. The files are written into a sibling staging
 * directory (with a `.seaworthy-output` marker listing them), then swapped in with two renames;
 * a failure of the second rename puts the previous tree back before the error is thrown, and a
 * run interrupted between them is repaired by the next run. Cleaning up the previous tree after
 * a successful swap only warns when it fails.
 * @internal
 */
export function writeTree(files: ReadonlyMap<string, FileContent>, outdir: string, options: WriteOptions = {}, io: WriteFs = REAL_FS): void {
  const names = [...files.keys()];
  checkNames(names, 'write');
  const target = resolveOutdir(outdir, io);
  const parent = path.dirname(target);
  if (!io.lstat(parent)) mkdirp(parent, io);
  const lock = acquireLock(target, outdir, io);
  try {
    recover(target, io);
    checkOwnership(target, outdir, options, io);
    replaceTree(files, target, io);
  } finally {
    releaseLock(lock, io);
  }
}

/** Writes `files` into a staging sibling of `target`, then swaps it in (see writeTree). */
function replaceTree(files: ReadonlyMap<string, FileContent>, target: string, io: WriteFs): void {
  const names = [...files.keys()];
  const previousStat = io.lstat(target);

  const token = () => crypto.randomBytes(6).toString('hex');
  const staging = `${target}${STAGING}${token()}`;
  io.mkdir(staging);
  try {
    io.writeFile(path.join(staging, MARKER), `${MARKER_HEADER}\n${[...names].sort().join('\n')}\n`);
    const made = new Set<string>();
    for (const [file, content] of files) {
      const segs = file.split('/');
      for (let i = 1; i < segs.length; i++) {
        const dir = segs.slice(0, i).join('/');
        if (!made.has(dir)) {
          io.mkdir(path.join(staging, dir));
          made.add(dir);
        }
      }
      io.writeFile(path.join(staging, file), typeof content === 'string' ? content : content());
    }
    if (previousStat) io.chmod(staging, previousStat.mode & 0o7777);
  } catch (e) {
    removeQuietly(staging, io);
    throw e;
  }

  if (!previousStat) {
    try {
      io.rename(staging, target);
    } catch (e) {
      removeQuietly(staging, io);
      throw e;
    }
    return;
  }
  // One atomic exchange where the system offers it: the path always holds a whole tree, and the
  // staging name then holds the previous one, removed below (or by the next run).
  let exchanged: boolean;
  try {
    exchanged = io.exchange(staging, target);
  } catch (e) {
    removeQuietly(staging, io);
    throw e;
  }
  if (exchanged) {
    try {
      removeOurTree(staging, io);
    } catch (e) {
      io.warn(`seaworthy: wrote ${target}, but could not remove the previous tree ${staging} (${(e as Error).message}); the next run removes it`);
    }
    return;
  }
  const previous = `${target}${PREVIOUS}${token()}`;
  try {
    io.rename(target, previous);
  } catch (e) {
    removeQuietly(staging, io);
    throw e;
  }
  try {
    io.rename(staging, target);
  } catch (e) {
    try {
      io.rename(previous, target);
    } catch (restore) {
      throw new Error(`seaworthy: could not swap in the new ${target} (${(e as Error).message}) nor put the previous tree back (${(restore as Error).message}); the previous tree is in ${previous}, and the next run restores it`);
    }
    removeQuietly(staging, io);
    throw e;
  }
  try {
    removeOurTree(previous, io);
  } catch (e) {
    io.warn(`seaworthy: wrote ${target}, but could not remove the previous tree ${previous} (${(e as Error).message}); the next run removes it`);
  }
}

function mkdirp(dir: string, io: WriteFs): void {
  if (io.lstat(dir)) return;
  mkdirp(path.dirname(dir), io);
  io.mkdir(dir);
}

function removeQuietly(dir: string, io: WriteFs): void {
  try {
    removeOurTree(dir, io);
  } catch (e) {
    io.warn(`seaworthy: could not remove ${dir} (${(e as Error).message}); the next run removes it`);
  }
}
