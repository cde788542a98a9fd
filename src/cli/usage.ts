import { forTerminal } from '../util/escape';

/** A command line the CLI cannot run: said on stderr with a pointer to `--help`, exit 2. */
export class UsageError extends Error {}

/** A user-supplied string for a message: quoted, escaped, bounded. */
export function printable(s: string): string {
  return forTerminal(JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s));
}
