import type { PeerSelector } from '../network/peer';
import { Rules } from '../rules/catalog';
import { Rule } from '../rules/rule';
import { containersOf, KubeObject, objectRef, selects } from './kube';
import { IndexedWorkload, namespaceOf, ObjectIndex } from './object-index';
import { describePeer, ingressPath, parsePeerAnnotation } from './reachability';

/**
 * ServiceMonitors and PodMonitors of the Prometheus Operator, and whether they scrape anything:
 * the named port exists on a selected Service (or on the containers of the selected Pods), and
 * the NetworkPolicies isolating those Pods admit the scraper on it. One algorithm over plain
 * objects, run at synthesis on what the constructs render and by the audit on any YAML.
 *
 * Open world: a monitor whose selector matches no Service or Pod template among the objects
 * cannot be judged (they may come from elsewhere) and gets no finding; a monitor selecting
 * several Services only needs the port on one of them (Prometheus scrapes those that have it);
 * the scraper is known only when the monitor names it (`seaworthy.dev/scraper`, a JSON peer, as
 * seaworthy writes it), otherwise the NetworkPolicy path is not judged.
 */

/** Annotation on a ServiceMonitor or PodMonitor: the Prometheus Pods (JSON `PeerSelector`) that scrape it. */
export const SCRAPER_ANNOTATION = 'seaworthy.dev/scraper';
/** Kinds of monitors. */
export const MONITOR_KINDS: readonly string[] = ['ServiceMonitor', 'PodMonitor'];
const GROUP = 'monitoring.coreos.com/';

/** A problem found on a monitor. */
export interface MonitorIssue {
  readonly rule: Rule;
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/** The Prometheus Operator's monitors among `kind`s: only monitoring.coreos.com ones are judged. */
export function isMonitor(obj: KubeObject): boolean {
  return MONITOR_KINDS.includes(obj?.kind) && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith(GROUP);
}

/** The issues of one ServiceMonitor or PodMonitor against the indexed objects. */
export function analyzeMonitor(obj: KubeObject, index: ObjectIndex): MonitorIssue[] {
  if (!isMonitor(obj)) return [];
  const scraper = parsePeerAnnotation(obj.metadata?.annotations?.[SCRAPER_ANNOTATION]);
  return obj.kind === 'ServiceMonitor' ? serviceMonitor(obj, index, scraper) : podMonitor(obj, index, scraper);
}

/** The namespaces a monitor selects in: its namespaceSelector's names, else its own; undefined for `any`. */
function namespacesOf(obj: KubeObject): string[] | undefined {
  const s = obj.spec?.namespaceSelector;
  if (s?.any === true) return undefined;
  return Array.isArray(s?.matchNames) && s.matchNames.length > 0 ? s.matchNames.filter((n: unknown): n is string => typeof n === 'string') : [namespaceOf(obj)];
}

/** Service names a `keep` relabeling on `__meta_kubernetes_service_name` lets through. */
function keptService(endpoint: KubeObject, name: string): boolean {
  const keeps = (Array.isArray(endpoint?.relabelings) ? endpoint.relabelings : []).filter((r: KubeObject) => (r?.action ?? 'replace').toLowerCase() === 'keep'
    && Array.isArray(r.sourceLabels) && r.sourceLabels.length === 1 && r.sourceLabels[0] === '__meta_kubernetes_service_name' && typeof r.regex === 'string');
  return keeps.every((r: KubeObject) => {
    try {
      return new RegExp(`^(?:${r.regex as string})$`).test(name);
    } catch {
      return true;
    }
  });
}

function serviceMonitor(obj: KubeObject, index: ObjectIndex, scraper: PeerSelector | undefined): MonitorIssue[] {
  const namespaces = namespacesOf(obj);
  if (!namespaces || !obj.spec?.selector) return [];
  const services = namespaces.flatMap(ns => index.ofKindIn('Service', ns)).filter(s => selects(obj.spec.selector, s.metadata?.labels ?? {}));
  const issues: MonitorIssue[] = [];
  (Array.isArray(obj.spec?.endpoints) ? obj.spec.endpoints : []).forEach((e: KubeObject, i: number) => {
    const field = `spec.endpoints[${i}]`;
    const candidates = services.filter(s => keptService(e, String(s.metadata?.name)));
    if (candidates.length === 0) return;
    const names = candidates.map(s => `${namespaceOf(s)}/${s.metadata?.name}`).join(', ');
    if (typeof e?.port === 'string') {
      const withPort = candidates.filter(s => (s.spec?.ports ?? []).some((p: KubeObject) => p?.name === e.port));
      if (withPort.length === 0) {
        issues.push({ rule: Rules.MONITOR_PORT_MISSING, field: `${field}.port`, value: e.port, problem: `is not a port name of the selected Service${candidates.length > 1 ? 's' : ''} ${names} (${portNames(candidates)})` });
        return;
      }
      for (const s of withPort) {
        const sp = (s.spec.ports as KubeObject[]).find(p => p?.name === e.port)!;
        pathIssues(index, workloadsOf(index, s), sp.targetPort ?? sp.port, sp.protocol, scraper, field, e.port, issues);
      }
    } else if (e?.targetPort !== undefined) {
      const workloads = candidates.flatMap(s => workloadsOf(index, s));
      if (workloads.length === 0) return;
      if (!workloads.some(w => containerPort(w, e.targetPort))) {
        issues.push({ rule: Rules.MONITOR_PORT_MISSING, field: `${field}.targetPort`, value: e.targetPort, problem: `is not a container port of the Pods behind ${names} (${workloads.map(w => objectRef(w.obj)).join(', ')})` });
        return;
      }
      pathIssues(index, workloads, e.targetPort, 'TCP', scraper, field, e.targetPort, issues);
    }
  });
  return issues;
}

function podMonitor(obj: KubeObject, index: ObjectIndex, scraper: PeerSelector | undefined): MonitorIssue[] {
  const namespaces = namespacesOf(obj);
  if (!namespaces || !obj.spec?.selector) return [];
  const workloads = namespaces.flatMap(ns => index.workloadsIn(ns)).filter(w => selects(obj.spec.selector, w.template.labels));
  if (workloads.length === 0) return [];
  const issues: MonitorIssue[] = [];
  (Array.isArray(obj.spec?.podMetricsEndpoints) ? obj.spec.podMetricsEndpoints : []).forEach((e: KubeObject, i: number) => {
    const field = `spec.podMetricsEndpoints[${i}]`;
    const [key, target] = typeof e?.port === 'string' ? ['port', e.port] : typeof e?.portNumber === 'number' ? ['portNumber', e.portNumber] : ['targetPort', e?.targetPort];
    if (target === undefined) return;
    if (!workloads.some(w => containerPort(w, target))) {
      issues.push({ rule: Rules.MONITOR_PORT_MISSING, field: `${field}.${key}`, value: target, problem: `is not a container port of the selected Pods (${workloads.map(w => `${objectRef(w.obj)}: ${declaredPorts(w)}`).join('; ')})` });
      return;
    }
    pathIssues(index, workloads, target, 'TCP', scraper, field, target, issues);
  });
  return issues;
}

/** The workloads a Service selects (none for Services without a selector). */
function workloadsOf(index: ObjectIndex, svc: KubeObject): readonly IndexedWorkload[] {
  return svc.spec?.selector ? index.workloadsSelectedBy(namespaceOf(svc), { matchLabels: svc.spec.selector }) : [];
}

/** The `ports[]` entry of a serving container of `w` declaring `target` (number or name). */
function containerPort(w: IndexedWorkload, target: unknown, protocol = 'TCP'): KubeObject | undefined {
  for (const c of containersOf(w.template)) {
    if (c.init && !c.sidecar) continue;
    const p = ((c.container.ports ?? []) as KubeObject[]).find(x => x && (x.containerPort === target || x.name === target) && (x.protocol ?? 'TCP') === protocol);
    if (p) return p;
  }
  return undefined;
}

function declaredPorts(w: IndexedWorkload): string {
  return containersOf(w.template).flatMap(c => ((c.container.ports ?? []) as KubeObject[]).map(p => (p?.name ? `${p.name}=${p.containerPort}` : String(p?.containerPort)))).join(', ') || 'none';
}

function portNames(services: readonly KubeObject[]): string {
  return [...new Set(services.flatMap(s => (s.spec?.ports ?? []).map((p: KubeObject) => p?.name ?? String(p?.port))))].join(', ') || 'none';
}

/** Reports workloads whose isolating NetworkPolicies do not admit the scraper on the scraped port. */
function pathIssues(index: ObjectIndex, workloads: readonly IndexedWorkload[], target: unknown, protocol: unknown, scraper: PeerSelector | undefined, field: string, value: unknown, issues: MonitorIssue[]): void {
  if (!scraper) return;
  for (const w of workloads) {
    const port = containerPort(w, target, typeof protocol === 'string' ? protocol : 'TCP');
    if (!port) continue;
    const path = ingressPath(index, w, scraper, port);
    if (!path.admitted) {
      issues.push({
        rule: Rules.MONITOR_NOT_ADMITTED, field, value,
        problem: `no NetworkPolicy admits the scraper (${describePeer(scraper)}) to ${objectRef(w.obj)} on port ${port.containerPort}${port.name ? ` ("${port.name}")` : ''} (isolated by ${path.isolatedBy.join(', ')})`,
      });
    }
  }
}
