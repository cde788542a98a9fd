import { Duration } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { nodeNameProblem } from '../rules/families/scheduling';
import { FindingCollector } from '../rules/collector';
import { carriedMap } from '../synth/own-keys';
import { durationSeconds } from '../validation/duration';
import { dns1123SubdomainProblem, labelKeyProblem, labelValueProblem } from '../validation/names';
import { labelMapProblems, selectorRequirementProblems } from '../validation/selectors';
import { merged } from '../util/merge';

/**
 * One requirement on a node label, for node affinity.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#node-affinity
 */
export class NodeRequirement {
  /** The label's value is one of `values`. */
  public static in(key: string, values: string[]): NodeRequirement {
    return new NodeRequirement(key, 'In', values);
  }
  /** The label is absent or its value is none of `values`. */
  public static notIn(key: string, values: string[]): NodeRequirement {
    return new NodeRequirement(key, 'NotIn', values);
  }
  /** The label is present. */
  public static exists(key: string): NodeRequirement {
    return new NodeRequirement(key, 'Exists');
  }
  /** The label is absent. */
  public static doesNotExist(key: string): NodeRequirement {
    return new NodeRequirement(key, 'DoesNotExist');
  }
  /** The label's value, read as an integer, is greater than `value`. */
  public static gt(key: string, value: number): NodeRequirement {
    return new NodeRequirement(key, 'Gt', [String(value)]);
  }
  /** The label's value, read as an integer, is less than `value`. */
  public static lt(key: string, value: number): NodeRequirement {
    return new NodeRequirement(key, 'Lt', [String(value)]);
  }

  private constructor(
    /** Node label key. */
    public readonly key: string,
    /** Operator. */
    public readonly operator: string,
    /** Values (none for Exists/DoesNotExist, one integer for Gt/Lt). */
    public readonly values?: string[],
  ) {}

  /** Why this requirement is malformed, if it is. @internal */
  public _problem(): string | undefined {
    const n = this.values?.length ?? 0;
    if (typeof this.key !== 'string' || this.key.length === 0) return 'needs a label key';
    if ((this.operator === 'In' || this.operator === 'NotIn') && n === 0) return `${this.operator} needs at least one value`;
    if ((this.operator === 'Gt' || this.operator === 'Lt') && !(n === 1 && /^-?\d+$/.test(this.values![0]))) return `${this.operator} needs one integer value`;
    return undefined;
  }

  /** @internal */
  public _toKube(): k8s.NodeSelectorRequirement {
    return { key: this.key, operator: this.operator, values: this.values && this.values.length > 0 ? [...this.values] : undefined };
  }
}

/** Taint effects a toleration can match. */
export enum TaintEffect {
  /** New Pods are not scheduled. */
  NO_SCHEDULE = 'NoSchedule',
  /** The scheduler avoids the node. */
  PREFER_NO_SCHEDULE = 'PreferNoSchedule',
  /** Running Pods are evicted (after tolerationSeconds, when given). */
  NO_EXECUTE = 'NoExecute',
}

/** Options of a toleration. */
export interface TolerationOptions {
  /**
   * Only this effect.
   * @default - every effect
   */
  readonly effect?: TaintEffect;
  /**
   * With NoExecute: stay bound this long after the taint appears.
   * @default - forever
   */
  readonly evictAfter?: Duration;
}

/**
 * Lets Pods schedule onto (or stay on) nodes with matching taints.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/
 */
export class Toleration {
  /** Tolerate taint `key=value`. */
  public static equal(key: string, value: string, options: TolerationOptions = {}): Toleration {
    return new Toleration({ key, operator: 'Equal', value }, options);
  }
  /** Tolerate taint `key` with any value. */
  public static exists(key: string, options: TolerationOptions = {}): Toleration {
    return new Toleration({ key, operator: 'Exists' }, options);
  }
  /** Tolerate every taint: for node agents that must run on every node. */
  public static all(): Toleration {
    return new Toleration({ operator: 'Exists' }, {});
  }
  /**
   * Stay on a NotReady or unreachable node for `after` instead of the default 300s: for stateful
   * Pods whose restart elsewhere (re-attaching volumes, re-syncing replicas) costs more than a
   * short node outage.
   */
  public static nodeFailure(after: Duration): Toleration[] {
    return ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']
      .map(key => Toleration.exists(key, { effect: TaintEffect.NO_EXECUTE, evictAfter: after }));
  }

  private constructor(private readonly base: k8s.Toleration, private readonly options: TolerationOptions) {}

  /** Why this toleration is malformed, if it is. @internal */
  public _problem(): string | undefined {
    if (this.options.evictAfter === undefined) return undefined;
    if (this.options.effect !== TaintEffect.NO_EXECUTE) return 'evictAfter needs the NoExecute effect';
    if (durationSeconds(this.options.evictAfter) === undefined) return 'evictAfter must be whole, non-negative seconds';
    return undefined;
  }

  /** @internal */
  public _toKube(): k8s.Toleration {
    const after = this.options.evictAfter === undefined ? undefined : durationSeconds(this.options.evictAfter);
    return merged(this.base, { effect: this.options.effect, tolerationSeconds: after });
  }
}

/** Options of a pod (anti-)affinity term. */
export interface PodAffinityOptions {
  /**
   * Node label defining "together": hostname, zone, …
   * @default "kubernetes.io/hostname"
   */
  readonly topologyKey?: string;
  /**
   * Only count Pods in these namespaces.
   * @default - the Pod's own namespace
   */
  readonly namespaces?: string[];
  /**
   * A preference of this weight (1–100) instead of a requirement.
   * @default - required
   */
  readonly weight?: number;
}

/**
 * One requirement on a Pod label, for pod (anti-)affinity (`matchExpressions`).
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#set-based-requirement
 */
export class LabelRequirement {
  /** The label's value is one of `values`. */
  public static in(key: string, values: string[]): LabelRequirement {
    return new LabelRequirement(key, 'In', values);
  }
  /** The label is absent or its value is none of `values`. */
  public static notIn(key: string, values: string[]): LabelRequirement {
    return new LabelRequirement(key, 'NotIn', values);
  }
  /** The label is present. */
  public static exists(key: string): LabelRequirement {
    return new LabelRequirement(key, 'Exists');
  }
  /** The label is absent. */
  public static doesNotExist(key: string): LabelRequirement {
    return new LabelRequirement(key, 'DoesNotExist');
  }

  private constructor(
    /** Pod label key. */
    public readonly key: string,
    /** Operator: In, NotIn, Exists or DoesNotExist. */
    public readonly operator: string,
    /** Values (none for Exists/DoesNotExist). */
    public readonly values?: string[],
  ) {}

  /** Why this requirement is malformed, as the API server validates a label selector. @internal */
  public _problem(): string | undefined {
    const first = selectorRequirementProblems(this)[0];
    return first && (first.at === 'key' || first.at.startsWith('values[') ? first.problem : `${first.at} ${first.problem}`);
  }

  /** @internal */
  public _toKube(): k8s.LabelSelectorRequirement {
    return { key: this.key, operator: this.operator, values: this.values && this.values.length > 0 ? [...this.values] : undefined };
  }
}

/**
 * Co-locate with (affinity) or keep away from (anti-affinity) Pods carrying `labels`, or
 * matching label requirements.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#inter-pod-affinity-and-anti-affinity
 */
export class PodAffinityTerm {
  /** Pods carrying `labels`. */
  public static withLabels(labels: Record<string, string>, options: PodAffinityOptions = {}): PodAffinityTerm {
    return new PodAffinityTerm(labels, [], options);
  }

  /**
   * Pods meeting every one of `requirements` (`matchExpressions`, ANDed), e.g.
   * `PodAffinityTerm.matching([LabelRequirement.in('app.kubernetes.io/name', ['cache', 'db'])])`.
   */
  public static matching(requirements: LabelRequirement[], options: PodAffinityOptions = {}): PodAffinityTerm {
    return new PodAffinityTerm({}, requirements, options);
  }

  private constructor(private readonly labels: Record<string, string>, private readonly requirements: LabelRequirement[], /** @internal */ public readonly _options: PodAffinityOptions) {}

  /** Why this term is malformed, if it is. @internal */
  public _problem(): string | undefined {
    const label = labelMapProblems(this.labels)[0];
    if (label) return label.at === '' ? `labels ${label.problem}` : `the label ${JSON.stringify(label.at)}: ${label.problem}`;
    if (!Array.isArray(this.requirements)) return 'requirements must be a list of LabelRequirement';
    if (Object.keys(this.labels).length === 0 && this.requirements.length === 0) return 'selects no Pods: give labels or at least one requirement';
    for (const r of this.requirements) {
      const problem = r instanceof LabelRequirement ? r._problem() : 'requirements must be built with LabelRequirement';
      if (problem) return problem;
    }
    const topologyProblem = this._options.topologyKey === undefined ? undefined : labelKeyProblem(this._options.topologyKey);
    if (topologyProblem) return `topologyKey ${topologyProblem}`;
    return undefined;
  }

  /** @internal */
  public _term(): k8s.PodAffinityTerm {
    // Tolerates malformed input from JavaScript, so a finding can show the term.
    const labels = this.labels !== null && typeof this.labels === 'object' ? this.labels : {};
    const requirements = Array.isArray(this.requirements) ? this.requirements : [];
    const hasLabels = Object.keys(labels).length > 0;
    return {
      labelSelector: {
        matchLabels: hasLabels || requirements.length === 0 ? { ...labels } : undefined,
        matchExpressions: requirements.length > 0 ? requirements.map(r => (r instanceof LabelRequirement ? r._toKube() : r)) : undefined,
      },
      topologyKey: this._options.topologyKey ?? 'kubernetes.io/hostname',
      namespaces: this._options.namespaces,
    };
  }
}

/** A node affinity term: all requirements must hold. */
export interface NodeAffinityTerm {
  /** Requirements on node labels, ANDed. */
  readonly requirements: NodeRequirement[];
  /**
   * A preference of this weight (1–100) instead of a requirement.
   * @default - required
   */
  readonly weight?: number;
}

/**
 * Nodes reserved for one kind of workload (SSD, GPU): tainted `key=value:NoSchedule` and
 * labelled `key=value`; where the label differs from the taint (GPU node pools usually carry
 * a taint such as `nvidia.com/gpu=present` and a label such as
 * `cloud.google.com/gke-accelerator=nvidia-l4`), give `labelKey` and `labelValue`.
 */
export interface DedicatedNodes {
  /** Taint key, and the label key unless `labelKey` is given, e.g. "dedicated". */
  readonly key: string;
  /** Taint value, and the label value unless `labelValue` is given, e.g. "gpu". */
  readonly value: string;
  /**
   * Key of the node label that marks the dedicated nodes, when it differs from the taint key.
   * @default - `key`
   */
  readonly labelKey?: string;
  /**
   * Value of that node label, when it differs from the taint value.
   * @default - `value`
   */
  readonly labelValue?: string;
  /**
   * Effect of the taint on the dedicated nodes.
   * @default TaintEffect.NO_SCHEDULE
   */
  readonly taintEffect?: TaintEffect;
}

/**
 * Where the Pods may run.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/
 */
export interface SchedulingProps {
  /**
   * Node labels the node must carry.
   * @default - any node
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Node affinity terms. Required terms are ORed by Kubernetes; preferred ones add their weight.
   * @default - none
   */
  readonly nodeAffinity?: NodeAffinityTerm[];
  /**
   * Pods to run near.
   * @default - none
   */
  readonly podAffinity?: PodAffinityTerm[];
  /**
   * Pods to keep away from (besides the workload's own replicas, which are always spread).
   * @default - none
   */
  readonly podAntiAffinity?: PodAffinityTerm[];
  /**
   * Taints to tolerate.
   * @default - none (stateful workloads add `Toleration.nodeFailure()`)
   */
  readonly tolerations?: Toleration[];
  /**
   * Run only on dedicated nodes: tolerates their taint and selects their label, in one setting.
   * @default - no dedicated nodes
   */
  readonly dedicatedNodes?: DedicatedNodes;
  /**
   * PriorityClass, deciding who is preempted when the cluster is full (a `PriorityClass`
   * construct's `name`, or one the platform team manages).
   * @default - the cluster default
   */
  readonly priorityClassName?: string;
  /**
   * Binds the Pods to this node, bypassing the scheduler (no resource fit, taint or affinity
   * check, and no rescheduling when the node is gone). Refused (rule SW-SCHED-002) unless the
   * workload carries `Waiver.of('SW-SCHED-002', reason)`; prefer `nodeSelector` on
   * `kubernetes.io/hostname`.
   * @default - the scheduler places the Pods
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename
   */
  readonly nodeName?: string;
}

/** Scheduling fields of a Pod spec. */
export type RenderedScheduling = Pick<k8s.PodSpec, 'nodeSelector' | 'affinity' | 'tolerations' | 'priorityClassName' | 'nodeName'>;

/**
 * Validates scheduling props and renders them, adding a preferred anti-affinity on hostname
 * between the Pods carrying `spreadSelector` (the workload's own replicas), when given.
 */
export function resolveScheduling(props: SchedulingProps | undefined, spreadSelector: Record<string, string> | undefined, extraTolerations: readonly Toleration[], collector: FindingCollector): RenderedScheduling {
  const p = props ?? {};
  const report = (field: string, value: unknown, problem: string) => collector.report(Rules.SCHEDULING_INVALID, field, value, problem);
  const weightOk = (field: string, w: number | undefined) => {
    if (w !== undefined && (!Number.isInteger(w) || w < 1 || w > 100)) report(field, w, 'must be a whole number from 1 to 100');
  };

  // References are checked as the API server checks them.
  if (p.nodeSelector !== undefined) {
    for (const l of labelMapProblems(p.nodeSelector)) report(l.at ? `scheduling.nodeSelector.${l.at}` : 'scheduling.nodeSelector', l.value, l.problem);
  }
  if (p.priorityClassName !== undefined) {
    const problem = dns1123SubdomainProblem(p.priorityClassName);
    if (problem) report('scheduling.priorityClassName', p.priorityClassName, problem);
  }
  if (p.nodeName !== undefined) {
    const problem = dns1123SubdomainProblem(p.nodeName);
    if (problem) report('scheduling.nodeName', p.nodeName, problem);
    else collector.report(Rules.NODE_NAME, 'scheduling.nodeName', p.nodeName, nodeNameProblem(p.nodeName)!);
  }
  const dedicated = resolveDedicated(p.dedicatedNodes, report);
  const required: k8s.NodeSelectorTerm[] = [];
  const preferred: k8s.PreferredSchedulingTerm[] = [];
  (p.nodeAffinity ?? []).forEach((t, i) => {
    t.requirements.forEach((r, j) => {
      const problem = r instanceof NodeRequirement ? r._problem() : 'must be built with NodeRequirement';
      if (problem) report(`scheduling.nodeAffinity[${i}].requirements[${j}]`, r instanceof NodeRequirement ? r._toKube() : r, problem);
    });
    weightOk(`scheduling.nodeAffinity[${i}].weight`, t.weight);
    const term = { matchExpressions: t.requirements.filter(r => r instanceof NodeRequirement).map(r => r._toKube()) };
    if (t.weight === undefined) required.push(term);
    else preferred.push({ weight: t.weight, preference: term });
  });

  const podTerms = (terms: PodAffinityTerm[] | undefined, field: string) => {
    const req: k8s.PodAffinityTerm[] = [];
    const pref: k8s.WeightedPodAffinityTerm[] = [];
    if (terms !== undefined && !Array.isArray(terms)) {
      report(`scheduling.${field}`, terms, 'must be a list of PodAffinityTerm');
      return { req, pref };
    }
    (terms ?? []).forEach((t, i) => {
      const problem = t instanceof PodAffinityTerm ? t._problem() : 'must be built with PodAffinityTerm.withLabels() or PodAffinityTerm.matching()';
      if (problem) {
        report(`scheduling.${field}[${i}]`, t instanceof PodAffinityTerm ? t._term() : t, problem);
        return;
      }
      weightOk(`scheduling.${field}[${i}].weight`, t._options.weight);
      const term = t._term();
      const carried = merged(term, { labelSelector: merged(term.labelSelector, { matchLabels: carriedMap(collector.scope, term.labelSelector?.matchLabels) }) });
      if (t._options.weight === undefined) req.push(carried);
      else pref.push({ weight: t._options.weight, podAffinityTerm: carried });
    });
    return { req, pref };
  };
  const affinity = podTerms(p.podAffinity, 'podAffinity');
  const anti = podTerms(p.podAntiAffinity, 'podAntiAffinity');
  if (spreadSelector) {
    anti.pref.unshift({ weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { ...spreadSelector } }, topologyKey: 'kubernetes.io/hostname' } });
  }

  const tolerations = [...(p.tolerations ?? []), ...extraTolerations];
  if (dedicated) tolerations.push(Toleration.equal(dedicated.key, dedicated.value, { effect: dedicated.effect }));
  tolerations.forEach((t, i) => {
    const problem = t instanceof Toleration ? t._problem() : 'must be built with Toleration';
    if (problem) report(`scheduling.tolerations[${i}]`, t instanceof Toleration ? t._toKube() : t, problem);
  });

  const nodeSelector = dedicated ? merged(p.nodeSelector, { [dedicated.labelKey]: dedicated.labelValue }) : p.nodeSelector && { ...p.nodeSelector };
  const nonEmpty = <T>(a: T[]) => (a.length > 0 ? a : undefined);
  return {
    // The dedicated label goes into nodeSelector, which is ANDed with everything else (required
    // node affinity terms are ORed with each other).
    nodeSelector: nodeSelector && Object.keys(nodeSelector).length > 0 ? carriedMap(collector.scope, nodeSelector) : undefined,
    priorityClassName: p.priorityClassName,
    nodeName: p.nodeName,
    tolerations: nonEmpty(tolerations.filter(t => t instanceof Toleration).map(t => t._toKube())),
    affinity: undefinedIfEmpty({
      nodeAffinity: required.length + preferred.length === 0 ? undefined : {
        requiredDuringSchedulingIgnoredDuringExecution: required.length > 0 ? { nodeSelectorTerms: required } : undefined,
        preferredDuringSchedulingIgnoredDuringExecution: nonEmpty(preferred),
      },
      podAffinity: affinity.req.length + affinity.pref.length === 0 ? undefined : {
        requiredDuringSchedulingIgnoredDuringExecution: nonEmpty(affinity.req),
        preferredDuringSchedulingIgnoredDuringExecution: nonEmpty(affinity.pref),
      },
      podAntiAffinity: anti.req.length + anti.pref.length === 0 ? undefined : {
        requiredDuringSchedulingIgnoredDuringExecution: nonEmpty(anti.req),
        preferredDuringSchedulingIgnoredDuringExecution: nonEmpty(anti.pref),
      },
    }),
  };
}

/** Dedicated nodes with the defaults applied, or undefined when unset or malformed (reported). */
function resolveDedicated(d: DedicatedNodes | undefined, report: (field: string, value: unknown, problem: string) => void): { key: string; value: string; labelKey: string; labelValue: string; effect: TaintEffect } | undefined {
  if (d === undefined) return undefined;
  if (d === null || typeof d !== 'object') {
    report('scheduling.dedicatedNodes', d, 'must be an object with the taint key and value');
    return undefined;
  }
  const resolved = { key: d.key, value: d.value, labelKey: d.labelKey ?? d.key, labelValue: d.labelValue ?? d.value, effect: d.taintEffect ?? TaintEffect.NO_SCHEDULE };
  let ok = true;
  for (const field of ['key', 'labelKey'] as const) {
    const problem = labelKeyProblem(resolved[field]);
    if (problem) { report(`scheduling.dedicatedNodes.${field}`, resolved[field], problem); ok = false; }
  }
  for (const field of ['value', 'labelValue'] as const) {
    const problem = typeof resolved[field] === 'string' ? labelValueProblem(resolved[field]) : 'must be a string';
    if (problem) { report(`scheduling.dedicatedNodes.${field}`, resolved[field], problem); ok = false; }
  }
  if (!Object.values(TaintEffect).includes(resolved.effect)) {
    report('scheduling.dedicatedNodes.taintEffect', resolved.effect, `must be one of ${Object.values(TaintEffect).join(', ')}`);
    ok = false;
  }
  return ok ? resolved : undefined;
}

function undefinedIfEmpty(affinity: k8s.Affinity): k8s.Affinity | undefined {
  return Object.values(affinity).some(v => v !== undefined) ? affinity : undefined;
}
