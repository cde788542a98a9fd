const { performance } = require('perf_hooks');
const fs = require('fs');
const jsyaml = require('js-yaml');
let text = fs.readFileSync('/tmp/big.yaml', 'utf8');
text = Array(10).fill(text).join('---\n');
for (let k = 0; k < 2; k++) {
  let t0 = performance.now(); const docs = jsyaml.loadAll(text); let t1 = performance.now();
  console.log('js-yaml objects', docs.length, (t1 - t0).toFixed(0));
}
