import { spawnSync } from 'child_process';

/**
 * Swaps two directories in one step, through the operating system's atomic exchange:
 * Linux `renameat2(..., RENAME_EXCHANGE)` and macOS `renamex_np(..., RENAME_SWAP)`. Node.js has no
 * binding for either, so the call is made by a helper interpreter that ships with the system:
 * perl's `syscall` on Linux x64 and arm64 (perl-base is part of every Debian and most other
 * systems, and starts in milliseconds), else python3's ctypes (Linux and macOS).
 *
 * Returns true when the two paths were exchanged, false when no helper is available or the file
 * system does not support exchanging (nothing changed then: the caller falls back to two renames).
 * Throws when the exchange itself failed for another reason (permissions, a vanished path).
 * `env` is the environment the helpers are looked up in (PATH) and run with.
 */
export function exchangeDirectories(a: string, b: string, env: NodeJS.ProcessEnv = process.env): boolean {
  for (const helper of helpers()) {
    const r = spawnSync(helper.command, [...helper.args, a, b], { encoding: 'utf8', timeout: 30_000, env });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') continue; // not installed
    if (r.status === 0) return true;
    const errno = (r.stderr ?? '').trim().split(/\s+/)[0];
    // Only a helper that made the call and names its errno has an answer; anything else (a shim
    // that cannot find the interpreter, exit 127, a crash) means this helper is not usable here.
    if (r.status !== 1 || !/^E[A-Z0-9]+$/.test(errno) || UNSUPPORTED_ERRNOS.has(errno)) continue;
    throw Object.assign(new Error(`could not exchange ${a} and ${b}: ${(r.stderr ?? '').trim()}`), { code: errno });
  }
  return false;
}

/** Exit status of a helper that cannot exchange on this system (no such call). */
const UNSUPPORTED = 90;
/** errno names meaning "this file system or kernel cannot exchange": fall back, nothing changed. */
const UNSUPPORTED_ERRNOS = new Set(['EINVAL', 'ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV']);

interface Helper {
  readonly command: string;
  readonly args: readonly string[];
}

// Prints the errno name on failure, so the caller can tell "unsupported" from a real error.
const PYTHON = `
import ctypes, errno, os, sys
libc = ctypes.CDLL(None, use_errno=True)
a, b = (os.fsencode(p) for p in sys.argv[1:3])
if hasattr(libc, "renameat2"):
    r = libc.renameat2(-100, a, -100, b, 2)
elif hasattr(libc, "renamex_np"):
    r = libc.renamex_np(a, b, 2)
else:
    sys.exit(${UNSUPPORTED})
if r != 0:
    e = ctypes.get_errno()
    sys.stderr.write(errno.errorcode.get(e, "EIO") + " " + os.strerror(e) + "\\n")
    sys.exit(1)
`;

/** renameat2's number on the Linux architectures perl's `syscall` is used for. */
const RENAMEAT2: Readonly<Record<string, number>> = { x64: 316, arm64: 276 };

function perl(): Helper | undefined {
  const nr = process.platform === 'linux' ? RENAMEAT2[process.arch] : undefined;
  if (nr === undefined) return undefined;
  const script = `use Errno; my ($a, $b) = @ARGV; my $r = syscall(${nr}, -100, $a, -100, $b, 2); if ($r != 0) { my ($n) = grep { $!{$_} } keys %!; print STDERR (($n // "EIO") . " $!\\n"); exit 1 }`;
  return { command: 'perl', args: ['-e', script] };
}

let cached: readonly Helper[] | undefined;
function helpers(): readonly Helper[] {
  if (cached) return cached;
  if (process.platform !== 'linux' && process.platform !== 'darwin') return (cached = []);
  const p = perl();
  return (cached = [...(p ? [p] : []), { command: 'python3', args: ['-c', PYTHON] }]);
}
