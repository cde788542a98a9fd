import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDisruption, DisruptionBudget } from '../disruption/disruption-budget';
import { PodCore } from '../pod/pod-core';
import { Rules } from '../rules/catalog';
import { startupBudgetProblem } from '../rules/families/rollout';
import { FindingCollector } from '../rules/findings';
import { checkObjects } from '../validation/props';
import { AutoscalingProps } from '../scaling/autoscaling';
import { HardenedDeployment } from './hardened';
import { ReplicaPlan, resolveReplicas } from './replicas';
import { ResolvedRollout, resolveRollout, RolloutProps } from './rollout';
import { ObjectMetadata } from './workload';

/** Props shared by the Deployment-based workloads (`WebService`, `Worker`). */
export interface DeploymentOptions {
  /**
   * Desired replicas. At least 2, so the workload survives a node drain. Not allowed together
   * with `autoscaling` (rule SW-HPA-004).
   * @default 2 (or `autoscaling.minReplicas`, managed by the autoscaler)
   */
  readonly replicas?: number;
  /**
   * Horizontal autoscaling; the Deployment then omits `spec.replicas`.
   * @default - no autoscaler
   */
  readonly autoscaling?: AutoscalingProps;
  /**
   * Rolling update settings.
   * @default - maxSurge 1, maxUnavailable 0, minReady 10s, progressDeadline 600s, 5 revisions
   */
  readonly rollout?: RolloutProps;
  /**
   * The PodDisruptionBudget. Must allow at least one disruption at the minimum replica count
   * (rule SW-PDB-001).
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
}

/** The validated Deployment settings. */
export interface DeploymentPlan {
  readonly rollout: ResolvedRollout;
  readonly replicas: ReplicaPlan;
  readonly budget: DisruptionBudget;
}

/** Validates the Deployment settings. */
export function resolveDeployment(props: DeploymentOptions, collector: FindingCollector): DeploymentPlan {
  checkObjects(collector, props, ['rollout', 'autoscaling']);
  const rollout = resolveRollout(props.rollout, collector);
  const replicas = resolveReplicas(props.replicas, props.autoscaling, collector);
  const budget = props.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
  checkDisruption(budget, replicas.minReplicas, collector);
  return { rollout, replicas, budget };
}

/** The hardened Deployment of `core`. */
export function createDeployment(scope: Construct, core: PodCore, plan: DeploymentPlan, metadata: ObjectMetadata, serviceAccount: kplus.IServiceAccount): HardenedDeployment {
  const { rollout, replicas } = plan;
  return new HardenedDeployment(scope, 'Deployment', {
    ...core.workloadProps(scope),
    metadata,
    serviceAccount,
    replicas: replicas.replicas,
    strategy: rollout.strategy,
    minReady: rollout.minReady,
    progressDeadline: rollout.progressDeadline,
  }, core, { revisionHistoryLimit: rollout.revisionHistoryLimit });
}

/** Reports startup probes allowed to take longer than the rollout's progress deadline (SW-ROLLOUT-004). */
export function checkStartupBudget(core: PodCore, plan: DeploymentPlan, collector: FindingCollector): void {
  const deadline = plan.rollout.progressDeadline.toSeconds();
  for (const c of core.containers) {
    const slow = startupBudgetProblem(c.probes.startupProbe, deadline);
    if (slow) collector.report(Rules.STARTUP_BUDGET, 'rollout.progressDeadline', `${deadline}s`, `${slow} of container "${c.name}"`);
  }
}
