import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the autoscaling family. */
export const AutoscalingRules = {
  HPA_MIN_TOO_LOW: rule({
    id: 'SW-HPA-001',
    title: 'Autoscaling keeps at least two replicas',
    severity: Severity.ERROR,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'An autoscaler that may scale to one replica makes the service unavailable during every node drain.',
    fix: 'set "autoscaling.minReplicas" to 2 or more',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/`,
  }),
  HPA_RANGE_INVALID: rule({
    id: 'SW-HPA-002',
    title: 'Autoscaling maxReplicas is greater than minReplicas',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With maxReplicas at or below minReplicas the autoscaler cannot scale, or is rejected by the API server.',
    fix: 'set "autoscaling.maxReplicas" above "autoscaling.minReplicas"',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/`,
  }),
  HPA_TARGET_INVALID: rule({
    id: 'SW-HPA-003',
    title: 'Autoscaling targets are sensible utilisation percentages',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'Utilisation is a percentage of the requests; for Guaranteed Pods (limits = requests) a target above 100 can never be reached, so the autoscaler never scales up, and a target of 0 is rejected by the API server.',
    fix: 'use a whole number between 1 and 100, e.g. 70',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/#algorithm-details`,
  }),
  HPA_WITH_REPLICAS: rule({
    id: 'SW-HPA-004',
    title: 'An autoscaled workload does not pin replicas',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'If the applied manifest sets spec.replicas, every GitOps sync resets the count the autoscaler chose.',
    fix: 'remove "replicas" and set "autoscaling.minReplicas" instead',
    kinds: ['Deployment', 'StatefulSet'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling`,
  }),
  HPA_TARGET_MISSING: rule({
    id: 'SW-HPA-005',
    title: 'Autoscalers target a workload of the set',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    unseen: 'the scale target of a HorizontalPodAutoscaler',
    rationale: 'An HPA whose scaleTargetRef names nothing scales nothing and reports errors.',
    fix: 'point scaleTargetRef at the Deployment or StatefulSet it should scale',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/`,
  }),
  HPA_BEHAVIOR_INVALID: rule({
    id: 'SW-HPA-006',
    title: 'Autoscaling behaviour is well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server rejects scaling policies whose type is not Pods or Percent, whose value is not a positive whole number or whose periodSeconds is outside 1–1800, stabilization windows outside 0–3600 seconds and a selectPolicy other than Max, Min or Disabled; the autoscaler is then never created.',
    fix: 'build policies with Replicas.absolute(n) / Replicas.percent(n) (n >= 1) and durations of 1s to 30min, keep stabilization windows within 0 to 1 hour, and pick a ScalingStrategy',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/reference/kubernetes-api/workload-resources/horizontal-pod-autoscaler-v2/#HorizontalPodAutoscalerSpec`,
  }),
  HPA_SCALE_DOWN_FLAPPING: rule({
    id: 'SW-HPA-007',
    title: 'Scale-down waits out short dips',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With a scale-down stabilization window under a minute, the autoscaler removes Pods on a momentary dip in load and adds them back moments later: every cycle drains connections, cold-starts Pods and churns the rollout history. Kubernetes waits 300 seconds by default.',
    fix: 'keep the scale-down stabilizationWindow at 60 seconds or more (300s, the Kubernetes default, unless you measured otherwise)',
    kinds: ['HorizontalPodAutoscaler'],
    see: `${K8S}/tasks/run-application/horizontal-pod-autoscale/#stabilization-window`,
  }),
} as const;

/** Shortest scale-down stabilization window (seconds) that SW-HPA-007 accepts. */
export const MIN_SCALE_DOWN_WINDOW = 60;

/** One problem of an HPA's `spec.behavior`, at a field relative to it. */
export interface BehaviorProblem {
  /** Rule to report. */
  readonly rule: 'invalid' | 'flapping';
  /** Field below `spec.behavior`, e.g. "scaleUp.policies[0].periodSeconds". */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

const wholeIn = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/**
 * The one SW-HPA-006/007 predicate, on the rendered `spec.behavior` of an autoscaling/v2 HPA
 * (from a construct or from YAML): what the API server rejects, and a scale-down
 * stabilization window shorter than a minute. Omitted fields take the Kubernetes defaults
 * (scale-down window 300s), which pass.
 */
export function behaviorProblems(behavior: unknown): BehaviorProblem[] {
  const out: BehaviorProblem[] = [];
  if (behavior === undefined || behavior === null) return out;
  if (typeof behavior !== 'object') return [{ rule: 'invalid', field: '', value: behavior, problem: 'must be an object with scaleUp and scaleDown rules' }];
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const rules = (behavior as Record<string, unknown>)[direction];
    if (rules === undefined || rules === null) continue;
    if (typeof rules !== 'object') {
      out.push({ rule: 'invalid', field: direction, value: rules, problem: 'must be an object with policies, selectPolicy and stabilizationWindowSeconds' });
      continue;
    }
    const r = rules as Record<string, unknown>;
    const window = r.stabilizationWindowSeconds;
    if (window !== undefined && !wholeIn(window, 0, 3600)) {
      out.push({ rule: 'invalid', field: `${direction}.stabilizationWindowSeconds`, value: window, problem: 'must be a whole number of seconds from 0 to 3600' });
    } else if (direction === 'scaleDown' && typeof window === 'number' && window < MIN_SCALE_DOWN_WINDOW && r.selectPolicy !== 'Disabled') {
      out.push({ rule: 'flapping', field: `${direction}.stabilizationWindowSeconds`, value: window, problem: `removes Pods after a dip of only ${window}s, so the replica count flaps with the load` });
    }
    if (r.selectPolicy !== undefined && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy as string)) {
      out.push({ rule: 'invalid', field: `${direction}.selectPolicy`, value: r.selectPolicy, problem: 'must be Max, Min or Disabled' });
    }
    if (r.policies === undefined) continue;
    if (!Array.isArray(r.policies)) {
      out.push({ rule: 'invalid', field: `${direction}.policies`, value: r.policies, problem: 'must be a list of policies' });
      continue;
    }
    if (r.policies.length > 10) out.push({ rule: 'invalid', field: `${direction}.policies`, value: r.policies.length, problem: 'may hold at most 10 policies' });
    r.policies.forEach((p: unknown, i: number) => {
      const at = `${direction}.policies[${i}]`;
      const policy = (p !== null && typeof p === 'object' ? p : {}) as Record<string, unknown>;
      if (policy.type !== 'Pods' && policy.type !== 'Percent') out.push({ rule: 'invalid', field: `${at}.type`, value: policy.type, problem: 'must be Pods or Percent' });
      if (!wholeIn(policy.value, 1, Number.MAX_SAFE_INTEGER)) out.push({ rule: 'invalid', field: `${at}.value`, value: policy.value, problem: 'must be a whole number of at least 1' });
      if (!wholeIn(policy.periodSeconds, 1, 1800)) out.push({ rule: 'invalid', field: `${at}.periodSeconds`, value: policy.periodSeconds, problem: 'must be a whole number of seconds from 1 to 1800' });
    });
  }
  return out;
}

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
