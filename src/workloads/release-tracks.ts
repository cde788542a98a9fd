import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { checkDisruption, createDisruptionBudget, DisruptionBudget } from './disruption-budget';
import { Env } from '../pod/env';
import { TRACK_LABEL } from '../pod/labels';
import { PodCore, PodCoreOptions } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { dns1035LabelProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { createDeployment, DeploymentPlan } from './deployment-options';
import { HardenedDeployment } from './hardened';
import { resolveReplicas } from './replicas';
import { ObjectMetadata } from './workload';

/** The track of the workload's own Deployment once it has release tracks. */
export const STABLE_TRACK = 'stable';

/**
 * A release track next to a `WebService`'s own (stable) Deployment, behind the same Service:
 * see `WebService.addCanary()`.
 */
export interface CanaryProps {
  /** Image the track runs, pinned to a version tag or a digest (rule SW-IMAGE-001). */
  readonly image: string;
  /**
   * Replicas of the track. The Service spreads connections evenly over the ready Pods of every
   * track, so the track's share of traffic is `replicas / (stable replicas + replicas)`: 1 next
   * to 9 stable replicas is 10%. One replica is allowed here: the stable track keeps the Service
   * available while the canary's node is drained.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Name of the track: the `seaworthy.dev/track` label value and the suffix of the Deployment's
   * name (`<name>-<track>`). A DNS-1035 label other than "stable" (rule SW-TRACK-003).
   * @default "canary"
   */
  readonly track?: string;
  /**
   * `app.kubernetes.io/version` of the track's Pods.
   * @default - the image tag (or the first 12 digits of its digest)
   */
  readonly version?: string;
  /**
   * Environment variables of the main container, on top of (and overriding) the workload's own.
   * @default - the workload's
   */
  readonly env?: Record<string, Env>;
  /**
   * Arguments to the entrypoint, instead of the workload's.
   * @default - the workload's
   */
  readonly args?: string[];
  /**
   * The track's own PodDisruptionBudget, created when it runs at least two replicas (one replica
   * is covered by the stable track's availability). Must allow at least one disruption (rule
   * SW-PDB-001).
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
}

/** What `WebService.addCanary()` needs of its workload. @internal */
export interface TrackSource {
  readonly scope: Construct;
  readonly props: PodProps;
  readonly coreOptions: PodCoreOptions;
  readonly plan: DeploymentPlan;
  readonly tracks: readonly string[];
  readonly tokenMounted: boolean;
  /**
   * The controllers already mounting the workload's volumes (the stable Deployment, then every
   * track), with the most Pods each runs at once: a track's Pods share the claims with them.
   */
  readonly mounters: readonly { readonly name: string; readonly maxPods: number }[];
}

/**
 * A canary (or any other release track) of a `WebService`: a Deployment named
 * `<name>-<track>` whose Pods share the workload's `name` + `instance` labels (so its Service,
 * NetworkPolicy and ServiceAccount serve them too) and carry `seaworthy.dev/track: <track>`,
 * which its selector includes, so the two Deployments never select each other's Pods.
 */
export class Canary extends Construct {
  /** The track name (`seaworthy.dev/track`). */
  public readonly track: string;
  /** Replicas of the track. */
  public readonly replicas: number;
  /** The resolved Pod settings of the track. */
  public readonly pod: PodCore;
  /** The track's Deployment. */
  public readonly deployment: kplus.Deployment;
  /** The track's PodDisruptionBudget, when it runs at least two replicas. */
  public readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  private readonly peak: number;

  /** @internal */
  constructor(scope: Construct, id: string, track: string, pod: PodCore, plan: DeploymentPlan, metadata: ObjectMetadata, serviceAccount: kplus.IServiceAccount) {
    super(scope, id);
    this.track = track;
    this.pod = pod;
    this.replicas = plan.replicas.minReplicas;
    this.peak = this.replicas + plan.rollout.surgePods(this.replicas);
    this.deployment = createDeployment(this, pod, plan, metadata, serviceAccount);
    if (this.replicas >= 2) {
      this.podDisruptionBudget = createDisruptionBudget(this, { ...metadata, name: `${metadata.name}-pdb` }, pod.identity.selector, plan.budget);
    }
  }

  /** The QoS class the kubelet will give the track's Pods. */
  public get qosClass(): QosClass {
    return qosClassOf((this.deployment as HardenedDeployment)._toKube().template.spec!);
  }

  /** replicas + maxSurge. */
  public get peakPods(): number {
    return this.peak;
  }
}

/**
 * Validates a track and builds its Pod core; throws every error found before any object of the
 * track is created. @internal
 */
export function resolveTrack(source: TrackSource, props: CanaryProps): { track: string; core: PodCore; plan: DeploymentPlan } {
  const collector = new FindingCollector(source.scope, source.props.profile);
  if (props === null || typeof props !== 'object' || Array.isArray(props)) {
    collector.report(Rules.PROPS_INVALID, 'canary', props, 'must be an object with at least an image');
    collector.commit();
  }
  checkUnknownProps(collector, 'CanaryProps', props);
  const track = props.track ?? 'canary';
  const nameProblem = dns1035LabelProblem(track);
  if (nameProblem) collector.report(Rules.TRACK_INVALID, 'track', track, nameProblem);
  else if (track === STABLE_TRACK) collector.report(Rules.TRACK_INVALID, 'track', track, 'is the workload\'s own track');
  else if (source.tracks.includes(track)) collector.report(Rules.TRACK_INVALID, 'track', track, 'is already a track of this workload');
  else if (`${source.props.name}-${track}`.length > 63) collector.report(Rules.TRACK_INVALID, 'track', track, `makes the Deployment name "${source.props.name}-${track}" longer than 63 characters`);
  if (props.env !== undefined && (props.env === null || typeof props.env !== 'object' || Array.isArray(props.env))) {
    collector.report(Rules.PROPS_INVALID, 'env', props.env, 'must be an object of variable names to Env values');
  }
  const replicas = resolveReplicas(props.replicas, undefined, collector, 1);
  const budget = props.disruptionBudget ?? DisruptionBudget.maxUnavailable(1);
  if (replicas.minReplicas >= 2) checkDisruption(budget, replicas.minReplicas, collector);
  else if (props.disruptionBudget !== undefined) collector.report(Rules.TRACK_INVALID, 'disruptionBudget', 'set', 'a single-replica track gets no budget of its own (the stable track keeps the Service available); remove it or run at least two replicas');
  const plan: DeploymentPlan = { rollout: source.plan.rollout, replicas, budget };
  const stableEnv = source.props.env && typeof source.props.env === 'object' ? source.props.env : {};
  const core = new PodCore({
    ...source.props,
    image: props.image,
    version: props.version,
    env: { ...stableEnv, ...(props.env && typeof props.env === 'object' ? props.env : {}) },
    args: props.args ?? source.props.args,
  }, collector, {
    ...source.coreOptions,
    // The track mounts the workload's claims next to the stable Deployment and the other tracks:
    // a ReadWriteOnce claim must fit the Pods of all of them (SW-VOL-004).
    maxPods: source.mounters.reduce((sum, m) => sum + m.maxPods, replicas.maxReplicas),
    volumeSharers: [...source.mounters.map(m => m.name), `Deployment/${source.props.name}-${track}`],
    track: nameProblem ? undefined : track,
    // The workload's VerticalPodAutoscaler targets its own Deployment only: a track keeps its size.
    resizePolicy: undefined,
  });
  collector.commit();
  if (source.tokenMounted) core.mountServiceAccountToken();
  return { track, core, plan };
}

/**
 * Puts the stable Deployment on its own track, once, when the first other track is added: its
 * Pods get `seaworthy.dev/track: stable` and its selector and PodDisruptionBudget select it. A
 * Deployment's selector is immutable, so on a Deployment already in the cluster this is a
 * one-time replacement (`seaworthy diff` reports it as SW-DIFF-001). @internal
 */
export function putOnStableTrack(deployment: kplus.Deployment, budget: k8s.KubePodDisruptionBudget): void {
  deployment.select(kplus.LabelSelector.of({ labels: { [TRACK_LABEL]: STABLE_TRACK } }));
  deployment.podMetadata.addLabel(TRACK_LABEL, STABLE_TRACK);
  ApiObject.of(budget).addJsonPatch(JsonPatch.add(`/spec/selector/matchLabels/${TRACK_LABEL.replace('/', '~1')}`, STABLE_TRACK));
}
