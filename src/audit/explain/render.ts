// Renderings of explanations: text or Markdown for terminals and pull requests, Mermaid for the traffic.
import { forMermaid } from '../../util/escape';
import { Flow, WorkloadExplanation } from './model';

const flowText = (f: readonly Flow[] | string) => (typeof f === 'string' ? f : f.map(x => `${x.peer}${x.ports.length ? ` on ${x.ports.join(', ')}` : ''}`).join('; ') || 'nobody');

/** Plain-text or Markdown rendering, for terminals and pull-request comments. */
export function renderExplanation(items: readonly WorkloadExplanation[], markdown: boolean): string {
  const out: string[] = [];
  for (const w of items) {
    const rules = `${w.passed} passed, ${w.failed.length} failed, ${w.waived.length} waived`;
    const rows: Array<[string, string]> = [
      ['Target', w.target],
      ['QoS', `${w.qos}: ${w.qosReason}`],
      ['Rollout', w.rollout],
      ['Disruptions', w.disruption],
      ['Shutdown', w.shutdown],
      ...(w.devices ? [['Devices', w.devices] as [string, string]] : []),
      ['Reached by', flowText(w.ingress)],
      ['Reaches', flowText(w.egress)],
      ...(w.traffic === undefined ? [] : [['Traffic', w.traffic] as [string, string]]),
      ['Rules', rules],
    ];
    if (markdown) {
      out.push(`### ${w.ref}`, '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`));
      for (const f of [...w.failed, ...w.waived]) out.push(`- ${f.waived ? 'waived' : f.severity} **${f.rule.id}** \`${f.field}\`: ${f.problem}`);
    } else {
      out.push(w.ref, ...rows.map(([k, v]) => `  ${k.padEnd(12)} ${v}`));
      for (const f of [...w.failed, ...w.waived]) out.push(`  ${(f.waived ? 'waived' : f.severity).padEnd(12)} ${f.rule.id} ${f.field}: ${f.problem}`);
    }
    out.push('');
  }
  return `${out.join('\n')}`;
}

/** A Mermaid flowchart of the allowed traffic: workloads and outside peers as nodes, flows as edges. */
export function renderMermaid(items: readonly WorkloadExplanation[]): string {
  const ids = new Map<string, string>();
  const id = (name: string) => {
    if (!ids.has(name)) ids.set(name, `n${ids.size}`);
    return ids.get(name)!;
  };
  const lines = ['flowchart LR'];
  for (const w of items) lines.push(`  ${id(w.ref)}["${forMermaid(w.ref)}"]`);
  const edges = new Set<string>();
  for (const w of items) {
    if (w.ingress === 'anyone') edges.add(`  ${id('anyone')}(["anyone"]) --> ${id(w.ref)}`);
    else for (const f of w.ingress) edges.add(`  ${id(f.peer)}${ids.has(f.peer) && items.some(i => i.ref === f.peer) ? '' : `(["${forMermaid(f.peer)}"])`} -->${f.ports.length ? `|${forMermaid(f.ports.join(', '))}|` : ''} ${id(w.ref)}`);
  }
  return `${[...lines, ...[...edges].sort()].join('\n')}\n`;
}
