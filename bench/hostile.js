'use strict';
// Measures `seaworthy audit` on hostile inputs: wall time and peak RSS of a fresh process per
// input (each under a 120 s timeout). Run `npm run build` (or tsc -p tsconfig.json) first.
// Usage: node bench/hostile.js [name-filter]
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-hostile-'));
const cm = (name, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: a\n${extra}`;

function laughs(levels, width) {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol, namespace: a}', 'data:', `  l0: &l0 [${Array(width).fill('"lol"').join(',')}]`];
  for (let i = 1; i < levels; i++) lines.push(`  l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(',')}]`);
  return `${lines.join('\n')}\n`;
}

function nestedLists(depth) {
  let inner = `{apiVersion: v1, kind: Secret, metadata: {name: hidden, namespace: a}, stringData: {password: x}}`;
  for (let i = 0; i < depth; i++) inner = `{apiVersion: v1, kind: List, items: [${inner}]}`;
  return `${inner}\n`;
}

/** name → file content (built lazily: some are big). */
const INPUTS = {
  'baseline: one small ConfigMap': () => cm('small'),
  'billion-laughs 9x10 (1 KB)': () => laughs(9, 10),
  'billion-laughs 12x12': () => laughs(12, 12),
  'billion-laughs 6x8 (262k nodes, allowed by go-yaml)': () => laughs(6, 8),
  'alias to its own anchor': () => `${cm('self')}x: &a [1, *a]\n`,
  'aliases into a Deployment spec': () => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec:\n  template:\n    metadata: {labels: &l {a: b}}\n    spec:\n      containers: &c [${Array(50).fill('{name: c, image: "x:1", env: &e [{name: A, value: b}]}').join(',')}]\n      initContainers: *c\n`,
  'deep flow nesting 50k': () => `${cm('deep')}data:\n  x: ${'['.repeat(50000)}${']'.repeat(50000)}\n`,
  'deep block nesting 5k': () => `${cm('deep2')}x:\n${Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')}a\n`,
  'nested List 10000 deep': () => nestedLists(10000),
  'nested List 50 deep': () => nestedLists(50),
  'nested List 300 deep': () => nestedLists(300),
  '2.9 MB document of 40k small mappings': () => `${cm('many')}x:\n${Array.from({ length: 40000 }, (_, i) => `  - {a${i}: [1, 2, {b: c}], d: e}`).join('\n')}\n`,
  '4 MB single string value': () => `${cm('big')}data:\n  x: "${'a'.repeat(4 << 20)}"\n`,
  '2 MB value with a long bad label': () => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  labels:\n    x: "${'a '.repeat(1 << 20)}"\n`,
  '100k documents': () => Array.from({ length: 100000 }, (_, i) => cm(`c${i}`)).join('---\n'),
  '20k keys one mapping': () => `${cm('keys')}data:\n${Array.from({ length: 20000 }, (_, i) => `  k${i}: v`).join('\n')}\n`,
  'terminal escapes in names': () => `apiVersion: v1\nkind: Service\nmetadata: {name: "\\e[2J\\e]0;pwned\\a", namespace: a}\n`,
  'many anchors, few aliases': () => `${cm('anchors')}data:\n${Array.from({ length: 50000 }, (_, i) => `  k${i}: &a${i} v`).join('\n')}\n`,
};

const bin = path.join(__dirname, '..', 'bin', 'seaworthy.js');
const filter = process.argv[2];
const rows = [];
for (const [name, make] of Object.entries(INPUTS)) {
  if (filter && !name.includes(filter)) continue;
  const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.yaml`);
  fs.writeFileSync(file, make());
  const size = fs.statSync(file).size;
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', process.execPath, bin, 'audit', '--format', 'json', file], { encoding: 'utf8', timeout: 120000, maxBuffer: 1 << 30 });
  const [secs, kb] = (r.stderr.trim().split('\n').pop() || '').split(' ');
  const status = r.error ? `timeout/${r.error.code}` : r.signal ? r.signal : String(r.status);
  rows.push({ input: name, bytes: size, seconds: Number(secs), peakMiB: Math.round(Number(kb) / 1024), exit: status, stdoutKiB: Math.round((r.stdout || '').length / 1024) });
  console.log(JSON.stringify(rows[rows.length - 1]));
}
const worst = rows.reduce((a, b) => (b.seconds > a.seconds ? b : a), rows[0]);
const fattest = rows.reduce((a, b) => (b.peakMiB > a.peakMiB ? b : a), rows[0]);
console.log(`HOSTILE worst time ${worst.seconds}s (${worst.input}); worst peak RSS ${fattest.peakMiB} MiB (${fattest.input})`);
fs.rmSync(dir, { recursive: true, force: true });
