import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { AutoscalingProps, createAutoscaler, ResolvedAutoscaling, resolveAutoscaling, scalesHorizontally } from '../scaling/autoscaling';
import { ObjectMetadata } from './workload';

/** How many replicas a scalable workload runs, and who decides. */
export interface ReplicaPlan {
  /** `spec.replicas`, or undefined when an autoscaler owns it. */
  readonly replicas?: number;
  /** Fewest replicas that will run. */
  readonly minReplicas: number;
  /** Most replicas that will run. */
  readonly maxReplicas: number;
  /** The validated horizontal autoscaling settings, if any. */
  readonly autoscaling?: ResolvedAutoscaling;
  /** Creates the HPA for `target` when horizontal autoscaling is on. */
  createAutoscaler(scope: Construct, metadata: ObjectMetadata, target: kplus.IScalable): kplus.HorizontalPodAutoscaler | undefined;
}

/** The largest count the API server stores (`replicas` is an int32). @internal */
export const INT32_MAX = 2147483647;

/** Why `n` is not a replica count the API server accepts, or undefined. @internal */
export function replicaCountProblem(n: unknown): string | undefined {
  if (!Number.isInteger(n) || (n as number) < 1) return 'must be a whole number of at least 1';
  if ((n as number) > INT32_MAX) return `must be at most ${INT32_MAX} (the API server stores replicas as a 32-bit integer)`;
  return undefined;
}

/**
 * Resolves `replicas` and horizontal `autoscaling` (mutually exclusive) into a plan; vertical
 * autoscaling alone leaves the replica count to `replicas`.
 */
export function resolveReplicas(replicas: number | undefined, autoscaling: AutoscalingProps | undefined, collector: FindingCollector, defaultReplicas = 2): ReplicaPlan {
  const scaling = autoscaling == null || !scalesHorizontally(autoscaling) ? undefined : resolveAutoscaling(autoscaling, collector);
  if (scaling !== undefined && replicas !== undefined) {
    collector.report(Rules.HPA_WITH_REPLICAS, 'replicas', replicas, 'is set while autoscaling manages the replica count');
  }
  const count = replicas ?? defaultReplicas;
  const problem = replicaCountProblem(count);
  if (problem) collector.report(Rules.REPLICAS_INVALID, 'replicas', count, problem);
  return {
    replicas: scaling ? undefined : count,
    minReplicas: scaling?.minReplicas ?? count,
    maxReplicas: scaling?.maxReplicas ?? count,
    autoscaling: scaling,
    createAutoscaler: (scope, metadata, target) => (scaling && autoscaling ? createAutoscaler(scope, metadata, target, scaling, autoscaling) : undefined),
  };
}
