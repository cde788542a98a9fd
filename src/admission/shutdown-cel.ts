import { SHELLS } from '../rules/families/containers';
import { orElse } from './cel';

/**
 * SW-SHUTDOWN-002 in CEL, over one container `c`, read as src/pod/shutdown.ts `checkEntrypoint`
 * reads it: the command line is joined with NUL (which no argument can hold) and matched with
 * RE2 patterns, since CEL has no index of a list element.
 */

/** A CEL string literal holding NUL, the separator of the joined arguments. */
const NUL = "'\\x00'";
/** An argument, in an RE2 pattern: anything but NUL. */
const ARG = '[^\\x00]*';
/** The first argument naming a shell, with or without a path. */
const SHELL = `^(?:${ARG}/)?(?:${[...SHELLS].join('|')})`;
/** An option cluster holding -c (`SHELL_C_FLAG`). */
const FLAG = '-[a-z]*c[a-z]*';
/** An argument that is not such a cluster. */
const NOT_FLAG = '(?:|[^-\\x00][^\\x00]*|-[^\\x00]*[^a-z\\x00][^\\x00]*|-[abd-z]*)';
/** A shell, then arguments up to its first -c cluster. */
const SHELL_C = `${SHELL}(?:\\x00${NOT_FLAG})*\\x00${FLAG}`;
/** The script after the -c starts with `exec`, which replaces the shell with the app. */
const EXEC = '\\x00\\s*exec\\s';

/** RE2 patterns in CEL string literals. */
const re = (pattern: string) => `'${pattern.replace(/\\/g, '\\\\')}'`;

/** The joined line `line` (a CEL list of strings) runs a shell with -c, not followed by `exec`. */
function shellWith(line: string): string {
  return `(${line}.join(${NUL}).matches(${re(`${SHELL_C}(?:\\x00|$)`)}) && !${line}.join(${NUL}).matches(${re(`${SHELL_C}${EXEC}`)}))`;
}

/** Arguments `-c <script>` handed to an image entrypoint that is a shell (the script has shell syntax). */
function scriptArgs(args: string): string {
  return `(${args}.join(${NUL}).matches(${re(`^${FLAG}\\x00${ARG}[\\s;&|$\`]${ARG}(?:\\x00|$)`)}) && !${args}.join(${NUL}).matches(${re(`^${FLAG}${EXEC}`)}))`;
}

/** Container `c` does not run its app under a shell as PID 1 (SW-SHUTDOWN-002). */
export const NO_SHELL_ENTRYPOINT = (() => {
  const command = orElse('c.command', '[]');
  const args = orElse('c.args', '[]');
  return `!(size(${command}) > 0 ? ${shellWith(`(${command} + ${args})`)} : size(${args}) > 0 && (${shellWith(args)} || ${scriptArgs(args)}))`;
})();
