import { Flag, FlagIo } from './flags';
import { printable, UsageError } from './usage';

/** A command line read against a command's flags. */
export interface ParsedArgs {
  /** The arguments that are not flags, in order. */
  readonly operands: readonly string[];
  /** Each flag's value by long name, validated; the default when absent (flags without one are missing). */
  readonly values: ReadonlyMap<string, string>;
  /** Whether `--help` or `-h` was given. */
  readonly help: boolean;
}

/**
 * Reads `args` (after the command) against `flags`: `--name value`, `--name=value` (split at the
 * first `=`), `-x value` for a flag's one-letter alias, `--help`/`-h`; anything else starting
 * with `-` (but `-` itself) is an unknown option. Then validates each flag in the order declared:
 * its `values`, its `check`. Throws a `UsageError` with the first problem.
 */
export function parseArgs(args: readonly string[], flags: readonly Flag[], io: FlagIo): ParsedArgs {
  const operands: string[] = [];
  const given = new Map<string, string>();
  let help = false;
  const set = (flag: Flag, value: string) => {
    if (given.has(flag.name)) throw new UsageError(`--${flag.name} is given twice`);
    given.set(flag.name, value);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const short = a.length === 2 && a[0] === '-' ? flags.find(f => f.short === a[1]) : undefined;
    if (a === '--help' || a === '-h') help = true;
    else if (short) {
      const value = args[++i];
      if (value === undefined || value === '') throw new UsageError(`${a} needs a value`);
      set(short, value);
    } else if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const flag = flags.find(f => f.name === name);
      if (!flag) throw new UsageError(`unknown option --${printable(name)}`);
      if (flag.switch) {
        if (eq >= 0) throw new UsageError(`--${name} takes no value`);
        set(flag, 'true');
        continue;
      }
      const value = eq < 0 ? args[++i] : a.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      set(flag, value);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${printable(a)}`);
    } else {
      operands.push(a);
    }
  }
  const values = new Map<string, string>();
  for (const flag of flags) {
    const raw = given.get(flag.name);
    if (raw === undefined) {
      if (flag.default !== undefined) values.set(flag.name, flag.default);
      continue;
    }
    if (flag.values && !flag.values.includes(raw)) throw new UsageError(`--${flag.name} must be one of ${flag.values.join(', ')} (got ${printable(raw)})`);
    values.set(flag.name, flag.check ? flag.check(raw, io) : raw);
  }
  return { operands, values, help };
}
