import { App, Chart, Duration, Testing } from 'cdk8s';
import { audit, KubernetesTarget, KubernetesVersion, PostStart, PreStop, SeaworthyError } from '../src';
import { WebService } from '../src/workloads/web-service';
import { SMALL } from './support/fixtures';
import { apiProps } from './support/props';
import { KubeObject, only, synthValid, thrownBy } from './support/synth';

const LONG_AGO = new Date('2024-01-01T00:00:00Z');

function chartFor(version?: KubernetesVersion): Chart {
  const app = new App({ outdir: Testing.app().outdir });
  if (version) KubernetesTarget.set(app, version, { asOf: LONG_AGO });
  return new Chart(app, 'test', { namespace: 'shop' });
}

const containersOf = (objects: KubeObject[]) => only(objects, 'Deployment').spec.template.spec;
const sidecar = { name: 'proxy', image: 'ghcr.io/acme/proxy:2.1.0', size: SMALL, command: ['/proxy'], ports: [{ name: 'proxy', port: 15001 }] };
const ids = (e: Error) => (e as SeaworthyError).findings.map(f => `${f.rule.id} ${f.field}`);

describe('postStart hooks (DOMAIN §4)', () => {
  test('GIVEN the notes\' postStart exec WHEN synthesized THEN the main container carries it, schema-valid', () => {
    const chart = chartFor();
    new WebService(chart, 'web', apiProps({ postStart: PostStart.exec(['/app/register', '--service', 'api']) }));
    const spec = containersOf(synthValid(chart));
    expect(spec.containers[0].lifecycle).toEqual({ postStart: { exec: { command: ['/app/register', '--service', 'api'] } }, preStop: { sleep: { seconds: 5 } } });
  });

  test('httpGet defaults to the main port; sleep renders as the kubelet\'s sleep action where the target has it', () => {
    const chart = chartFor('1.30');
    new WebService(chart, 'a', apiProps({ name: 'a', postStart: PostStart.httpGet('/warmup') }));
    new WebService(chart, 'b', apiProps({ name: 'b', postStart: PostStart.sleep(Duration.seconds(3)) }));
    const objects = synthValid(chart);
    const byName = (n: string) => objects.find(o => o.kind === 'Deployment' && o.metadata.name === n)!.spec.template.spec.containers[0].lifecycle;
    expect(byName('a').postStart).toEqual({ httpGet: { path: '/warmup', port: 8080, scheme: 'HTTP' } });
    expect(byName('b').postStart).toEqual({ sleep: { seconds: 3 } });
  });

  test('PostStart.sleep on a target without the sleep action is SW-TARGET-003 (no silent exec fallback)', () => {
    const e = thrownBy(() => new WebService(chartFor('1.29'), 'a', apiProps({ postStart: PostStart.sleep(Duration.seconds(3)) })));
    expect(ids(e)).toEqual(['SW-TARGET-003 postStart.sleep']);
    expect(e.message).toContain('PostStart.exec([\'sleep\', \'3\'])');
  });

  test('malformed hooks are SW-HOOK-001, naming the field', () => {
    const chart = chartFor();
    expect(ids(thrownBy(() => new WebService(chart, 'a', apiProps({ name: 'a', postStart: PostStart.exec([]) }))))).toEqual(['SW-HOOK-001 postStart.command']);
    expect(ids(thrownBy(() => new WebService(chart, 'b', apiProps({ name: 'b', postStart: PostStart.httpGet('warmup', { port: 70000 }) }))))).toEqual(['SW-HOOK-001 postStart.path', 'SW-HOOK-001 postStart.port']);
    expect(ids(thrownBy(() => new WebService(chart, 'c', apiProps({ name: 'c', postStart: PostStart.sleep(Duration.millis(1500)) }))))).toEqual(['SW-HOOK-001 postStart.duration']);
    expect(ids(thrownBy(() => new WebService(chart, 'd', apiProps({ name: 'd', postStart: { exec: ['x'] } as unknown as PostStart }))))).toEqual(['SW-HOOK-001 postStart']);
  });

  test('a credential in a hook command is SW-SECRET-002, redacted', () => {
    const e = thrownBy(() => new WebService(chartFor(), 'a', apiProps({ postStart: PostStart.exec(['/app/register', '--token=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB']) })));
    expect(ids(e)).toEqual(['SW-SECRET-002 postStart.command[1]']);
    expect(e.message).not.toContain('ghp_');
  });

  test('init containers take no postStart (SW-INIT-001)', () => {
    const e = thrownBy(() => new WebService(chartFor(), 'a', apiProps({ initContainers: [{ name: 'prep', image: 'busybox:1.36', size: SMALL, command: ['/prep'], postStart: PostStart.exec(['/x']) }] })));
    expect(ids(e)).toEqual(['SW-INIT-001 initContainers[0].postStart']);
  });
});

describe('PreStop.exec: the app\'s own drain command, with its duration', () => {
  test('GIVEN the notes\' drain command taking 20s THEN the computed grace period is 20 + drain 15 + margin 5', () => {
    const chart = chartFor();
    new WebService(chart, 'web', apiProps({ shutdown: { preStop: PreStop.exec(['/app/grace-stop.sh'], { takes: Duration.seconds(20) }) } }));
    const spec = containersOf(synthValid(chart));
    expect(spec.terminationGracePeriodSeconds).toBe(40);
    expect(spec.containers[0].lifecycle).toEqual({ preStop: { exec: { command: ['/app/grace-stop.sh'] } } });
  });

  test('the notes\' example (grace 60s, "sleep 10 && /app/grace-stop.sh") passes; a grace period shorter than takes + drain + margin is SW-SHUTDOWN-001', () => {
    const chart = chartFor();
    const preStop = PreStop.exec(['/bin/sh', '-c', 'sleep 10 && /app/grace-stop.sh'], { takes: Duration.seconds(30) });
    new WebService(chart, 'a', apiProps({ name: 'a', shutdown: { preStop, gracePeriod: Duration.seconds(60) } }));
    expect(containersOf(synthValid(chart)).terminationGracePeriodSeconds).toBe(60);
    const e = thrownBy(() => new WebService(chart, 'b', apiProps({ name: 'b', shutdown: { preStop, gracePeriod: Duration.seconds(49) } })));
    expect(ids(e)).toEqual(['SW-SHUTDOWN-001 shutdown.gracePeriod']);
    expect(e.message).toContain('preStop delay (30s) + drain time (15s) + margin (5s) = 50s');
  });

  test('takes is required and whole seconds; the command is exec form (SW-HOOK-001)', () => {
    const chart = chartFor();
    const noTakes = PreStop.exec(['/app/drain'], undefined as unknown as { takes: Duration });
    expect(ids(thrownBy(() => new WebService(chart, 'a', apiProps({ name: 'a', shutdown: { preStop: noTakes } }))))).toEqual(['SW-HOOK-001 shutdown.preStop.takes']);
    expect(ids(thrownBy(() => new WebService(chart, 'b', apiProps({ name: 'b', shutdown: { preStop: PreStop.exec('/app/drain' as unknown as string[], { takes: Duration.seconds(5) }) } }))))).toEqual(['SW-HOOK-001 shutdown.preStop.command']);
    expect(ids(thrownBy(() => new WebService(chart, 'c', apiProps({ name: 'c', shutdown: { preStop: 'sleep 5' as unknown as PreStop } }))))).toEqual(['SW-HOOK-001 shutdown.preStop']);
    // Fractional seconds on the main container are the shutdown durations' rule, reported once.
    expect(ids(thrownBy(() => new WebService(chart, 'd', apiProps({ name: 'd', shutdown: { preStop: PreStop.exec(['/app/drain'], { takes: Duration.millis(1500) }) } }))))).toEqual(['SW-SHUTDOWN-003 shutdown.preStop.delay']);
    // A sidecar's preStop length is checked too (it extends the grace period of native sidecars).
    expect(ids(thrownBy(() => new WebService(chart, 'e', apiProps({ name: 'e', sidecars: [{ ...sidecar, preStop: PreStop.exec(['/proxy', 'drain'], { takes: Duration.millis(1500) }) }] }))))).toEqual(['SW-HOOK-001 sidecars[0].preStop.takes']);
  });

  test('audit: an exec preStop of unknown length raises no grace finding; its "sleep N" counts', () => {
    const deployment = (grace: number, command: string[]) => ({ object: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { terminationGracePeriodSeconds: grace, containers: [{ name: 'c', image: 'a:1', lifecycle: { preStop: { exec: { command } } } }] } } },
    } });
    const grace = (g: number, command: string[]) => audit([deployment(g, command)]).filter(f => f.rule.id === 'SW-SHUTDOWN-001').map(f => f.value);
    expect(grace(6, ['/app/drain'])).toEqual([]);
    expect(grace(14, ['/bin/sh', '-c', 'sleep 10 && /app/grace-stop.sh'])).toEqual(['14']);
    expect(grace(15, ['/bin/sh', '-c', 'sleep 10 && /app/grace-stop.sh'])).toEqual([]);
  });
});

describe('lifecycle hooks on sidecars', () => {
  test('a native sidecar\'s exec preStop and postStart render on it and its preStop extends the grace period', () => {
    const chart = chartFor('1.33');
    new WebService(chart, 'web', apiProps({
      sidecars: [{ ...sidecar, postStart: PostStart.httpGet('/ready', { port: 15001 }), preStop: PreStop.exec(['/proxy', 'drain'], { takes: Duration.seconds(10) }) }],
    }));
    const spec = containersOf(synthValid(chart));
    expect(spec.initContainers[0]).toMatchObject({ name: 'proxy', restartPolicy: 'Always', lifecycle: { postStart: { httpGet: { path: '/ready', port: 15001 } }, preStop: { exec: { command: ['/proxy', 'drain'] } } } });
    // 5s preStop sleep + 15s drain + 10s sidecar preStop + 5s margin.
    expect(spec.terminationGracePeriodSeconds).toBe(35);
    expect(spec.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
  });

  test('a sidecar\'s postStart sleep renders as the sleep action; a sidecar httpGet hook without a port and no main port is SW-HOOK-001', () => {
    const chart = chartFor('1.35');
    new WebService(chart, 'web', apiProps({ sidecars: [{ ...sidecar, postStart: PostStart.sleep(Duration.seconds(2)) }] }));
    expect(containersOf(synthValid(chart)).initContainers[0].lifecycle).toEqual({ postStart: { sleep: { seconds: 2 } } });
    const e = thrownBy(() => new WebService(chart, 'x', apiProps({ name: 'x', sidecars: [{ ...sidecar, preStop: PreStop.exec([], { takes: Duration.seconds(1) }) }] })));
    expect(ids(e)).toEqual(['SW-HOOK-001 sidecars[0].preStop.command']);
  });
});
