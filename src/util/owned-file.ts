import * as fs from 'fs';
import * as path from 'path';

/** A file in the way that seaworthy did not write: it is left as it is. */
export class NotOursError extends Error {
  constructor(readonly file: string, what: string) {
    super(`refusing to replace ${file}: it is not ${what} seaworthy wrote; move it away or choose another path`);
    this.name = 'NotOursError';
  }
}

/** One file to write: where, and its text. */
export interface OwnedFile {
  readonly file: string;
  readonly content: string;
}

/**
 * Writes each file in one step — a temporary file beside it, then a rename, so a reader never
 * sees half a file and a failed write leaves the old one — replacing an existing file only when
 * `ours(existing)` says seaworthy wrote it. Every file is checked before any is written: one in
 * the way is a `NotOursError`, and nothing is written.
 *
 * @param what what the files are, for the error ("an admission policy file")
 */
export function writeOwnedFiles(files: readonly OwnedFile[], ours: (existing: string) => boolean, what: string): void {
  for (const { file } of files) {
    const existing = readIfPresent(file);
    if (existing !== undefined && !ours(existing)) throw new NotOursError(file, what);
  }
  for (const { file, content } of files) {
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
      fs.writeFileSync(temp, content, { flag: 'wx' });
      fs.renameSync(temp, file);
    } catch (e) {
      fs.rmSync(temp, { force: true });
      throw e;
    }
  }
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return undefined;
  }
}
