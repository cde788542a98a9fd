import { Flow, WorkloadExplanation } from '../audit/explain';
import { graphKey, NamespaceFacts, ReportModel } from './model';

/** How far an edge of the traffic graph lets traffic through. */
export type EdgeStatus = 'allowed' | 'one-sided' | 'unreachable';

/** One edge of the traffic graph: an allowed path, or a front door's route. */
export interface TrafficEdge {
  /** Graph keys (SVG `<title>`s) of both ends. */
  readonly from: string;
  readonly to: string;
  /** Ports ("8080/TCP"), or route matches for front doors; empty: every port. */
  readonly labels: readonly string[];
  readonly status: EdgeStatus;
  /** Why the path is not (fully) open, for one-sided and unreachable edges. */
  readonly note?: string;
  /**
   * How many edges of the whole graph this edge stands for, when an end is a folded namespace.
   * @default - one
   */
  readonly paths?: number;
}

/** A node of the traffic graph. */
export interface TrafficNode {
  /** The graph key: the node's name in DOT and its SVG `<title>`. */
  readonly key: string;
  /** `namespace`: a folded namespace, standing for its workloads, front doors and missing backends. */
  readonly kind: 'workload' | 'peer' | 'front-door' | 'missing' | 'namespace';
  readonly group: string;
  /** The namespace cluster it is drawn in ("" for outside peers). */
  readonly namespace: string;
  readonly label: string;
  /** Link target (a card anchor), if any. */
  readonly href?: string;
  /** Drawn as a problem (findings at error severity, an unreachable front door). */
  readonly alert?: boolean;
}

/** The traffic graph: nodes and edges, before layout. */
export interface TrafficGraph {
  readonly nodes: readonly TrafficNode[];
  readonly edges: readonly TrafficEdge[];
}

/** Where each workload's and front door's card is, by "group\0ref". */
export type Anchors = ReadonlyMap<string, string>;

/** The allowed paths of the model as a graph: every ingress flow, egress to outside peers, one-sided paths, and front doors' routes. */
export function trafficGraph(model: ReportModel, anchors: Anchors): TrafficGraph {
  const nodes = new Map<string, TrafficNode>();
  const edges = new Map<string, { from: string; to: string; labels: Set<string>; status: EdgeStatus; note?: string }>();
  const addEdge = (from: string, to: string, labels: readonly string[], status: EdgeStatus, note?: string) => {
    const id = `${from}\0${to}`;
    const e = edges.get(id) ?? { from, to, labels: new Set<string>(), status, note };
    labels.forEach(l => e.labels.add(l));
    if (rank(status) > rank(e.status)) {
      e.status = status;
      e.note = note;
    }
    edges.set(id, e);
  };
  for (const group of model.groups) {
    const key = (ref: string) => graphKey(model, group, ref);
    const inGroup = model.workloads.filter(w => w.facts.group === group);
    const byRef = new Map(inGroup.map(w => [w.ref, w]));
    const peer = (name: string) => {
      const k = key(name);
      if (!nodes.has(k) && !byRef.has(name)) nodes.set(k, { key: k, kind: 'peer', group, namespace: '', label: name });
      return k;
    };
    for (const w of inGroup) {
      const errors = w.failed.filter(f => f.severity === 'error').length;
      const replicas = w.facts.autoscaler ? `${w.facts.autoscaler.min}–${w.facts.autoscaler.max} replicas (HPA)` : w.facts.replicas !== undefined ? `${w.facts.replicas} replica${w.facts.replicas === 1 ? '' : 's'}` : w.facts.kind === 'DaemonSet' ? 'one per node' : w.facts.kind === 'CronJob' ? w.facts.schedule ?? 'scheduled' : w.facts.kind === 'Job' ? 'runs to completion' : 'bare Pod';
      nodes.set(key(w.ref), {
        key: key(w.ref), kind: 'workload', group, namespace: w.facts.namespace,
        label: `${w.facts.kind}\n${w.facts.name}\n${replicas}${errors ? `\n${errors} error${errors === 1 ? '' : 's'}` : ''}`,
        href: anchors.get(`${group}\0${w.ref}`), alert: errors > 0,
      });
    }
    for (const w of inGroup) {
      const to = key(w.ref);
      if (w.ingress === 'anyone') addEdge(peer('anyone'), to, [], 'allowed');
      else {
        for (const f of w.ingress) {
          const src = byRef.get(f.peer);
          if (src && !egressAllows(src, w)) addEdge(key(f.peer), to, f.ports, 'one-sided', `egress of ${src.ref} does not allow it`);
          else addEdge(src ? key(f.peer) : peer(f.peer), to, f.ports, 'allowed');
        }
      }
      if (w.egress === 'anywhere') addEdge(to, peer('anywhere'), [], 'allowed');
      else {
        for (const f of w.egress) {
          const dst = byRef.get(f.peer);
          if (!dst) addEdge(to, peer(f.peer), f.ports, 'allowed');
          else if (ingressAdmits(dst, w)) addEdge(to, key(f.peer), f.ports, 'allowed');
          else addEdge(to, key(f.peer), f.ports, 'one-sided', `ingress of ${dst.ref} does not allow it`);
        }
      }
    }
    for (const door of model.frontDoors.filter(d => d.group === group)) {
      const from = key(door.ref);
      const blocked = door.routes.length === 0 || door.routes.every(r => r.unreachable !== undefined);
      nodes.set(from, {
        key: from, kind: 'front-door', group, namespace: door.namespace,
        label: `${door.kind}\n${door.name}${door.via ? `\n${door.via}` : ''}${blocked ? '\nUNREACHABLE' : ''}`,
        href: anchors.get(`${group}\0${door.ref}`), alert: blocked,
      });
      for (const r of door.routes) {
        const label = `${r.match} → ${r.service.split('/').pop()}:${r.port}`;
        if (r.workloads.length === 0) {
          const missing = key(r.service);
          if (!nodes.has(missing)) nodes.set(missing, { key: missing, kind: 'missing', group, namespace: door.namespace, label: `${r.service}\n(no Pods)`, alert: true });
          addEdge(from, missing, [label], r.unreachable ? 'unreachable' : 'allowed', r.unreachable);
        }
        for (const target of r.workloads) addEdge(from, key(target), [label], r.unreachable ? 'unreachable' : 'allowed', r.unreachable);
      }
    }
  }
  return {
    nodes: [...nodes.values()],
    edges: [...edges.values()].map(e => ({ from: e.from, to: e.to, labels: [...e.labels], status: e.status, note: e.note })),
  };
}

/** A namespace drawn as one node of the laid-out graph; its card lists what it stands for. */
export interface FoldedNamespace {
  /** The folded node's graph key: `Namespace/<name>`, prefixed by the group when there are several. */
  readonly key: string;
  readonly group: string;
  readonly namespace: string;
  /** Its drill-down card's anchor ("#ns-0"). */
  readonly href: string;
  /** The nodes it stands for (workloads, front doors, missing backends), in the graph's order. */
  readonly members: readonly TrafficNode[];
  /** Edges of the whole graph between two of its members. */
  readonly inside: number;
}

/** The graph Graphviz lays out: the whole graph, or one with its largest namespaces folded. */
export interface LayoutGraph extends TrafficGraph {
  /** The folded namespaces, in the order of their nodes; empty when nothing is folded. */
  readonly folds: readonly FoldedNamespace[];
}

/**
 * Nodes Graphviz lays out at most. Its `dot` layout grows faster than linearly (1,000 nodes take
 * seconds, 5,000 minutes), so a larger graph has its namespaces folded, largest first, until it
 * fits: each becomes one node, and its card lists its workloads and their paths in text.
 */
export const LAYOUT_NODES = 250;

/**
 * Namespace clusters Graphviz lays out at most: `dot` grows about with the cube of the clusters
 * (250 nodes in 30 clusters take about a second, in 50 clusters seven). Folded namespaces are
 * drawn as nodes outside any cluster.
 */
export const LAYOUT_CLUSTERS = 20;

/**
 * The graph to lay out: `graph` itself when it has at most `limit` nodes in at most `clusters`
 * namespaces (so small reports are unchanged); else the same with namespaces folded into one
 * node each, largest first (ties by group and name), until both hold or every namespace is
 * folded. Edges between folded nodes merge (their labels, the worst status, how many paths);
 * edges inside a folded namespace are counted in its node. Linear in nodes and edges.
 */
export function foldGraph(model: Pick<ReportModel, 'groups' | 'namespaces'>, graph: TrafficGraph, limit: number = LAYOUT_NODES, clusters: number = LAYOUT_CLUSTERS): LayoutGraph {
  const nsKey = (n: TrafficNode) => `${n.group}\0${n.namespace}`;
  const sizes = new Map<string, { group: string; namespace: string; nodes: number }>();
  for (const n of graph.nodes) {
    if (n.namespace === '' || n.kind === 'peer') continue;
    const size = sizes.get(nsKey(n)) ?? { group: n.group, namespace: n.namespace, nodes: 0 };
    size.nodes++;
    sizes.set(nsKey(n), size);
  }
  if (graph.nodes.length <= limit && sizes.size <= clusters) return { ...graph, folds: [] };
  const order = new Map(model.groups.map((g, i) => [g, i]));
  const candidates = [...sizes.entries()]
    .sort(([, a], [, b]) => b.nodes - a.nodes || (order.get(a.group) ?? 0) - (order.get(b.group) ?? 0) || (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0));
  const folding = new Set<string>();
  let remaining = graph.nodes.length;
  let unfolded = sizes.size;
  for (const [k, s] of candidates) {
    if (remaining <= limit && unfolded <= clusters) break;
    folding.add(k);
    remaining -= s.nodes - 1;
    unfolded--;
  }
  const facts = new Map(model.namespaces.map(x => [`${x.group}\0${x.name}`, x]));
  // Folded namespaces in the order of their first node; each node's key in the laid-out graph.
  type Fold = { key: string; group: string; namespace: string; href: string; members: TrafficNode[]; inside: number };
  const folds = new Map<string, Fold>();
  const mapped = new Map<string, string>();
  const entries: (TrafficNode | Fold)[] = [];
  for (const n of graph.nodes) {
    const k = nsKey(n);
    if (n.kind === 'peer' || !folding.has(k)) {
      entries.push(n);
      continue;
    }
    let fold = folds.get(k);
    if (!fold) {
      fold = { key: graphKey(model, n.group, `Namespace/${n.namespace}`), group: n.group, namespace: n.namespace, href: `#ns-${folds.size}`, members: [], inside: 0 };
      folds.set(k, fold);
      entries.push(fold);
    }
    fold.members.push(n);
    mapped.set(n.key, fold.key);
  }
  const byKey = new Map([...folds.values()].map(f => [f.key, f]));
  const laidNodes = entries.map((e): TrafficNode => {
    if (!('members' in e)) return e;
    const count = (kind: TrafficNode['kind']) => e.members.filter(m => m.kind === kind).length;
    const parts = ([[count('workload'), 'workload'], [count('front-door'), 'front door'], [count('missing'), 'missing backend']] as const)
      .filter(([c]) => c > 0).map(([c, what]) => `${c} ${what}${c === 1 ? '' : 's'}`);
    const alerts = e.members.filter(m => m.alert).length;
    return {
      key: e.key, kind: 'namespace', group: e.group, namespace: e.namespace,
      label: `namespace ${e.namespace}\n${parts.join(', ')}\n${denyOf(facts.get(`${e.group}\0${e.namespace}`))}${alerts ? `\n${alerts} with errors` : ''}\n(folded: see its card)`,
      href: e.href, alert: alerts > 0,
    };
  });
  const edges = new Map<string, { from: string; to: string; labels: Set<string>; status: EdgeStatus; note?: string; paths: number }>();
  for (const e of graph.edges) {
    const from = mapped.get(e.from) ?? e.from;
    const to = mapped.get(e.to) ?? e.to;
    const inside = from === to ? byKey.get(from) : undefined;
    if (inside) {
      inside.inside++;
      continue;
    }
    const id = `${from}\0${to}`;
    const merged = edges.get(id) ?? { from, to, labels: new Set<string>(), status: e.status, note: e.note, paths: 0 };
    e.labels.forEach(l => merged.labels.add(l));
    if (rank(e.status) > rank(merged.status)) {
      merged.status = e.status;
      merged.note = e.note;
    }
    merged.paths++;
    edges.set(id, merged);
  }
  return {
    nodes: laidNodes,
    edges: [...edges.values()].map(e => ({ from: e.from, to: e.to, labels: [...e.labels], status: e.status, note: e.note, ...(byKey.has(e.from) || byKey.has(e.to) ? { paths: e.paths } : {}) })),
    folds: [...folds.values()],
  };
}

/** What default-deny policy a namespace has, in words. */
export function denyOf(facts: NamespaceFacts | undefined): string {
  return facts?.defaultDenyIngress && facts.defaultDenyEgress ? 'default-deny ingress + egress' : facts?.defaultDenyIngress ? 'default-deny ingress' : facts?.defaultDenyEgress ? 'default-deny egress' : 'no default-deny';
}

function rank(s: EdgeStatus): number {
  return s === 'allowed' ? 0 : s === 'one-sided' ? 1 : 2;
}

/** Whether `src`'s egress lets it reach `dst` (by ref, its namespace, or anywhere). */
function egressAllows(src: WorkloadExplanation, dst: WorkloadExplanation): boolean {
  return src.egress === 'anywhere' || coversPeer(src.egress, dst, src.facts.namespace);
}

/** Whether `dst`'s ingress admits `src`. */
function ingressAdmits(dst: WorkloadExplanation, src: WorkloadExplanation): boolean {
  return dst.ingress === 'anyone' || coversPeer(dst.ingress, src, dst.facts.namespace);
}

function coversPeer(flows: readonly Flow[], other: WorkloadExplanation, ownNamespace: string): boolean {
  const ns = other.facts.namespace;
  return flows.some(f => f.peer === other.ref || f.peer === 'anyone' || f.peer === 'anywhere' || f.peer === `namespace ${ns}` || (ns === ownNamespace && f.peer === `every Pod in ${ns || 'the namespace'}`));
}

/** Labels (ports, routes) drawn on an edge of a folded namespace; its card lists them all. */
const FOLDED_LABELS = 3;

/** The graph in Graphviz's DOT language: one cluster per group and namespace, outside peers around them. */
export function toDot(model: ReportModel, graph: TrafficGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const lines = [
    'digraph traffic {',
    // A folded graph bounds dot's network-simplex and crossing passes: long edges (a chain of
    // namespaces, each reached from one peer) otherwise take it tens of seconds at 100 nodes.
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.25, ranksep=0.9, newrank=true, ${graph.nodes.some(n => n.kind === 'namespace') ? 'nslimit=1, nslimit1=1, mclimit=0.2, ' : ''}tooltip="traffic graph"];`,
    '  node [fontname="Helvetica", fontsize=10, shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#3a5a8c", penwidth=1.2];',
    '  edge [fontname="Helvetica", fontsize=9, color="#3a5a8c", fontcolor="#1f2f4a", arrowsize=0.7];',
  ];
  const nodeLine = (n: TrafficNode, indent: string) => {
    const attrs: string[] = [`label=${q(n.label)}`, `tooltip=${q(n.key)}`, `class=${q(`sw-${n.kind}${n.alert ? ' sw-alert' : ''}`)}`];
    if (n.href) attrs.push(`URL=${q(n.href)}`, 'target="_self"');
    if (n.kind === 'peer') attrs.push('shape=ellipse', 'style="dashed"', 'color="#555555"');
    if (n.kind === 'front-door') attrs.push('shape=cds', 'fillcolor="#e8f5e9"', 'color="#2e7d32"');
    if (n.kind === 'missing') attrs.push('style="dashed,filled"', 'fillcolor="#fdecea"');
    if (n.kind === 'namespace') attrs.push('shape=box3d', 'fillcolor="#dde6f5"');
    if (n.alert) attrs.push('color="#b3261e"', 'fontcolor="#b3261e"', 'penwidth=2.4', n.kind === 'workload' ? 'fillcolor="#fdecea"' : 'peripheries=2');
    return `${indent}${q(n.key)} [${attrs.join(', ')}];`;
  };
  const namespaceFacts = new Map(model.namespaces.map(x => [`${x.group}\0${x.name}`, x]));
  let cluster = 0;
  for (const group of model.groups) {
    const indent = model.groups.length > 1 ? '    ' : '  ';
    if (model.groups.length > 1) lines.push(`  subgraph cluster_${cluster++} {`, `    label=${q(group || '(objects)')}; style="rounded"; color="#999999"; fontsize=14;`);
    // The group's nodes by namespace, in the graph's order: one pass, not one per namespace.
    const byNamespace = new Map<string, TrafficNode[]>();
    for (const n of graph.nodes) {
      if (n.group !== group) continue;
      // A folded namespace is a node outside the clusters: clusters are what makes dot slow.
      const ns = n.kind === 'namespace' ? '' : n.namespace;
      const list = byNamespace.get(ns);
      if (list) list.push(n);
      else byNamespace.set(ns, [n]);
    }
    for (const ns of [...byNamespace.keys()].filter(x => x !== '').sort()) {
      const facts = namespaceFacts.get(`${group}\0${ns}`);
      const deny = denyOf(facts);
      const marked = facts?.defaultDenyIngress || facts?.defaultDenyEgress;
      lines.push(`${indent}subgraph cluster_${cluster++} {`, `${indent}  label=${q(`namespace ${ns}\n${deny}`)}; style=${marked ? '"rounded,bold"' : '"rounded,dashed"'}; color=${marked ? '"#2e7d32"' : '"#888888"'}; penwidth=${marked ? 2 : 1}; fontsize=11; class=${q(marked ? 'sw-ns sw-default-deny' : 'sw-ns')};`);
      for (const n of byNamespace.get(ns)!) lines.push(nodeLine(n, `${indent}  `));
      lines.push(`${indent}}`);
    }
    for (const n of byNamespace.get('') ?? []) lines.push(nodeLine(n, indent));
    if (model.groups.length > 1) lines.push('  }');
  }
  for (const e of graph.edges) {
    // An edge of a folded namespace stands for many paths: a few of its labels, and how many.
    const shown = e.paths === undefined ? e.labels : [...e.labels.slice(0, FOLDED_LABELS), ...e.labels.length > FOLDED_LABELS ? [`+${e.labels.length - FOLDED_LABELS} more`] : [], `${e.paths} path${e.paths === 1 ? '' : 's'}`];
    const label = shown.join('\n') + (e.status === 'unreachable' ? '\nUNREACHABLE' : e.status === 'one-sided' ? '\n(one side only)' : '');
    const on = e.paths === undefined ? e.labels : shown.slice(0, -1);
    const attrs = [`label=${q(label)}`, `tooltip=${q(`${e.from} → ${e.to}${e.paths === undefined ? '' : ` (${e.paths} path${e.paths === 1 ? '' : 's'})`}${on.length ? ` on ${on.join(', ')}` : ''}${e.note ? `: ${e.note}` : ''}`)}`, `class=${q(`sw-${e.status}`)}`];
    if (e.status === 'one-sided') attrs.push('style=dashed', 'color="#777777"', 'fontcolor="#555555"');
    if (e.status === 'unreachable') attrs.push('style=dashed', 'color="#b3261e"', 'fontcolor="#b3261e"', 'penwidth=2');
    lines.push(`  ${q(e.from)} -> ${q(e.to)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Lays the DOT graph out with Graphviz (WebAssembly, shipped in @viz-js/viz) and returns inline SVG. */
export async function renderSvg(dot: string, fit: boolean): Promise<string> {
  const viz = await import('@viz-js/viz');
  const instance = await viz.instance();
  const svg = instance.renderString(dot, { format: 'svg', engine: 'dot' });
  // Inline in HTML: no XML prolog or DOCTYPE; the title Graphviz gives the whole graph names it.
  return svg.slice(svg.indexOf('<svg'))
    .replace('<svg ', `<svg role="img" aria-labelledby="graph-title" class="traffic${fit ? ' fit' : ''}" `)
    .replace(/<!--[\s\S]*?-->\n?/g, '');
}
