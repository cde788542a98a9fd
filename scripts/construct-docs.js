'use strict';
// Part of `npm run docs`: docs/constructs.md, generated from src/construct-examples.ts
// (test/docs.test.ts checks it for drift).
const fs = require('fs');
const path = require('path');
const { renderConstructsDoc } = require('../lib/src/construct-examples');

const root = path.resolve(__dirname, '..');
fs.writeFileSync(path.join(root, 'docs', 'constructs.md'), renderConstructsDoc());
console.log('wrote docs/constructs.md');
