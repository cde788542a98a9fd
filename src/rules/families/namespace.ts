import { parseQuantity } from '../../validation/quantity';
import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the namespace family. */
export const NamespaceRules = {
  LIMIT_RANGE_VIOLATION: rule({
    id: 'SW-NS-001',
    title: 'Containers fit their namespace\'s LimitRange',
    severity: Severity.ERROR,
    rationale: 'The LimitRange admission plugin rejects Pods whose containers ask for less than min, more than max, or a limit/request ratio above maxLimitRequestRatio: the ReplicaSet never gets its Pods.',
    fix: 'size the containers within the tenant\'s limits, or widen the LimitRange',
    kinds: [],
    see: `${K8S}/concepts/policy/limit-range/`,
  }),
  QUOTA_EXCEEDED: rule({
    id: 'SW-NS-002',
    title: 'The rollout peak fits the namespace\'s ResourceQuota',
    severity: Severity.ERROR,
    rationale: 'During a rolling update with maxUnavailable 0, (replicas + maxSurge) Pods run at once; if that peak does not fit the ResourceQuota, the surge Pod is refused and the rollout hangs.',
    fix: 'raise the tenant\'s quota to at least the reported peak, or lower replicas, maxSurge or sizes',
    kinds: ['Namespace', 'ResourceQuota', 'LimitRange'],
    see: `${K8S}/concepts/policy/resource-quotas/`,
  }),
  NAMESPACE_PSS_MISMATCH: rule({
    id: 'SW-NS-003',
    title: 'Workloads with host access live in a privileged namespace',
    severity: Severity.ERROR,
    rationale: 'Pod Security Admission rejects Pods with hostPath, host namespaces or root in a namespace enforcing "baseline" or "restricted": the DaemonSet would never get its Pods.',
    fix: 'put the node agent in its own Tenant with podSecurity: PodSecurityLevel.PRIVILEGED',
    kinds: [],
    see: `${K8S}/concepts/security/pod-security-admission/`,
  }),
  PSA_LABELS: rule({
    id: 'SW-NS-004',
    title: 'Namespaces enforce a Pod Security level',
    severity: Severity.WARNING,
    rationale: 'Without pod-security.kubernetes.io/enforce, nothing stops a privileged Pod in the namespace.',
    fix: 'label the namespace pod-security.kubernetes.io/enforce: restricted (and audit, warn)',
    kinds: ['Namespace'],
    see: `${K8S}/concepts/security/pod-security-admission/`,
  }),
} as const;

/** What the Pods of a namespace's workloads need at once, at the peak of their rollouts. */
export interface PeakNeeds {
  /** CPU cores requested. */
  readonly cpu: number;
  /** Memory bytes requested. */
  readonly memory: number;
  /** Pods. */
  readonly pods: number;
}

/** One ResourceQuota key the peak does not fit (SW-NS-002), and what the peak needs of it. */
export interface QuotaShortfall {
  readonly key: string;
  readonly needs: string;
}

/**
 * The keys of a ResourceQuota's `hard` (quantity strings) that `peak` exceeds: the one SW-NS-002
 * predicate, for the Tenant (its own quota and workloads) and the audit (any namespace's).
 */
export function quotaShortfalls(hard: Readonly<Record<string, string | undefined>>, peak: PeakNeeds): QuotaShortfall[] {
  const cpu = `${Math.round(peak.cpu * 1000)}m cpu`;
  const memory = `${Math.round(peak.memory / 2 ** 20)}Mi memory`;
  const needs: Array<[string, number, string]> = [
    ['requests.cpu', peak.cpu, cpu], ['limits.cpu', peak.cpu, cpu],
    ['requests.memory', peak.memory, memory], ['limits.memory', peak.memory, memory],
    ['pods', peak.pods, `${peak.pods} Pods`],
  ];
  const out: QuotaShortfall[] = [];
  for (const [key, need, show] of needs) {
    const value = hard[key];
    const limit = value === undefined ? undefined : parseQuantity(value);
    if (limit !== undefined && need > limit * (1 + 1e-9)) out.push({ key, needs: show });
  }
  return out;
}

/** One init container's request, and whether it is a native sidecar (`restartPolicy: Always`). */
export interface InitRequest {
  readonly request: number;
  readonly sidecar: boolean;
}

/**
 * What one Pod requests of a resource, as the scheduler and quota count it: its app containers
 * together, or its largest init container when that is more.
 */
export function podRequest(appContainers: readonly number[], initContainers: readonly number[]): number {
  return effectivePodRequest(appContainers, initContainers.map(request => ({ request, sidecar: false })));
}

/**
 * The effective Pod request with native sidecars, as the scheduler computes it: native sidecars
 * keep running, so they add to the app containers and to every init container started after
 * them; regular init containers run one at a time.
 */
export function effectivePodRequest(appContainers: readonly number[], initContainers: readonly InitRequest[]): number {
  let sidecars = 0;
  let maxInit = 0;
  for (const c of initContainers) {
    if (c.sidecar) sidecars += c.request;
    maxInit = Math.max(maxInit, c.sidecar ? sidecars : sidecars + c.request);
  }
  return Math.max(appContainers.reduce((sum, n) => sum + n, 0) + sidecars, maxInit);
}
