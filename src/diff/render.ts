import { LoadProblem } from '../manifests/load';
import { renderAudit } from '../audit/render';
import { CONSEQUENCE_CLASSES, Consequence, ConsequenceClass, DiffResult } from './model';

/** Output formats of `seaworthy diff`. */
export type DiffFormat = 'table' | 'markdown' | 'json' | 'sarif';

/** How to render. */
export interface RenderOptions {
  /** Colour for a terminal (table only). */
  readonly colour?: boolean;
  /** Prefix turning a file path into a link in markdown, e.g. `https://github.com/o/r/blob/<sha>/`. */
  readonly linkBase?: string;
  /** The package version, for SARIF. */
  readonly version?: string;
  /** What the sides are called in the summary, e.g. `HEAD~1` and `the working tree`. */
  readonly sides?: { readonly before: string; readonly after: string };
  /**
   * Rows per section in markdown; the rest are counted (a GitHub comment holds 65,536 characters).
   * @default 50
   */
  readonly maxRows?: number;
}

const COLOURS: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const RESET = '\x1b[0m';

/** Renders a diff result (and unreadable inputs) in `format`. */
export function renderDiff(result: DiffResult, problems: readonly LoadProblem[], format: DiffFormat, options: RenderOptions = {}): string {
  switch (format) {
    case 'json': return `${JSON.stringify({ kubernetesVersion: result.kubernetesVersion, summary: result.summary, consequences: result.consequences.map(toJson), changes: result.changes, problems }, null, 2)}\n`;
    case 'sarif': return renderAudit(result.consequences, problems, 'sarif', false, options.version ?? '0.0.0');
    case 'markdown': return markdown(result, problems, options);
    default: return table(result, problems, options.colour ?? false);
  }
}

function toJson(c: Consequence) {
  return {
    rule: c.rule.id, class: c.consequenceClass, severity: c.severity, change: c.change, object: c.object, file: c.file, line: c.line,
    field: c.field, before: c.before, after: c.after, problem: c.problem, fix: c.rule.fix, waived: c.waived,
  };
}

const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** "2 will be rejected, 1 deletes data, …" — the classes present, in report order. */
export function summaryLine(result: DiffResult): string {
  const s = result.summary;
  const objects = `${count(s.changed, 'object')} changed, ${s.created} created, ${s.deleted} deleted${s.renamed ? ` (${s.renamed} renamed)` : ''}`;
  const classes = CONSEQUENCE_CLASSES.map(({ cls, title }) => [title.toLowerCase(), result.consequences.filter(c => c.consequenceClass === cls && !c.waived).length] as const).filter(([, n]) => n > 0);
  return `${classes.length ? classes.map(([t, n]) => `${t}: ${n}`).join(' · ') : 'no consequences'} — ${objects} (Kubernetes ${result.kubernetesVersion})`;
}

const ICON: Record<ConsequenceClass, string> = {
  [ConsequenceClass.REJECTED]: '⛔', [ConsequenceClass.RECREATE]: '♻️', [ConsequenceClass.DELETION]: '🗑️',
  [ConsequenceClass.AVAILABILITY]: '⚠️', [ConsequenceClass.EXPOSURE]: '🌐', [ConsequenceClass.RESTART]: '🔄',
};

function markdown(result: DiffResult, problems: readonly LoadProblem[], options: RenderOptions): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const where = (c: Consequence) => {
    if (!c.file) return `\`${c.object}\``;
    const loc = `${c.file}${c.line ? `:${c.line}` : ''}`;
    const href = `${options.linkBase ?? ''}${c.file}${c.line ? `#L${c.line}` : ''}`;
    return `[\`${c.object}\`](${href.replace(/ /g, '%20')}) <sub>${loc}${c.change === 'deleted' ? ' (before)' : ''}</sub>`;
  };
  const out = [`### seaworthy diff${options.sides ? `: ${options.sides.before} → ${options.sides.after}` : ''}`, '', `**${summaryLine(result)}**`, ''];
  for (const p of problems) out.push(`- ❗ unreadable: \`${p.file}${p.line ? `:${p.line}` : ''}\`: ${esc(p.message)}`);
  if (problems.length) out.push('');
  for (const { cls, title } of CONSEQUENCE_CLASSES) {
    const list = result.consequences.filter(c => c.consequenceClass === cls);
    if (list.length === 0) continue;
    out.push(`#### ${ICON[cls]} ${title} (${list.length})`, '', '| | object | field | before → after | consequence | fix |', '| --- | --- | --- | --- | --- | --- |');
    const max = options.maxRows ?? 50;
    for (const c of list.slice(0, max)) {
      out.push(`| ${c.waived ? 'waived' : c.severity} ${c.rule.id} | ${where(c)} | ${code(esc(c.field))} | ${esc(c.before)} → ${esc(c.after)} | ${esc(c.problem)} | ${esc(c.rule.fix)} |`);
    }
    if (list.length > max) out.push('', `…and ${list.length - max} more (see the table, JSON or SARIF output).`);
    out.push('');
  }
  if (result.consequences.length === 0 && problems.length === 0) out.push('Nothing in this change needs attention.', '');
  return `${out.join('\n')}`;
}

/** `text` as a markdown code span, whatever backticks it holds (CommonMark: a longer fence, padded). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map(run => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function table(result: DiffResult, problems: readonly LoadProblem[], colour: boolean): string {
  const paint = (severity: string) => {
    const label = severity.padEnd(7);
    return colour ? `${COLOURS[severity] ?? ''}${label}${RESET}` : label;
  };
  const lines: string[] = [];
  for (const p of problems) lines.push(`${paint('error')}  ${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}  ${p.message}`);
  for (const { cls, title } of CONSEQUENCE_CLASSES) {
    const list = result.consequences.filter(c => c.consequenceClass === cls);
    if (list.length === 0) continue;
    lines.push(colour ? `\x1b[1m${title} (${list.length})${RESET}` : `${title} (${list.length})`);
    for (const c of list) {
      lines.push(`  ${paint(c.severity)}  ${c.rule.id}  ${c.object}${c.file ? `  (${c.file}${c.line ? `:${c.line}` : ''}${c.change === 'deleted' ? ', before' : ''})` : ''}`);
      lines.push(`           ${c.field}: ${c.before} → ${c.after}: ${c.problem}`);
      lines.push(`           fix: ${c.rule.fix}`);
    }
  }
  lines.push(summaryLine(result) + (problems.length ? `; ${problems.length} unreadable` : ''));
  return `${lines.join('\n')}\n`;
}
