import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AppConfig, Env, SeaworthyError, WebService } from '../src';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

/** runtime: GOMAXPROCS and the JVM heap from the container's own limits (issue 27, item 5). */

const containerOf = (objects: KubeObject[], name = 'api') => {
  const spec = only(objects, 'Deployment').spec.template.spec;
  return [...spec.containers, ...(spec.initContainers ?? [])].find((c: KubeObject) => c.name === name);
};
const errorsOf = (build: () => unknown) => (thrownBy(build) as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.problem]);

test('GOMAXPROCS from limits.cpu with divisor 1 (500m rounds up to 1), JAVA_TOOL_OPTIONS from the memory limit; schema-valid', () => {
  const { chart } = newChart('shop');
  new WebService(chart, 'api', apiProps({ env: { LOG_LEVEL: Env.value('info') }, runtime: { goMaxProcs: true, jvm: { maxRamPercentage: 75 } } }));
  expect(containerOf(synthValid(chart)).env).toEqual([
    { name: 'LOG_LEVEL', value: 'info' },
    { name: 'GOMAXPROCS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } } },
    { name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=75.0' },
  ]);
});

test('each container reads its own limits: a sidecar asks for itself; jvm takes 75 by default and fractions as given', () => {
  const { chart } = newChart('shop');
  new WebService(chart, 'api', apiProps({
    runtime: { jvm: {} },
    sidecars: [{ name: 'proxy', image: 'ghcr.io/acme/proxy:1.0.0', size: { cpu: kplus.Cpu.units(2), memory: Size.mebibytes(128) }, runtime: { goMaxProcs: true, jvm: { maxRamPercentage: 62.5 } } }],
  }));
  const objects = synthValid(chart);
  expect(containerOf(objects).env).toEqual([{ name: 'JAVA_TOOL_OPTIONS', value: '-XX:MaxRAMPercentage=75.0' }]);
  expect(containerOf(objects, 'proxy').env.map((e: KubeObject) => e.name)).toEqual(['GOMAXPROCS', 'JAVA_TOOL_OPTIONS']);
  expect(containerOf(objects, 'proxy').env[1].value).toBe('-XX:MaxRAMPercentage=62.5');
});

test('SW-ENV-009: never overwrites a variable the container sets itself, in env or from an AppConfig', () => {
  const { chart } = newChart('shop');
  expect(errorsOf(() => new WebService(chart, 'a', apiProps({ name: 'a', env: { GOMAXPROCS: Env.value('4') }, runtime: { goMaxProcs: true } })))).toEqual([
    ['SW-ENV-009', 'env.GOMAXPROCS', 'is set here and by runtime.goMaxProcs; the container must not get two values (drop one of them)'],
  ]);
  const config = new AppConfig(chart, 'cfg', { name: 'jvm', data: { JAVA_TOOL_OPTIONS: '-Xmx1g' } });
  expect(errorsOf(() => new WebService(chart, 'b', apiProps({ name: 'b', envFrom: [config.envFrom()], runtime: { jvm: {} } })))).toEqual([
    ['SW-ENV-009', 'envFrom[0]', 'loads JAVA_TOOL_OPTIONS from config "jvm", which runtime.jvm would silently replace (env wins over envFrom); drop the key or the setting'],
  ]);
  // Under a prefix the key is another variable.
  expect(() => new WebService(chart, 'c', apiProps({ name: 'c', envFrom: [config.envFrom({ prefix: 'APP_' })], runtime: { jvm: {} } }))).not.toThrow();
});

test('plain JavaScript: wrong types and an impossible percentage', () => {
  const { chart } = newChart('shop');
  expect(errorsOf(() => new WebService(chart, 'a', apiProps({ name: 'a', runtime: { goMaxProcs: 'yes', jvm: { maxRamPercentage: 150 } } as never }))).map(f => f.slice(0, 2))).toEqual([
    ['SW-PROPS-001', 'runtime.goMaxProcs'], ['SW-PROPS-001', 'runtime.jvm.maxRamPercentage'],
  ]);
  expect(errorsOf(() => new WebService(chart, 'b', apiProps({ name: 'b', runtime: { gomaxprocs: true } as never }))).map(f => f.slice(0, 2))).toEqual([['SW-PROPS-002', 'runtime.gomaxprocs']]);
});
