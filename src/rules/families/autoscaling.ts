import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the autoscaling family. */
export const AutoscalingRules = {
  HPA_MIN_TOO_LOW: rule({
    id: 'SW-HPA-001',
    title: 'Autoscaling keeps at least two replicas',
    severity: Severity.ERROR,
    rationale: 'An autoscaler that may scale to one replica makes the service unavailable during every node drain.',
    fix: 'set "autoscaling.minReplicas" to 2 or more',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/`,
  }),
  HPA_RANGE_INVALID: rule({
    id: 'SW-HPA-002',
    title: 'Autoscaling maxReplicas is greater than minReplicas',
    severity: Severity.ERROR,
    rationale: 'With maxReplicas at or below minReplicas the autoscaler cannot scale, or is rejected by the API server.',
    fix: 'set "autoscaling.maxReplicas" above "autoscaling.minReplicas"',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/`,
  }),
  HPA_TARGET_INVALID: rule({
    id: 'SW-HPA-003',
    title: 'Autoscaling targets are sensible utilisation percentages',
    severity: Severity.ERROR,
    rationale: 'Utilisation is a percentage of the requests; for Guaranteed Pods (limits = requests) a target above 100 can never be reached, so the autoscaler never scales up, and a target of 0 is rejected by the API server.',
    fix: 'use a whole number between 1 and 100, e.g. 70',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/#algorithm-details`,
  }),
  HPA_WITH_REPLICAS: rule({
    id: 'SW-HPA-004',
    title: 'An autoscaled workload does not pin replicas',
    severity: Severity.ERROR,
    rationale: 'If the applied manifest sets spec.replicas, every GitOps sync resets the count the autoscaler chose.',
    fix: 'remove "replicas" and set "autoscaling.minReplicas" instead',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling`,
  }),
  HPA_TARGET_MISSING: rule({
    id: 'SW-HPA-005',
    title: 'Autoscalers target a workload of the set',
    severity: Severity.ERROR,
    rationale: 'An HPA whose scaleTargetRef names nothing scales nothing and reports errors.',
    fix: 'point scaleTargetRef at the Deployment or StatefulSet it should scale',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/`,
  }),
} as const;

/** Why `min` is not an acceptable autoscaler minimum (a whole number of at least 2). */
export function hpaMinProblem(min: unknown): string | undefined {
  return Number.isInteger(min) && (min as number) >= 2 ? undefined : 'must be a whole number of at least 2';
}

/** Built-in kinds without a scale subresource, which an HPA cannot scale. */
const UNSCALABLE = new Set(['DaemonSet', 'Job', 'CronJob', 'Pod', 'PodTemplate']);

/** Why an HPA's scaleTargetRef kind cannot be scaled. */
export function scaleTargetKindProblem(kind: unknown): string | undefined {
  return typeof kind === 'string' && UNSCALABLE.has(kind) ? `names a ${kind}, which has no scale subresource, so the autoscaler can never scale it` : undefined;
}

/** Why `max` cannot be the maximum above `min`. */
export function hpaRangeProblem(min: number, max: unknown): string | undefined {
  return Number.isInteger(max) && (max as number) > min ? undefined : `must be a whole number greater than minReplicas (${min})`;
}

/**
 * Why `u` is not a utilisation target: a whole percentage of the requests from 1 to 100, or
 * above 100 when the Pods' limits exceed their requests (`burstable`), so they can use more.
 */
export function utilizationProblem(u: unknown, burstable = false): string | undefined {
  if (!Number.isInteger(u) || (u as number) < 1) return 'must be a whole percentage of at least 1';
  return burstable || (u as number) <= 100 ? undefined : 'is above 100, which Pods whose limits equal their requests can never reach';
}
