import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the rollout family. */
export const RolloutRules = {
  ROLLOUT_NO_PROGRESS: rule({
    id: 'SW-ROLLOUT-001',
    title: 'A rolling update can make progress',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With maxSurge and maxUnavailable both 0 the controller can neither add nor remove a Pod, and the API server rejects the Deployment.',
    fix: 'keep maxUnavailable 0 (no capacity loss) and set maxSurge to 1 or "25%"',
    kinds: ['Deployment'],
    see: `${K8S}/concepts/workloads/controllers/deployment/#rolling-update-deployment`,
  }),
  ROLLOUT_DEADLINE: rule({
    id: 'SW-ROLLOUT-002',
    title: 'Rollout timings are consistent',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server rejects a Deployment whose progressDeadlineSeconds is not greater than minReadySeconds; values must be whole, non-negative seconds.',
    fix: 'make "rollout.progressDeadline" greater than "rollout.minReady"',
    kinds: ['Deployment'],
    see: `${K8S}/concepts/workloads/controllers/deployment/#progress-deadline-seconds`,
  }),
  STARTUP_BUDGET: rule({
    id: 'SW-ROLLOUT-004',
    title: 'Pods may take to start no longer than the rollout deadline',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'When the startup probe allows longer (initialDelaySeconds + failureThreshold x periodSeconds) than progressDeadlineSeconds, a rollout of slow-starting Pods is marked failed (ProgressDeadlineExceeded) while they are still legitimately starting, and GitOps tools report it as degraded.',
    fix: 'raise progressDeadlineSeconds ("rollout.progressDeadline") above the startup budget, or tighten the startup probe',
    kinds: ['Deployment'],
    see: `${K8S}/concepts/workloads/controllers/deployment/#progress-deadline-seconds`,
  }),
  ROLLOUT_CAPACITY_LOSS: rule({
    id: 'SW-ROLLOUT-003',
    title: 'Rollouts keep full capacity',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'A Recreate strategy, or maxUnavailable above 0, takes serving Pods down before their replacements are ready.',
    fix: 'use RollingUpdate with maxUnavailable: 0 and maxSurge: 1',
    kinds: ['Deployment'],
    see: `${K8S}/concepts/workloads/controllers/deployment/#rolling-update-deployment`,
  }),
} as const;

/** Why a rolling update with these bounds cannot progress (both zero). */
export function noProgressProblem(maxSurgeZero: boolean, maxUnavailableZero: boolean): string | undefined {
  return maxSurgeZero && maxUnavailableZero ? 'is 0 while maxUnavailable is 0 too' : undefined;
}

/** Why `deadline` (progressDeadlineSeconds) does not fit `minReady` (minReadySeconds). */
export function deadlineProblem(minReady: number, deadline: number): string | undefined {
  return deadline > minReady ? undefined : `must be greater than minReadySeconds (${minReady}s)`;
}

/**
 * Pods a rollout bound (maxSurge or maxUnavailable, a count or "N%") amounts to for `replicas`:
 * Kubernetes rounds maxSurge percentages up and maxUnavailable percentages down.
 */
export function rolloutPods(replicas: number, bound: unknown, roundUp: boolean): number {
  if (typeof bound === 'number') return bound;
  const percent = parseInt(String(bound), 10);
  return (roundUp ? Math.ceil : Math.floor)((replicas * (Number.isNaN(percent) ? 0 : percent)) / 100);
}

/** The timings of a startup probe, as rendered (Kubernetes defaults when unset). */
export interface StartupTimings {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
}

/** Why a startup probe's budget does not fit `progressDeadline` seconds (SW-ROLLOUT-004). */
export function startupBudgetProblem(startup: StartupTimings | undefined, progressDeadline: number): string | undefined {
  if (!startup) return undefined;
  const num = (v: unknown, dflt: number) => (typeof v === 'number' && v > 0 ? v : dflt);
  const budget = num(startup.initialDelaySeconds, 0) + num(startup.failureThreshold, 3) * num(startup.periodSeconds, 10);
  return budget > progressDeadline ? `is ${progressDeadline}s, shorter than the startup budget of ${budget}s (initialDelaySeconds + failureThreshold x periodSeconds)` : undefined;
}
