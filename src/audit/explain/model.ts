// What `explain()` says about a workload, as data: the text fields and the facts behind them.
import { QosClass } from '../../pod/resources';
import { RolloutPeak } from '../../tenancy/rollout-peak';
import { TrafficShare } from '../checks/tracks';
import { AuditFinding } from '../engine';

/** Pods and what they request together (cpu in cores, memory in bytes). */
export interface ResourceFacts {
  readonly pods: number;
  readonly cpu: number;
  readonly memory: number;
}

/** One ResourceQuota key against the rollout peaks (numbers in cores, bytes or Pods). */
export interface QuotaFacts {
  /** "ResourceQuota/namespace/name". */
  readonly quota: string;
  /** e.g. "requests.cpu". */
  readonly key: string;
  readonly hard: number;
  /** This workload's rollout peak (old Pods still terminating included). */
  readonly workload: number;
  /** Every workload of the namespace at its rollout peak at once. */
  readonly namespace: number;
  /**
   * The namespace's peak if every old Pod were gone before the next step: above `hard` the
   * rollout is refused (SW-NS-002), between it and `namespace` only slowed (SW-NS-005).
   */
  readonly namespaceWithoutOverlap: number;
}

/** Who a workload talks to, or who talks to it, on which ports. */
export interface Flow {
  /** The other side: "Deployment/ns/name", "namespace x", "ipBlock 10.0.0.0/8", "anyone". */
  readonly peer: string;
  /** Ports, e.g. "8080/TCP"; empty means all ports. */
  readonly ports: readonly string[];
}

/** One workload, explained. */
export interface WorkloadExplanation {
  readonly ref: string;
  /** The Kubernetes minor the workload was judged for, e.g. "Kubernetes 1.35 (upstream support until 2027-02-28)". */
  readonly target: string;
  readonly qos: QosClass;
  readonly qosReason: string;
  readonly rollout: string;
  readonly disruption: string;
  readonly shutdown: string;
  /**
   * Extended resources and huge pages one Pod holds (request = limit, outside the QoS class),
   * e.g. "1 nvidia.com/gpu"; undefined when none.
   */
  readonly devices?: string;
  readonly ingress: readonly Flow[] | 'anyone';
  readonly egress: readonly Flow[] | 'anywhere';
  /**
   * How a Service fronting this and other controllers' Pods (release tracks) splits traffic,
   * e.g. "Service/shop/api: 90% here (9 of 10 Pods; Deployment/shop/api-canary 1)"; undefined
   * when no Service fronts more than this workload.
   */
  readonly traffic?: string;
  readonly failed: readonly AuditFinding[];
  readonly waived: readonly AuditFinding[];
  readonly passed: number;
  /** The same facts as data, for pictures (`explainReport()`) and tools. */
  readonly facts: WorkloadFacts;
}

/** A workload's facts as data: what the text fields say, in numbers. */
export interface WorkloadFacts {
  readonly kind: string;
  /** "" when the object has no namespace. */
  readonly namespace: string;
  readonly name: string;
  /** The group (directory) it was read from, as `AuditInput.group`; "" for one group. */
  readonly group: string;
  /** File and 1-based line the workload was read from, when it came from a file. */
  readonly file?: string;
  readonly line?: number;
  /** Replicas asked for (Deployments, StatefulSets); undefined for DaemonSets, Jobs and Pods. */
  readonly replicas?: number;
  /** A CronJob's schedule. */
  readonly schedule?: string;
  /** The HorizontalPodAutoscaler scaling it, if any. */
  readonly autoscaler?: AutoscalerFacts;
  /** A Deployment's rolling update; undefined for other kinds. */
  readonly rollout?: RolloutFacts;
  /**
   * Most Pods counted at once during a rollout (the quota's view: old Pods still terminating
   * included), and what they request.
   */
  readonly peak?: ResourceFacts;
  /** The same if every old Pod were gone before the next step (replicas + maxSurge). */
  readonly peakWithoutOverlap?: ResourceFacts;
  /** The rollout peak of a Deployment or StatefulSet, with the timeline that derives it. */
  readonly rolloutPeak?: RolloutPeak;
  /** The ResourceQuotas of the namespace, with the workload's and the whole namespace's rollout peak. */
  readonly quotas: readonly QuotaFacts[];
  /** What one Pod requests (cpu in cores, memory in bytes), as the scheduler counts it. */
  readonly podRequests: { readonly cpu: number; readonly memory: number };
  /** Extended resources (counts) and huge pages (bytes) one Pod requests, by resource name. */
  readonly podDevices: Readonly<Record<string, number>>;
  readonly shutdown: ShutdownTimeline;
  readonly probes: readonly ProbeFacts[];
  /** "Kind/namespace/name" of the PodDisruptionBudgets selecting the Pods. */
  readonly disruptionBudgets: readonly string[];
  /** The Services that split traffic between this and other controllers' Pods, with the shares. */
  readonly trafficShares: readonly TrafficShare[];
}

/** A HorizontalPodAutoscaler's range. */
export interface AutoscalerFacts {
  readonly ref: string;
  readonly min: number;
  readonly max: number;
}

/** A Deployment's rollout, with surge and unavailability resolved to Pods. */
export interface RolloutFacts {
  /** "RollingUpdate" or "Recreate". */
  readonly strategy: string;
  /** Replicas the rollout works on (the HPA's maximum when autoscaled). */
  readonly desired: number;
  readonly maxSurge: number;
  readonly maxUnavailable: number;
}

/** What happens to a Pod's containers when it is deleted, in seconds from the deletion. */
export interface ShutdownTimeline {
  /** terminationGracePeriodSeconds: SIGKILL to whatever still runs. */
  readonly gracePeriodSeconds: number;
  /** App containers first, then native sidecars (which stop only after the app containers exit). */
  readonly lanes: readonly ShutdownLane[];
}

/** One container's shutdown. */
export interface ShutdownLane {
  readonly container: string;
  /** "app", or "sidecar" for a native sidecar (an init container with restartPolicy Always, on a target that has them). */
  readonly role: 'app' | 'sidecar';
  /** The preStop hook: "sleep", "exec", "httpGet" or "tcpSocket"; undefined without one. */
  readonly preStop?: string;
  /** How long the preStop takes when known (a sleep), in seconds. */
  readonly preStopSeconds?: number;
  /**
   * When SIGTERM reaches the container: the end of its preStop for app containers; for native
   * sidecars, undefined (after the app containers exit, and after their own preStop).
   */
  readonly sigtermAt?: number;
}

/** One probe of one container. */
export interface ProbeFacts {
  readonly container: string;
  readonly type: 'startup' | 'readiness' | 'liveness';
  /** e.g. "GET /ready on http", "exec pg_isready", "TCP 5432", "gRPC 9090". */
  readonly check: string;
  readonly periodSeconds: number;
  readonly failureThreshold: number;
  readonly initialDelaySeconds: number;
  readonly timeoutSeconds: number;
}
