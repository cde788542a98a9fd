const { performance } = require('perf_hooks');
const fs = require('fs');
const YAML = require('yaml');
let text = fs.readFileSync('/tmp/big.yaml', 'utf8');
text = Array(10).fill(text).join('---\n');
for (let k = 0; k < 2; k++) {
  let t0 = performance.now(); const docs = YAML.parseAllDocuments(text, { version: '1.1' }); docs.map(d => d.toJS()); let t1 = performance.now();
  const chunks = text.split(/^(?=---(?:\s|$))/m);
  const out = chunks.map(c => YAML.parseDocument(c, { version: '1.1' }).toJS()); let t2 = performance.now();
  console.log('objects', docs.length, 'all', (t1 - t0).toFixed(0), 'chunks', (t2 - t1).toFixed(0), out.length);
}
