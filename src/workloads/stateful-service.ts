import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { checkDisruption, createDisruptionBudget, DisruptionBudget } from './disruption-budget';
import { MonitorTarget } from '../monitoring/monitor';
import { MonitoredProps } from '../monitoring/monitoring';
import { IsolationProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { Probe } from '../pod/probe';
import { formatBytes, qosClassOf, QosClass } from '../pod/resources';
import { Toleration } from '../pod/scheduling';
import { AccessMode } from '../pod/volumes';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { durationSeconds } from '../validation/duration';
import { dns1123LabelProblem } from '../validation/names';
import { checkEnum } from '../validation/props';
import { replicaCountProblem } from './replicas';
import { HardenedStatefulSet } from './hardened';
import { checkExposure, ServiceExposure, ServiceExposureProps } from './service-exposure';

/** A PersistentVolumeClaim created per replica from a template, and where it is mounted. */
export interface VolumeClaimProps {
  /** Claim (and volume) name, a DNS-1123 label; each replica's claim is `<name>-<workload>-<ordinal>`. */
  readonly name: string;
  /** Absolute mount path in the main container. */
  readonly mountPath: string;
  /** Requested capacity. */
  readonly size: Size;
  /**
   * StorageClass to provision from.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Access mode.
   * @default AccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: AccessMode;
}

/** What happens to the replicas' claims when the StatefulSet is deleted or scaled down. */
export enum ClaimRetention {
  /** Keep the claims (and the data). */
  RETAIN = 'Retain',
  /** Delete the claims. */
  DELETE = 'Delete',
}

/** Props of a `StatefulService`; `servicePort` defaults to `port`. */
export interface StatefulServiceProps extends PodProps, IsolationProps, ServiceExposureProps, MonitoredProps {
  /** The main container port, declared as "http" (or the database port). */
  readonly port: number;
  /** Readiness probe (rule SW-PROBE-001). */
  readonly readiness: Probe;
  /**
   * Replicas: stable names `<name>-0`, `<name>-1`, … with one claim each.
   * @default 3
   */
  readonly replicas?: number;
  /**
   * Per-replica persistent volumes.
   * @default - none
   */
  readonly volumeClaims?: VolumeClaimProps[];
  /**
   * Start and stop replicas one at a time, in order (OrderedReady), or all at once (Parallel).
   * @default kplus.PodManagementPolicy.ORDERED_READY
   */
  readonly podManagementPolicy?: kplus.PodManagementPolicy;
  /**
   * Only replicas with an ordinal at or above this are updated (staged rollouts, canaries).
   * @default 0
   */
  readonly partition?: number;
  /**
   * Claims of deleted StatefulSets and of replicas removed by scale-down.
   * @default ClaimRetention.RETAIN for both: data outlives the workload
   */
  readonly claimRetention?: ClaimRetention;
  /**
   * Stay bound to a NotReady or unreachable node this long before being evicted (the Kubernetes
   * default is 300s): moving a replica re-attaches volumes and re-syncs data.
   * @default Duration.minutes(10)
   */
  readonly nodeFailureTolerance?: Duration;
  /**
   * Also create a ClusterIP Service `<name>` for clients (the headless `<name>-headless`
   * always exists, for the replicas' stable DNS names).
   * @default true
   */
  readonly clientService?: boolean;
  /**
   * The PodDisruptionBudget.
   * @default DisruptionBudget.maxUnavailable(1)
   */
  readonly disruptionBudget?: DisruptionBudget;
  /**
   * minReadySeconds.
   * @default Duration.seconds(10)
   */
  readonly minReady?: Duration;
}

/**
 * A stateful service (database, cache, broker): a StatefulSet with per-replica claims, a
 * headless Service for stable replica DNS names, an optional client Service, a
 * PodDisruptionBudget, spread, and a longer tolerance of node failures.
 */
export class StatefulService extends ServiceExposure {
  /** The StatefulSet. */
  public readonly statefulSet: kplus.StatefulSet;
  /** The headless Service (`<name>-headless`) giving each replica a stable DNS name. */
  public readonly headlessService: kplus.Service;
  /** The PodDisruptionBudget. */
  public readonly podDisruptionBudget: k8s.KubePodDisruptionBudget;
  /** Replicas. */
  public readonly replicas: number;
  private readonly clientService: boolean;

  constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    let claims: k8s.KubePersistentVolumeClaimProps[] = [];
    let mounts: k8s.VolumeMount[] = [];
    const replicas = props?.replicas ?? 3;
    super(scope, id, props, (collector: FindingCollector) => {
      const problem = replicaCountProblem(replicas);
      if (problem) collector.report(Rules.REPLICAS_INVALID, 'replicas', replicas, problem);
      checkDisruption(props.disruptionBudget ?? DisruptionBudget.maxUnavailable(1), replicas, collector);
      checkEnum(collector, 'podManagementPolicy', props.podManagementPolicy, kplus.PodManagementPolicy);
      checkEnum(collector, 'claimRetention', props.claimRetention, ClaimRetention);
      const partition = props.partition ?? 0;
      if (!Number.isInteger(partition) || partition < 0 || partition > replicas) {
        collector.report(Rules.STATEFUL_INVALID, 'partition', partition, `must be a whole number from 0 to replicas (${replicas})`);
      }
      ({ claims, mounts } = resolveClaims(props, collector));
      const tolerance = props.nodeFailureTolerance ?? Duration.minutes(10);
      if (durationSeconds(tolerance) === undefined) collector.report(Rules.SCHEDULING_INVALID, 'nodeFailureTolerance', tolerance, 'must be whole, non-negative seconds');
      const core = new PodCore(props, collector, {
        component: 'database',
        requirePort: true, requireReadiness: true, requireLiveness: false, gracefulStop: true, spread: true,
        // Each replica has its own claims; shared PodVolume claims would be mounted by every replica.
        maxPods: replicas, surges: false, restartPolicy: kplus.RestartPolicy.ALWAYS,
        extraTolerations: Toleration.nodeFailure(tolerance),
        extraMainMounts: mounts,
      });
      // After the core has accepted the waivers (SW-SVC-006 is waived for clusters with another node port range).
      checkExposure(props, collector);
      if (props.nodePort !== undefined && props.clientService === false) collector.report(Rules.SERVICE_INVALID, 'nodePort', props.nodePort, 'needs the client Service (clientService: false leaves only the headless Service, which has no node ports)');
      return core;
    });
    this.replicas = replicas;
    this.headlessService = this.expose(props, { headless: true, name: `${this.pod.name}-headless`, id: 'HeadlessService' });
    if (props.clientService ?? true) this.expose({ ...props, servicePort: props.servicePort ?? props.port });
    const retention = props.claimRetention ?? ClaimRetention.RETAIN;
    this.statefulSet = new HardenedStatefulSet(this, 'StatefulSet', {
      ...this.pod.workloadProps(this),
      metadata: this.metadata(),
      serviceAccount: this.serviceAccount,
      service: this.headlessService,
      replicas,
      podManagementPolicy: props.podManagementPolicy ?? kplus.PodManagementPolicy.ORDERED_READY,
      strategy: kplus.StatefulSetUpdateStrategy.rollingUpdate({ partition: props.partition ?? 0 }),
      minReady: props.minReady ?? Duration.seconds(10),
    }, this.pod, {
      volumeClaimTemplates: claims.length > 0 ? claims.map(c => ({ ...c, metadata: { ...c.metadata, labels: { ...this.selectorLabels } } })) : undefined,
      persistentVolumeClaimRetentionPolicy: claims.length > 0 ? { whenDeleted: retention, whenScaled: retention } : undefined,
      revisionHistoryLimit: 5,
    });
    this.podDisruptionBudget = createDisruptionBudget(this, this.metadata('-pdb'), this.selectorLabels, props.disruptionBudget ?? DisruptionBudget.maxUnavailable(1));
    this.clientService = props.clientService ?? true;
    if (props.monitoring !== undefined) this.addMonitor(props.monitoring);
  }

  /**
   * Scraped through the client Service when there is one (the headless Service selects the same
   * Pods, so the ServiceMonitor keeps only the client Service), else through the headless one.
   * @internal
   */
  protected override monitorTarget(): MonitorTarget {
    const service = this.clientService ? this.service : this.headlessService;
    return {
      alerts: { kind: 'StatefulSet', name: this.pod.name, budget: this.podDisruptionBudget.name },
      service: { name: service.name, portNames: service.ports.map(p => p.name ?? ''), only: this.clientService },
    };
  }

  /** The replicas (StatefulSets replace Pods one at a time, without surge). */
  public get peakPods(): number {
    return this.replicas;
  }

  /** The QoS class the kubelet will give the Pods. */
  public get qosClass(): QosClass {
    return qosClassOf((this.statefulSet as HardenedStatefulSet)._toKube().template.spec!);
  }
}

function resolveClaims(props: StatefulServiceProps, collector: FindingCollector): { claims: k8s.KubePersistentVolumeClaimProps[]; mounts: k8s.VolumeMount[] } {
  const claims: k8s.KubePersistentVolumeClaimProps[] = [];
  const mounts: k8s.VolumeMount[] = [];
  const names = new Set<string>();
  (props.volumeClaims ?? []).forEach((c, i) => {
    const field = `volumeClaims[${i}]`;
    const problem = dns1123LabelProblem(c?.name);
    if (problem) collector.report(Rules.STATEFUL_INVALID, `${field}.name`, c?.name, problem);
    if (names.has(c?.name)) collector.report(Rules.STATEFUL_INVALID, `${field}.name`, c.name, 'is already the name of another claim');
    names.add(c?.name);
    const size = formatBytes(c?.size);
    if (size === undefined) collector.report(Rules.STATEFUL_INVALID, `${field}.size`, c?.size, 'must be a positive whole number of bytes');
    if (typeof c?.mountPath !== 'string' || !c.mountPath.startsWith('/')) collector.report(Rules.STATEFUL_INVALID, `${field}.mountPath`, c?.mountPath, 'must be an absolute path');
    claims.push({
      metadata: { name: c?.name },
      spec: {
        accessModes: [c?.accessMode ?? AccessMode.READ_WRITE_ONCE],
        storageClassName: c?.storageClassName,
        resources: { requests: { storage: k8s.Quantity.fromString(size ?? '0') } },
      },
    });
    mounts.push({ name: c?.name, mountPath: c?.mountPath });
  });
  return { claims, mounts };
}
