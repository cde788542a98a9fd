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
