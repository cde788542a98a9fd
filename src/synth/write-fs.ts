import * as fs from 'fs';
import { exchangeDirectories } from './exchange';

/**
 * Every file-system call of the write path, in one seam: the fault-injection tests swap it to
 * fail (or kill the process) at each call. Not part of the public API.
 * @internal
 */
export interface WriteFs {
  lstat(p: string): fs.Stats | undefined;
  realpath(p: string): string;
  readdir(p: string): string[];
  readFile(p: string): string;
  mkdir(p: string): void;
  /** Creates `p` (failing if it exists) with `content`: one string, or chunks written in turn. */
  writeFile(p: string, content: string | Iterable<string>): void;
  chmod(p: string, mode: number): void;
  rename(from: string, to: string): void;
  /** Swaps two directories in one step; false (and nothing changed) where the system cannot. */
  exchange(a: string, b: string): boolean;
  rm(p: string): void;
  /** Whether a process of this machine with this id is running (for stale locks). */
  alive(pid: number): boolean;
  warn(message: string): void;
}

/** The real file system. @internal */
export const REAL_FS: WriteFs = {
  lstat: p => {
    try {
      return fs.lstatSync(p);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  },
  realpath: p => fs.realpathSync(p),
  readdir: p => fs.readdirSync(p),
  readFile: p => fs.readFileSync(p, 'utf8'),
  mkdir: p => fs.mkdirSync(p),
  writeFile: (p, content) => {
    if (typeof content === 'string') {
      fs.writeFileSync(p, content, { flag: 'wx' });
      return;
    }
    // Chunk by chunk: the file's whole text never exists in memory at once.
    const fd = fs.openSync(p, 'wx');
    try {
      for (const chunk of content) {
        const bytes = Buffer.from(chunk, 'utf8');
        for (let at = 0; at < bytes.length;) at += fs.writeSync(fd, bytes, at, bytes.length - at);
      }
    } finally {
      fs.closeSync(fd);
    }
  },
  chmod: (p, mode) => fs.chmodSync(p, mode),
  rename: (from, to) => fs.renameSync(from, to),
  exchange: (a, b) => exchangeDirectories(a, b),
  rm: p => fs.rmSync(p, { recursive: true, force: true }),
  alive: pid => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  },
  // One line on stderr (process.emitWarning would add a second, about --trace-warnings).
  warn: message => process.stderr.write(`${message}\n`),
};
