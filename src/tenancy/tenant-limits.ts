import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as k8s from '../../imports/k8s';
import { formatBytes, formatCpu } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { LimitRangeItemLike, limitRangeItemProblems } from './quota-arithmetic';
import { FindingCollector } from '../rules/collector';
import { checkUnknownProps } from '../validation/props';

/** Per-container defaults and bounds (LimitRange). Defaults set request = limit, so defaulted containers are Guaranteed. */
export interface ContainerLimits {
  /**
   * CPU request and limit of containers that declare none.
   * @default Cpu.millis(250)
   */
  readonly defaultCpu?: kplus.Cpu;
  /**
   * Memory request and limit of containers that declare none.
   * @default Size.mebibytes(256)
   */
  readonly defaultMemory?: Size;
  /**
   * Smallest CPU a container may ask for.
   * @default - none
   */
  readonly minCpu?: kplus.Cpu;
  /**
   * Smallest memory a container may ask for.
   * @default - none
   */
  readonly minMemory?: Size;
  /**
   * Largest CPU limit of one container.
   * @default - none
   */
  readonly maxCpu?: kplus.Cpu;
  /**
   * Largest memory limit of one container.
   * @default - none
   */
  readonly maxMemory?: Size;
  /**
   * Largest limit/request ratio, per resource: a finite number of at least 1 (1 forces
   * Guaranteed containers); anything else, Infinity and NaN included, is an error (rule SW-RES-001).
   * @default 4 for cpu, 2 for memory
   * @see https://kubernetes.io/docs/concepts/policy/limit-range/
   */
  readonly maxLimitRequestRatio?: { readonly cpu?: number; readonly memory?: number };
}

/**
 * Bounds of a whole Pod (a LimitRange item of type Pod): its containers' requests (min) and
 * limits (max) summed, the largest init container when that is more. A Pod outside them is
 * refused by the LimitRanger admission, so its controller never gets it.
 * @see https://kubernetes.io/docs/concepts/policy/limit-range/
 */
export interface PodLimits {
  /**
   * Smallest total CPU request of a Pod.
   * @default - none
   */
  readonly minCpu?: kplus.Cpu;
  /**
   * Smallest total memory request of a Pod.
   * @default - none
   */
  readonly minMemory?: Size;
  /**
   * Largest total CPU limit of a Pod (every container must then declare a cpu limit).
   * @default - none
   */
  readonly maxCpu?: kplus.Cpu;
  /**
   * Largest total memory limit of a Pod (every container must then declare a memory limit).
   * @default - none
   */
  readonly maxMemory?: Size;
}

/**
 * Bounds of one PersistentVolumeClaim's storage request (a LimitRange item of type
 * PersistentVolumeClaim): claims outside them are refused.
 * @see https://kubernetes.io/docs/tasks/administer-cluster/limit-storage-consumption/
 */
export interface ClaimLimits {
  /**
   * Smallest storage request of a claim.
   * @default - none
   */
  readonly minStorage?: Size;
  /**
   * Largest storage request of a claim.
   * @default - none
   */
  readonly maxStorage?: Size;
}

/** The namespace's LimitRange: container defaults and bounds, and optionally Pod and claim bounds. */
export interface TenantLimits extends ContainerLimits {
  /**
   * Bounds of a whole Pod (a `type: Pod` item).
   * @default - none
   */
  readonly pod?: PodLimits;
  /**
   * Bounds of a claim's storage request (a `type: PersistentVolumeClaim` item).
   * @default - none
   */
  readonly claims?: ClaimLimits;
}

/** A LimitRangeItem with its quantities as plain strings, as the family predicates read them. */
export function plainItem(item: k8s.LimitRangeItem): LimitRangeItemLike {
  const plain = (list: Record<string, k8s.Quantity> | undefined) => (list ? Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v.value)])) : undefined);
  return { type: item.type, min: plain(item.min), max: plain(item.max), default: plain(item.default), defaultRequest: plain(item.defaultRequest), maxLimitRequestRatio: plain(item.maxLimitRequestRatio) };
}

/** Resolves the Tenant's `limits` to LimitRange items (Container, then Pod and PersistentVolumeClaim when given), reporting what the API server would refuse. */
export function resolveLimits(l: TenantLimits, collector: FindingCollector): k8s.LimitRangeItem[] {
  if (l === null || typeof l !== 'object' || Array.isArray(l)) {
    collector.report(Rules.PROPS_INVALID, 'limits', l, 'must be an object of container (and pod, claims) bounds');
    l = {};
  }
  checkUnknownProps(collector, 'TenantLimits', l, 'limits.');
  const cpu = (field: string, v: kplus.Cpu | undefined) => {
    if (v === undefined) return undefined;
    const s = formatCpu(v);
    if (s === undefined) collector.report(Rules.SIZE_INVALID, field, v instanceof kplus.Cpu ? v.amount : v, 'must be a positive cpu amount');
    return s === undefined ? undefined : k8s.Quantity.fromString(s);
  };
  const mem = (field: string, v: Size | undefined) => {
    if (v === undefined) return undefined;
    const s = formatBytes(v);
    if (s === undefined) collector.report(Rules.SIZE_INVALID, field, v, 'must be a positive whole number of bytes');
    return s === undefined ? undefined : k8s.Quantity.fromString(s);
  };
  const pair = (c: k8s.Quantity | undefined, m: k8s.Quantity | undefined) => {
    const out: Record<string, k8s.Quantity> = {};
    if (c) out.cpu = c;
    if (m) out.memory = m;
    return Object.keys(out).length > 0 ? out : undefined;
  };
  const defaults = pair(cpu('limits.defaultCpu', l.defaultCpu ?? kplus.Cpu.millis(250)), mem('limits.defaultMemory', l.defaultMemory ?? Size.mebibytes(256)));
  const given: unknown = l.maxLimitRequestRatio;
  const givenOk = given === undefined || (given !== null && typeof given === 'object' && !Array.isArray(given));
  if (!givenOk) collector.report(Rules.PROPS_INVALID, 'limits.maxLimitRequestRatio', given, 'must be an object of ratios per resource, e.g. { cpu: 4, memory: 2 }');
  const own = givenOk ? l.maxLimitRequestRatio : undefined;
  const ratio = { cpu: own?.cpu ?? 4, memory: own?.memory ?? 2 };
  const ratios: Record<string, k8s.Quantity> = {};
  for (const [k, v] of Object.entries(ratio)) {
    // Infinity and NaN are numbers too: rendered, they become quantities the API server cannot parse.
    if (typeof v === 'number' && Number.isFinite(v) && v >= 1) ratios[k] = k8s.Quantity.fromString(String(v));
    else collector.report(Rules.SIZE_INVALID, `limits.maxLimitRequestRatio.${k}`, v, 'must be a finite number of at least 1 (the API server refuses a smaller ratio; 1 forces Guaranteed containers)');
  }
  const items: k8s.LimitRangeItem[] = [{
    type: 'Container',
    default: defaults,
    defaultRequest: defaults,
    min: pair(cpu('limits.minCpu', l.minCpu), mem('limits.minMemory', l.minMemory)),
    max: pair(cpu('limits.maxCpu', l.maxCpu), mem('limits.maxMemory', l.maxMemory)),
    maxLimitRequestRatio: ratios,
  }];
  const props: Record<string, string> = { 'min.cpu': 'minCpu', 'min.memory': 'minMemory', 'max.cpu': 'maxCpu', 'max.memory': 'maxMemory', 'default.cpu': 'defaultCpu', 'default.memory': 'defaultMemory', 'defaultRequest.cpu': 'defaultCpu', 'defaultRequest.memory': 'defaultMemory' };
  const sections: Array<[string, Record<string, string>]> = [['limits.', props]];
  if (l.pod !== undefined) {
    const pod = objectProp(l.pod, 'limits.pod', 'PodLimits', collector);
    const min = pair(cpu('limits.pod.minCpu', pod.minCpu), mem('limits.pod.minMemory', pod.minMemory));
    const max = pair(cpu('limits.pod.maxCpu', pod.maxCpu), mem('limits.pod.maxMemory', pod.maxMemory));
    if (min || max) {
      items.push({ type: 'Pod', min, max });
      sections.push(['limits.pod.', { 'min.cpu': 'minCpu', 'min.memory': 'minMemory', 'max.cpu': 'maxCpu', 'max.memory': 'maxMemory' }]);
    } else collector.report(Rules.PROPS_INVALID, 'limits.pod', l.pod, 'bounds nothing: give minCpu, minMemory, maxCpu or maxMemory');
  }
  if (l.claims !== undefined) {
    const claims = objectProp(l.claims, 'limits.claims', 'ClaimLimits', collector);
    const min = mem('limits.claims.minStorage', claims.minStorage);
    const max = mem('limits.claims.maxStorage', claims.maxStorage);
    if (min || max) {
      items.push({ type: 'PersistentVolumeClaim', min: min ? { storage: min } : undefined, max: max ? { storage: max } : undefined });
      sections.push(['limits.claims.', { 'min.storage': 'minStorage', 'max.storage': 'maxStorage' }]);
    } else collector.report(Rules.PROPS_INVALID, 'limits.claims', l.claims, 'bounds nothing: give minStorage or maxStorage');
  }
  // The API server rejects an inconsistent LimitRange (min <= defaultRequest <= default <= max).
  items.forEach((item, i) => {
    const [prefix, names] = sections[i];
    for (const p of limitRangeItemProblems(plainItem(item), 'item')) {
      const key = p.field.replace(/^item\./, '');
      collector.report(Rules.LIMIT_RANGE_VIOLATION, `${prefix}${names[key] ?? key}`, p.value, p.problem);
    }
  });
  return items;
}

/** `value` as an object of interface `name`, reporting anything else (and unknown keys). */
function objectProp<T extends object>(value: T, field: string, name: string, collector: FindingCollector): Partial<T> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    collector.report(Rules.PROPS_INVALID, field, value, 'must be an object');
    return {};
  }
  checkUnknownProps(collector, name, value, `${field}.`);
  return value;
}
