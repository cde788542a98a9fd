import { worldStatement } from '../audit/world';
import { AuditFinding } from '../audit/engine';
import { Flow, WorkloadExplanation } from '../audit/explain';
import { ReportFrontDoor } from '../audit/front-doors';
import { RULES_BY_ID } from '../rules/catalog';
import { compareSeverity, SEVERITY_ORDER } from '../rules/severity';
import { describeRolloutPeak } from '../tenancy/rollout-peak';
import { Anchors, denyOf, FoldedNamespace, LayoutGraph, TrafficEdge, TrafficGraph } from './graph';
import { esc } from './html-escape';
import { ReportModel } from './model';
import { quantity, quotaBar, timelineSvg } from './timeline';

/**
 * A section added to the report by another feature. Extension point: `seaworthy diff` (issue 16)
 * puts the consequences of a change on top (`placement: 'top'`); anything else may follow.
 */
export interface ReportSection {
  /** The section's anchor id (letters, digits, "-"). */
  readonly id: string;
  readonly title: string;
  /** The section's body, already HTML (escape what you put in it). */
  readonly html: string;
  /**
   * Above the traffic graph, or after the waivers.
   * @default 'bottom'
   */
  readonly placement?: 'top' | 'bottom';
}

/** What the page is built from. */
export interface PageInput {
  readonly model: ReportModel;
  /** The whole traffic graph. */
  readonly graph: TrafficGraph;
  /**
   * The graph laid out in `svg`, when namespaces are folded in it.
   * @default - `graph` itself, nothing folded
   */
  readonly layout?: LayoutGraph;
  /** The laid-out graph as inline SVG; empty when the graph was too large to lay out. */
  readonly svg: string;
  readonly anchors: Anchors;
  readonly sections: readonly ReportSection[];
  /** How a manifest's path is linked from the page (relative to where the page is written). */
  readonly link: (file: string) => string;
  /** e.g. "seaworthy 0.1.0". */
  readonly generator: string;
}

const SEVERITY_MARK: Record<string, string> = { error: '✖', warning: '▲', info: 'ℹ' };

/** The whole report: one HTML file, styles and script inline, nothing fetched. */
export function page(input: PageInput): string {
  const { model } = input;
  const findings = [...model.findings].sort((a, b) => compareSeverity(a.severity, b.severity) || (a.file ?? '').localeCompare(b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || a.rule.id.localeCompare(b.rule.id));
  const open = findings.filter(f => !f.waived);
  const waived = findings.filter(f => f.waived);
  const count = (s: string) => open.filter(f => f.severity === s).length;
  // Workloads and front doors by ref, in the model's order: a finding finds its card in one lookup.
  const workloadsByRef = indexBy(model.workloads, w => w.ref);
  const doorsByRef = indexBy(model.frontDoors, d => d.ref);
  const cardOf = (f: AuditFinding) => {
    const w = workloadsByRef.get(f.object)?.find(x => f.file === undefined || x.facts.file === f.file);
    if (w) return input.anchors.get(`${w.facts.group}\0${w.ref}`);
    const d = doorsByRef.get(f.object)?.find(x => f.file === undefined || x.file === f.file);
    return d ? input.anchors.get(`${d.group}\0${d.ref}`) : undefined;
  };
  const folds = input.layout?.folds ?? [];
  const top = input.sections.filter(s => s.placement === 'top');
  const bottom = input.sections.filter(s => s.placement !== 'top');
  const nav = [...top.map(s => [s.id, s.title]), ['traffic', 'Traffic'], ['findings', `Findings (${open.length})`], ['workloads', `Workloads (${model.workloads.length})`], ['front-doors', `Front doors (${model.frontDoors.length})`], ['waivers', `Waivers (${waived.length})`], ...bottom.map(s => [s.id, s.title])];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${esc(input.generator)}">
<title>${esc(model.title)}</title>
<style>${CSS}${folds.length || !input.svg ? FOLD_CSS : ''}</style>
</head>
<body>
<header>
<h1>${esc(model.title)}</h1>
<p class="meta">Judged for <strong id="target">${esc(model.target)}</strong> · profile <strong>${esc(model.profile)}</strong> · ${model.objects} objects in ${model.groups.length === 1 && model.groups[0] === '' ? 'memory' : esc(model.groups.join(', '))} · ${model.workloads.length} workloads · <span class="sev-error">${SEVERITY_MARK.error} ${count('error')} errors</span>, <span class="sev-warning">${SEVERITY_MARK.warning} ${count('warning')} warnings</span>, ${SEVERITY_MARK.info} ${count('info')} infos, ${waived.length} waived · ${esc(input.generator)}</p>
<p class="meta" id="world">${esc(worldStatement(model.complete))}</p>
<nav aria-label="Sections"><ul>${nav.map(([id, title]) => `<li><a href="#${esc(id)}">${esc(title)}</a></li>`).join('')}</ul></nav>
</header>
<main>
${top.map(section).join('\n')}
<section id="traffic" aria-labelledby="traffic-h">
<h2 id="traffic-h">Traffic</h2>
<p>Who may reach whom, from the NetworkPolicies: boxes are workloads (click one for its card), grouped by namespace; ellipses are peers outside the objects; arrow shapes are front doors. Ports are on the edges.</p>
<ul class="legend">
<li><span class="key solid"></span> allowed path (both sides' policies agree)</li>
<li><span class="key dashed"></span> one side only: “(one side only)” on the edge — the other side's policy denies it</li>
<li><span class="key red"></span> “UNREACHABLE” front door or route (red, dashed)</li>
<li><span class="key bold"></span> namespace with a default-deny policy (bold frame, “default-deny” in its label); dashed frame: none</li>
</ul>
<figure class="graph"><div class="scroll">${input.svg ? input.svg.replace('<svg ', '<svg aria-describedby="graph-desc" ') : `<p class="too-large">Not drawn: even with every namespace folded, ${input.layout?.nodes.length ?? input.graph.nodes.length} nodes are too many to lay out. ${folds.length ? 'The namespace cards below and the workload cards' : 'The workload cards'} list every path.</p>`}</div>
<figcaption id="graph-title">Traffic graph: ${input.graph.nodes.length} nodes, ${input.graph.edges.length} edges ${graphNote(input, folds)}</figcaption>
<p id="graph-desc" class="sr-only">${esc(input.graph.edges.map(e => `${e.from} to ${e.to}${e.labels.length ? ` on ${e.labels.join(', ')}` : ''}${e.status !== 'allowed' ? ` (${e.status}${e.note ? `: ${e.note}` : ''})` : ''}`).join('; '))}</p>
</figure>
${folds.length ? `<div class="folds">\n${foldCards(folds, input)}\n</div>\n` : ''}</section>
<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
${findingsTable(open, cardOf, input.link)}
</section>
<section id="workloads" aria-labelledby="workloads-h">
<h2 id="workloads-h">Workloads</h2>
<div class="cards">
${model.workloads.map(w => card(w, input)).join('\n')}
</div>
</section>
<section id="front-doors" aria-labelledby="front-doors-h">
<h2 id="front-doors-h">Front doors</h2>
${frontDoorList(model.frontDoors, input)}
</section>
<section id="waivers" aria-labelledby="waivers-h">
<h2 id="waivers-h">Waivers</h2>
${waived.length === 0 ? '<p>No rule is waived.</p>' : `<table class="data"><thead><tr><th scope="col">Object</th><th scope="col">Rule</th><th scope="col">Reason</th><th scope="col">Location</th></tr></thead><tbody>${waived.map(f => `<tr><td>${objectLink(f, cardOf)}</td><td><code>${esc(f.rule.id)}</code> ${esc(f.rule.title)}</td><td>${esc(f.waived)}</td><td>${location(f.file, f.line, input.link)}</td></tr>`).join('')}</tbody></table>`}
</section>
${bottom.map(section).join('\n')}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** How the graph is drawn: laid out whole, with namespaces folded, or not at all. */
function graphNote(input: PageInput, folds: readonly FoldedNamespace[]): string {
  const how = input.svg ? 'laid out by Graphviz' : 'not drawn';
  if (folds.length === 0) return `(${how})`;
  const layout = input.layout!;
  return `(${folds.length} namespace${folds.length === 1 ? '' : 's'} folded into one node each — ${layout.nodes.length} nodes, ${layout.edges.length} edges ${how}; ${folds.length === 1 ? 'its card lists' : 'their cards list'} every workload and path)`;
}

/** Items grouped by a key, in their order. */
function indexBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(key(item));
    if (list) list.push(item);
    else out.set(key(item), [item]);
  }
  return out;
}

/**
 * The drill-down card of each folded namespace: its workloads, front doors and missing backends,
 * each with the paths into and out of it (from the whole graph, indexed once: linear in edges).
 */
function foldCards(folds: readonly FoldedNamespace[], input: PageInput): string {
  const into = indexBy(input.graph.edges, e => e.to);
  const out = indexBy(input.graph.edges, e => e.from);
  const hrefs = new Map<string, string>();
  for (const n of input.graph.nodes) if (n.href) hrefs.set(n.key, n.href);
  const folded = new Map<string, string>();
  for (const f of folds) for (const m of f.members) folded.set(m.key, f.href);
  const end = (key: string) => {
    const href = hrefs.get(key) ?? folded.get(key);
    return href ? `<a href="${esc(href)}">${esc(key)}</a>` : esc(key);
  };
  const paths = (edges: readonly TrafficEdge[] | undefined, other: (e: TrafficEdge) => string) => !edges?.length ? '—' : `<ul>${edges.map(e => `<li>${end(other(e))}${e.labels.length ? ` on ${esc(e.labels.join(', '))}` : ''}${e.status !== 'allowed' ? ` <span class="sev ${e.status === 'unreachable' ? 'sev-error' : 'sev-warning'}">(${esc(e.status)}${e.note ? `: ${esc(e.note)}` : ''})</span>` : ''}</li>`).join('')}</ul>`;
  const namespaces = new Map(input.model.namespaces.map(x => [`${x.group}\0${x.name}`, x]));
  return folds.map(f => {
    const id = f.href.slice(1);
    const facts = namespaces.get(`${f.group}\0${f.namespace}`);
    const deny = denyOf(facts);
    const rows = f.members.map(m => `<tr data-key="${esc(m.key)}" data-kind="${esc(m.kind)}"><td>${end(m.key)}${m.alert ? ' <span class="sev sev-error">✖</span>' : ''}</td><td>${paths(into.get(m.key), e => e.from)}</td><td>${paths(out.get(m.key), e => e.to)}</td></tr>`).join('');
    return `<article class="ns-card" id="${esc(id)}" data-namespace="${esc(f.namespace)}" data-group="${esc(f.group)}" aria-labelledby="${esc(id)}-h">
<h3 id="${esc(id)}-h"><span class="kind">namespace</span> ${esc(f.namespace)}${input.model.groups.length > 1 ? ` <span class="group">${esc(f.group)}</span>` : ''} <span class="muted">folded in the graph: ${f.members.length} node${f.members.length === 1 ? '' : 's'}</span></h3>
<p class="meta">${esc(deny)} · ${f.inside} path${f.inside === 1 ? '' : 's'} inside the namespace</p>
<div class="scroll"><table class="data compact"><thead><tr><th scope="col">Workload or front door</th><th scope="col">Reached by</th><th scope="col">Reaches</th></tr></thead><tbody>${rows}</tbody></table></div>
</article>`;
  }).join('\n');
}

function section(s: ReportSection): string {
  return `<section id="${esc(s.id)}" class="extension" aria-labelledby="${esc(s.id)}-h"><h2 id="${esc(s.id)}-h">${esc(s.title)}</h2>${s.html}</section>`;
}

function location(file: string | undefined, line: number | undefined, link: (file: string) => string): string {
  if (!file) return '<span class="muted">in memory</span>';
  return `<a class="loc" href="${esc(link(file))}">${esc(file)}${line ? `:${line}` : ''}</a>`;
}

function objectLink(f: AuditFinding, cardOf: (f: AuditFinding) => string | undefined): string {
  const href = cardOf(f);
  return href ? `<a href="${esc(href)}">${esc(f.object)}</a>` : esc(f.object);
}

function severity(s: string): string {
  return `<span class="sev sev-${esc(s)}">${SEVERITY_MARK[s] ?? ''} ${esc(s)}</span>`;
}

function findingsTable(findings: readonly AuditFinding[], cardOf: (f: AuditFinding) => string | undefined, link: (file: string) => string): string {
  if (findings.length === 0) return '<p>No findings: every rule passes or is waived.</p>';
  const rules = [...new Set(findings.map(f => f.rule.id))].sort();
  return `<form class="filters" aria-controls="findings-table" onsubmit="return false">
<fieldset><legend>Severity</legend>${SEVERITY_ORDER.map(s => `<label><input type="checkbox" name="severity" value="${s}" checked> ${severity(s)} (${findings.filter(f => f.severity === s).length})</label>`).join(' ')}</fieldset>
<label>Rule <select id="rule-filter"><option value="">all rules</option>${rules.map(r => `<option value="${esc(r)}">${esc(r)} — ${esc(RULES_BY_ID.get(r)?.title ?? '')}</option>`).join('')}</select></label>
<output id="findings-count" aria-live="polite">${findings.length} of ${findings.length} findings shown</output>
</form>
<table id="findings-table" class="data"><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Object</th><th scope="col">Field</th><th scope="col">Problem</th><th scope="col">Fix</th><th scope="col">Location</th></tr></thead>
<tbody>${findings.map(f => `<tr data-severity="${esc(f.severity)}" data-rule="${esc(f.rule.id)}"><td>${severity(f.severity)}</td><td><code>${esc(f.rule.id)}</code><br><span class="muted">${esc(f.rule.title)}</span></td><td>${objectLink(f, cardOf)}</td><td><code>${esc(f.field)}</code></td><td>${esc(f.problem)}</td><td>${esc(f.rule.fix)}</td><td>${location(f.file, f.line, link)}</td></tr>`).join('')}</tbody></table>`;
}

function flowList(flows: readonly Flow[] | string, nobody: string): string {
  if (typeof flows === 'string') return `<strong>${esc(flows)}</strong> (no NetworkPolicy restricts it)`;
  if (flows.length === 0) return esc(nobody);
  return `<ul>${flows.map(f => `<li>${esc(f.peer)}${f.ports.length ? ` on ${esc(f.ports.join(', '))}` : ' on every port'}</li>`).join('')}</ul>`;
}

function card(w: WorkloadExplanation, input: PageInput): string {
  const id = (input.anchors.get(`${w.facts.group}\0${w.ref}`) ?? '#').slice(1);
  const f = w.facts;
  const replicas = f.autoscaler ? `${f.autoscaler.min}–${f.autoscaler.max} (${esc(f.autoscaler.ref)})` : f.replicas !== undefined ? String(f.replicas) : f.kind === 'DaemonSet' ? 'one per node' : '—';
  const added = f.rolloutPeak?.addedByTerminating ?? 0;
  const how = f.rollout ? ` (${f.rollout.desired} + ${Math.min(f.rollout.maxSurge, f.rollout.desired)} surge${added > 0 ? ` + ${added} while old Pods terminate` : ''}; at most ${f.rollout.maxUnavailable} unavailable)` : '';
  const peak = f.peak ? `<p>Rollout peak: <strong>${f.peak.pods} Pods</strong> = ${esc(quantity('cpu', f.peak.cpu))}, ${esc(quantity('memory', f.peak.memory))} requested${how}.${f.rolloutPeak ? ` <span class="muted">${esc(describeRolloutPeak(f.rolloutPeak))}.</span>` : ''}</p>` : '';
  const shown = f.quotas.filter(q => !(q.key.startsWith('limits.') && f.quotas.some(r => r.quota === q.quota && r.key === q.key.replace('limits.', 'requests.') && r.hard === q.hard)));
  const quotas = shown.length ? shown.map(quotaBar).join('') : '<p class="muted">No ResourceQuota in the namespace.</p>';
  const probes = f.probes.length === 0 ? '<p>No probes.</p>' : `<table class="data compact"><thead><tr><th scope="col">Container</th><th scope="col">Probe</th><th scope="col">Check</th><th scope="col">Every</th><th scope="col">Fails after</th></tr></thead><tbody>${f.probes.map(p => `<tr><td>${esc(p.container)}</td><td>${p.type}</td><td><code>${esc(p.check)}</code></td><td>${p.periodSeconds}s (timeout ${p.timeoutSeconds}s)</td><td>${p.failureThreshold} × ${p.periodSeconds}s</td></tr>`).join('')}</tbody></table>`;
  const findings = [...w.failed].sort((a, b) => compareSeverity(a.severity, b.severity));
  return `<article class="card${w.failed.some(x => x.severity === 'error') ? ' has-error' : ''}" id="${esc(id)}" data-ref="${esc(w.ref)}" data-group="${esc(f.group)}" aria-labelledby="${esc(id)}-h">
<h3 id="${esc(id)}-h"><span class="kind">${esc(f.kind)}</span> ${esc(f.name)}${f.namespace ? ` <span class="muted">in ${esc(f.namespace)}</span>` : ''}${input.model.groups.length > 1 ? ` <span class="group">${esc(f.group)}</span>` : ''}</h3>
<p class="meta">${location(f.file, f.line, input.link)} · <span class="badge">QoS ${esc(w.qos)}</span> · rules: ${w.passed} passed, ${w.failed.length} failed, ${w.waived.length} waived</p>
<dl>
<dt>QoS</dt><dd><strong>${esc(w.qos)}</strong>: ${esc(w.qosReason)}</dd>
<dt>Replicas</dt><dd>${replicas}</dd>
<dt>Rollout</dt><dd>${esc(w.rollout)}${peak}${quotas}</dd>
<dt>Shutdown</dt><dd><figure>${timelineSvg(f.shutdown, w.shutdown, `${id}-sd`)}<figcaption>${esc(w.shutdown)}</figcaption></figure></dd>
<dt>Disruption budget</dt><dd>${esc(w.disruption)}</dd>
<dt>Probes</dt><dd>${probes}</dd>
<dt>Reached by</dt><dd>${flowList(w.ingress, 'nobody')}</dd>
<dt>Reaches</dt><dd>${flowList(w.egress, 'nothing but what the Pod network allows without policy')}</dd>
<dt>Findings</dt><dd>${findings.length === 0 ? 'none' : `<ul class="findings">${findings.map(x => `<li>${severity(x.severity)} <code>${esc(x.rule.id)}</code> <code>${esc(x.field)}</code>: ${esc(x.problem)}<br><span class="fix">Fix: ${esc(x.rule.fix)}</span></li>`).join('')}</ul>`}</dd>
${w.waived.length ? `<dt>Waived</dt><dd><ul>${w.waived.map(x => `<li><code>${esc(x.rule.id)}</code>: ${esc(x.waived)}</li>`).join('')}</ul></dd>` : ''}
</dl>
</article>`;
}

function frontDoorList(doors: readonly ReportFrontDoor[], input: PageInput): string {
  if (doors.length === 0) return '<p>No front door (Ingress) among the objects.</p>';
  const workloadLink = (group: string, ref: string) => {
    const href = input.anchors.get(`${group}\0${ref}`);
    return href ? `<a href="${esc(href)}">${esc(ref)}</a>` : esc(ref);
  };
  return doors.map(d => {
    const id = (input.anchors.get(`${d.group}\0${d.ref}`) ?? '#').slice(1);
    const blocked = d.routes.length === 0 || d.routes.every(r => r.unreachable !== undefined);
    return `<article class="door${blocked ? ' unreachable' : ''}" id="${esc(id)}" data-ref="${esc(d.ref)}" data-group="${esc(d.group)}"><h3>${esc(d.kind)} ${esc(d.name)}${d.namespace ? ` <span class="muted">in ${esc(d.namespace)}</span>` : ''}${input.model.groups.length > 1 ? ` <span class="group">${esc(d.group)}</span>` : ''}${blocked ? ' <span class="sev sev-error">✖ UNREACHABLE</span>' : ''}</h3>
<p class="meta">${location(d.file, d.line, input.link)}${d.via ? ` · ${esc(d.via)}` : ''} · ${d.tls ? 'TLS terminated' : '<strong>no TLS</strong>'}</p>
<table class="data compact"><thead><tr><th scope="col">Match</th><th scope="col">Backend</th><th scope="col">Workloads</th><th scope="col">Reachable</th></tr></thead><tbody>${d.routes.map(r => `<tr><td><code>${esc(r.match)}</code></td><td>${esc(r.service)}:${esc(r.port)}</td><td>${r.workloads.map(x => workloadLink(d.group, x)).join(', ') || '—'}</td><td>${r.unreachable ? `<span class="sev sev-error">✖ no</span>: ${esc(r.unreachable)}` : '✔ yes'}</td></tr>`).join('')}</tbody></table></article>`;
  }).join('\n');
}

const CSS = `
:root{--fg:#1b1f24;--muted:#5b6470;--line:#d0d7de;--bg:#fff;--err:#b3261e;--warn:#8a5a00;--ok:#2e7d32;--accent:#3a5a8c}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 "Liberation Sans",Arial,Helvetica,sans-serif;color:var(--fg);background:var(--bg)}
header{padding:16px 24px 8px;border-bottom:1px solid var(--line);background:#f6f8fa}
h1{margin:0 0 4px;font-size:22px}
h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:0 0 4px}
main{padding:0 24px 40px}
nav ul{list-style:none;padding:0;margin:8px 0 0;display:flex;flex-wrap:wrap;gap:4px 16px}
a{color:#0b5cad}
.meta{color:var(--muted);margin:4px 0}
.muted{color:var(--muted)}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:4px 20px;padding:0;list-style:none;color:var(--muted)}
.key{display:inline-block;width:28px;height:0;vertical-align:middle;border-top:2px solid var(--accent)}
.key.dashed{border-top:2px dashed #777}.key.red{border-top:2px dashed var(--err)}.key.bold{width:16px;height:12px;border:3px solid var(--ok);border-radius:3px}
figure{margin:0}
.graph .scroll{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px;padding:8px;background:#fff}
svg.traffic{max-width:none;height:auto}
svg.traffic.fit{width:100%;max-width:100%}
svg.traffic text{font-family:"Liberation Sans",Arial,Helvetica,sans-serif}
svg.traffic a:focus polygon,svg.traffic a:hover polygon,svg.traffic a:hover path{stroke-width:3}
figcaption{color:var(--muted);font-size:12px;margin-top:4px}
.filters{display:flex;flex-wrap:wrap;align-items:center;gap:8px 24px;margin:8px 0}
.filters fieldset{border:1px solid var(--line);border-radius:6px;padding:4px 10px;margin:0}
.filters label{margin-right:10px}
table.data{border-collapse:collapse;width:100%;font-size:13px}
table.data th,table.data td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}
table.data th{background:#f6f8fa}
table.compact{width:auto}
.sev{white-space:nowrap;font-weight:bold}
.sev-error{color:var(--err)}.sev-warning{color:var(--warn)}.sev-info{color:var(--accent)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(600px,1fr));gap:16px}
.card,.door{border:1px solid var(--line);border-radius:8px;padding:12px 14px;background:#fff;break-inside:avoid}
.card.has-error{border-left:6px solid var(--err)}
.card:target,.door:target{outline:3px solid #0b5cad}
.card dl{display:grid;grid-template-columns:130px 1fr;gap:6px 12px;margin:8px 0 0}
.card dt{font-weight:bold;color:var(--muted)}
.card dd{margin:0;min-width:0}
.card ul{margin:0;padding-left:18px}
.badge{border:1px solid var(--line);border-radius:10px;padding:0 8px}
.group{font-size:12px;border:1px dashed var(--muted);border-radius:4px;padding:0 4px;color:var(--muted)}
.kind{color:var(--muted);font-weight:normal}
.fix{color:var(--ok)}
.door{margin-bottom:12px}.door.unreachable{border:2px dashed var(--err)}
svg.timeline{max-width:100%;height:auto;display:block}
svg.timeline text{font-size:11px;fill:var(--fg);font-family:"Liberation Sans",Arial,Helvetica,sans-serif}
svg.timeline .lane-label{font-weight:bold}
svg.timeline .prestop{fill:#fff3cd;stroke:#8a5a00;stroke-dasharray:4 2}
svg.timeline .drain{fill:#dce8f7;stroke:var(--accent)}
svg.timeline .running{fill:#e8f5e9;stroke:var(--ok)}
svg.timeline .mark{stroke:#555;stroke-dasharray:2 2}
svg.timeline .kill{stroke:var(--err);stroke-width:2}
svg.timeline .tick{fill:var(--muted)}
.quota{margin:4px 0}
.quota-track{position:relative;height:10px;background:repeating-linear-gradient(45deg,#f1f3f5,#f1f3f5 4px,#e3e6ea 4px,#e3e6ea 8px);border:1px solid var(--line);border-radius:3px;max-width:420px}
.quota-ns{position:absolute;top:0;bottom:0;left:0;background:#b7c9e6}
.quota-own{position:absolute;top:0;bottom:0;left:0;background:var(--accent)}
.quota.over .quota-ns{background:var(--err)}
.quota.slowed .quota-ns{background:var(--warn)}
code{font-family:"Liberation Mono",Menlo,monospace;font-size:12px}
@media print{
  header{background:none}
  nav,.filters{display:none}
  .graph .scroll{overflow:visible;max-height:none;border:none}
  svg.traffic{max-width:100%}
  .cards{display:block}
  .card,.door{margin-bottom:12px;page-break-inside:avoid}
  tr[hidden]{display:table-row}
  a{color:inherit;text-decoration:none}
}`;

/** Styles of the namespace cards, only on a page that folds namespaces (small pages are unchanged). */
const FOLD_CSS = `
.folds{display:grid;gap:12px;margin-top:12px}
.ns-card{border:1px solid var(--line);border-left:6px solid var(--accent);border-radius:8px;padding:12px 14px;background:#fff}
.ns-card:target{outline:3px solid #0b5cad}
.ns-card .scroll{overflow:auto;max-height:60vh}
.ns-card ul{margin:0;padding-left:18px}
.too-large{color:var(--muted)}
@media print{.ns-card .scroll{overflow:visible;max-height:none}}`;

const SCRIPT = `
(function () {
  var table = document.getElementById('findings-table');
  if (!table) return;
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[name=severity]'));
  var rule = document.getElementById('rule-filter');
  var out = document.getElementById('findings-count');
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    var shown = 0;
    rows.forEach(function (tr) {
      var show = on[tr.getAttribute('data-severity')] && (!rule.value || tr.getAttribute('data-rule') === rule.value);
      tr.hidden = !show;
      if (show) shown++;
    });
    out.textContent = shown + ' of ' + rows.length + ' findings shown';
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  rule.addEventListener('change', apply);
  apply();
})();
`;
