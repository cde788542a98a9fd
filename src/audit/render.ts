import { AuditFinding } from './engine';
import { worldName, worldStatement } from './world';
import { RULES_BY_ID } from '../rules/catalog';
import { findingText } from '../rules/finding';
import { Severity } from '../rules/rule';
import { compareSeverity } from '../rules/severity';
import { forTerminal, forXml } from '../util/escape';
import { LoadProblem } from '../manifests/load';

/** Output formats of `seaworthy audit`. */
export type AuditFormat = 'table' | 'json' | 'sarif' | 'junit';

const COLOURS: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const RESET = '\x1b[0m';

/**
 * Renders findings (and unreadable files) in `format`. `complete` says which world the audit
 * judged in (stated in every format); left undefined, nothing is stated (diff's consequences).
 */
export function renderAudit(findings: readonly AuditFinding[], problems: readonly LoadProblem[], format: AuditFormat, colour: boolean, version: string, complete?: boolean): string {
  switch (format) {
    case 'json': return `${JSON.stringify({ ...(complete === undefined ? {} : { world: worldName(complete), worldNote: worldStatement(complete) }), findings: findings.map(toJson), problems }, null, 2)}\n`;
    case 'sarif': return `${JSON.stringify(sarif(findings, problems, version, complete), null, 2)}\n`;
    case 'junit': return junit(findings, problems, complete);
    default: return table(findings, problems, colour, complete);
  }
}

function toJson(f: AuditFinding) {
  return { rule: f.rule.id, severity: f.severity, object: f.object, file: f.file, line: f.line, field: f.field, value: f.value, problem: f.problem, fix: f.rule.fix, waived: f.waived };
}

function table(findings: readonly AuditFinding[], problems: readonly LoadProblem[], colour: boolean, complete: boolean | undefined): string {
  const lines: string[] = complete === undefined ? [] : [worldStatement(complete)];
  const t = forTerminal;
  for (const p of problems) lines.push(`${paint('error', colour)}  ${t(p.file)}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}  ${t(p.message)}`);
  const sorted = [...findings].sort((a, b) => compareSeverity(a.severity, b.severity) || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0));
  for (const f of sorted) {
    lines.push(`${paint(f.severity, colour)}  ${f.rule.id}  ${t(f.object)}${f.file ? `  (${t(f.file)}${f.line ? `:${f.line}` : ''})` : ''}`);
    lines.push(`         ${t(f.field)} = ${t(f.value)}: ${t(f.problem)}`);
    lines.push(`         fix: ${f.rule.fix}`);
  }
  const count = (s: string) => findings.filter(f => f.severity === s).length;
  lines.push(`${count('error')} errors, ${count('warning')} warnings, ${count('info')} infos${problems.length ? `, ${problems.length} unreadable` : ''}`);
  return `${lines.join('\n')}\n`;
}

function paint(severity: string, colour: boolean): string {
  const label = severity.padEnd(7);
  return colour ? `${COLOURS[severity] ?? ''}${label}${RESET}` : label;
}

function sarif(findings: readonly AuditFinding[], problems: readonly LoadProblem[], version: string, complete: boolean | undefined) {
  const used = [...new Set(findings.map(f => f.rule.id))].sort();
  const level = (s: Severity) => (s === Severity.ERROR ? 'error' : s === Severity.WARNING ? 'warning' : 'note');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      ...(complete === undefined ? {} : { properties: { world: worldName(complete), worldNote: worldStatement(complete) } }),
      tool: {
        driver: {
          name: 'seaworthy',
          version,
          informationUri: 'https://github.com/seaworthy-dev/seaworthy',
          rules: used.map(id => {
            const r = RULES_BY_ID.get(id)!;
            return { id, name: id, shortDescription: { text: r.title }, fullDescription: { text: r.rationale }, help: { text: r.fix }, helpUri: r.see, defaultConfiguration: { level: level(r.severity) } };
          }),
        },
      },
      results: [
        ...findings.map(f => ({
          ruleId: f.rule.id,
          ruleIndex: used.indexOf(f.rule.id),
          level: level(f.severity),
          message: { text: `${f.object} ${findingText(f)}` },
          locations: f.file ? [{ physicalLocation: { artifactLocation: { uri: f.file }, region: { startLine: f.line ?? 1 } } }] : [],
          suppressions: f.waived ? [{ kind: 'inSource', justification: f.waived }] : undefined,
        })),
        ...problems.map(p => ({
          ruleId: 'SW-YAML-000',
          level: 'error',
          message: { text: p.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: p.file }, region: { startLine: p.line ?? 1, startColumn: p.column } } }],
        })),
      ],
    }],
  };
}

function junit(findings: readonly AuditFinding[], problems: readonly LoadProblem[], complete: boolean | undefined): string {
  const esc = forXml;
  const cases = [
    ...findings.map(f => {
      const name = `${f.rule.id} ${f.object} ${f.field}`;
      const body = f.severity === Severity.ERROR
        ? `<failure type="${f.rule.id}" message="${esc(f.problem)}">${esc(findingText(f))}</failure>`
        : `<system-out>${esc(`${f.severity}: ${f.problem}`)}</system-out>`;
      return `    <testcase classname="${esc(f.file ?? f.object)}" name="${esc(name)}">${body}</testcase>`;
    }),
    ...problems.map(p => `    <testcase classname="${esc(p.file)}" name="parse"><error message="${esc(p.message)}">${esc(`${p.file}:${p.line ?? ''}`)}</error></testcase>`),
  ];
  const failures = findings.filter(f => f.severity === Severity.ERROR).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="seaworthy audit" tests="${cases.length}" failures="${failures}" errors="${problems.length}">\n${complete === undefined ? '' : `    <properties><property name="world" value="${worldName(complete)}"/><property name="worldNote" value="${esc(worldStatement(complete))}"/></properties>\n`}${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
