import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the containers family. */
export const ContainersRules = {
  INIT_CONTAINER_HOOKS: rule({
    id: 'SW-INIT-001',
    title: 'Init containers take no probes or lifecycle hooks (native sidecars excepted) and declare no ports',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Init containers run to completion, one after another, before the app starts; the API server rejects probes and lifecycle hooks on them unless they are native sidecars (restartPolicy: Always). The API server accepts ports on them, but a port of a container that has exited serves nothing.',
    fix: 'remove readiness, liveness, startup, preStop and ports from the init container, or make it a sidecar',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/init-containers/#differences-from-regular-containers`,
  }),
  CONTAINER_NAME_DUPLICATE: rule({
    id: 'SW-CONTAINER-001',
    title: 'Container names are unique DNS-1123 labels',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Each container of a Pod, init containers included, needs a unique name; the API server rejects duplicates.',
    fix: 'give every container a distinct lowercase name',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/reference/kubernetes-api/workload-resources/pod-v1/#Container`,
  }),
  SHELL_SCRIPT_ARGS: rule({
    id: 'SW-CONTAINER-002',
    title: 'A "sh -c" script is the one argument after -c',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: '"sh -c" runs only the argument after -c as its script; the arguments after that become the script\'s $0, $1, … and are ignored unless the script reads them. ["sh", "-c", "test", "-e", "/tmp/ready"] runs `test` alone, which exits 1: a probe written so never succeeds (the notes\' broken test -e probe), and a command written so does not do what it reads as. A script that reads its positional parameters ($1, "$@", shift, …) and a single extra argument naming $0 are left alone.',
    fix: 'put the whole command line in the one argument after -c (["sh", "-c", "test -e /tmp/ready"]), or drop the shell and use the exec form (["test", "-e", "/tmp/ready"])',
    kinds: WORKLOAD_KINDS,
    see: 'https://pubs.opengroup.org/onlinepubs/9699919799/utilities/sh.html',
  }),
} as const;

/** Shells whose `-c` takes the next argument as the script. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
/** A shell option cluster holding `-c` ("-c", "-ec", "-lc"). */
export const SHELL_C_FLAG = /^-[a-z]*c[a-z]*$/;
/** A script that reads its positional parameters: $0-$9, ${1}, $@, $*, $#, shift, getopts, or `for x do` (which loops over them). */
const READS_POSITIONAL = /\$\{?[0-9@*#]|\bshift\b|\bgetopts\b|\bfor\s+\w+\s*(;|\n|\bdo\b)/;

/**
 * The one SW-CONTAINER-002 predicate, for constructs and the audit: why `argv` (a command line in
 * exec form: command and args together, or a probe's or hook's exec command) hands a shell
 * script arguments it never reads, or undefined. A one-word script followed by anything is the
 * split-up command line the rule is about; a longer script is judged only when at least two
 * arguments follow (one is the usual name for $0).
 */
export function shellScriptArgsProblem(argv: readonly unknown[]): string | undefined {
  if (!Array.isArray(argv) || !argv.every(a => typeof a === 'string')) return undefined;
  const line = argv as readonly string[];
  if (!SHELLS.has(line[0]?.split('/').pop() ?? '')) return undefined;
  const flag = line.findIndex((a, i) => i > 0 && SHELL_C_FLAG.test(a));
  if (flag < 0) return undefined;
  const at = line[flag + 1] === '--' ? flag + 2 : flag + 1;
  const script = line[at];
  const extra = line.slice(at + 1);
  if (script === undefined || script.startsWith('-') || extra.length === 0 || READS_POSITIONAL.test(script)) return undefined;
  const oneWord = !/[\s;&|$`()<>]/.test(script.trim());
  if (!oneWord && extra.length < 2) return undefined;
  const names = extra.map((a, i) => `${JSON.stringify(a)} ($${i})`).join(', ');
  return `"${line[0]} ${line[flag]}" runs only ${JSON.stringify(script)} as its script; ${names} become its positional parameters, which it never reads${oneWord ? `, so ${JSON.stringify(script)} runs without them` : ''}`;
}

/**
 * SW-CONTAINER-002 on a container's command line: `command` and `args` together (the args are
 * appended to the command), or `args` alone when they start with a shell (images without an
 * ENTRYPOINT run them as the command). The field is the one that holds the script.
 */
export function commandLineShellProblem(command: unknown, args: unknown): { readonly field: 'command' | 'args'; readonly value: readonly unknown[]; readonly problem: string } | undefined {
  const list = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);
  if (list(command).length > 0) {
    const line = [...list(command), ...list(args)];
    const problem = shellScriptArgsProblem(line);
    return problem ? { field: list(command).some(a => typeof a === 'string' && SHELL_C_FLAG.test(a)) ? 'command' : 'args', value: line, problem } : undefined;
  }
  const problem = shellScriptArgsProblem(list(args));
  return problem ? { field: 'args', value: list(args), problem } : undefined;
}
