import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { createDisruptionBudget } from '../disruption/disruption-budget';
import { IsolationProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { Probe } from '../pod/probe';
import { qosClassOf, QosClass } from '../pod/resources';
import { FindingCollector } from '../rules/findings';
import { checkStartupBudget, createDeployment, DeploymentOptions, DeploymentPlan, resolveDeployment } from './deployment-options';
import { HardenedDeployment } from './hardened';
import { checkExposure, ServiceExposure, ServiceExposureProps } from './service-exposure';

/** Props of a `WebService`. */
export interface WebServiceProps extends PodProps, IsolationProps, ServiceExposureProps, DeploymentOptions {
  /** The main container port, declared as "http" and exposed by the Service. */
  readonly port: number;
  /** Readiness probe: whether the Pod may receive traffic (rule SW-PROBE-001). */
  readonly readiness: Probe;
}

/**
 * A stateless HTTP service, production-grade by default: a Deployment of Guaranteed, probed,
 * gracefully stopping, PSS-restricted Pods spread over nodes and zones, with its Service,
 * PodDisruptionBudget, NetworkPolicy, ServiceAccount and, optionally, HorizontalPodAutoscaler
 * and Ingress. Every selector is derived from the stable `name` + `instance` labels.
 *
 * Objects are named after `name` (`api`, `api-pdb`, `api-netpol`), never after the construct
 * path, so moving the construct in the tree changes no byte of the output.
 */
export class WebService extends ServiceExposure {
  /** The Deployment (escape hatch: the cdk8s-plus API). */
  public readonly deployment: kplus.Deployment;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The autoscaler, when `autoscaling` is set. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** Fewest replicas that will run: `replicas`, or the autoscaler's minimum. */
  public readonly minReplicas: number;

  private readonly peak: number;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    let plan!: DeploymentPlan;
    super(scope, id, props, (collector: FindingCollector) => {
      plan = resolveDeployment(props, collector);
      checkExposure(props, collector);
      const core = new PodCore(props, collector, {
        component: 'server',
        requirePort: true, requireReadiness: true, requireLiveness: false, gracefulStop: true, spread: true,
        maxPods: plan.replicas.maxReplicas, surges: plan.rollout.surges, restartPolicy: kplus.RestartPolicy.ALWAYS,
      });
      checkStartupBudget(core, plan, collector);
      return core;
    });
    this.minReplicas = plan.replicas.minReplicas;
    this.peak = plan.replicas.maxReplicas + plan.rollout.surgePods(plan.replicas.maxReplicas);
    this.deployment = createDeployment(this, this.pod, plan, this.metadata(), this.serviceAccount);
    this.expose(props);
    this.podDisruptionBudget = createDisruptionBudget(this, this.metadata('-pdb'), this.selectorLabels, plan.budget);
    this.autoscaler = plan.replicas.createAutoscaler(this, this.metadata(), this.deployment);
  }

  /** (replicas, or the autoscaler's maximum) + maxSurge. */
  public get peakPods(): number {
    return this.peak;
  }

  /** The QoS class the kubelet will give the Pods, computed from the rendered template (init containers and later-added containers included). */
  public get qosClass(): QosClass {
    return qosClassOf(this.podTemplate().spec!);
  }

  /** The Pod template as it will be synthesized. */
  public podTemplate(): k8s.PodTemplateSpec {
    return (this.deployment as HardenedDeployment)._toKube().template;
  }
}
