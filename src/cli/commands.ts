import { ADMISSION_DESCRIPTION, runAdmission } from '../admission/cli';
import { runAudit, runExplain, ExplainFormat } from '../audit/command';
import { AuditFormat } from '../audit/render';
import { runDiff } from '../diff/command';
import { DiffFormat } from '../diff/render';
import { LoadFs } from '../manifests/load';
import { writeReport } from '../report/command';
import { Profile } from '../rules/profile';
import { Severity } from '../rules/rule';
import { KubernetesVersion } from '../target/versions';
import { BASE, EXCLUDE_NAMESPACES, COMPLETE, FAIL_ON, Flag, formatFlag, KUBERNETES_VERSION, LINK_BASE, MUTATING, OUTPUT, PROFILE, REPO_ROOT, RULES, TITLE } from './flags';
import { ParsedArgs } from './parse';
import { printable, UsageError } from './usage';

/** Where the CLI writes and how it exits; injectable for tests. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly isTty: boolean;
  /**
   * The manifest loader's file system (tests make files vanish through it).
   * @default - the real one
   * @internal
   */
  readonly fs?: LoadFs;
}

/** A command line of one command, parsed and validated, with where to write. */
export interface Invocation extends ParsedArgs {
  readonly io: CliIo;
  /** The package version. */
  readonly version: string;
}

/** One command of the CLI: its help, its flags and what runs it. */
export interface Command {
  /** The word after `seaworthy`. */
  readonly name: string;
  /** Its operand forms, one usage line each, e.g. `<files|dirs...>`; a flag named in a form is not repeated in the overview. */
  readonly forms: readonly string[];
  /** What it does, for `<command> --help`: lines of at most 100 characters. */
  readonly description: string;
  /** Its flags, in the order help lists and validation checks them. */
  readonly flags: readonly Flag[];
  /**
   * Said at the end of `<command> --help`.
   * @default - nothing
   */
  readonly footer?: string;
  /**
   * Whether `run` returns a promise (only `runAsync()` runs it).
   * @default false
   */
  readonly async?: boolean;
  /** Runs the command; returns the exit code. Operand problems throw a `UsageError`. */
  run(inv: Invocation): number | Promise<number>;
}

const FILES = '<files|dirs...>';

/** The validated `--profile`, `--kubernetes-version`, and `--fail-on` / `--format` of commands that take them. */
const profile = (inv: Invocation) => inv.values.get(PROFILE.name) as Profile;
const kubernetesVersion = (inv: Invocation) => inv.values.get(KUBERNETES_VERSION.name) as KubernetesVersion;
const failOn = (inv: Invocation) => inv.values.get(FAIL_ON.name) as Severity;
const complete = (inv: Invocation) => inv.values.get(COMPLETE.name) === 'true';
const format = <T extends string>(inv: Invocation) => inv.values.get('format') as T;

/** Every command, in the order the overview lists them. */
export const COMMANDS: readonly Command[] = [
  {
    name: 'audit',
    forms: [FILES],
    description: `Audits multi-document YAML (and kind: List) as kubectl parses it, with every rule of the catalog.
Objects waive rules through the seaworthy.dev/waivers annotation.`,
    flags: [
      formatFlag(['table', 'json', 'sarif', 'junit'], 'coloured on a terminal'), PROFILE, FAIL_ON,
      { ...KUBERNETES_VERSION, about: 'removed API versions, native\nsidecars, safe sysctls are judged for it' }, COMPLETE,
    ],
    run(inv: Invocation): number {
      if (inv.operands.length === 0) throw new UsageError('audit needs at least one file or directory');
      return runAudit({
        paths: inv.operands, format: format<AuditFormat>(inv), profile: profile(inv), failOn: failOn(inv), kubernetesVersion: kubernetesVersion(inv), version: inv.version, complete: complete(inv),
      }, inv.io);
    },
  },
  {
    name: 'explain',
    forms: [FILES],
    description: `Explains each workload: QoS class and why, rollout math, disruption budget, shutdown timeline,
who may reach it and whom it may reach (from the NetworkPolicies), and the rules it passes,
fails and waives.`,
    flags: [formatFlag(['text', 'markdown', 'mermaid']), PROFILE, KUBERNETES_VERSION],
    run(inv: Invocation): number {
      if (inv.operands.length === 0) throw new UsageError('explain needs at least one file or directory');
      return runExplain({ paths: inv.operands, format: format<ExplainFormat>(inv), profile: profile(inv), kubernetesVersion: kubernetesVersion(inv) }, inv.io);
    },
  },
  {
    name: 'diff',
    forms: ['<before> <after>', '--base <git-ref> [dir]'],
    description: `Says what applying the manifests of <after> over those of <before> (files or directories) will do
in the cluster, or what the working tree's [dir] (default: .) changes since <git-ref>, read with
git itself (no checkout). Objects match by API group, kind, namespace and name within each
directory; every consequence has an SW-DIFF-* id of the rules catalog: will be rejected
(immutable fields), will recreate, deletes data, availability regressions, changes of exposure,
will restart Pods. The seaworthy.dev/waivers annotation waives them like any rule.`,
    flags: [
      BASE, formatFlag(['table', 'markdown', 'json', 'sarif'], 'coloured on a terminal'), PROFILE, FAIL_ON,
      { ...KUBERNETES_VERSION, about: 'which fields are immutable, how\nrollouts run' }, LINK_BASE, REPO_ROOT,
    ],
    footer: `Exit codes: 0 nothing at or above --fail-on, 1 consequences at or above it, 2 usage error,
unreadable input or unknown revision.`,
    run(inv: Invocation): number {
      const base = inv.values.get(BASE.name);
      const [before, after] = inv.operands;
      if (base !== undefined && inv.operands.length > 1) throw new UsageError('diff --base takes one directory (the working tree\'s, compared with the same one at the revision)');
      if (base === undefined && inv.operands.length !== 2) throw new UsageError('diff needs a before and an after (files or directories), or --base <git-ref> [dir]');
      return runDiff({
        sides: base !== undefined ? { base, dir: before ?? '.' } : { before, after },
        format: format<DiffFormat>(inv), profile: profile(inv), failOn: failOn(inv), kubernetesVersion: kubernetesVersion(inv),
        linkBase: inv.values.get(LINK_BASE.name), repoRoot: inv.values.get(REPO_ROOT.name), version: inv.version,
      }, inv.io);
    },
  },
  {
    name: 'report',
    forms: [FILES],
    description: `Writes one self-contained HTML page (styles and script inline, nothing fetched; opens from
file://): the traffic graph laid out by Graphviz, a card per workload (QoS, replicas/HPA, rollout
peak against the quota, shutdown timeline to scale, disruption budget, probes, findings with
fixes), front doors, a filterable findings table and the waivers.`,
    flags: [
      OUTPUT, TITLE, PROFILE, KUBERNETES_VERSION,
      { ...BASE, help: 'also show, on top, what the directory changes since that revision\n(seaworthy diff --base; one directory)' }, COMPLETE,
    ],
    async: true,
    run(inv: Invocation): Promise<number> {
      const base = inv.values.get(BASE.name);
      if (base !== undefined && inv.operands.length > 1) throw new UsageError('report --base takes one directory (compared with the same one at the revision)');
      const paths = base !== undefined && inv.operands.length === 0 ? ['.'] : inv.operands;
      if (paths.length === 0) throw new UsageError('report needs at least one file or directory');
      return writeReport({
        paths, output: inv.values.get(OUTPUT.name)!, title: inv.values.get(TITLE.name), profile: profile(inv), kubernetesVersion: kubernetesVersion(inv), version: inv.version, base, complete: complete(inv),
      }, inv.io);
    },
  },
  {
    name: 'admission',
    forms: [],
    description: ADMISSION_DESCRIPTION,
    flags: [
      { ...KUBERNETES_VERSION, about: 'admissionregistration.k8s.io/v1 from 1.30,\nv1beta1 on 1.28 and 1.29 (behind a feature gate, named in the output)' },
      { ...PROFILE, about: 'of the namespaces without the label' },
      RULES,
      { ...OUTPUT, arg: 'DIR', help: 'one file per rule in DIR', default: undefined, shownDefault: 'every document on stdout' },
      MUTATING,
      EXCLUDE_NAMESPACES,
    ],
    run(inv: Invocation): number {
      if (inv.operands.length > 0) throw new UsageError(`admission takes no files (got ${printable(inv.operands[0])}); write the policies with -o <dir>`);
      return runAdmission({
        kubernetesVersion: kubernetesVersion(inv), profile: profile(inv), rules: inv.values.get(RULES.name), output: inv.values.get(OUTPUT.name),
        mutating: inv.values.get(MUTATING.name) === 'true', excludeNamespaces: inv.values.get(EXCLUDE_NAMESPACES.name),
      }, inv.io);
    },
  },
];
