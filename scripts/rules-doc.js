'use strict';
// npm run docs: writes docs/rules.md from the rule catalog (test/docs.test.ts checks it for drift).
const fs = require('fs');
const path = require('path');
const { renderRulesDoc } = require('../lib/src/rules/docs');

const out = path.resolve(__dirname, '..', 'docs', 'rules.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, renderRulesDoc());
console.log(`wrote ${path.relative(process.cwd(), out)}`);
