import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { checkDisruption, DisruptionBudget } from './disruption-budget';
import * as vpa from '../../imports/vpa';
import { ContainerKind } from '../pod/container-core';
import { PodCore } from '../pod/pod-core';
import { PodSize, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { startupBudgetProblem } from '../rules/families/rollout';
import { evictionBudgetProblem, hpaVpaConflicts, qosDriftContainers } from '../rules/families/vertical-scaling';
import { FindingCollector } from '../rules/collector';
import { checkObjects } from '../validation/props';
import { AutoscalingProps } from '../scaling/autoscaling';
import { ResolvedVerticalScaling, resolveVerticalScaling, VerticalTarget, verticalAutoscalerProps } from '../scaling/vertical';
import { KubernetesTarget } from '../target/target';
import { HardenedDeployment } from './hardened';
import { ReplicaPlan, resolveReplicas } from './replicas';
import { ResolvedRollout, resolveRollout, RolloutProps } from './rollout';
import { ObjectMetadata } from './workload';
import { merged } from '../util/merge';

/** Props shared by the Deployment-based workloads (`WebService`, `Worker`). */
export interface DeploymentOptions {
  /**
   * Desired replicas. At least 2, so the workload survives a node drain. Not allowed together
   * with `autoscaling` (rule SW-HPA-004).
   * @default 2 (or `autoscaling.minReplicas`, managed by the autoscaler)
   */
  readonly replicas?: number;
  /**
   * Horizontal autoscaling (the Deployment then omits `spec.replicas`) and/or vertical
   * autoscaling (`autoscaling.vertical`: a VerticalPodAutoscaler sizing the main container).
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
  /** Vertical autoscaling, when `autoscaling.vertical` is set. */
  readonly vertical?: ResolvedVerticalScaling;
}

/** Validates the Deployment settings (`size` bounds vertical autoscaling). */
export function resolveDeployment(props: DeploymentOptions & { readonly size?: PodSize }, collector: FindingCollector): DeploymentPlan {
  checkObjects(collector, props, ['rollout', 'autoscaling']);
  const rollout = resolveRollout(props.rollout, collector);
  const replicas = resolveReplicas(props.replicas, props.autoscaling, collector);
  const budget = props.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
  checkDisruption(budget, replicas.minReplicas, collector);
  const given = props.autoscaling !== null && typeof props.autoscaling === 'object' ? props.autoscaling.vertical : undefined;
  let vertical: ResolvedVerticalScaling | undefined;
  if (given !== undefined && (given === null || typeof given !== 'object' || Array.isArray(given))) {
    collector.report(Rules.PROPS_INVALID, 'autoscaling.vertical', given, 'must be an object with at least maxAllowed (leave it unset for no vertical autoscaling)');
  } else if (given !== undefined) {
    vertical = resolveVerticalScaling(given, props.size, KubernetesTarget.of(collector.scope), collector);
  }
  return { rollout, replicas, budget, vertical };
}

/** The VerticalPodAutoscaler props of a Deployment-based workload, when it scales vertically. */
export function verticalAutoscalerOf(core: PodCore, plan: DeploymentPlan, metadata: ObjectMetadata): vpa.VerticalPodAutoscalerProps | undefined {
  if (!plan.vertical) return undefined;
  const target: VerticalTarget = { kind: 'Deployment', name: core.name, container: core.name };
  return verticalAutoscalerProps(metadata, target, plan.vertical);
}

/**
 * Checks vertical autoscaling against the Pods and the rest of the plan, with the audit's
 * predicates on what renders: no HPA on a resource the VPA controls (SW-VPA-001), no
 * RequestsOnly on Guaranteed Pods (SW-VPA-002), and a budget that lets an evicting VPA evict
 * (SW-VPA-003).
 */
export function checkVerticalScaling(core: PodCore, plan: DeploymentPlan, collector: FindingCollector): void {
  const props = verticalAutoscalerOf(core, plan, { name: core.name, labels: {}, annotations: {} });
  if (!props || !plan.vertical) return;
  const rendered = vpa.VerticalPodAutoscaler.manifest(props);
  const appContainers = core.containers.filter(c => c.kind !== ContainerKind.INIT).map(c => c.name);
  const hpa = plan.replicas.autoscaling;
  if (hpa) {
    for (const c of hpaVpaConflicts(hpa.metrics.map(m => m._toKube()), rendered, appContainers)) {
      const source = hpa.metricSources[c.index];
      const why = source.defaulted ? ' (the default when no metrics are given)' : '';
      collector.report(Rules.VPA_HPA_SAME_RESOURCE, source.field, source.value, `scales replicas on ${c.resource} utilisation${why} while autoscaling.vertical changes the ${c.resource} requests of container "${c.containers.join('", "')}", so the two autoscalers fight`);
    }
  }
  for (const d of qosDriftContainers(rendered, appContainers, core.qosClass === QosClass.GUARANTEED)) {
    collector.report(Rules.VPA_QOS_DRIFT, 'autoscaling.vertical.controlledValues', d.control.values, `changes the requests of container "${d.container}" and leaves its limits, so the Guaranteed Pods become Burstable (requests below limits) and are evicted before Guaranteed Pods under node memory pressure`);
  }
  const pods = plan.replicas.minReplicas;
  const budget = { name: `PodDisruptionBudget/${core.name}-pdb at ${pods} replica${pods === 1 ? '' : 's'}`, allowed: plan.budget instanceof DisruptionBudget ? plan.budget.allowedDisruptions(pods) : undefined };
  const problem = evictionBudgetProblem(plan.vertical.updateMode, [budget]);
  if (problem) collector.report(Rules.VPA_NO_DISRUPTION_BUDGET, 'autoscaling.vertical.updateMode', plan.vertical.updateMode, problem);
}

/** The hardened Deployment of `core`. */
export function createDeployment(scope: Construct, core: PodCore, plan: DeploymentPlan, metadata: ObjectMetadata, serviceAccount: kplus.IServiceAccount): HardenedDeployment {
  const { rollout, replicas } = plan;
  return new HardenedDeployment(scope, 'Deployment', merged(core.workloadProps(scope), {
    metadata,
    serviceAccount,
    replicas: replicas.replicas,
    strategy: rollout.strategy,
    minReady: rollout.minReady,
    progressDeadline: rollout.progressDeadline,
  }), core, { revisionHistoryLimit: rollout.revisionHistoryLimit });
}

/** Reports startup probes allowed to take longer than the rollout's progress deadline (SW-ROLLOUT-004). */
export function checkStartupBudget(core: PodCore, plan: DeploymentPlan, collector: FindingCollector): void {
  const deadline = plan.rollout.progressDeadline.toSeconds();
  for (const c of core.containers) {
    const slow = startupBudgetProblem(c.probes.startupProbe, deadline);
    if (slow) collector.report(Rules.STARTUP_BUDGET, 'rollout.progressDeadline', `${deadline}s`, `${slow} of container "${c.name}"`);
  }
}
