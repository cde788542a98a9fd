'use strict';
// docs/diff.md's example of `seaworthy diff --format markdown`: a pull request against the reference
// app's committed dist/prod/shop.k8s.yaml that bumps the API image, grows the database's claim
// template, drops the web tier to one replica and makes its Service a LoadBalancer. Part of
// `npm run docs` (test/docs.test.ts checks docs/diff.md for drift).
const fs = require('fs');
const path = require('path');

const FILE = 'dist/prod/shop.k8s.yaml';

/** The edited text: the pull request. */
function edit(text) {
  const once = (s, from, to) => {
    if (!s.includes(from)) throw new Error(`${FILE} no longer contains ${JSON.stringify(from)}; update scripts/diff-example.js`);
    return s.replace(from, to);
  };
  let t = once(text, 'image: ghcr.io/acme/shop-api:4.2.0', 'image: ghcr.io/acme/shop-api:4.3.0');
  t = once(t, '            storage: 50Gi', '            storage: 100Gi');
  t = once(t, 'name: web\n  namespace: shop\nspec:\n  minReadySeconds: 10\n  progressDeadlineSeconds: 600\n  replicas: 3', 'name: web\n  namespace: shop\nspec:\n  minReadySeconds: 10\n  progressDeadlineSeconds: 600\n  replicas: 1');
  t = once(t, '      targetPort: 3000\n  selector:\n    app.kubernetes.io/instance: web\n    app.kubernetes.io/name: web\n  type: ClusterIP', '      targetPort: 3000\n  selector:\n    app.kubernetes.io/instance: web\n    app.kubernetes.io/name: web\n  type: LoadBalancer');
  return t;
}

/** The markdown, rendered with `sw` (the built library, or the sources in a test). */
function renderDiffExample(sw, root = path.resolve(__dirname, '..')) {
  const text = fs.readFileSync(path.join(root, FILE), 'utf8');
  const cache = new sw.DocumentCache();
  const before = cache.parse(FILE, text, 'dist/prod');
  const after = cache.parse(FILE, edit(text), 'dist/prod');
  const result = sw.diffManifests(before.inputs, after.inputs, { kubernetesVersion: '1.33' });
  return sw.renderDiff(result, [], 'markdown', { sides: { before: 'dist at HEAD~1', after: 'the working tree' }, linkBase: '../' }).trimEnd();
}

module.exports = { renderDiffExample };

if (require.main === module) {
  const sw = require('../lib/src');
  const page = path.resolve(__dirname, '..', 'docs', 'diff.md');
  const text = fs.readFileSync(page, 'utf8');
  const begin = '<!-- BEGIN generated diff example -->';
  const end = '<!-- END generated diff example -->';
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`docs/diff.md needs the markers ${begin} … ${end}`);
  fs.writeFileSync(page, `${text.slice(0, a + begin.length)}\n\n${renderDiffExample(sw)}\n\n${text.slice(b)}`);
  console.log('wrote the diff example of docs/diff.md');
}
