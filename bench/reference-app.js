'use strict';
// The reference app's run split, in a fresh process: node bench/reference-app.js
// Prints one JSON line: { requireMs, mainMs, againMs } — the require() of lib/src/main.js
// (cdk8s, cdk8s-plus-28 and seaworthy's modules), main() alone (three environments built,
// synthesized, audited and written, as `node scripts/synth.js` does after its require), and
// main() once more in the same process (its code no longer runs for the first time). main()
// writes ./dist ($CDK8S_OUTDIR if set): bench.js runs it in a fresh temporary directory. The
// findings main() prints are dropped.
const { performance } = require('perf_hooks');
const path = require('path');

const t0 = performance.now();
const { main } = require(path.resolve(__dirname, '..', 'lib', 'src', 'main.js'));
const t1 = performance.now();
console.warn = () => {};
main();
const t2 = performance.now();
main();
const t3 = performance.now();
process.stdout.write(`${JSON.stringify({ requireMs: t1 - t0, mainMs: t2 - t1, againMs: t3 - t2 })}\n`);
