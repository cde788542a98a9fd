import { Flow, trafficOf } from '../audit/explain';
import { KubeObject, objectRef, podTemplateOf, selects } from '../audit/kube';
import { namespaceOf, ObjectIndex } from '../audit/object-index';
import { Rules } from '../rules/catalog';
import { Entry, Report } from './context';
import { ConsequenceClass } from './model';

/**
 * Traffic and exposure: the explain traffic graph of each workload before and after (paths cut,
 * sources newly admitted), Services opening outside the cluster, new host names.
 */

type Traffic = readonly Flow[] | 'anyone' | 'anywhere';

const flowKey = (f: Flow) => `${f.peer} on ${f.ports.length ? f.ports.join(', ') : 'all ports'}`;

/** Whether a path from `peer` is one the diff calls wide: another namespace, every namespace, anyone, the internet. */
function wide(peer: string, ns: string): boolean {
  if (peer === 'anyone' || peer.startsWith('namespace') || /^ipBlock (0\.0\.0\.0\/0|::\/0)/.test(peer)) return true;
  const m = /^[A-Za-z]+\/([^/]+)\/[^/]+$/.exec(peer);
  return m !== null && m[1] !== ns;
}

/**
 * Compares the traffic of every workload in namespaces whose NetworkPolicies (or the workloads
 * themselves) changed. A cut path is reported on the policy that changed (after side; before
 * side when it was deleted), else on the workload.
 */
export function checkTraffic(
  workloads: readonly { before: Entry; after: Entry }[],
  changedPolicies: readonly { before?: Entry; after?: Entry }[],
  before: ObjectIndex,
  after: ObjectIndex,
  report: Report,
): void {
  for (const w of workloads) {
    const ns = namespaceOf(w.after.obj);
    const labelsBefore = podTemplateOf(w.before.obj)?.labels ?? {};
    const labelsAfter = podTemplateOf(w.after.obj)?.labels ?? {};
    const mine = changedPolicies.filter(p => [p.before?.obj, p.after?.obj].some(o => o && namespaceOf(o) === ns && (selects(o.spec?.podSelector, labelsBefore) || selects(o.spec?.podSelector, labelsAfter))));
    if (mine.length === 0) continue;
    const blame = mine.find(p => p.after)?.after ?? mine[0].before!;
    for (const direction of ['Ingress', 'Egress'] as const) {
      const then = trafficOf(w.before.obj, before, direction) as Traffic;
      const now = trafficOf(w.after.obj, after, direction) as Traffic;
      const open = direction === 'Ingress' ? 'anyone' : 'anywhere';
      const who = objectRef(w.after.obj);
      const verb = direction === 'Ingress' ? 'reach' : 'be reached from';
      if (typeof then === 'string' && typeof now !== 'string') {
        report(blame, Rules.DIFF_TRAFFIC_CUT, ConsequenceClass.AVAILABILITY, `spec.${direction.toLowerCase()}`, open, now.map(flowKey).join('; ') || 'nobody', `${who} was open to ${open} for ${direction.toLowerCase()}; now only ${now.map(flowKey).join('; ') || 'nothing'} may ${direction === 'Ingress' ? 'reach it' : 'be reached'}`);
      } else if (typeof then !== 'string' && typeof now !== 'string') {
        const kept = new Set(now.map(flowKey));
        const covered = (f: Flow) => now.some(n => n.peer === f.peer && n.ports.length === 0) || now.some(n => (n.peer === 'anyone' || n.peer === 'anywhere') && (n.ports.length === 0 || f.ports.every(p => n.ports.includes(p))));
        for (const f of then.filter(f => !kept.has(flowKey(f)) && !covered(f))) {
          report(blame, Rules.DIFF_TRAFFIC_CUT, ConsequenceClass.AVAILABILITY, `spec.${direction.toLowerCase()}`, flowKey(f), undefined, `${direction === 'Ingress' ? `${f.peer} can no longer reach ${who}` : `${who} can no longer reach ${f.peer}`}${f.ports.length ? ` on ${f.ports.join(', ')}` : ''}`);
        }
      }
      if (direction === 'Ingress') {
        const had = new Set(typeof then === 'string' ? [] : then.map(flowKey));
        if (typeof then === 'string') continue;
        const added = typeof now === 'string' ? [{ peer: 'anyone', ports: [] }] : now.filter(f => !had.has(flowKey(f)) && wide(f.peer, ns));
        for (const f of added) report(blame, Rules.DIFF_POLICY_OPENED, ConsequenceClass.EXPOSURE, 'spec.ingress', undefined, flowKey(f), `${f.peer} may now ${verb} ${who}${f.ports.length ? ` on ${f.ports.join(', ')}` : ''}`);
      }
    }
  }
}

/** The ingress sources of a policy rule list, as comparable keys ("anyone" for a rule without `from`). */
function ingressSources(policy: KubeObject | undefined): Set<string> {
  const out = new Set<string>();
  for (const rule of (Array.isArray(policy?.spec?.ingress) ? policy.spec.ingress : []) as KubeObject[]) {
    const ports = JSON.stringify(rule?.ports ?? []);
    const from = Array.isArray(rule?.from) && rule.from.length > 0 ? rule.from as KubeObject[] : [{}];
    for (const peer of from) out.add(`${JSON.stringify(peer)} ${ports}`);
  }
  return out;
}

/** Whether a policy peer (from `ingressSources`) admits another namespace, every namespace or the internet. */
function widePeer(key: string, ns: string): boolean {
  const peer = JSON.parse(key.slice(0, key.lastIndexOf(' ['))) as KubeObject;
  if (Object.keys(peer).length === 0) return true;
  if (peer.ipBlock) return ['0.0.0.0/0', '::/0'].includes(peer.ipBlock.cidr);
  const names = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  return peer.namespaceSelector !== undefined && names !== ns;
}

/**
 * Changed policies whose Pods are not among the manifests (a Gateway's proxies, a namespace
 * baseline before its workloads): the diff cannot compare traffic graphs there, so it compares
 * the policy's own ingress sources — removed ones cut paths, new wide ones expose.
 */
export function checkUnattachedPolicies(changedPolicies: readonly { before?: Entry; after?: Entry }[], after: ObjectIndex, report: Report): void {
  for (const p of changedPolicies) {
    const obj = p.after?.obj ?? p.before!.obj;
    if (!p.after || !p.before || after.workloadsSelectedBy(namespaceOf(obj), obj.spec?.podSelector).length > 0) continue;
    const then = ingressSources(p.before.obj);
    const now = ingressSources(p.after.obj);
    const who = `the Pods ${objectRef(obj)} selects (not among these manifests)`;
    for (const key of [...then].filter(k => !now.has(k))) {
      report(p.after, Rules.DIFF_TRAFFIC_CUT, ConsequenceClass.AVAILABILITY, 'spec.ingress', key, undefined, `${key} can no longer reach ${who}`);
    }
    for (const key of [...now].filter(k => !then.has(k) && widePeer(k, namespaceOf(obj)))) {
      report(p.after, Rules.DIFF_POLICY_OPENED, ConsequenceClass.EXPOSURE, 'spec.ingress', undefined, key, `${key} may now reach ${who}`);
    }
  }
}

const OUTSIDE_TYPES = ['NodePort', 'LoadBalancer'];

/** A Service opening outside the cluster (changed or created). */
export function checkServiceExposure(before: KubeObject | undefined, after: Entry, report: Report): void {
  const a = after.obj;
  if (a.kind !== 'Service') return;
  const typeAfter = a.spec?.type ?? 'ClusterIP';
  const typeBefore = before ? before.spec?.type ?? 'ClusterIP' : undefined;
  if (OUTSIDE_TYPES.includes(typeAfter) && !OUTSIDE_TYPES.includes(typeBefore ?? '')) {
    report(after, Rules.DIFF_SERVICE_EXPOSED, ConsequenceClass.EXPOSURE, 'spec.type', typeBefore, typeAfter, `${objectRef(a)} ${before ? 'becomes' : 'is a new'} ${typeAfter}: reachable from outside the cluster${typeAfter === 'NodePort' ? ' on every node' : ' through a load balancer'}`);
  }
}

/** Host names of an Ingress, HTTPRoute/GRPCRoute/TLSRoute or Gateway, each with the path of the field that names it. */
function hostsOf(obj: KubeObject): Array<{ readonly host: string; readonly field: string }> {
  const spec = obj.spec ?? {};
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const out: Array<{ host: unknown; field: string }> = [];
  if (obj.kind === 'Ingress') {
    list(spec.rules).forEach((r, i) => out.push({ host: (r as KubeObject)?.host, field: `spec.rules[${i}].host` }));
    list(spec.tls).forEach((t, i) => list((t as KubeObject)?.hosts).forEach((h, j) => out.push({ host: h, field: `spec.tls[${i}].hosts[${j}]` })));
  } else if (obj.kind === 'HTTPRoute' || obj.kind === 'GRPCRoute' || obj.kind === 'TLSRoute') {
    list(spec.hostnames).forEach((h, i) => out.push({ host: h, field: `spec.hostnames[${i}]` }));
  } else if (obj.kind === 'Gateway') {
    list(spec.listeners).forEach((l, i) => out.push({ host: (l as KubeObject)?.hostname, field: `spec.listeners[${i}].hostname` }));
  }
  return out.filter((h): h is { host: string; field: string } => typeof h.host === 'string');
}

/** New host names (changed or created objects), each at the first field that names it. */
export function checkHosts(before: KubeObject | undefined, after: Entry, report: Report): void {
  const had = new Set(before ? hostsOf(before).map(h => h.host) : []);
  const seen = new Set<string>();
  for (const { host, field } of hostsOf(after.obj)) {
    if (had.has(host) || seen.has(host)) continue;
    seen.add(host);
    report(after, Rules.DIFF_NEW_HOST, ConsequenceClass.EXPOSURE, field, undefined, host, `${objectRef(after.obj)} ${before ? 'adds' : 'publishes'} host ${host}`);
  }
}
