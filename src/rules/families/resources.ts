import { labelKeyProblem } from '../../validation/names';
import { parseQuantity } from '../../validation/quantity';
import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the resources family. */
export const ResourcesRules = {
  SIZE_INVALID: rule({
    id: 'SW-RES-001',
    title: 'Resource sizes are positive and well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A zero, negative or malformed quantity is rejected by the API server or leaves the Pod unschedulable; a limit below its request is invalid.',
    fix: 'use Cpu.millis(n) / Size.mebibytes(n) with a positive n, and limits no lower than requests',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/`,
  }),
  NOT_GUARANTEED: rule({
    id: 'SW-RES-002',
    title: 'Pods run in the Guaranteed QoS class',
    severity: Severity.INFO,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Under node memory pressure the kubelet evicts BestEffort Pods first, then Burstable; Guaranteed Pods (requests = limits for cpu and memory in every container) go last.',
    fix: 'drop "burst" so that one size sets requests = limits',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/pod-qos/`,
  }),
  TMP_EXCEEDS_EPHEMERAL: rule({
    id: 'SW-RES-003',
    title: 'Disk-backed emptyDirs fit the Pod\'s ephemeral-storage limit',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Disk-backed emptyDirs count against the Pod\'s ephemeral-storage limit (the sum over its containers); sizeLimits above it can never be used and the Pod is evicted first.',
    fix: 'make the emptyDir sizeLimits ("tmpSize" included) add up to no more than the containers\' "size.ephemeralStorage"',
    kinds: [],
    see: `${K8S}/concepts/configuration/manage-resources-containers/#local-ephemeral-storage`,
  }),
  REQUESTS_LIMITS_MISSING: rule({
    id: 'SW-RES-004',
    title: 'Containers set cpu and memory requests and limits',
    severity: Severity.ERROR,
    tier: 'hardening',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'], kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'], kubeScore: ['container-resources'], polaris: ['cpuRequestsMissing', 'cpuLimitsMissing', 'memoryRequestsMissing', 'memoryLimitsMissing'] },
    rationale: 'Without requests the scheduler places the Pod blindly and the Pod is BestEffort, evicted first; without limits one container can starve the node.',
    fix: 'set requests and limits for cpu and memory on every container (equal values make the Pod Guaranteed)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/`,
  }),
  EPHEMERAL_STORAGE_MISSING: rule({
    id: 'SW-RES-005',
    title: 'Containers set an ephemeral-storage request and limit',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    scanners: { kubeScore: ['container-ephemeral-storage-request-and-limit'] },
    rationale: 'Without an ephemeral-storage limit, logs, the writable layer and emptyDirs of one Pod can fill the node disk and take the node down.',
    fix: 'set resources.requests and limits for ephemeral-storage, e.g. 1Gi',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/#local-ephemeral-storage`,
  }),
  EXTENDED_RESOURCE_INVALID: rule({
    id: 'SW-RES-006',
    title: 'Extended resources are fully qualified whole numbers with request = limit',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Device-plugin resources such as nvidia.com/gpu cannot be shared or overcommitted: the API server rejects a name without a vendor domain (or in the kubernetes.io namespace), a fractional amount, a request without a limit and a request that differs from its limit, so the Pods are never created.',
    fix: 'name the resource "<vendor domain>/<name>" (e.g. nvidia.com/gpu) and give a whole number; seaworthy\'s size.extended sets request = limit',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/#extended-resources`,
  }),
  HUGEPAGES_INVALID: rule({
    id: 'SW-RES-007',
    title: 'Huge pages are whole pages, with a cpu or memory request and request = limit',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Huge pages cannot be overcommitted or split: the API server rejects a hugepages-<size> amount that is not a multiple of the page size, a request without a limit or different from it, and a container that asks for huge pages but for neither cpu nor memory.',
    fix: 'give hugepages-<size> in whole pages, limits equal to the requests, and size the container\'s cpu and memory (size.hugepages2Mi / size.hugepages1Gi do the last two)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/manage-hugepages/scheduling-hugepages/`,
  }),
  HUGEPAGES_VOLUME: rule({
    id: 'SW-RES-008',
    title: 'Huge-page volumes have huge pages to mount',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'An emptyDir with medium HugePages is backed by the Pod\'s huge-page requests: without a request of that page size (or, for medium HugePages, with requests of several sizes) the kubelet cannot mount it and the Pod never starts.',
    fix: 'request huge pages of the volume\'s page size (size.hugepages2Mi / size.hugepages1Gi), and use medium HugePages-<size> when the Pod requests more than one size',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/manage-hugepages/scheduling-hugepages/#api`,
  }),
} as const;

/** Container resources Kubernetes defines without a domain. */
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** Whether `name` is a huge-page resource ("hugepages-2Mi"). */
export function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/**
 * Whether `name` is an extended resource as the API server sees it: not a native resource
 * (which has no domain or lives in the kubernetes.io namespace) and not "requests."-prefixed.
 */
export function isExtendedResource(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** Why `name` is not an extended resource name a container may request. */
export function extendedResourceNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || !name.includes('/')) return 'must be fully qualified as "<vendor domain>/<name>", e.g. "nvidia.com/gpu" (cpu, memory and huge pages have their own size fields)';
  if (name.includes('kubernetes.io/')) return 'is in the kubernetes.io namespace, which is reserved for Kubernetes\' own resources';
  if (name.startsWith('requests.')) return 'must not start with "requests." (that is the quota key, not the resource)';
  const problem = labelKeyProblem(name);
  return problem ? `must be a qualified name: it ${problem}` : undefined;
}

/** Why `amount` (a number or a quantity) is not an amount of an extended resource. */
export function extendedAmountProblem(amount: unknown): string | undefined {
  const n = typeof amount === 'number' ? amount : typeof amount === 'string' ? parseQuantity(amount) : undefined;
  return n !== undefined && Number.isInteger(n) && n >= 0 ? undefined : 'must be a whole number (extended resources cannot be split)';
}

/** One SW-RES-006/007 problem of a container's resources, at `requests.<name>` or `limits.<name>`. */
export interface ResourceListProblem {
  readonly rule: 'extended' | 'hugepages';
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * The one SW-RES-006/007 predicate, on a container's rendered `resources` (from a construct or
 * from YAML): the API server's rules for extended resources and huge pages.
 */
export function resourceListProblems(requests: Readonly<Record<string, unknown>> | undefined, limits: Readonly<Record<string, unknown>> | undefined): ResourceListProblem[] {
  const out: ResourceListProblem[] = [];
  const req = requests && typeof requests === 'object' ? requests : {};
  const lim = limits && typeof limits === 'object' ? limits : {};
  const q = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined);
  let hugePages = false;
  for (const name of [...new Set([...Object.keys(req), ...Object.keys(lim)])]) {
    if (STANDARD_RESOURCES.has(name)) continue;
    const rule = isHugePages(name) ? 'hugepages' : 'extended';
    if (rule === 'hugepages') {
      hugePages = true;
      // The API server takes huge pages only in whole pages of the resource's size.
      const page = parseQuantity(name.slice('hugepages-'.length));
      for (const [list, values] of [['requests', req], ['limits', lim]] as const) {
        const n = name in values ? q(values[name]) : undefined;
        if (page !== undefined && page > 0 && n !== undefined && n % page !== 0) out.push({ rule, field: `${list}.${name}`, value: values[name], problem: `is not a whole number of ${name.slice('hugepages-'.length)} pages` });
      }
    } else {
      const nameProblem = extendedResourceNameProblem(name);
      if (nameProblem) {
        out.push({ rule, field: `${name in lim ? 'limits' : 'requests'}.${name}`, value: name, problem: nameProblem });
        continue;
      }
      for (const [list, values] of [['requests', req], ['limits', lim]] as const) {
        const amountProblem = name in values ? extendedAmountProblem(values[name]) : undefined;
        if (amountProblem) out.push({ rule, field: `${list}.${name}`, value: values[name], problem: amountProblem });
      }
    }
    const kind = rule === 'hugepages' ? 'huge pages' : 'extended resources';
    if (name in req && !(name in lim)) out.push({ rule, field: `limits.${name}`, value: undefined, problem: `is not set: ${kind} cannot be overcommitted, so the limit must be given and equal the request (${String(req[name])})` });
    else if (name in req && name in lim && q(req[name]) !== q(lim[name])) out.push({ rule, field: `requests.${name}`, value: req[name], problem: `must equal the limit (${String(lim[name])}): ${kind} cannot be overcommitted` });
  }
  const computeSet = ['cpu', 'memory'].some(r => r in req || r in lim);
  if (hugePages && !computeSet) out.push({ rule: 'hugepages', field: 'requests', value: Object.keys(req).filter(isHugePages).concat(Object.keys(lim).filter(k => isHugePages(k) && !(k in req))), problem: 'asks for huge pages but for neither cpu nor memory; the API server requires one of them' });
  return out;
}

/**
 * The one SW-RES-008 predicate: why an emptyDir of `medium` ("HugePages" or
 * "HugePages-<size>") cannot be mounted in a Pod whose containers request the huge-page
 * resources `requested` (e.g. ["hugepages-2Mi"]).
 */
export function hugePageVolumeProblem(medium: string, requested: readonly string[]): string | undefined {
  const sizes = [...new Set(requested)].sort();
  if (medium === 'HugePages') {
    if (sizes.length === 0) return 'mounts huge pages, but no container of the Pod requests any (hugepages-2Mi or hugepages-1Gi)';
    if (sizes.length > 1) return `does not name a page size while the Pod requests several (${sizes.join(', ')}); use medium HugePages-<size>`;
    return undefined;
  }
  const size = medium.slice('HugePages-'.length);
  return sizes.includes(`hugepages-${size}`) ? undefined : `mounts ${size} huge pages, but no container of the Pod requests hugepages-${size}`;
}
