import { parser } from '@prometheus-io/lezer-promql';

/**
 * PromQL checks on top of Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of
 * the Prometheus UI): an expression parses without error nodes, and what it selects is listed —
 * each vector selector's metric with its label matchers, the functions it calls, the labels its
 * `by`/`on`/`ignoring`/`group_*` clauses name, and the labels `label_replace` creates.
 */

export interface Matcher { readonly label: string; readonly op: string; readonly value: string }
export interface Selector { readonly metric: string; readonly matchers: readonly Matcher[] }

export interface PromqlAnalysis {
  /** Error nodes of the parse, as "offset: text". */
  readonly errors: readonly string[];
  readonly selectors: readonly Selector[];
  readonly functions: readonly string[];
  /** Labels named in grouping and matching clauses. */
  readonly groupingLabels: readonly string[];
  /** Labels created by label_replace (its destination label). */
  readonly createdLabels: readonly string[];
}

function unquote(s: string): string {
  return JSON.parse(s.startsWith("'") ? `"${s.slice(1, -1).replace(/"/g, '\\"')}"` : s) as string;
}

/** Parses `expr` and lists what it selects. */
export function analyzePromql(expr: string): PromqlAnalysis {
  const tree = parser.parse(expr);
  const errors: string[] = [];
  const selectors: Selector[] = [];
  const functions: string[] = [];
  const groupingLabels: string[] = [];
  const createdLabels: string[] = [];
  const text = (from: number, to: number) => expr.slice(from, to);
  tree.iterate({
    enter: node => {
      if (node.type.isError) errors.push(`${node.from}: ${JSON.stringify(text(node.from, Math.max(node.to, node.from + 10)))}`);
      if (node.name === 'VectorSelector') {
        const n = node.node;
        const id = n.getChild('Identifier');
        const matchers: Matcher[] = [];
        const list = n.getChild('LabelMatchers');
        for (const m of list ? [...list.getChildren('UnquotedLabelMatcher'), ...list.getChildren('QuotedLabelMatcher')] : []) {
          const label = m.getChild('LabelName');
          const op = m.getChild('MatchOp');
          const value = m.getChild('StringLiteral');
          matchers.push({ label: label ? text(label.from, label.to) : '', op: op ? text(op.from, op.to) : '', value: value ? unquote(text(value.from, value.to)) : '' });
        }
        selectors.push({ metric: id ? text(id.from, id.to) : '', matchers });
      }
      if (node.name === 'FunctionIdentifier') functions.push(text(node.from, node.to));
      if (node.name === 'AggregateOp') functions.push(text(node.from, node.to));
      if (node.name === 'GroupingLabels') {
        for (const l of node.node.getChildren('LabelName')) groupingLabels.push(text(l.from, l.to));
      }
      if (node.name === 'FunctionCall') {
        const id = node.node.getChild('FunctionIdentifier');
        if (id && text(id.from, id.to) === 'label_replace') {
          const args = node.node.getChild('FunctionCallBody')?.getChildren('StringLiteral') ?? [];
          if (args[0]) createdLabels.push(unquote(text(args[0].from, args[0].to)));
        }
      }
    },
  });
  return { errors, selectors, functions, groupingLabels, createdLabels };
}
