'use strict';
// One measurement, in a fresh process: node bench/workload.js <mode> <n>
// Prints one JSON line: { mode, n, ms, cpuMs, objects, rssMiB } (cpuMs: user + system CPU time of
// the measured section, all threads; steadier than wall time on a loaded machine).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const { ApiObject, App, Chart, Duration, Size, Yaml } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const k8s = require('cdk8s-plus-28/lib/imports/k8s');
const sw = require('../lib/src');
const { fastRendering } = require('../lib/src/synth/fast-render');
const { stringifyDocument } = require('../lib/src/synth/yaml-emitter');

const [mode, nArg] = process.argv.slice(2);
const n = Number(nArg);

function seaworthyApp() {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < n; i++) {
    new sw.WebService(chart, `svc${i}`, {
      name: `svc-${i}`,
      image: `ghcr.io/acme/svc-${i}:1.0.${i}`,
      port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: i % 2 === 0 ? undefined : 3,
      autoscaling: i % 2 === 0 ? { minReplicas: 3, maxReplicas: 6 } : undefined,
      readiness: sw.Probe.http('/ready'),
      liveness: sw.Probe.http('/healthz'),
      allowFrom: [sw.Peer.namespace('ingress-nginx')],
    });
  }
  return app;
}

// The same shape written by hand with plain cdk8s-plus-28 plus L1 objects: the same objects
// (ServiceAccount, Deployment, Service, PodDisruptionBudget, NetworkPolicy, HPA on every other
// one) and the same Pod hardening, with JSON patches where cdk8s-plus-28 has no prop.
function plainApp() {
  const { JsonPatch } = require('cdk8s');
  const { Construct } = require('constructs');
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  const timing = { initialDelaySeconds: Duration.seconds(0), periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(1), successThreshold: 1, failureThreshold: 3 };
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
    const labels = { ...selector, 'app.kubernetes.io/version': `1.0.${i}`, 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/part-of': name, 'app.kubernetes.io/managed-by': 'hand' };
    const scope = new Construct(chart, `svc${i}`);
    const hpa = i % 2 === 0;
    const sa = new kplus.ServiceAccount(scope, 'ServiceAccount', { metadata: { name, labels }, automountToken: false });
    const tmp = kplus.Volume.fromEmptyDir(scope, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(64) });
    const deployment = new kplus.Deployment(scope, 'Deployment', {
      metadata: { name, labels },
      replicas: hpa ? undefined : 3,
      select: false,
      podMetadata: { labels },
      serviceAccount: sa,
      securityContext: { ensureNonRoot: true, user: 10001, group: 10001, fsGroup: 10001, fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH },
      strategy: kplus.DeploymentStrategy.rollingUpdate({ maxSurge: kplus.PercentOrAbsolute.absolute(1), maxUnavailable: kplus.PercentOrAbsolute.absolute(0) }),
      minReady: Duration.seconds(10),
      terminationGracePeriod: Duration.seconds(25),
      containers: [{
        name,
        image: `ghcr.io/acme/svc-${i}:1.0.${i}`,
        ports: [{ name: 'http', number: 8080, protocol: kplus.Protocol.TCP }],
        resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(250) }, memory: { request: Size.mebibytes(256), limit: Size.mebibytes(256) }, ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(1) } },
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 8080, ...timing }),
        liveness: kplus.Probe.fromHttpGet('/healthz', { port: 8080, ...timing }),
        startup: kplus.Probe.fromTcpSocket({ port: 8080 }),
        lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', '5']) },
        volumeMounts: [{ path: '/tmp', volume: tmp }],
        securityContext: { ensureNonRoot: true, user: 10001, group: 10001, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: [kplus.Capability.ALL] }, seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT } },
      }],
    });
    deployment.select(kplus.LabelSelector.of({ labels: selector }));
    const resource = ApiObject.of(deployment);
    resource.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    resource.addJsonPatch(JsonPatch.add('/spec/revisionHistoryLimit', 5));
    resource.addJsonPatch(JsonPatch.add('/spec/template/spec/topologySpreadConstraints', ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'].map(topologyKey => ({
      topologyKey, maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector }, matchLabelKeys: ['pod-template-hash'],
    }))));
    resource.addJsonPatch(JsonPatch.add('/spec/template/spec/affinity', { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: selector }, topologyKey: 'kubernetes.io/hostname' } }] } }));
    const service = new kplus.Service(scope, 'Service', { metadata: { name, labels }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: kplus.Protocol.TCP }] });
    for (const [k, v] of Object.entries(selector)) service.selectLabel(k, v);
    new k8s.KubePodDisruptionBudget(scope, 'Pdb', { metadata: { name: `${name}-pdb`, labels }, spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } });
    new k8s.KubeNetworkPolicy(scope, 'NetworkPolicy', {
      metadata: { name: `${name}-netpol`, labels },
      spec: {
        podSelector: { matchLabels: selector },
        policyTypes: ['Egress', 'Ingress'],
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: {} }], ports: [{ port: k8s.IntOrString.fromNumber(8080), protocol: 'TCP' }] }],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }], ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }, { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' }] }],
      },
    });
    if (hpa) {
      new kplus.HorizontalPodAutoscaler(scope, 'Hpa', { metadata: { name, labels }, target: deployment, minReplicas: 3, maxReplicas: 6, metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))] });
    }
  }
  return app;
}

function countDocs(yamlText) {
  return (yamlText.match(/^---$/gm) || []).length + 1;
}

// countDocs() of a file read in 1 MiB pieces, so that counting adds nothing to the peak measured.
function countDocsInFile(file) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  let count = 1;
  let previous = '';
  try {
    for (let read; (read = fs.readSync(fd, buffer)) > 0;) {
      // Keeps the last 4 characters (shorter than a separator), so a separator split between two
      // pieces is counted once. The files written never begin with one.
      const text = previous + buffer.toString('latin1', 0, read);
      count += (text.match(/\n---\n/g) || []).length;
      previous = text.slice(-4);
    }
  } finally {
    fs.closeSync(fd);
  }
  return count;
}

let ms;
let objects;
let cpu0;
const cpuSince = () => { const c = process.cpuUsage(cpu0); return (c.user + c.system) / 1000; };
if (mode === 'seaworthy') {
  // seaworthy's synth path: validation and dependency resolution once for the whole app.
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const texts = sw.synthesize(seaworthyApp()).map(m => m.yaml);
  ms = performance.now() - t0;
  objects = texts.reduce((sum, t) => sum + countDocs(t), 0);
} else if (mode === 'rules') {
  // The app, its findings with the manifest rules (Findings.of(app)), then synthesis and YAML: what
  // a caller of Findings.of(app) runs (src/main.ts did, before synthesize()'s findings option).
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = seaworthyApp();
  sw.Findings.of(app);
  const texts = sw.synthesize(app).map(m => m.yaml);
  ms = performance.now() - t0;
  objects = texts.reduce((sum, t) => sum + countDocs(t), 0);
} else if (mode === 'findings') {
  // The same, with the findings read from the synthesis's own rendering (synthesize()'s
  // `findings` option, as src/main.ts runs it through writeEnvironments()).
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = seaworthyApp();
  let found;
  const texts = sw.synthesize(app, { findings: f => { found = f; } }).map(m => m.yaml);
  ms = performance.now() - t0;
  objects = texts.reduce((sum, t) => sum + countDocs(t), 0);
  if (!Array.isArray(found)) throw new Error('no findings');
} else if (mode === 'plain') {
  // What a cdk8s-plus user runs: App.synthYaml() (App.synth() minus the file writes).
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const text = plainApp().synthYaml();
  ms = performance.now() - t0;
  objects = countDocs(text);
} else if (mode === 'floor') {
  const docs = seaworthyApp().charts[0].toJson();
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const text = Yaml.stringify(...docs);
  ms = performance.now() - t0;
  objects = countDocs(text);
} else if (mode === 'write') {
  // What a pipeline runs: writeManifests() into a new directory (validation, then each file's YAML
  // rendered in chunks while it is written, and its objects released).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-bench-'));
  try {
    cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const files = sw.writeManifests(seaworthyApp(), `${dir}/out`);
    ms = performance.now() - t0;
    objects = files.reduce((sum, f) => sum + countDocsInFile(`${dir}/out/${f}`), 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
} else if (mode === 'tree' || mode === 'stream') {
  // Floors of memory, not commands: `tree` builds the app and renders nothing (what any synthesis
  // holds before its first object); `stream` then renders each object in one walk, writes its YAML
  // to /dev/null and drops it, validating nothing and keeping nothing (the least a streaming write
  // of the same app could hold at its peak).
  cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const app = seaworthyApp();
  const apiObjects = app.node.findAll().filter(c => c instanceof ApiObject);
  objects = apiObjects.length;
  if (mode === 'stream') {
    const fd = fs.openSync('/dev/null', 'w');
    try {
      fastRendering(() => {
        for (const [i, o] of apiObjects.entries()) fs.writeSync(fd, `${i > 0 ? '---\n' : ''}${stringifyDocument(o.toJson())}`);
      });
    } finally {
      fs.closeSync(fd);
    }
  }
  ms = performance.now() - t0;
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
const cpuMs = cpuSince();
const rssMiB = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ mode, n, ms, cpuMs, objects, rssMiB })}\n`);
