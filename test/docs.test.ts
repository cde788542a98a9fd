import * as fs from 'fs';
import * as path from 'path';
import { renderDiffExample } from '../scripts/diff-example';
import { admissionSummary } from '../src/admission/eligibility';
import * as sw from '../src';
import { renderConstructsDoc } from '../src/construct-examples';
import { renderRulesDoc } from '../src/rules/docs';

test('docs/rules.md is generated from the catalog (run `npm run docs` after changing a rule)', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc(admissionSummary));
});

test('docs/constructs.md shows what the constructs synthesize now', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'constructs.md'), 'utf8')).toBe(renderConstructsDoc());
});

test('the seaworthy diff example of docs/diff.md is what diff says now about that change to the committed dist/', () => {
  const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'diff.md'), 'utf8');
  const between = page.split('<!-- BEGIN generated diff example -->')[1].split('<!-- END generated diff example -->')[0];
  expect(between).toBe(`\n\n${renderDiffExample(sw)}\n\n`);
  expect(between).toContain('SW-DIFF-002');
});
