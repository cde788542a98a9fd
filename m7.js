const { performance } = require('perf_hooks');
const fs = require('fs');
const YAML = require('yaml');
const text = fs.readFileSync('/tmp/big.yaml', 'utf8');
for (const opts of [{ version: '1.1' }, { version: '1.1', prettyErrors: true }, { version: '1.1', keepSourceTokens: false, prettyErrors: false, strict: false }, {}]) {
  let t0 = performance.now(); const docs = YAML.parseAllDocuments(text, opts); let t1 = performance.now(); docs.map(d => d.toJS()); let t2 = performance.now();
  console.log(JSON.stringify(opts), 'parse', (t1 - t0).toFixed(0), 'toJS', (t2 - t1).toFixed(0));
}
let t0 = performance.now(); const p = new YAML.Parser(); const toks = [...p.parse(text)]; console.log('lex+parse tokens', (performance.now() - t0).toFixed(0));
