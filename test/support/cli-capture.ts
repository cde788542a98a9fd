import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../src/cli/main';

/** Runs the CLI in-process (stdout a TTY) and returns its exit code and output. */
export function cli(args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: true });
  return { code, stdout, stderr };
}

let hostileDir: string | undefined;
let fileCount = 0;

/** Writes `text` to a new YAML file in this test file's temporary directory; returns its path. */
export function file(text: string): string {
  hostileDir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'sw-hostile-'));
  const f = path.join(hostileDir, `f${fileCount++}.yaml`);
  fs.writeFileSync(f, text);
  return f;
}
