'use strict';
// npm run bench: every command against a baseline measured in the same run, and its growth from
// N to 5N. Synthesis: seaworthy (alone; after Findings.of(app); with the findings read from the
// synthesis itself, synthesize()'s `findings` option) vs
// hand-written cdk8s-plus-28 vs the YAML floor, each N in fresh processes, medians of REPS runs
// (REPS_BIG for N > 1000), and at the largest N writeManifests() and two floors of memory (the
// app built, nothing rendered; its objects streamed to /dev/null, nothing checked or kept);
// npm run synth vs a bare require('cdk8s-plus-28'), and the reference app's main() alone; audit vs parsing
// only; diff vs loading both sides only; report vs the same page without the Graphviz layout;
// explain vs the audit; admission: generating the policies vs their YAML alone, their CEL vs
// the audit. Prints a table per command, then the BENCH line last.
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { performance } = require('perf_hooks');

const REPS = Number(process.env.BENCH_REPS || 3);
const REPS_BIG = Number(process.env.BENCH_REPS_BIG || Math.min(REPS, 1));
const SIZES = (process.env.BENCH_SIZES || '10,100,1000,5000').split(',').map(Number);
// Scales the sizes of audit, diff, explain, admission and report (BENCH_SCALE=0.1 for a quick look).
const SCALE = Number(process.env.BENCH_SCALE || 1);
const sized = x => Math.max(10, Math.round(x * SCALE));
const ROOT = path.resolve(__dirname, '..');
const loadAtStart = os.loadavg()[0];

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Runs bench/<script> in a fresh node process and returns the JSON of the last line it prints.
function runScript(script, args, options = {}) {
  const out = execFileSync(process.execPath, [path.join(__dirname, script), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20, ...options });
  return JSON.parse(out.trim().split('\n').pop());
}

function measure(mode, n) {
  const runs = [];
  for (let i = 0; i < (n > 1000 ? REPS_BIG : REPS); i++) runs.push(runScript('workload.js', [mode, String(n)]));
  const ms = median(runs.map(r => r.ms));
  const cpuMs = median(runs.map(r => r.cpuMs));
  return { mode, n, ms, cpuMs, objects: runs[0].objects, usPerObj: (ms * 1000) / runs[0].objects, cpuUsPerObj: (cpuMs * 1000) / runs[0].objects, rssMiB: median(runs.map(r => r.rssMiB)) };
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

const ref = SIZES.includes(1000) ? 1000 : SIZES[SIZES.length - 1];
const big = SIZES.includes(5000) ? 5000 : SIZES[SIZES.length - 1];
const rows = [];
for (const n of SIZES) {
  const modes = n === ref || n === big ? ['seaworthy', 'rules', 'findings', 'plain', 'floor'] : ['seaworthy', 'plain', 'floor'];
  // At the largest N, also what a pipeline runs (writeManifests()) and two floors of memory.
  if (n === big) modes.push('write', 'tree', 'stream');
  for (const mode of modes) rows.push(measure(mode, n));
}
const at = (mode, n) => rows.find(r => r.mode === mode && r.n === n);

const pad = (s, w) => String(s).padStart(w);
console.log('synthesis (rules: Findings.of(app), then synthesize(app); findings: synthesize(app, { findings }), as src/main.ts runs it)');
console.log(`${pad('N', 6)} ${pad('mode', 10)} ${pad('objects', 8)} ${pad('ms', 10)} ${pad('us/obj', 8)} ${pad('cpu us/obj', 10)} ${pad('rss MiB', 8)}`);
for (const r of rows) {
  console.log(`${pad(r.n, 6)} ${pad(r.mode, 10)} ${pad(r.objects, 8)} ${pad(r.ms.toFixed(1), 10)} ${pad(r.usPerObj.toFixed(1), 8)} ${pad(r.cpuUsPerObj.toFixed(1), 10)} ${pad(r.rssMiB.toFixed(0), 8)}`);
}

const load = wall(process.execPath, ['-e', "require('cdk8s-plus-28')"]);
const synth = wall('npm', ['run', '-s', 'synth']);
// Where the synth time goes: npm's own cost for running a script (its built-in `env` script:
// start-up, package.json, a shell), and the app in a bare node process.
const npmAlone = wall('npm', ['run', '-s', 'env']);
const nodeSynth = wall(process.execPath, ['scripts/synth.js']);
// node scripts/synth.js split: loading the modules, the app's own run once they are loaded, and
// that run again in the same process. Written into a temporary directory, not the tracked dist/.
const split = [];
const splitDir = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-bench-'));
try {
  for (let i = 0; i < Math.max(REPS, 7); i++) {
    // main() writes ./dist (a repository path, so relative): run in a fresh directory each time.
    const cwd = fs.mkdtempSync(path.join(splitDir, 'run-'));
    const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false' };
    delete env.CDK8S_OUTDIR;
    split.push(runScript('reference-app.js', [], { cwd, env }));
  }
} finally {
  fs.rmSync(splitDir, { recursive: true, force: true });
}
const requireMs = median(split.map(r => r.requireMs));
const appMs = median(split.map(r => r.mainMs));
const againMs = median(split.map(r => r.againMs));
console.log(`\nnpm run synth: ${synth.toFixed(0)} ms; node -e "require('cdk8s-plus-28')": ${load.toFixed(0)} ms`);
console.log(`  of which npm itself (npm run -s env): ${npmAlone.toFixed(0)} ms; node scripts/synth.js alone: ${nodeSynth.toFixed(0)} ms (${(nodeSynth / load).toFixed(2)}x the load)`);
console.log(`  in one process: require('lib/src/main.js') ${requireMs.toFixed(0)} ms, then main() alone ${appMs.toFixed(0)} ms (${(appMs / load).toFixed(2)}x the load), main() again ${againMs.toFixed(0)} ms (${(againMs / appMs).toFixed(2)}x the first)`);

// The commands, each in this process against its own baseline, at a size and at five times it.
const reps = Math.max(1, REPS);
const audit = require('./audit-throughput');
const auditSmall = audit.measure(sized(2000), reps);
const auditBig = audit.measure(sized(10000), reps);
console.log(`\nseaworthy audit: ${auditSmall.objects} objects ${auditSmall.ms.toFixed(0)} ms (parse only ${auditSmall.parseMs.toFixed(0)} ms); ${auditBig.objects} objects ${auditBig.ms.toFixed(0)} ms (parse only ${auditBig.parseMs.toFixed(0)} ms), ${(auditBig.objects / (auditBig.ms / 1000)).toFixed(0)} objects/s`);

const diff = require('./diff-throughput');
const diffSmall = diff.measure(sized(1000), reps);
const diffBig = diff.measure(sized(5000), reps);
console.log(`seaworthy diff: ${diffSmall.objects} objects/side ${diffSmall.ms.toFixed(0)} ms (loading both sides ${diffSmall.loadMs.toFixed(0)} ms); ${diffBig.objects} objects/side ${diffBig.ms.toFixed(0)} ms (loading ${diffBig.loadMs.toFixed(0)} ms; budget 1000 ms)`);

const explain = require('./explain');
const explainSmall = explain.measure(sized(1100), reps);
const explainBig = explain.measure(sized(5500), reps);
console.log(`seaworthy explain: ${explainSmall.objects} objects ${explainSmall.ms.toFixed(0)} ms (audit ${explainSmall.auditMs.toFixed(0)} ms); ${explainBig.objects} objects ${explainBig.ms.toFixed(0)} ms (audit ${explainBig.auditMs.toFixed(0)} ms)`);

const admission = require('./admission');
const admissionGen = admission.generation(reps);
const admissionSmall = admission.measure(sized(1100), reps);
const admissionBig = admission.measure(sized(5500), reps);
console.log(`seaworthy admission: ${admissionGen.policies} policies and ${admissionGen.bindings} bindings ${admissionGen.ms.toFixed(1)} ms (their YAML alone ${admissionGen.yamlMs.toFixed(1)} ms); CEL of every policy on ${admissionSmall.objects} objects ${admissionSmall.ms.toFixed(0)} ms (audit ${admissionSmall.auditMs.toFixed(0)} ms); ${admissionBig.objects} objects ${admissionBig.ms.toFixed(0)} ms (audit ${admissionBig.auditMs.toFixed(0)} ms), ${(admissionBig.objects / (admissionBig.ms / 1000)).toFixed(0)} objects/s`);

async function finish() {
  const report = require('./report');
  // One namespace holds every service: the largest graph, folded into one node above 250 nodes.
  const reportSmall = await report.measure(sized(1000), reps);
  const reportBig = await report.measure(sized(5000), REPS_BIG);
  console.log(`seaworthy report: ${reportSmall.services} services ${reportSmall.ms.toFixed(0)} ms (without layout ${reportSmall.noLayoutMs.toFixed(0)} ms); ${reportBig.services} services ${reportBig.ms.toFixed(0)} ms (without layout ${reportBig.noLayoutMs.toFixed(0)} ms)`);

  const f = (x, d = 2) => x.toFixed(d);
  const s = at('seaworthy', ref);
  const rules = at('rules', ref);
  const found = at('findings', ref);
  console.log([
    'BENCH',
    `n=${ref}`,
    `objects=${s.objects}`,
    `us_per_obj=${f(s.usPerObj, 1)}`,
    `ratio_vs_plain=${f(s.usPerObj / at('plain', ref).usPerObj)}`,
    `ratio_vs_floor=${f(s.usPerObj / at('floor', ref).usPerObj)}`,
    `cpu_ratio_vs_plain=${f(s.cpuMs / at('plain', ref).cpuMs)}`,
    `cpu_ratio_vs_floor=${f(s.cpuMs / at('floor', ref).cpuMs)}`,
    `rules_ratio_vs_plain=${f(rules.usPerObj / at('plain', ref).usPerObj)}`,
    `rules_ratio_vs_floor=${f(rules.usPerObj / at('floor', ref).usPerObj)}`,
    `rules_cpu_ratio_vs_plain=${f(rules.cpuMs / at('plain', ref).cpuMs)}`,
    `findings_ratio_vs_plain=${f(found.usPerObj / at('plain', ref).usPerObj)}`,
    `findings_ratio_vs_floor=${f(found.usPerObj / at('floor', ref).usPerObj)}`,
    `findings_cpu_ratio_vs_plain=${f(found.cpuMs / at('plain', ref).cpuMs)}`,
    `growth_${big}_vs_${ref}=${f(at('seaworthy', big).ms / s.ms)}`,
    `rss_mib_${big}=${f(at('seaworthy', big).rssMiB, 0)}`,
    `rules_rss_mib_${big}=${f(at('rules', big).rssMiB, 0)}`,
    `findings_rss_mib_${big}=${f(at('findings', big).rssMiB, 0)}`,
    `write_rss_mib_${big}=${f(at('write', big).rssMiB, 0)}`,
    `plain_rss_mib_${big}=${f(at('plain', big).rssMiB, 0)}`,
    `tree_rss_mib_${big}=${f(at('tree', big).rssMiB, 0)}`,
    `stream_floor_rss_mib_${big}=${f(at('stream', big).rssMiB, 0)}`,
    `synth_ratio_vs_load=${f(synth / load)}`,
    `node_synth_ratio_vs_load=${f(nodeSynth / load)}`,
    `node_app_ratio_vs_load=${f(appMs / load)}`,
    `node_app_again_ratio=${f(againMs / appMs)}`,
    `audit_obj_per_s=${f(auditBig.objects / (auditBig.ms / 1000), 0)}`,
    `audit_ratio_vs_parse=${f(auditBig.ms / auditBig.parseMs)}`,
    `audit_growth_5x=${f(auditBig.ms / auditSmall.ms)}`,
    `diff_ms_5000=${f(diffBig.ms, 0)}`,
    `diff_ratio_vs_load=${f(diffBig.ms / diffBig.loadMs)}`,
    `diff_growth_5000_vs_1000=${f(diffBig.ms / diffSmall.ms)}`,
    `explain_ratio_vs_audit=${f(explainBig.ms / explainBig.auditMs)}`,
    `explain_growth_5x=${f(explainBig.ms / explainSmall.ms)}`,
    `admission_rules=${admissionGen.policies}`,
    `admission_gen_ms=${f(admissionGen.ms, 1)}`,
    `admission_gen_ratio_vs_yaml=${f(admissionGen.ms / admissionGen.yamlMs)}`,
    `admission_cel_obj_per_s=${f(admissionBig.objects / (admissionBig.ms / 1000), 0)}`,
    `admission_cel_ratio_vs_audit=${f(admissionBig.ms / admissionBig.auditMs)}`,
    `admission_cel_growth_5x=${f(admissionBig.ms / admissionSmall.ms)}`,
    `report_s_1000=${f(reportSmall.ms / 1000)}`,
    `report_ratio_vs_no_layout=${f(reportBig.ms / reportBig.noLayoutMs)}`,
    `report_growth_5000_vs_1000=${f(reportBig.ms / reportSmall.ms)}`,
    `load=${f(loadAtStart, 1)}..${f(os.loadavg()[0], 1)}`,
  ].join(' '));
}

finish().catch(e => { console.error(e); process.exitCode = 1; });
