import { SHELLS } from '../rules/families/containers';
import { orElse, present } from './cel';

/**
 * SW-CONTAINER-002 in CEL, over one container `c`, read as src/rules/families/containers.ts
 * `shellScriptArgsProblem` reads a command line: the arguments are joined with NUL (which no
 * argument can hold) and matched with RE2 patterns, since CEL can neither index a list by a
 * position it found nor capture the script out of a match.
 */

/** JavaScript's `\s` (and what `trim()` removes) inside an RE2 class: RE2's own `\s` lacks \v and the Unicode spaces. */
const WS = '\\s\\x0B\\pZ\\x{FEFF}';
/** What makes a script more than one word, besides white space. */
const SPECIAL = ';&|$\\x60()<>';
/** The first argument naming a shell, with or without a path. */
const SHELL = `^(?:[^\\x00]*/)?(?:${[...SHELLS].join('|')})`;
/** An option cluster holding -c (`SHELL_C_FLAG`). */
const FLAG = '-[a-z]*c[a-z]*';
/** An argument that is not such a cluster. */
const NOT_FLAG = '(?:|[^-\\x00][^\\x00]*|-[^\\x00]*[^a-z\\x00][^\\x00]*|-[abd-z]*)';
/** A shell, its arguments up to its first -c cluster, the cluster and an optional `--`: the script comes next. */
const BEFORE_SCRIPT = `${SHELL}(?:\\x00${NOT_FLAG})*\\x00${FLAG}\\x00(?:--\\x00)?`;
/** A one-word script (once trimmed) that does not start with "-". */
const ONE_WORD = `(?:[${WS}]+[^\\x00${WS}${SPECIAL}]*[${WS}]*|[^-\\x00${WS}${SPECIAL}][^\\x00${WS}${SPECIAL}]*[${WS}]*)?`;
/** Any script that does not start with "-". */
const ANY_SCRIPT = '(?:[^-\\x00][^\\x00]*)?';
/** `READS_POSITIONAL` of containers.ts with JavaScript's white space. */
const READS_POSITIONAL = `(?:\\$\\{?[0-9@*#]|\\bshift\\b|\\bgetopts\\b|\\bfor[${WS}]+\\w+[${WS}]*(?:;|\\n|\\bdo\\b))`;

/** A one-word script followed by an argument, or any script followed by two. */
const HANDS_ARGUMENTS = `${BEFORE_SCRIPT}(?:${ONE_WORD}\\x00|${ANY_SCRIPT}\\x00[^\\x00]*\\x00)`;
/** The script reads its positional parameters. */
const READS = `${BEFORE_SCRIPT}[^\\x00]*${READS_POSITIONAL}`;

/** RE2 patterns in CEL string literals. */
const re = (pattern: string) => `'${pattern.replace(/\\/g, '\\\\')}'`;

/** The command line `line` (a CEL list of strings) hands its `sh -c` script arguments the script never reads. */
function handsUnreadArguments(line: string): string {
  return `(${line}.join('\\x00').matches(${re(HANDS_ARGUMENTS)}) && !${line}.join('\\x00').matches(${re(READS)}))`;
}

/** Container `c`'s command line (command and args, or args alone when there is no command) hands a script no unread arguments. */
export const COMMAND_LINE_OK = (() => {
  const command = orElse('c.command', '[]');
  const args = orElse('c.args', '[]');
  return `!${handsUnreadArguments(`(size(${command}) > 0 ? ${command} + ${args} : ${args})`)}`;
})();

/** Container `c`'s probes and lifecycle hooks run no exec command handing a script unread arguments. */
export const HANDLERS_OK = ['readinessProbe', 'livenessProbe', 'startupProbe', 'lifecycle.preStop', 'lifecycle.postStart']
  .map(h => `(!${present(`c.${h}.exec.command`)} || !${handsUnreadArguments(`c.${h}.exec.command`)})`).join(' && ');
