'use strict';
// The reference app's run split in two, in a fresh process: node bench/reference-app.js
// Prints one JSON line: { requireMs, mainMs } — the require() of lib/src/main.js (cdk8s,
// cdk8s-plus-28 and seaworthy's modules) and main() alone (three environments built, synthesized,
// audited and written to dist/, as `node scripts/synth.js` does after its require). Run it from
// the repository's root; the findings main() prints are dropped.
const { performance } = require('perf_hooks');
const path = require('path');

const t0 = performance.now();
const { main } = require(path.resolve(__dirname, '..', 'lib', 'src', 'main.js'));
const t1 = performance.now();
console.warn = () => {};
main();
const t2 = performance.now();
process.stdout.write(`${JSON.stringify({ requireMs: t1 - t0, mainMs: t2 - t1 })}\n`);
