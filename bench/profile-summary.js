'use strict';
// Sums the self time of a V8 .cpuprofile (node --cpu-prof) by function and by file, and the
// total time (self + callees) by file of this package: node bench/profile-summary.js <file> [top]
const fs = require('fs');
const path = require('path');

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg || 15);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children || []) parent.set(c, n.id);

// Self time per node: the sum of the time deltas of the samples that hit it.
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  self.set(id, (self.get(id) || 0) + (profile.timeDeltas[i] || 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);

const root = path.resolve(__dirname, '..');
const short = url => {
  const p = url.replace(/^file:\/\//, '');
  if (!p) return '(native)';
  return p.startsWith(root) ? path.relative(root, p) : p.replace(/.*node_modules\//, 'node_modules/');
};
const fnKey = cf => `${cf.functionName || '(anonymous)'} ${short(cf.url)}:${cf.lineNumber + 1}`;

const add = (m, k, v) => m.set(k, (m.get(k) || 0) + v);
const byFn = new Map();
const byFile = new Map();
const inclusiveFile = new Map();
const inclusiveFn = new Map();
for (const [id, us] of self) {
  const cf = byId.get(id).callFrame;
  add(byFn, fnKey(cf), us);
  add(byFile, short(cf.url), us);
  // Inclusive by file: charge each file on the stack once.
  const seen = new Set();
  const seenFn = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const f = short(byId.get(n).callFrame.url);
    if (!seen.has(f)) { seen.add(f); add(inclusiveFile, f, us); }
    const k = fnKey(byId.get(n).callFrame);
    if (!seenFn.has(k)) { seenFn.add(k); add(inclusiveFn, k, us); }
  }
}

const print = (title, m, filter = () => true) => {
  console.log(`\n${title}`);
  [...m].filter(([k]) => filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top)
    .forEach(([k, us]) => console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`));
};
console.log(`total sampled: ${(total / 1000).toFixed(1)} ms in ${profile.samples.length} samples`);
print('self time by function', byFn);
print('self time by file', byFile);
const ours = k => / (lib|bench|scripts)\//.test(k) || /^(lib|bench|scripts)\//.test(k);
print('total time by function (this package only)', inclusiveFn, ours);
print('total time by file (this package only)', inclusiveFile, ours);
