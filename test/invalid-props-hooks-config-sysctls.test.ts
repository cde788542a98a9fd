import { Chart, Duration, Testing } from 'cdk8s';
import { AppConfig, EnvFrom, PodVolume, PostStart, PreStop, SeaworthyError } from '../src';
import { SIZE, WORKLOADS } from './support/adversarial';

/**
 * Invalid input from plain JavaScript callers to the lifecycle-hook, configuration
 * and sysctl props (envFrom, volume items, immutable AppConfig): every case raises
 * SeaworthyError with a rule id and a field, never a TypeError, "undefined" or "[object Object]".
 */

const size = SIZE;
const constructs: typeof WORKLOADS = { WebService: WORKLOADS.WebService, Worker: WORKLOADS.Worker, BatchJob: WORKLOADS.BatchJob };

const sidecar = (extra: Record<string, unknown>) => [{ name: 'side', image: 'a/c:1.0', size, command: ['/side'], ...extra }];

/** [field the finding must name, prop name, value]. */
const cases: Array<[string, string, unknown]> = [
  ['postStart', 'postStart', 'mkdir /data'],
  ['postStart', 'postStart', { exec: { command: ['x'] } }],
  ['postStart', 'postStart', null],
  ['postStart.command', 'postStart', PostStart.exec([])],
  ['postStart.command', 'postStart', PostStart.exec([1, 2] as never)],
  ['postStart.command', 'postStart', PostStart.exec(null as never)],
  ['postStart.path', 'postStart', PostStart.httpGet('warmup')],
  ['postStart.path', 'postStart', PostStart.httpGet(7 as never)],
  ['postStart.port', 'postStart', PostStart.httpGet('/w', { port: 0 })],
  ['postStart.port', 'postStart', PostStart.httpGet('/w', { port: '80' as never })],
  ['postStart.duration', 'postStart', PostStart.sleep(Duration.millis(500))],
  ['postStart.duration', 'postStart', PostStart.sleep(5 as never)],
  ['shutdown.preStop.takes', 'shutdown', { preStop: PreStop.exec(['/app/drain'], {} as never) }],
  ['shutdown.preStop.delay', 'shutdown', { preStop: PreStop.exec(['/app/drain'], { takes: Duration.millis(1500) }) }],
  ['shutdown.preStop.command', 'shutdown', { preStop: PreStop.exec('' as never, { takes: Duration.seconds(5) }) }],
  ['shutdown.preStop.command', 'shutdown', { preStop: PreStop.exec([''], { takes: Duration.seconds(5) }) }],
  ['shutdown.preStop', 'shutdown', { preStop: { exec: ['/app/drain'] } }],
  ['sidecars[0].postStart', 'sidecars', sidecar({ postStart: ['x'] })],
  ['sidecars[0].preStop.takes', 'sidecars', sidecar({ preStop: PreStop.exec(['/x'], { takes: 'soon' } as never) })],
  ['sidecars[0].preStop.delay', 'sidecars', sidecar({ preStop: PreStop.sleep(Duration.millis(2500)) })],
  ['envFrom', 'envFrom', 'CONFIG_'],
  ['envFrom', 'envFrom', { configMapRef: { name: 'cm' } }],
  ['envFrom[0]', 'envFrom', [null]],
  ['envFrom[0]', 'envFrom', [{ prefix: 'A_', configMapRef: { name: 'cm' } }]],
  ['envFrom[0].name', 'envFrom', [EnvFrom.configMap('')]],
  ['envFrom[0].name', 'envFrom', [EnvFrom.secret(5 as never)]],
  ['envFrom[0].prefix', 'envFrom', [EnvFrom.configMap('cm', { prefix: '1X' })]],
  ['envFrom[0].prefix', 'envFrom', [EnvFrom.configMap('cm', { prefix: 'A=B' })]],
  ['envFrom[0].prefix', 'envFrom', [EnvFrom.configMap('cm', { prefix: 3 as never })]],
  ['volumes.c.items[0].path', 'mounts', [{ volume: PodVolume.configMap('c', 'cm', { items: [{ key: 'k', path: '/abs' }] }), path: '/etc/c' }]],
  ['volumes.c.items[0].path', 'mounts', [{ volume: PodVolume.configMap('c', 'cm', { items: [{ key: 'k', path: '../up' }] }), path: '/etc/c' }]],
  ['volumes.c.items[0].path', 'mounts', [{ volume: PodVolume.secret('c', 's', { items: [{ key: 'k', path: '' }] }), path: '/etc/c' }]],
  ['volumes.c.items[0].key', 'mounts', [{ volume: PodVolume.secret('c', 's', { items: [{ key: null as never, path: 'x' }] }), path: '/etc/c' }]],
  ['volumes.c.mode', 'mounts', [{ volume: PodVolume.configMap('c', 'cm', { defaultMode: -1 }), path: '/etc/c' }]],
  ['volumes.c.mode', 'mounts', [{ volume: PodVolume.configMap('c', 'cm', { items: [{ key: 'k', path: 'k', mode: 0o1000 }] }), path: '/etc/c' }]],
  ['security.sysctls', 'security', { sysctls: 'net.core.somaxconn=1024' }],
  ['security.sysctls', 'security', { sysctls: ['kernel.shm_rmid_forced'] }],
  ['security.sysctls.net.core.somaxconn', 'security', { sysctls: { 'net.core.somaxconn': '1024' } }],
  ['security.sysctls.vm.swappiness', 'security', { sysctls: { 'vm.swappiness': '10' } }],
  ['security.sysctls.NET.IPV4.X', 'security', { sysctls: { 'NET.IPV4.X': '1' } }],
  ['security.sysctls.net.ipv4.tcp_syncookies', 'security', { sysctls: { 'net.ipv4.tcp_syncookies': 1 } }],
  ['security.sysctls.net.ipv4.tcp_syncookies', 'security', { sysctls: { 'net.ipv4.tcp_syncookies': '1\n2' } }],
  ['security.sysctls.net.ipv4.tcp_syncookies', 'security', { sysctls: { 'net.ipv4.tcp_syncookies': '' } }],
  ['security.sysctls.', 'security', { sysctls: { '': '1' } }],
];

const all: Array<[string, string, string, unknown]> = Object.keys(constructs).flatMap(kind => cases.map(([field, prop, value]): [string, string, string, unknown] => [kind, field, prop, value]));

describe('adversarial input to the hooks, configuration and sysctl props', () => {
  test.each(all.map(([k, f, p, v], i) => [k, p, f, i, v]))('%s %s → %s (#%d)', (kind, prop, field, _i, value) => {
    const { make, base } = constructs[kind as string];
    const chart = new Chart(Testing.app(), 'c');
    let error: unknown;
    try {
      make(chart, { ...base(), [prop as string]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeaworthyError);
    const sw = error as SeaworthyError;
    expect(sw.findings.map(f => f.field)).toContain(field);
    expect(sw.message).not.toContain('[object Object]');
    expect(sw.message.replace(/\(unset\)/g, '')).not.toMatch(/\bundefined\b/);
  });

  test.each([
    ['AppConfig immutable not a boolean', () => new AppConfig(new Chart(Testing.app(), 'c'), 'x', { name: 'cfg', immutable: 'yes' as never }), 'immutable'],
  ])('%s', (_name, build, field) => {
    let error: unknown;
    try {
      build();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeaworthyError);
    expect((error as SeaworthyError).findings.map(f => f.field)).toContain(field);
  });
});
