import { CONSEQUENCE_CLASSES, DiffResult } from '../diff/model';
import { summaryLine } from '../diff/render';
import { esc } from './html-escape';
import { ReportSection } from './html';

/**
 * `seaworthy diff`'s consequences as the report's top section: the summary line, then one table
 * per consequence class (rule, object with file:line, field, before → after, what happens, fix).
 * `link` turns a file path into the page's link to it.
 */
export function diffSection(result: DiffResult, base: string, link: (file: string) => string): ReportSection {
  const parts = [`<p class="diff-summary"><strong>${esc(summaryLine(result))}</strong></p>`];
  for (const { cls, title } of CONSEQUENCE_CLASSES) {
    const rows = result.consequences.filter(c => c.consequenceClass === cls);
    if (rows.length === 0) continue;
    parts.push(`<h3>${esc(title)} (${rows.length})</h3>`, '<table class="diff"><thead><tr><th>severity</th><th>rule</th><th>object</th><th>field</th><th>before → after</th><th>what happens</th><th>fix</th></tr></thead><tbody>');
    for (const c of rows) {
      const where = c.file ? `<a href="${esc(link(c.file))}">${esc(c.object)}</a>${c.line ? ` <small>${esc(`line ${c.line}`)}</small>` : ''}` : esc(c.object);
      parts.push(`<tr class="sev-${esc(c.severity)}"><td>${esc(c.waived ? 'waived' : c.severity)}</td><td>${esc(c.rule.id)}</td><td>${where}</td><td><code>${esc(c.field)}</code></td><td>${esc(c.before)} → ${esc(c.after)}</td><td>${esc(c.problem)}</td><td>${esc(c.rule.fix)}</td></tr>`);
    }
    parts.push('</tbody></table>');
  }
  return { id: 'diff', title: `What this change does (since ${base})`, html: parts.join('\n'), placement: 'top' };
}
