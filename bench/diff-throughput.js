'use strict';
// seaworthy diff throughput: two dist/ trees of N objects each (the reference shapes of
// `npm run bench`, in 10 directories), the after tree with image bumps on 10% of the services,
// replica drops on 2%, selector changes on 1%, some services removed and added. Measures what
// `seaworthy diff before after --format markdown` does — read and parse both trees, diff, render —
// in one process, median of `reps` runs, for N = 1000 and 5000 (to show it is linear), and its
// baseline in the same process: reading and parsing both trees only.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');
const { App, Chart, Size, Yaml } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const sw = require('../lib/src');

const DIRS = 10;

function services(count, offset) {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = offset; i < offset + count; i++) {
    new sw.WebService(chart, `svc${i}`, {
      name: `svc-${i}`, image: `ghcr.io/acme/svc-${i}:1.0.${i}`, port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: i % 2 === 0 ? undefined : 3, autoscaling: i % 2 === 0 ? { minReplicas: 3, maxReplicas: 6 } : undefined,
      readiness: sw.Probe.http('/ready'), liveness: sw.Probe.http('/healthz'), allowFrom: [sw.Peer.namespace('ingress-nginx')],
    });
  }
  return chart.toJson();
}

/** Writes before/ and after/ trees of about `objects` objects each; returns their paths. */
exports.trees = trees;
function trees(objects) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-diff-bench-'));
  const perDir = Math.ceil(objects / 5.5 / DIRS);
  let total = 0;
  for (let d = 0; d < DIRS; d++) {
    const before = services(perDir, d * perDir);
    total += before.length;
    const after = JSON.parse(JSON.stringify(before)).filter(o => !(o.metadata.name.endsWith('-7') || o.metadata.name.includes('-7-')) || o.kind === 'Namespace');
    for (const o of after) {
      const i = Number(/svc-(\d+)/.exec(o.metadata.name)?.[1] ?? -1);
      if (o.kind !== 'Deployment') continue;
      if (i % 10 === 3) o.spec.template.spec.containers[0].image = `ghcr.io/acme/svc-${i}:2.0.0`;
      if (i % 50 === 5) o.spec.replicas = 1;
      if (i % 100 === 9) { o.spec.selector.matchLabels.track = 'stable'; o.spec.template.metadata.labels.track = 'stable'; }
    }
    after.push(...services(2, 100000 + d * 2));
    for (const [side, objs] of [['before', before], ['after', after]]) {
      fs.mkdirSync(path.join(root, side, `env-${d}`), { recursive: true });
      fs.writeFileSync(path.join(root, side, `env-${d}`, 'bench.k8s.yaml'), Yaml.stringify(...objs));
    }
  }
  return { root, before: path.join(root, 'before'), after: path.join(root, 'after'), objects: total };
}

function loadOnly(t) {
  const t0 = performance.now();
  const cache = new sw.DocumentCache();
  cache.load([t.before]);
  cache.load([t.after]);
  return performance.now() - t0;
}

function once(t) {
  const t0 = performance.now();
  const regroup = (loaded, root) => loaded.inputs.map(i => ({ ...i, group: path.relative(root, path.dirname(i.file)) }));
  const cache = new sw.DocumentCache();
  const result = sw.diffManifests(regroup(cache.load([t.before]), t.before), regroup(cache.load([t.after]), t.after));
  sw.renderDiff(result, [], 'markdown');
  return { ms: performance.now() - t0, consequences: result.consequences.length };
}

/** Median milliseconds for a diff of `objects` objects per side (`ms`) and for loading both sides only (`loadMs`). */
exports.measure = function measure(objects, reps = 3) {
  const t = trees(objects);
  try {
    once(t); // warm-up (module loading, JIT)
    loadOnly(t);
    const loads = [];
    const runs = Array.from({ length: reps }, () => {
      loads.push(loadOnly(t));
      return once(t);
    }).sort((a, b) => a.ms - b.ms);
    loads.sort((a, b) => a - b);
    return { objects: t.objects, ms: runs[Math.floor(reps / 2)].ms, loadMs: loads[Math.floor(reps / 2)], consequences: runs[0].consequences };
  } finally {
    fs.rmSync(t.root, { recursive: true, force: true });
  }
};

if (require.main === module) {
  const reps = Number(process.env.BENCH_REPS || 3);
  const small = exports.measure(1000, reps);
  const big = exports.measure(5000, reps);
  console.log(`diff: ${small.objects} objects/side ${small.ms.toFixed(0)} ms; ${big.objects} objects/side ${big.ms.toFixed(0)} ms (${big.consequences} consequences, ${(big.ms / big.loadMs).toFixed(2)}x loading both sides only); growth ${(big.ms / small.ms).toFixed(2)}x for ${(big.objects / small.objects).toFixed(2)}x the objects`);
}
