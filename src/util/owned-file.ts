import * as fs from 'fs';
import * as path from 'path';

/** A file in the way that seaworthy did not write: it is left as it is. */
export class NotOursError extends Error {
  constructor(readonly file: string, what: string) {
    super(`refusing to replace ${file}: it is not ${what} seaworthy wrote; move it away or choose another path`);
    this.name = 'NotOursError';
  }
}

/**
 * Writes `content` to `file` in one step — a temporary file beside it, then a rename, so a reader
 * never sees half a file and a failed write leaves the old one — replacing an existing file only
 * when `ours(existing)` says seaworthy wrote it (else a `NotOursError`, nothing written).
 *
 * @param what what the file is, for the error ("an admission policy file")
 */
export function writeOwnedFile(file: string, content: string, ours: (existing: string) => boolean, what: string): void {
  let existing: string | undefined;
  try {
    existing = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  if (existing !== undefined && !ours(existing)) throw new NotOursError(file, what);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content, { flag: 'wx' });
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}
