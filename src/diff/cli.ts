import * as fs from 'fs';
import * as path from 'path';
import { Loaded, LoadFs, LoadProblem, REAL_LOAD_FS } from '../manifests/load';
import { Profile } from '../rules/profile';
import { Severity } from '../rules/rule';
import { atLeast, GATE_SEVERITIES } from '../rules/severity';
import { KubernetesVersion } from '../target/versions';
import { diffManifests } from './diff';
import { GitError, gitTopLevel, loadAtRevision } from './git';
import { DocumentCache } from './load';
import { DiffInput, DiffResult } from './model';
import { DiffFormat, renderDiff } from './render';

/** What `seaworthy diff` needs from the CLI around it: its flag parsing, its errors, where to write. */
export interface DiffCli {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  readonly version: string;
  /** The CLI's parser: positional paths, `--flag value` pairs, and whether help was asked. */
  parse(args: readonly string[], allowed: readonly string[]): { readonly paths: string[]; readonly flags: Map<string, string>; readonly help: boolean };
  /** The validated `--kubernetes-version` (the default when absent). */
  target(flags: Map<string, string>): KubernetesVersion;
  /** The CLI's usage error (exit 2) with `message`. */
  usage(message: string): Error;
  /**
   * The manifest loader's file system (tests make files vanish through it).
   * @default - the real one
   */
  readonly fs?: LoadFs;
}

/** `seaworthy diff --help`. */
export const DIFF_HELP = `seaworthy diff <before> <after> [options]
seaworthy diff --base <git-ref> [dir] [options]

Says what applying the manifests of <after> over those of <before> (files or directories) will do
in the cluster, or what the working tree's [dir] (default: .) changes since <git-ref>, read with
git itself (no checkout). Objects match by API group, kind, namespace and name within each
directory; every consequence has an SW-DIFF-* id of the rules catalog: will be rejected
(immutable fields), will recreate, deletes data, availability regressions, changes of exposure,
will restart Pods. The seaworthy.dev/waivers annotation waives them like any rule.

Options:
  --base <git-ref>                  compare with [dir] at this revision (e.g. HEAD~1, origin/main)
  --format table|markdown|json|sarif   output format (default: table, coloured on a terminal)
  --profile production|staging|development   severities (default: production)
  --fail-on error|warning           lowest severity that exits 1 (default: error)
  --kubernetes-version 1.NN         the cluster's minor: which fields are immutable, how rollouts run
  --link-base <url>                 markdown links to <url><file>#L<line> (e.g. a GitHub blob URL)
  --repo-root <dir>                 what Argo CD Application paths are relative to (default: the git top level, else .)

Exit codes: 0 nothing at or above --fail-on, 1 consequences at or above it, 2 usage error,
unreadable input or unknown revision.
`;

const PROFILES: readonly string[] = [Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT];

function choice<T extends string>(cli: DiffCli, flags: Map<string, string>, name: string, values: readonly T[], dflt: T): T {
  const v = flags.get(name) ?? dflt;
  if (!values.includes(v as T)) throw cli.usage(`--${name} must be one of ${values.join(', ')} (got "${v}")`);
  return v as T;
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

/** Runs `seaworthy diff` with `args` (after the command); returns the exit code. */
export function runDiff(args: readonly string[], cli: DiffCli): number {
  const p = cli.parse(args, ['base', 'format', 'profile', 'fail-on', 'kubernetes-version', 'link-base', 'repo-root']);
  if (p.help) {
    cli.stdout(DIFF_HELP);
    return 0;
  }
  const format = choice<DiffFormat>(cli, p.flags, 'format', ['table', 'markdown', 'json', 'sarif'], 'table');
  const profile = choice(cli, p.flags, 'profile', PROFILES, Profile.PRODUCTION) as Profile;
  const failOn = choice(cli, p.flags, 'fail-on', GATE_SEVERITIES, Severity.ERROR);
  const kubernetesVersion = cli.target(p.flags);
  const base = p.flags.get('base');
  const repoRoot = p.flags.get('repo-root');
  let result: DiffResult;
  let problems: readonly LoadProblem[];
  let sides: { before: string; after: string };
  if (base !== undefined) {
    if (p.paths.length > 1) throw cli.usage('diff --base takes one directory (the working tree\'s, compared with the same one at the revision)');
    const dir = p.paths[0] ?? '.';
    try {
      ({ result, problems } = diffSinceRevision(base, dir, { profile, kubernetesVersion, repoRoot, fs: cli.fs }));
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      cli.stderr(`seaworthy: ${e.message}\n`);
      return 2;
    }
    sides = { before: `${dir} at ${base}`, after: 'the working tree' };
  } else {
    if (p.paths.length !== 2) throw cli.usage('diff needs a before and an after (files or directories), or --base <git-ref> [dir]');
    const cache = new DocumentCache();
    const before = cache._load([p.paths[0]], cli.fs ?? REAL_LOAD_FS);
    const after = cache._load([p.paths[1]], cli.fs ?? REAL_LOAD_FS);
    result = diffManifests(regroup(before, p.paths[0]), regroup(after, p.paths[1]), { profile, kubernetesVersion, repoRoot: repoRoot ?? gitTopLevel() ?? process.cwd() });
    problems = [...before.problems, ...after.problems];
    sides = { before: p.paths[0], after: p.paths[1] };
  }
  cli.stdout(renderDiff(result, problems, format, { colour: cli.isTty && format === 'table', linkBase: p.flags.get('link-base'), version: cli.version, sides }));
  if (problems.length > 0) return 2;
  return result.consequences.some(c => atLeast(c.severity, failOn)) ? 1 : 0;
}
