import { isExtendedResource, isHugePages } from '../../rules/families/resources';
import { Feature } from '../../target/capabilities';
import { KubernetesTarget } from '../../target/target';
import { describeRolloutPeak, RolloutPeak } from '../../tenancy/rollout-peak';
import { parseQuantity } from '../../validation/quantity';
import { KubeObject, objectRef, podRequestOf, PodTemplateRef } from '../kube';
import { hpaOf, namespaceOf, ObjectIndex, vpaOf } from '../object-index';
import { peakPodsOf, rolloutPeakOf, rolloutTimelineOf } from '../quota-usage';
import { QuotaFacts, ResourceFacts } from './model';

/** A namespace's rollout peak, and the same without old Pods still terminating. @internal */
export interface NamespacePeak extends ResourceFacts {
  readonly withoutOverlap: ResourceFacts;
}

const QUOTA_KEYS = ['requests.cpu', 'limits.cpu', 'requests.memory', 'limits.memory', 'pods'];

/**
 * A workload's rollout peak as the quota sees it, with and without the old Pods still
 * terminating, and each ResourceQuota key of its namespace against its peak and the whole
 * namespace's (computed once per namespace into `namespacePeaks`): the model of SW-NS-002 and
 * SW-NS-005. @internal
 */
export function peakFacts(obj: KubeObject, t: PodTemplateRef, index: ObjectIndex, native: boolean, namespacePeaks: Map<string, NamespacePeak>): {
  peak?: ResourceFacts; peakWithoutOverlap?: ResourceFacts; rolloutPeak?: RolloutPeak; quotas: QuotaFacts[];
} {
  const ns = namespaceOf(obj);
  const podsOf = (w: KubeObject): { pods: number; withoutOverlap: number } | undefined => {
    const hpa = hpaOf(w, index);
    const model = rolloutPeakOf(w, hpa, native);
    if (model) return model;
    const pods = peakPodsOf(w, hpa);
    return pods === undefined ? undefined : { pods, withoutOverlap: pods };
  };
  const peakOf = (w: KubeObject, tpl: PodTemplateRef, overlap = true): ResourceFacts | undefined => {
    const p = podsOf(w);
    const pods = p === undefined ? undefined : overlap ? p.pods : p.withoutOverlap;
    // A VerticalPodAutoscaler may raise the Pods to its maxAllowed: the quota counts them there (SW-NS-002).
    const vpa = vpaOf(w, index);
    return pods === undefined ? undefined : { pods, cpu: pods * podRequestOf(tpl, 'cpu', native, vpa), memory: pods * podRequestOf(tpl, 'memory', native, vpa) };
  };
  const peak = peakOf(obj, t);
  const quotas: QuotaFacts[] = [];
  const quotaObjects = index.ofKindIn('ResourceQuota', ns);
  if (quotaObjects.length > 0) {
    let all = namespacePeaks.get(ns);
    if (!all) {
      const sum = (overlap: boolean) => {
        const out = { pods: 0, cpu: 0, memory: 0 };
        for (const w of index.workloadsIn(ns)) {
          const p = peakOf(w.obj, w.template, overlap);
          if (p) (['pods', 'cpu', 'memory'] as const).forEach(k => { out[k] += p[k]; });
        }
        return out;
      };
      namespacePeaks.set(ns, all = { ...sum(true), withoutOverlap: sum(false) });
    }
    const of = (key: string, r: ResourceFacts | undefined) => (r === undefined ? 0 : key === 'pods' ? r.pods : key.endsWith('cpu') ? r.cpu : r.memory);
    // Extended resources and huge pages: per-Pod requests times the rollout peak, like cpu.
    const device = (key: string, w: KubeObject, tpl: PodTemplateRef, overlap = true) => {
      const p = podsOf(w);
      return (p === undefined ? 0 : overlap ? p.pods : p.withoutOverlap) * podRequestOf(tpl, key.replace(/^requests\./, ''), native);
    };
    for (const q of quotaObjects) {
      const devices = Object.keys(q.spec?.hard ?? {}).filter(k => { const r = k.replace(/^requests\./, ''); return isHugePages(r) || (k.startsWith('requests.') && isExtendedResource(r)); }).sort();
      for (const key of [...QUOTA_KEYS, ...devices]) {
        const hard = q.spec?.hard?.[key] === undefined ? undefined : parseQuantity(String(q.spec.hard[key]));
        if (hard === undefined) continue;
        if (QUOTA_KEYS.includes(key)) {
          quotas.push({ quota: objectRef(q), key, hard, workload: of(key, peak), namespace: of(key, all), namespaceWithoutOverlap: of(key, all.withoutOverlap) });
        } else {
          const total = (overlap: boolean) => index.workloadsIn(ns).reduce((sum, w) => sum + device(key, w.obj, w.template, overlap), 0);
          quotas.push({ quota: objectRef(q), key, hard, workload: device(key, obj, t), namespace: total(true), namespaceWithoutOverlap: total(false) });
        }
      }
    }
  }
  return { peak, peakWithoutOverlap: peakOf(obj, t, false), rolloutPeak: rolloutPeakOf(obj, hpaOf(obj, index), native), quotas };
}

/**
 * The Rollout line of `explain`: how the controller replaces its Pods, and the quota peak of a
 * rollout with the timeline that derives it (the model SW-NS-002 and SW-NS-005 count with; with
 * a VerticalPodAutoscaler, at its maxAllowed).
 */
export function rolloutText(obj: KubeObject, hpa: KubeObject | undefined, t: PodTemplateRef, target: KubernetesTarget, vpa?: KubeObject): string {
  const native = target.has(Feature.NATIVE_SIDECARS);
  const cpu = podRequestOf(t, 'cpu', native, vpa);
  const memory = podRequestOf(t, 'memory', native, vpa);
  const raised = vpa !== undefined && (cpu !== podRequestOf(t, 'cpu', native) || memory !== podRequestOf(t, 'memory', native));
  const requested = (pods: number) => `${Math.round(pods * cpu * 1000)}m cpu, ${Math.round((pods * memory) / 2 ** 20)}Mi memory requested${raised ? ` at the maxAllowed of ${objectRef(vpa)}` : ''}`;
  const peak = rolloutPeakOf(obj, hpa, native);
  const peakText = (p: RolloutPeak) => `peak ${p.pods} Pod${p.pods === 1 ? '' : 's'} = ${requested(p.pods)}: ${describeRolloutPeak(p)}`;
  if (obj.kind === 'Deployment' && peak) {
    const desired = peak.timeline.replicas;
    if (obj.spec?.strategy?.type === 'Recreate') return `Recreate: all ${desired} Pods stop before new ones start (downtime on every rollout); ${peakText(peak)}`;
    const surge = Math.min(peak.timeline.maxSurge, desired);
    const replicas = hpa ? `up to ${desired} replicas (HPA ${hpa.spec.minReplicas ?? 1}–${desired})` : `${desired} replicas`;
    return `${replicas}; a rollout adds up to ${surge} surge Pod${surge === 1 ? '' : 's'} and keeps at least ${desired - peak.timeline.maxUnavailable} available; ${peakText(peak)}`;
  }
  if (obj.kind === 'StatefulSet' && peak) {
    const n = peak.timeline.replicas;
    const partition = obj.spec?.updateStrategy?.rollingUpdate?.partition;
    return `${n} replica${n === 1 ? '' : 's'}, updated one at a time from the highest ordinal${partition ? ` down to ordinal ${partition}` : ''}; no surge; ${peakText(peak)}`;
  }
  if (obj.kind === 'DaemonSet') return daemonSetText(obj, target);
  return '';
}

/**
 * A DaemonSet's update, per node: the node count is not in the manifest, so the peak is said
 * for N nodes (N + what surging adds, on a cluster large enough for every overlapping step).
 */
function daemonSetText(obj: KubeObject, target: KubernetesTarget): string {
  const t = rolloutTimelineOf(obj, undefined, target.has(Feature.NATIVE_SIDECARS), 1);
  const ru = obj.spec?.updateStrategy?.rollingUpdate ?? {};
  if (!t || obj.spec?.updateStrategy?.type === 'OnDelete') return 'one Pod per node; OnDelete: a node gets the new Pod only when its old one is deleted by hand';
  const surge = ru.maxSurge ?? 0;
  if (t.maxSurge === 0) {
    return `one Pod per node; at most ${ru.maxUnavailable ?? 1} node(s) without it during an update; a node's new Pod is created only once its old Pod is gone, so N nodes count N Pods against a quota`;
  }
  const step = t.readySeconds + t.minReadySeconds;
  const overlap = step > 0 ? `the old Pods of ceil(${t.gracePeriodSeconds} / ${step}) = ${Math.ceil(t.gracePeriodSeconds / step)} steps overlap, so N nodes count up to N + ${surge} surge + ${surge} x ${Math.ceil(t.gracePeriodSeconds / step)} terminating Pods against a quota`
    : 'every node\'s old Pod may still be terminating at once, so N nodes count up to 2N Pods against a quota';
  return `one Pod per node; maxSurge ${surge}: a node's new Pod starts beside the old one, which is deleted once the new one is available and counts until it is gone, up to its ${t.gracePeriodSeconds}s grace period; a step takes at least ${step}s (ready after ≥${t.readySeconds}s + minReadySeconds ${t.minReadySeconds}s), ${overlap}`;
}
