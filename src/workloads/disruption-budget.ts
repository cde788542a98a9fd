import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { merged } from '../util/merge';

/**
 * How many Pods of a workload voluntary disruptions (node drains, cluster upgrades) may take
 * down at once. Exactly one of maxUnavailable / minAvailable, as Kubernetes requires.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
export class DisruptionBudget {
  /** At most `count` Pods down at once. */
  public static maxUnavailable(count: number): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', count);
  }

  /** At most `percent`% of the Pods (rounded up) down at once. */
  public static maxUnavailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget('maxUnavailable', `${percent}%`);
  }

  /** At least `count` Pods up at all times. */
  public static minAvailable(count: number): DisruptionBudget {
    return new DisruptionBudget('minAvailable', count);
  }

  /** At least `percent`% of the Pods (rounded up) up at all times. */
  public static minAvailablePercent(percent: number): DisruptionBudget {
    return new DisruptionBudget('minAvailable', `${percent}%`);
  }

  private constructor(
    /** `maxUnavailable` or `minAvailable`. */
    public readonly field: 'maxUnavailable' | 'minAvailable',
    /** A count, or a percentage such as "25%". */
    public readonly value: number | string,
  ) {}

  /**
   * How many Pods the budget lets a drain evict when `replicas` are running, or undefined when
   * the value is malformed.
   */
  public allowedDisruptions(replicas: number): number | undefined {
    return allowedDisruptions(this.field, this.value, replicas);
  }

  /**
   * Reports a malformed budget, or one that allows no disruption at `minReplicas` replicas.
   * @internal
   */
  public _check(minReplicas: number, collector: FindingCollector): void {
    const field = `disruptionBudget.${this.field}`;
    const allowed = this.allowedDisruptions(minReplicas);
    if (allowed === undefined) {
      collector.report(Rules.PDB_ZERO_DISRUPTIONS, field, this.value, 'must be a whole number of at least 0 or a percentage from 0% to 100%');
    } else if (allowed === 0) {
      collector.report(Rules.PDB_ZERO_DISRUPTIONS, field, this.value, `allows no disruption with ${minReplicas} replica${minReplicas === 1 ? '' : 's'}, so node drains would block forever`);
    }
  }

  /** @internal */
  public _toKube(): Pick<k8s.PodDisruptionBudgetSpec, 'maxUnavailable' | 'minAvailable'> {
    const v = typeof this.value === 'number' ? k8s.IntOrString.fromNumber(this.value) : k8s.IntOrString.fromString(this.value);
    return { [this.field]: v };
  }
}

/** Checks `budget` against the fewest replicas that will run, reporting a single replica and budgets that block drains. */
export function checkDisruption(budget: unknown, minReplicas: number, collector: FindingCollector): void {
  if (!(budget instanceof DisruptionBudget)) {
    collector.report(Rules.PDB_ZERO_DISRUPTIONS, 'disruptionBudget', budget, 'must be created with DisruptionBudget.maxUnavailable() or .minAvailable()');
  } else if (Number.isInteger(minReplicas) && minReplicas >= 1) {
    if (minReplicas === 1) {
      collector.report(Rules.PDB_SINGLE_REPLICA, 'replicas', 1, 'a single replica cannot be both available and drainable');
    }
    budget._check(minReplicas, collector);
  }
}

/** The PodDisruptionBudget of the Pods carrying `selector` (L1: cdk8s-plus-28 has no PDB). */
export function createDisruptionBudget(scope: Construct, metadata: k8s.ObjectMeta, selector: Record<string, string>, budget: DisruptionBudget): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'PodDisruptionBudget', {
    metadata,
    spec: merged({ selector: { matchLabels: { ...selector } } }, budget._toKube(), {
      // Lets drains evict Pods that are not ready anyway, instead of blocking on them.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    }),
  });
}

/**
 * How many Pods a budget of `field: value` lets a drain evict when `replicas` are running, or
 * undefined when the value is malformed. Kubernetes rounds PDB percentages up, for both fields.
 */
export function allowedDisruptions(field: 'maxUnavailable' | 'minAvailable', value: unknown, replicas: number): number | undefined {
  let amount: number;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) return undefined;
    amount = value;
  } else if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value);
    if (!m || Number(m[1]) > 100) return undefined;
    amount = Math.ceil((replicas * Number(m[1])) / 100);
  } else {
    return undefined;
  }
  return field === 'maxUnavailable' ? Math.min(amount, replicas) : Math.max(replicas - amount, 0);
}
