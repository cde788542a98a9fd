import * as fs from 'fs';
import * as path from 'path';
import { renderRulesDoc } from '../src/rules/docs';

test('docs/rules.md is generated from the catalog (run `npm run docs` after changing a rule)', () => {
  expect(fs.readFileSync(path.join(__dirname, '..', 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc());
});
