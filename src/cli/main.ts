import * as fs from 'fs';
import * as path from 'path';
import { CliIo, Command, COMMANDS } from './commands';
import { commandHelp, overviewHelp } from './help';
import { parseArgs } from './parse';
import { printable, UsageError } from './usage';

export type { CliIo } from './commands';

/** The package version, from the nearest package.json above this file (src/ in tests, lib/src/ when built). */
function packageVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

const VERSION = packageVersion();

/**
 * The command `args` name, or the exit code when there is none to run: help and version are
 * answered here. Throws a `UsageError` for an unknown command.
 */
function dispatch(args: readonly string[], io: CliIo): Command | number {
  const [name] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(overviewHelp(COMMANDS, VERSION));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const command = COMMANDS.find(c => c.name === name);
  if (!command) throw new UsageError(`unknown command ${printable(name)}`);
  return command;
}

/** Parses the command's arguments against its flags and runs it (or prints its help). */
function invoke(command: Command, args: readonly string[], io: CliIo): number | Promise<number> {
  const parsed = parseArgs(args.slice(1), command.flags, io);
  if (parsed.help) {
    io.stdout(commandHelp(command));
    return 0;
  }
  return command.run({ ...parsed, io, version: VERSION });
}

function usageError(e: unknown, io: CliIo): number {
  if (!(e instanceof UsageError)) throw e;
  io.stderr(`seaworthy: ${e.message}\nRun "seaworthy --help" for usage.\n`);
  return 2;
}

/** Runs the CLI with `args` (without "node seaworthy"); returns the exit code. `report` needs `runAsync()`. */
export function run(args: readonly string[], io: CliIo): number {
  try {
    const command = dispatch(args, io);
    if (typeof command === 'number') return command;
    if (command.async) throw new UsageError(`${command.name} renders asynchronously: call runAsync()`);
    return invoke(command, args, io) as number;
  } catch (e) {
    return usageError(e, io);
  }
}

/** Runs any command, `report` (which renders asynchronously) included; returns the exit code. */
export async function runAsync(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const command = dispatch(args, io);
    if (typeof command === 'number') return command;
    return await invoke(command, args, io);
  } catch (e) {
    return usageError(e, io);
  }
}

/** The process entry point. */
export function main(): void {
  void runAsync(process.argv.slice(2), {
    stdout: t => process.stdout.write(t),
    stderr: t => process.stderr.write(t),
    isTty: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
  }).then(code => { process.exitCode = code; });
}
