import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/findings';
import { AutoscalingProps, createAutoscaler, ResolvedAutoscaling, resolveAutoscaling } from '../scaling/autoscaling';
import { ObjectMetadata } from './workload';

/** How many replicas a scalable workload runs, and who decides. */
export interface ReplicaPlan {
  /** `spec.replicas`, or undefined when an autoscaler owns it. */
  readonly replicas?: number;
  /** Fewest replicas that will run. */
  readonly minReplicas: number;
  /** Most replicas that will run. */
  readonly maxReplicas: number;
  /** The validated autoscaling settings, if any. */
  readonly autoscaling?: ResolvedAutoscaling;
  /** Creates the HPA for `target` when autoscaling is on. */
  createAutoscaler(scope: Construct, metadata: ObjectMetadata, target: kplus.IScalable): kplus.HorizontalPodAutoscaler | undefined;
}

/** Resolves `replicas` and `autoscaling` (mutually exclusive) into a plan. */
export function resolveReplicas(replicas: number | undefined, autoscaling: AutoscalingProps | undefined, collector: FindingCollector, defaultReplicas = 2): ReplicaPlan {
  const scaling = autoscaling == null ? undefined : resolveAutoscaling(autoscaling, collector);
  if (scaling !== undefined && replicas !== undefined) {
    collector.report(Rules.HPA_WITH_REPLICAS, 'replicas', replicas, 'is set while autoscaling manages the replica count');
  }
  const count = replicas ?? defaultReplicas;
  if (!Number.isInteger(count) || count < 1) {
    collector.report(Rules.REPLICAS_INVALID, 'replicas', count, 'must be a whole number of at least 1');
  }
  return {
    replicas: scaling ? undefined : count,
    minReplicas: scaling?.minReplicas ?? count,
    maxReplicas: scaling?.maxReplicas ?? count,
    autoscaling: scaling,
    createAutoscaler: (scope, metadata, target) => (scaling && autoscaling ? createAutoscaler(scope, metadata, target, scaling, autoscaling) : undefined),
  };
}
