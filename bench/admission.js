'use strict';
// seaworthy admission: two measurements, each against its baseline measured side by side in one
// process, medians of `reps` runs after a warm-up.
//
// Generation: what `seaworthy admission --kubernetes-version 1.35` does in memory (every
// ValidatingAdmissionPolicy, and its bindings under every profile, written as YAML), against the
// YAML of the same objects alone. That baseline is the one part no implementation can skip —
// the command's output, the same bytes — so the ratio reads as what building the policies (the
// rules' CEL, match rules, bindings per profile) costs over writing them, and stays comparable as
// rules are added: both sides grow with the output. (A stand-in of as many policies without the
// rule logic would measure a shape of our choosing, not the command's.) One generation takes a
// few milliseconds, so each run times a batch of GEN_BATCH and divides.
//
// CEL evaluation: every generated ValidatingAdmissionPolicy evaluated on every object (the
// reference shapes of `npm run bench`, parsed once), as the tests evaluate them offline with
// @bufbuild/cel (test/support/admission-cel.ts, compiled into lib/bench/ by
// `npx tsc -p tsconfig.bench.json`), against `audit()` of the same parsed objects. Parsing is left
// out of both: the API server evaluates decoded objects, and the audit's parsing has its own
// figure. The warm-up run also compiles each expression once (the evaluator keeps the programs).
//
// `node bench/admission.js [objects]` (default 5,500: the CEL evaluation at a fifth of it and at
// it). Build first (npm run build && npx tsc -p tsconfig.bench.json).
const { performance } = require('perf_hooks');
const sw = require('../lib/src');
const { runAdmission } = require('../lib/src/admission/cli');
const { admissionPolicies } = require('../lib/src/admission/policies');
const { parseManifests } = require('../lib/src/manifests/load');
const { stringifyManifests } = require('../lib/src/synth/yaml-emitter');
const { KubernetesTarget } = require('../lib/src/target/target');
const { manifests } = require('./audit-throughput');

const VERSION = '1.35';
const GEN_BATCH = 10;

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function evaluator() {
  try {
    return require('../lib/bench/test/support/admission-cel');
  } catch (e) {
    if (e.code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error('bench/admission.js: the evaluator is not compiled; run npx tsc -p tsconfig.bench.json (npm run bench does)');
  }
}

/**
 * Medians over `reps` (at least 7: runs of a few ms are noisy) of the ms of one generation as the
 * command does it, from its parsed arguments to the YAML (`ms`), and of the YAML of its objects alone
 * (`yamlMs`); with the counts of policies and bindings and the output's size.
 */
exports.generation = function generation(reps = 3) {
  const cmd = { kubernetesVersion: VERSION, profile: sw.Profile.PRODUCTION };
  let out = '';
  const io = { stdout: text => { out = text; }, stderr: () => {} };
  const objects = admissionPolicies(KubernetesTarget.version(VERSION), { unlabelled: cmd.profile });
  const runs = [];
  for (let i = 0; i <= Math.max(reps, 7); i++) {
    const t0 = performance.now();
    for (let j = 0; j < GEN_BATCH; j++) runAdmission(cmd, io);
    const t1 = performance.now();
    for (let j = 0; j < GEN_BATCH; j++) stringifyManifests(...objects);
    const t2 = performance.now();
    if (i > 0) runs.push({ ms: (t1 - t0) / GEN_BATCH, yamlMs: (t2 - t1) / GEN_BATCH }); // the first is a warm-up
  }
  if (out !== stringifyManifests(...objects)) throw new Error('bench/admission.js: the baseline is not the command\'s output');
  const policies = objects.filter(o => o.kind === 'ValidatingAdmissionPolicy').length;
  return { policies, bindings: objects.length - policies, bytes: out.length, ms: median(runs.map(r => r.ms)), yamlMs: median(runs.map(r => r.yamlMs)) };
};

/**
 * Medians over `reps` of the ms to evaluate every generated validating policy on about `objects`
 * parsed objects (`ms`) and to audit them (`auditMs`); `judged` counts the (policy, object) pairs
 * a policy matched, `denied` those it refused.
 */
exports.measure = function measure(objects, reps = 3) {
  const { evaluatePolicy } = evaluator();
  const policies = admissionPolicies(KubernetesTarget.version(VERSION)).filter(o => o.kind === 'ValidatingAdmissionPolicy');
  const { inputs } = parseManifests('bench.yaml', manifests(objects));
  const runs = [];
  let judged = 0;
  let denied = 0;
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    sw.audit(inputs);
    const t1 = performance.now();
    judged = 0;
    denied = 0;
    for (const { object } of inputs) {
      for (const p of policies) {
        const outcome = evaluatePolicy(p, object);
        if (outcome.matched) judged++;
        if (!outcome.allowed) denied++;
      }
    }
    const t2 = performance.now();
    if (i > 0) runs.push({ auditMs: t1 - t0, ms: t2 - t1 }); // the first is a warm-up
  }
  return { objects: inputs.length, policies: policies.length, judged, denied, ms: median(runs.map(r => r.ms)), auditMs: median(runs.map(r => r.auditMs)) };
};

if (require.main === module) {
  const reps = Number(process.env.BENCH_REPS || 3);
  const objects = Number(process.argv[2] || 5500);
  const g = exports.generation(reps);
  console.log(`admission generation (Kubernetes ${VERSION}): ${g.policies} policies and ${g.bindings} bindings (${(g.bytes / 1024).toFixed(0)} KiB of YAML) in ${g.ms.toFixed(1)} ms, the YAML alone ${g.yamlMs.toFixed(1)} ms: ${(g.ms / g.yamlMs).toFixed(2)}x`);
  const small = exports.measure(Math.round(objects / 5), reps);
  const big = exports.measure(objects, reps);
  for (const r of [small, big]) {
    console.log(`admission CEL: ${r.policies} policies on ${r.objects} objects (${r.judged} matched pairs, ${r.denied} denied) in ${r.ms.toFixed(0)} ms (${(r.objects / (r.ms / 1000)).toFixed(0)} objects/s, ${((r.ms * 1000) / r.judged).toFixed(1)} us per matched pair), audited in ${r.auditMs.toFixed(0)} ms: ${(r.ms / r.auditMs).toFixed(2)}x`);
  }
  console.log(`admission CEL growth: ${(big.ms / small.ms).toFixed(2)}x for ${(big.objects / small.objects).toFixed(2)}x the objects`);
}
