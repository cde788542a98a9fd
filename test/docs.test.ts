import * as fs from 'fs';
import * as path from 'path';
import { renderDiffExample } from '../scripts/diff-example';
import * as sw from '../src';
import { renderConstructsDoc, renderReadmeExamples } from '../src/docs/construct-examples';
import { renderRulesDoc } from '../src/rules/docs';

test('docs/rules.md is generated from the catalog (run `npm run docs` after changing a rule)', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc());
});

test('docs/constructs.md and the README examples show what the constructs synthesize now', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'constructs.md'), 'utf8')).toBe(renderConstructsDoc());
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const between = readme.split('<!-- BEGIN generated construct examples -->')[1].split('<!-- END generated construct examples -->')[0];
  expect(between).toBe(`\n\n${renderReadmeExamples()}\n`);
});

test('the README\'s seaworthy diff example is what diff says now about that change to the committed dist/', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const between = readme.split('<!-- BEGIN generated diff example -->')[1].split('<!-- END generated diff example -->')[0];
  expect(between).toBe(`\n\n${renderDiffExample(sw)}\n\n`);
  expect(between).toContain('SW-DIFF-002');
});
