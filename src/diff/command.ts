import * as fs from 'fs';
import * as path from 'path';
import { Loaded, LoadFs, LoadProblem, REAL_LOAD_FS } from '../manifests/load';
import { Profile } from '../rules/profile';
import { Severity } from '../rules/rule';
import { atLeast } from '../rules/severity';
import { KubernetesVersion } from '../target/versions';
import { diffManifests } from './diff';
import { GitError, gitTopLevel, loadAtRevision } from './git';
import { DocumentCache } from './load';
import { DiffInput, DiffResult } from './model';
import { DiffFormat, renderDiff } from './render';

/** Where `seaworthy diff` writes. */
export interface DiffCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stdout is a terminal (the table is coloured then). */
  readonly isTty: boolean;
  /**
   * The manifest loader's file system (tests make files vanish through it).
   * @default - the real one
   */
  readonly fs?: LoadFs;
}

/** `seaworthy diff`, its arguments parsed and validated. */
export interface DiffCommand {
  /** The two sides, files or directories; or, with `base`, the working tree's directory alone. */
  readonly sides: { readonly before: string; readonly after: string } | { readonly base: string; readonly dir: string };
  readonly format: DiffFormat;
  readonly profile: Profile;
  /** The lowest severity that exits 1. */
  readonly failOn: Severity;
  readonly kubernetesVersion: KubernetesVersion;
  /**
   * Prefix turning a file path into a link in markdown.
   * @default - plain paths
   */
  readonly linkBase?: string;
  /**
   * What Argo CD Application paths are relative to.
   * @default - the git top level, else the working directory
   */
  readonly repoRoot?: string;
  /** The CLI's version, named in SARIF. */
  readonly version: string;
}

/** Groups objects by their directory relative to the side's root, so `before/prod` matches `after/prod`. */
function regroup(loaded: Loaded, root: string): DiffInput[] {
  let isDir = false;
  try {
    isDir = fs.statSync(root).isDirectory();
  } catch {
    isDir = true; // a revision's directory
  }
  return loaded.inputs.map(i => ({ ...i, group: isDir && i.file ? path.relative(root, path.dirname(i.file)) : '' }));
}

/**
 * The diff of the working tree's `dir` against the same directory at git revision `base` (read
 * with git itself): what `seaworthy diff --base` and `seaworthy report --base` show. Throws a
 * `GitError` when git cannot read the revision.
 */
export function diffSinceRevision(base: string, dir: string, options: { readonly profile: Profile; readonly kubernetesVersion: KubernetesVersion; readonly repoRoot?: string; readonly fs?: LoadFs }): { readonly result: DiffResult; readonly problems: readonly LoadProblem[] } {
  const cache = new DocumentCache();
  const before = loadAtRevision(base, dir, process.cwd(), cache);
  const after = cache._load([dir], options.fs ?? REAL_LOAD_FS);
  const repoRoot = options.repoRoot ?? gitTopLevel() ?? process.cwd();
  const result = diffManifests(regroup(before, dir), regroup(after, dir), { profile: options.profile, kubernetesVersion: options.kubernetesVersion, repoRoot });
  return { result, problems: [...before.problems, ...after.problems] };
}

/** Runs `seaworthy diff`; returns the exit code (2 on unreadable input or an unknown revision, 1 on consequences at or above `failOn`). */
export function runDiff(cmd: DiffCommand, io: DiffCommandIo): number {
  const { profile, kubernetesVersion, repoRoot, format } = cmd;
  let result: DiffResult;
  let problems: readonly LoadProblem[];
  let sides: { before: string; after: string };
  if ('base' in cmd.sides) {
    const { base, dir } = cmd.sides;
    try {
      ({ result, problems } = diffSinceRevision(base, dir, { profile, kubernetesVersion, repoRoot, fs: io.fs }));
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      io.stderr(`seaworthy: ${e.message}\n`);
      return 2;
    }
    sides = { before: `${dir} at ${base}`, after: 'the working tree' };
  } else {
    sides = cmd.sides;
    const cache = new DocumentCache();
    const before = cache._load([sides.before], io.fs ?? REAL_LOAD_FS);
    const after = cache._load([sides.after], io.fs ?? REAL_LOAD_FS);
    result = diffManifests(regroup(before, sides.before), regroup(after, sides.after), { profile, kubernetesVersion, repoRoot: repoRoot ?? gitTopLevel() ?? process.cwd() });
    problems = [...before.problems, ...after.problems];
  }
  io.stdout(renderDiff(result, problems, format, { colour: io.isTty && format === 'table', linkBase: cmd.linkBase, version: cmd.version, sides }));
  if (problems.length > 0) return 2;
  return result.consequences.some(c => atLeast(c.severity, cmd.failOn)) ? 1 : 0;
}
