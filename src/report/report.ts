import { AuditInput, AuditOptions } from '../audit/engine';
import { FrontDoorSource } from '../audit/front-doors';
import { Anchors, foldGraph, LAYOUT_NODES, renderSvg, toDot, trafficGraph } from './graph';
import { page, ReportSection } from './html';
import { reportModel } from './model';

/** Graphs with at most this many nodes are scaled to fit the page. */
const FIT_NODES = 40;

/** Options of `explainReport()`. */
export interface ReportOptions extends AuditOptions {
  /**
   * The page's title.
   * @default 'seaworthy report'
   */
  readonly title?: string;
  /**
   * Extra sections: `seaworthy diff`'s consequences go on top (`placement: 'top'`).
   * @default - none
   */
  readonly sections?: readonly ReportSection[];
  /**
   * Where front doors come from.
   * @default FRONT_DOOR_SOURCES (Ingresses; Gateway API routes once they are a source)
   */
  readonly frontDoorSources?: readonly FrontDoorSource[];
  /**
   * How a manifest's path is linked from the page.
   * @default - the path as given
   */
  readonly link?: (file: string) => string;
  /**
   * Named in the page's header and `generator` meta tag.
   * @default 'seaworthy'
   */
  readonly generator?: string;
}

/**
 * One self-contained HTML page explaining the manifests: the traffic graph (laid out by Graphviz,
 * inline SVG), a card per workload (QoS, replicas, rollout peak against the quota, the shutdown
 * drawn to scale, disruption budget, probes, findings with fixes), front doors, a filterable
 * findings table and the waivers. Scripts and styles are inline and nothing is fetched, so it
 * opens from `file://` and can be attached to a CI run.
 */
export async function explainReport(inputs: readonly AuditInput[], options: ReportOptions = {}): Promise<string> {
  const model = reportModel(inputs, options);
  const anchors = new Map<string, string>();
  model.workloads.forEach((w, i) => anchors.set(`${w.facts.group}\0${w.ref}`, `#card-${i}`));
  model.frontDoors.forEach((d, i) => anchors.set(`${d.group}\0${d.ref}`, `#door-${i}`));
  const graph = trafficGraph(model, anchors as Anchors);
  // Graphviz lays out at most LAYOUT_NODES nodes: beyond, namespaces are folded into one node each.
  const layout = foldGraph(model, graph);
  // Small graphs are scaled to the page's width; large ones keep Graphviz's size and scroll. A graph
  // that folding cannot bring to the limit (hundreds of namespaces) is not drawn: the namespace
  // cards list every path, and the page stays linear.
  const svg = layout.nodes.length > LAYOUT_NODES ? '' : await renderSvg(toDot(model, layout), layout.nodes.length <= FIT_NODES);
  return page({ model, graph, layout, svg, anchors, sections: options.sections ?? [], link: options.link ?? (f => f), generator: options.generator ?? 'seaworthy' });
}
