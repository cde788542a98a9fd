import { writtenBySeaworthy } from '../manifests/complete-set';
import { LoadFs, loadManifests, problemLine } from '../manifests/load';
import { Profile } from '../rules/profile';
import { Severity } from '../rules/rule';
import { atLeast } from '../rules/severity';
import { KubernetesVersion } from '../target/versions';
import { linesForTerminal } from '../util/escape';
import { audit } from './engine';
import { explain, renderExplanation, renderMermaid } from './explain';
import { AuditFormat, renderAudit } from './render';

/** Where `seaworthy audit` and `explain` write. */
export interface AuditCommandIo {
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

/** `seaworthy audit`, its arguments parsed and validated. */
export interface AuditCommand {
  readonly paths: readonly string[];
  readonly format: AuditFormat;
  readonly profile: Profile;
  /** The lowest severity that exits 1. */
  readonly failOn: Severity;
  readonly kubernetesVersion: KubernetesVersion;
  /** The CLI's version, named in SARIF. */
  readonly version: string;
  /**
   * The manifests are the whole deployment (see `AuditOptions.complete`).
   * @default - only for directories seaworthy wrote
   */
  readonly complete?: boolean;
}

/** Audits the manifests under `cmd.paths` and prints them in `cmd.format`; returns the exit code (2 when input was unreadable, 1 on findings at or above `failOn`). */
export function runAudit(cmd: AuditCommand, io: AuditCommandIo): number {
  const { inputs, problems } = loadManifests(cmd.paths, io.fs);
  const world = cmd.complete === true || writtenBySeaworthy(cmd.paths, io.fs);
  const findings = audit(inputs, { profile: cmd.profile, kubernetesVersion: cmd.kubernetesVersion, complete: world });
  io.stdout(renderAudit(findings, problems, cmd.format, io.isTty && cmd.format === 'table', cmd.version, world));
  if (problems.length > 0) return 2;
  return findings.some(f => atLeast(f.severity, cmd.failOn)) ? 1 : 0;
}

/** Output formats of `seaworthy explain`. */
export type ExplainFormat = 'text' | 'markdown' | 'mermaid';

/** `seaworthy explain`, its arguments parsed and validated. */
export interface ExplainCommand {
  readonly paths: readonly string[];
  readonly format: ExplainFormat;
  readonly profile: Profile;
  readonly kubernetesVersion: KubernetesVersion;
}

/** Explains each workload under `cmd.paths`; returns the exit code (2 when input was unreadable). */
export function runExplain(cmd: ExplainCommand, io: AuditCommandIo): number {
  const { inputs, problems } = loadManifests(cmd.paths, io.fs);
  for (const pr of problems) io.stderr(linesForTerminal(problemLine(pr)) + '\n');
  const items = explain(inputs, { profile: cmd.profile, kubernetesVersion: cmd.kubernetesVersion });
  io.stdout(cmd.format === 'mermaid' ? renderMermaid(items) : linesForTerminal(renderExplanation(items, cmd.format === 'markdown')));
  return problems.length > 0 ? 2 : 0;
}
