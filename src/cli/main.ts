import * as fs from 'fs';
import * as path from 'path';
import { explain, renderExplanation, renderMermaid } from '../audit/explain';
import { audit } from '../audit/engine';
import { runAdmission } from '../admission/cli';
import { runDiff } from '../diff/cli';
import { Profile } from '../rules/profile';
import { KubernetesTarget } from '../target/target';
import { DEFAULT_VERSION, KubernetesVersion, normaliseVersion, SUPPORTED_VERSIONS, versionProblem } from '../target/versions';
import { Severity } from '../rules/rule';
import { REPORT_HELP, writeReport } from '../report/command';
import { forTerminal, linesForTerminal } from '../util/escape';
import { LoadFs, loadManifests } from './load';
import { AuditFormat, renderAudit } from './report';

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

/** The package version, from the nearest package.json above this file (src/ in tests, lib/src/ when built). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

const VERSION = packageVersion();

const HELP = `seaworthy ${VERSION} — production-readiness rules for Kubernetes manifests

Usage:
  seaworthy audit <files|dirs...> [--format table|json|sarif|junit] [--profile production|staging|development] [--fail-on error|warning] [--kubernetes-version 1.NN]
  seaworthy explain <files|dirs...> [--format text|markdown|mermaid] [--profile ...] [--kubernetes-version 1.NN]
  seaworthy diff <before> <after> | --base <git-ref> [dir]  [--format table|markdown|json|sarif] [--profile ...] [--fail-on ...] [--kubernetes-version 1.NN]
  seaworthy report <files|dirs...> [-o report.html] [--title TEXT] [--profile ...] [--kubernetes-version 1.NN] [--base <git-ref>]
  seaworthy admission [--kubernetes-version 1.NN] [--profile ...] [--rules ID,...] [-o dir]
  seaworthy --version | --help

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable input.
`;

const AUDIT_HELP = `seaworthy audit <files|dirs...> [options]

Audits multi-document YAML (and kind: List) as kubectl parses it, with every rule of the catalog.
Objects waive rules through the seaworthy.dev/waivers annotation.

Options:
  --format table|json|sarif|junit   output format (default: table, coloured on a terminal)
  --profile production|staging|development   severities (default: production)
  --fail-on error|warning           lowest severity that exits 1 (default: error)
  --kubernetes-version 1.NN         the cluster's minor, ${SUPPORTED_VERSIONS[0]}–${SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]}: removed API versions, native
                                    sidecars, safe sysctls are judged for it (default: ${DEFAULT_VERSION})
`;

const EXPLAIN_HELP = `seaworthy explain <files|dirs...> [options]

Explains each workload: QoS class and why, rollout math, disruption budget, shutdown timeline,
who may reach it and whom it may reach (from the NetworkPolicies), and the rules it passes,
fails and waives.

Options:
  --format text|markdown|mermaid    output format (default: text)
  --profile production|staging|development
  --kubernetes-version 1.NN         the cluster's minor (default: ${DEFAULT_VERSION})
`;

class UsageError extends Error {}

interface Parsed {
  readonly paths: string[];
  readonly flags: Map<string, string>;
  readonly help: boolean;
}

function parse(args: readonly string[], allowed: readonly string[]): Parsed {
  const paths: string[] = [];
  const flags = new Map<string, string>();
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--help' || a === '-h') help = true;
    else if (a === '-o' && allowed.includes('output')) {
      if (args[i + 1] === undefined) throw new UsageError('-o needs a value');
      flags.set('output', args[++i]);
    }
    else if (a.startsWith('--')) {
      // Split at the first "=" only: "--format=json=x" has the value "json=x", which is refused.
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      if (!allowed.includes(name)) throw new UsageError(`unknown option --${printable(name)}`);
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      if (flags.has(name)) throw new UsageError(`--${name} is given twice`);
      flags.set(name, value);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${printable(a)}`);
    } else {
      paths.push(a);
    }
  }
  return { paths, flags, help };
}

/** A user-supplied string for a message: quoted, escaped, bounded. */
function printable(s: string): string {
  return forTerminal(JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s));
}

function choice<T extends string>(flags: Map<string, string>, name: string, values: readonly T[], dflt: T): T {
  const v = flags.get(name) ?? dflt;
  if (!values.includes(v as T)) throw new UsageError(`--${name} must be one of ${values.join(', ')} (got ${printable(v)})`);
  return v as T;
}

const PROFILES = [Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT];

/** The --kubernetes-version flag, validated; warns on stderr when it is out of upstream support. */
function targetFlag(flags: Map<string, string>, io: CliIo): KubernetesVersion {
  const raw = flags.get('kubernetes-version');
  if (raw === undefined) return DEFAULT_VERSION;
  const version = normaliseVersion(raw);
  if (version === undefined) throw new UsageError(`--kubernetes-version ${versionProblem(raw)} (SW-TARGET-001)`);
  const target = KubernetesTarget.version(version);
  if (!target.supportedUpstream(new Date())) io.stderr(`warning: SW-TARGET-002 Kubernetes ${version} reached its upstream end of life on ${target.endOfLife}; findings are judged for it all the same\n`);
  return version;
}

/** Runs the CLI with `args` (without "node seaworthy"); returns the exit code. `report` needs `runAsync()`. */
export function run(args: readonly string[], io: CliIo): number {
  try {
    const [command, ...rest] = args;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command === 'audit') {
      const p = parse(rest, ['format', 'profile', 'fail-on', 'kubernetes-version']);
      if (p.help) {
        io.stdout(AUDIT_HELP);
        return 0;
      }
      const format = choice<AuditFormat>(p.flags, 'format', ['table', 'json', 'sarif', 'junit'], 'table');
      const profile = choice(p.flags, 'profile', PROFILES, Profile.PRODUCTION);
      const failOn = choice(p.flags, 'fail-on', ['error', 'warning'], 'error');
      const kubernetesVersion = targetFlag(p.flags, io);
      if (p.paths.length === 0) throw new UsageError('audit needs at least one file or directory');
      const { inputs, problems } = loadManifests(p.paths, io.fs);
      const findings = audit(inputs, { profile, kubernetesVersion });
      io.stdout(renderAudit(findings, problems, format, io.isTty && format === 'table', VERSION));
      if (problems.length > 0) return 2;
      const threshold = failOn === 'warning' ? [Severity.ERROR, Severity.WARNING] : [Severity.ERROR];
      return findings.some(f => threshold.includes(f.severity)) ? 1 : 0;
    }
    if (command === 'explain') {
      const p = parse(rest, ['format', 'profile', 'kubernetes-version']);
      if (p.help) {
        io.stdout(EXPLAIN_HELP);
        return 0;
      }
      const format = choice(p.flags, 'format', ['text', 'markdown', 'mermaid'], 'text');
      const profile = choice(p.flags, 'profile', PROFILES, Profile.PRODUCTION);
      const kubernetesVersion = targetFlag(p.flags, io);
      if (p.paths.length === 0) throw new UsageError('explain needs at least one file or directory');
      const { inputs, problems } = loadManifests(p.paths, io.fs);
      for (const pr of problems) io.stderr(linesForTerminal(`error: ${pr.file}${pr.line ? `:${pr.line}` : ''}: ${pr.message}`) + '\n');
      const items = explain(inputs, { profile, kubernetesVersion });
      io.stdout(format === 'mermaid' ? renderMermaid(items) : linesForTerminal(renderExplanation(items, format === 'markdown')));
      return problems.length > 0 ? 2 : 0;
    }
    if (command === 'diff') {
      return runDiff(rest, { ...io, version: VERSION, parse, target: flags => targetFlag(flags, io), usage: message => new UsageError(message) });
    }
    if (command === 'admission') return runAdmission(rest, { ...io, parse, target: flags => targetFlag(flags, io), usage: message => new UsageError(message) });
    if (command === 'report') throw new UsageError('report renders asynchronously: call runAsync()');
    throw new UsageError(`unknown command ${printable(command)}`);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`seaworthy: ${e.message}\nRun "seaworthy --help" for usage.\n`);
      return 2;
    }
    throw e;
  }
}

/** Runs any command, `report` (which renders asynchronously) included; returns the exit code. */
export async function runAsync(args: readonly string[], io: CliIo): Promise<number> {
  if (args[0] !== 'report') return run(args, io);
  try {
    const p = parse(args.slice(1), ['output', 'title', 'profile', 'kubernetes-version', 'base']);
    if (p.help) {
      io.stdout(REPORT_HELP);
      return 0;
    }
    const profile = choice(p.flags, 'profile', PROFILES, Profile.PRODUCTION);
    const kubernetesVersion = targetFlag(p.flags, io);
    const base = p.flags.get('base');
    if (base !== undefined && p.paths.length > 1) throw new UsageError('report --base takes one directory (compared with the same one at the revision)');
    const paths = base !== undefined && p.paths.length === 0 ? ['.'] : p.paths;
    if (paths.length === 0) throw new UsageError('report needs at least one file or directory');
    return await writeReport({ paths, output: p.flags.get('output') ?? 'report.html', title: p.flags.get('title'), profile, kubernetesVersion, version: VERSION, base }, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`seaworthy: ${e.message}\nRun "seaworthy --help" for usage.\n`);
      return 2;
    }
    throw e;
  }
}

/** The process entry point. */
export function main(): void {
  void runAsync(process.argv.slice(2), {
    stdout: t => process.stdout.write(t),
    stderr: t => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  }).then(code => { process.exitCode = code; });
}
