import { App, Chart, Testing } from 'cdk8s';
import { AppConfig, audit, EnvFrom, Findings, PodVolume, Probe, SeaworthyError } from '../src';
import { Worker } from '../src/workloads/worker';
import { WebService } from '../src/workloads/web-service';
import { SMALL } from './support/fixtures';
import { apiProps } from './support/props';
import { KubeObject, only, synthValid, thrownBy } from './support/synth';

const newApp = () => new App({ outdir: Testing.app().outdir });
const chartOf = (app = newApp()) => new Chart(app, 'test', { namespace: 'shop' });
const ids = (e: Error) => (e as SeaworthyError).findings.map(f => `${f.rule.id} ${f.field}`);
const podOf = (objects: KubeObject[]) => only(objects, 'Deployment').spec.template;
const HASH = 'seaworthy.dev/config-hash';

describe('envFrom (DOMAIN §7, the notes\' "prefix: CONFIG_" example)', () => {
  test('GIVEN an AppConfig loaded with a prefix, a ConfigMap and a Secret WHEN synthesized THEN envFrom carries them, schema-valid, and the config hash covers the AppConfig', () => {
    const app = newApp();
    const chart = chartOf(app);
    const config = new AppConfig(chart, 'cfg', { name: 'mycm', data: { LOG_LEVEL: 'info', FEATURE_X: 'on' } });
    new WebService(chart, 'web', apiProps({ envFrom: [config.envFrom({ prefix: 'CONFIG_' }), EnvFrom.configMap('shared-settings', { optional: true }), EnvFrom.secret('api-credentials')] }));
    const template = podOf(synthValid(chart));
    expect(template.spec.containers[0].envFrom).toEqual([
      { prefix: 'CONFIG_', configMapRef: { name: 'mycm' } },
      { configMapRef: { name: 'shared-settings', optional: true } },
      { secretRef: { name: 'api-credentials' } },
    ]);
    expect(template.metadata.annotations[HASH]).toMatch(/^[0-9a-f]{16}$/);
    expect(Findings.of(app).filter(f => /^SW-(ENV|CONFIG|SECRET)-/.test(f.rule.id))).toEqual([]);
  });

  test('a change of the AppConfig content changes the config hash, so the Pods roll', () => {
    const hashWith = (level: string) => {
      const chart = chartOf();
      const config = new AppConfig(chart, 'cfg', { name: 'mycm', data: { LOG_LEVEL: level } });
      new WebService(chart, 'web', apiProps({ envFrom: [config.envFrom()] }));
      return podOf(synthValid(chart)).metadata.annotations[HASH];
    };
    expect(hashWith('info')).not.toEqual(hashWith('debug'));
  });

  test('the config hash depends on the configs\' content, not on the order they are used in or their keys were added in', () => {
    const hashWith = (order: 'ab' | 'ba') => {
      const chart = chartOf();
      const a = new AppConfig(chart, 'a', { name: 'a', data: order === 'ab' ? { X: '1', Y: '2' } : { Y: '2', X: '1' } });
      const b = new AppConfig(chart, 'b', { name: 'b', data: { Z: '3' } });
      const envFrom = order === 'ab' ? [a.envFrom(), b.envFrom()] : [b.envFrom(), a.envFrom()];
      new WebService(chart, 'web', apiProps({ envFrom }));
      return podOf(synthValid(chart)).metadata.annotations[HASH];
    };
    expect(hashWith('ba')).toBe(hashWith('ab'));
  });

  test('a change of binary data added to an AppConfig changes the config hash, so the Pods roll', () => {
    const hashWith = (logo: string) => {
      const chart = chartOf();
      const config = new AppConfig(chart, 'cfg', { name: 'assets', data: { A: 'b' } });
      config.configMap.addBinaryData('logo.png', logo);
      new WebService(chart, 'web', apiProps({ mounts: [{ volume: config.volume(), path: '/srv/assets', readOnly: true }] }));
      return podOf(synthValid(chart)).metadata.annotations[HASH];
    };
    expect(hashWith('iVBORw0KGgo=')).not.toEqual(hashWith('iVBORw0KGgp='));
  });

  test('sidecars take envFrom too', () => {
    const chart = chartOf();
    new WebService(chart, 'web', apiProps({ sidecars: [{ name: 'shipper', image: 'ghcr.io/acme/shipper:1.0.0', size: SMALL, command: ['/shipper'], envFrom: [EnvFrom.configMap('shipper-config')] }] }));
    const spec = podOf(synthValid(chart)).spec;
    expect([...spec.containers, ...(spec.initContainers ?? [])].find((c: KubeObject) => c.name === 'shipper').envFrom).toEqual([{ configMapRef: { name: 'shipper-config' } }]);
  });

  test('a prefix is validated as an env var name; bad sources are SW-ENV-007', () => {
    const chart = chartOf();
    expect(ids(thrownBy(() => new WebService(chart, 'a', apiProps({ name: 'a', envFrom: [EnvFrom.configMap('cm', { prefix: '1CONFIG_' })] }))))).toEqual(['SW-ENV-001 envFrom[0].prefix']);
    expect(ids(thrownBy(() => new WebService(chart, 'b', apiProps({ name: 'b', envFrom: [EnvFrom.secret('Bad_Name')] }))))).toEqual(['SW-ENV-007 envFrom[0].name']);
    expect(ids(thrownBy(() => new WebService(chart, 'c', apiProps({ name: 'c', envFrom: [{ configMapRef: { name: 'cm' } }] as never }))))).toEqual(['SW-ENV-007 envFrom[0]']);
  });

  test('AppConfig keys that are no variable names are reported: skipped (SW-ENV-008), shell-unreadable (SW-ENV-006); the secret detector runs on the prefixed names (SW-ENV-003)', () => {
    const app = newApp();
    const chart = chartOf(app);
    const config = new AppConfig(chart, 'cfg', { name: 'mixed', data: { '1st': 'x', 'app.conf': 'y', 'LEVEL': 'info' } });
    new Worker(chart, 'w', { name: 'w', image: 'ghcr.io/acme/w:1.0.0', size: SMALL, liveness: Probe.exec(['/app/healthcheck']), envFrom: [config.envFrom()] });
    const warnings = Findings.of(app).filter(f => f.rule.id === 'SW-ENV-008' || f.rule.id === 'SW-ENV-006').map(f => `${f.rule.id} ${f.field}`);
    expect(warnings).toEqual(['SW-ENV-008 envFrom[0] (key "1st")', 'SW-ENV-006 envFrom[0] (key "app.conf")']);
    const tokens = new AppConfig(chart, 'tok', { name: 'tokens', data: { VALUE: 'abc' } });
    const e = thrownBy(() => new WebService(chart, 'web', apiProps({ envFrom: [tokens.envFrom({ prefix: 'API_TOKEN_' })] })));
    expect(ids(e)).toEqual(['SW-ENV-003 envFrom[0] (key "VALUE")']);
  });

  test('audit: envFrom of a missing ConfigMap is SW-ENV-005; keys of a ConfigMap in the set are checked with the prefix', () => {
    const deployment = (envFrom: unknown[]) => ({ object: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'a:1', envFrom }] } } },
    } });
    const configMap = { object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mycm', namespace: 'n' }, data: { '9lives': 'x', LEVEL: 'info' } } };
    const found = (inputs: Array<{ object: KubeObject }>) => audit(inputs).filter(f => /^SW-ENV-/.test(f.rule.id)).map(f => `${f.rule.id} ${f.field} ${f.value}`);
    expect(found([deployment([{ configMapRef: { name: 'absent' } }, { configMapRef: { name: 'opt', optional: true } }])])).toEqual(['SW-ENV-005 spec.template.spec.containers[0].envFrom[0].configMapRef.name "absent"']);
    expect(found([configMap, deployment([{ configMapRef: { name: 'mycm' } }])])).toEqual(['SW-ENV-008 spec.template.spec.containers[0].envFrom[0].configMapRef "9lives"']);
    expect(found([configMap, deployment([{ prefix: 'CONFIG_', configMapRef: { name: 'mycm' } }])])).toEqual([]);
  });
});

describe('ConfigMap and Secret volume items, with modes', () => {
  test('GIVEN the notes\' items example WHEN synthesized THEN key → path with a per-item mode and defaultMode, schema-valid', () => {
    const chart = chartOf();
    const config = new AppConfig(chart, 'cfg', { name: 'mycm', data: { key_in_cm: 'listen 8080' } });
    new WebService(chart, 'web', apiProps({ mounts: [
      { volume: config.volume({ volumeName: 'vconfig', items: [{ key: 'key_in_cm', path: 'my.conf', mode: 0o440 }], defaultMode: 0o444 }), path: '/etc/conf.d', readOnly: true },
      { volume: PodVolume.secret('tls', 'api-tls', { items: [{ key: 'tls.key', path: 'keys/tls.key', mode: 0o400 }] }), path: '/etc/tls', readOnly: true },
    ] }));
    const spec = podOf(synthValid(chart)).spec;
    expect(spec.volumes.find((v: KubeObject) => v.name === 'vconfig').configMap).toEqual({ name: 'mycm', items: [{ key: 'key_in_cm', path: 'my.conf', mode: 0o440 }], defaultMode: 0o444 });
    expect(spec.volumes.find((v: KubeObject) => v.name === 'tls').secret).toEqual({ secretName: 'api-tls', items: [{ key: 'tls.key', path: 'keys/tls.key', mode: 0o400 }], defaultMode: 0o440 });
  });

  test('paths must be relative without ".." (SW-CONFIG-002); modes 0–0777 (SW-VOL-001)', () => {
    const chart = chartOf();
    const bad = (name: string, items: unknown[], defaultMode?: number) => ids(thrownBy(() => new WebService(chart, name, apiProps({ name, mounts: [{ volume: PodVolume.configMap('c', 'cm', { items: items as never, defaultMode }), path: '/etc/c' }] }))));
    expect(bad('a', [{ key: 'k', path: '/etc/passwd' }])).toEqual(['SW-CONFIG-002 volumes.c.items[0].path']);
    expect(bad('b', [{ key: 'k', path: 'conf/../../x' }])).toEqual(['SW-CONFIG-002 volumes.c.items[0].path']);
    expect(bad('c', [{ key: 'k', path: '..data' }, { key: '', path: 'ok' }])).toEqual(['SW-CONFIG-002 volumes.c.items[0].path', 'SW-CONFIG-002 volumes.c.items[1].key']);
    expect(bad('d', [{ key: 'k', path: 'k', mode: 0o1777 }], 777)).toEqual(['SW-VOL-001 volumes.c.mode', 'SW-VOL-001 volumes.c.mode']);
  });

  test('audit: the same item checks on any YAML', () => {
    const pod = { object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: {
      containers: [{ name: 'c', image: 'a:1' }],
      volumes: [{ name: 'v', configMap: { name: 'cm', items: [{ key: 'k', path: '../k' }] } }, { name: 'p', projected: { sources: [{ secret: { name: 's', items: [{ key: 'k', path: 'ok/k' }] } }] } }],
    } } };
    expect(audit([pod]).filter(f => f.rule.id === 'SW-CONFIG-002').map(f => f.field)).toEqual(['spec.volumes[0].configMap.items[0].path']);
  });
});

describe('immutable AppConfig', () => {
  test('its name carries the content hash, so a change is a new ConfigMap (no refused update); workloads reference the hashed name', () => {
    const build = (level: string) => {
      const chart = chartOf();
      const config = new AppConfig(chart, 'cfg', { name: 'settings', data: { LOG_LEVEL: level }, immutable: true });
      new WebService(chart, 'web', apiProps({ env: { LOG_LEVEL: config.env('LOG_LEVEL') }, envFrom: [config.envFrom({ prefix: 'APP_' })] }));
      const objects = synthValid(chart);
      return { cm: only(objects, 'ConfigMap'), container: podOf(objects).spec.containers[0] };
    };
    const a = build('info');
    const b = build('debug');
    expect(a.cm.metadata.name).toMatch(/^settings-[0-9a-f]{10}$/);
    expect(a.cm.immutable).toBe(true);
    expect(b.cm.metadata.name).not.toEqual(a.cm.metadata.name);
    expect(a.container.envFrom).toEqual([{ prefix: 'APP_', configMapRef: { name: a.cm.metadata.name } }]);
    expect(a.container.env).toEqual([{ name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: a.cm.metadata.name, key: 'LOG_LEVEL', optional: false } } }]);
  });

  test('its volume keeps the plain name (a DNS label that does not change with the content)', () => {
    const chart = chartOf();
    const config = new AppConfig(chart, 'cfg', { name: 'settings', data: { 'app.conf': 'x' }, immutable: true });
    new WebService(chart, 'web', apiProps({ mounts: [{ volume: config.volume(), path: '/etc/app', readOnly: true }] }));
    const volume = podOf(synthValid(chart)).spec.volumes.find((v: KubeObject) => v.configMap);
    expect(volume).toEqual({ name: 'settings', configMap: { name: config.name, defaultMode: 0o444 } });
  });

  test('a mutable AppConfig keeps its plain name', () => {
    const chart = chartOf();
    expect(new AppConfig(chart, 'cfg', { name: 'settings', data: { A: 'b' } }).name).toBe('settings');
  });

  test('its name does not depend on the order of its keys; any other content gets another name', () => {
    const named = (data: Record<string, string>) => new AppConfig(chartOf(), 'cfg', { name: 'settings', data, immutable: true });
    const forward: Record<string, string> = {};
    const backward: Record<string, string> = {};
    const entries: Array<[string, string]> = [['LOG_LEVEL', 'info'], ['app.conf', 'listen 8080\n'], ['DB_HOST', 'postgres'], ['Z', '']];
    for (const [k, v] of entries) forward[k] = v;
    for (const [k, v] of [...entries].reverse()) backward[k] = v;
    expect(Object.keys(forward)).not.toEqual(Object.keys(backward));
    const a = named(forward);
    const b = named(backward);
    expect(b.name).toBe(a.name);
    expect(b.contentHash()).toBe(a.contentHash());
    // Pinned (sha256 of [["LOG_LEVEL","info"]]): a change of the canonical form would rename every user's immutable ConfigMaps.
    expect(named({ LOG_LEVEL: 'info' }).name).toBe('settings-3e8331a1ad');
    // Keys and values are delimited: moving a character across the boundary is another content.
    expect(named({ ab: 'c' }).name).not.toBe(named({ a: 'bc' }).name);
    expect(named({ a: 'b', c: '' }).name).not.toBe(named({ a: 'b' }).name);
  });

  test('binary data, added through the ConfigMap, is in the content hash too, whatever its order; added to an immutable config it is SW-CONFIG-003', () => {
    const hashOf = (binary: Array<[string, string]>) => {
      const config = new AppConfig(chartOf(), 'cfg', { name: 'settings', data: { A: 'b' } });
      for (const [k, v] of binary) config.configMap.addBinaryData(k, v);
      return config.contentHash();
    };
    const plain = new AppConfig(chartOf(), 'cfg', { name: 'settings', data: { A: 'b' } }).contentHash();
    expect(hashOf([])).toBe(plain);
    expect(hashOf([['logo.png', 'iVBORw0KGgo='], ['font.woff', 'd09GMgABAAA=']])).toBe(hashOf([['font.woff', 'd09GMgABAAA='], ['logo.png', 'iVBORw0KGgo=']]));
    expect(hashOf([['logo.png', 'iVBORw0KGgo=']])).not.toBe(plain);
    expect(hashOf([['logo.png', 'iVBORw0KGgo=']])).not.toBe(hashOf([['logo.png', 'iVBORw0KGgp=']]));
    const chart = chartOf();
    const config = new AppConfig(chart, 'cfg', { name: 'settings', data: { A: 'b' }, immutable: true });
    config.configMap.addBinaryData('logo.png', 'iVBORw0KGgo=');
    expect(ids(thrownBy(() => Testing.synth(chart)))).toEqual(['SW-CONFIG-003 data']);
  });

  test('data added after construction is SW-CONFIG-003 at synth', () => {
    const chart = chartOf();
    const config = new AppConfig(chart, 'cfg', { name: 'settings', data: { A: 'b' }, immutable: true });
    config.configMap.addData('LATE', 'x');
    const e = thrownBy(() => Testing.synth(chart));
    expect(ids(e)).toEqual(['SW-CONFIG-003 data']);
  });
});
