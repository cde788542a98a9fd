import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  AccessMode, KubernetesTarget, KubernetesVersion, NodeAgent, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSource,
  PodSecurityLevel, PodVolume, Probe, readCluster, SelectorOperator, ServiceAccountRef, synthesize, Tenant, VolumeMode, WebService,
} from '../src';
import { EXAMPLES } from '../src/construct-examples';
import { ApiServer, startApiServer } from './support/apiserver';
import { applyDryRun, crdFilesForGroup, CrdInstall, installCrds, ManifestFile, SetResult } from './support/apply';
import { appArb, synthApp } from './support/app-arbitraries';
import { whenEnvtestAssets } from './support/envtest';
import { buildFrontDoors } from './support/front-door-app';
import { schemaErrors } from './support/k8s-schema';
import { buildBarePods, buildJobPolicies, buildRootInitContainer } from './support/job-and-pod-sets';
import { ManifestSet, minorOf, nearestServer, referenceAppSets } from './support/manifest-sets';

/**
 * The API-server suite: what seaworthy writes goes through real kube-apiservers (one per envtest
 * asset folder, see test/support/envtest.ts) with server-side dry-run and strict field
 * validation, Pod Security, LimitRanger and ResourceQuota admission on; every field sent must
 * come back unchanged. Sets: the reference app's committed dist/ (on the server nearest its
 * target version), every documented construct example, generated apps (APISERVER_APPS, default
 * 30, seed FC_SEED or 1), and the example app repo's output (on every server).
 * APISERVER_REPORT=<file> writes every result as JSON.
 */

// examples/app-repo imports the package by name; here it is this repository's source.
jest.mock('seaworthy', () => jest.requireActual('../src'), { virtual: true });

const GENERATED_APPS = Number(process.env.APISERVER_APPS ?? 30);
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : 1;

interface Run { readonly server: ApiServer; readonly label: string; readonly result: SetResult }

const servers: ApiServer[] = [];
const runs: Run[] = [];
const busyMs = new Map<ApiServer, number>();
const crdInstalls = new Map<ApiServer, CrdInstall[]>();

/** Runs each server's sets one after another (they share namespaces), the servers in parallel. */
async function runSets(work: readonly { server: ApiServer; set: ManifestSet }[]): Promise<Run[]> {
  const byServer = new Map<ApiServer, ManifestSet[]>();
  for (const { server, set } of work) byServer.set(server, [...byServer.get(server) ?? [], set]);
  const done = await Promise.all([...byServer].map(async ([server, sets]) => {
    const out: Run[] = [];
    const started = Date.now();
    for (const set of sets) out.push({ server, label: set.label, result: await applyDryRun(server, set.files) });
    busyMs.set(server, (busyMs.get(server) ?? 0) + Date.now() - started);
    return out;
  }));
  runs.push(...done.flat());
  return done.flat();
}

/** Failures and read-back differences of some runs, one line each (empty when all is well). */
function problems(done: readonly Run[]): string[] {
  return done.flatMap(r => [
    ...r.result.failures.map(f => `[${r.server.version} ${r.label}] ${f}`),
    ...r.result.readBackDiffs.map(d => `[${r.server.version} ${r.label}] read back differently: ${d}`),
  ]);
}

function onEveryServer(sets: readonly ManifestSet[]): { server: ApiServer; set: ManifestSet }[] {
  return servers.flatMap(server => sets.map(set => ({ server, set })));
}

function appSet(label: string, app: App): ManifestSet {
  return { label, targetMinor: KubernetesTarget.of(app).minor, files: synthesize(app).map((m): ManifestFile => ({ path: `${label}/${m.file}`, text: m.yaml })) };
}

/** The app `build` makes, rendered for each server's own minor and sent to that server. */
function onEveryServerForItsMinor(label: string, build: (app: App) => void): { server: ApiServer; set: ManifestSet }[] {
  return servers.map(server => {
    const app = Testing.app();
    KubernetesTarget.set(app, `1.${server.minor}` as KubernetesVersion);
    build(app);
    return { server, set: appSet(`${label} (for 1.${server.minor})`, app) };
  });
}

function nearest(set: ManifestSet): { server: ApiServer; set: ManifestSet } {
  return { server: nearestServer(set.targetMinor, servers)!, set };
}

whenEnvtestAssets('the API-server suite', assets => {
  describe(`real API servers (${assets.map(a => a.version).join(', ')})`, () => {
    const suiteStarted = Date.now();

    beforeAll(async () => {
      const started = await Promise.allSettled(assets.map(a => startApiServer(a.dir)));
      for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
      const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
      if (failed) throw failed.reason;
      servers.sort((a, b) => a.minor - b.minor);
      // Every CRD group the output uses installs on every minor: the Gateway API, the Prometheus Operator's monitors and rules, Flux's Kustomization.
      const groups = ['gateway.networking.k8s.io', 'monitoring.coreos.com', 'kustomize.toolkit.fluxcd.io'];
      await Promise.all(servers.map(async server => crdInstalls.set(server, await installCrds(server, groups.flatMap(crdFilesForGroup)))));
    }, 240_000);

    afterAll(async () => {
      await Promise.all(servers.map(s => s.stop()));
      const lines = servers.map(s => {
        const mine = runs.filter(r => r.server === s);
        const objects = mine.reduce((n, r) => n + r.result.objects.length, 0);
        return `${s.version}: started in ${(s.startupMs / 1000).toFixed(1)} s; ${objects} objects in ${mine.length} sets, ${((busyMs.get(s) ?? 0) / 1000).toFixed(1)} s`;
      });
      // Sent zero values the servers left out, by kind and field (lists' indexes folded).
      const omitted = new Map<string, number>();
      for (const r of runs) {
        for (const o of r.result.objects) {
          for (const p of o.readBack.omittedZeros) {
            const key = `${r.server.version} ${o.doc.object.kind} ${p.replace(/\[\d+\]/g, '[]')}`;
            omitted.set(key, (omitted.get(key) ?? 0) + 1);
          }
        }
      }
      console.log([
        `API-server suite, ${((Date.now() - suiteStarted) / 1000).toFixed(1)} s in all:`, ...lines.map(l => `  ${l}`),
        'Sent zero values the servers left out (omitempty; same meaning):', ...[...omitted].sort().map(([k, n]) => `  ${k} (${n}×)`),
      ].join('\n'));
      if (process.env.APISERVER_REPORT) {
        fs.writeFileSync(process.env.APISERVER_REPORT, JSON.stringify({
          servers: servers.map(s => ({ version: s.version, startupMs: s.startupMs, busyMs: busyMs.get(s), crds: crdInstalls.get(s) })),
          runs: runs.map(r => ({ server: r.server.version, label: r.label, objects: r.result.objects.length, failures: r.result.failures, readBackDiffs: r.result.readBackDiffs, omittedZeros: r.result.omittedZeros })),
        }, null, 2));
      }
    }, 60_000);

    test('the Gateway API v1.6.1 CRDs install, and a Gateway with an HTTPRoute goes through', async () => {
      const report = servers.map(s => `${s.version}: ${(crdInstalls.get(s) ?? []).map(c => `${c.name} ${c.ok ? 'ok' : `FAILED ${c.message}`}${c.warnings.length ? ` (warnings: ${c.warnings.join('; ')})` : ''}`).join('\n    ')}`);
      console.log(`Gateway API v1.6.1 CRDs:\n  ${report.join('\n  ')}`);
      const failed = servers.flatMap(s => (crdInstalls.get(s) ?? []).filter(c => !c.ok).map(c => `${s.version} ${c.name}: ${c.message}`));
      expect(failed).toEqual([]);
      // Their CEL validation rules must also compile and run on every server.
      const gateway: ManifestSet = {
        label: 'Gateway API sample', targetMinor: 28, files: [{
          path: 'gateway-sample.yaml', text: [
            'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: example\nspec:\n  controllerName: example.com/gateway-controller\n',
            'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: web\n  namespace: gw-check\nspec:\n  gatewayClassName: example\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 80\n',
            'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: api\n  namespace: gw-check\nspec:\n  parentRefs:\n    - name: web\n  hostnames:\n    - shop.example.com\n  rules:\n    - matches:\n        - path:\n            type: PathPrefix\n            value: /api\n      backendRefs:\n        - name: api\n          port: 80\n',
          ].join('---\n'),
        }],
      };
      expect(problems(await runSets(onEveryServer([gateway])))).toEqual([]);
    }, 120_000);

    test('the harness reports rejections, warnings, admission and read-back differences', async () => {
      // Hand-written objects each of which must be caught, so a green suite means something.
      const yaml = (...docs: string[]): ManifestFile[] => [{ path: 'harness-check.yaml', text: docs.join('---\n') }];
      const pod = (name: string, namespace: string, resources = ''): string =>
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n${resources}`;
      const checks: { label: string; files: ManifestFile[]; expect: RegExp[]; onlyBelowMinor?: number }[] = [
        {
          label: 'strict field validation',
          files: yaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\nsurplus: 1\n'),
          expect: [/ConfigMap\/c .*HTTP 400: .*unknown field "surplus"/],
        },
        {
          label: 'Pod Security warning on a template',
          files: yaml('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: psa-check\n  labels:\n    pod-security.kubernetes.io/warn: restricted\n',
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  namespace: psa-check\nspec:\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers:\n        - name: c\n          image: busybox:1.36\n'),
          expect: [/Deployment\/psa-check\/d .*Warning: would violate PodSecurity "restricted:/],
        },
        {
          label: 'quota and LimitRange admission',
          files: yaml('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: quota-check\n',
            'apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: q\n  namespace: quota-check\nspec:\n  hard:\n    requests.cpu: "1"\n',
            'apiVersion: v1\nkind: LimitRange\nmetadata:\n  name: l\n  namespace: quota-check\nspec:\n  limits:\n    - type: Container\n      max:\n        memory: 1Gi\n',
            pod('no-requests', 'quota-check'),
            pod('too-big', 'quota-check', '      resources:\n        requests: {cpu: 100m, memory: 2Gi}\n        limits: {memory: 2Gi}\n')),
          expect: [/Pod\/quota-check\/no-requests .*HTTP 403: .*must specify requests.cpu/, /Pod\/quota-check\/too-big .*HTTP 403: .*maximum memory usage per Container is 1Gi/],
        },
        {
          label: 'read-back differences',
          files: yaml(pod('half', 'default', '      resources:\n        requests: {cpu: 0.5}\n')),
          expect: [/Pod\/default\/half .*spec\.containers\[0\]\.resources\.requests\.cpu: sent 0\.5, returned "500m"/],
        },
        {
          // 1.28 knows the native-sidecar field (so does its schema) but drops it while the
          // SidecarContainers gate is off: only the read-back shows it. On by default from 1.29.
          label: 'a field of a disabled feature gate',
          files: yaml(pod('sidecar', 'default').replace('  containers:', '  initContainers:\n    - name: side\n      image: busybox:1.36\n      restartPolicy: Always\n  containers:')),
          expect: [/Pod\/default\/sidecar .*spec\.initContainers\[0\]\.restartPolicy: sent "Always", returned \(absent\)/],
          onlyBelowMinor: 29,
        },
      ];
      const wrong = await Promise.all(servers.map(async server => {
        const out: string[] = [];
        for (const check of checks) {
          const result = await applyDryRun(server, check.files);
          const seen = [...result.failures, ...result.readBackDiffs];
          const expected = check.onlyBelowMinor === undefined || server.minor < check.onlyBelowMinor ? check.expect : [];
          out.push(...expected.filter(p => !seen.some(f => p.test(f))).map(p => `${server.version} ${check.label}: nothing matched ${p} in ${JSON.stringify(seen)}`),
            ...seen.filter(f => !expected.some(p => p.test(f))).map(f => `${server.version} ${check.label}: unexpected ${f}`));
        }
        return out;
      }));
      expect(wrong.flat()).toEqual([]);
    }, 120_000);

    test('the reference app\'s committed dist/ goes through the server nearest its target version', async () => {
      const work = referenceAppSets().map(set => ({ set, server: nearestServer(set.targetMinor, servers)! }));
      expect(problems(await runSets(work))).toEqual([]);
    }, 300_000);

    test('every documented construct example goes through every server, rendered for its minor', async () => {
      const work = EXAMPLES.flatMap(e => onEveryServerForItsMinor(`example ${e.title}`, app => e.build(new Chart(app, 'demo', { namespace: 'demo' }))));
      work.push(...onEveryServerForItsMinor('example Tenant', app => {
        new Tenant(app, 'shop', { name: 'shop', podSecurity: PodSecurityLevel.RESTRICTED, quota: { cpu: kplus.Cpu.units(8), memory: Size.gibibytes(16) } });
      }));
      expect(problems(await runSets(work))).toEqual([]);
    }, 300_000);

    test(`${GENERATED_APPS} generated apps per server (seed ${SEED}) go through the server of their target`, async () => {
      // Each server gets its own sample, with targets drawn among the minors it stands for
      // (1.28 for the 1.28 server; 1.29–1.36 for 1.35), so both ends see GENERATED_APPS apps.
      const sets = servers.flatMap(server => {
        const targets = KubernetesTarget.SUPPORTED_VERSIONS.filter(v => nearestServer(minorOf(v), servers) === server);
        return fc.sample(appArb, { seed: SEED + server.minor, numRuns: GENERATED_APPS }).map((drawn, i): ManifestSet => {
          const spec = { ...drawn, target: targets[i % targets.length] };
          return { label: `generated #${i} for ${server.version} (FC_SEED=${SEED + server.minor}, target ${spec.target})`, targetMinor: minorOf(spec.target), files: [{ path: `generated-${server.minor}-${i}/gen.k8s.yaml`, text: synthApp(spec).yaml }] };
        });
      });
      expect(problems(await runSets(sets.map(nearest)))).toEqual([]);
    }, 300_000);

    test('the example app repo\'s output goes through every server, rendered for its minor', async () => {
      const example = await import(path.join(__dirname, '..', 'examples', 'app-repo', 'main')) as { build(app: App): App };
      expect(problems(await runSets(onEveryServerForItsMinor('examples/app-repo', app => example.build(app))))).toEqual([]);
    }, 120_000);

    test('front doors: a platform Gateway, HTTPRoute, GRPCRoute, a cross-namespace ReferenceGrant and the opened NetworkPolicies go through every server', async () => {
      const work = onEveryServerForItsMinor('front doors', buildFrontDoors);
      const kinds = new Set(work.flatMap(w => w.set.files.flatMap(f => [...f.text.matchAll(/^kind: (\w+)$/gm)].map(m => m[1]))));
      expect([...kinds].filter(k => ['Gateway', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant', 'NetworkPolicy'].includes(k)).sort()).toEqual(['GRPCRoute', 'Gateway', 'HTTPRoute', 'NetworkPolicy', 'ReferenceGrant']);
      expect(problems(await runSets(work))).toEqual([]);
    }, 120_000);

    test('storage and identity: PersistentVolumes (NFS, CSI, local block), claims bound by name and by selector, a cluster-wide grant and an existing ServiceAccount go through every server', async () => {
      const work = onEveryServerForItsMinor('storage and identity', app => {
        const shop = new Tenant(app, 'shop', { name: 'shop' });
        const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
        new PersistentVolume(shop, 'UploadsPv', {
          name: 'shop-uploads', capacity: Size.gibibytes(50), accessModes: [AccessMode.READ_WRITE_MANY],
          source: PersistentVolumeSource.nfs('nfs.internal', '/exports/uploads'), claimRef: { namespace: 'shop', name: 'uploads' },
        });
        new PersistentVolume(shop, 'SsdPv', {
          name: 'shop-ssd-node-1', capacity: Size.gibibytes(100), storageClassName: 'local-ssd', volumeMode: VolumeMode.BLOCK,
          source: PersistentVolumeSource.local('/dev/nvme1n1', ['node-1']), labels: { tier: 'ssd' },
        });
        new PersistentVolume(shop, 'RestorePv', { name: 'shop-restore', capacity: Size.gibibytes(20), accessModes: [AccessMode.READ_WRITE_ONCE_POD], source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-0abc', { fsType: 'ext4' }) });
        const uploads = new PersistentVolumeClaim(shop, 'Uploads', { name: 'uploads', storage: Size.gibibytes(50), accessModes: [AccessMode.READ_WRITE_MANY], volumeName: 'shop-uploads' });
        new PersistentVolumeClaim(shop, 'Fast', { name: 'fast', storage: Size.gibibytes(100), storageClassName: 'local-ssd', volumeMode: VolumeMode.BLOCK, selector: { matchLabels: { tier: 'ssd' }, matchExpressions: [{ key: 'tier', operator: SelectorOperator.IN, values: ['ssd'] }] } });
        new WebService(shop, 'gallery', { name: 'gallery', image: 'ghcr.io/acme/gallery:3.2.0', port: 8080, size, readiness: Probe.http('/ready'), serviceAccount: ServiceAccountRef.existing('ops-gallery'), mounts: [{ volume: PodVolume.claim(uploads, { readOnly: true }), path: '/srv/uploads' }] });
        const monitoring = new Tenant(app, 'monitoring', { name: 'monitoring' });
        new NodeAgent(monitoring, 'exporter', { name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.2', size }).grantClusterWide(readCluster(['pods', 'nodes']));
      });
      const kinds = new Set(work.flatMap(w => w.set.files.flatMap(f => [...f.text.matchAll(/^kind: (\w+)$/gm)].map(m => m[1]))));
      expect([...kinds].filter(k => ['PersistentVolume', 'PersistentVolumeClaim', 'ClusterRole', 'ClusterRoleBinding', 'ServiceAccount'].includes(k)).sort()).toEqual(['ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'PersistentVolumeClaim', 'ServiceAccount']);
      expect(problems(await runSets(work))).toEqual([]);
    }, 120_000);

    test('Jobs: pod failure policy, Indexed completion, per-index backoff, success and replacement policies go through every server, rendered for its minor', async () => {
      expect(problems(await runSets(onEveryServerForItsMinor('job policies', buildJobPolicies)))).toEqual([]);
    }, 120_000);

    test('bare Pods: a static Pod (its own file) and a restartPolicy Never task go through every server, rendered for its minor', async () => {
      const work = onEveryServerForItsMinor('bare pods', buildBarePods);
      expect(work.flatMap(w => w.set.files.map(f => f.path.replace(/^.*\)\//, ''))).filter(f => f.startsWith('static-pods/'))).toContain('static-pods/node-probe.yaml');
      expect(problems(await runSets(work))).toEqual([]);
    }, 120_000);

    test('an init container running as root with CHOWN passes Pod Security "baseline" (enforce, warn and audit) on every server, rendered for its minor', async () => {
      const work = onEveryServerForItsMinor('root init container', buildRootInitContainer);
      expect(problems(await runSets(work))).toEqual([]);
    }, 120_000);

    test('the strict JSON schema and the servers agree on every object', () => {
      // Objects the repo's strict schema validation (test/support/k8s-schema.ts, for the server's
      // minor) and a server judge differently; kinds without a schema (custom resources) are left out.
      const disagreements = runs.flatMap(r => r.result.objects.flatMap(o => {
        const errors = schemaErrors([o.doc.object], `1.${r.server.minor}`);
        if (errors.some(e => /no Kubernetes [\d.]+ schema/.test(e))) return [];
        const serverOk = o.status >= 200 && o.status < 300;
        if (serverOk === (errors.length === 0)) return [];
        return [`[${r.server.version} ${r.label}] ${o.id}: ${serverOk ? `server accepts, schema rejects: ${errors.join('; ')}` : `schema accepts, server rejects: ${o.failure}`}`];
      }));
      expect(disagreements).toEqual([]);
    });
  });
});
