import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { LabelKeys, MANAGED_BY } from './labels';
import { Rules } from '../rules/catalog';
import { priorityClassProblems } from '../rules/families/priority';
import { FindingCollector } from '../rules/collector';
import { omitZeroDefaults } from '../target/zero-defaults';
import { checkUnknownProps } from '../validation/props';
import { clusterScoped } from '../util/cluster-scoped';

/** Whether Pods of a PriorityClass may evict lower-priority Pods to make room. */
export enum PreemptionPolicy {
  /** Pods of the class are placed ahead in the scheduling queue but never evict running Pods. */
  NEVER = 'Never',
  /** Pods of the class evict running lower-priority Pods when no node has room (the Kubernetes default). */
  PREEMPT_LOWER_PRIORITY = 'PreemptLowerPriority',
}

/** Props of a `PriorityClass`. */
export interface PriorityClassProps {
  /** PriorityClass name, used as a workload's `scheduling.priorityClassName`; not starting with "system-". */
  readonly name: string;
  /**
   * Priority: higher schedules first. A whole number up to 1000000000 (higher values are
   * reserved for the built-in system classes).
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/#priorityclass
   */
  readonly value: number;
  /**
   * Give this priority to Pods that name no PriorityClass. At most one class of the cluster may
   * be the global default (rule SW-PRIO-002).
   * @default false
   */
  readonly globalDefault?: boolean;
  /**
   * Whether the class's Pods evict lower-priority Pods when the cluster is full.
   * @default PreemptionPolicy.NEVER: priority orders the scheduling queue, but evicting other
   * teams' running Pods is an explicit choice (preemption honours PodDisruptionBudgets only on a
   * best-effort basis); PREEMPT_LOWER_PRIORITY is reported as info SW-PRIO-003
   */
  readonly preemptionPolicy?: PreemptionPolicy;
  /**
   * What the class is for and who may use it.
   * @default - none
   */
  readonly description?: string;
}

/**
 * A PriorityClass (scheduling.k8s.io/v1), non-preempting by default, for platform repos:
 * workloads name it in `scheduling.priorityClassName`.
 * @see https://kubernetes.io/docs/concepts/scheduling-eviction/pod-priority-preemption/
 */
export class PriorityClass extends Construct {
  /** The PriorityClass object. */
  public readonly apiObject: ApiObject;
  /** The class name, for `scheduling.priorityClassName`. */
  public readonly name: string;
  /** The priority value. */
  public readonly value: number;
  /** The resolved preemption policy. */
  public readonly preemptionPolicy: PreemptionPolicy;
  /** Whether the class is the global default. */
  public readonly globalDefault: boolean;

  constructor(scope: Construct, id: string, props: PriorityClassProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'PriorityClassProps', props);
    const p = props ?? ({} as PriorityClassProps);
    this.preemptionPolicy = p.preemptionPolicy ?? PreemptionPolicy.NEVER;
    this.globalDefault = p.globalDefault ?? false;
    const problems = priorityClassProblems({ name: p.name, value: p.value, globalDefault: p.globalDefault, preemptionPolicy: this.preemptionPolicy, description: p.description });
    const propOf: Record<string, string> = { 'metadata.name': 'name' };
    for (const pr of problems) collector.report(Rules.PRIORITY_CLASS_INVALID, propOf[pr.field] ?? pr.field, pr.value, pr.problem);
    if (this.preemptionPolicy === PreemptionPolicy.PREEMPT_LOWER_PRIORITY) {
      collector.report(Rules.PRIORITY_PREEMPTS, 'preemptionPolicy', this.preemptionPolicy, 'lets the class\'s Pods evict running lower-priority Pods of any namespace');
    }
    collector.commit();
    this.name = p.name;
    this.value = p.value;
    this.apiObject = new ApiObject(this, 'Resource', {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name: p.name, labels: { [LabelKeys.MANAGED_BY]: MANAGED_BY } },
      value: p.value,
      globalDefault: this.globalDefault,
      preemptionPolicy: this.preemptionPolicy,
      description: p.description,
    });
    // PriorityClasses are cluster-scoped: no namespace, even in a namespaced chart.
    clusterScoped(this.apiObject);
    omitZeroDefaults(this.apiObject);
  }
}
