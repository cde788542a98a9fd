import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as k8s from '../../imports/k8s';
import { formatBytes, formatCpu } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { QuotaSpec, quotaSpecProblems } from './quota-arithmetic';
import { extendedResourceNameProblem } from '../rules/families/resources';
import { FindingCollector } from '../rules/collector';
import { compareCodeUnits } from '../util/compare';
import { dns1123SubdomainProblem } from '../validation/names';
import { checkEnum, checkUnknownProps } from '../validation/props';

/**
 * Which Pods a scoped ResourceQuota counts. A Pod counts only when it matches every scope of the
 * quota (`scopes` and `scopeSelector` together).
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#quota-scopes
 */
export enum QuotaScope {
  /** Pods with `activeDeadlineSeconds` set (on the Pod, not the Job). */
  TERMINATING = 'Terminating',
  /** Pods without `activeDeadlineSeconds`: every seaworthy workload's Pods. */
  NOT_TERMINATING = 'NotTerminating',
  /** Pods with no cpu or memory request or limit on any container; such a quota may track only `pods`. */
  BEST_EFFORT = 'BestEffort',
  /** Pods with some cpu or memory request or limit. */
  NOT_BEST_EFFORT = 'NotBestEffort',
  /** Pods by `priorityClassName` (the only scope taking In, NotIn and DoesNotExist). */
  PRIORITY_CLASS = 'PriorityClass',
  /** Pods with pod (anti-)affinity terms naming or selecting other namespaces. */
  CROSS_NAMESPACE_POD_AFFINITY = 'CrossNamespacePodAffinity',
}

/** How a scope selector expression matches. */
export enum ScopeSelectorOperator {
  /** The Pod's value is one of `values` (PriorityClass only). */
  IN = 'In',
  /** The Pod's value is none of `values` (PriorityClass only; a Pod without a priority class matches). */
  NOT_IN = 'NotIn',
  /** The scope applies (for PriorityClass: the Pod has a priority class). */
  EXISTS = 'Exists',
  /** The Pod has no priority class (PriorityClass only). */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One expression of a quota's `scopeSelector`. */
export interface QuotaScopeExpression {
  /** The scope. */
  readonly scopeName: QuotaScope;
  /** How it matches; every scope but PriorityClass takes only Exists. */
  readonly operator: ScopeSelectorOperator;
  /**
   * Priority class names, for In and NotIn (at least one); none for Exists and DoesNotExist.
   * @default - none
   */
  readonly values?: string[];
}

/** Quotas of one StorageClass (`<class>.storageclass.storage.k8s.io/…`). */
export interface StorageClassQuota {
  /**
   * Total requested storage of the class's claims.
   * @default - no limit
   */
  readonly storage?: Size;
  /**
   * Most claims of the class.
   * @default - no count limit
   */
  readonly claims?: number;
}

/**
 * One ResourceQuota of a Tenant: totals of the namespace, or of the Pods its scopes match.
 * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/
 */
export interface TenantQuota {
  /**
   * Name of the ResourceQuota (a DNS-1123 subdomain). Only the first quota of a Tenant may leave it
   * unset.
   * @default "<tenant>-quota"
   */
  readonly name?: string;
  /**
   * Total CPU requests (`requests.cpu`), and limits unless `limitsCpu` is given.
   * @default - no limit
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Total memory requests (`requests.memory`), and limits unless `limitsMemory` is given.
   * @default - no limit
   */
  readonly memory?: Size;
  /**
   * Total CPU limits (`limits.cpu`); Burstable workloads need more limits than requests.
   * @default - the same as `cpu`
   */
  readonly limitsCpu?: kplus.Cpu;
  /**
   * Total memory limits (`limits.memory`).
   * @default - the same as `memory`
   */
  readonly limitsMemory?: Size;
  /**
   * Most Pods (`pods`); a rollout's surge Pods count.
   * @default - no count limit
   */
  readonly pods?: number;
  /**
   * Most Services (`services`).
   * @default - no count limit
   */
  readonly services?: number;
  /**
   * Most LoadBalancer Services (`services.loadbalancers`).
   * @default - no count limit
   */
  readonly loadBalancers?: number;
  /**
   * Most node ports (`services.nodeports`): one per port of each NodePort Service, and of each
   * LoadBalancer Service that allocates node ports.
   * @default - no count limit
   */
  readonly nodePorts?: number;
  /**
   * Most Secrets (`secrets`).
   * @default - no count limit
   */
  readonly secrets?: number;
  /**
   * Most ConfigMaps (`configmaps`; the namespace's `kube-root-ca.crt` counts too).
   * @default - no count limit
   */
  readonly configMaps?: number;
  /**
   * Most PersistentVolumeClaims (`persistentvolumeclaims`).
   * @default - no count limit
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Total requested storage of claims (`requests.storage`).
   * @default - no limit
   */
  readonly storage?: Size;
  /**
   * Quotas per StorageClass, by class name: `{ fast: { storage: Size.gibibytes(100), claims: 4 } }`
   * renders `fast.storageclass.storage.k8s.io/requests.storage` and `…/persistentvolumeclaims`.
   * @default - none
   */
  readonly storageClasses?: Record<string, StorageClassQuota>;
  /**
   * Most objects of any kind (`count/<resource>.<group>`), by `<resource>.<group>` (the plural
   * resource, and its API group unless core): `{ 'deployments.apps': 10, 'jobs.batch': 20, 'secrets': 30 }`.
   * A Deployment counts its old ReplicaSets too (`count/replicasets.apps`).
   * @default - none
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#object-count-quota
   */
  readonly objectCounts?: Record<string, number>;
  /**
   * Totals of extended resources (`requests.<name>`), e.g. `{ 'nvidia.com/gpu': 4 }`: the
   * namespace's share of the GPU pool.
   * @default - no limit
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#resource-quota-for-extended-resources
   */
  readonly extended?: Record<string, number>;
  /**
   * Total 2 MiB huge pages (`requests.hugepages-2Mi`).
   * @default - no limit
   */
  readonly hugepages2Mi?: Size;
  /**
   * Total 1 GiB huge pages (`requests.hugepages-1Gi`).
   * @default - no limit
   */
  readonly hugepages1Gi?: Size;
  /**
   * Count only the Pods matching every one of these scopes. A scoped quota tracks only `pods`
   * and cpu/memory requests and limits (`BestEffort`: only `pods`); BestEffort with NotBestEffort,
   * and Terminating with NotTerminating, exclude each other (the API server refuses them).
   * @default - every object of the namespace
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#quota-scopes
   */
  readonly scopes?: QuotaScope[];
  /**
   * Count only the Pods matching every expression, e.g. the Pods of a priority class:
   * `[{ scopeName: QuotaScope.PRIORITY_CLASS, operator: ScopeSelectorOperator.IN, values: ['batch-high'] }]`.
   * Combined with `scopes`, a Pod must match both.
   * @default - every object of the namespace (or of `scopes`)
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#quota-scopes
   */
  readonly scopeSelector?: QuotaScopeExpression[];
}

/** A TenantQuota resolved to its ResourceQuota. */
export interface ResolvedQuota {
  /** The ResourceQuota's name. */
  readonly name: string;
  /** Prop path of the quota: "quota." or "quotas[1].". */
  readonly prefix: string;
  /** The spec as rendered. */
  readonly spec: k8s.ResourceQuotaSpec;
  /** The spec with quantities as strings, as the audit reads a ResourceQuota. */
  readonly plain: QuotaSpec;
}

/** A `count/<resource>[.<group>]` key: a plural resource and an optional API group, lower case. */
const COUNT_KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Validates a TenantQuota and resolves it to a ResourceQuota spec, reporting every problem at
 * `prefix` (the prop path); the scope rules are the API server's (`quotaSpecProblems`, SW-NS-002).
 */
export function resolveQuota(quota: TenantQuota, prefix: string, defaultName: string | undefined, collector: FindingCollector): ResolvedQuota | undefined {
  if (quota === null || typeof quota !== 'object' || Array.isArray(quota)) {
    collector.report(Rules.PROPS_INVALID, prefix.replace(/\.$/, ''), quota, 'must be an object of quota totals, e.g. { cpu: Cpu.units(8), memory: Size.gibibytes(16) }');
    return undefined;
  }
  checkUnknownProps(collector, 'TenantQuota', quota, prefix);
  const hard: Record<string, k8s.Quantity> = {};
  const propOf: Record<string, string> = {};
  const set = (key: string, prop: string, value: string) => {
    hard[key] = k8s.Quantity.fromString(value);
    propOf[key] = prop;
  };
  const cpu = (prop: string, v: kplus.Cpu | undefined) => {
    if (v === undefined) return undefined;
    const s = formatCpu(v);
    if (s === undefined) collector.report(Rules.SIZE_INVALID, `${prefix}${prop}`, v instanceof kplus.Cpu ? v.amount : v, 'must be a positive cpu amount');
    return s;
  };
  const bytes = (prop: string, v: Size | undefined) => {
    if (v === undefined) return undefined;
    const s = formatBytes(v);
    if (s === undefined) collector.report(Rules.SIZE_INVALID, `${prefix}${prop}`, v, 'must be a positive whole number of bytes');
    return s;
  };
  const count = (key: string, prop: string, n: unknown) => {
    if (n === undefined) return;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) collector.report(Rules.SIZE_INVALID, `${prefix}${prop}`, n, 'must be a whole number of at least 0');
    else set(key, prop, String(n));
  };
  const requestsCpu = cpu('cpu', quota.cpu);
  const requestsMemory = bytes('memory', quota.memory);
  const limitsCpu = quota.limitsCpu === undefined ? requestsCpu : cpu('limitsCpu', quota.limitsCpu);
  const limitsMemory = quota.limitsMemory === undefined ? requestsMemory : bytes('limitsMemory', quota.limitsMemory);
  if (requestsCpu) set('requests.cpu', 'cpu', requestsCpu);
  if (limitsCpu) set('limits.cpu', quota.limitsCpu === undefined ? 'cpu' : 'limitsCpu', limitsCpu);
  if (requestsMemory) set('requests.memory', 'memory', requestsMemory);
  if (limitsMemory) set('limits.memory', quota.limitsMemory === undefined ? 'memory' : 'limitsMemory', limitsMemory);
  const counts: Array<[string, string, unknown]> = [
    ['pods', 'pods', quota.pods], ['services', 'services', quota.services], ['services.loadbalancers', 'loadBalancers', quota.loadBalancers],
    ['services.nodeports', 'nodePorts', quota.nodePorts], ['secrets', 'secrets', quota.secrets], ['configmaps', 'configMaps', quota.configMaps],
    ['persistentvolumeclaims', 'persistentVolumeClaims', quota.persistentVolumeClaims],
  ];
  for (const [key, prop, n] of counts) count(key, prop, n);
  const storage = bytes('storage', quota.storage);
  if (storage) set('requests.storage', 'storage', storage);
  for (const [resource, n] of entriesOf(quota.objectCounts, 'objectCounts', prefix, collector)) {
    if (!COUNT_KEY.test(resource) || resource.length > 253) collector.report(Rules.PROPS_INVALID, `${prefix}objectCounts.${resource}`, resource, 'must be "<plural resource>.<API group>" in lower case (the group left out for the core API), e.g. "deployments.apps" or "secrets"');
    else count(`count/${resource}`, `objectCounts.${resource}`, n);
  }
  for (const [sc, q] of entriesOf(quota.storageClasses, 'storageClasses', prefix, collector)) {
    const problem = dns1123SubdomainProblem(sc);
    if (problem) {
      collector.report(Rules.PROPS_INVALID, `${prefix}storageClasses.${sc}`, sc, `StorageClass name ${problem}`);
      continue;
    }
    if (q === null || typeof q !== 'object' || Array.isArray(q)) {
      collector.report(Rules.PROPS_INVALID, `${prefix}storageClasses.${sc}`, q, 'must be { storage?: Size, claims?: number }');
      continue;
    }
    checkUnknownProps(collector, 'StorageClassQuota', q, `${prefix}storageClasses.${sc}.`);
    const classStorage = bytes(`storageClasses.${sc}.storage`, (q as StorageClassQuota).storage);
    if (classStorage) set(`${sc}.storageclass.storage.k8s.io/requests.storage`, `storageClasses.${sc}.storage`, classStorage);
    count(`${sc}.storageclass.storage.k8s.io/persistentvolumeclaims`, `storageClasses.${sc}.claims`, (q as StorageClassQuota).claims);
  }
  resolveDeviceQuota(quota, prefix, set, collector);
  const scopes = resolveScopes(quota, prefix, collector);
  if (Object.keys(hard).length === 0) collector.report(Rules.PROPS_INVALID, prefix.replace(/\.$/, ''), Object.keys(quota), 'tracks nothing: give at least one total or count (cpu, memory, pods, …)');
  const name = quota.name ?? defaultName;
  if (name === undefined) collector.report(Rules.PROPS_INVALID, `${prefix}name`, name, 'is required for every quota but the first (the first is named "<tenant>-quota")');
  else {
    const problem = dns1123SubdomainProblem(name);
    if (problem) collector.report(Rules.NAME_INVALID, `${prefix}name`, name, problem);
  }
  const plainHard = Object.fromEntries(Object.entries(hard).map(([k, v]) => [k, String(v.value)]));
  const plain: QuotaSpec = { hard: plainHard, scopes: scopes.scopes, scopeSelector: scopes.scopeSelector };
  // The API server's scope rules, reported at the props that set each field.
  for (const p of quotaSpecProblems(plain, 'spec')) {
    const field = p.field.replace(/^spec\.hard\.(.*)$/, (_m, key: string) => propOf[key] ?? key)
      .replace(/^spec\.scopeSelector\.matchExpressions/, 'scopeSelector').replace(/^spec\./, '');
    collector.report(Rules.QUOTA_EXCEEDED, `${prefix}${field}`, p.value, p.problem);
  }
  return {
    name: name ?? '',
    prefix,
    spec: { hard, scopes: scopes.scopes, scopeSelector: scopes.scopeSelector },
    plain,
  };
}

/** The entries of a record prop, sorted (deterministic output), reporting a value that is not a plain object. */
function entriesOf<T>(record: Record<string, T> | undefined, prop: string, prefix: string, collector: FindingCollector): Array<[string, T]> {
  if (record === undefined) return [];
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    collector.report(Rules.PROPS_INVALID, `${prefix}${prop}`, record, 'must be an object of names to values');
    return [];
  }
  return Object.entries(record).sort(([a], [b]) => compareCodeUnits(a, b));
}

function resolveScopes(quota: TenantQuota, prefix: string, collector: FindingCollector): { scopes?: string[]; scopeSelector?: k8s.ScopeSelector } {
  let scopes: string[] | undefined;
  if (quota.scopes !== undefined) {
    if (!Array.isArray(quota.scopes) || quota.scopes.length === 0) collector.report(Rules.PROPS_INVALID, `${prefix}scopes`, quota.scopes, 'must be a non-empty list of QuotaScope values (leave it unset for no scopes)');
    else {
      quota.scopes.forEach((s, i) => checkEnum(collector, `${prefix}scopes[${i}]`, s, QuotaScope));
      scopes = [...quota.scopes];
    }
  }
  let scopeSelector: k8s.ScopeSelector | undefined;
  if (quota.scopeSelector !== undefined) {
    if (!Array.isArray(quota.scopeSelector) || quota.scopeSelector.length === 0) {
      collector.report(Rules.PROPS_INVALID, `${prefix}scopeSelector`, quota.scopeSelector, 'must be a non-empty list of { scopeName, operator, values? } (leave it unset for no selector)');
    } else {
      const matchExpressions = quota.scopeSelector.map((e, i) => {
        const at = `${prefix}scopeSelector[${i}]`;
        if (e === null || typeof e !== 'object' || Array.isArray(e)) {
          collector.report(Rules.PROPS_INVALID, at, e, 'must be { scopeName: QuotaScope, operator: ScopeSelectorOperator, values?: string[] }');
          return { scopeName: String(e), operator: 'Exists' };
        }
        checkUnknownProps(collector, 'QuotaScopeExpression', e, `${at}.`);
        checkEnum(collector, `${at}.scopeName`, e.scopeName, QuotaScope);
        checkEnum(collector, `${at}.operator`, e.operator, ScopeSelectorOperator);
        if (e.values !== undefined && !(Array.isArray(e.values) && e.values.every(v => typeof v === 'string' && v.length > 0))) {
          collector.report(Rules.PROPS_INVALID, `${at}.values`, e.values, 'must be a list of priority class names');
        }
        return { scopeName: e.scopeName, operator: e.operator, values: Array.isArray(e.values) ? [...e.values] : undefined };
      });
      scopeSelector = { matchExpressions };
    }
  }
  return { scopes, scopeSelector };
}

/** The extended-resource and huge-page keys of the quota. */
function resolveDeviceQuota(quota: TenantQuota, prefix: string, set: (key: string, prop: string, value: string) => void, collector: FindingCollector): void {
  if (quota.extended !== undefined && (quota.extended === null || typeof quota.extended !== 'object' || Array.isArray(quota.extended))) {
    collector.report(Rules.EXTENDED_RESOURCE_INVALID, `${prefix}extended`, quota.extended, 'must be an object of resource names to whole numbers, e.g. { \'nvidia.com/gpu\': 4 }');
  } else {
    for (const [name, n] of Object.entries(quota.extended ?? {}).sort(([a], [b]) => compareCodeUnits(a, b))) {
      const problem = extendedResourceNameProblem(name) ?? (Number.isInteger(n) && n >= 0 ? undefined : 'must be a whole number of at least 0');
      if (problem) collector.report(Rules.EXTENDED_RESOURCE_INVALID, `${prefix}extended.${name}`, n, problem);
      else set(`requests.${name}`, `extended.${name}`, String(n));
    }
  }
  for (const [field, resource] of [['hugepages2Mi', 'hugepages-2Mi'], ['hugepages1Gi', 'hugepages-1Gi']] as const) {
    if (quota[field] === undefined) continue;
    const bytes = formatBytes(quota[field]);
    if (bytes === undefined) collector.report(Rules.HUGEPAGES_INVALID, `${prefix}${field}`, quota[field], 'must be a positive whole number of bytes');
    else set(`requests.${resource}`, field, bytes);
  }
}
