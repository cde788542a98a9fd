import { Chart, Testing } from 'cdk8s';
import { AppConfig, audit, SeaworthyError } from '../src';
import { MAX_CONFIG_MAP_BYTES } from '../src/rules/families/config';
import { WebService } from '../src/workloads/web-service';
import { apiProps } from './support/props';
import { only, synthValid, thrownBy } from './support/synth';

/** AppConfig binaryData and the 1 MiB a ConfigMap may hold (SW-CONFIG-004), at synthesis and in the audit (issue 27, item 5). */

const chartOf = () => new Chart(Testing.app(), 'test', { namespace: 'shop' });
const errorsOf = (build: () => unknown) => (thrownBy(build) as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.value, f.problem]);
const LOGO = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00]).toString('base64');

describe('binaryData', () => {
  test('rendered as binaryData, schema-valid, in the content hash; an immutable config takes it in its name', () => {
    const chart = chartOf();
    const config = new AppConfig(chart, 'assets', { name: 'assets', data: { 'index.html': '<html></html>' }, binaryData: { 'logo.png': LOGO } });
    new WebService(chart, 'web', apiProps({ mounts: [{ volume: config.volume(), path: '/srv/assets', readOnly: true }] }));
    expect(only(synthValid(chart), 'ConfigMap').binaryData).toEqual({ 'logo.png': LOGO });
    const frozen = (binaryData: Record<string, string>) => new AppConfig(chartOf(), 'assets', { name: 'assets', data: { a: 'b' }, binaryData, immutable: true });
    expect(frozen({ 'logo.png': LOGO }).name).not.toBe(frozen({ 'logo.png': 'AAAA' }).name);
    // Given in the props, binary content is part of the name: no SW-CONFIG-003 (addBinaryData() on an immutable config is one).
    const c = chartOf();
    new AppConfig(c, 'assets', { name: 'assets', data: { a: 'b' }, binaryData: { 'logo.png': LOGO }, immutable: true });
    expect(() => synthValid(c)).not.toThrow();
    // Without binaryData the name is the one of earlier releases.
    expect(new AppConfig(chartOf(), 's', { name: 'settings', data: { LOG_LEVEL: 'info' }, immutable: true }).name).toBe('settings-3e8331a1ad');
  });

  test('plain JavaScript: not base64, a key also in data, a bad key, not an object', () => {
    expect(errorsOf(() => new AppConfig(chartOf(), 'a', { name: 'a', data: { x: '1' }, binaryData: { 'x': LOGO, 'bad key': 'not base64!' } }))).toEqual([
      ['SW-PROPS-001', 'binaryData.x', '"x"', 'is also a key of data; the API server refuses a key in both'],
      ['SW-CONFIG-001', 'binaryData.bad key', '"bad key"', 'is not a valid ConfigMap key: it must consist of alphanumerics, "-", "_" or "."'],
      ['SW-PROPS-001', 'binaryData.bad key', '"not base64!"', 'must be base64 (standard alphabet, padded), e.g. buffer.toString(\'base64\')'],
    ]);
    expect(errorsOf(() => new AppConfig(chartOf(), 'a', { name: 'a', binaryData: 'AAAA' as never })).map(f => f.slice(0, 2))).toEqual([['SW-PROPS-001', 'binaryData']]);
  });
});

describe('SW-CONFIG-004: at most 1 MiB of values', () => {
  test('exactly 1 MiB passes; one byte more stops construction; UTF-8 is counted in bytes, not characters', () => {
    expect(() => new AppConfig(chartOf(), 'a', { name: 'a', data: { big: 'x'.repeat(MAX_CONFIG_MAP_BYTES) } })).not.toThrow();
    expect(errorsOf(() => new AppConfig(chartOf(), 'a', { name: 'a', data: { big: 'x'.repeat(MAX_CONFIG_MAP_BYTES), more: 'y' } }))).toEqual([
      ['SW-CONFIG-004', 'data', '"1048577 bytes"', 'holds 1048577 bytes, more than the 1 MiB (1048576 bytes) the API server accepts in a ConfigMap'],
    ]);
    // 524289 characters of "é" are 1048578 bytes.
    expect(errorsOf(() => new AppConfig(chartOf(), 'a', { name: 'a', data: { text: 'é'.repeat(MAX_CONFIG_MAP_BYTES / 2 + 1) } })).map(f => f[2])).toEqual(['"1048578 bytes"']);
  });

  test('binaryData counts decoded, with data', () => {
    const half = Buffer.alloc(MAX_CONFIG_MAP_BYTES / 2).toString('base64'); // 699052 base64 characters, 524288 bytes
    expect(() => new AppConfig(chartOf(), 'a', { name: 'a', binaryData: { a: half, b: half } })).not.toThrow();
    expect(errorsOf(() => new AppConfig(chartOf(), 'a', { name: 'a', data: { c: 'x' }, binaryData: { a: half, b: half } }))).toEqual([
      ['SW-CONFIG-004', 'data, binaryData', '"1048577 bytes"', 'holds 1048577 bytes (data 1 + binaryData 1048576), more than the 1 MiB (1048576 bytes) the API server accepts in a ConfigMap'],
    ]);
  });

  test('content added through the ConfigMap afterwards is checked at synthesis', () => {
    const chart = chartOf();
    const config = new AppConfig(chart, 'a', { name: 'a', data: { big: 'x'.repeat(MAX_CONFIG_MAP_BYTES) } });
    config.configMap.addData('late', 'y');
    expect(errorsOf(() => Testing.synth(chart)).map(f => f.slice(0, 2))).toEqual([['SW-CONFIG-004', 'data, binaryData']]);
  });

  test('the audit: a ConfigMap of YAML over 1 MiB is an error; at the limit, none', () => {
    const cm = (data: object, binaryData?: object) => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'n' }, data, binaryData } });
    const found = (...objects: ReturnType<typeof cm>[]) => audit(objects).filter(f => f.rule.id === 'SW-CONFIG-004').map(f => [f.field, f.value]);
    expect(found(cm({ a: 'x'.repeat(MAX_CONFIG_MAP_BYTES) }))).toEqual([]);
    expect(found(cm({ a: 'x'.repeat(MAX_CONFIG_MAP_BYTES) }, { b: 'AA==' }))).toEqual([['data, binaryData', '"1048577 bytes"']]);
  });
});
