'use strict';
// npm run bench: seaworthy vs hand-written cdk8s-plus-28 vs the YAML floor, each N in fresh
// processes, medians of REPS runs; ratios are computed from this one run. Prints a table, then
// the BENCH line last.
const { execFileSync, spawnSync } = require('child_process');
const path = require('path');
const { performance } = require('perf_hooks');

const REPS = Number(process.env.BENCH_REPS || 3);
const SIZES = (process.env.BENCH_SIZES || '10,100,1000,5000').split(',').map(Number);
const ROOT = path.resolve(__dirname, '..');

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function measure(mode, n) {
  const runs = [];
  for (let i = 0; i < REPS; i++) {
    const out = execFileSync(process.execPath, [path.join(__dirname, 'workload.js'), mode, String(n)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
    runs.push(JSON.parse(out.trim().split('\n').pop()));
  }
  const ms = median(runs.map(r => r.ms));
  return { mode, n, ms, objects: runs[0].objects, usPerObj: (ms * 1000) / runs[0].objects, rssMiB: median(runs.map(r => r.rssMiB)) };
}

// Sub-second commands are cheap to repeat and noisy on a shared machine: at least 7 runs.
function wall(cmd, args) {
  const times = [];
  for (let i = 0; i < Math.max(REPS, 7); i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

const rows = [];
for (const n of SIZES) {
  for (const mode of ['seaworthy', 'plain', 'floor']) rows.push(measure(mode, n));
}
const at = (mode, n) => rows.find(r => r.mode === mode && r.n === n);

const pad = (s, w) => String(s).padStart(w);
console.log(`${pad('N', 6)} ${pad('mode', 10)} ${pad('objects', 8)} ${pad('ms', 10)} ${pad('us/obj', 8)} ${pad('rss MiB', 8)}`);
for (const r of rows) {
  console.log(`${pad(r.n, 6)} ${pad(r.mode, 10)} ${pad(r.objects, 8)} ${pad(r.ms.toFixed(1), 10)} ${pad(r.usPerObj.toFixed(1), 8)} ${pad(r.rssMiB.toFixed(0), 8)}`);
}

const load = wall(process.execPath, ['-e', "require('cdk8s-plus-28')"]);
const synth = wall('npm', ['run', '-s', 'synth']);
// Where the synth time goes: npm's own cost for running a script (its built-in `env` script:
// start-up, package.json, a shell), and the app in a bare node process.
const npmAlone = wall('npm', ['run', '-s', 'env']);
const nodeSynth = wall(process.execPath, ['scripts/synth.js']);
console.log(`\nnpm run synth: ${synth.toFixed(0)} ms; node -e "require('cdk8s-plus-28')": ${load.toFixed(0)} ms`);
console.log(`  of which npm itself (npm run -s env): ${npmAlone.toFixed(0)} ms; node scripts/synth.js alone: ${nodeSynth.toFixed(0)} ms (${(nodeSynth / load).toFixed(2)}x the load)`);

let audit = 'na';
try {
  audit = require('./audit-throughput').objectsPerSecond(REPS).toFixed(0);
} catch (e) {
  if (e.code !== 'MODULE_NOT_FOUND') throw e;
}

let diff = { ms: NaN, objects: 0 };
let diffSmall = { ms: NaN, objects: 0 };
try {
  const d = require('./diff-throughput');
  diffSmall = d.measure(1000, REPS);
  diff = d.measure(5000, REPS);
  console.log(`seaworthy diff: ${diffSmall.objects} objects/side ${diffSmall.ms.toFixed(0)} ms; ${diff.objects} objects/side ${diff.ms.toFixed(0)} ms (budget 2000 ms)`);
} catch (e) {
  if (e.code !== 'MODULE_NOT_FOUND') throw e;
}

const ref = SIZES.includes(1000) ? 1000 : SIZES[SIZES.length - 1];
const big = SIZES.includes(5000) ? 5000 : SIZES[SIZES.length - 1];
const f = (x, d = 2) => x.toFixed(d);
console.log([
  'BENCH',
  `n=${ref}`,
  `objects=${at('seaworthy', ref).objects}`,
  `us_per_obj=${f(at('seaworthy', ref).usPerObj, 1)}`,
  `ratio_vs_plain=${f(at('seaworthy', ref).usPerObj / at('plain', ref).usPerObj)}`,
  `ratio_vs_floor=${f(at('seaworthy', ref).usPerObj / at('floor', ref).usPerObj)}`,
  `growth_5000_vs_1000=${f(at('seaworthy', big).ms / at('seaworthy', ref).ms)}`,
  `rss_mib_5000=${f(at('seaworthy', big).rssMiB, 0)}`,
  `synth_ratio_vs_load=${f(synth / load)}`,
  `audit_obj_per_s=${audit}`,
  `diff_ms_5000=${f(diff.ms, 0)}`,
  `diff_growth_5000_vs_1000=${f(diff.ms / diffSmall.ms)}`,
].join(' '));
