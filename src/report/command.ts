import * as fs from 'fs';
import * as path from 'path';
import { writtenBySeaworthy } from '../manifests/complete-set';
import { LoadFs, loadManifests, LoadProblem, problemLine } from '../manifests/load';
import { Profile } from '../rules/profile';
import { KubernetesVersion } from '../target/versions';
import { diffSinceRevision } from '../diff/command';
import { GitError } from '../diff/git';
import { diffSection } from './diff-section';
import { explainReport } from './report';
import { NotOursError, writeOwnedFiles } from '../util/owned-file';

/** What every page `seaworthy report` writes carries: a file without it is not replaced. */
const REPORT_MARK = '<meta name="generator" content="seaworthy ';

/** Options of `seaworthy report`, parsed. */
export interface ReportCommand {
  readonly paths: readonly string[];
  readonly output: string;
  readonly title?: string;
  readonly profile: Profile;
  readonly kubernetesVersion: KubernetesVersion;
  /** The CLI's version, named in the page. */
  readonly version: string;
  /**
   * A git revision: the report also shows what the working tree's directory changes since then
   * (`seaworthy diff --base`), on top. Needs exactly one directory in `paths`.
   * @default - no diff section
   */
  readonly base?: string;
  /**
   * The manifests are the whole deployment (see `AuditOptions.complete`).
   * @default - only for directories seaworthy wrote
   */
  readonly complete?: boolean;
}

/** Loads the manifests, writes the report and says where; 2 when a file could not be read. */
export async function writeReport(cmd: ReportCommand, io: { stdout: (t: string) => void; stderr: (t: string) => void; fs?: LoadFs }): Promise<number> {
  const started = Date.now();
  const { inputs, problems } = loadManifests(cmd.paths, io.fs);
  const printed = new Set<string>();
  const say = (pr: LoadProblem) => {
    const line = `${problemLine(pr)}\n`;
    if (!printed.has(line)) io.stderr(line);
    printed.add(line);
  };
  problems.forEach(say);
  const outDir = path.dirname(path.resolve(cmd.output));
  const link = (file: string) => encodeURI(path.relative(outDir, path.resolve(file)).split(path.sep).join('/'));
  const sections = [];
  if (cmd.base !== undefined) {
    try {
      // The working tree is read again for the diff: its problems are said once, the revision's too.
      const { result, problems: diffProblems } = diffSinceRevision(cmd.base, cmd.paths[0], { profile: cmd.profile, kubernetesVersion: cmd.kubernetesVersion, fs: io.fs });
      diffProblems.forEach(say);
      sections.push(diffSection(result, cmd.base, link));
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      io.stderr(`seaworthy: ${e.message}\n`);
      return 2;
    }
  }
  const html = await explainReport(inputs, {
    sections,
    profile: cmd.profile,
    kubernetesVersion: cmd.kubernetesVersion,
    complete: cmd.complete === true || writtenBySeaworthy(cmd.paths, io.fs),
    title: cmd.title,
    generator: `seaworthy ${cmd.version}`,
    link,
  });
  fs.mkdirSync(outDir, { recursive: true });
  try {
    writeOwnedFiles([{ file: cmd.output, content: html }], existing => existing.includes(REPORT_MARK), 'a report');
  } catch (e) {
    if (!(e instanceof NotOursError)) throw e;
    io.stderr(`seaworthy: ${e.message}\n`);
    return 2;
  }
  io.stdout(`wrote ${cmd.output} (${Math.round(Buffer.byteLength(html) / 1024)} KiB, ${inputs.length} objects) in ${Date.now() - started} ms\n`);
  return printed.size > 0 ? 2 : 0;
}
