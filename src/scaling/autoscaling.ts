import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Rules } from '../rules/catalog';
import { hpaMinProblem, hpaRangeProblem, utilizationProblem } from '../rules/families/autoscaling';
import { FindingCollector } from '../rules/findings';

/**
 * Horizontal autoscaling (autoscaling/v2) on cpu and, optionally, memory utilisation of the
 * requests. With autoscaling on, the Deployment omits `spec.replicas` so GitOps syncs do not
 * fight the autoscaler.
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export interface AutoscalingProps {
  /**
   * Fewest replicas; at least 2 so the service survives a node drain (rule SW-HPA-001).
   * @default 2
   */
  readonly minReplicas?: number;
  /** Most replicas; greater than `minReplicas` (rule SW-HPA-002). */
  readonly maxReplicas: number;
  /**
   * Target average cpu utilisation, in percent of the cpu request.
   * @default 70
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
   * Needs a metrics adapter (e.g. prometheus-adapter, KEDA) in the cluster.
   * @default - none
   */
  readonly metrics?: kplus.Metric[];
  /**
   * Scale-up behaviour.
   * @default - cdk8s-plus defaults: no stabilisation, the larger of 4 Pods or 200% per minute
   */
  readonly scaleUp?: kplus.ScalingRules;
  /**
   * Scale-down behaviour.
   * @default - cdk8s-plus defaults: 5 minute stabilisation, at most 2 Pods per 5 minutes
   */
  readonly scaleDown?: kplus.ScalingRules;
}

/** Validated autoscaling settings. */
export interface ResolvedAutoscaling {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: kplus.Metric[];
}

/** Validates autoscaling props and builds the metrics. */
export function resolveAutoscaling(props: AutoscalingProps, collector: FindingCollector): ResolvedAutoscaling {
  const minReplicas = props.minReplicas ?? 2;
  const { maxReplicas } = props;
  const minProblem = hpaMinProblem(minReplicas);
  if (minProblem) collector.report(Rules.HPA_MIN_TOO_LOW, 'autoscaling.minReplicas', minReplicas, minProblem);
  const rangeProblem = hpaRangeProblem(minReplicas, maxReplicas);
  if (rangeProblem) collector.report(Rules.HPA_RANGE_INVALID, 'autoscaling.maxReplicas', maxReplicas, rangeProblem);
  const metrics: kplus.Metric[] = [];
  const target = (field: string, value: number | undefined, metric: (t: kplus.MetricTarget) => kplus.Metric) => {
    if (value === undefined) return;
    const problem = utilizationProblem(value);
    if (problem) {
      collector.report(Rules.HPA_TARGET_INVALID, field, value, problem);
      return;
    }
    metrics.push(metric(kplus.MetricTarget.averageUtilization(value)));
  };
  target('autoscaling.cpuUtilization', props.cpuUtilization ?? 70, t => kplus.Metric.resourceCpu(t));
  target('autoscaling.memoryUtilization', props.memoryUtilization, t => kplus.Metric.resourceMemory(t));
  metrics.push(...(props.metrics ?? []));
  return { minReplicas, maxReplicas, metrics };
}

/** The HorizontalPodAutoscaler of `target`, named like the workload. */
export function createAutoscaler(scope: Construct, metadata: kplus.HorizontalPodAutoscalerProps['metadata'], target: kplus.IScalable, resolved: ResolvedAutoscaling, props: AutoscalingProps): kplus.HorizontalPodAutoscaler {
  return new kplus.HorizontalPodAutoscaler(scope, 'Autoscaler', {
    metadata,
    target,
    minReplicas: resolved.minReplicas,
    maxReplicas: resolved.maxReplicas,
    metrics: resolved.metrics,
    scaleUp: props.scaleUp,
    scaleDown: props.scaleDown,
  });
}
