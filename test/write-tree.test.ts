import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { SeaworthyError, WebService, writeEnvironments, writeManifests } from '../src';
import { exchangeDirectories } from '../src/synth/exchange';
import { FOREIGN_LOCK_STALE_MS, LOCK_SUFFIX } from '../src/synth/output-lock';
import { REAL_FS, WriteFs } from '../src/synth/write-fs';
import { MARKER, outputNameProblem, writeTree } from '../src/synth/write-tree';
import { apiProps } from './support/props';

/** The write path: the output directory is ours alone, and the swap is atomic or restored. */

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-write-')));

/** Every file under `dir`, relative path → content (symlinks as "-> target"). */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    const rel = prefix ? `${prefix}/${e}` : e;
    const st = fs.lstatSync(p);
    if (st.isDirectory()) Object.assign(out, tree(p, rel));
    else if (st.isSymbolicLink()) out[rel] = `-> ${fs.readlinkSync(p)}`;
    else out[rel] = fs.readFileSync(p, 'utf8');
  }
  return out;
}

const OLD = new Map([['a.k8s.yaml', 'old: a\n'], ['env/b.k8s.yaml', 'old: b\n'], ['gone.k8s.yaml', 'old: gone\n']]);
const NEW = new Map([['a.k8s.yaml', 'new: a\n'], ['env/b.k8s.yaml', 'new: b\n'], ['env/c.k8s.yaml', 'new: c\n'], ['argocd/x.yaml', 'new: x\n']]);
const expected = (files: ReadonlyMap<string, string>) => ({
  ...Object.fromEntries(files),
  [MARKER]: `# written by seaworthy; files it may replace:\n${[...files.keys()].sort().join('\n')}\n`,
});

function ruleOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof SeaworthyError) return e.ruleIds;
    throw e;
  }
  return [];
}

function inDir<T>(dir: string, f: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return f();
  } finally {
    process.chdir(before);
  }
}

/** A project directory with sources, a .git folder and a package.json, as a user's repo. */
function project(): string {
  const root = tmp();
  fs.mkdirSync(path.join(root, '.git'));
  fs.writeFileSync(path.join(root, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  fs.writeFileSync(path.join(root, 'package.json'), '{}\n');
  fs.mkdirSync(path.join(root, 'src'));
  fs.writeFileSync(path.join(root, 'src', 'main.ts'), '// the app\n');
  return root;
}

function app(): ReturnType<typeof Testing.app> {
  const a = Testing.app();
  new WebService(new Chart(a, 'shop', { namespace: 'shop' }), 'api', apiProps());
  return a;
}

describe('the output directory is ours alone (SW-OUTPUT-001)', () => {
  const unsafe: Array<[string, (root: string) => string]> = [
    ['an empty path', () => ''],
    ['a blank path', () => '   '],
    ['"."', () => '.'],
    ['"./"', () => './'],
    ['the current directory, absolute', root => root],
    ['the parent directory', () => '..'],
    ['an ancestor, absolute', root => path.dirname(root)],
    ['the file-system root', () => '/'],
    ['the current directory through a trailing "sub/.."', () => 'src/..'],
    ['a path with NUL', () => 'dist\u0000x'],
  ];
  test.each(unsafe)('refuses %s from a project root, and changes nothing', (_what, outdir) => {
    const root = project();
    const before = tree(root);
    const ids = inDir(root, () => ruleOf(() => writeManifests(app(), outdir(root))));
    expect(ids).toEqual(['SW-OUTPUT-001']);
    expect(tree(root)).toEqual(before);
  });

  test('refuses a project root below the current directory (package.json or .git)', () => {
    const root = tmp();
    for (const marker of ['package.json', '.git']) {
      const dir = path.join(root, `repo-${marker}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, marker), 'x');
      expect(ruleOf(() => writeManifests(app(), dir))).toEqual(['SW-OUTPUT-001']);
      expect(fs.readdirSync(dir)).toEqual([marker]);
    }
  });

  test('refuses a file, and a dangling symbolic link', () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'dist'), 'a file');
    expect(ruleOf(() => writeManifests(app(), path.join(root, 'dist')))).toEqual(['SW-OUTPUT-001']);
    expect(fs.readFileSync(path.join(root, 'dist'), 'utf8')).toBe('a file');
    fs.symlinkSync(path.join(root, 'nowhere'), path.join(root, 'link'));
    expect(ruleOf(() => writeManifests(app(), path.join(root, 'link')))).toEqual(['SW-OUTPUT-001']);
  });

  test('the message names the rule, the field, the value and the fix', () => {
    const root = project();
    const e = inDir(root, () => {
      try {
        writeManifests(app(), '');
      } catch (err) {
        return err as SeaworthyError;
      }
      throw new Error('expected a refusal');
    });
    expect(e.message).toContain('SW-OUTPUT-001 [write] outdir = "": is empty');
    expect(e.message).toContain('Fix: pass a dedicated sub-directory');
  });

  test('a dedicated sub-directory of the project is written, with the marker', () => {
    const root = project();
    expect(inDir(root, () => writeManifests(app(), 'dist'))).toEqual(['shop.k8s.yaml']);
    expect(fs.readdirSync(path.join(root, 'dist')).sort()).toEqual([MARKER, 'shop.k8s.yaml']);
    expect(fs.readFileSync(path.join(root, 'src', 'main.ts'), 'utf8')).toBe('// the app\n');
  });
});

describe('files seaworthy did not write are never replaced (SW-OUTPUT-002)', () => {
  test('a non-empty directory without the marker is refused, then adopted on request', () => {
    const dir = path.join(tmp(), 'dist');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(ruleOf(() => writeManifests(app(), dir))).toEqual(['SW-OUTPUT-002']);
    expect(tree(dir)).toEqual({ 'notes.txt': 'mine' });
    writeManifests(app(), dir, { adopt: true });
    expect(Object.keys(tree(dir))).toEqual([MARKER, 'shop.k8s.yaml']);
    // Adopted: later runs need no option.
    writeManifests(app(), dir);
  });

  test('a file added by hand next to ours is refused, and named', () => {
    const dir = path.join(tmp(), 'dist');
    writeManifests(app(), dir);
    fs.mkdirSync(path.join(dir, 'extra'));
    fs.writeFileSync(path.join(dir, 'extra', 'patch.yaml'), 'mine');
    let message = '';
    try {
      writeManifests(app(), dir);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('SW-OUTPUT-002');
    expect(message).toContain('extra/patch.yaml');
    expect(fs.readFileSync(path.join(dir, 'extra', 'patch.yaml'), 'utf8')).toBe('mine');
  });

  test('an empty directory is written into', () => {
    const dir = path.join(tmp(), 'dist');
    fs.mkdirSync(dir);
    writeManifests(app(), dir);
    expect(Object.keys(tree(dir))).toEqual([MARKER, 'shop.k8s.yaml']);
  });

  test('writeEnvironments applies the same checks', () => {
    const root = project();
    const ids = inDir(root, () => ruleOf(() => writeEnvironments({ environments: [{ name: 'dev' }], build: a => { new WebService(new Chart(a, 'shop', { namespace: 'shop' }), 'api', apiProps()); } }, '')));
    expect(ids).toEqual(['SW-OUTPUT-001']);
  });
});

describe('the directory itself is preserved', () => {
  test('its mode survives the swap', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    fs.chmodSync(dir, 0o750);
    writeTree(NEW, dir);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o750);
    expect(tree(dir)).toEqual(expected(NEW));
  });

  test('a new directory gets the usual mode, not mkdtemp\'s 0700', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(NEW, dir);
    const umask = process.umask();
    expect(fs.statSync(dir).mode & 0o777).toBe(0o777 & ~umask);
  });

  test('a symbolic link stays a link, and its target is written', () => {
    const root = tmp();
    const real = path.join(root, 'real-dist');
    writeTree(OLD, real);
    fs.symlinkSync(real, path.join(root, 'dist'));
    writeTree(NEW, path.join(root, 'dist'));
    expect(fs.lstatSync(path.join(root, 'dist')).isSymbolicLink()).toBe(true);
    expect(tree(real)).toEqual(expected(NEW));
    expect(fs.readdirSync(root).sort()).toEqual(['dist', 'real-dist']);
  });
});

describe('file names stay inside the output directory (SW-OUTPUT-003)', () => {
  const bad = [
    '', '/etc/passwd', '../x.yaml', 'a/../../x.yaml', 'a/./b.yaml', './a.yaml', 'a//b.yaml', 'a/', '..', '.', 'a\\..\\b.yaml',
    'a\u0000.yaml', 'a\n.yaml', 'a\r.yaml', 'a\t.yaml', 'a\u001b[31m.yaml', 'a\u007f.yaml', 'é.yaml', 'a\u2028.yaml', 'a\u202e.yaml',
    'Shop.k8s.yaml', '.hidden.yaml', '-x.yaml', 'a b.yaml', 'a:b.yaml', 'a*b.yaml', MARKER, `${'a'.repeat(256)}.yaml`, 'ａ.yaml', 'a\u00a0.yaml',
  ];
  test.each(bad.map(b => [JSON.stringify(b), b]))('refuses %s before touching the disk', (_shown, name) => {
    const dir = path.join(tmp(), 'dist');
    expect(outputNameProblem(name)).toBeDefined();
    expect(ruleOf(() => writeTree(new Map([[name, 'x']]), dir))).toEqual(['SW-OUTPUT-003']);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('a name that is both a file and a folder is refused', () => {
    expect(ruleOf(() => writeTree(new Map([['a', 'x'], ['a/b.yaml', 'y']]), path.join(tmp(), 'dist')))).toEqual(['SW-OUTPUT-003']);
  });

  test.each(['a.k8s.yaml', 'dev/shop.k8s.yaml', 'argocd/platform-dev.yaml', '0000-a.k8s.yaml', 'a_b.yaml'])('accepts %s', name => {
    expect(outputNameProblem(name)).toBeUndefined();
  });
});

/** The system's own exchange, or a system without one (the two-rename fallback). */
const NO_EXCHANGE: WriteFs = { ...REAL_FS, exchange: () => false };
const EXCHANGE_AVAILABLE = (() => {
  const d = tmp();
  fs.mkdirSync(path.join(d, 'a'));
  fs.mkdirSync(path.join(d, 'b'));
  fs.writeFileSync(path.join(d, 'a', 'x'), '');
  return REAL_FS.exchange(path.join(d, 'a'), path.join(d, 'b')) && fs.existsSync(path.join(d, 'b', 'x'));
})();
const SWAPS: Array<[string, WriteFs]> = [['atomic exchange', REAL_FS], ['two renames', NO_EXCHANGE]];

test('the atomic exchange is available on Linux (CI) and swaps two directories in one step', () => {
  if (process.platform !== 'linux' && process.env.CI !== 'true') return;
  expect(EXCHANGE_AVAILABLE).toBe(true);
  const d = tmp();
  fs.mkdirSync(path.join(d, 'a'));
  fs.mkdirSync(path.join(d, 'b'));
  fs.writeFileSync(path.join(d, 'a', 'from-a'), '');
  fs.writeFileSync(path.join(d, 'b', 'from-b'), '');
  expect(REAL_FS.exchange(path.join(d, 'a'), path.join(d, 'b'))).toBe(true);
  expect(fs.readdirSync(path.join(d, 'a'))).toEqual(['from-b']);
  expect(fs.readdirSync(path.join(d, 'b'))).toEqual(['from-a']);
  // A vanished path is an error, not "unsupported": the caller must not fall back blindly.
  expect(() => REAL_FS.exchange(path.join(d, 'a'), path.join(d, 'missing'))).toThrow(/ENOENT/);
});

test('without perl, the exchange is made through python3; with neither, it reports "unsupported" and changes nothing', () => {
  if (process.platform !== 'linux' && process.env.CI !== 'true') return;
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout.trim();
  const bin = tmp();
  fs.symlinkSync(python, path.join(bin, 'python3'));
  const d = tmp();
  fs.mkdirSync(path.join(d, 'a'));
  fs.mkdirSync(path.join(d, 'b'));
  fs.writeFileSync(path.join(d, 'a', 'from-a'), '');
  expect(exchangeDirectories(path.join(d, 'a'), path.join(d, 'b'), { PATH: bin })).toBe(true);
  expect(fs.readdirSync(path.join(d, 'b'))).toEqual(['from-a']);
  expect(exchangeDirectories(path.join(d, 'a'), path.join(d, 'b'), { PATH: tmp() })).toBe(false);
  expect(fs.readdirSync(path.join(d, 'b'))).toEqual(['from-a']);
  // A shim that cannot find its interpreter (pyenv without that version, macOS's python3 stub) is "unavailable", not an error.
  const shims = tmp();
  fs.writeFileSync(path.join(shims, 'python3'), '#!/bin/sh\necho "pyenv: python3: command not found" >&2\nexit 127\n', { mode: 0o755 });
  expect(exchangeDirectories(path.join(d, 'a'), path.join(d, 'b'), { PATH: shims })).toBe(false);
  expect(fs.readdirSync(path.join(d, 'b'))).toEqual(['from-a']);
});

/** A file system that records every call and fails (or runs a hook) at one of them. */
function faulty(failAt: number, warnings: string[] = [], base: WriteFs = REAL_FS): { io: WriteFs; calls: string[] } {
  const calls: string[] = [];
  const io = {} as Record<string, unknown>;
  for (const [name, fn] of Object.entries(base) as Array<[keyof WriteFs, (...a: unknown[]) => unknown]>) {
    io[name] = (...args: unknown[]) => {
      if (name === 'warn') {
        warnings.push(String(args[0]));
        return undefined;
      }
      calls.push(`${name} ${args.map(a => (typeof a === 'string' ? path.basename(a) : typeof a)).join(' ')}`);
      if (calls.length === failAt) throw Object.assign(new Error(`injected failure at ${name}`), { code: 'EIO' });
      return fn(...args);
    };
  }
  return { io: io as unknown as WriteFs, calls };
}

const siblings = (dir: string) => fs.readdirSync(path.dirname(dir)).sort();

describe.each(SWAPS)('fault injection at every file-system call of the write path (%s)', (_mode, base) => {
  // Dry runs count the calls of each scenario: first write, and replacing an existing tree.
  const count = (prepare: boolean) => {
    const dir = path.join(tmp(), 'dist');
    if (prepare) writeTree(OLD, dir);
    const { io, calls } = faulty(0, [], base);
    writeTree(NEW, dir, {}, io);
    return calls;
  };
  const replaceCalls = count(true);
  const firstCalls = count(false);
  const atomic = base === REAL_FS && EXCHANGE_AVAILABLE;

  test('the scenarios exercise every kind of call', () => {
    const kinds = new Set(replaceCalls.map(c => c.split(' ')[0]));
    for (const k of ['lstat', 'realpath', 'readdir', 'readFile', 'mkdir', 'writeFile', 'chmod', 'exchange', 'rm']) expect(kinds).toContain(k);
    if (!atomic) expect(kinds).toContain('rename');
    expect(replaceCalls.length).toBeGreaterThan(20);
  });

  test.each(replaceCalls.map((c, i) => [i + 1, c]))('replacing: failure at call %i (%s) leaves the old or the new tree, and the next run repairs', (at, _call) => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const warnings: string[] = [];
    const { io } = faulty(at as number, warnings, base);
    let threw = false;
    try {
      writeTree(NEW, dir, {}, io);
    } catch {
      threw = true;
    }
    const now = tree(dir);
    if (threw) expect(now).toEqual(expected(OLD));
    else expect(now).toEqual(expected(NEW));
    // Only the last steps (removing the previous tree, releasing the lock) may fail without an error: a warning.
    if (!threw) expect(warnings.join('\n')).toMatch(/could not remove/);
    writeTree(NEW, dir);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
  });

  test.each(firstCalls.map((c, i) => [i + 1, c]))('first write: failure at call %i (%s) leaves nothing or the new tree', (at, _call) => {
    const dir = path.join(tmp(), 'dist');
    const warnings: string[] = [];
    const { io } = faulty(at as number, warnings, base);
    let threw = false;
    try {
      writeTree(NEW, dir, {}, io);
    } catch {
      threw = true;
    }
    if (threw) expect(fs.existsSync(dir)).toBe(false);
    else expect(tree(dir)).toEqual(expected(NEW));
    if (!threw) expect(warnings.join('\n')).toMatch(/could not remove/);
    writeTree(NEW, dir);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
  });

  test('a cleanup failure after a successful swap is a warning, not an error', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const warnings: string[] = [];
    const cleanup = replaceCalls.findIndex(c => (atomic ? /^rm dist\.staging-/ : /^rm dist\.previous-/).test(c)) + 1;
    expect(cleanup).toBeGreaterThan(0);
    const { io } = faulty(cleanup, warnings, base);
    expect(() => writeTree(NEW, dir, {}, io)).not.toThrow();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/could not remove the previous tree/);
    expect(tree(dir)).toEqual(expected(NEW));
  });

  test('leftovers that are not ours (no marker) are left alone', () => {
    const dir = path.join(tmp(), 'dist');
    const stranger = `${dir}.previous-0123456789ab`;
    fs.mkdirSync(stranger);
    fs.writeFileSync(path.join(stranger, 'keep.txt'), 'not ours');
    writeTree(NEW, dir, {}, base);
    expect(tree(stranger)).toEqual({ 'keep.txt': 'not ours' });
  });
});

/** Every directory under `dir` (and `dir`) set to `mode`, deepest first: a checkout with read-only directories. */
function chmodDirs(dir: string, mode: number): void {
  for (const e of fs.readdirSync(dir)) {
    const p = path.join(dir, e);
    if (fs.lstatSync(p).isDirectory()) chmodDirs(p, mode);
  }
  fs.chmodSync(dir, mode);
}

/** The modes of every directory under `dir`, by relative path. */
function dirModes(dir: string, prefix = '.'): Record<string, number> {
  const out: Record<string, number> = { [prefix]: fs.lstatSync(dir).mode & 0o7777 };
  for (const e of fs.readdirSync(dir)) {
    const p = path.join(dir, e);
    if (fs.lstatSync(p).isDirectory()) Object.assign(out, dirModes(p, `${prefix}/${e}`));
  }
  return out;
}

/**
 * `base`, except that `rm` refuses as the kernel refuses a normal user: removing a directory's
 * entries needs read, write and search permission on it. Root is never refused, so without this
 * the read-only tests would pass as root whatever the write path does.
 */
function asNormalUser(base: WriteFs): WriteFs {
  const check = (p: string): void => {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    if (!st?.isDirectory()) return;
    const entries = fs.readdirSync(p);
    if (entries.length > 0 && (st.mode & 0o700) !== 0o700) throw Object.assign(new Error(`EACCES: permission denied, unlink '${path.join(p, entries[0])}'`), { code: 'EACCES' });
    for (const e of entries) check(path.join(p, e));
  };
  return { ...base, rm: p => { check(p); base.rm(p); } };
}

describe.each(SWAPS)('a read-only previous tree (a checkout with 0555 directories) (%s)', (_mode, base) => {
  const user = (warnings: string[]): WriteFs => ({ ...asNormalUser(base), warn: m => { warnings.push(m); } });

  test('is replaced, and nothing is left beside the output directory', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    chmodDirs(dir, 0o555);
    const warnings: string[] = [];
    writeTree(NEW, dir, {}, user(warnings));
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
    expect(warnings).toEqual([]);
    // The directory keeps its mode, and the next run replaces it again.
    expect(fs.statSync(dir).mode & 0o777).toBe(0o555);
    writeTree(OLD, dir, {}, user(warnings));
    expect(tree(dir)).toEqual(expected(OLD));
    expect(siblings(dir)).toEqual(['dist']);
    expect(warnings).toEqual([]);
  });

  test('a leftover of ours with sub-directories without any permission (0000) is removed too', () => {
    // (The output directory itself must stay readable: what cannot be read cannot be proven ours.)
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const leftover = `${dir}.staging-0123456789ab`;
    fs.cpSync(dir, leftover, { recursive: true });
    fs.chmodSync(path.join(leftover, 'env'), 0o000);
    const warnings: string[] = [];
    writeTree(NEW, dir, {}, user(warnings));
    expect(siblings(dir)).toEqual(['dist']);
    expect(warnings).toEqual([`seaworthy: removed dist.staging-0123456789ab beside ${dir}, left by an earlier run that was interrupted or could not clean up`]);
  });

  test('leftovers of an interrupted run are removed by the next run before anything else, which says so in one line', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    for (const e of ['dist.staging-0123456789ab', 'dist.previous-ba9876543210']) {
      const leftover = path.join(path.dirname(dir), e);
      fs.cpSync(dir, leftover, { recursive: true });
      chmodDirs(leftover, 0o555);
    }
    const warnings: string[] = [];
    const io = user(warnings);
    // Before anything else: the leftovers are gone when the ownership check reads the marker.
    let atCheck: string[] | undefined;
    writeTree(NEW, dir, {}, { ...io, readFile: p => { if (p === path.join(dir, MARKER)) atCheck ??= siblings(dir); return io.readFile(p); } });
    expect(atCheck).toEqual(['dist', 'dist.seaworthy-lock']);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
    expect(warnings).toEqual([`seaworthy: removed dist.previous-ba9876543210, dist.staging-0123456789ab beside ${dir}, left by an earlier run that was interrupted or could not clean up`]);
    warnings.length = 0;
    writeTree(OLD, dir, {}, io);
    expect(warnings).toEqual([]);
  });

  test('a read-only leftover that is not ours (no marker) is left alone, its modes untouched', () => {
    const dir = path.join(tmp(), 'dist');
    const stranger = `${dir}.staging-0123456789ab`;
    fs.mkdirSync(path.join(stranger, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(stranger, 'sub', 'keep.txt'), 'not ours');
    chmodDirs(stranger, 0o555);
    const warnings: string[] = [];
    writeTree(NEW, dir, {}, user(warnings));
    expect(tree(stranger)).toEqual({ 'sub/keep.txt': 'not ours' });
    expect(dirModes(stranger)).toEqual({ '.': 0o555, './sub': 0o555 });
    expect(warnings).toEqual([]);
  });

  test('an adopted read-only tree is replaced; a directory outside it, linked from it, is not touched', () => {
    const root = tmp();
    const outside = path.join(root, 'elsewhere');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'keep.txt'), 'not ours');
    fs.chmodSync(outside, 0o555);
    const dir = path.join(root, 'dist');
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'sub', 'a.k8s.yaml'), 'from cdk8s synth\n');
    fs.symlinkSync(outside, path.join(dir, 'sub', 'link'));
    chmodDirs(dir, 0o555);
    const warnings: string[] = [];
    writeTree(NEW, dir, { adopt: true }, user(warnings));
    expect(tree(dir)).toEqual(expected(NEW));
    expect(fs.readdirSync(root).sort()).toEqual(['dist', 'elsewhere']);
    expect(warnings).toEqual([]);
    expect(dirModes(outside)).toEqual({ '.': 0o555 });
    expect(tree(outside)).toEqual({ 'keep.txt': 'not ours' });
  });

  test('a leftover that cannot be removed is a one-line warning, and the run still writes the tree', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const leftover = `${dir}.previous-0123456789ab`;
    fs.cpSync(dir, leftover, { recursive: true });
    const warnings: string[] = [];
    writeTree(NEW, dir, {}, { ...base, rm: p => { if (p === leftover) throw Object.assign(new Error('EBUSY: resource busy'), { code: 'EBUSY' }); base.rm(p); }, warn: m => { warnings.push(m); } });
    expect(tree(dir)).toEqual(expected(NEW));
    expect(warnings).toEqual([`seaworthy: could not remove dist.previous-0123456789ab (EBUSY: resource busy) beside ${dir}, left by an earlier run; check and remove it by hand`]);
  });
});

/**
 * The same, for real, as a normal user: directly when the tests do not run as root, else as
 * "nobody" through setpriv (skipped only as root on a system without setpriv).
 */
describe('a read-only previous tree, written by a normal user', () => {
  const child = path.join(__dirname, 'support', 'write-child.js');
  const root = process.getuid?.() === 0;
  const setpriv = root ? ['/usr/bin/setpriv', '/bin/setpriv'].find(p => fs.existsSync(p)) : undefined;
  const NOBODY = 65534;
  const runnable = process.platform === 'linux' && (!root || setpriv !== undefined);
  const run = (dir: string, files: ReadonlyMap<string, string>) => {
    const json = path.join(path.dirname(dir), 'files.json');
    fs.writeFileSync(json, JSON.stringify(Object.fromEntries(files)));
    const [cmd, ...args] = root
      ? [setpriv!, `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', '--', process.execPath, child, dir, json]
      : [process.execPath, child, dir, json];
    return spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, KEEP_WARNINGS: '1' } });
  };
  const chownAll = (p: string) => {
    if (!root) return;
    fs.lchownSync(p, NOBODY, NOBODY);
    if (fs.lstatSync(p).isDirectory()) for (const e of fs.readdirSync(p)) chownAll(path.join(p, e));
  };

  (runnable ? test : test.skip)('is replaced with nothing left beside it, and a leftover is removed by the next run with one line on stderr', () => {
    const parent = tmp();
    const dir = path.join(parent, 'dist');
    writeTree(OLD, dir);
    chmodDirs(dir, 0o555);
    chownAll(parent);
    const first = run(dir, NEW);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'files.json']);

    const leftover = `${dir}.staging-0123456789ab`;
    fs.cpSync(dir, leftover, { recursive: true });
    chmodDirs(leftover, 0o555);
    chownAll(parent);
    const second = run(dir, OLD);
    expect(second.status).toBe(0);
    expect(second.stderr).toBe(`seaworthy: removed dist.staging-0123456789ab beside ${dir}, left by an earlier run that was interrupted or could not clean up\n`);
    expect(tree(dir)).toEqual(expected(OLD));
    expect(fs.readdirSync(parent).sort()).toEqual(['dist', 'files.json']);
  });
});

describe('one run writes an output directory at a time (SW-OUTPUT-004)', () => {
  const lockOf = (dir: string) => `${dir}${LOCK_SUFFIX}`;

  test('a lock held by a live process on this host refuses the run before anything is touched', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    fs.writeFileSync(lockOf(dir), `${process.ppid} ${os.hostname()} abc\n`);
    expect(ruleOf(() => writeTree(NEW, dir))).toEqual(['SW-OUTPUT-004']);
    expect(() => writeTree(NEW, dir)).toThrow(/another run .*holds "\d+ /);
    expect(tree(dir)).toEqual(expected(OLD));
    expect(fs.readFileSync(lockOf(dir), 'utf8')).toBe(`${process.ppid} ${os.hostname()} abc\n`);
  });

  test('a lock from another host is not guessed stale while it is fresh, and taken over once it is 10 minutes old', () => {
    const dir = path.join(tmp(), 'dist');
    fs.writeFileSync(lockOf(dir), '1 some-other-host abc\n');
    expect(ruleOf(() => writeTree(NEW, dir))).toEqual(['SW-OUTPUT-004']);
    expect(fs.existsSync(dir)).toBe(false);
    const old = (Date.now() - FOREIGN_LOCK_STALE_MS - 60_000) / 1000;
    fs.utimesSync(lockOf(dir), old, old);
    writeTree(NEW, dir);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
  });

  test('a lock from another host is honoured at 9 min 59 s old, whatever its process id means here, and taken over at 10 min 1 s', () => {
    const dir = path.join(tmp(), 'dist');
    // A process id that is not running on this host: another host's lock is judged by age alone.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const held = `${dead} some-other-host abc\n`;
    fs.writeFileSync(lockOf(dir), held);
    const age = (seconds: number) => {
      const t = (Date.now() - seconds * 1000) / 1000;
      fs.utimesSync(lockOf(dir), t, t);
    };
    age(9 * 60 + 59);
    expect(ruleOf(() => writeTree(NEW, dir))).toEqual(['SW-OUTPUT-004']);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readFileSync(lockOf(dir), 'utf8')).toBe(held);
    age(10 * 60 + 1);
    writeTree(NEW, dir);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
  });

  test('a lock this process holds right now is not a leftover of it: a second write of the same directory meanwhile is refused', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const inner: string[][] = [];
    const nested = (): void => { inner.push(ruleOf(() => writeTree(NEW, dir))); };
    const io: WriteFs = { ...REAL_FS, exchange: (a, b) => (nested(), REAL_FS.exchange(a, b)), rename: (a, b) => (inner.length === 0 && nested(), REAL_FS.rename(a, b)) };
    writeTree(OLD, dir, {}, io);
    expect(inner).toEqual([['SW-OUTPUT-004']]);
    expect(tree(dir)).toEqual(expected(OLD));
    expect(siblings(dir)).toEqual(['dist']);
  });

  test('a stale lock another run replaced between our read and our rename is given back, and this run is refused', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(lockOf(dir), `${dead} ${os.hostname()} abc\n`);
    const other = `${process.ppid} ${os.hostname()} def\n`;
    const io: WriteFs = {
      ...REAL_FS,
      rename: (from, to) => {
        // The other run took the stale lock over first: its own lock is now at the path.
        if (from === lockOf(dir)) fs.writeFileSync(lockOf(dir), other);
        REAL_FS.rename(from, to);
      },
    };
    expect(ruleOf(() => writeTree(NEW, dir, {}, io))).toEqual(['SW-OUTPUT-004']);
    expect(fs.readFileSync(lockOf(dir), 'utf8')).toBe(other);
    expect(tree(dir)).toEqual(expected(OLD));
    expect(siblings(dir)).toEqual(['dist', 'dist.seaworthy-lock']);
  });

  test('a stale lock set aside by a run killed before removing it is removed by the next run; other files are not', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    fs.writeFileSync(`${lockOf(dir)}.stale-0123456789ab`, '1 host abc\n');
    fs.writeFileSync(`${lockOf(dir)}.stale-notes`, 'mine\n');
    writeTree(NEW, dir);
    expect(siblings(dir)).toEqual(['dist', 'dist.seaworthy-lock.stale-notes']);
  });

  test('a lock left by a process that died is taken over, and released after the run', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    fs.writeFileSync(lockOf(dir), `${dead.stdout} ${os.hostname()} abc\n`);
    writeTree(NEW, dir);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
  });

  test('a lock this process failed to release is taken over by its next run', () => {
    const dir = path.join(tmp(), 'dist');
    fs.writeFileSync(lockOf(dir), `${process.pid} ${os.hostname()} 0123456789ab\n`);
    writeTree(NEW, dir);
    expect(tree(dir)).toEqual(expected(NEW));
    expect(siblings(dir)).toEqual(['dist']);
  });

  test('the lock is released when the run fails', () => {
    const dir = path.join(tmp(), 'dist');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(ruleOf(() => writeTree(NEW, dir))).toEqual(['SW-OUTPUT-002']);
    expect(siblings(dir)).toEqual(['dist']);
  });

  test('the lock is taken while the tree is replaced', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    let seen = '';
    const io: WriteFs = { ...REAL_FS, exchange: (a, b) => ((seen = fs.readFileSync(lockOf(dir), 'utf8')), REAL_FS.exchange(a, b)), rename: (a, b) => ((seen ||= fs.readFileSync(lockOf(dir), 'utf8')), REAL_FS.rename(a, b)) };
    writeTree(NEW, dir, {}, io);
    expect(seen).toMatch(new RegExp(`^${process.pid} ${os.hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} [0-9a-f]{12}\n$`));
  });

  test('two processes writing one directory at once: each either writes a whole tree or is refused', () => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const child = path.join(__dirname, 'support', 'write-child.js');
    const files = (m: ReadonlyMap<string, string>) => {
      const f = path.join(tmp(), 'files.json');
      fs.writeFileSync(f, JSON.stringify(Object.fromEntries(m)));
      return f;
    };
    // Many rounds of two children started together; the children pause inside the swap so they overlap.
    const script = `const { spawn } = require('child_process');
      const run = f => new Promise(r => { const c = spawn(process.execPath, [${JSON.stringify(child)}, ${JSON.stringify(dir)}, f], { env: { ...process.env, PAUSE_MS: '30' } }); let err = ''; c.stderr.on('data', d => err += d); c.on('close', code => r({ code, err })); });
      (async () => { const out = []; for (let i = 0; i < 5; i++) out.push(await Promise.all([run(${JSON.stringify(files(OLD))}), run(${JSON.stringify(files(NEW))})])); process.stdout.write(JSON.stringify(out)); })();`;
    const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 120_000 });
    const rounds = JSON.parse(r.stdout) as Array<Array<{ code: number; err: string }>>;
    let refused = 0;
    for (const round of rounds) {
      for (const c of round) {
        if (c.code !== 0) {
          expect(c.err).toMatch(/SW-OUTPUT-004/);
          refused++;
        }
      }
      expect(round.some(c => c.code === 0)).toBe(true);
    }
    expect(refused).toBeGreaterThan(0);
    expect([expected(OLD), expected(NEW)]).toContainEqual(tree(dir));
    expect(siblings(dir)).toEqual(['dist']);
  });
});

describe('a child process killed at each step of the write path', () => {
  const child = path.join(__dirname, 'support', 'write-child.js');
  const run = (dir: string, filesJson: string, killAt = 0) => spawnSync(process.execPath, [child, dir, filesJson], { env: { ...process.env, KILL_AT: String(killAt) }, encoding: 'utf8' });
  const json = (files: ReadonlyMap<string, string>) => {
    const f = path.join(tmp(), 'files.json');
    fs.writeFileSync(f, JSON.stringify(Object.fromEntries(files)));
    return f;
  };
  const oldJson = json(OLD);
  const newJson = json(NEW);
  const probe = (() => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const r = run(dir, newJson);
    return Number(r.stdout);
  })();

  test('the child runs the whole path when not killed', () => {
    expect(probe).toBeGreaterThan(20);
  });

  const steps = Array.from({ length: probe }, (_, i) => i + 1);
  test.each(steps)('killed before call %i: the old or the new tree is at the path (or the next run restores it)', step => {
    const dir = path.join(tmp(), 'dist');
    writeTree(OLD, dir);
    const r = run(dir, newJson, step);
    expect(r.signal).toBe('SIGKILL');
    if (EXCHANGE_AVAILABLE) expect(fs.existsSync(dir)).toBe(true);
    if (fs.existsSync(dir)) {
      expect([expected(OLD), expected(NEW)]).toContainEqual(tree(dir));
    } else {
      // Only without an atomic exchange: killed between the two renames of the swap, only the
      // previous tree exists; the next run restores it before doing anything else.
      const previous = siblings(dir).filter(e => e.startsWith('dist.previous-'));
      expect(previous).toHaveLength(1);
      expect(tree(path.join(path.dirname(dir), previous[0]))).toEqual(expected(OLD));
    }
    const again = run(dir, oldJson);
    expect(again.status).toBe(0);
    expect(tree(dir)).toEqual(expected(OLD));
    expect(siblings(dir)).toEqual(['dist']);
  });
});
