import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the namespace family. */
export const NamespaceRules = {
  LIMIT_RANGE_VIOLATION: rule({
    id: 'SW-NS-001',
    title: 'Containers, Pods and claims fit their namespace\'s LimitRange, and the LimitRange is consistent',
    severity: Severity.ERROR,
    rationale: 'The LimitRange admission plugin applies the Container defaults, then rejects containers and Pods that ask for less than min, more than max (or declare no value a bound needs), or a limit/request ratio above maxLimitRequestRatio, and claims outside the PersistentVolumeClaim bounds: the ReplicaSet never gets its Pods. The API server rejects a LimitRange whose min, defaultRequest, default and max are out of order.',
    fix: 'size the containers (and claims) within the namespace\'s limits, or widen the LimitRange; keep min <= defaultRequest <= default <= max and maxLimitRequestRatio >= default/defaultRequest',
    kinds: ['LimitRange', 'PersistentVolumeClaim', ...WORKLOAD_KINDS],
    see: `${K8S}/concepts/policy/limit-range/`,
  }),
  QUOTA_EXCEEDED: rule({
    id: 'SW-NS-002',
    title: 'The rollout peak fits the namespace\'s ResourceQuota',
    severity: Severity.ERROR,
    rationale: 'During a rolling update (replicas + maxSurge) Pods run at once; if their requests (against requests quotas), their limits (against limits quotas) or the object counts of the namespace (its own kube-root-ca.crt ConfigMap and default ServiceAccount included) do not fit a ResourceQuota whose scopes match them, the surge Pod or the object is refused and the rollout hangs. A quota that tracks cpu or memory also refuses Pods with a container that does not declare them, and the API server rejects quotas whose scopes cannot track their resources. This is an error only when even that peak, with every old Pod already gone, does not fit: old Pods still inside their grace period count too, but they leave, so a quota short only of them slows the rollout instead of stopping it (SW-NS-005, a warning).',
    fix: 'raise the quota to at least the reported peak, or lower replicas, maxSurge, sizes or limits; declare requests and limits on every container (or give the namespace a LimitRange default); keep scoped quotas to pods and cpu/memory requests and limits',
    kinds: ['Namespace', 'ResourceQuota', 'LimitRange'],
    see: `${K8S}/concepts/policy/resource-quotas/`,
  }),
  QUOTA_SLOWED: rule({
    id: 'SW-NS-005',
    title: 'The rollout peak fits the namespace\'s ResourceQuota while old Pods are still terminating',
    severity: Severity.WARNING,
    rationale: 'A terminating Pod counts against the ResourceQuota until it is gone, and the Deployment controller does not wait for it: each step deletes old Pods and creates their replacements at once. When the grace period (preStop + drain) is longer than a step (a new Pod ready + minReadySeconds), the old Pods of ceil(grace / step) steps terminate together, on top of replicas + maxSurge (measured on a 1.35 control plane: 10.7 cores where replicas + maxSurge said 8.15). A quota that fits only once they are gone refuses the new Pods for a while; the ReplicaSet controller retries and the rollout goes on as terminations finish, so this slows a rollout (and can trip progressDeadlineSeconds on long grace periods) but does not hang it: a warning, where a quota that does not fit even the peak without them is an error (SW-NS-002). StatefulSets, DaemonSets without surge and Recreate Deployments create a replacement only once the old Pod is gone and never overlap. Deployment spec.podReplacementPolicy: TerminationComplete (KEP-3973, now KEP-5882) would make Deployments wait too; it is not in any Kubernetes release up to 1.36.',
    fix: 'raise the quota to the reported peak, or shorten the rollout\'s overlap: a longer minReady (rollout.minReady) or a shorter grace period (less drain time), fewer replicas or a smaller maxSurge',
    kinds: ['ResourceQuota'],
    see: `${K8S}/concepts/workloads/controllers/deployment/#rolling-update-deployment`,
  }),
  NAMESPACE_PSS_MISMATCH: rule({
    id: 'SW-NS-003',
    title: 'Workloads with host access live in a privileged namespace',
    severity: Severity.ERROR,
    rationale: 'Pod Security Admission rejects Pods with hostPath volumes, host namespaces or host ports in a namespace enforcing "baseline" or "restricted" (and Pods that may run as root under "restricted"): the DaemonSet would never get its Pods.',
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
