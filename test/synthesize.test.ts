import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { ApiObject, App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppConfig, Env, synthesize, Tenant, WebService, writeManifests } from '../src';
import { parseManifests } from '../src/manifests/load';
import { buildApp } from '../src/main';
import { apiProps } from './support/props';

function appSynthFiles(app: App): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-synth-'));
  (app as unknown as { outdir: string }).outdir = dir;
  app.synth();
  return Object.fromEntries(fs.readdirSync(dir).sort().map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}

describe('synthesize()', () => {
  test('is byte-identical to App.synth() for the reference app', () => {
    const ours = Object.fromEntries(synthesize(buildApp(Testing.app())).map(m => [m.file, m.yaml]));
    expect(Object.keys(ours).sort()).toEqual(['hello.k8s.yaml', 'infra.k8s.yaml', 'logging.k8s.yaml', 'shop.k8s.yaml']);
    expect(ours).toEqual(appSynthFiles(buildApp(Testing.app())));
  });

  test('names files by index when charts depend on each other, as App.synth() does', () => {
    const build = () => {
      const app = Testing.app();
      const base = new Chart(app, 'base', { namespace: 'a' });
      const top = new Chart(app, 'top', { namespace: 'b' });
      new WebService(base, 'api', apiProps());
      new WebService(top, 'web', apiProps({ name: 'web' }));
      top.addDependency(base);
      return app;
    };
    const ours = synthesize(build());
    expect(ours.map(m => m.file)).toEqual(['0000-base.k8s.yaml', '0001-top.k8s.yaml']);
    expect(Object.fromEntries(ours.map(m => [m.file, m.yaml]))).toEqual(appSynthFiles(build()));
  });

  test('validation errors stop it before anything is written', () => {
    const app = Testing.app();
    const t = new Tenant(app, 'shop', { name: 'shop', quota: { cpu: kplus.Cpu.millis(100), memory: Size.gibibytes(1) } });
    new WebService(t, 'api', apiProps());
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-synth-')), 'out');
    expect(() => writeManifests(app, dir)).toThrow(/SW-NS-002/);
    expect(fs.existsSync(dir)).toBe(false);
  });

  test('fails validation in the words of App.synth(), every construct\'s errors in tree order', () => {
    const build = () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: 'a' });
      new WebService(chart, 'api', apiProps());
      chart.node.addValidation({ validate: () => ['first problem', 'second problem'] });
      new ApiObject(chart, 'x', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }).node.addValidation({ validate: () => ['third problem'] });
      return app;
    };
    const messageOf = (fn: () => unknown): string => {
      try {
        fn();
      } catch (e) {
        return (e as Error).message;
      }
      return 'did not throw';
    };
    const ours = messageOf(() => synthesize(build()));
    expect(ours).toBe('Validation failed with the following errors:\n  [c] first problem\n  [c] second problem\n  [c/x] third problem');
    expect(ours).toBe(messageOf(() => build().synthYaml()));
  });

  test('a dependency declared by a validation orders the objects as App.synth() does', () => {
    const build = () => {
      const app = Testing.app();
      const chart = new Chart(app, 'c', { namespace: 'a' });
      const later = new ApiObject(chart, 'later', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later' } });
      const sooner = new ApiObject(chart, 'sooner', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'sooner' } });
      chart.node.addValidation({ validate: () => { later.addDependency(sooner); return []; } });
      return app;
    };
    const [m] = synthesize(build());
    expect(m.objects.map(o => (o as { metadata: { name: string } }).metadata.name)).toEqual(['sooner', 'later']);
    expect(m.yaml).toBe(build().synthYaml());
  });

  test('orders charts as App.synth() does without building its dependency graph: ids like array indices first', () => {
    // GIVEN charts declared out of numeric order, none depending on another
    const build = () => {
      const app = Testing.app();
      for (const id of ['b', '10', 'a', '2', '0']) new WebService(new Chart(app, id, { namespace: `ns-${id}` }), 'api', apiProps());
      return app;
    };
    // WHEN
    const ours = synthesize(build());
    // THEN the files come in the order and with the bytes App.synth() writes
    expect(ours.map(m => m.file)).toEqual(['0.k8s.yaml', '2.k8s.yaml', '10.k8s.yaml', 'b.k8s.yaml', 'a.k8s.yaml']);
    expect(Object.fromEntries(ours.map(m => [m.file, m.yaml]))).toEqual(appSynthFiles(build()));
  });

  test('orders nested charts as App.synth() does', () => {
    const build = () => {
      const app = Testing.app();
      for (const id of ['b', '3', 'a']) new WebService(new Chart(app, id, { namespace: `ns-${id}` }), 'api', apiProps());
      new WebService(new Chart(app.node.findChild('a'), 'inner', { namespace: 'inner' }), 'api', apiProps());
      return app;
    };
    const ours = synthesize(build());
    expect(ours.map(m => m.file)).toEqual(['0000-3.k8s.yaml', '0001-b.k8s.yaml', '0002-a-inner-c8aa543e.k8s.yaml', '0003-a.k8s.yaml']);
    expect(Object.fromEntries(ours.map(m => [m.file, m.yaml]))).toEqual(appSynthFiles(build()));
  });

  test('orders charts and objects as App.synth() does when constructs depend on each other', () => {
    const build = () => {
      const app = Testing.app();
      const [one, two] = ['one', 'two'].map(id => new Chart(app, id, { namespace: id }));
      const api = new WebService(one, 'api', apiProps());
      const web = new WebService(one, 'web', apiProps({ name: 'web' }));
      const db = new WebService(two, 'db', apiProps({ name: 'db' }));
      api.node.addDependency(web);
      web.node.addDependency(db);
      return app;
    };
    const ours = synthesize(build());
    expect(ours.map(m => m.file)).toEqual(['0000-two.k8s.yaml', '0001-one.k8s.yaml']);
    expect(Object.fromEntries(ours.map(m => [m.file, m.yaml]))).toEqual(appSynthFiles(build()));
  });

  test('renders each object once, though validation (quota, front doors) reads the rendered objects too', () => {
    // GIVEN the reference app (Tenants with quotas, routes through a Gateway), every render counted
    const render = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      const app = buildApp(Testing.app());
      render.mockClear();
      // WHEN
      synthesize(app);
      // THEN
      const perObject = new Map<unknown, number>();
      for (const o of render.mock.contexts) perObject.set(o, (perObject.get(o) ?? 0) + 1);
      expect(perObject.size).toBeGreaterThan(40);
      expect([...perObject.values()].filter(n => n > 1)).toEqual([]);
    } finally {
      render.mockRestore();
    }
  });

  test('app.synth() renders each object once too, though cdk8s validates the app once more per chart', () => {
    // GIVEN the reference app (four charts), every render counted
    const render = jest.spyOn(ApiObject.prototype, 'toJson');
    try {
      const app = buildApp(Testing.app());
      render.mockClear();
      // WHEN
      appSynthFiles(app);
      // THEN
      const perObject = new Map<unknown, number>();
      for (const o of render.mock.contexts) perObject.set(o, (perObject.get(o) ?? 0) + 1);
      expect(app.charts.length).toBeGreaterThan(2);
      expect(perObject.size).toBeGreaterThan(40);
      expect([...perObject.values()].filter(n => n > 1)).toEqual([]);
    } finally {
      render.mockRestore();
    }
  });

  test('a second app.synth() renders afresh: a change made after the first reaches the output', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a', { namespace: 'a' });
    const api = new WebService(chart, 'api', apiProps());
    const first = appSynthFiles(app)['a.k8s.yaml'];
    api.allowFrom(new WebService(chart, 'web', apiProps({ name: 'web' })));
    const second = appSynthFiles(app)['a.k8s.yaml'];
    expect(first).not.toContain('app.kubernetes.io/name: web\n');
    expect(second.length).toBeGreaterThan(first.length);
    expect(second).toEqual(synthesize(app)[0].yaml);
  });

  test('a second synthesis renders afresh: a change made after the first reaches the output', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'a', { namespace: 'a' });
    const api = new WebService(chart, 'api', apiProps());
    const first = synthesize(app)[0].yaml;
    api.allowFrom(new WebService(chart, 'web', apiProps({ name: 'web' })));
    const second = synthesize(app)[0].yaml;
    expect(first).not.toContain('app.kubernetes.io/name: web\n');
    expect(second.length).toBeGreaterThan(first.length);
    expect(second).toEqual(appSynthFiles(app)['a.k8s.yaml']);
  });

  test('an app without charts gives no manifests', () => {
    expect(synthesize(Testing.app())).toEqual([]);
  });

  test('manifests do not keep the construct tree alive', async () => {
    // The objects and the lazily rendered YAML are all a caller needs; a large app's tree
    // (~28 KB per WebService) must be collectable while the YAML is being rendered.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const synthesizeDetached = () => {
      const app = buildApp(Testing.app());
      return { manifests: synthesize(app), tree: new WeakRef(app) };
    };
    const { manifests, tree } = synthesizeDetached();
    // Up to ten turns of the event loop: something asynchronous (measured: up to 3 turns) may hold it for a moment.
    for (let i = 0; i < 10 && tree.deref() !== undefined; i++) {
      await new Promise(resolve => setImmediate(resolve));
      gc();
    }
    expect(tree.deref()).toBeUndefined();
    expect(manifests.map(m => m.yaml).join('')).toContain('kind: Deployment');
  });
});

describe('writeManifests(): atomic output for GitOps', () => {
  const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sw-dist-'));

  test('an app that fails part-way leaves the previous directory untouched', () => {
    const dir = path.join(tmp(), 'dist');
    const good = Testing.app();
    new WebService(new Chart(good, 'a', { namespace: 'a' }), 'api', apiProps());
    writeManifests(good, dir);
    const before = fs.readFileSync(path.join(dir, 'a.k8s.yaml'), 'utf8');
    const bad = Testing.app();
    new WebService(new Chart(bad, 'a', { namespace: 'a' }), 'api', apiProps({ image: 'ghcr.io/acme/api:2.0.0' }));
    const t = new Tenant(bad, 'b', { name: 'b', quota: { cpu: kplus.Cpu.millis(10), memory: Size.gibibytes(1) } });
    new WebService(t, 'web', apiProps({ name: 'web' }));
    expect(() => writeManifests(bad, dir)).toThrow(/SW-NS-002/);
    expect(fs.readdirSync(dir).sort()).toEqual(['.seaworthy-output', 'a.k8s.yaml']);
    expect(fs.readFileSync(path.join(dir, 'a.k8s.yaml'), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
  });

  test('writes each file as synthesize() renders it, a chart larger than a write chunk (1 MiB) and a chart without objects included', () => {
    // GIVEN a chart whose YAML spans several chunks (ConfigMaps of 300 KB each, one multi-line
    // value that cdk8s's own stringify renders), a small chart and an empty one
    const build = () => {
      const app = Testing.app();
      const big = new Chart(app, 'big', { namespace: 'big' });
      for (let i = 0; i < 5; i++) new AppConfig(big, `cfg${i}`, { name: `cfg-${i}`, data: { BLOB: `${i}`.repeat(300_000), ...(i === 2 ? { SCRIPT: 'line one\nline two\n' } : {}) } });
      new WebService(new Chart(app, 'small', { namespace: 'small' }), 'api', apiProps());
      new Chart(app, 'empty');
      return app;
    };
    const dir = path.join(tmp(), 'dist');
    // WHEN
    const written = writeManifests(build(), dir);
    // THEN the files hold exactly synthesize()'s YAML (the same objects, rendered in memory)
    const expected = synthesize(build());
    expect(written).toEqual(expected.map(m => m.file));
    expect(expected[0].yaml.length).toBeGreaterThan(2 ** 20);
    expect(expected.find(m => m.file === 'empty.k8s.yaml')?.yaml).toBe('');
    for (const m of expected) expect(fs.readFileSync(path.join(dir, m.file), 'utf8')).toBe(m.yaml);
  });

  test('a removed chart leaves no stale file behind', () => {
    const dir = path.join(tmp(), 'dist');
    const two = Testing.app();
    new WebService(new Chart(two, 'a', { namespace: 'a' }), 'api', apiProps());
    new WebService(new Chart(two, 'b', { namespace: 'b' }), 'api', apiProps());
    expect(writeManifests(two, dir)).toEqual(['a.k8s.yaml', 'b.k8s.yaml']);
    const one = Testing.app();
    new WebService(new Chart(one, 'a', { namespace: 'a' }), 'api', apiProps());
    writeManifests(one, dir);
    expect(fs.readdirSync(dir).sort()).toEqual(['.seaworthy-output', 'a.k8s.yaml']);
    expect(fs.readdirSync(path.dirname(dir))).toEqual(['dist']);
  });
});

describe('YAML safety', () => {
  test('strings YAML 1.1 would misread survive a round trip through kubectl-style parsing', () => {
    const tricky = ['yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'NO', '0755', '1e3', '~', 'null', '08', 'true', '12:30', '1_000', '0x1F', '.inf', '', ' padded ', 'a: b', '# not a comment', '- item', '{}', '[x]', 'multi\nline'];
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'c' });
    const data = Object.fromEntries(tricky.map((v, i) => [`k${i}`, v]));
    new AppConfig(chart, 'cfg', { name: 'tricky', data });
    new WebService(chart, 'api', apiProps({ env: { MODE: Env.value('on'), LEVEL: Env.value('0755') } }));
    const [manifest] = synthesize(app);
    const { inputs, problems } = parseManifests(manifest.file, manifest.yaml);
    expect(problems).toEqual([]);
    const objects = inputs.map(i => i.object as { kind: string; data?: Record<string, string>; spec?: { template: { spec: { containers: Array<{ env: Array<{ name: string; value?: string }> }> } } } });
    expect(objects.find(o => o.kind === 'ConfigMap')!.data).toEqual(data);
    expect(objects.find(o => o.kind === 'Deployment')!.spec!.template.spec.containers[0].env).toEqual([{ name: 'MODE', value: 'on' }, { name: 'LEVEL', value: '0755' }]);
  });
});
