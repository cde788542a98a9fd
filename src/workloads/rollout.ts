import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Rules } from '../rules/catalog';
import { deadlineProblem, noProgressProblem, rolloutPods } from '../rules/families/rollout';
import { FindingCollector } from '../rules/collector';
import { durationSeconds } from '../validation/duration';

/**
 * How a Deployment replaces its Pods. The defaults are the zero-downtime recipe: never go below
 * the desired count, surge one Pod at a time, and wait until each new Pod has stayed ready.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#rolling-update-deployment
 */
export interface RolloutProps {
  /**
   * Pods that may be created above the desired count during a rollout.
   * @default PercentOrAbsolute.absolute(1)
   */
  readonly maxSurge?: kplus.PercentOrAbsolute;
  /**
   * Pods that may be unavailable during a rollout. 0 keeps full capacity (rule SW-ROLLOUT-001
   * forbids 0 together with maxSurge 0).
   * @default PercentOrAbsolute.absolute(0)
   */
  readonly maxUnavailable?: kplus.PercentOrAbsolute;
  /**
   * How long a new Pod must stay ready before it counts as available; catches Pods that crash
   * right after passing readiness.
   * @default Duration.seconds(10)
   */
  readonly minReady?: Duration;
  /**
   * How long a rollout may make no progress before it is reported as failed. Must exceed
   * `minReady` (rule SW-ROLLOUT-002).
   * @default Duration.seconds(600)
   */
  readonly progressDeadline?: Duration;
  /**
   * Stop every old Pod before starting new ones (Recreate), for a single-replica workload whose
   * ReadWriteOnce volume cannot be attached to two Pods at once. Causes downtime on every rollout.
   * @default false (RollingUpdate)
   */
  readonly recreate?: boolean;
  /**
   * Old ReplicaSets kept for `kubectl rollout undo`.
   * @default 5
   */
  readonly revisionHistoryLimit?: number;
}

/** The resolved rollout. */
export interface ResolvedRollout {
  readonly strategy: kplus.DeploymentStrategy;
  readonly minReady: Duration;
  readonly progressDeadline: Duration;
  readonly revisionHistoryLimit: number;
  /** Whether a new Pod starts before an old one stops (maxSurge above 0). */
  readonly surges: boolean;
  /**
   * Extra Pods a rollout of `replicas` starts (maxSurge; percentages round up), at most
   * `replicas`: the new ReplicaSet never grows beyond the desired count.
   */
  surgePods(replicas: number): number;
}

/** Resolves rollout props, reporting a strategy that cannot progress and inconsistent timings. */
export function resolveRollout(props: RolloutProps | undefined, collector: FindingCollector): ResolvedRollout {
  const maxSurge = props?.maxSurge ?? kplus.PercentOrAbsolute.absolute(1);
  const maxUnavailable = props?.maxUnavailable ?? kplus.PercentOrAbsolute.absolute(0);
  let valid = true;
  for (const [field, v] of [['rollout.maxSurge', maxSurge], ['rollout.maxUnavailable', maxUnavailable]] as const) {
    if (!isValidPercentOrAbsolute(v)) {
      valid = false;
      collector.report(Rules.ROLLOUT_NO_PROGRESS, field, v instanceof kplus.PercentOrAbsolute ? v.value : v, 'must be a whole number or percentage of at least 0 (and at most 100%)');
    }
  }
  const recreate = props?.recreate ?? false;
  const stuck = !recreate && valid ? noProgressProblem(maxSurge.isZero(), maxUnavailable.isZero()) : undefined;
  const bothZero = stuck !== undefined;
  if (stuck) collector.report(Rules.ROLLOUT_NO_PROGRESS, 'rollout.maxSurge', maxSurge.value, stuck);
  const seconds = (field: string, d: Duration | undefined, dflt: number): number => {
    if (d === undefined) return dflt;
    const s = durationSeconds(d);
    if (s === undefined) collector.report(Rules.ROLLOUT_DEADLINE, field, d, 'must be a whole, non-negative number of seconds');
    return s ?? dflt;
  };
  const minReady = seconds('rollout.minReady', props?.minReady, 10);
  const progressDeadline = seconds('rollout.progressDeadline', props?.progressDeadline, 600);
  const late = deadlineProblem(minReady, progressDeadline);
  if (late) collector.report(Rules.ROLLOUT_DEADLINE, 'rollout.progressDeadline', `${progressDeadline}s`, late);
  const history = props?.revisionHistoryLimit ?? 5;
  if (!Number.isInteger(history) || history < 0) {
    collector.report(Rules.ROLLOUT_DEADLINE, 'rollout.revisionHistoryLimit', history, 'must be a whole number of at least 0');
  }
  return {
    // Built only when valid: cdk8s-plus throws a plain Error for both-zero.
    strategy: recreate || bothZero || !valid ? kplus.DeploymentStrategy.recreate() : kplus.DeploymentStrategy.rollingUpdate({ maxSurge, maxUnavailable }),
    minReady: Duration.seconds(minReady),
    progressDeadline: Duration.seconds(Math.max(progressDeadline, minReady + 1)),
    revisionHistoryLimit: history,
    surges: !recreate && valid && !maxSurge.isZero(),
    surgePods: surgePodsOf(recreate || !valid ? undefined : maxSurge),
  };
}

/**
 * `surgePods` of a rollout (none for Recreate or an invalid surge). A closure made here, not in
 * `resolveRollout`, keeps nothing of the resolution alive (its collector) for the workload's life.
 */
function surgePodsOf(maxSurge: kplus.PercentOrAbsolute | undefined): (replicas: number) => number {
  return replicas => (maxSurge === undefined ? 0 : Math.min(rolloutPods(replicas, maxSurge.value, true), replicas));
}

function isValidPercentOrAbsolute(v: unknown): boolean {
  if (!(v instanceof kplus.PercentOrAbsolute)) return false;
  const value: unknown = v.value;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0;
  if (typeof value === 'string') {
    const m = /^(\d+)%$/.exec(value);
    return m !== null && Number(m[1]) <= 100;
  }
  return false;
}
