import { parseQuantity } from '../../validation/quantity';
import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';
import { isExtendedResource, isHugePages } from './resources';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the namespace family. */
export const NamespaceRules = {
  LIMIT_RANGE_VIOLATION: rule({
    id: 'SW-NS-001',
    title: 'Containers, Pods and claims fit their namespace\'s LimitRange, and the LimitRange is consistent',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'The LimitRange admission plugin applies the Container defaults, then rejects containers and Pods that ask for less than min, more than max (or declare no value a bound needs), or a limit/request ratio above maxLimitRequestRatio, and claims outside the PersistentVolumeClaim bounds: the ReplicaSet never gets its Pods. The API server rejects a LimitRange whose min, defaultRequest, default and max are out of order.',
    fix: 'size the containers (and claims) within the namespace\'s limits, or widen the LimitRange; keep min <= defaultRequest <= default <= max and maxLimitRequestRatio >= default/defaultRequest',
    kinds: ['LimitRange', 'PersistentVolumeClaim', ...WORKLOAD_KINDS],
    see: `${K8S}/concepts/policy/limit-range/`,
  }),
  QUOTA_EXCEEDED: rule({
    id: 'SW-NS-002',
    title: 'The rollout peak fits the namespace\'s ResourceQuota',
    severity: Severity.ERROR,
    tier: 'availability',
    scope: 'objects',
    wholeDeployment: true,
    rationale: 'During a rolling update (replicas + maxSurge) Pods run at once; if their requests (against requests quotas), their limits (against limits quotas) or the object counts of the namespace (its own kube-root-ca.crt ConfigMap and default ServiceAccount included) do not fit a ResourceQuota whose scopes match them, the surge Pod or the object is refused and the rollout hangs. A quota that tracks cpu or memory also refuses Pods with a container that does not declare them, and the API server rejects quotas whose scopes cannot track their resources. This is an error only when even that peak, with every old Pod already gone, does not fit: old Pods still inside their grace period count too, but they leave, so a quota short only of them slows the rollout instead of stopping it (SW-NS-005, a warning).',
    fix: 'raise the quota to at least the reported peak, or lower replicas, maxSurge, sizes or limits; declare requests and limits on every container (or give the namespace a LimitRange default); keep scoped quotas to pods and cpu/memory requests and limits',
    kinds: ['ResourceQuota'],
    see: `${K8S}/concepts/policy/resource-quotas/`,
  }),
  QUOTA_SLOWED: rule({
    id: 'SW-NS-005',
    title: 'The rollout peak fits the namespace\'s ResourceQuota while old Pods are still terminating',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'objects',
    wholeDeployment: true,
    rationale: 'A terminating Pod counts against the ResourceQuota until it is gone, and the Deployment controller does not wait for it: each step deletes old Pods and creates their replacements at once. When the grace period (preStop + drain) is longer than a step (a new Pod ready + minReadySeconds), the old Pods of ceil(grace / step) steps terminate together, on top of replicas + maxSurge (measured on a 1.35 control plane: 10.7 cores where replicas + maxSurge said 8.15). A quota that fits only once they are gone refuses the new Pods for a while; the ReplicaSet controller retries and the rollout goes on as terminations finish, so this slows a rollout (and can trip progressDeadlineSeconds on long grace periods) but does not hang it: a warning, where a quota that does not fit even the peak without them is an error (SW-NS-002). StatefulSets, DaemonSets without surge and Recreate Deployments create a replacement only once the old Pod is gone and never overlap. Deployment spec.podReplacementPolicy: TerminationComplete (KEP-3973, now KEP-5882) would make Deployments wait too; it is not in any Kubernetes release up to 1.36.',
    fix: 'raise the quota to the reported peak, or shorten the rollout\'s overlap: a longer minReady (rollout.minReady) or a shorter grace period (less drain time), fewer replicas or a smaller maxSurge',
    kinds: ['ResourceQuota'],
    see: `${K8S}/concepts/workloads/controllers/deployment/#rolling-update-deployment`,
  }),
  NAMESPACE_PSS_MISMATCH: rule({
    id: 'SW-NS-003',
    title: 'Workloads with host access live in a privileged namespace',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Pod Security Admission rejects Pods with hostPath volumes, host namespaces or host ports in a namespace enforcing "baseline" or "restricted" (and Pods that may run as root under "restricted"): the DaemonSet would never get its Pods.',
    fix: 'put the node agent in its own Tenant with podSecurity: PodSecurityLevel.PRIVILEGED',
    kinds: [],
    see: `${K8S}/concepts/security/pod-security-admission/`,
  }),
  PSA_LABELS: rule({
    id: 'SW-NS-004',
    title: 'Namespaces enforce a Pod Security level',
    severity: Severity.WARNING,
    tier: 'hardening',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Without pod-security.kubernetes.io/enforce, nothing stops a privileged Pod in the namespace.',
    fix: 'label the namespace pod-security.kubernetes.io/enforce: restricted (and audit, warn)',
    kinds: ['Namespace'],
    see: `${K8S}/concepts/security/pod-security-admission/`,
  }),
} as const;

/** One container's amount of a resource (a request or a limit) and its place in the Pod. */
export interface ContainerAmount {
  readonly amount: number;
  /** An init container (native sidecars included). */
  readonly init: boolean;
  /**
   * A native sidecar (`restartPolicy: Always` on a target that has them).
   * @default false
   */
  readonly sidecar?: boolean;
}

/**
 * What one Pod counts of a resource, requests and limits alike, as the scheduler, the kubelet and
 * the quota count it: the app containers and the native sidecars together, or an init container
 * plus the sidecars started before it when that is more (regular init containers run one at a
 * time). Init containers are taken in Pod order.
 */
export function podTotal(containers: readonly ContainerAmount[]): number {
  let sidecars = 0;
  let maxInit = 0;
  let app = 0;
  for (const c of containers) {
    if (!c.init) app += c.amount;
    else if (c.sidecar) maxInit = Math.max(maxInit, sidecars += c.amount);
    else maxInit = Math.max(maxInit, sidecars + c.amount);
  }
  return Math.max(app + sidecars, maxInit);
}

/** The compute resources a ResourceQuota counts for Pods. */
const POD_RESOURCES = ['cpu', 'memory', 'ephemeral-storage'] as const;
/** Resources every container must declare when a matching quota tracks them (the quota admission's "must specify"). */
const MUST_DECLARE = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);
/** The quota scopes of Kubernetes. */
const SCOPES = new Set(['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity']);
/** What a scoped quota may track (k8s.io/kubernetes pkg/apis/core/helper IsResourceQuotaScopeValidForResource). */
const POD_COMPUTE_KEYS = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** One container as the quota sees it: quantities in cores and bytes, undefined when not declared. */
export interface QuotaContainer {
  readonly name: string;
  /** An init container (runs before the app containers, one at a time). */
  readonly init: boolean;
  /**
   * A native sidecar (an init container with `restartPolicy: Always` on a target that has them):
   * it keeps running, so it adds to the app containers and to later init containers.
   * @default false
   */
  readonly sidecar?: boolean;
  readonly requests: Readonly<Partial<Record<string, number>>>;
  readonly limits: Readonly<Partial<Record<string, number>>>;
}

/** What quota scopes match a Pod on. */
export interface QuotaPodFacts {
  /** The Pod's QoS class is BestEffort (no cpu or memory request or limit on any container). */
  readonly bestEffort: boolean;
  /** The Pod sets `activeDeadlineSeconds` (scope Terminating). */
  readonly terminating: boolean;
  /** The Pod's `priorityClassName` ("" when unset). */
  readonly priorityClassName: string;
  /** The Pod has pod affinity or anti-affinity terms naming other namespaces. */
  readonly crossNamespaceAffinity: boolean;
}

/** What one workload (or object) counts against its namespace's ResourceQuotas at the peak of its rollout. */
export interface QuotaUsage {
  /** How findings name it: a construct path or "Kind/namespace/name". */
  readonly owner: string;
  /** Quota key to amount (cores, bytes, or a count) at the peak. */
  readonly amounts: Readonly<Record<string, number>>;
  /** How the amount of each key was reached, for the message (e.g. "4 Pods x 500m"). */
  readonly shown: Readonly<Record<string, string>>;
  /** For Pods: what scopes match on. Objects that are not Pods are counted only by unscoped quotas. */
  readonly pod?: QuotaPodFacts;
  /** Quota keys each container must declare, with the containers that do not (the quota refuses such Pods). */
  readonly undeclared?: Readonly<Record<string, readonly string[]>>;
  /**
   * What old Pods still terminating at the rollout's worst instant add to `amounts` (SW-NS-005);
   * undefined when none are.
   */
  readonly overlap?: Readonly<Record<string, number>>;
  /** How the amount with the overlap was reached, e.g. "12 Pods x 600m (9 + 3 while old Pods terminate)". */
  readonly overlapShown?: Readonly<Record<string, string>>;
}

/** A ResourceQuota spec, loosely typed (it comes from YAML or from a construct). */
export interface QuotaSpec {
  readonly hard?: Readonly<Record<string, unknown>>;
  readonly scopes?: readonly unknown[];
  readonly scopeSelector?: { readonly matchExpressions?: ReadonlyArray<{ readonly scopeName?: unknown; readonly operator?: unknown; readonly values?: readonly unknown[] }> };
}

/** One ResourceQuota key the namespace's peak does not fit (SW-NS-002). */
export interface QuotaShortfall {
  /** The hard key, e.g. "limits.cpu". */
  readonly key: string;
  /** The quota's value. */
  readonly quota: unknown;
  /** What is wrong, naming the peak and the workloads that make it up. */
  readonly problem: string;
  /**
   * The quota fits the peak once old Pods are gone, not while they are still terminating: a
   * slowed rollout (SW-NS-005) rather than a refused one (SW-NS-002).
   * @default false
   */
  readonly slowed?: boolean;
}

/** A problem with the quota itself (a field the API server rejects). */
export interface QuotaSpecProblem {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/** Renders an amount of a quota key for humans. */
export function formatQuotaAmount(key: string, amount: number): string {
  const resource = key.replace(/^(requests|limits)\./, '').replace(/^.*\.storageclass\.storage\.k8s\.io\//, '');
  if (resource === 'cpu') return `${Math.round(amount * 1000)}m`;
  if (['memory', 'ephemeral-storage', 'storage', 'requests.storage'].includes(resource) || isHugePages(resource)) {
    const mi = amount / 2 ** 20;
    return Number.isInteger(mi) ? `${mi}Mi` : `${amount}`;
  }
  return String(amount);
}

/**
 * What a workload's Pods count against the quotas of their namespace at the peak of a rollout:
 * `pods` Pods, each with the requests (a missing request defaults to the limit, as the API
 * server does) and limits of `containers`. Requests quotas (`requests.*` and the bare `cpu`,
 * `memory`, `ephemeral-storage`) count requests, limits quotas count limits. `terminating` Pods
 * that old Pods still in their grace period add at the worst instant (`RolloutPeak.addedByTerminating`)
 * are the `overlap`.
 */
export function podQuotaUsage(owner: string, pods: number, containers: readonly QuotaContainer[], facts: QuotaPodFacts, terminating = 0): QuotaUsage {
  const usage = podQuotaUsageOf(owner, pods, containers, facts);
  if (!(terminating > 0)) return usage;
  const overlap: Record<string, number> = {};
  const overlapShown: Record<string, string> = {};
  for (const [key, amount] of Object.entries(usage.amounts)) {
    const perPod = pods > 0 ? amount / pods : 0;
    overlap[key] = perPod * terminating;
    overlapShown[key] = `${usage.shown[key].replace(/^\d+ Pods/, `${pods + terminating} Pods`)} (${pods} + ${terminating} while old Pods terminate)`;
  }
  return { ...usage, overlap, overlapShown };
}

function podQuotaUsageOf(owner: string, pods: number, containers: readonly QuotaContainer[], facts: QuotaPodFacts): QuotaUsage {
  const amounts: Record<string, number> = { 'pods': pods, 'count/pods': pods };
  const shown: Record<string, string> = { 'pods': `${pods} Pods`, 'count/pods': `${pods} Pods` };
  const undeclared: Record<string, string[]> = {};
  for (const r of POD_RESOURCES) {
    const request = (c: QuotaContainer) => c.requests[r] ?? c.limits[r];
    const perPodRequest = podTotal(containers.map(c => ({ amount: request(c) ?? 0, init: c.init, sidecar: c.sidecar })));
    for (const key of [r, `requests.${r}`]) {
      amounts[key] = pods * perPodRequest;
      shown[key] = `${pods} Pods x ${formatQuotaAmount(r, perPodRequest)}`;
      if (MUST_DECLARE.has(key)) undeclared[key] = containers.filter(c => request(c) === undefined).map(c => c.name);
    }
    const perPodLimit = podTotal(containers.map(c => ({ amount: c.limits[r] ?? 0, init: c.init, sidecar: c.sidecar })));
    amounts[`limits.${r}`] = pods * perPodLimit;
    shown[`limits.${r}`] = `${pods} Pods x ${formatQuotaAmount(r, perPodLimit)}`;
    if (MUST_DECLARE.has(`limits.${r}`)) undeclared[`limits.${r}`] = containers.filter(c => c.limits[r] === undefined).map(c => c.name);
  }
  // Huge pages count as "hugepages-<size>" and "requests.hugepages-<size>", extended resources
  // only as "requests.<name>" (the quota evaluator's podComputeUsageHelper).
  const devices = [...new Set(containers.flatMap(c => [...Object.keys(c.requests), ...Object.keys(c.limits)]))].filter(r => isHugePages(r) || isExtendedResource(r)).sort();
  for (const r of devices) {
    const perPod = podTotal(containers.map(c => ({ amount: c.requests[r] ?? c.limits[r] ?? 0, init: c.init, sidecar: c.sidecar })));
    for (const key of isHugePages(r) ? [r, `requests.${r}`] : [`requests.${r}`]) {
      amounts[key] = pods * perPod;
      shown[key] = `${pods} Pods x ${formatQuotaAmount(r, perPod)}`;
    }
  }
  return { owner, amounts, shown, pod: facts, undeclared };
}

/** The plural resource name of a kind, as `count/<resource>.<group>` spells it. */
function pluralOf(kind: string): string {
  const k = kind.toLowerCase();
  if (/(s|x|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** Core kinds with their own legacy object-count quota key. */
const LEGACY_COUNT_KEYS = new Set(['services', 'secrets', 'configmaps', 'persistentvolumeclaims', 'replicationcontrollers', 'resourcequotas']);

/**
 * What one object counts against object-count quotas: `count/<resource>[.<group>]`, the legacy
 * keys (`services`, `configmaps`, …), `services.loadbalancers` and `services.nodeports` for
 * Services, and storage requests for PersistentVolumeClaims. `copies` objects of the same shape
 * (e.g. one claim per StatefulSet replica). Pods are counted by `podQuotaUsage`.
 */
export function objectQuotaUsage(owner: string, apiVersion: string, kind: string, spec: { readonly [key: string]: unknown } | undefined, copies = 1): QuotaUsage {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const resource = pluralOf(kind);
  const amounts: Record<string, number> = { [`count/${resource}${group ? `.${group}` : ''}`]: copies };
  if (!group && LEGACY_COUNT_KEYS.has(resource)) amounts[resource] = copies;
  if (kind === 'Service' && !group) {
    const type = spec?.type;
    const ports = Array.isArray(spec?.ports) ? spec.ports.length : 0;
    if (type === 'LoadBalancer') amounts['services.loadbalancers'] = copies;
    if (type === 'NodePort' || (type === 'LoadBalancer' && spec?.allocateLoadBalancerNodePorts !== false)) amounts['services.nodeports'] = copies * ports;
  }
  if (kind === 'PersistentVolumeClaim' && !group) {
    const requests = (spec?.resources as { requests?: Record<string, unknown> } | undefined)?.requests;
    const raw = requests?.storage;
    const bytes = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) ?? 0 : 0;
    amounts['requests.storage'] = copies * bytes;
    const sc = spec?.storageClassName;
    if (typeof sc === 'string' && sc) {
      amounts[`${sc}.storageclass.storage.k8s.io/requests.storage`] = copies * bytes;
      amounts[`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`] = copies;
    }
  }
  const shown: Record<string, string> = {};
  for (const [key, n] of Object.entries(amounts)) shown[key] = key.includes('storage') && !key.endsWith('persistentvolumeclaims') ? `${copies} x ${formatQuotaAmount('storage', n / copies)}` : `${n} ${kind}${n === 1 ? '' : 's'}`;
  return { owner, amounts, shown };
}

/** The scopes of a quota: `spec.scopes` and the scope names of `spec.scopeSelector`. */
function scopeTerms(spec: QuotaSpec): Array<{ scope: string; operator: string; values: readonly unknown[] }> {
  return [
    ...(Array.isArray(spec.scopes) ? spec.scopes : []).map(s => ({ scope: String(s), operator: 'Exists', values: [] })),
    ...(Array.isArray(spec.scopeSelector?.matchExpressions) ? spec.scopeSelector.matchExpressions : [])
      .map(e => ({ scope: String(e?.scopeName), operator: String(e?.operator), values: Array.isArray(e?.values) ? e.values : [] })),
  ];
}

/** Whether a Pod with `facts` is counted by a quota with these scope terms. */
function scopeMatches(terms: ReturnType<typeof scopeTerms>, facts: QuotaPodFacts): boolean {
  return terms.every(t => {
    switch (t.scope) {
      case 'BestEffort': return facts.bestEffort;
      case 'NotBestEffort': return !facts.bestEffort;
      case 'Terminating': return facts.terminating;
      case 'NotTerminating': return !facts.terminating;
      case 'CrossNamespacePodAffinity': return facts.crossNamespaceAffinity;
      case 'PriorityClass':
        if (t.operator === 'Exists') return facts.priorityClassName !== '';
        if (t.operator === 'DoesNotExist') return facts.priorityClassName === '';
        if (t.operator === 'In') return t.values.includes(facts.priorityClassName);
        if (t.operator === 'NotIn') return !t.values.includes(facts.priorityClassName);
        return false;
      default: return false;
    }
  });
}

/**
 * The quota resource names the API server knows (IsStandardQuotaResourceName): only these are
 * checked against a quota's scopes; `count/…`, extended resources and storage-class keys are not.
 */
const STANDARD_QUOTA_KEYS = new Set(['cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'persistentvolumeclaims',
  'configmaps', 'services.nodeports', 'services.loadbalancers']);

/** Whether the API server checks `key` against a quota's scopes (standard names and huge pages). */
function scopeCheckedKey(key: string): boolean {
  return STANDARD_QUOTA_KEYS.has(key) || isHugePages(key) || isHugePages(key.replace(/^requests\./, ''));
}

/** The scope operators of a scopeSelector expression. */
const SCOPE_OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * The parts of a ResourceQuota spec the API server rejects (ValidateResourceQuotaSpec): unknown
 * scopes, conflicting scopes (BestEffort with NotBestEffort, Terminating with NotTerminating,
 * within `scopes` or within `scopeSelector`: the server checks each apart), operators other than
 * Exists on scopes other than PriorityClass, unknown operators, In/NotIn without values,
 * Exists/DoesNotExist with values, and scoped quotas tracking a standard resource the scope
 * cannot apply to (BestEffort tracks only `pods`; the other scopes only `pods` and cpu/memory
 * requests and limits). Keys the server does not know as standard (`count/…`, extended
 * resources, storage classes) are not checked against scopes, as the server does not.
 */
export function quotaSpecProblems(spec: QuotaSpec, at: string): QuotaSpecProblem[] {
  const out: QuotaSpecProblem[] = [];
  const scopes = Array.isArray(spec.scopes) ? spec.scopes : [];
  const expressions = Array.isArray(spec.scopeSelector?.matchExpressions) ? spec.scopeSelector.matchExpressions : [];
  const sources = [
    { field: `${at}.scopes`, terms: scopes.map((s, i) => ({ field: `${at}.scopes[${i}]`, scope: String(s), operator: 'Exists', values: [] as readonly unknown[] })) },
    { field: `${at}.scopeSelector.matchExpressions`, terms: expressions.map((e, i) => ({ field: `${at}.scopeSelector.matchExpressions[${i}]`, scope: String(e?.scopeName), operator: String(e?.operator), values: Array.isArray(e?.values) ? e.values : [] })) },
  ];
  for (const source of sources) {
    for (const t of source.terms) {
      if (!SCOPES.has(t.scope)) {
        out.push({ field: t.field, value: t.scope, problem: `is not a quota scope (${[...SCOPES].join(', ')})` });
        continue;
      }
      if (!SCOPE_OPERATORS.has(t.operator)) out.push({ field: `${t.field}.operator`, value: t.operator, problem: `is not a scope selector operator (${[...SCOPE_OPERATORS].join(', ')})` });
      else if (t.scope !== 'PriorityClass' && t.operator !== 'Exists') out.push({ field: `${t.field}.operator`, value: t.operator, problem: `must be Exists for scope ${t.scope} (only PriorityClass takes In, NotIn and DoesNotExist)` });
      if ((t.operator === 'In' || t.operator === 'NotIn') && t.values.length === 0) out.push({ field: `${t.field}.values`, value: t.values, problem: `must list at least one value for operator ${t.operator}` });
      if ((t.operator === 'Exists' || t.operator === 'DoesNotExist') && t.values.length > 0) out.push({ field: `${t.field}.values`, value: t.values, problem: `must be empty for operator ${t.operator}` });
      for (const key of Object.keys(spec.hard ?? {}).filter(scopeCheckedKey)) {
        const allowed = t.scope === 'BestEffort' ? key === 'pods' : key === 'pods' || POD_COMPUTE_KEYS.has(key);
        if (!allowed) out.push({ field: `${at}.hard.${key}`, value: key, problem: `cannot be tracked by a quota with scope ${t.scope} (it tracks ${t.scope === 'BestEffort' ? 'only pods' : 'only pods and cpu/memory requests and limits'}); the API server rejects the ResourceQuota` });
      }
    }
    const names = new Set(source.terms.map(t => t.scope));
    for (const [a, b] of [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']]) {
      if (names.has(a) && names.has(b)) out.push({ field: source.field, value: [a, b], problem: `${a} and ${b} exclude each other; the API server rejects the ResourceQuota` });
    }
  }
  return out;
}

/**
 * The one SW-NS-002 / SW-NS-005 predicate, for the Tenant (its quota, every workload of the
 * namespace in the app) and the audit (any ResourceQuota, every workload of its namespace in
 * the set): each hard key whose total over the usages the quota's scopes match exceeds it,
 * naming the peak and the workloads that make it up; each key the total fits only once old
 * Pods finish terminating (`slowed`); and each key a matching Pod does not declare on every
 * container (the quota admission refuses such Pods outright).
 */
export function quotaShortfalls(spec: QuotaSpec, usages: readonly QuotaUsage[]): QuotaShortfall[] {
  const terms = scopeTerms(spec);
  const counted = usages.filter(u => (terms.length === 0 ? true : u.pod !== undefined && scopeMatches(terms, u.pod)));
  const out: QuotaShortfall[] = [];
  for (const [key, value] of Object.entries(spec.hard ?? {})) {
    const limit = typeof value === 'string' || typeof value === 'number' ? parseQuantity(value) : undefined;
    if (limit === undefined) continue;
    const parts = counted.filter(u => (u.amounts[key] ?? 0) > 0);
    const need = parts.reduce((sum, u) => sum + u.amounts[key], 0);
    const extra = counted.reduce((sum, u) => sum + (u.overlap?.[key] ?? 0), 0);
    if (need > limit * (1 + 1e-9)) {
      const breakdown = parts.map(u => `${u.owner}: ${u.shown[key]}`).join('; ');
      out.push({ key, quota: value, problem: `the peak of the namespace's workloads needs ${formatQuotaAmount(key, need)} of ${key} (${breakdown})` });
    } else if (need + extra > limit * (1 + 1e-9)) {
      const breakdown = parts.map(u => `${u.owner}: ${u.overlapShown?.[key] ?? u.shown[key]}`).join('; ');
      out.push({
        key, quota: value, slowed: true,
        problem: `the rollout peak of the namespace's workloads needs ${formatQuotaAmount(key, need + extra)} of ${key} while old Pods are still terminating (${breakdown}), ${formatQuotaAmount(key, need)} once they are gone: new Pods are refused until terminations finish, so rollouts are slowed, not stuck (the ReplicaSet controller retries)`,
      });
    }
    const missing = counted.flatMap(u => (u.undeclared?.[key]?.length ? [`${u.owner} (${u.undeclared[key].join(', ')})`] : []));
    if (missing.length > 0) {
      out.push({ key, quota: value, problem: `the quota tracks ${key}, so every container must declare it, and the quota admission refuses the Pods of ${missing.join('; ')}` });
    }
  }
  return out;
}

/** Container defaults of a namespace's LimitRange items, in cores and bytes. */
export interface LimitRangeDefaults {
  readonly default: Readonly<Record<string, number>>;
  readonly defaultRequest: Readonly<Record<string, number>>;
}

/**
 * The defaults the LimitRanger admission gives containers that declare no request or limit,
 * after the API server's own defaulting of the LimitRange (a `max` without a `default` becomes
 * the default limit; a `default` without a `defaultRequest`, else `min`, the default request).
 */
export function limitRangeDefaults(items: ReadonlyArray<{ readonly [key: string]: unknown } | undefined>): LimitRangeDefaults {
  const dflt: Record<string, number> = {};
  const request: Record<string, number> = {};
  const read = (list: unknown): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(list && typeof list === 'object' ? list : {})) {
      const n = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
      if (n !== undefined) out[k] = n;
    }
    return out;
  };
  for (const item of items) {
    if (!item || item.type !== 'Container') continue;
    const d = { ...read(item.max), ...read(item.default) };
    const r = { ...read(item.min), ...d, ...read(item.defaultRequest) };
    for (const [k, v] of Object.entries(d)) dflt[k] ??= v;
    for (const [k, v] of Object.entries(r)) request[k] ??= v;
  }
  return { default: dflt, defaultRequest: request };
}

/** A LimitRange item, loosely typed (from YAML or from a construct). */
export interface LimitRangeItemLike {
  readonly type?: unknown;
  readonly [key: string]: unknown;
}

/** One LimitRange violation: where, what, and why. */
export interface LimitViolation {
  /** The container (or "" for the Pod or claim as a whole). */
  readonly container: string;
  /** "requests.cpu", "limits.memory", "storage", … */
  readonly key: string;
  readonly value: number | undefined;
  readonly problem: string;
}

const quantityMap = (list: unknown): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(list && typeof list === 'object' ? list : {})) {
    const n = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
    if (n !== undefined) out[k] = n;
  }
  return out;
};

/**
 * What the API server rejects in a LimitRange item (and what would make every Pod fail):
 * min above defaultRequest, defaultRequest above default, default above max (and min above
 * max), a maxLimitRequestRatio below 1 or below default/defaultRequest, defaults on Pod or
 * PersistentVolumeClaim items.
 */
export function limitRangeItemProblems(item: LimitRangeItemLike, at: string): QuotaSpecProblem[] {
  const out: QuotaSpecProblem[] = [];
  const type = String(item.type);
  const min = quantityMap(item.min);
  const max = quantityMap(item.max);
  const dflt = quantityMap(item.default);
  const request = quantityMap(item.defaultRequest);
  const ratio = quantityMap(item.maxLimitRequestRatio);
  if (type !== 'Container' && (item.default !== undefined || item.defaultRequest !== undefined)) {
    out.push({ field: `${at}.${item.default !== undefined ? 'default' : 'defaultRequest'}`, value: item.default ?? item.defaultRequest, problem: `is only allowed on Container items, not ${type}` });
  }
  const order: Array<[string, Record<string, number>, string, Record<string, number>]> = [
    ['min', min, 'max', max], ['min', min, 'defaultRequest', request], ['defaultRequest', request, 'default', dflt],
    ['default', dflt, 'max', max], ['defaultRequest', request, 'max', max], ['min', min, 'default', dflt],
  ];
  for (const [lowName, low, highName, high] of order) {
    for (const [r, v] of Object.entries(low)) {
      if (high[r] !== undefined && v > high[r] * (1 + 1e-9)) out.push({ field: `${at}.${lowName}.${r}`, value: (item[lowName] as Record<string, unknown>)[r], problem: `is above ${highName}.${r} (${String((item[highName] as Record<string, unknown>)[r])}); the API server requires min <= defaultRequest <= default <= max` });
    }
  }
  for (const [r, v] of Object.entries(ratio)) {
    if (v < 1) out.push({ field: `${at}.maxLimitRequestRatio.${r}`, value: v, problem: 'is below 1, so no limit can ever be at least its request' });
    else if (dflt[r] !== undefined && request[r] !== undefined && request[r] > 0 && dflt[r] / request[r] > v * (1 + 1e-9)) {
      out.push({ field: `${at}.maxLimitRequestRatio.${r}`, value: v, problem: `is below default/defaultRequest (${(dflt[r] / request[r]).toFixed(2)}), so every container that takes the defaults is refused` });
    }
  }
  return out;
}

/**
 * What the LimitRanger admission refuses in one Pod, after applying the Container defaults of
 * `items` as it does (a limit without a request sets the request first): Container items
 * against each container, Pod items against the Pod's requests and limits (app containers
 * summed, the largest init container when that is more); min against requests, max against
 * limits (a missing one is refused), maxLimitRequestRatio against limit/request.
 */
export function limitRangeViolations(items: readonly LimitRangeItemLike[], containers: readonly QuotaContainer[]): LimitViolation[] {
  const out: LimitViolation[] = [];
  const defaults = limitRangeDefaults(items);
  const filled = containers.map(c => {
    const limits: Record<string, number> = { ...defaults.default, ...definedOf(c.limits) };
    const requests: Record<string, number> = { ...defaults.defaultRequest, ...definedOf(c.limits), ...definedOf(c.requests) };
    // A defaulted limit below an explicit request would be invalid; LimitRanger then keeps the request as the limit's floor.
    return { name: c.name, init: c.init, sidecar: c.sidecar, requests, limits };
  });
  const check = (container: string, requests: Record<string, number | undefined>, limits: Record<string, number | undefined>, item: LimitRangeItemLike) => {
    for (const [r, min] of Object.entries(quantityMap(item.min))) {
      const v = requests[r];
      if (v === undefined) out.push({ container, key: `requests.${r}`, value: v, problem: `declares no ${r} request, but the LimitRange sets a minimum of ${formatQuotaAmount(r, min)}` });
      else if (v < min * (1 - 1e-9)) out.push({ container, key: `requests.${r}`, value: v, problem: `requests ${formatQuotaAmount(r, v)} ${r}, below the LimitRange minimum ${formatQuotaAmount(r, min)}` });
    }
    for (const [r, max] of Object.entries(quantityMap(item.max))) {
      const v = limits[r];
      if (v === undefined) out.push({ container, key: `limits.${r}`, value: v, problem: `declares no ${r} limit, but the LimitRange sets a maximum of ${formatQuotaAmount(r, max)}` });
      else if (v > max * (1 + 1e-9)) out.push({ container, key: `limits.${r}`, value: v, problem: `limits ${r} to ${formatQuotaAmount(r, v)}, above the LimitRange maximum ${formatQuotaAmount(r, max)}` });
    }
    for (const [r, ratio] of Object.entries(quantityMap(item.maxLimitRequestRatio))) {
      const req = requests[r];
      const lim = limits[r];
      if (req === undefined || lim === undefined || req <= 0) out.push({ container, key: `limits.${r}`, value: lim, problem: `needs both a ${r} request and limit for the LimitRange's maxLimitRequestRatio ${ratio}` });
      else if (lim / req > ratio * (1 + 1e-9)) out.push({ container, key: `limits.${r}`, value: lim, problem: `limit/request ratio ${(lim / req).toFixed(2)} for ${r} exceeds the LimitRange's maxLimitRequestRatio ${ratio}` });
    }
  };
  for (const item of items) {
    if (item?.type === 'Container') for (const c of filled) check(c.name, c.requests, c.limits, item);
    if (item?.type === 'Pod') {
      const total = (pick: (c: typeof filled[number]) => Record<string, number>, r: string): number | undefined => {
        if (filled.some(c => pick(c)[r] === undefined)) return undefined;
        return podTotal(filled.map(c => ({ amount: pick(c)[r], init: c.init, sidecar: c.sidecar })));
      };
      const keys = new Set(Object.keys({ ...quantityMap(item.min), ...quantityMap(item.max), ...quantityMap(item.maxLimitRequestRatio) }));
      const requests: Record<string, number | undefined> = {};
      const limits: Record<string, number | undefined> = {};
      for (const r of keys) {
        requests[r] = total(c => c.requests, r);
        limits[r] = total(c => c.limits, r);
      }
      check('', requests, limits, item);
    }
  }
  return out;
}

/** What the LimitRanger refuses in a PersistentVolumeClaim requesting `storage` bytes. */
export function claimLimitViolations(items: readonly LimitRangeItemLike[], storage: number | undefined): LimitViolation[] {
  const out: LimitViolation[] = [];
  for (const item of items) {
    if (item?.type !== 'PersistentVolumeClaim') continue;
    const min = quantityMap(item.min).storage;
    const max = quantityMap(item.max).storage;
    if (min !== undefined && (storage ?? 0) < min) out.push({ container: '', key: 'requests.storage', value: storage, problem: `requests ${formatQuotaAmount('storage', storage ?? 0)}, below the LimitRange minimum ${formatQuotaAmount('storage', min)}` });
    if (max !== undefined && storage !== undefined && storage > max) out.push({ container: '', key: 'requests.storage', value: storage, problem: `requests ${formatQuotaAmount('storage', storage)}, above the LimitRange maximum ${formatQuotaAmount('storage', max)}` });
  }
  return out;
}

function definedOf(list: Readonly<Partial<Record<string, number>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(list)) if (v !== undefined) out[k] = v;
  return out;
}
