'use strict';
// seaworthy report: generation time of the HTML page for N WebServices (default 1000), all in one
// namespace (the worst case for folding: one namespace holds every workload) or spread over M
// namespaces: every tenth is reached from ingress-nginx, and each calls up to four others of its
// namespace (a call tree a few levels deep, both sides' NetworkPolicies open), as real platforms
// are wired. Its baseline, measured in the same process: the same page without the Graphviz
// layout (model, graph, folding and HTML, the SVG left empty). Medians of `reps` runs after a
// warm-up. `node bench/report.js [services] [namespaces]`; build first (npm run build).
const { performance } = require('perf_hooks');
const { App, Chart, Size } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const sw = require('../lib/src');
const { parseManifests } = require('../lib/src/manifests/load');
const { reportModel } = require('../lib/src/report/model');
const { foldGraph, toDot, trafficGraph } = require('../lib/src/report/graph');
const { page } = require('../lib/src/report/html');

function manifests(services, namespaces = 1) {
  const app = new App({ outdir: '/dev/null' });
  const per = Math.ceil(services / namespaces);
  for (let n = 0; n * per < services; n++) {
    const chart = new Chart(app, `bench${n}`, { namespace: namespaces === 1 ? 'bench' : `bench-${n}` });
    const all = [];
    for (let i = n * per; i < Math.min(services, (n + 1) * per); i++) {
      all.push(new sw.WebService(chart, `svc${i}`, {
        name: `svc-${i}`, image: `ghcr.io/acme/svc-${i}:1.0.${i}`, port: 8080,
        size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
        replicas: i % 2 === 0 ? undefined : 3, autoscaling: i % 2 === 0 ? { minReplicas: 3, maxReplicas: 6 } : undefined,
        readiness: sw.Probe.http('/ready'), liveness: sw.Probe.http('/healthz'), allowFrom: i % 10 === 0 ? [sw.Peer.namespace('ingress-nginx')] : [],
      }));
      const j = all.length - 1;
      if (j > 0) all[j].allowFrom(all[Math.floor((j - 1) / 4)]);
    }
  }
  // One synthesis of the whole app (a chart's toJson() would validate the app once per chart).
  return app.synthYaml();
}

/** explainReport() without its layout step: what the page costs besides Graphviz. */
function pageWithoutLayout(inputs) {
  const model = reportModel(inputs, {});
  const anchors = new Map();
  model.workloads.forEach((w, i) => anchors.set(`${w.facts.group}\0${w.ref}`, `#card-${i}`));
  model.frontDoors.forEach((d, i) => anchors.set(`${d.group}\0${d.ref}`, `#door-${i}`));
  const graph = trafficGraph(model, anchors);
  const layout = foldGraph(model, graph);
  toDot(model, layout);
  return page({ model, graph, layout, svg: '', anchors, sections: [], link: f => f, generator: 'seaworthy' });
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Medians over `reps`: ms of the whole page (`ms`) and without the layout (`noLayoutMs`), its size. */
exports.measure = async function measure(services, reps = 3, namespaces = 1) {
  const { inputs } = parseManifests('bench.yaml', manifests(services, namespaces));
  const runs = [];
  let bytes = 0;
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    pageWithoutLayout(inputs);
    const t1 = performance.now();
    const html = await sw.explainReport(inputs);
    const t2 = performance.now();
    bytes = Buffer.byteLength(html);
    if (i > 0) runs.push({ noLayoutMs: t1 - t0, ms: t2 - t1 }); // the first is a warm-up (and loads Graphviz)
  }
  return { services, namespaces, objects: inputs.length, bytes, ms: median(runs.map(r => r.ms)), noLayoutMs: median(runs.map(r => r.noLayoutMs)) };
};

if (require.main === module) {
  exports.measure(Number(process.argv[2] || 1000), Number(process.env.BENCH_REPS || 1), Number(process.argv[3] || 1)).then(r => {
    console.log(`report: ${r.services} services in ${r.namespaces} namespace${r.namespaces === 1 ? '' : 's'}, ${r.objects} objects → ${(r.bytes / 2 ** 20).toFixed(2)} MiB HTML in ${(r.ms / 1000).toFixed(1)} s; without the layout ${(r.noLayoutMs / 1000).toFixed(1)} s (${(r.ms / r.noLayoutMs).toFixed(2)}x)`);
  }).catch(e => { console.error(e); process.exitCode = 1; });
}
