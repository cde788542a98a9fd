import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import * as vpa from '../../imports/vpa';
import { createDisruptionBudget } from './disruption-budget';
import { MonitorTarget } from '../monitoring/monitor';
import { MonitoredProps } from '../monitoring/monitoring';
import { IsolationProps } from '../network/isolation';
import { PodCore, PodCoreOptions } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { Probe } from '../pod/probe';
import { qosClassOf, QosClass } from '../pod/resources';
import { TRACK_LABEL } from '../pod/labels';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { createVerticalAutoscaler } from '../scaling/vertical';
import { carriedMap } from '../synth/own-keys';
import { checkStartupBudget, checkVerticalScaling, createDeployment, DeploymentOptions, DeploymentPlan, resolveDeployment, verticalAutoscalerOf } from './deployment-options';
import { HardenedDeployment } from './hardened';
import { Canary, CanaryProps, putOnStableTrack, resolveTrack, STABLE_TRACK } from './release-tracks';
import { checkExposure, ServiceExposure, ServiceExposureProps } from './service-exposure';
import { merged } from '../util/merge';

/** Props of a `WebService`. */
export interface WebServiceProps extends PodProps, IsolationProps, ServiceExposureProps, DeploymentOptions, MonitoredProps {
  /** The main container port, declared as "http" and exposed by the Service. */
  readonly port: number;
  /** Readiness probe: whether the Pod may receive traffic (rule SW-PROBE-001). */
  readonly readiness: Probe;
  /**
   * Prepares the workload for release tracks (`addCanary()`, `addTrack()`, `routeTo()`): its
   * Pods, Deployment selector and PodDisruptionBudget carry `seaworthy.dev/track: stable` from the
   * first deployment on, so tracks can come and go without touching the stable Deployment. A
   * Deployment's selector is immutable: turning this on for a Deployment already in the cluster
   * replaces it once (`seaworthy diff` reports SW-DIFF-001), which is why it is a prop of its own
   * and tracks are refused without it.
   * @default false - no track label; `addCanary()` is refused (rule SW-TRACK-003)
   */
  readonly releaseTracks?: boolean;
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
  /** The horizontal autoscaler, when `autoscaling` scales horizontally. */
  public readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  /** The VerticalPodAutoscaler, when `autoscaling.vertical` is set. */
  public readonly verticalAutoscaler?: vpa.VerticalPodAutoscaler;
  /** Fewest replicas that will run: `replicas`, or the autoscaler's minimum. */
  public readonly minReplicas: number;

  /** The release tracks added with `addCanary()`, in order. */
  public readonly canaries: Canary[] = [];

  private readonly peak: number;
  private readonly props: WebServiceProps;
  private readonly coreOptions: PodCoreOptions;
  private readonly plan: DeploymentPlan;
  private routedTrack?: string;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    let plan!: DeploymentPlan;
    let coreOptions!: PodCoreOptions;
    super(scope, id, props, (collector: FindingCollector) => {
      plan = resolveDeployment(props, collector);
      if (props.releaseTracks !== undefined && typeof props.releaseTracks !== 'boolean') collector.report(Rules.PROPS_INVALID, 'releaseTracks', props.releaseTracks, 'must be true or false');
      coreOptions = {
        component: 'server',
        requirePort: true, requireReadiness: true, requireLiveness: false, gracefulStop: true, spread: true,
        maxPods: plan.replicas.maxReplicas, surges: plan.rollout.surges, restartPolicy: kplus.RestartPolicy.ALWAYS,
        resizePolicy: plan.vertical?.resizePolicy,
      };
      const core = new PodCore(props, collector, coreOptions);
      // After the core has accepted the waivers (SW-SVC-006 is waived for clusters with another node port range).
      checkExposure(props, collector);
      checkStartupBudget(core, plan, collector);
      checkVerticalScaling(core, plan, collector);
      return core;
    });
    this.props = props;
    this.coreOptions = coreOptions;
    this.plan = plan;
    this.minReplicas = plan.replicas.minReplicas;
    this.peak = plan.replicas.maxReplicas + plan.rollout.surgePods(plan.replicas.maxReplicas);
    this.deployment = createDeployment(this, this.pod, plan, this.metadata(), this.serviceAccount);
    this.expose(props);
    this.podDisruptionBudget = createDisruptionBudget(this, this.metadata('-pdb'), this.selectorLabels, plan.budget);
    this.autoscaler = plan.replicas.createAutoscaler(this, this.metadata(), this.deployment);
    const vertical = verticalAutoscalerOf(this.pod, plan, this.metadata());
    this.verticalAutoscaler = vertical ? createVerticalAutoscaler(this, vertical) : undefined;
    if (props.releaseTracks === true) putOnStableTrack(this.deployment, this.podDisruptionBudget);
    if (props.monitoring !== undefined) this.addMonitor(props.monitoring);
  }

  /**
   * Adds a release track (a canary) behind this workload's Service: a Deployment
   * `<name>-<track>` running `image` with `replicas` Pods (default 1) that share the `name` +
   * `instance` labels the Service and the NetworkPolicy select, and the ServiceAccount. The
   * Service spreads traffic over the ready Pods of both tracks, so the split follows the replica
   * counts (9 stable + 1 canary = 10%); `seaworthy explain` shows it.
   *
   * Each Deployment selects its own track (`seaworthy.dev/track`): the workload needs
   * `releaseTracks: true`, which puts its own Deployment on track "stable" (its Pods, selector and
   * PodDisruptionBudget) from the first deployment on, so the Deployments and the budgets never
   * select each other's Pods (rules SW-TRACK-001, SW-TRACK-002) and adding or removing a track
   * never changes the stable Deployment's immutable selector. Promote a canary by setting the
   * workload's `image`, then remove the canary.
   *
   * A track mounts the workload's volumes: a ReadWriteOnce (or ReadWriteOncePod) claim would be
   * shared by the Pods of every track, on any node, so adding a track to a workload mounting one
   * fails with SW-VOL-004; use a ReadWriteMany claim, or no track.
   *
   * @example
   * const web = new WebService(chart, 'api', { ...props, replicas: 9, releaseTracks: true });
   * web.addCanary({ image: 'ghcr.io/acme/api:1.5.0' }); // 10% of the traffic
   */
  public addCanary(props: CanaryProps): Canary {
    return this.addTrack(props);
  }

  /**
   * Adds a release track, as `addCanary()` does (whose defaults it shares: track "canary", one
   * replica). For blue/green, add the new version at full size and switch the Service with
   * `routeTo()`:
   *
   * @example
   * const web = new WebService(chart, 'api', { ...props, replicas: 3, releaseTracks: true }); // "blue": track "stable"
   * web.addTrack({ track: 'green', image: 'ghcr.io/acme/api:2.0.0', replicas: 3 });
   * web.routeTo('green'); // the Service now selects only the green Pods
   */
  public addTrack(props: CanaryProps): Canary {
    if (this.props.releaseTracks !== true) {
      const collector = new FindingCollector(this, this.props.profile);
      collector.report(Rules.TRACK_INVALID, 'releaseTracks', this.props.releaseTracks ?? false, 'must be true for the workload to get release tracks: its Deployment selector has to carry the track label from the first deployment on (a selector is immutable; adding the label with the first canary would replace the running Deployment, and removing it with the last canary again)');
      collector.commit();
    }
    const { track, core, plan } = resolveTrack({
      scope: this, props: this.props, coreOptions: this.coreOptions, plan: this.plan,
      tracks: this.canaries.map(c => c.track), tokenMounted: this.pod.serviceAccountTokenMounted,
      mounters: [
        { name: `Deployment/${this.props.name}`, maxPods: this.plan.replicas.maxReplicas },
        ...this.canaries.map(c => ({ name: `Deployment/${this.props.name}-${c.track}`, maxPods: c.replicas })),
      ],
    }, props);
    const metadata = merged(this.metadata(`-${track}`), { labels: carriedMap(this, core.identity.labels) });
    const canary = new Canary(this, `Track-${track}`, track, core, plan, metadata, this.serviceAccount);
    this.canaries.push(canary);
    // A canary's Pods are scraped through the same Service by the same monitor.
    if (this.monitor) canary.pod.leaveScrapeToMonitor();
    return canary;
  }

  /**
   * Sends all of the Service's traffic to one track (blue/green): the Service selector gets
   * `seaworthy.dev/track: <track>`, as `kubectl set selector` would. A Service's selector may
   * change in place, so switching back and forth is one apply each; the other track keeps
   * running, ready to take the traffic back, until you remove it. `"stable"` is the workload's
   * own Deployment. An unknown track is refused (rule SW-TRACK-003).
   */
  public routeTo(track: string): void {
    const collector = new FindingCollector(this, this.props.profile);
    const known = [STABLE_TRACK, ...this.canaries.map(c => c.track)];
    if (this.canaries.length === 0) collector.report(Rules.TRACK_INVALID, 'routeTo', track, 'the workload has no release tracks yet (its Pods carry no track label); add one with addTrack() first');
    else if (typeof track !== 'string' || !known.includes(track)) collector.report(Rules.TRACK_INVALID, 'routeTo', track, `is not a track of this workload (${known.map(t => `"${t}"`).join(', ')}); add it with addTrack() first`);
    collector.commit();
    this.service.selectLabel(TRACK_LABEL, track);
    this.routedTrack = track;
  }

  /** The track `routeTo()` sends all traffic to; undefined while the Service selects every track. */
  public get routedTo(): string | undefined {
    return this.routedTrack;
  }

  /** @internal */
  protected override monitorTarget(): MonitorTarget {
    return {
      alerts: { kind: 'Deployment', name: this.pod.name, budget: this.podDisruptionBudget.name, progressDeadlineSeconds: this.plan.rollout.progressDeadline.toSeconds() },
      service: { name: this.service.name, portNames: this.service.ports.map(p => p.name ?? ''), only: false },
    };
  }

  /** @internal */
  protected override leaveScrapeToMonitor(): void {
    super.leaveScrapeToMonitor();
    for (const c of this.canaries) c.pod.leaveScrapeToMonitor();
  }

  /** The tracks' Pods get the token too (for `grant()` and `grantClusterWide()` alike). */
  protected override mountServiceAccountToken(): void {
    super.mountServiceAccountToken();
    for (const c of this.canaries) c.pod.mountServiceAccountToken();
  }

  /** (replicas, or the autoscaler's maximum) + maxSurge, plus the same for every release track. */
  public get peakPods(): number {
    return this.peak + this.canaries.reduce((sum, c) => sum + c.peakPods, 0);
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
