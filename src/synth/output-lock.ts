// The lock beside an output directory (`<outdir>.seaworthy-lock`): one run writes a directory at a
// time; a lock left by a dead process, or by another host long enough ago, is taken over.
import * as crypto from 'crypto';
import * as os from 'os';
import * as path from 'path';
import { SeaworthyError } from '../errors';
import { OutputRules } from '../rules/families/output';
import { makeFinding } from '../rules/finding';
import { WriteFs } from './write-fs';

/** The lock file beside an output directory, held while one run writes it. */
export const LOCK_SUFFIX = '.seaworthy-lock';

/** A lock this process holds. */
export interface Lock {
  readonly file: string;
  readonly content: string;
  readonly token: string;
}

/** How old a lock written on another host must be to be taken over (a run takes seconds). */
export const FOREIGN_LOCK_STALE_MS = 10 * 60 * 1000;

/** Tokens of the locks this process holds right now. */
const heldLocks = new Set<string>();

/**
 * Takes `<target>.seaworthy-lock` (created exclusively), or throws SW-OUTPUT-004 while another
 * live run on this host holds it. A lock whose process is gone (a run that crashed or was killed)
 * is taken over: it is renamed aside first, so of two runs finding one stale lock only one wins.
 * A lock from another host is taken over once it is FOREIGN_LOCK_STALE_MS old.
 */
export function acquireLock(target: string, outdir: string, io: WriteFs): Lock {
  const file = `${target}${LOCK_SUFFIX}`;
  const token = crypto.randomBytes(6).toString('hex');
  const content = `${process.pid} ${os.hostname()} ${token}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      io.writeFile(file, content);
      heldLocks.add(token);
      return { file, content, token };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let held: string;
    try {
      held = io.readFile(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // released meanwhile
      throw e;
    }
    const [pid, host, heldToken] = held.trim().split(' ');
    // Our own process id: a lock this process left behind (a failed release), unless it is held now.
    const ownLeftover = Number(pid) === process.pid && !heldLocks.has(heldToken);
    const stale = host === os.hostname()
      ? /^[0-9]+$/.test(pid) && (ownLeftover || !io.alive(Number(pid)))
      // Another host (a shared or persisted workspace): its process cannot be asked, so only age tells.
      : Date.now() - (io.lstat(file)?.mtimeMs ?? Date.now()) > FOREIGN_LOCK_STALE_MS;
    if (!stale) break;
    const aside = `${file}.stale-${crypto.randomBytes(6).toString('hex')}`;
    try {
      io.rename(file, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // another run took it over first
      throw e;
    }
    if (io.readFile(aside) !== held) {
      // Another run replaced the stale lock with its own between our read and rename: give it back.
      io.rename(aside, file);
      break;
    }
    io.rm(aside);
  }
  let holder = '';
  try {
    holder = io.readFile(file).trim();
  } catch {
    // released just now; still report the clash
  }
  throw new SeaworthyError([makeFinding(OutputRules.OUTPUT_DIR_BUSY, 'write', 'outdir', outdir, `is being written by another run (${file} holds "${holder}": process id, host and run)`)]);
}

/** Releases `lock` if it is still ours; failing to only warns (the next run takes it over). */
export function releaseLock(lock: Lock, io: WriteFs): void {
  heldLocks.delete(lock.token);
  try {
    if (io.readFile(lock.file) === lock.content) io.rm(lock.file);
  } catch (e) {
    io.warn(`seaworthy: could not remove the lock ${lock.file} (${(e as Error).message}); the next run takes it over`);
  }
}

const STALE_LOCK = /^\.seaworthy-lock\.stale-[0-9a-f]{12}$/;

/** Removes the stale locks beside `target` set aside by a run that was killed before removing them. */
export function removeStaleLocks(target: string, io: WriteFs): void {
  const parent = path.dirname(target);
  const base = path.basename(target);
  const asides = io.readdir(parent).filter(e => e.startsWith(base) && STALE_LOCK.test(e.slice(base.length)));
  for (const e of asides) io.rm(path.join(parent, e));
}
