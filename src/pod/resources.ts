import { Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { extendedResourceNameProblem, resourceListProblems } from '../rules/families/resources';
import { FindingCollector } from '../rules/collector';
import { parseQuantity } from '../validation/quantity';

/**
 * The size of one container. Each value sets both the request and the limit, so a Pod built
 * from sizes alone is in the Guaranteed QoS class.
 */
export interface PodSize {
  /** CPU request and limit, e.g. `Cpu.millis(500)`. */
  readonly cpu: kplus.Cpu;
  /** Memory request and limit, e.g. `Size.mebibytes(512)`. Exceeding it means OOMKill. */
  readonly memory: Size;
  /**
   * Local ephemeral storage request and limit (writable layer, logs and disk-backed emptyDirs).
   * Without it, one Pod can fill the node's disk and take the node down.
   * @default Size.gibibytes(1)
   */
  readonly ephemeralStorage?: Size;
  /**
   * Extended resources advertised by device plugins, as whole numbers keyed by their fully
   * qualified name, e.g. `{ 'nvidia.com/gpu': 1 }` or `{ 'amd.com/gpu': 2 }`. Each sets the
   * request and the limit (they cannot be overcommitted; rule SW-RES-006). They do not change
   * the QoS class; quotas count them as `requests.<name>`. Pair with `scheduling.dedicatedNodes`
   * for the GPU node pool's taint.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#extended-resources
   */
  readonly extended?: Record<string, number>;
  /**
   * Huge pages of 2 MiB (`hugepages-2Mi`), request = limit (rule SW-RES-007); mount them with
   * `PodVolume.hugePages()`. Counted apart from `memory`.
   * @default - none
   * @see https://kubernetes.io/docs/tasks/manage-hugepages/scheduling-hugepages/
   */
  readonly hugepages2Mi?: Size;
  /**
   * Huge pages of 1 GiB (`hugepages-1Gi`), request = limit (rule SW-RES-007).
   * @default - none
   * @see https://kubernetes.io/docs/tasks/manage-hugepages/scheduling-hugepages/
   */
  readonly hugepages1Gi?: Size;
}

/**
 * Limits above the size's requests: an explicit opt-out of Guaranteed QoS into Burstable
 * (reported as info finding SW-RES-002).
 */
export interface BurstLimits {
  /**
   * CPU limit, at least `size.cpu`.
   * @default - equal to `size.cpu`
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory limit, at least `size.memory`.
   * @default - equal to `size.memory`
   */
  readonly memory?: Size;
}

/** Kubernetes Pod quality-of-service class. @see https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/ */
export enum QosClass {
  /** Every container has cpu and memory limits equal to its requests; evicted last. */
  GUARANTEED = 'Guaranteed',
  /** Some requests or limits, but not Guaranteed. */
  BURSTABLE = 'Burstable',
  /** No requests or limits at all; evicted first. */
  BEST_EFFORT = 'BestEffort',
}

/** Largest CPU amount accepted (cores). */
const MAX_CORES = 1024;
/** Largest byte size accepted (64 TiB). */
const MAX_BYTES = 64 * 2 ** 40;

/** Default ephemeral storage per container. */
export const DEFAULT_EPHEMERAL_STORAGE = Size.gibibytes(1);

const BYTE_UNITS = [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const;

/** Renders a byte size as an exact Kubernetes quantity (Gi, Mi, Ki or bytes); undefined if not a positive whole number of bytes. */
export function formatBytes(size: unknown): string | undefined {
  if (!(size instanceof Size)) return undefined;
  const bytes = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) * 1024;
  if (!Number.isFinite(bytes) || bytes <= 0 || !Number.isInteger(bytes) || bytes > MAX_BYTES) return undefined;
  for (const [suffix, factor] of BYTE_UNITS) {
    if (bytes % factor === 0) return `${bytes / factor}${suffix}`;
  }
  return String(bytes);
}

/** Renders a CPU amount canonically ("500m", "2"); undefined unless it is a positive multiple of 1m. */
export function formatCpu(cpu: unknown): string | undefined {
  if (!(cpu instanceof kplus.Cpu)) return undefined;
  const cores = parseQuantity(cpu.amount);
  if (cores === undefined || cores <= 0) return undefined;
  // No node has a thousand cores: larger values are typos (or units confused).
  if (cores > MAX_CORES) return undefined;
  const millis = Math.round(cores * 1000);
  if (Math.abs(millis - cores * 1000) > 1e-6) return undefined;
  return millis % 1000 === 0 ? String(millis / 1000) : `${millis}m`;
}

/**
 * Turns a size (and optional burst limits) into container resource requirements, reporting
 * malformed or non-positive values and limits below requests.
 */
export function resolveResources(size: PodSize | undefined, burst: BurstLimits | undefined, collector: FindingCollector, prefix = ''): k8s.ResourceRequirements {
  if (size === undefined || size === null || typeof size !== 'object') {
    collector.report(Rules.SIZE_INVALID, `${prefix}size`, size, 'a size with cpu and memory is required');
    return {};
  }
  const cpu = checked(formatCpu(size.cpu), `${prefix}size.cpu`, size.cpu, collector);
  const memory = checked(formatBytes(size.memory), `${prefix}size.memory`, size.memory, collector);
  const storageSize = size.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE;
  const storage = checked(formatBytes(storageSize), `${prefix}size.ephemeralStorage`, storageSize, collector);
  const cpuLimit = burst?.cpu === undefined ? cpu : checked(formatCpu(burst.cpu), `${prefix}burst.cpu`, burst.cpu, collector);
  const memoryLimit = burst?.memory === undefined ? memory : checked(formatBytes(burst.memory), `${prefix}burst.memory`, burst.memory, collector);
  notBelow(`${prefix}burst.cpu`, cpuLimit, cpu, collector);
  notBelow(`${prefix}burst.memory`, memoryLimit, memory, collector);
  const q = (v: string | undefined) => (v === undefined ? undefined : k8s.Quantity.fromString(v));
  const devices = resolveDevices(size, collector, prefix);
  const requests: Record<string, k8s.Quantity> = { 'cpu': q(cpu)!, 'memory': q(memory)!, 'ephemeral-storage': q(storage)!, ...devices };
  const limits: Record<string, k8s.Quantity> = { 'cpu': q(cpuLimit)!, 'memory': q(memoryLimit)!, 'ephemeral-storage': q(storage)!, ...devices };
  // The audit's predicate, on what renders (the typed props above keep it silent).
  const plain = (list: Record<string, k8s.Quantity>) => Object.fromEntries(Object.entries(list).filter(([, v]) => v !== undefined).map(([k, v]) => [k, v.value]));
  // Requests and limits render from one prop, so a problem of both is reported once, at the prop.
  const propOf = (field: string) => {
    const name = field.replace(/^(requests|limits)\./, '');
    if (name === 'hugepages-2Mi' || name === 'hugepages-1Gi') return `size.hugepages${name.slice('hugepages-'.length)}`;
    return name in devices ? `size.extended.${name}` : `resources.${field}`;
  };
  const seen = new Set<string>();
  // Only extended resources and huge pages (`devices`) can have these problems.
  const problems = Object.keys(devices).length === 0 ? [] : resourceListProblems(plain(requests), plain(limits));
  for (const p of problems) {
    const field = `${prefix}${propOf(p.field)}`;
    if (seen.has(field)) continue;
    seen.add(field);
    collector.report(p.rule === 'hugepages' ? Rules.HUGEPAGES_INVALID : Rules.EXTENDED_RESOURCE_INVALID, field, p.value, p.problem);
  }
  return { requests, limits };
}

const HUGE_PAGE_FIELDS = [['hugepages2Mi', 'hugepages-2Mi'], ['hugepages1Gi', 'hugepages-1Gi']] as const;

/** The extended resources and huge pages of `size`, each rendered once for request and limit. */
function resolveDevices(size: PodSize, collector: FindingCollector, prefix: string): Record<string, k8s.Quantity> {
  const out: Record<string, k8s.Quantity> = {};
  const extended = size.extended;
  if (extended !== undefined && (extended === null || typeof extended !== 'object' || Array.isArray(extended))) {
    collector.report(Rules.EXTENDED_RESOURCE_INVALID, `${prefix}size.extended`, extended, 'must be an object of resource names to whole numbers, e.g. { \'nvidia.com/gpu\': 1 }');
  } else {
    for (const [name, amount] of Object.entries(extended ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const problem = extendedResourceNameProblem(name) ?? (Number.isInteger(amount) && amount >= 1 ? undefined : 'must be a whole number of at least 1 (extended resources cannot be split)');
      if (problem) collector.report(Rules.EXTENDED_RESOURCE_INVALID, `${prefix}size.extended.${name}`, amount, problem);
      else out[name] = k8s.Quantity.fromString(String(amount)); // a string, as the API server returns quantities
    }
  }
  for (const [field, resource] of HUGE_PAGE_FIELDS) {
    const pages = size[field];
    if (pages === undefined) continue;
    const rendered = formatBytes(pages);
    if (rendered === undefined) collector.report(Rules.HUGEPAGES_INVALID, `${prefix}size.${field}`, describeSize(pages), 'must be a positive size of whole bytes, e.g. Size.mebibytes(512)');
    else out[resource] = k8s.Quantity.fromString(rendered);
  }
  return out;
}

function checked(rendered: string | undefined, field: string, value: unknown, collector: FindingCollector): string | undefined {
  if (rendered === undefined) {
    collector.report(Rules.SIZE_INVALID, field, describeSize(value), 'must be a positive, well-formed quantity (Cpu.millis(n) of at least 1m, Size.mebibytes(n) of whole bytes)');
  }
  return rendered;
}

function notBelow(field: string, limit: string | undefined, request: string | undefined, collector: FindingCollector): void {
  if (limit === undefined || request === undefined || limit === request) return;
  if (parseQuantity(limit)! < parseQuantity(request)!) {
    collector.report(Rules.SIZE_INVALID, field, limit, `a limit must not be below its request (${request})`);
  }
}

function describeSize(value: unknown): unknown {
  if (value instanceof kplus.Cpu) return value.amount;
  if (value instanceof Size) return `${value.toKibibytes({ rounding: SizeRoundingBehavior.NONE })}Ki`;
  return value;
}

/**
 * The QoS class the kubelet will assign to a Pod with this spec (init containers included).
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/
 */
export function qosClassOf(spec: k8s.PodSpec): QosClass {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  let anySet = false;
  let guaranteed = true;
  // Quantities are Quantity objects in L1 specs and plain strings or numbers in parsed YAML.
  const q = (v: k8s.Quantity | string | number | undefined) => (v !== null && typeof v === 'object' ? v.value : v);
  for (const c of containers) {
    const requests: Record<string, k8s.Quantity | string | number> = c.resources?.requests ?? {};
    const limits: Record<string, k8s.Quantity | string | number> = c.resources?.limits ?? {};
    for (const resource of ['cpu', 'memory']) {
      const limit = q(limits[resource]);
      const request = q(requests[resource]) ?? limit;
      if (limit !== undefined || request !== undefined) anySet = true;
      if (limit === undefined || request === undefined || parseQuantity(limit) !== parseQuantity(request)) guaranteed = false;
    }
  }
  if (!anySet) return QosClass.BEST_EFFORT;
  return guaranteed ? QosClass.GUARANTEED : QosClass.BURSTABLE;
}
