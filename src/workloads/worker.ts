import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import * as vpa from '../../imports/vpa';
import { createDisruptionBudget } from './disruption-budget';
import { MonitorTarget } from '../monitoring/monitor';
import { MonitoredProps } from '../monitoring/monitoring';
import { EgressProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { Probe } from '../pod/probe';
import { qosClassOf, QosClass } from '../pod/resources';
import { FindingCollector } from '../rules/collector';
import { checkStartupBudget, checkVerticalScaling, createDeployment, DeploymentOptions, DeploymentPlan, resolveDeployment, verticalAutoscalerOf } from './deployment-options';
import { createVerticalAutoscaler } from '../scaling/vertical';
import { HardenedDeployment } from './hardened';
import { Workload } from './workload';

/** Props of a `Worker`. */
export interface WorkerProps extends PodProps, EgressProps, DeploymentOptions, MonitoredProps {
  /**
   * Liveness probe: a consumer stuck in a dead loop is only noticed through it (rule
   * SW-PROBE-005). exec and tcp probes suit workers without an HTTP port.
   */
  readonly liveness: Probe;
}

/**
 * A queue consumer or other background process: a Deployment with no Service, whose Pods take
 * no inbound traffic (the NetworkPolicy denies all ingress) and reach only DNS and the declared
 * peers; with a PodDisruptionBudget and optional autoscaling (e.g. on queue length via
 * `autoscaling.metrics`). Shutdown gets no preStop delay (no endpoints to leave) but the same
 * computed grace period for draining in-flight messages.
 */
export class Worker extends Workload {
  /** The Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The horizontal autoscaler, when `autoscaling` scales horizontally. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** The VerticalPodAutoscaler, when `autoscaling.vertical` is set. */
  public readonly verticalAutoscaler?: vpa.VerticalPodAutoscaler;

  private readonly peak: number;
  private readonly progressDeadlineSeconds: number;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    let plan!: DeploymentPlan;
    super(scope, id, props, (collector: FindingCollector) => {
      plan = resolveDeployment(props, collector);
      const core = new PodCore(props, collector, {
        component: 'worker',
        requirePort: false, requireReadiness: false, requireLiveness: true, gracefulStop: false, spread: true,
        maxPods: plan.replicas.maxReplicas, surges: plan.rollout.surges, restartPolicy: kplus.RestartPolicy.ALWAYS,
        resizePolicy: plan.vertical?.resizePolicy,
      });
      checkStartupBudget(core, plan, collector);
      checkVerticalScaling(core, plan, collector);
      return core;
    });
    this.peak = plan.replicas.maxReplicas + plan.rollout.surgePods(plan.replicas.maxReplicas);
    this.deployment = createDeployment(this, this.pod, plan, this.metadata(), this.serviceAccount);
    this.podDisruptionBudget = createDisruptionBudget(this, this.metadata('-pdb'), this.selectorLabels, plan.budget);
    this.autoscaler = plan.replicas.createAutoscaler(this, this.metadata(), this.deployment);
    const vertical = verticalAutoscalerOf(this.pod, plan, this.metadata());
    this.verticalAutoscaler = vertical ? createVerticalAutoscaler(this, vertical) : undefined;
    this.progressDeadlineSeconds = plan.rollout.progressDeadline.toSeconds();
    if (props.monitoring !== undefined) this.addMonitor(props.monitoring);
  }

  /** @internal */
  protected override monitorTarget(): MonitorTarget {
    return { alerts: { kind: 'Deployment', name: this.pod.name, budget: this.podDisruptionBudget.name, progressDeadlineSeconds: this.progressDeadlineSeconds } };
  }

  /** (replicas, or the autoscaler's maximum) + maxSurge. */
  public get peakPods(): number {
    return this.peak;
  }

  /** The QoS class the kubelet will give the Pods. */
  public get qosClass(): QosClass {
    return qosClassOf((this.deployment as HardenedDeployment)._toKube().template.spec!);
  }
}
