import { COMMANDS } from '../src/cli/commands';
import { runAsync } from '../src/cli/main';

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runAsync(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: false });
  return { code, stdout, stderr };
}

/** A value each flag accepts. */
const valid = (values: readonly string[] | undefined, name: string) => values?.[values.length - 1] ?? (name === 'kubernetes-version' ? '1.35' : 'x');

const flagsOf = COMMANDS.flatMap(c => c.flags.map(f => [c.name, f.name, f] as const));

describe('the CLI is one table of commands and flags', () => {
  test('the overview names every command, and every flag not in a command\'s forms', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    for (const c of COMMANDS) {
      const line = stdout.split('\n').find(l => l.startsWith(`  seaworthy ${c.name} `));
      expect(line).toBeDefined();
      for (const f of c.flags) expect(line).toContain(f.switch ? `[--${f.name}]` : f.short ? `-${f.short} ` : `--${f.name} `);
    }
  });

  test.each(COMMANDS.map(c => [c.name]))('%s --help lists every flag of the table with its values, default and help', async name => {
    const command = COMMANDS.find(c => c.name === name)!;
    const { code, stdout } = await cli(name, '--help');
    expect(code).toBe(0);
    const options = stdout.slice(stdout.indexOf('Options:\n'));
    for (const f of command.flags) {
      const line = options.split('\n').find(l => l.startsWith(`  ${f.short ? `-${f.short}, ` : ''}--${f.name}${f.switch ? '' : ` ${f.arg}`} `));
      expect(line).toBeDefined();
      expect(line).toContain(f.help.split('\n')[0]);
      const shown = f.shownDefault ?? f.default;
      if (shown !== undefined) expect(options).toContain(`(default: ${shown}`);
    }
    // Nothing in the help that the table does not declare.
    expect(options.split('\n').filter(l => /^ {2}-/.test(l)).length).toBe(command.flags.length);
  });

  test.each(COMMANDS.map(c => [c.name]))('%s: an unknown flag is a usage error', async name => {
    for (const args of [['--nope', 'x'], ['--nope=x'], ['-z', 'x']]) {
      const r = await cli(name, ...args, 'test/fixtures/cli');
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^seaworthy: unknown option (--)?"(nope|-z)"\nRun "seaworthy --help" for usage\.\n$/);
    }
  });

  test.each(flagsOf.filter(([, , f]) => !f.switch).map(([c, f]) => [c, f]))('%s --%s: a missing or repeated value is a usage error; a valid one is not', async (name, flagName) => {
    const f = COMMANDS.find(c => c.name === name)!.flags.find(x => x.name === flagName)!;
    const ok = valid(f.values, f.name);
    expect((await cli(name, `--${f.name}`)).stderr).toContain(`seaworthy: --${f.name} needs a value`);
    expect((await cli(name, `--${f.name}=`)).code).toBe(2);
    expect((await cli(name, `--${f.name}`, ok, `--${f.name}=${ok}`)).stderr).toContain(`seaworthy: --${f.name} is given twice`);
    if (f.short) expect((await cli(name, `-${f.short}`)).stderr).toContain(`seaworthy: -${f.short} needs a value`);
    // Parsed and validated, then help: exit 0 shows the value passed validation.
    expect(await cli(name, `--${f.name}`, ok, '--help')).toMatchObject({ code: 0, stderr: '' });
  });

  test.each(flagsOf.filter(([, , f]) => f.values !== undefined || f.check !== undefined).map(([c, f]) => [c, f]))('%s --%s: a bad value is a usage error', async (name, flagName) => {
    const f = COMMANDS.find(c => c.name === name)!.flags.find(x => x.name === flagName)!;
    const r = await cli(name, `--${f.name}`, 'bogus', 'test/fixtures/cli');
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(f.values ? `seaworthy: --${f.name} must be one of ${f.values.join(', ')} (got "bogus")` : new RegExp(`^seaworthy: --${f.name} `));
  });

  test.each(flagsOf.filter(([, , f]) => f.switch).map(([c, f]) => [c, f]))('%s --%s: a switch takes no value, is given once, and reads as set', async (name, flagName) => {
    expect((await cli(name, `--${flagName}=yes`, 'test/fixtures/cli')).stderr).toContain(`seaworthy: --${flagName} takes no value`);
    expect((await cli(name, `--${flagName}`, `--${flagName}`, 'test/fixtures/cli')).stderr).toContain(`seaworthy: --${flagName} is given twice`);
    expect(await cli(name, `--${flagName}`, '--help')).toMatchObject({ code: 0, stderr: '' });
  });

  test('a value is quoted and escaped in the message, for every command', async () => {
    for (const c of COMMANDS) {
      const r = await cli(c.name, '--profile', 'x\u001b[2J');
      expect(r.stderr).toContain('(got "x\\u001b[2J")');
    }
  });
});
