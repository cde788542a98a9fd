import { limitRangeDefaults, objectQuotaUsage, podQuotaUsage, QuotaContainer, QuotaUsage } from '../tenancy/quota-arithmetic';
import { rolloutPods } from '../rules/families/rollout';
import { readySecondsOf, Replacement, RolloutPeak, rolloutPeak, RolloutTimeline } from '../tenancy/rollout-peak';
import { raisesAny, verticalQuotaContainers } from '../tenancy/vertical-ceiling';
import { containersOf, KubeObject, objectRef, podTemplateOf, PodTemplateRef, quantitiesOf } from './kube';

/**
 * What manifests count against ResourceQuotas: the peak Pods of each workload and the objects
 * (and the objects their controllers create). Used by the audit (SW-NS-002 on any
 * ResourceQuota) and by the Tenant on its rendered objects, so both count alike.
 */

/**
 * Most Pods of a workload running at once during a rollout if every old Pod were gone before the
 * next step (replicas + maxSurge; see `rolloutPeakOf` for the Pods still terminating); undefined
 * when it depends on the cluster (DaemonSets) or runs none (PodTemplates).
 */
export function peakPodsOf(obj: KubeObject, hpa: KubeObject | undefined): number | undefined {
  const spec = obj.spec ?? {};
  switch (obj.kind) {
    case 'Deployment':
    case 'StatefulSet':
      return rolloutPeakOf(obj, hpa, false)?.withoutOverlap;
    case 'ReplicaSet':
    case 'ReplicationController':
      return hpa?.spec?.maxReplicas ?? spec.replicas ?? 1;
    case 'Job':
      return Math.min(spec.parallelism ?? 1, spec.completions ?? Infinity);
    case 'CronJob': {
      const job = spec.jobTemplate?.spec ?? {};
      return Math.min(job.parallelism ?? 1, job.completions ?? Infinity);
    }
    case 'Pod':
      return 1;
    default:
      return undefined;
  }
}

/**
 * The timeline of a controller's rollout, read from its manifest: replicas (the autoscaler's
 * maximum when `hpa` scales it; `nodes` for a DaemonSet, which has no count of its own),
 * maxSurge and maxUnavailable resolved to Pods as the controller rounds them, the grace period,
 * the probes' lower bound on readiness, minReadySeconds, and whether a replacement waits for the
 * old Pod to be gone. Undefined for kinds without rollouts, and for a DaemonSet without `nodes`.
 */
export function rolloutTimelineOf(obj: KubeObject, hpa: KubeObject | undefined, nativeSidecars: boolean, nodes?: number): RolloutTimeline | undefined {
  const t = podTemplateOf(obj);
  if (!t || !['Deployment', 'StatefulSet', 'DaemonSet'].includes(obj.kind)) return undefined;
  const spec = obj.spec ?? {};
  const whole = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt);
  const common = {
    kind: String(obj.kind),
    gracePeriodSeconds: whole(t.spec.terminationGracePeriodSeconds, 30),
    readySeconds: readySecondsOfTemplate(t, nativeSidecars),
    minReadySeconds: whole(spec.minReadySeconds, 0),
  };
  if (obj.kind === 'DaemonSet') {
    if (nodes === undefined) return undefined;
    const ru = spec.updateStrategy?.type === 'OnDelete' ? { maxSurge: 0, maxUnavailable: 0 } : spec.updateStrategy?.rollingUpdate ?? {};
    const surge = rolloutPods(nodes, ru.maxSurge ?? 0, true);
    // Without surge the controller creates a node's new Pod only once the old one is gone.
    return { ...common, replicas: nodes, maxSurge: surge, maxUnavailable: rolloutPods(nodes, ru.maxUnavailable ?? 1, true), replacement: surge > 0 ? Replacement.ON_TERMINATION_START : Replacement.ON_TERMINATION_COMPLETE };
  }
  const replicas = whole(hpa?.spec?.maxReplicas ?? spec.replicas, 1);
  if (obj.kind === 'StatefulSet') {
    const ru = spec.updateStrategy?.rollingUpdate ?? {};
    return { ...common, replicas, maxSurge: 0, maxUnavailable: rolloutPods(replicas, ru.maxUnavailable ?? 1, true), replacement: Replacement.ON_TERMINATION_COMPLETE };
  }
  if (spec.strategy?.type === 'Recreate') return { ...common, replicas, maxSurge: 0, maxUnavailable: replicas, replacement: Replacement.ON_TERMINATION_COMPLETE };
  const ru = spec.strategy?.rollingUpdate ?? {};
  return { ...common, replicas, maxSurge: rolloutPods(replicas, ru.maxSurge ?? '25%', true), maxUnavailable: rolloutPods(replicas, ru.maxUnavailable ?? '25%', false), replacement: Replacement.ON_TERMINATION_START };
}

/** The rollout peak of a controller (see `rolloutTimelineOf` and `rolloutPeak`). */
export function rolloutPeakOf(obj: KubeObject, hpa: KubeObject | undefined, nativeSidecars: boolean, nodes?: number): RolloutPeak | undefined {
  const timeline = rolloutTimelineOf(obj, hpa, nativeSidecars, nodes);
  return timeline ? rolloutPeak(timeline) : undefined;
}

/** The lower bound on a Pod's readiness from its probes (native sidecars only when the target has them). */
function readySecondsOfTemplate(t: PodTemplateRef, nativeSidecars: boolean): number {
  const probe = (p: unknown) => (p && typeof p === 'object' ? p as KubeObject : undefined);
  return readySecondsOf(containersOf(t).filter(c => !c.init || (c.sidecar && nativeSidecars)).map(c => ({
    sidecar: c.init,
    startup: probe(c.container.startupProbe),
    readiness: probe(c.container.readinessProbe),
  })));
}

/**
 * The quota usage of a workload's Pods at `peak`, with the namespace's LimitRange defaults
 * applied first (as the LimitRanger admission does before the quota admission); `terminating`
 * old Pods still in their grace period at the rollout's worst instant count on top (SW-NS-005).
 * With a VerticalPodAutoscaler (`vpa`) sizing the Pods, each container counts at the most the
 * VPA may set it to (its maxAllowed; `verticalCeilingOf`), not its declared size.
 */
export function manifestPodUsage(owner: string, obj: KubeObject, peak: number, limitRanges: readonly KubeObject[], nativeSidecars: boolean, terminating = 0, vpa?: KubeObject): QuotaUsage | undefined {
  const t = podTemplateOf(obj);
  if (!t) return undefined;
  const defaults = limitRangeDefaults(limitRanges.flatMap(l => (Array.isArray(l.spec?.limits) ? l.spec.limits : [])));
  const declared: QuotaContainer[] = containersOf(t).map(c => {
    const requests = quantitiesOf(c.container.resources?.requests);
    const limits = quantitiesOf(c.container.resources?.limits);
    // API defaulting: a limit without a request sets the request; then LimitRange defaults.
    for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
    for (const [k, v] of Object.entries(defaults.defaultRequest)) requests[k] ??= v;
    for (const [k, v] of Object.entries(defaults.default)) limits[k] ??= v;
    return { name: c.container.name, init: c.init, sidecar: c.sidecar && nativeSidecars, requests, limits };
  });
  const containers = verticalQuotaContainers(declared, vpa);
  const sizedBy = vpa && raisesAny(declared, vpa) ? ` (at the maxAllowed of ${objectRef(vpa)})` : '';
  const compute = containers.some(c => ['cpu', 'memory'].some(r => c.requests[r] !== undefined || c.limits[r] !== undefined));
  const affinity = t.spec.affinity ?? {};
  const terms = [...(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []), ...(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []),
    ...(affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p: KubeObject) => p?.podAffinityTerm),
    ...(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((p: KubeObject) => p?.podAffinityTerm)] as KubeObject[];
  return podQuotaUsage(`${owner}${sizedBy}`, peak, containers, {
    bestEffort: !compute,
    terminating: typeof t.spec.activeDeadlineSeconds === 'number',
    priorityClassName: typeof t.spec.priorityClassName === 'string' ? t.spec.priorityClassName : '',
    crossNamespaceAffinity: terms.some(term => term && (Array.isArray(term.namespaces) && term.namespaces.length > 0 || term.namespaceSelector !== undefined)),
  }, terminating);
}

/**
 * What an object counts against object-count quotas, itself and what its controller keeps
 * around: the ReplicaSets of a Deployment (revisionHistoryLimit old ones + the current one), the
 * Jobs of a CronJob (history limits + one running), the claims of a StatefulSet (one per
 * volumeClaimTemplate per replica). Pods are counted by `manifestPodUsage`.
 */
export function manifestObjectUsages(owner: string, obj: KubeObject, replicas: number | undefined): QuotaUsage[] {
  if (!obj || typeof obj.kind !== 'string' || obj.kind === 'Pod') return [];
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : 'v1';
  const out = [objectQuotaUsage(owner, apiVersion, obj.kind, obj.spec)];
  if (obj.kind === 'Deployment') out.push(objectQuotaUsage(owner, 'apps/v1', 'ReplicaSet', undefined, (obj.spec?.revisionHistoryLimit ?? 10) + 1));
  if (obj.kind === 'CronJob') out.push(objectQuotaUsage(owner, 'batch/v1', 'Job', undefined, (obj.spec?.successfulJobsHistoryLimit ?? 3) + (obj.spec?.failedJobsHistoryLimit ?? 1) + 1));
  if (obj.kind === 'StatefulSet') {
    for (const claim of (Array.isArray(obj.spec?.volumeClaimTemplates) ? obj.spec.volumeClaimTemplates : []) as KubeObject[]) {
      out.push(objectQuotaUsage(`${owner} (claim ${claim?.metadata?.name})`, 'v1', 'PersistentVolumeClaim', claim?.spec, replicas ?? obj.spec?.replicas ?? 1));
    }
  }
  return out;
}

/**
 * What every namespace holds before anything is applied to it, and counts against its object
 * quotas: the `kube-root-ca.crt` ConfigMap (published by the controller manager into every
 * namespace since Kubernetes 1.21) and the `default` ServiceAccount, unless `declared` says the
 * objects at hand define them (they are then counted as those objects).
 */
export function implicitNamespaceUsages(namespace: string, declared: (kind: string, name: string) => boolean): QuotaUsage[] {
  return [['ConfigMap', 'kube-root-ca.crt'], ['ServiceAccount', 'default']]
    .filter(([kind, name]) => !declared(kind, name))
    .map(([kind, name]) => objectQuotaUsage(`${kind}/${namespace}/${name} (in every namespace)`, 'v1', kind, undefined));
}
