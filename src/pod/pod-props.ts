import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Env } from './env';
import { IdentityProps } from './labels';
import { ExtraPort } from './ports';
import { Probe } from './probe';
import { BurstLimits, PodSize } from './resources';
import { SecurityProps } from './security';
import { ShutdownProps } from './shutdown';
import { SpreadProps } from './spread';

/**
 * What every seaworthy workload says about its Pods. The Pod core turns these into a hardened
 * Pod template: Guaranteed QoS, probes, graceful shutdown, PSS "restricted", spread.
 */
export interface PodProps extends IdentityProps {
  /**
   * Name of the workload and of every object it creates (`<name>`, `<name>-pdb`, …); also the
   * `app.kubernetes.io/name` label. A DNS-1035 label of at most 63 characters (rule SW-NAME-001).
   */
  readonly name: string;
  /**
   * Container image, pinned to a version tag or a digest (rule SW-IMAGE-001).
   */
  readonly image: string;
  /**
   * When the kubelet pulls the image.
   * @default - `IfNotPresent` for digest-pinned images (immutable, so a cached copy is exact);
   * `Always` for tag-pinned images (tags can be re-pushed; the kubelet only compares the digest,
   * and each pull re-checks the imagePullSecrets, as kube-score's container-image-pull-policy expects)
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /**
   * Container size: cpu, memory and ephemeral storage; each sets request = limit (Guaranteed QoS).
   */
  readonly size: PodSize;
  /**
   * Limits above `size`: an explicit opt-out of Guaranteed QoS into Burstable.
   * @default - none: Guaranteed QoS
   */
  readonly burst?: BurstLimits;
  /**
   * The main container port, declared as "http".
   */
  readonly port: number;
  /**
   * Further ports the container listens on (e.g. metrics).
   * @default - none
   */
  readonly extraPorts?: ExtraPort[];
  /**
   * Readiness probe: whether the Pod may receive traffic. Required (rule SW-PROBE-001).
   */
  readonly readiness: Probe;
  /**
   * Liveness probe: whether the process must be restarted. Must not check the same thing as
   * readiness (rule SW-PROBE-002).
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Startup probe: holds off liveness until the app has started once; size
   * failureThreshold x period for the worst start time.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Entrypoint override, in exec form. A shell wrapper is reported (rule SW-SHUTDOWN-002).
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments to the entrypoint.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Environment variables by name (rule SW-ENV-001 checks the names).
   * @default - none
   */
  readonly env?: Record<string, Env>;
  /**
   * Graceful shutdown: preStop delay, drain time, grace period.
   * @default - 5s preStop sleep, 15s drain, 25s grace period
   */
  readonly shutdown?: ShutdownProps;
  /**
   * Identity and privileges.
   * @default - UID/GID 10001, PSS "restricted"
   */
  readonly security?: SecurityProps;
  /**
   * Size limit of the writable emptyDir mounted at /tmp (the root filesystem is read-only).
   * Counts against `size.ephemeralStorage`.
   * @default Size.mebibytes(64)
   */
  readonly tmpSize?: Size;
  /**
   * How replicas are spread over nodes and zones.
   * @default - preferred spread over hostname and zone, max skew 1, plus preferred anti-affinity on hostname
   */
  readonly spread?: SpreadProps;
}
