'use strict';
// seaworthy audit: the CLI's in-memory path (parse the YAML, audit every object) against its
// baseline, parsing the same text only, measured side by side in one process (medians of `reps`
// runs after a warm-up), on the reference shapes of `npm run bench` repeated to `objects`.
// `node bench/audit-throughput.js [objects]` (default 10,000). Build first (npm run build).
const { performance } = require('perf_hooks');
const { App, Chart, Size, Yaml } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const sw = require('../lib/src');
const { parseManifests } = require('../lib/src/manifests/load');

/** YAML of about `objects` objects (5.5 per service). */
exports.manifests = manifests;
function manifests(objects) {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < Math.ceil(objects / 5.5); i++) {
    new sw.WebService(chart, `svc${i}`, {
      name: `svc-${i}`, image: `ghcr.io/acme/svc-${i}:1.0.${i}`, port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: i % 2 === 0 ? undefined : 3, autoscaling: i % 2 === 0 ? { minReplicas: 3, maxReplicas: 6 } : undefined,
      readiness: sw.Probe.http('/ready'), liveness: sw.Probe.http('/healthz'), allowFrom: [sw.Peer.namespace('ingress-nginx')],
    });
  }
  return Yaml.stringify(...chart.toJson());
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Medians over `reps` of: ms to parse and audit about `objects` objects (`ms`), and ms to parse
 * them only (`parseMs`).
 */
exports.measure = function measure(objects, reps = 3) {
  const text = manifests(objects);
  const runs = [];
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    parseManifests('bench.yaml', text);
    const t1 = performance.now();
    const { inputs } = parseManifests('bench.yaml', text);
    sw.audit(inputs);
    const t2 = performance.now();
    if (i > 0) runs.push({ parseMs: t1 - t0, ms: t2 - t1, objects: inputs.length }); // the first is a warm-up
  }
  return { objects: runs[0].objects, ms: median(runs.map(r => r.ms)), parseMs: median(runs.map(r => r.parseMs)) };
};

/** Median objects per second of parse + audit of 10,000 objects. */
exports.objectsPerSecond = function objectsPerSecond(reps = 3) {
  const r = exports.measure(10000, reps);
  return r.objects / (r.ms / 1000);
};

if (require.main === module) {
  const r = exports.measure(Number(process.argv[2] || 10000), Number(process.env.BENCH_REPS || 3));
  console.log(`audit: ${r.objects} objects parsed and audited in ${r.ms.toFixed(0)} ms (${(r.objects / (r.ms / 1000)).toFixed(0)} objects/s), parsed only in ${r.parseMs.toFixed(0)} ms: ${(r.ms / r.parseMs).toFixed(2)}x`);
}
