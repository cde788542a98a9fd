'use strict';
// Part of `npm run docs`: docs/constructs.md and the README's per-construct YAML, generated from
// src/docs/construct-examples.ts (test/docs.test.ts checks both for drift).
const fs = require('fs');
const path = require('path');
const { renderConstructsDoc, renderReadmeExamples } = require('../lib/src/docs/construct-examples');

const root = path.resolve(__dirname, '..');
fs.writeFileSync(path.join(root, 'docs', 'constructs.md'), renderConstructsDoc());
const readme = path.join(root, 'README.md');
const text = fs.readFileSync(readme, 'utf8');
const begin = '<!-- BEGIN generated construct examples -->';
const end = '<!-- END generated construct examples -->';
const a = text.indexOf(begin);
const b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`README.md needs the markers ${begin} … ${end}`);
fs.writeFileSync(readme, `${text.slice(0, a + begin.length)}\n\n${renderReadmeExamples()}\n${text.slice(b)}`);
console.log('wrote docs/constructs.md and README.md examples');
