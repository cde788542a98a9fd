'use strict';
// seaworthy explain: what `seaworthy explain <dir> --format markdown` does in memory (parse,
// explain every workload, render Markdown) against its baseline, `seaworthy audit`'s in-memory
// path on the same text (parse and audit), measured side by side in one process, medians of
// `reps` runs after a warm-up, on the reference shapes of `npm run bench`.
// `node bench/explain.js [objects]` (default 5,500). Build first (npm run build).
const { performance } = require('perf_hooks');
const sw = require('../lib/src');
const { parseManifests } = require('../lib/src/manifests/load');
const { manifests } = require('./audit-throughput');

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Medians over `reps`: ms of parse + explain + Markdown (`ms`) and of parse + audit (`auditMs`). */
exports.measure = function measure(objects, reps = 3) {
  const text = manifests(objects);
  const runs = [];
  let count = 0;
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    sw.audit(parseManifests('bench.yaml', text).inputs);
    const t1 = performance.now();
    const { inputs } = parseManifests('bench.yaml', text);
    sw.renderExplanation(sw.explain(inputs), true);
    const t2 = performance.now();
    count = inputs.length;
    if (i > 0) runs.push({ auditMs: t1 - t0, ms: t2 - t1 }); // the first is a warm-up
  }
  return { objects: count, ms: median(runs.map(r => r.ms)), auditMs: median(runs.map(r => r.auditMs)) };
};

if (require.main === module) {
  const r = exports.measure(Number(process.argv[2] || 5500), Number(process.env.BENCH_REPS || 3));
  console.log(`explain: ${r.objects} objects explained in ${r.ms.toFixed(0)} ms, audited in ${r.auditMs.toFixed(0)} ms: ${(r.ms / r.auditMs).toFixed(2)}x`);
}
