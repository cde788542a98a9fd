import { Profile } from '../rules/profile';
import { GATE_SEVERITIES } from '../rules/severity';
import { KubernetesTarget } from '../target/target';
import { DEFAULT_VERSION, normaliseVersion, SUPPORTED_VERSIONS, versionProblem } from '../target/versions';
import { UsageError } from './usage';

/** Where a flag's check may warn (stderr). */
export interface FlagIo {
  readonly stderr: (text: string) => void;
}

/**
 * One flag of the CLI, declared once: the parser, the validation and the help of every command
 * that takes it come from here. A command may add what the flag means for it (`about`) or say
 * it in its own words (`help`).
 */
export interface Flag {
  /** The long name, without `--`, e.g. `fail-on`. */
  readonly name: string;
  /**
   * A one-letter alias, without `-` (`o` for `-o`); its value is the next argument.
   * @default - none
   */
  readonly short?: string;
  /** How help shows the value, e.g. `FILE`, `<git-ref>`, `1.NN`; `a|b|c` for a flag with `values`; empty for a switch. */
  readonly arg: string;
  /**
   * The flag takes no value: present, it reads as "true".
   * @default false
   */
  readonly switch?: boolean;
  /**
   * The values accepted; anything else is a usage error naming them.
   * @default - any non-empty value
   */
  readonly values?: readonly string[];
  /**
   * The value when the flag is absent.
   * @default - none: the flag is absent
   */
  readonly default?: string;
  /**
   * How help states the default when it is not a value (e.g. "the git top level, else .").
   * @default - `default`
   */
  readonly shownDefault?: string;
  /**
   * Said after the default in help, e.g. "coloured on a terminal".
   * @default - nothing
   */
  readonly defaultNote?: string;
  /** What the flag does, for help; a newline continues it on the next line, under the text. */
  readonly help: string;
  /**
   * What the flag means for one command, said after `help` and a colon.
   * @default - nothing
   */
  readonly about?: string;
  /**
   * Validates and normalises a value given on the command line (not the default); throws a
   * `UsageError`.
   * @default - only `values` are checked
   */
  readonly check?: (value: string, io: FlagIo) => string;
}

/** `--format`: each command has its own formats, the first one its default. */
export function formatFlag(values: readonly string[], defaultNote?: string): Flag {
  return { name: 'format', arg: values.join('|'), values, default: values[0], defaultNote, help: 'output format' };
}

/** `--profile`: the severities. */
export const PROFILE: Flag = {
  name: 'profile',
  arg: [Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT].join('|'),
  values: [Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT],
  default: Profile.PRODUCTION,
  help: 'severities',
};

/** `--fail-on`: the lowest severity that exits 1. */
export const FAIL_ON: Flag = {
  name: 'fail-on',
  arg: GATE_SEVERITIES.join('|'),
  values: GATE_SEVERITIES,
  default: GATE_SEVERITIES[0],
  help: 'lowest severity that exits 1',
};

/** `--kubernetes-version`: the cluster's minor; warns on stderr when it is out of upstream support. */
export const KUBERNETES_VERSION: Flag = {
  name: 'kubernetes-version',
  arg: '1.NN',
  default: DEFAULT_VERSION,
  help: `the cluster's minor, ${SUPPORTED_VERSIONS[0]}–${SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]}`,
  check: (raw, io) => {
    const version = normaliseVersion(raw);
    if (version === undefined) throw new UsageError(`--kubernetes-version ${versionProblem(raw)} (SW-TARGET-001)`);
    const target = KubernetesTarget.version(version);
    if (!target.supportedUpstream(new Date())) io.stderr(`warning: SW-TARGET-002 Kubernetes ${version} reached its upstream end of life on ${target.endOfLife}; findings are judged for it all the same\n`);
    return version;
  },
};

/** `--base`: a git revision to compare with. */
export const BASE: Flag = { name: 'base', arg: '<git-ref>', help: 'compare with [dir] at this revision (e.g. HEAD~1, origin/main)' };

/** `-o`, `--output`: where a command writes its file. */
export const OUTPUT: Flag = { name: 'output', short: 'o', arg: 'FILE', help: 'where to write the page', default: 'report.html' };

/** `--title`: the title of what a command writes. */
export const TITLE: Flag = { name: 'title', arg: 'TEXT', help: 'the page\'s title', shownDefault: 'seaworthy report' };

/** `--link-base`: markdown links to files. */
export const LINK_BASE: Flag = { name: 'link-base', arg: '<url>', help: 'markdown links to <url><file>#L<line> (e.g. a GitHub blob URL)' };

/** `--repo-root`: what Argo CD Application paths are relative to. */
export const REPO_ROOT: Flag = { name: 'repo-root', arg: '<dir>', help: 'what Argo CD Application paths are relative to', shownDefault: 'the git top level, else .' };

/** `--complete`: the files are the whole deployment (see `AuditOptions.complete`). */
export const COMPLETE: Flag = {
  name: 'complete',
  arg: '',
  switch: true,
  help: 'the files are the whole deployment: a selector that matches\nnothing or a reference to an object not in them is judged at its\nseverity; otherwise such findings are infos, since another chart\nor an operator may create what they refer to',
  shownDefault: 'only for a directory seaworthy wrote',
};

/** `--rules`: only these rule ids. */
export const RULES: Flag = { name: 'rules', arg: 'SW-…,SW-…', help: 'only these rules, comma-separated', shownDefault: 'every rule with a policy' };

/** `--exclude-namespaces`: namespaces no binding applies to, beside the system ones. */
export const EXCLUDE_NAMESPACES: Flag = {
  name: 'exclude-namespaces',
  arg: 'NS,…',
  help: 'namespaces no binding applies to, beside kube-system, kube-public\nand kube-node-lease (platform components installed by their own\noperators, e.g. calico-system), comma-separated',
  shownDefault: 'the system namespaces only',
};

/** `--mutating`: also the MutatingAdmissionPolicies of the rules' choice-free defaults. */
export const MUTATING: Flag = {
  name: 'mutating',
  arg: '',
  switch: true,
  help: 'also write MutatingAdmissionPolicies that fill in the defaults\nno one has to choose (seccomp RuntimeDefault, allowPrivilegeEscalation\nfalse) where nothing is set; Kubernetes 1.34 and 1.35 serve them as\nv1beta1 behind a feature gate (named in the output), 1.36 as v1',
  shownDefault: 'off',
};
