import { ApiObject, Chart, ChartProps, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { KubeObject, podTemplateOf } from '../audit/kube';
import { SeaworthyError } from '../errors';
import { checkPrometheus } from '../monitoring/monitoring';
import { Prometheus, setPrometheusOf } from '../monitoring/prometheus';
import { setFrontDoorDefaults } from '../network/front-door-registry';
import { GatewayRef } from '../network/gateway';
import { CLUSTER_DNS, Peer } from '../network/peer';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { Rules } from '../rules/catalog';
import { PROFILE_LABEL, Profiles } from '../rules/profile';
import { Finding, makeFinding } from '../rules/finding';
import { quotaShortfalls } from './quota-arithmetic';
import { podSecurityViolations } from '../rules/families/pod-security';
import { FindingCollector } from '../rules/collector';
import { WORKLOAD_KINDS } from '../rules/rule';
import { renderOnce } from '../synth/render-once';
import { dns1123LabelProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { NodeAgent } from '../workloads/node-agent';
import { Workload } from '../workloads/workload';
import { KubernetesTarget } from '../target/target';
import { reportPeerProblems } from '../network/isolation';
import { NamespaceView } from './namespace-usage';
import { plainItem, resolveLimits, TenantLimits } from './tenant-limits';
import { resolveQuota, ResolvedQuota, TenantQuota } from './tenant-quota';

/** Pod Security Standards level a namespace enforces. */
export enum PodSecurityLevel {
  /** Hardened: what every seaworthy workload meets by default. */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations; allows root and some capabilities. */
  BASELINE = 'baseline',
  /** Unrestricted: only for node agents that need host access. */
  PRIVILEGED = 'privileged',
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
   * The namespace's LimitRange: container defaults and bounds, and optionally bounds of whole
   * Pods (`pod`) and of claims (`claims`); every workload and claim of the namespace must fit
   * (rule SW-NS-001).
   * @default - the ContainerLimits defaults, no Pod or claim bounds
   * @see https://kubernetes.io/docs/concepts/policy/limit-range/
   */
  readonly limits?: TenantLimits;
  /**
   * Namespace totals, named `<name>-quota`; the rollout peak of every workload must fit (rule
   * SW-NS-002). With `scopes` or `scopeSelector`, only the Pods it matches count.
   * @default - no ResourceQuota
   */
  readonly quota?: TenantQuota;
  /**
   * Further ResourceQuotas, each with its own `name`, e.g. one scoped to a priority class next to
   * the unscoped `quota`: every quota must hold the rollout peak of the Pods its scopes match,
   * evaluated as `seaworthy audit` evaluates a ResourceQuota (rule SW-NS-002).
   * @default - none
   * @see https://kubernetes.io/docs/concepts/policy/resource-quotas/#resource-quota-per-priorityclass
   */
  readonly quotas?: TenantQuota[];
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
  /**
   * The Prometheus that scrapes the tenant's monitored workloads (`monitoring`, `addMonitor()`):
   * its Pods are admitted on each metrics port, its selector labels put on every monitor and rule.
   * @default Prometheus.DEFAULT (Pods `app.kubernetes.io/name: prometheus` in namespace `monitoring`)
   */
  readonly prometheus?: Prometheus;
}

/**
 * A namespace baseline, as a Chart: the Namespace with Pod Security Admission labels, a
 * LimitRange, optional ResourceQuotas, and a default-deny NetworkPolicy (DNS still allowed).
 * Workloads created inside it land in its namespace, and at synthesis it checks that each
 * workload and claim of the namespace fits the LimitRange, that the rollout peak of all of them
 * fits every quota (each with its scopes), and that workloads with host access are only in
 * privileged namespaces.
 */
export class Tenant extends Chart {
  /** The Namespace. */
  public readonly ns: kplus.Namespace;
  /** The LimitRange. */
  public readonly limitRange: k8s.KubeLimitRange;
  /** The first ResourceQuota (`quota`, else the first of `quotas`), when there is one. */
  public readonly resourceQuota?: k8s.KubeResourceQuota;
  /** Every ResourceQuota: `quota`, then `quotas`. */
  public readonly resourceQuotas: readonly k8s.KubeResourceQuota[];
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
    const quotas = resolveQuotas(props, collector);
    if (props?.gateways !== undefined && !(Array.isArray(props.gateways) && props.gateways.every(g => g instanceof GatewayRef))) {
      collector.report(Rules.PROPS_INVALID, 'gateways', props.gateways, 'must be a list of Gateway.fromRef() or gateway.listener() references');
    }
    if (props?.ingressController !== undefined && !(props.ingressController instanceof Peer)) {
      collector.report(Rules.PROPS_INVALID, 'ingressController', props.ingressController, 'must be created with Peer.pods(), Peer.namespace(), Peer.namespaces() or Peer.ipBlock()');
    } else if (props?.ingressController !== undefined) {
      reportPeerProblems(collector, 'ingressController', props.ingressController);
    }
    if (props?.prometheus !== undefined && !(props.prometheus instanceof Prometheus)) {
      collector.report(Rules.PROPS_INVALID, 'prometheus', props.prometheus, 'must be Prometheus.DEFAULT or created with Prometheus.of()');
    } else if (props?.prometheus !== undefined) {
      checkPrometheus(props.prometheus, collector, 'prometheus');
    }
    collector.commit();
    setFrontDoorDefaults(this, { gateways: props.gateways, ingressController: props.ingressController });
    if (props.prometheus) setPrometheusOf(this, props.prometheus);

    this.podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    const labels = { [LabelKeys.MANAGED_BY]: MANAGED_BY };
    const psa: Record<string, string> = {};
    for (const mode of ['enforce', 'audit', 'warn']) {
      psa[`pod-security.kubernetes.io/${mode}`] = this.podSecurity;
      // The policy version of the target, so every control that minor knows is enforced.
      psa[`pod-security.kubernetes.io/${mode}-version`] = KubernetesTarget.of(this).podSecurityVersion;
    }
    // The profile in force at the Tenant when the app is synthesized, so the admission policies' bindings judge the namespace by it.
    const profile = Lazy.any({ produce: () => Profiles.of(this) }) as unknown as string;
    this.ns = new kplus.Namespace(this, 'Namespace', {
      metadata: { name: props.name, labels: { ...labels, ...psa, [PROFILE_LABEL]: profile }, annotations: props.owner ? { 'a8r.io/owner': props.owner } : undefined },
    });
    // The chart stamps its namespace on every object; a Namespace itself is cluster-scoped.
    ApiObject.of(this.ns).addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    this.limitRange = new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: `${props.name}-limits`, labels },
      spec: { limits },
    });
    // The first quota keeps the id it always had, so its construct path (and escape hatches) stay put.
    this.resourceQuotas = quotas.map((q, i) => new k8s.KubeResourceQuota(this, i === 0 ? 'ResourceQuota' : `ResourceQuota-${q.name}`, {
      metadata: { name: q.name, labels },
      spec: q.spec,
    }));
    this.resourceQuota = this.resourceQuotas[0];
    this.defaultDeny = new kplus.NetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', labels },
      selector: kplus.Pods.all(this, 'AllPods'),
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    this.defaultDeny.addEgressRule(CLUSTER_DNS._bind(this.defaultDeny), CLUSTER_DNS.ports.map(p => kplus.NetworkPolicyPort.of({ port: p.port, protocol: p.protocol === kplus.Protocol.UDP ? kplus.NetworkProtocol.UDP : kplus.NetworkProtocol.TCP })));
    this.node.addValidation({ validate: () => this.crossCheck(limits, quotas) });
  }

  /** The workloads placed in this tenant. */
  public get workloads(): Workload[] {
    return this.node.findAll().filter((c: IConstruct): c is Workload => c instanceof Workload);
  }

  private crossCheck(limits: readonly k8s.LimitRangeItem[], quotas: readonly ResolvedQuota[]): string[] {
    const findings: Finding[] = [];
    const report = (rule: typeof Rules[keyof typeof Rules], path: string, field: string, value: unknown, problem: string) =>
      findings.push(makeFinding(rule, path, field, value, problem));
    const view = new NamespaceView(this.node.root, this.props.name);
    // The same LimitRanger predicates as the audit, on the tenant's own LimitRange items.
    findings.push(...view.limitRangeFindings(limits.map(plainItem), this.props.name));
    for (const w of this.workloads) {
      if (w instanceof NodeAgent && w.usesHostAccess && this.podSecurity !== PodSecurityLevel.PRIVILEGED) {
        report(Rules.NAMESPACE_PSS_MISMATCH, w.node.path, 'waivers', w.pod.waivers.map(x => x.ruleId), `uses host access, but tenant "${this.props.name}" enforces Pod Security "${this.podSecurity}"`);
      } else {
        // The audit's Pod Security evaluation, on the workload's rendered Pod template (SW-SEC-020).
        for (const v of admissionViolations(w, this.podSecurity)) {
          report(Rules.POD_NOT_ADMITTED, w.node.path, v.field, v.value, `${v.problem}, and tenant "${this.props.name}" enforces it: the Pod is rejected`);
        }
      }
    }
    if (quotas.length > 0) {
      // Each quota with its scopes, through the audit's one SW-NS-002 predicate. A quota that fits
      // only once old Pods finish terminating slows rollouts: a warning (SW-NS-005), recorded on
      // the tenant once however often validation runs.
      const usages = view.usages();
      const slowed = new FindingCollector(this);
      for (const q of quotas) {
        for (const s of quotaShortfalls(q.plain, usages)) {
          const field = `${q.prefix}${s.key}`;
          if (!s.slowed) report(Rules.QUOTA_EXCEEDED, this.node.path, field, s.quota, s.problem);
          else if (!this.recorded.has(`${field}\0${s.problem}`)) {
            this.recorded.add(`${field}\0${s.problem}`);
            slowed.report(Rules.QUOTA_SLOWED, field, s.quota, s.problem);
          }
        }
      }
      slowed.commit();
    }
    // One SeaworthyError with every finding (rule ids included), like a construct's own errors.
    if (findings.length > 0) throw new SeaworthyError(findings);
    return [];
  }
}

/** `quota` then `quotas`, resolved; the first is named `<tenant>-quota` unless named; names unique. */
function resolveQuotas(props: TenantProps, collector: FindingCollector): ResolvedQuota[] {
  const given: Array<[TenantQuota, string]> = [];
  if (props?.quota !== undefined) given.push([props.quota, 'quota.']);
  if (props?.quotas !== undefined) {
    if (!Array.isArray(props.quotas)) collector.report(Rules.PROPS_INVALID, 'quotas', props.quotas, 'must be a list of quotas');
    else props.quotas.forEach((q, i) => given.push([q, `quotas[${i}].`]));
  }
  const resolved: ResolvedQuota[] = [];
  const names = new Map<string, string>();
  given.forEach(([q, prefix], i) => {
    const r = resolveQuota(q, prefix, i === 0 ? `${props.name}-quota` : undefined, collector);
    if (!r) return;
    const before = names.get(r.name);
    if (before !== undefined && r.name) collector.report(Rules.PROPS_INVALID, `${prefix}name`, r.name, `is already the name of ${before.replace(/\.$/, '')}: each ResourceQuota needs its own name`);
    names.set(r.name, prefix);
    resolved.push(r);
  });
  return resolved;
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
