import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { synthesize, Tenant, WebService, writeManifests } from '../src';
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
    expect(Object.keys(ours).sort()).toEqual(['hello.k8s.yaml', 'logging.k8s.yaml', 'shop.k8s.yaml']);
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

  test('an app without charts gives no manifests', () => {
    expect(synthesize(Testing.app())).toEqual([]);
  });
});
