import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { DisruptionBudget } from '../disruption/disruption-budget';
import { isolate, checkIsolation, IsolationProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/findings';
import { AutoscalingProps, resolveAutoscaling } from '../scaling/autoscaling';
import { HardenedDeployment } from './hardened-deployment';
import { resolveRollout, RolloutProps } from './rollout';

/** Props of a `WebService`. */
export interface WebServiceProps extends PodProps, IsolationProps {
  /**
   * Desired replicas. At least 2, so the service stays up while a node drains. Not allowed
   * together with `autoscaling` (rule SW-HPA-004).
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
  /**
   * Port of the Service for the main port (its targetPort is `port`).
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Type of the Service.
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;
}

/**
 * A stateless HTTP service, production-grade by default: a Deployment of Guaranteed, probed,
 * gracefully stopping, PSS-restricted Pods spread over nodes and zones, with its Service,
 * PodDisruptionBudget, NetworkPolicy, ServiceAccount and, optionally, HorizontalPodAutoscaler.
 * Every selector is derived from the stable `name` + `instance` labels.
 *
 * Objects are named after `name` (`api`, `api-pdb`, `api-netpol`), never after the construct
 * path, so moving the construct in the tree changes no byte of the output.
 */
export class WebService extends Construct {
  /** The Deployment (escape hatch: the cdk8s-plus API). */
  public readonly deployment: kplus.Deployment;
  /** The Service in front of the Pods. */
  public readonly service: kplus.Service;
  /** The ServiceAccount the Pods run as (token not mounted). */
  public readonly serviceAccount: kplus.ServiceAccount;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** The NetworkPolicy isolating the Pods. */
  public readonly networkPolicy: kplus.NetworkPolicy;
  /** The autoscaler, when `autoscaling` is set. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** Labels on every object. */
  public readonly labels: Record<string, string>;
  /** The labels every selector (Deployment, Service, PDB, NetworkPolicy, spread) uses. */
  public readonly selectorLabels: Record<string, string>;
  /** Fewest replicas that will run: `replicas`, or the autoscaler's minimum. */
  public readonly minReplicas: number;
  /** terminationGracePeriodSeconds of the Pods. */
  public readonly terminationGracePeriodSeconds: number;
  /** The Pod core (resolved Pod settings). */
  public readonly pod: PodCore;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    if (props === null || typeof props !== 'object') {
      collector.report(Rules.PROPS_INVALID, 'props', props, 'must be an object with at least name, image, port, size and readiness');
      collector.commit();
    }
    const pod = new PodCore(props, collector);
    const rollout = resolveRollout(props.rollout, collector);
    const autoscaling = props.autoscaling == null ? undefined : resolveAutoscaling(props.autoscaling, collector);
    if (autoscaling !== undefined && props.replicas !== undefined) {
      collector.report(Rules.HPA_WITH_REPLICAS, 'replicas', props.replicas, 'is set while autoscaling manages the replica count');
    }
    const replicas = props.replicas ?? 2;
    if (!Number.isInteger(replicas) || replicas < 1) {
      collector.report(Rules.REPLICAS_INVALID, 'replicas', replicas, 'must be a whole number of at least 1');
    }
    this.minReplicas = autoscaling?.minReplicas ?? replicas;
    const budget = props.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
    if (!(budget instanceof DisruptionBudget)) {
      collector.report(Rules.PDB_ZERO_DISRUPTIONS, 'disruptionBudget', budget, 'must be created with DisruptionBudget.maxUnavailable() or .minAvailable()');
    } else if (Number.isInteger(this.minReplicas) && this.minReplicas >= 1) {
      if (this.minReplicas === 1) {
        collector.report(Rules.PDB_SINGLE_REPLICA, 'replicas', 1, 'a single replica cannot be both available and drainable');
      }
      budget._check(this.minReplicas, collector);
    }
    checkIsolation(props, pod.ports, collector);
    const servicePort = props.servicePort ?? 80;
    if (!Number.isInteger(servicePort) || servicePort < 1 || servicePort > 65535) {
      collector.report(Rules.PORT_INVALID, 'servicePort', servicePort, 'must be between 1 and 65535');
    }
    collector.commit();

    this.pod = pod;
    this.labels = pod.identity.labels;
    this.selectorLabels = pod.identity.selector;
    this.terminationGracePeriodSeconds = pod.shutdown.gracePeriodSeconds;
    const metadata = (suffix = '') => ({ name: `${pod.name}${suffix}`, labels: { ...this.labels }, annotations: { ...pod.identity.annotations } });

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: metadata(), automountToken: false });
    this.deployment = new HardenedDeployment(this, 'Deployment', {
      ...pod.workloadProps(this),
      metadata: metadata(),
      core: pod,
      serviceAccount: this.serviceAccount,
      replicas: autoscaling ? undefined : replicas,
      strategy: rollout.strategy,
      minReady: rollout.minReady,
      progressDeadline: rollout.progressDeadline,
      revisionHistoryLimit: rollout.revisionHistoryLimit,
    });
    this.service = new kplus.Service(this, 'Service', {
      metadata: metadata(),
      type: props.serviceType ?? kplus.ServiceType.CLUSTER_IP,
      ports: pod.ports.filter(p => p.expose).map((p, i) => ({
        name: p.name,
        port: i === 0 ? servicePort : p.number,
        targetPort: p.number,
        protocol: p.protocol,
      })),
    });
    for (const [key, value] of Object.entries(this.selectorLabels)) this.service.selectLabel(key, value);
    this.podDisruptionBudget = new k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: metadata('-pdb'),
      spec: {
        selector: { matchLabels: { ...this.selectorLabels } },
        ...budget._toKube(),
        // Lets drains evict Pods that are not ready anyway, instead of blocking on them.
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
    this.networkPolicy = isolate(this, metadata('-netpol'), this.selectorLabels, pod.ports, props);
    if (autoscaling) {
      this.autoscaler = new kplus.HorizontalPodAutoscaler(this, 'Autoscaler', {
        metadata: metadata(),
        target: this.deployment,
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics: autoscaling.metrics,
        scaleUp: props.autoscaling?.scaleUp,
        scaleDown: props.autoscaling?.scaleDown,
      });
    }
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
