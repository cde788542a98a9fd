import { Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'yaml';
import { BarePod, Env, Findings, Peer, PodVolume, Profile, Profiles, renderEnvironments, SeaworthyError, ServiceAccountRef, synthesize, Worker, Probe } from '../src';
import { SMALL } from './support/fixtures';
import { schemaErrors } from './support/k8s-schema';
import { only, synthValid, thrownBy } from './support/synth';

function errors(build: () => unknown): string[] {
  const e = thrownBy(build) as SeaworthyError;
  expect(e).toBeInstanceOf(SeaworthyError);
  return e.findings.map(f => `${f.rule.id} ${f.field}`);
}

/** A node-local probe agent, the kind of Pod a kubelet manifest directory holds. */
const probeAgent = { name: 'node-probe', image: 'ghcr.io/acme/node-probe:1.2.0', size: SMALL, command: ['/node-probe'], env: { LOG_LEVEL: Env.value('info'), NODE: Env.fromField(kplus.EnvFieldPaths.NODE_NAME) } };

describe('BarePod as a static Pod', () => {
  test('written to static-pods/<name>.yaml, not the chart file; no ServiceAccount, no NetworkPolicy, no serviceAccountName; schema-valid', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'node', { namespace: 'kube-system' });
    const pod = new BarePod(chart, 'probe', { ...probeAgent, static: true });
    new Worker(chart, 'other', { name: 'other', image: 'ghcr.io/acme/other:1.0.0', size: SMALL, liveness: Probe.exec(['true']) });
    const manifests = synthesize(app);
    expect(manifests.map(m => m.file)).toEqual(['node.k8s.yaml', 'static-pods/node-probe.yaml']);
    const chartKinds = manifests[0].objects.map(o => `${(o as { kind: string }).kind}/${(o as { metadata: { name: string } }).metadata.name}`);
    expect(chartKinds.filter(k => k.includes('node-probe'))).toEqual([]);
    const [staticPod] = yaml.parseAllDocuments(manifests[1].yaml).map(d => d.toJS());
    expect(staticPod).toMatchObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'node-probe', namespace: 'kube-system' } });
    expect(staticPod.spec.serviceAccountName).toBeUndefined();
    expect(staticPod.spec.automountServiceAccountToken).toBe(false);
    expect(staticPod.spec.restartPolicy).toBe('Always');
    expect(schemaErrors([staticPod], '1.35')).toEqual([]);
    expect(pod.isStatic).toBe(true);
    expect(pod.node.tryFindChild('ServiceAccount')).toBeUndefined();
    expect(pod.node.tryFindChild('NetworkPolicy')).toBeUndefined();
  });

  test('with environments: dist/<env>/static-pods/<name>.yaml, without an Argo CD sync wave', () => {
    const files = renderEnvironments({
      environments: [{ name: 'prod' }],
      build: app => new BarePod(new Chart(app, 'node', { namespace: 'kube-system' }), 'probe', { ...probeAgent, static: true }),
    });
    expect([...files.keys()]).toEqual(['prod/node.k8s.yaml', 'prod/static-pods/node-probe.yaml']);
    expect(files.get('prod/static-pods/node-probe.yaml')).not.toContain('argocd.argoproj.io/sync-wave');
  });

  test('SW-POD-002: references to ConfigMaps, Secrets, claims, pull Secrets, and NetworkPolicy peers are refused', () => {
    const chart = new Chart(Testing.app(), 'node', { namespace: 'kube-system' });
    expect(errors(() => new BarePod(chart, 'a', {
      ...probeAgent, static: true,
      env: { TOKEN: Env.fromSecret('probe-token', 'token'), MODE: Env.fromConfigMap('probe-config', 'mode') },
      mounts: [{ volume: PodVolume.configMap('conf', 'probe-config'), path: '/etc/probe' }, { volume: PodVolume.persistentVolumeClaim('data', 'probe-data'), path: '/data' }],
      podOptions: { imagePullSecrets: ['regcred'] },
    }))).toEqual([
      'SW-POD-002 podOptions.imagePullSecrets[0]',
      'SW-POD-002 containers.node-probe.env.TOKEN',
      'SW-POD-002 containers.node-probe.env.MODE',
      'SW-POD-002 volumes.conf',
      'SW-POD-002 volumes.data',
    ]);
    expect(errors(() => new BarePod(chart, 'b', { ...probeAgent, name: 'b', static: true, allowFrom: [Peer.namespace('monitoring').tcp(9100)] }))).toContain('SW-POD-002 allowFrom');
    // An ops-managed ServiceAccount cannot be given to a static Pod either: refused, not dropped.
    expect(errors(() => new BarePod(chart, 'c', { ...probeAgent, name: 'c', static: true, serviceAccount: ServiceAccountRef.existing('ops-sa') }))).toContain('SW-POD-002 serviceAccount');
  });

  test('SW-POD-002: a static Pod cannot be granted API access or opened to a client', () => {
    const chart = new Chart(Testing.app(), 'node', { namespace: 'kube-system' });
    const pod = new BarePod(chart, 'probe', { ...probeAgent, static: true });
    const client = new Worker(chart, 'client', { name: 'client', image: 'ghcr.io/acme/client:1.0.0', size: SMALL, liveness: Probe.exec(['true']) });
    expect(errors(() => pod.grant({ apiGroup: '', resources: ['pods'], verbs: ['get'] }))).toEqual(['SW-POD-002 grant']);
    expect(errors(() => pod.allowFrom(client))).toEqual(['SW-POD-002 allowFrom']);
    expect(errors(() => pod.grantClusterWide({ apiGroup: '', resources: ['nodes'], verbs: ['get'] }))).toEqual(['SW-POD-002 grantClusterWide']);
  });

  test('an ordinary BarePod keeps its ServiceAccount and NetworkPolicy, in the chart file', () => {
    const app = Testing.app();
    new BarePod(new Chart(app, 'dbg', { namespace: 'dbg' }), 'probe', probeAgent);
    const manifests = synthesize(app);
    expect(manifests.map(m => m.file)).toEqual(['dbg.k8s.yaml']);
    expect(manifests[0].objects.map(o => (o as { kind: string }).kind).sort()).toEqual(['NetworkPolicy', 'Pod', 'ServiceAccount']);
  });
});

describe('BarePod restartPolicy and debugging terminals', () => {
  test.each([kplus.RestartPolicy.NEVER, kplus.RestartPolicy.ON_FAILURE])('restartPolicy %s for a one-off task', policy => {
    const chart = new Chart(Testing.app(), 'dbg', { namespace: 'dbg' });
    new BarePod(chart, 'task', { ...probeAgent, restartPolicy: policy });
    expect(only(synthValid(chart), 'Pod').spec.restartPolicy).toBe(policy);
    expect(errors(() => new BarePod(chart, 'bad', { ...probeAgent, name: 'bad', restartPolicy: 'Sometimes' as kplus.RestartPolicy }))).toEqual(['SW-PROPS-001 restartPolicy']);
  });

  test('the notes\' debugging Pod (busybox with stdin and tty next to nginx) in the development profile', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'dbg', { namespace: 'dbg' });
    Profiles.set(chart, Profile.DEVELOPMENT);
    new BarePod(chart, 'daemon-pod', {
      name: 'shell', image: 'busybox:1.36.1', size: SMALL, stdin: true, tty: true,
      sidecars: [{ name: 'nginx', image: 'nginx:1.27.3', size: SMALL, ports: [{ name: 'http', port: 8080 }] }],
    });
    const spec = only(synthValid(chart), 'Pod').spec;
    const shell = [...spec.containers, ...(spec.initContainers ?? [])].find((c: { name: string }) => c.name === 'shell');
    expect(shell).toMatchObject({ stdin: true, tty: true });
    expect([...spec.containers, ...(spec.initContainers ?? [])].find((c: { name: string }) => c.name === 'nginx').stdin).toBeUndefined();
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-POD-003')).toEqual([]);
  });

  test('SW-POD-003: stdin or tty outside the development profile is refused; tty needs stdin', () => {
    const chart = new Chart(Testing.app(), 'dbg', { namespace: 'dbg' });
    expect(errors(() => new BarePod(chart, 'a', { ...probeAgent, stdin: true, tty: true }))).toEqual(['SW-POD-003 stdin', 'SW-POD-003 tty']);
    expect(errors(() => new BarePod(chart, 'b', { ...probeAgent, name: 'b', stdin: true, profile: Profile.STAGING }))).toEqual(['SW-POD-003 stdin']);
    expect(errors(() => new BarePod(chart, 'c', { ...probeAgent, name: 'c', tty: true, profile: Profile.DEVELOPMENT }))).toEqual(['SW-PROPS-001 tty']);
  });
});
