import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Rules } from '../rules/catalog';
import { behaviorProblems, hpaMinProblem, hpaRangeProblem, utilizationProblem } from '../rules/families/autoscaling';
import { FindingCollector } from '../rules/collector';
import { describeDuration, durationSeconds } from '../validation/duration';
import { VerticalScalingProps } from './vertical';
import { wrapRendering } from '../synth/fast-render';
import { merged } from '../util/merge';

/**
 * Autoscaling of a workload: horizontal (autoscaling/v2: replicas on cpu and, optionally,
 * memory utilisation of the requests, or on custom metrics) and/or vertical (`vertical`: a
 * VerticalPodAutoscaler sizing the main container). With horizontal autoscaling on, the
 * Deployment omits `spec.replicas` so GitOps syncs do not fight the autoscaler. Give only
 * `vertical` to scale vertically alone: the workload then keeps `replicas`.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface AutoscalingProps {
  /**
   * Fewest replicas; at least 2 so the service survives a node drain (rule SW-HPA-001).
   * @default 2
   */
  readonly minReplicas?: number;
  /**
   * Most replicas; greater than `minReplicas` (rule SW-HPA-002). Required for horizontal
   * autoscaling, which is on unless only `vertical` is given.
   * @default - none: required unless the workload scales only vertically
   */
  readonly maxReplicas?: number;
  /**
   * Target average cpu utilisation, in percent of the cpu request.
   * @default 70 when no `metrics` are given; with `metrics`, cpu is a scaling metric only when set
   */
  readonly cpuUtilization?: number;
  /**
   * Target average memory utilisation, in percent of the memory request.
   * @default - memory is not a scaling metric
   */
  readonly memoryUtilization?: number;
  /**
   * Further metrics, e.g. requests per second per Pod:
   * `Metric.pods({ name: 'http_requests_per_second', target: MetricTarget.averageValue(100) })`,
   * or a queue length: `Metric.external({ name: 'queue_messages_ready', target: MetricTarget.averageValue(30) })`.
   * Needs a metrics adapter (e.g. prometheus-adapter, KEDA) in the cluster. Given metrics replace
   * the default cpu target: set `cpuUtilization` as well to scale on both.
   * @default - none (cpu at 70%)
   */
  readonly metrics?: kplus.Metric[];
  /**
   * Scale-up behaviour (`spec.behavior.scaleUp`): policies of `Replicas.absolute(n)` or
   * `Replicas.percent(n)` per `duration` (1s to 30min, default 15s), a `strategy` choosing among
   * them, and a `stabilizationWindow` (0 to 1h). Checked by rule SW-HPA-006.
   * @default - no stabilisation, at most the larger of 4 Pods or 200% per minute (slower than
   * Kubernetes' own default of 4 Pods or 100% every 15 seconds)
   * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#configurable-scaling-behavior
   */
  readonly scaleUp?: kplus.ScalingRules;
  /**
   * Scale-down behaviour (`spec.behavior.scaleDown`), as `scaleUp`. A stabilization window under
   * 60s lets the replica count flap with the load (warning SW-HPA-007).
   * @default - 5 minute stabilisation (the Kubernetes default), at most `minReplicas` Pods per 5 minutes
   */
  readonly scaleDown?: kplus.ScalingRules;
  /**
   * Vertical autoscaling of the main container: a VerticalPodAutoscaler that keeps the Pods
   * Guaranteed (requests and limits scaled together), resizes them in place where the target
   * can (Kubernetes 1.33+) and stays within `maxAllowed`, which the namespace quota is checked
   * against. Not with horizontal scaling on the same resource (rule SW-VPA-001): scale
   * horizontally on `metrics` instead.
   * @default - no VerticalPodAutoscaler
   */
  readonly vertical?: VerticalScalingProps;
}

/** Validated autoscaling settings. */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: kplus.Metric[];
  /** The prop each of `metrics` comes from, e.g. "autoscaling.cpuUtilization", with its value. @internal */
  readonly metricSources: ReadonlyArray<{ readonly field: string; readonly value: unknown; readonly defaulted: boolean }>;
}

/** The props of horizontal autoscaling: setting any of them turns it on. */
const HORIZONTAL_PROPS = ['minReplicas', 'maxReplicas', 'cpuUtilization', 'memoryUtilization', 'metrics', 'scaleUp', 'scaleDown'] as const;

/** Whether `props` ask for horizontal autoscaling: any horizontal prop, or no `vertical` (so `{}` still needs maxReplicas). */
export function scalesHorizontally(props: AutoscalingProps): boolean {
  return props.vertical === undefined || HORIZONTAL_PROPS.some(k => props[k] !== undefined);
}

/** Validates autoscaling props and builds the metrics. */
export function resolveAutoscaling(props: AutoscalingProps, collector: FindingCollector): ResolvedAutoscaling {
  const minReplicas = props.minReplicas ?? 2;
  const { maxReplicas } = props;
  const minProblem = hpaMinProblem(minReplicas);
  if (minProblem) collector.report(Rules.HPA_MIN_TOO_LOW, 'autoscaling.minReplicas', minReplicas, minProblem);
  if (maxReplicas === undefined) {
    collector.report(Rules.HPA_RANGE_INVALID, 'autoscaling.maxReplicas', maxReplicas, `is required for horizontal autoscaling, as a whole number greater than minReplicas (${minReplicas})${props.vertical === undefined ? '' : '; to scale only vertically, give no prop but "vertical"'}`);
  } else {
    const rangeProblem = hpaRangeProblem(minReplicas, maxReplicas);
    if (rangeProblem) collector.report(Rules.HPA_RANGE_INVALID, 'autoscaling.maxReplicas', maxReplicas, rangeProblem);
  }
  const metrics: kplus.Metric[] = [];
  const metricSources: Array<{ field: string; value: unknown; defaulted: boolean }> = [];
  const target = (field: string, value: number | undefined, defaulted: boolean, metric: (t: kplus.MetricTarget) => kplus.Metric) => {
    if (value === undefined) return;
    const problem = utilizationProblem(value);
    if (problem) {
      collector.report(Rules.HPA_TARGET_INVALID, field, value, problem);
      return;
    }
    metrics.push(metric(kplus.MetricTarget.averageUtilization(value)));
    metricSources.push({ field, value, defaulted });
  };
  const custom = props.metrics === undefined || props.metrics === null ? [] : props.metrics;
  if (!Array.isArray(custom)) collector.report(Rules.PROPS_INVALID, 'autoscaling.metrics', custom, 'must be a list of Metric, e.g. [Metric.external({...})]');
  const given = Array.isArray(custom) ? custom : [];
  given.forEach((m, i) => {
    if (!(m instanceof kplus.Metric)) collector.report(Rules.PROPS_INVALID, `autoscaling.metrics[${i}]`, m, 'must be built with Metric.pods(), Metric.object(), Metric.external() or Metric.containerCpu()');
  });
  // Custom metrics replace the default cpu target; an explicit cpuUtilization is kept.
  target('autoscaling.cpuUtilization', props.cpuUtilization ?? (given.length > 0 ? undefined : 70), props.cpuUtilization === undefined, t => kplus.Metric.resourceCpu(t));
  target('autoscaling.memoryUtilization', props.memoryUtilization, false, t => kplus.Metric.resourceMemory(t));
  given.forEach((m, i) => {
    if (!(m instanceof kplus.Metric)) return;
    metrics.push(m);
    metricSources.push({ field: `autoscaling.metrics[${i}]`, value: m._toKube(), defaulted: false });
  });
  checkBehavior(props, collector);
  return { minReplicas, maxReplicas: maxReplicas ?? minReplicas, metrics, metricSources };
}

/** Prop names of the rendered behaviour fields, for messages. */
const PROP_FIELDS: Array<[RegExp, string]> = [
  [/\.stabilizationWindowSeconds$/, '.stabilizationWindow'],
  [/\.selectPolicy$/, '.strategy'],
  [/\.periodSeconds$/, '.duration'],
  [/\.(type|value)$/, '.replicas'],
];

/**
 * Reports SW-HPA-006 (and warning SW-HPA-007) on the scale-up and scale-down rules, checked in
 * the form they render to by the same predicate the audit runs, before cdk8s-plus sees them
 * (it would throw a plain Error without a rule id).
 */
function checkBehavior(props: AutoscalingProps, collector: FindingCollector): void {
  const behavior: Record<string, unknown> = {};
  for (const direction of ['scaleUp', 'scaleDown'] as const) {
    const rules = props[direction];
    if (rules === undefined) continue;
    if (rules === null || typeof rules !== 'object') {
      collector.report(Rules.HPA_BEHAVIOR_INVALID, `autoscaling.${direction}`, rules, 'must be ScalingRules: { policies, strategy, stabilizationWindow }');
      continue;
    }
    const seconds = (d: unknown) => (d instanceof Duration ? durationSeconds(d) ?? describeDuration(d) : d);
    behavior[direction] = {
      stabilizationWindowSeconds: rules.stabilizationWindow === undefined ? undefined : seconds(rules.stabilizationWindow),
      selectPolicy: rules.strategy,
      policies: rules.policies === undefined || !Array.isArray(rules.policies) ? rules.policies : rules.policies.map(p => merged(
        p?.replicas instanceof kplus.Replicas ? p.replicas._toKube() : { type: undefined, value: p?.replicas },
        { periodSeconds: p?.duration === undefined ? 15 : seconds(p.duration) },
      )),
    };
  }
  for (const b of behaviorProblems(behavior)) {
    const field = PROP_FIELDS.reduce((f, [re, name]) => f.replace(re, name), `autoscaling.${b.field}`);
    collector.report(b.rule === 'invalid' ? Rules.HPA_BEHAVIOR_INVALID : Rules.HPA_SCALE_DOWN_FLAPPING, field, b.value, b.problem);
  }
}

/** The HorizontalPodAutoscaler of `target`, named like the workload. */
export function createAutoscaler(scope: Construct, metadata: kplus.HorizontalPodAutoscalerProps['metadata'], target: kplus.IScalable, resolved: ResolvedAutoscaling, props: AutoscalingProps): kplus.HorizontalPodAutoscaler {
  const hpa = new kplus.HorizontalPodAutoscaler(scope, 'Autoscaler', {
    metadata,
    target,
    minReplicas: resolved.minReplicas,
    maxReplicas: resolved.maxReplicas,
    metrics: resolved.metrics,
    scaleUp: props.scaleUp,
    scaleDown: props.scaleDown,
  });
  quantitiesAsStrings(ApiObject.of(hpa));
  return hpa;
}

/**
 * cdk8s-plus renders metric target quantities (`value`, `averageValue`) as numbers; the API
 * server stores and returns them as strings, so a GitOps diff would never settle. Renders them
 * as the server does.
 */
function quantitiesAsStrings(apiObject: ApiObject): void {
  wrapRendering(apiObject, renderedWithStringQuantities);
}

function renderedWithStringQuantities(render: ApiObject['toJson']): unknown {
  const json = render();
  for (const metric of (json.spec?.metrics ?? []) as Array<Record<string, { target?: Record<string, unknown> } | undefined>>) {
    for (const source of Object.values(metric)) {
      const t = source && typeof source === 'object' ? source.target : undefined;
      for (const key of ['value', 'averageValue']) {
        if (t && typeof t[key] === 'number') t[key] = String(t[key]);
      }
    }
  }
  return json;
}
