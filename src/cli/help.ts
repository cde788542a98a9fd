import { Command } from './commands';
import { Flag } from './flags';

/** The column where a flag's help starts in `<command> --help`. */
const HELP_COLUMN = 36;

/** `seaworthy --help`: a usage line per command, its flags after its operand forms. */
export function overviewHelp(commands: readonly Command[], version: string): string {
  // A set of values already listed is shown as "..." on the lines after.
  const listed = new Set<string>();
  const lines = commands.map(c => {
    const flags = c.flags.filter(f => !c.forms.some(form => form.includes(`--${f.name} `))).map(f => {
      const arg = f.values && listed.has(f.arg) ? '...' : f.arg;
      if (f.values) listed.add(f.arg);
      return f.switch ? `[--${f.name}]` : `[${f.short ? `-${f.short}` : `--${f.name}`} ${arg}]`;
    });
    return `  seaworthy ${c.name} ${[c.forms.join(' | '), ...flags].filter(part => part !== '').join(' ')}`;
  });
  return `seaworthy ${version} — production-readiness rules for Kubernetes manifests

Usage:
${lines.join('\n')}
  seaworthy --version | --help

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or unreadable input.
`;
}

/** `seaworthy <command> --help`: its forms, what it does, every flag with its values, default and help. */
export function commandHelp(c: Command): string {
  const forms = (c.forms.length > 0 ? c.forms : ['']).map(form => `seaworthy ${c.name} ${form === '' ? '' : `${form} `}[options]`);
  const options = c.flags.map(flagHelp);
  return `${forms.join('\n')}\n\n${c.description}\n\nOptions:\n${options.join('\n')}\n${c.footer ? `\n${c.footer}\n` : ''}`;
}

/** One flag's help: `  -o, --output FILE   <help>[: <about>] (default: <default>[, <note>])`, continued under the text. */
function flagHelp(f: Flag): string {
  const name = `  ${f.short ? `-${f.short}, ` : ''}--${f.name}${f.switch ? '' : ` ${f.arg}`}`;
  const shown = f.shownDefault ?? f.default;
  const text = `${f.help}${f.about ? `: ${f.about}` : ''}${shown !== undefined ? ` (default: ${shown}${f.defaultNote ? `, ${f.defaultNote}` : ''})` : ''}`;
  const [first, ...rest] = text.split('\n');
  return [`${name.padEnd(Math.max(HELP_COLUMN, name.length + 3))}${first}`, ...rest.map(line => `${' '.repeat(HELP_COLUMN)}${line}`)].join('\n');
}
