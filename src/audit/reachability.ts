import type { PeerSelector } from '../network/peer';
import { Rules } from '../rules/catalog';
import { Rule } from '../rules/rule';
import { containersOf, KubeObject, objectRef, selects } from './kube';
import { IndexedWorkload, namespaceOf, ObjectIndex } from './object-index';

/**
 * Front doors (Ingress, HTTPRoute, GRPCRoute) and whether traffic they accept reaches the Pods
 * behind them: one algorithm over plain objects, run by the constructs at synthesis (on the
 * rendered objects) and by the audit (on any YAML).
 *
 * For each backend: the Service exists (in another namespace only with a ReferenceGrant), the
 * port exists, its targetPort is a container port the selected Pods declare, the serving
 * container is ready-probed, and every NetworkPolicy isolating those Pods for ingress leaves a
 * path from the front door's peer (the Gateway's data-plane Pods, the Ingress controller) on
 * that port. Cost: one pass to index the objects (Services and Gateways by name, workloads and
 * NetworkPolicies by namespace and by each `key=value` of their labels/selectors, ReferenceGrants
 * by namespace), then per backend only the workloads and policies sharing a label with it.
 */

/** Annotation on a route or Ingress: the peer (JSON `PeerSelector`) its traffic comes from. */
export const FRONT_DOOR_PEER_ANNOTATION = 'seaworthy.dev/front-door-peer';
/** Annotation on a Gateway: its data-plane Pods (JSON `PeerSelector`), when not the GEP-1762 default. */
export const DATA_PLANE_ANNOTATION = 'seaworthy.dev/data-plane';
/** Label implementations following GEP-1762 put on a Gateway's data-plane Pods. */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';
/** The Gateway API group. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** Kinds of front doors. */
export const FRONT_DOOR_KINDS: readonly string[] = ['Ingress', 'HTTPRoute', 'GRPCRoute'];

/** A problem found on a front door. */
export interface FrontDoorIssue {
  /** The rule violated. */
  readonly rule: Rule;
  /** Field of the front door, e.g. "spec.rules[0].backendRefs[0]". */
  readonly field: string;
  /** The offending value. */
  readonly value: unknown;
  /** What is wrong, naming the Service and the missing link. */
  readonly problem: string;
}

/** One backend of a front door and how far traffic gets. */
export interface FrontDoorBackend {
  /** Field of the backend in the front door. */
  readonly field: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  /** Name of the Service. */
  readonly service: string;
  /** The Service port referenced (number, or name for Ingresses). */
  readonly port?: number | string;
  /** The container port the traffic lands on, when resolved. */
  readonly containerPort?: number;
  /** "Kind/namespace/name" of the workloads serving it. */
  readonly workloads: readonly string[];
  /**
   * Whether every link was checked and holds; also false, with no issues, when the Service is in
   * another namespace none of whose objects are among the input (it cannot be judged).
   */
  readonly reachable: boolean;
  /** The missing links. */
  readonly issues: readonly FrontDoorIssue[];
}

/** A front door and its reachability. */
export interface FrontDoor {
  /** "Kind/namespace/name". */
  readonly ref: string;
  /** Ingress, HTTPRoute or GRPCRoute. */
  readonly kind: string;
  /** Namespace of the front door. */
  readonly namespace: string;
  /** Name of the front door. */
  readonly name: string;
  /** Host names it serves (empty: any). */
  readonly hostnames: readonly string[];
  /** Gateways it attaches to, "namespace/name" or "namespace/name/listener" (routes only). */
  readonly gateways: readonly string[];
  /** Who sends its traffic, in words. */
  readonly from: string;
  /** Its backends. */
  readonly backends: readonly FrontDoorBackend[];
  /** Whether every backend is reachable. */
  readonly reachable: boolean;
}

/** Options of the reachability analysis. */
export interface ReachabilityOptions {
  /**
   * Report a missing Ingress backend Service or port (rule SW-INGRESS-001); the audit leaves that
   * to the Ingress check.
   * @default true
   */
  readonly ingressBackends?: boolean;
}

/** Every front door among `objects` with its reachability (for reports and tools). */
export function frontDoors(objects: readonly object[]): FrontDoor[] {
  const index = new ObjectIndex(objects as KubeObject[]);
  return FRONT_DOOR_KINDS.flatMap(kind => index.ofKind(kind)).map(o => analyzeFrontDoor(o, index));
}

/** The peers a front door's traffic comes from; `undefined` stands for "an unknown peer outside the namespace". */
interface Source {
  readonly peer: PeerSelector | undefined;
  readonly description: string;
}

/** Reachability of one front door against the indexed objects. */
export function analyzeFrontDoor(obj: KubeObject, index: ObjectIndex, options: ReachabilityOptions = {}): FrontDoor {
  const ns = namespaceOf(obj);
  const fdi = FrontDoorIndex.of(index);
  const sources = sourcesOf(obj, fdi);
  const backends = backendsOf(obj).map(b => analyzeBackend(obj, ns, b, sources, fdi, options));
  const parents = obj.kind === 'Ingress' ? [] : parentRefsOf(obj).map(p => `${p.namespace ?? ns}/${p.name}${p.sectionName ? `/${p.sectionName}` : ''}`);
  const hostnames: string[] = obj.kind === 'Ingress'
    ? (obj.spec?.rules ?? []).map((r: KubeObject) => r?.host).filter((h: unknown): h is string => typeof h === 'string')
    : (Array.isArray(obj.spec?.hostnames) ? obj.spec.hostnames : []);
  return {
    ref: objectRef(obj), kind: obj.kind, namespace: ns, name: obj.metadata?.name ?? '', hostnames, gateways: parents,
    from: sources.map(s => s.description).join(', '), backends, reachable: backends.every(b => b.reachable),
  };
}

interface BackendRef {
  readonly field: string;
  readonly namespace?: string;
  readonly name: string;
  readonly port?: number | string;
}

function backendsOf(obj: KubeObject): BackendRef[] {
  const out: BackendRef[] = [];
  if (obj.kind === 'Ingress') {
    const add = (field: string, svc: KubeObject | undefined) => {
      if (svc && typeof svc.name === 'string') out.push({ field, name: svc.name, port: svc.port?.number ?? svc.port?.name });
    };
    add('spec.defaultBackend.service', obj.spec?.defaultBackend?.service);
    (obj.spec?.rules ?? []).forEach((rule: KubeObject, i: number) => (rule?.http?.paths ?? []).forEach((p: KubeObject, j: number) => add(`spec.rules[${i}].http.paths[${j}].backend.service`, p?.backend?.service)));
    return out;
  }
  (obj.spec?.rules ?? []).forEach((rule: KubeObject, i: number) => (rule?.backendRefs ?? []).forEach((b: KubeObject, j: number) => {
    if (!b || typeof b.name !== 'string') return;
    if ((b.group ?? '') !== '' || (b.kind ?? 'Service') !== 'Service') return; // other backends are implementation-specific
    out.push({ field: `spec.rules[${i}].backendRefs[${j}]`, namespace: b.namespace, name: b.name, port: b.port });
  }));
  return out;
}

interface ParentRef {
  readonly index: number;
  readonly namespace?: string;
  readonly name: string;
  readonly sectionName?: string;
  readonly port?: number;
}

/** The Gateway parentRefs of a route. */
export function parentRefsOf(obj: KubeObject): ParentRef[] {
  return (Array.isArray(obj.spec?.parentRefs) ? obj.spec.parentRefs : []).flatMap((p: KubeObject, index: number) =>
    (p && typeof p.name === 'string' && (p.group ?? GATEWAY_GROUP) === GATEWAY_GROUP && (p.kind ?? 'Gateway') === 'Gateway'
      ? [{ index, namespace: p.namespace, name: p.name, sectionName: p.sectionName, port: p.port }] : []));
}

function parsePeer(raw: unknown): PeerSelector | undefined {
  if (typeof raw !== 'string') return undefined;
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? v as PeerSelector : undefined;
  } catch {
    return undefined;
  }
}

/** The peer of a Gateway's data plane: its annotation, else the GEP-1762 label in its namespace. */
export function dataPlaneOf(namespace: string, name: string, gateway: KubeObject | undefined): PeerSelector {
  return parsePeer(gateway?.metadata?.annotations?.[DATA_PLANE_ANNOTATION]) ?? { namespace, podLabels: { [GATEWAY_NAME_LABEL]: name } };
}

/** Describes a peer selector in words. */
export function describePeer(p: PeerSelector | undefined): string {
  if (!p) return 'an ingress controller outside the namespace (none declared)';
  if (p.cidr) return `addresses ${p.cidr}`;
  const where = p.namespace ? `namespace ${p.namespace}` : p.namespaceLabels ? `namespaces ${JSON.stringify(p.namespaceLabels)}` : 'the same namespace';
  return p.podLabels ? `Pods ${JSON.stringify(p.podLabels)} in ${where}` : `every Pod in ${where}`;
}

function sourcesOf(obj: KubeObject, fdi: FrontDoorIndex): Source[] {
  const declared = parsePeer(obj.metadata?.annotations?.[FRONT_DOOR_PEER_ANNOTATION]);
  if (declared) return [{ peer: declared, description: describePeer(declared) }];
  if (obj.kind === 'Ingress') return [{ peer: undefined, description: describePeer(undefined) }];
  const ns = namespaceOf(obj);
  return parentRefsOf(obj).map(p => {
    const gwNs = p.namespace ?? ns;
    const peer = dataPlaneOf(gwNs, p.name, fdi.index.get('Gateway', gwNs, p.name));
    return { peer, description: `Gateway ${gwNs}/${p.name} (${describePeer(peer)})` };
  });
}

function analyzeBackend(obj: KubeObject, ns: string, b: BackendRef, sources: readonly Source[], fdi: FrontDoorIndex, options: ReachabilityOptions): FrontDoorBackend {
  const issues: FrontDoorIssue[] = [];
  const svcNs = b.namespace ?? ns;
  const isIngress = obj.kind === 'Ingress';
  const result = (extra: Partial<FrontDoorBackend> = {}, reachable = issues.length === 0): FrontDoorBackend =>
    ({ field: b.field, namespace: svcNs, service: b.name, port: b.port, workloads: [], ...extra, reachable, issues });
  if (svcNs !== ns && !fdi.granted(svcNs, obj.kind, ns, b.name)) {
    issues.push({ rule: Rules.REACH_NOT_GRANTED, field: `${b.field}.namespace`, value: svcNs, problem: `references Service ${svcNs}/${b.name} in another namespace, and no ReferenceGrant in ${svcNs} allows ${obj.kind}s from ${ns || '(no namespace)'} to it` });
  }
  const svc = fdi.index.get('Service', svcNs, b.name);
  const missingRule = isIngress ? (options.ingressBackends ?? true ? Rules.INGRESS_BACKEND_MISSING : undefined) : Rules.REACH_BACKEND_MISSING;
  if (!svc) {
    // A Service in a namespace none of whose objects are audited cannot be judged.
    if (svcNs !== ns && !fdi.namespaces.has(svcNs)) return result({}, false);
    if (missingRule) issues.push({ rule: missingRule, field: `${b.field}.name`, value: b.name, problem: `names no Service ${svcNs}/${b.name} among the objects` });
    return result({}, false);
  }
  const ports: KubeObject[] = Array.isArray(svc.spec?.ports) ? svc.spec.ports : [];
  const sp = ports.find(p => p && (p.port === b.port || (typeof b.port === 'string' && p.name === b.port))) ?? (b.port === undefined && ports.length === 1 ? ports[0] : undefined);
  if (!sp) {
    if (missingRule) issues.push({ rule: missingRule, field: `${b.field}.port`, value: b.port, problem: `is not a port of Service ${svcNs}/${b.name} (${ports.map(p => p?.name ? `${p.name}=${p.port}` : String(p?.port)).join(', ') || 'none'})` });
    return result({}, false);
  }
  if (!svc.spec?.selector || svc.spec?.type === 'ExternalName') return result(); // endpoints are managed elsewhere
  const workloads = fdi.index.workloadsSelectedBy(svcNs, { matchLabels: svc.spec.selector });
  const where = `Service ${svcNs}/${b.name} port ${sp.name ? `"${sp.name}" (${sp.port})` : sp.port}`;
  if (workloads.length === 0) {
    issues.push({ rule: Rules.REACH_NO_PODS, field: b.field, value: b.name, problem: `${where} selects no Pod template among the objects` });
    return result({}, false);
  }
  const target: number | string = sp.targetPort ?? sp.port;
  const names = workloads.map(w => objectRef(w.obj));
  let containerPort: number | undefined;
  for (const w of workloads) {
    const serving = containersOf(w.template).filter(c => !c.init || c.sidecar).flatMap(c => ((c.container.ports ?? []) as KubeObject[])
      .filter(p => p && (p.containerPort === target || p.name === target) && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP'))
      .map(p => ({ c, p })));
    if (serving.length === 0) {
      issues.push({ rule: Rules.REACH_NO_PODS, field: b.field, value: target, problem: `${where} targets port ${JSON.stringify(target)}, which no container of ${objectRef(w.obj)} declares` });
      continue;
    }
    const { c, p } = serving[0];
    containerPort = p.containerPort;
    if (!c.container.readinessProbe) {
      issues.push({ rule: Rules.REACH_NOT_PROBED, field: b.field, value: b.name, problem: `${where} sends traffic to container "${c.container.name}" of ${objectRef(w.obj)}, which has no readiness probe` });
    }
    const policies = fdi.isolating(w);
    if (policies.length === 0) continue;
    for (const s of sources) {
      if (!policies.some(pol => admits(pol, s.peer, p, fdi))) {
        issues.push({
          rule: Rules.REACH_NO_POLICY_PATH, field: b.field, value: b.name,
          problem: `${where}: no NetworkPolicy admits ${s.description} to ${objectRef(w.obj)} on port ${p.containerPort}${p.name ? ` ("${p.name}")` : ''} (isolated by ${policies.map(x => x.metadata?.name).join(', ')})`,
        });
      }
    }
  }
  return result({ containerPort, workloads: names });
}

/**
 * The NetworkPolicies isolating workload `w` for ingress, and whether one of them admits `peer`
 * to its container port `port` (a `ports[]` entry of a container: containerPort, name, protocol).
 * Shared with the monitor checks (the scraper's path to the metrics port).
 */
export function ingressPath(index: ObjectIndex, w: IndexedWorkload, peer: PeerSelector, port: KubeObject): { readonly isolatedBy: readonly string[]; readonly admitted: boolean } {
  const fdi = FrontDoorIndex.of(index);
  const policies = fdi.isolating(w);
  return { isolatedBy: policies.map(p => String(p.metadata?.name)), admitted: policies.length === 0 || policies.some(pol => admits(pol, peer, port, fdi)) };
}

/** Parses a peer annotation (JSON `PeerSelector`); undefined when absent or malformed. */
export function parsePeerAnnotation(raw: unknown): PeerSelector | undefined {
  return parsePeer(raw);
}

/** Whether an ingress rule of `policy` admits `peer` (undefined: any peer outside the namespace) to `port`. */
function admits(policy: KubeObject, peer: PeerSelector | undefined, port: KubeObject, fdi: FrontDoorIndex): boolean {
  const policyNs = namespaceOf(policy);
  for (const rule of (Array.isArray(policy.spec?.ingress) ? policy.spec.ingress : []) as KubeObject[]) {
    if (!rule || !portMatches(rule.ports, port)) continue;
    const from: KubeObject[] = Array.isArray(rule.from) ? rule.from : [];
    if (from.length === 0) return true;
    if (from.some(entry => entry && peerMatches(entry, policyNs, peer, fdi))) return true;
  }
  return false;
}

function portMatches(ports: unknown, port: KubeObject): boolean {
  if (!Array.isArray(ports) || ports.length === 0) return true;
  return (ports as KubeObject[]).some(p => {
    if (!p || (p.protocol ?? 'TCP') !== (port.protocol ?? 'TCP')) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return p.port === port.name;
    return p.port === port.containerPort || (typeof p.endPort === 'number' && port.containerPort >= p.port && port.containerPort <= p.endPort);
  });
}

function peerMatches(entry: KubeObject, policyNs: string, peer: PeerSelector | undefined, fdi: FrontDoorIndex): boolean {
  if (!peer) return !!entry.ipBlock || !!entry.namespaceSelector;
  if (peer.cidr) return !!entry.ipBlock && (entry.ipBlock.cidr === peer.cidr || entry.ipBlock.cidr === '0.0.0.0/0' || entry.ipBlock.cidr === '::/0');
  if (entry.ipBlock) return false;
  const peerNs = peer.namespace ?? (peer.namespaceLabels ? undefined : policyNs);
  const nsOk = entry.namespaceSelector
    ? selects(entry.namespaceSelector, peerNs !== undefined ? fdi.namespaceLabels(peerNs) : peer.namespaceLabels ?? {})
    : peerNs === policyNs;
  if (!nsOk) return false;
  return entry.podSelector ? selects(entry.podSelector, peer.podLabels ?? {}) : true;
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Indexes the front-door analysis needs beyond the object index, built once per object index. */
class FrontDoorIndex {
  private static readonly cache = new WeakMap<ObjectIndex, FrontDoorIndex>();

  public static of(index: ObjectIndex): FrontDoorIndex {
    let fdi = FrontDoorIndex.cache.get(index);
    if (!fdi) {
      fdi = new FrontDoorIndex(index);
      FrontDoorIndex.cache.set(index, fdi);
    }
    return fdi;
  }

  /** Namespaces that hold at least one object (or are objects). */
  public readonly namespaces = new Set<string>();
  private readonly grants = new Map<string, KubeObject[]>();
  /** Ingress-isolating policies by `ns\0key=value` of one matchLabel, and those without matchLabels by namespace. */
  private readonly policiesByLabel = new Map<string, KubeObject[]>();
  private readonly widePolicies = new Map<string, KubeObject[]>();
  private readonly isolatingCache = new WeakMap<KubeObject, KubeObject[]>();

  private constructor(public readonly index: ObjectIndex) {
    for (const kind of ['Service', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob', 'NetworkPolicy', 'ConfigMap', 'ServiceAccount']) {
      for (const o of index.ofKind(kind)) this.namespaces.add(namespaceOf(o));
    }
    for (const o of index.ofKind('Namespace')) if (typeof o.metadata?.name === 'string') this.namespaces.add(o.metadata.name);
    for (const g of index.ofKind('ReferenceGrant')) push(this.grants, namespaceOf(g), g);
    for (const p of index.ofKind('NetworkPolicy')) {
      const types: unknown = p.spec?.policyTypes ?? ['Ingress'];
      if (!Array.isArray(types) || !types.includes('Ingress')) continue;
      const ns = namespaceOf(p);
      const first = Object.entries(p.spec?.podSelector?.matchLabels ?? {})[0];
      if (first) push(this.policiesByLabel, `${ns}\0${first[0]}=${String(first[1])}`, p);
      else push(this.widePolicies, ns, p);
    }
  }

  /** The NetworkPolicies isolating a workload's Pods for ingress. */
  public isolating(w: IndexedWorkload): KubeObject[] {
    let found = this.isolatingCache.get(w.obj);
    if (found) return found;
    const ns = namespaceOf(w.obj);
    const candidates = [...this.widePolicies.get(ns) ?? [], ...Object.entries(w.template.labels).flatMap(([k, v]) => this.policiesByLabel.get(`${ns}\0${k}=${v}`) ?? [])];
    found = [...new Set(candidates)].filter(p => selects(p.spec?.podSelector, w.template.labels));
    this.isolatingCache.set(w.obj, found);
    return found;
  }

  /** The labels of a namespace: those of its Namespace object, plus the name label the API server sets. */
  public namespaceLabels(ns: string): Record<string, string> {
    return { ...this.index.get('Namespace', '', ns)?.metadata?.labels ?? {}, [NAME_LABEL]: ns };
  }

  /** Whether a ReferenceGrant in `targetNs` lets `kind`s in `fromNs` reference Service `name`. */
  public granted(targetNs: string, kind: string, fromNs: string, name: string): boolean {
    return (this.grants.get(targetNs) ?? []).some(g =>
      (g.spec?.from ?? []).some((f: KubeObject) => f?.group === GATEWAY_GROUP && f?.kind === kind && f?.namespace === fromNs)
      && (g.spec?.to ?? []).some((t: KubeObject) => (t?.group ?? '') === '' && t?.kind === 'Service' && (t?.name === undefined || t.name === name)));
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** Why `h` is not a Gateway API hostname (a DNS name, optionally "*." first), or undefined. */
export function hostnameProblem(h: unknown): string | undefined {
  if (typeof h !== 'string' || h.length === 0) return 'must be a non-empty string';
  if (h.length > 253) return `is ${h.length} characters long; at most 253 are allowed`;
  if (IPV4.test(h) || h.includes(':')) return 'must be a DNS name, not an IP address or host:port';
  if (!HOSTNAME.test(h)) return 'must be a lowercase DNS name (letters, digits, "-" and "."), optionally starting with "*."';
  if (h.split('.').some(label => label.length > 63)) return 'has a label longer than 63 characters';
  return undefined;
}
