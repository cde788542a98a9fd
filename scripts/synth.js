'use strict';
// `npm run synth` and `cdk8s synth` run this: the reference app, precompiled. lib/ is rebuilt
// with tsc only when a TypeScript source is newer than it, so the common path does no
// type-checking and no compilation (see the synth_ratio_vs_load figure of `npm run bench`).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'lib', 'src', 'main.js');

function newestSource(dir) {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(p).mtimeMs);
  }
  return newest;
}

const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
const sources = Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'imports')), fs.statSync(path.join(root, 'tsconfig.json')).mtimeMs);
if (sources > built) {
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  // tsc leaves unchanged outputs alone only in incremental mode; touch the entry so the next run is fast.
  const now = new Date();
  fs.utimesSync(entry, now, now);
}
require(entry).main();
