import { ApiObject, Chart, ChartProps, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { KubeObject, podTemplateOf } from '../audit/kube';
import { manifestObjectUsages } from '../audit/quota-usage';
import { SeaworthyError } from '../errors';
import { setFrontDoorDefaults } from '../network/front-door-registry';
import { GatewayRef } from '../network/gateway';
import { CLUSTER_DNS, Peer } from '../network/peer';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { formatBytes, formatCpu, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { Finding, makeFinding } from '../rules/finding';
import { extendedResourceNameProblem } from '../rules/families/resources';
import { LimitRangeItemLike, limitRangeItemProblems, limitRangeViolations, podQuotaUsage, quotaShortfalls, QuotaUsage } from '../rules/families/namespace';
import { podSecurityViolations } from '../rules/families/pod-security';
import { FindingCollector } from '../rules/findings';
import { WORKLOAD_KINDS } from '../rules/rule';
import { renderOnce } from '../synth/render-once';
import { dns1123LabelProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { NodeAgent } from '../workloads/node-agent';
import { Workload } from '../workloads/workload';
import { KubernetesTarget } from '../target/target';
import { reportPeerProblems } from '../network/isolation';

/** Pod Security Standards level a namespace enforces. */
export enum PodSecurityLevel {
  /** Hardened: what every seaworthy workload meets by default. */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations; allows root and some capabilities. */
  BASELINE = 'baseline',
  /** Unrestricted: only for node agents that need host access. */
  PRIVILEGED = 'privileged',
}

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

/** Namespace totals (ResourceQuota). */
export interface TenantQuota {
  /** Total CPU requests (`requests.cpu`), and limits unless `limitsCpu` is given. */
  readonly cpu: kplus.Cpu;
  /** Total memory requests (`requests.memory`), and limits unless `limitsMemory` is given. */
  readonly memory: Size;
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
   * Most Pods.
   * @default - no count limit
   */
  readonly pods?: number;
  /**
   * Most Services.
   * @default - no count limit
   */
  readonly services?: number;
  /**
   * Most PersistentVolumeClaims.
   * @default - no count limit
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Total requested storage of claims.
   * @default - no limit
   */
  readonly storage?: Size;
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
}

/** Props of a `Tenant`. */
export interface TenantProps extends ChartProps {
  /** Namespace name (a DNS-1123 label); every object in the tenant is placed in it. */
  readonly name: string;
  /**
   * Pod Security Admission level, enforced, audited and warned. The `*-version` labels pin the
   * policy to the Kubernetes target's minor (`v1.35` at the default target; see
   * `KubernetesTarget.podSecurityVersion`), so every control that minor knows applies.
   * @default PodSecurityLevel.RESTRICTED
   * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Container defaults and bounds.
   * @default - the ContainerLimits defaults
   */
  readonly limits?: ContainerLimits;
  /**
   * Namespace totals; the rollout peak of every workload must fit (rule SW-NS-002).
   * @default - no ResourceQuota
   */
  readonly quota?: TenantQuota;
  /**
   * Team or person owning the namespace (a8r.io/owner).
   * @default - no annotation
   */
  readonly owner?: string;
  /**
   * Gateways (or listeners) the tenant's routes may attach to, declared once for all its
   * services; `addRoute()` without a `gateway` uses the first. A route to any other Gateway is an
   * error (SW-ROUTE-003).
   * @default - routes name their Gateway, any is allowed
   */
  readonly gateways?: GatewayRef[];
  /**
   * The ingress controller's Pods, admitted by every `addIngress()` of the tenant's services on
   * the served port (the older front door; prefer `gateways`).
   * @default - none: each Ingress needs `controller` or an `allowFrom` admitting its controller
   */
  readonly ingressController?: Peer;
}

/**
 * A namespace baseline, as a Chart: the Namespace with Pod Security Admission labels, a
 * LimitRange, an optional ResourceQuota, and a default-deny NetworkPolicy (DNS still allowed).
 * Workloads created inside it land in its namespace, and at synthesis it checks that each one
 * fits the LimitRange, that the rollout peak of all of them fits the quota, and that workloads
 * with host access are only in privileged namespaces.
 */
export class Tenant extends Chart {
  /** The Namespace. */
  public readonly ns: kplus.Namespace;
  /** The LimitRange. */
  public readonly limitRange: k8s.KubeLimitRange;
  /** The ResourceQuota, when `quota` is set. */
  public readonly resourceQuota?: k8s.KubeResourceQuota;
  /** The namespace-wide default-deny NetworkPolicy. */
  public readonly defaultDeny: kplus.NetworkPolicy;
  /** The enforced Pod Security level. */
  public readonly podSecurity: PodSecurityLevel;
  /** Warnings already recorded by a validation. */
  private readonly recorded = new Set<string>();

  constructor(scope: Construct, id: string, private readonly props: TenantProps) {
    super(scope, id, { ...props, namespace: props?.name });
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'TenantProps', props);
    const problem = dns1123LabelProblem(props?.name);
    if (problem) collector.report(Rules.NAME_INVALID, 'name', props?.name, problem);
    const limits = resolveLimits(props?.limits ?? {}, collector);
    const quota = props?.quota ? resolveQuota(props.quota, collector) : undefined;
    if (props?.gateways !== undefined && !(Array.isArray(props.gateways) && props.gateways.every(g => g instanceof GatewayRef))) {
      collector.report(Rules.PROPS_INVALID, 'gateways', props.gateways, 'must be a list of Gateway.fromRef() or gateway.listener() references');
    }
    if (props?.ingressController !== undefined && !(props.ingressController instanceof Peer)) {
      collector.report(Rules.PROPS_INVALID, 'ingressController', props.ingressController, 'must be created with Peer.pods(), Peer.namespace(), Peer.namespaces() or Peer.ipBlock()');
    } else if (props?.ingressController !== undefined) {
      reportPeerProblems(collector, 'ingressController', props.ingressController);
    }
    collector.commit();
    setFrontDoorDefaults(this, { gateways: props.gateways, ingressController: props.ingressController });

    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    const labels = { [LabelKeys.MANAGED_BY]: MANAGED_BY };
    const psa: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      psa[`pod-security.kubernetes.io/${mode}`] = this.podSecurity;
      // The policy version of the target, so every control that minor knows is enforced.
      psa[`pod-security.kubernetes.io/${mode}-version`] = KubernetesTarget.of(this).podSecurityVersion;
    }
    this.ns = new kplus.Namespace(this, 'Namespace', {
      metadata: { name: props.name, labels: { ...labels, ...psa }, annotations: props.owner ? { 'a8r.io/owner': props.owner } : undefined },
    });
    // The chart stamps its namespace on every object; a Namespace itself is cluster-scoped.
    ApiObject.of(this.ns).addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: `${props.name}-limits`, labels },
      spec: { limits: [limits] },
    });
    if (quota) {
      this.resourceQuota = new k8s.KubeResourceQuota(this, 'ResourceQuota', {
        metadata: { name: `${props.name}-quota`, labels },
        spec: { hard: quota },
      });
    }
    this.defaultDeny = new kplus.NetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', labels },
      selector: kplus.Pods.all(this, 'AllPods'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    this.defaultDeny.addEgressRule(CLUSTER_DNS._bind(this.defaultDeny), CLUSTER_DNS.ports.map(p => kplus.NetworkPolicyPort.of({ port: p.port, protocol: p.protocol === kplus.Protocol.UDP ? kplus.NetworkProtocol.UDP : kplus.NetworkProtocol.TCP })));
    this.node.addValidation({ validate: () => this.crossCheck(limits, quota) });
  }

  /** The workloads placed in this tenant. */
  public get workloads(): Workload[] {
    return this.node.findAll().filter((c: IConstruct): c is Workload => c instanceof Workload);
  }

  private crossCheck(limits: k8s.LimitRangeItem, quota: Record<string, k8s.Quantity> | undefined): string[] {
    const findings: Finding[] = [];
    const report = (rule: typeof Rules[keyof typeof Rules], path: string, field: string, value: unknown, problem: string) =>
      findings.push(makeFinding(rule, path, field, value, problem));
    // The same LimitRanger predicate as the audit, on the tenant's own LimitRange item.
    const items = [plainItem(limits)];
    for (const w of this.workloads) {
      const containers = w.pod.quotaContainers;
      for (const v of limitRangeViolations(items, containers)) {
        const c = w.pod.containers.find(x => x.name === v.container);
        const [side, r] = v.key.split('.');
        const burst = c !== undefined && c.resources.limits?.[r]?.value !== c.resources.requests?.[r]?.value;
        const field = c ? `${c.prefix}${side === 'limits' && burst ? 'burst' : 'size'}.${r}` : `(Pod ${v.key})`;
        report(Rules.LIMIT_RANGE_VIOLATION, w.node.path, field, c?.resources[side === 'limits' ? 'limits' : 'requests']?.[r]?.value, `${v.problem} of tenant "${this.props.name}"`);
      }
      if (w instanceof NodeAgent && w.usesHostAccess && this.podSecurity !== PodSecurityLevel.PRIVILEGED) {
        report(Rules.NAMESPACE_PSS_MISMATCH, w.node.path, 'waivers', w.pod.waivers.map(x => x.ruleId), `uses host access, but tenant "${this.props.name}" enforces Pod Security "${this.podSecurity}"`);
      } else {
        // The audit's Pod Security evaluation, on the workload's rendered Pod template (SW-SEC-020).
        for (const v of admissionViolations(w, this.podSecurity)) {
          report(Rules.POD_NOT_ADMITTED, w.node.path, v.field, v.value, `${v.problem}, and tenant "${this.props.name}" enforces it: the Pod is rejected`);
        }
      }
    }
    if (quota) {
      const hard = Object.fromEntries(Object.entries(quota).map(([key, v]) => [key, String(v.value)]));
      // A quota that fits only once old Pods finish terminating slows rollouts: a warning, recorded
      // on the tenant once however often validation runs.
      const slowed = new FindingCollector(this);
      for (const s of quotaShortfalls({ hard }, this.namespaceUsages())) {
        if (!s.slowed) report(Rules.QUOTA_EXCEEDED, this.node.path, `quota.${s.key}`, s.quota, s.problem);
        else if (!this.recorded.has(`${s.key}\0${s.problem}`)) {
          this.recorded.add(`${s.key}\0${s.problem}`);
          slowed.report(Rules.QUOTA_SLOWED, `quota.${s.key}`, s.quota, s.problem);
        }
      }
      slowed.commit();
    }
    // One SeaworthyError with every finding (rule ids included), like a construct's own errors.
    if (findings.length > 0) throw new SeaworthyError(findings);
    return [];
  }

  /**
   * What every workload and object of this namespace in the app (charts other than the tenant
   * included) counts against the quota at the peak of its rollout, named by construct path:
   * replicas + maxSurge, and what the old Pods still terminating add (`Workload.rolloutPeaks`).
   */
  private namespaceUsages(): QuotaUsage[] {
    const usages: QuotaUsage[] = [];
    const inNamespace = (c: IConstruct) => Chart.of(c).namespace === this.props.name;
    const workloads = this.node.root.node.findAll().filter((c): c is Workload => c instanceof Workload && inNamespace(c));
    for (const w of workloads) {
      const pods = w.peakPods;
      if (pods === undefined) continue;
      const terminating = w.rolloutPeaks.reduce((sum, p) => sum + p.addedByTerminating, 0);
      usages.push(podQuotaUsage(w.node.path, pods, w.pod.quotaContainers, { bestEffort: w.pod.qosClass === QosClass.BEST_EFFORT, terminating: false, priorityClassName: w.pod.priorityClassName ?? '', crossNamespaceAffinity: false }, terminating));
    }
    for (const o of this.node.root.node.findAll()) {
      if (!(o instanceof ApiObject) || (o.metadata.namespace ?? Chart.of(o).namespace) !== this.props.name) continue;
      const owner = workloads.find(w => o.node.path.startsWith(`${w.node.path}/`))?.node.path ?? o.node.path;
      const needsSpec = ['Service', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob'].includes(o.kind);
      const obj = needsSpec ? renderOnce(o) as KubeObject : { apiVersion: o.apiVersion, kind: o.kind };
      usages.push(...manifestObjectUsages(owner, obj, undefined));
    }
    return usages;
  }
}

/**
 * What Pod Security `level` rejects in the Pod template of workload `w`, with the fields named as
 * the workload's props (`initContainers[0].security` for a container's own privileges).
 */
function admissionViolations(w: Workload, level: PodSecurityLevel): Array<{ field: string; value: unknown; problem: string }> {
  const objects = w.node.findAll().filter((o): o is ApiObject => o instanceof ApiObject && WORKLOAD_KINDS.includes(o.kind));
  const template = objects.length > 0 ? podTemplateOf(renderOnce(objects[0]) as KubeObject) : undefined;
  if (!template) return [];
  return podSecurityViolations(template.spec, level, KubernetesTarget.of(w)).map(v => {
    const m = /^(initContainers|containers)\[(\d+)\]/.exec(v.field);
    const name = m ? template.spec[m[1]]?.[Number(m[2])]?.name : undefined;
    const c = w.pod.containers.find(x => x.name === name);
    return { field: c ? `${c.prefix}security` : v.field, value: v.value, problem: v.problem };
  });
}

/** A LimitRangeItem with its quantities as plain strings, as the family predicates read them. */
function plainItem(item: k8s.LimitRangeItem): LimitRangeItemLike {
  const plain = (list: Record<string, k8s.Quantity> | undefined) => (list ? Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v.value)])) : undefined);
  return { type: item.type, min: plain(item.min), max: plain(item.max), default: plain(item.default), defaultRequest: plain(item.defaultRequest), maxLimitRequestRatio: plain(item.maxLimitRequestRatio) };
}

function resolveLimits(l: ContainerLimits, collector: FindingCollector): k8s.LimitRangeItem {
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
  const item: k8s.LimitRangeItem = {
    type: 'Container',
    default: defaults,
    defaultRequest: defaults,
    min: pair(cpu('limits.minCpu', l.minCpu), mem('limits.minMemory', l.minMemory)),
    max: pair(cpu('limits.maxCpu', l.maxCpu), mem('limits.maxMemory', l.maxMemory)),
    maxLimitRequestRatio: ratios,
  };
  // The API server rejects an inconsistent LimitRange (min <= defaultRequest <= default <= max).
  const props: Record<string, string> = { 'min.cpu': 'minCpu', 'min.memory': 'minMemory', 'max.cpu': 'maxCpu', 'max.memory': 'maxMemory', 'default.cpu': 'defaultCpu', 'default.memory': 'defaultMemory', 'defaultRequest.cpu': 'defaultCpu', 'defaultRequest.memory': 'defaultMemory' };
  for (const p of limitRangeItemProblems(plainItem(item), 'item')) {
    const key = p.field.replace(/^item\./, '');
    collector.report(Rules.LIMIT_RANGE_VIOLATION, `limits.${props[key] ?? key}`, p.value, p.problem);
  }
  return item;
}

function resolveQuota(quota: TenantQuota, collector: FindingCollector): Record<string, k8s.Quantity> {
  const hard: Record<string, k8s.Quantity> = {};
  const cpu = formatCpu(quota.cpu);
  const memory = formatBytes(quota.memory);
  if (cpu === undefined) collector.report(Rules.SIZE_INVALID, 'quota.cpu', quota.cpu instanceof kplus.Cpu ? quota.cpu.amount : quota.cpu, 'must be a positive cpu amount');
  if (memory === undefined) collector.report(Rules.SIZE_INVALID, 'quota.memory', quota.memory, 'must be a positive whole number of bytes');
  const limitsCpu = quota.limitsCpu === undefined ? cpu : formatCpu(quota.limitsCpu);
  const limitsMemory = quota.limitsMemory === undefined ? memory : formatBytes(quota.limitsMemory);
  if (limitsCpu === undefined && quota.limitsCpu !== undefined) collector.report(Rules.SIZE_INVALID, 'quota.limitsCpu', quota.limitsCpu instanceof kplus.Cpu ? quota.limitsCpu.amount : quota.limitsCpu, 'must be a positive cpu amount');
  if (limitsMemory === undefined && quota.limitsMemory !== undefined) collector.report(Rules.SIZE_INVALID, 'quota.limitsMemory', quota.limitsMemory, 'must be a positive whole number of bytes');
  if (cpu) hard['requests.cpu'] = k8s.Quantity.fromString(cpu);
  if (limitsCpu) hard['limits.cpu'] = k8s.Quantity.fromString(limitsCpu);
  if (memory) hard['requests.memory'] = k8s.Quantity.fromString(memory);
  if (limitsMemory) hard['limits.memory'] = k8s.Quantity.fromString(limitsMemory);
  const counts: Array<[keyof TenantQuota, string, number | undefined]> = [['pods', 'pods', quota.pods], ['services', 'services', quota.services], ['persistentVolumeClaims', 'persistentvolumeclaims', quota.persistentVolumeClaims]];
  for (const [prop, key, n] of counts) {
    if (n === undefined) continue;
    if (!Number.isInteger(n) || n < 0) collector.report(Rules.SIZE_INVALID, `quota.${prop}`, n, 'must be a whole number of at least 0');
    else hard[key] = k8s.Quantity.fromString(String(n));
  }
  if (quota.storage !== undefined) {
    const storage = formatBytes(quota.storage);
    if (storage === undefined) collector.report(Rules.SIZE_INVALID, 'quota.storage', quota.storage, 'must be a positive whole number of bytes');
    else hard['requests.storage'] = k8s.Quantity.fromString(storage);
  }
  resolveDeviceQuota(quota, hard, collector);
  return hard;
}

/** The extended-resource and huge-page keys of the quota, into `hard`. */
function resolveDeviceQuota(quota: TenantQuota, hard: Record<string, k8s.Quantity>, collector: FindingCollector): void {
  if (quota.extended !== undefined && (quota.extended === null || typeof quota.extended !== 'object' || Array.isArray(quota.extended))) {
    collector.report(Rules.EXTENDED_RESOURCE_INVALID, 'quota.extended', quota.extended, 'must be an object of resource names to whole numbers, e.g. { \'nvidia.com/gpu\': 4 }');
  } else {
    for (const [name, n] of Object.entries(quota.extended ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const problem = extendedResourceNameProblem(name) ?? (Number.isInteger(n) && n >= 0 ? undefined : 'must be a whole number of at least 0');
      if (problem) collector.report(Rules.EXTENDED_RESOURCE_INVALID, `quota.extended.${name}`, n, problem);
      else hard[`requests.${name}`] = k8s.Quantity.fromString(String(n));
    }
  }
  for (const [field, resource] of [['hugepages2Mi', 'hugepages-2Mi'], ['hugepages1Gi', 'hugepages-1Gi']] as const) {
    if (quota[field] === undefined) continue;
    const bytes = formatBytes(quota[field]);
    if (bytes === undefined) collector.report(Rules.HUGEPAGES_INVALID, `quota.${field}`, quota[field], 'must be a positive whole number of bytes');
    else hard[`requests.${resource}`] = k8s.Quantity.fromString(bytes);
  }
}
