'use strict';
// npm run docs: writes docs/rules.md from the rule catalog (test/docs.test.ts checks it for drift).
const fs = require('fs');
const path = require('path');
const { admissionSummary } = require('../lib/src/admission/eligibility');
const { renderRulesDoc } = require('../lib/src/rules/docs');

const out = path.resolve(__dirname, '..', 'docs', 'rules.md');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, renderRulesDoc(admissionSummary));
console.log(`wrote ${path.relative(process.cwd(), out)}`);
