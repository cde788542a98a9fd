import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { qosClassOf, QosClass } from '../../pod/resources';
import { RULES_BY_ID } from '../../rules/catalog';
import { formatQuotaAmount } from '../../tenancy/quota-arithmetic';
import { isExtendedResource, isHugePages } from '../../rules/families/resources';
import { rolloutPods } from '../../rules/families/rollout';
import { GRACE_MARGIN_SECONDS } from '../../pod/shutdown';
import { renderJson } from '../../synth/own-keys';
import { Feature } from '../../target/capabilities';
import { KubernetesTarget } from '../../target/target';
import { parseQuantity } from '../../validation/quantity';
import { audit, AuditFinding, AuditInput, AuditOptions } from '../engine';
import { containersOf, handlerSleepSeconds, KubeObject, objectRef, podRequestOf, podTemplateOf, PodTemplateRef, replicasOf, selects } from '../kube';
import { hpaOf, namespaceOf, ObjectIndex, vpaOf } from '../object-index';
import { Flow, ProbeFacts, RolloutFacts, ShutdownLane, ShutdownTimeline, WorkloadExplanation, WorkloadFacts } from './model';
import { NamespacePeak, peakFacts, rolloutText } from './rollout';
import { trafficShares, TrafficShare } from '../checks/tracks';

/** Explains every workload of the objects: QoS, rollout math, disruption budget, shutdown timeline, traffic and rules. */
export function explain(inputs: readonly AuditInput[], options: AuditOptions = {}): WorkloadExplanation[] {
  return explainWithFindings(inputs, options).workloads;
}

/** Every workload explained, and every finding of the audit behind it (of all objects, not only workloads). */
export function explainWithFindings(inputs: readonly AuditInput[], options: AuditOptions = {}): { workloads: WorkloadExplanation[]; findings: AuditFinding[] } {
  const groups = new Map<string, AuditInput[]>();
  for (const i of inputs) {
    const list = groups.get(i.group ?? '');
    if (list) list.push(i);
    else groups.set(i.group ?? '', [i]);
  }
  // One audit over the whole input (references cross folders, as `seaworthy audit` resolves
  // them); each group's workloads are explained with the findings on its own objects.
  const findings = audit(inputs, options);
  const where = (file: string | undefined, line: number | undefined, object: string) => `${file ?? ''}\0${line ?? ''}\0${object}`;
  const groupOf = new Map<string, string>();
  for (const i of inputs) {
    const k = where(i.file, i.line, objectRef(i.object as KubeObject));
    if (!groupOf.has(k)) groupOf.set(k, i.group ?? '');
  }
  const byGroup = new Map<string, AuditFinding[]>();
  for (const f of findings) {
    const g = groupOf.get(where(f.file, f.line, f.object)) ?? '';
    const list = byGroup.get(g);
    if (list) list.push(f);
    else byGroup.set(g, [f]);
  }
  const workloads: WorkloadExplanation[] = [];
  for (const [name, group] of groups) workloads.push(...explainGroup(group, options, byGroup.get(name) ?? []));
  return { workloads, findings };
}

function explainGroup(inputs: readonly AuditInput[], options: AuditOptions, findings: readonly AuditFinding[]): WorkloadExplanation[] {
  const objects = inputs.map(i => i.object as KubeObject);
  const index = new ObjectIndex(objects);
  const namespacePeaks = new Map<string, NamespacePeak>();
  const target = options.kubernetesVersion === undefined ? KubernetesTarget.DEFAULT : KubernetesTarget.version(options.kubernetesVersion);
  const targetText = `${target} (upstream support ${target.supportedUpstream(new Date()) ? 'until' : 'ended'} ${target.endOfLife})`;
  const byObject = new Map<string, AuditFinding[]>();
  for (const f of findings) byObject.set(f.object, [...(byObject.get(f.object) ?? []), f]);
  const out: WorkloadExplanation[] = [];
  for (const input of inputs) {
    const obj = input.object as KubeObject;
    const t = podTemplateOf(obj);
    if (!t || !obj.kind) continue;
    const ref = objectRef(obj);
    const timeline = shutdownTimeline(t, target);
    const own = byObject.get(ref) ?? [];
    const applicable = [...RULES_BY_ID.values()].filter(r => r.kinds.includes(obj.kind) || r.kinds.includes('*')).length;
    const failing = new Set(own.filter(f => !f.waived).map(f => f.rule.id));
    out.push({
      ref,
      target: targetText,
      ...qos(t),
      rollout: rollout(obj, index, t, target),
      disruption: disruption(obj, index, t),
      shutdown: shutdown(t, target, timeline),
      devices: devicesText(podDevicesOf(t, target)),
      ingress: flows(obj, t, index, 'Ingress'),
      egress: flows(obj, t, index, 'Egress') as readonly Flow[] | 'anywhere',
      traffic: trafficText(trafficShares(obj, index)),
      failed: own.filter(f => !f.waived),
      waived: own.filter(f => f.waived),
      passed: Math.max(applicable - failing.size, 0),
      facts: facts(input, index, t, target, timeline, namespacePeaks),
    } as WorkloadExplanation);
  }
  return out;
}

function qos(t: PodTemplateRef): { qos: QosClass; qosReason: string } {
  const cls = qosClassOf(t.spec as never);
  const containers = containersOf(t);
  const why = cls === QosClass.GUARANTEED
    ? `every container (${containers.length}) has cpu and memory limits equal to its requests; evicted last under node pressure`
    : cls === QosClass.BEST_EFFORT
      ? 'no container sets cpu or memory requests or limits; evicted first under node pressure'
      : `${containers.filter(c => !guaranteedContainer(c.container)).map(c => `"${c.container.name}"`).join(', ')} ${containers.filter(c => !guaranteedContainer(c.container)).length === 1 ? 'has' : 'have'} requests below limits or missing; evicted before Guaranteed Pods`;
  return { qos: cls, qosReason: why };
}

/** Extended resources and huge pages one Pod requests, as the scheduler and the quota count them. */
function podDevicesOf(t: PodTemplateRef, target: KubernetesTarget): Record<string, number> {
  const names = [...new Set(containersOf(t).flatMap(c => [...Object.keys(c.container.resources?.requests ?? {}), ...Object.keys(c.container.resources?.limits ?? {})]))];
  const out: Record<string, number> = {};
  for (const r of names.filter(n => isHugePages(n) || isExtendedResource(n)).sort()) out[r] = podRequestOf(t, r, target.has(Feature.NATIVE_SIDECARS));
  return out;
}

function devicesText(devices: Record<string, number>): string | undefined {
  const parts = Object.entries(devices).map(([r, n]) => `${formatQuotaAmount(r, n)} ${r}`);
  return parts.length === 0 ? undefined : `per Pod ${parts.join(', ')} (request = limit: cannot be overcommitted; not part of the QoS class)`;
}

function guaranteedContainer(c: KubeObject): boolean {
  return ['cpu', 'memory'].every(r => c.resources?.limits?.[r] !== undefined && parseQuantity(c.resources?.requests?.[r] ?? c.resources.limits[r]) === parseQuantity(c.resources.limits[r]));
}

function rollout(obj: KubeObject, index: ObjectIndex, t: PodTemplateRef, target: KubernetesTarget): string {
  if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(obj.kind)) return rolloutText(obj, hpaOf(obj, index), t, target, vpaOf(obj, index));
  if (obj.kind === 'Job' || obj.kind === 'CronJob') {
    const job = obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec ?? {} : obj.spec ?? {};
    return `${job.completions ?? 1} completion(s), ${job.parallelism ?? 1} at a time, ${job.backoffLimit ?? 6} retries, deadline ${job.activeDeadlineSeconds ?? 'none'}s${obj.kind === 'CronJob' ? `; schedule "${obj.spec?.schedule}" (${obj.spec?.timeZone ?? 'controller time zone'}), concurrency ${obj.spec?.concurrencyPolicy ?? 'Allow'}` : ''}`;
  }
  return 'a bare Pod: nothing replaces it';
}

function disruption(obj: KubeObject, index: ObjectIndex, t: PodTemplateRef): string {
  const pdbs = selecting(index, 'PodDisruptionBudget', obj, t);
  if (pdbs.length === 0) return 'no PodDisruptionBudget: a node drain may evict every Pod at once';
  return pdbs.map(p => `${objectRef(p)}: ${p.spec?.maxUnavailable !== undefined ? `at most ${p.spec.maxUnavailable} unavailable` : `at least ${p.spec?.minAvailable} available`} during voluntary disruptions${p.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow' ? ', unhealthy Pods always evictable' : ''}`).join('; ');
}

function shutdown(t: PodTemplateRef, target: KubernetesTarget, timeline: ShutdownTimeline): string {
  const grace = timeline.gracePeriodSeconds;
  const main = containersOf(t).find(c => !c.init)?.container ?? {};
  const pre = main.lifecycle?.preStop;
  const seconds = timeline.lanes.find(l => l.role === 'app')?.preStopSeconds;
  const how = pre?.sleep ? ' (kubelet sleep action)' : '';
  const preText = pre ? (seconds !== undefined ? `preStop sleeps ${seconds}s${how} while endpoints drop the Pod` : `preStop ${pre.httpGet ? `GET ${pre.httpGet.path}` : 'runs a command'}`) : 'no preStop: SIGTERM arrives while load balancers may still send traffic';
  const preSeconds = seconds ?? 0;
  const sidecars = target.has(Feature.NATIVE_SIDECARS) ? timeline.lanes.filter(l => l.role === 'sidecar').map(l => `"${l.container}"`) : [];
  const after = sidecars.length > 0 ? `; native sidecar${sidecars.length > 1 ? 's' : ''} ${sidecars.join(', ')} ${sidecars.length > 1 ? 'get' : 'gets'} SIGTERM only after the app containers exit` : '';
  return `t=0 Terminating, removed from endpoints → ${preText} → t=${preSeconds}s SIGTERM to PID 1 → drain for up to ${Math.max(grace - preSeconds, 0)}s → t=${grace}s SIGKILL${grace - preSeconds < GRACE_MARGIN_SECONDS ? ' (almost no time to drain)' : ''}${after}`;
}

/**
 * The traffic the NetworkPolicies in `index` allow a workload: who may reach its Pods (Ingress;
 * "anyone" when no policy isolates them) or whom they may reach (Egress; "anywhere"). Undefined
 * for an object without a Pod template. `seaworthy diff` compares it before and after a change.
 */
export function trafficOf(obj: KubeObject, index: ObjectIndex, direction: 'Ingress' | 'Egress'): readonly Flow[] | 'anyone' | 'anywhere' | undefined {
  const t = podTemplateOf(obj);
  return t ? flows(obj, t, index, direction) : undefined;
}

/** Each running container's shutdown: app containers, then native sidecars when the target has them. */
function shutdownTimeline(t: PodTemplateRef, target: KubernetesTarget): ShutdownTimeline {
  const native = target.has(Feature.NATIVE_SIDECARS);
  const lanes: ShutdownLane[] = [];
  for (const c of containersOf(t)) {
    if (c.init && !(c.sidecar && native)) continue;
    const pre = c.container.lifecycle?.preStop;
    const action = pre ? ['sleep', 'exec', 'httpGet', 'tcpSocket'].find(k => pre[k] !== undefined) ?? 'hook' : undefined;
    const seconds = handlerSleepSeconds(pre);
    const role = c.init ? 'sidecar' : 'app';
    lanes.push({ container: String(c.container.name ?? '?'), role, preStop: action, preStopSeconds: seconds, sigtermAt: role === 'app' ? seconds ?? 0 : undefined });
  }
  lanes.sort((a, b) => (a.role === b.role ? 0 : a.role === 'app' ? -1 : 1));
  return { gracePeriodSeconds: t.spec.terminationGracePeriodSeconds ?? 30, lanes };
}

function facts(input: AuditInput, index: ObjectIndex, t: PodTemplateRef, target: KubernetesTarget, timeline: ShutdownTimeline, namespacePeaks: Map<string, NamespacePeak>): WorkloadFacts {
  const obj = input.object as KubeObject;
  const ns = namespaceOf(obj);
  const native = target.has(Feature.NATIVE_SIDECARS);
  const hpa = hpaOf(obj, index);
  const perPod = { cpu: podRequestOf(t, 'cpu', native), memory: podRequestOf(t, 'memory', native) };
  const { peak, peakWithoutOverlap, rolloutPeak, quotas } = peakFacts(obj, t, index, native, namespacePeaks);
  let rolloutFacts: RolloutFacts | undefined;
  if (obj.kind === 'Deployment') {
    const desired = hpa ? hpa.spec.maxReplicas : obj.spec?.replicas ?? 1;
    const s = obj.spec?.strategy ?? {};
    const recreate = s.type === 'Recreate';
    rolloutFacts = {
      strategy: recreate ? 'Recreate' : 'RollingUpdate',
      desired,
      maxSurge: recreate ? 0 : rolloutPods(desired, s.rollingUpdate?.maxSurge ?? '25%', true),
      maxUnavailable: recreate ? desired : rolloutPods(desired, s.rollingUpdate?.maxUnavailable ?? '25%', false),
    };
  }
  return {
    kind: String(obj.kind),
    namespace: ns,
    name: String(obj.metadata?.name ?? '?'),
    group: input.group ?? '',
    file: input.file,
    line: input.line,
    replicas: replicasOf(obj) ?? (obj.kind === 'Deployment' || obj.kind === 'StatefulSet' ? (hpa ? undefined : 1) : undefined),
    schedule: obj.kind === 'CronJob' && obj.spec?.schedule !== undefined ? String(obj.spec.schedule) : undefined,
    autoscaler: hpa ? { ref: objectRef(hpa), min: hpa.spec?.minReplicas ?? 1, max: hpa.spec?.maxReplicas } : undefined,
    rollout: rolloutFacts,
    peak,
    peakWithoutOverlap,
    rolloutPeak,
    quotas,
    podRequests: perPod,
    podDevices: podDevicesOf(t, target),
    shutdown: timeline,
    probes: probes(t),
    disruptionBudgets: selecting(index, 'PodDisruptionBudget', obj, t).map(objectRef),
    trafficShares: trafficShares(obj, index),
  };
}

/** The traffic split of the Services fronting several controllers, in words. */
function trafficText(shares: readonly TrafficShare[]): string | undefined {
  if (shares.length === 0) return undefined;
  return shares.map(s => {
    const percent = Math.round((s.pods / s.total) * 1000) / 10;
    return `${s.service}: ${percent}% here (${s.pods} of ${s.total} Pods; ${s.others.join(', ')})${s.autoscaled ? ', at the autoscalers\' minimum' : ''}`;
  }).join('; ');
}

function probes(t: PodTemplateRef): ProbeFacts[] {
  const out: ProbeFacts[] = [];
  for (const c of containersOf(t)) {
    if (c.init && !c.sidecar) continue;
    for (const type of ['startup', 'readiness', 'liveness'] as const) {
      const p = c.container[`${type}Probe`];
      if (!p || typeof p !== 'object') continue;
      const check = p.httpGet ? `${p.httpGet.scheme === 'HTTPS' ? 'HTTPS ' : ''}GET ${p.httpGet.path ?? '/'} on ${p.httpGet.port}`
        : p.exec ? `exec ${(p.exec.command ?? []).join(' ')}`
          : p.tcpSocket ? `TCP ${p.tcpSocket.port}`
            : p.grpc ? `gRPC ${p.grpc.port}${p.grpc.service ? ` (${p.grpc.service})` : ''}` : 'unknown handler';
      out.push({ container: String(c.container.name ?? '?'), type, check, periodSeconds: p.periodSeconds ?? 10, failureThreshold: p.failureThreshold ?? 3, initialDelaySeconds: p.initialDelaySeconds ?? 0, timeoutSeconds: p.timeoutSeconds ?? 1 });
    }
  }
  return out;
}

const selectingCache = new WeakMap<ObjectIndex, Map<string, Map<KubeObject, KubeObject[]>>>();

/**
 * The NetworkPolicies or PodDisruptionBudgets of the workload's namespace whose selector selects
 * its Pods, in the objects' order. Each selector is matched once, through the index's label
 * lookup, so explaining every workload stays linear in the number of objects.
 */
function selecting(index: ObjectIndex, kind: 'NetworkPolicy' | 'PodDisruptionBudget', obj: KubeObject, t: PodTemplateRef): KubeObject[] {
  let byKind = selectingCache.get(index);
  if (!byKind) selectingCache.set(index, byKind = new Map());
  let map = byKind.get(kind);
  if (!map) {
    byKind.set(kind, map = new Map());
    for (const o of index.ofKind(kind)) {
      for (const w of index.workloadsSelectedBy(namespaceOf(o), kind === 'NetworkPolicy' ? o.spec?.podSelector : o.spec?.selector)) {
        const list = map.get(w.obj);
        if (list) list.push(o);
        else map.set(w.obj, [o]);
      }
    }
  }
  const found = map.get(obj);
  if (found) return found;
  if (index.get(String(obj.kind), namespaceOf(obj), obj.metadata?.name) === obj) return [];
  // An object the index does not hold (e.g. one explained against another index) is matched directly.
  return index.ofKind(kind).filter(o => namespaceOf(o) === namespaceOf(obj) && selects(kind === 'NetworkPolicy' ? o.spec?.podSelector : o.spec?.selector, t.labels));
}

function flows(obj: KubeObject, t: PodTemplateRef, index: ObjectIndex, direction: 'Ingress' | 'Egress'): readonly Flow[] | 'anyone' | 'anywhere' {
  const ns = namespaceOf(obj);
  const policies = selecting(index, 'NetworkPolicy', obj, t).filter(p => (p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress'])).includes(direction));
  if (policies.length === 0) return direction === 'Ingress' ? 'anyone' : 'anywhere';
  const out: Flow[] = [];
  const seen = new Set<string>();
  const add = (f: Flow) => {
    const key = `${f.peer}|${f.ports.join(',')}`;
    if (!seen.has(key)) out.push(f);
    seen.add(key);
  };
  for (const p of policies) {
    for (const rule of (direction === 'Ingress' ? p.spec?.ingress : p.spec?.egress) ?? []) {
      const ports = (rule.ports ?? []).map((x: KubeObject) => `${x.port ?? '*'}/${x.protocol ?? 'TCP'}`);
      const peers: KubeObject[] = (direction === 'Ingress' ? rule.from : rule.to) ?? [];
      if (peers.length === 0) add({ peer: direction === 'Ingress' ? 'anyone' : 'anywhere', ports });
      for (const peer of peers) for (const name of describePeer(peer, ns, index)) add({ peer: name, ports });
    }
  }
  return out;
}

function describePeer(peer: KubeObject, ns: string, index: ObjectIndex): string[] {
  if (peer.ipBlock) return [`ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`];
  const nsSel = peer.namespaceSelector;
  const nsName = nsSel?.matchLabels?.['kubernetes.io/metadata.name'];
  const targetNs = nsSel ? nsName : ns;
  if (peer.podSelector && Object.keys(peer.podSelector).length > 0 && targetNs !== undefined) {
    const matched = index.workloadsSelectedBy(targetNs, peer.podSelector).map(w => objectRef(w.obj));
    if (matched.length > 0) return matched;
    return [`pods ${JSON.stringify(peer.podSelector.matchLabels ?? {})} in ${targetNs || 'the same namespace'}`];
  }
  if (nsSel) return [nsName ? `namespace ${nsName}` : `namespaces ${JSON.stringify(nsSel.matchLabels ?? {})}`];
  return [`every Pod in ${ns || 'the namespace'}`];
}

/** Explains the workloads a construct tree synthesizes (e.g. a Chart), without writing files. */
export function explainConstructs(scope: IConstruct, options: AuditOptions = {}): WorkloadExplanation[] {
  const objects = scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(o => ({ object: renderJson(o) as object }));
  return explain(objects, { ...options, kubernetesVersion: options.kubernetesVersion ?? KubernetesTarget.of(scope).version });
}
