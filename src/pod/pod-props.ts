import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Profile } from '../rules/profile';
import { Waiver } from '../rules/waiver';
import { ServiceAccountRef } from '../security/service-account';
import { ContainerProps, TerminationMessagePolicy } from './container';
import { Env } from './env';
import { EnvFrom } from './env-from';
import { IdentityProps } from './labels';
import { PostStart } from './lifecycle';
import { PodOptions } from './pod-options';
import { ExtraPort } from './ports';
import { Probe } from './probe';
import { RuntimeOptions } from './runtime';
import { BurstLimits, PodSize } from './resources';
import { SchedulingProps } from './scheduling';
import { SecurityProps } from './security';
import { ShutdownProps } from './shutdown';
import { SpreadProps } from './spread';
import { VolumeMount } from './volumes';

/**
 * What every seaworthy workload says about its Pods. The Pod core turns these into a hardened
 * Pod template: Guaranteed QoS, probes, graceful shutdown, PSS "restricted", spread.
 * The top-level container fields describe the main container (named after the workload).
 */
export interface PodProps extends IdentityProps {
  /**
   * Name of the workload, of its main container and of every object it creates (`<name>`,
   * `<name>-pdb`, …); also the `app.kubernetes.io/name` label. A DNS-1035 label of at most 63
   * characters (rule SW-NAME-001).
   */
  readonly name: string;
  /** Container image, pinned to a version tag or a digest (rule SW-IMAGE-001). */
  readonly image: string;
  /**
   * When the kubelet pulls the image.
   * @default - `IfNotPresent` for digest-pinned images (immutable, so a cached copy is exact);
   * `Always` for tag-pinned images (tags can be re-pushed; the kubelet only compares the digest,
   * and each pull re-checks the imagePullSecrets, as kube-score's container-image-pull-policy expects),
   * and `Always` for every image when `podOptions.imagePullSecrets` is set, so a cached private
   * image is not usable by Pods without the secret (rule SW-IMAGE-005)
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /** Container size: cpu, memory and ephemeral storage; each sets request = limit (Guaranteed QoS). */
  readonly size: PodSize;
  /**
   * Limits above `size`: an explicit opt-out of Guaranteed QoS into Burstable.
   * @default - none: Guaranteed QoS
   */
  readonly burst?: BurstLimits;
  /**
   * The main container port, declared as "http". Required by serving workloads.
   * @default - no main port
   */
  readonly port?: number;
  /**
   * Name of the main port (an IANA service name), used by probes and Services.
   * @default "http"
   */
  readonly portName?: string;
  /**
   * Further ports the main container listens on. A port named "metrics" adds the Prometheus
   * scrape annotations (`prometheus.io/scrape`, `port`, `path`) to the Pods, unless the workload
   * is monitored (`monitoring`, `addMonitor()`): its ServiceMonitor or PodMonitor scrapes it instead.
   * @default - none
   */
  readonly extraPorts?: ExtraPort[];
  /**
   * HTTP path of the metrics endpoint, for the `prometheus.io/path` annotation and the default
   * `monitoring.path`.
   * @default "/metrics"
   */
  readonly metricsPath?: string;
  /**
   * Readiness probe: whether the Pod may receive traffic. Required by serving workloads (rule SW-PROBE-001).
   * @default - none where the workload allows it
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe: whether the process must be restarted. Must not check the same thing as
   * readiness (rule SW-PROBE-002).
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Startup probe: holds off liveness until the app has started once; size failureThreshold x
   * period for the worst start time.
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
   * Working directory of the main container.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * Environment variables by name (rule SW-ENV-001 checks the names). Every name the API server
   * accepts reaches the YAML as given, names of JavaScript object members such as `constructor`
   * or `__proto__` included (give those as own keys: `{ ['__proto__']: … }`).
   * @default - none
   */
  readonly env?: Record<string, Env>;
  /**
   * Every key of ConfigMaps, Secrets or AppConfigs as environment variables of the main
   * container, e.g. `[config.envFrom({ prefix: 'CONFIG_' })]`; `env` wins over these. An AppConfig
   * source rolls the Pods when its content changes (rules SW-ENV-007, SW-ENV-008).
   * @default - none
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables
   */
  readonly envFrom?: EnvFrom[];
  /**
   * Runtime settings derived from the main container's limits, as environment variables:
   * `{ goMaxProcs: true }` sets GOMAXPROCS from the CPU limit (Downward API, rounded up to a whole
   * number of cores, at least 1), `{ jvm: { maxRamPercentage: 75 } }` sets JAVA_TOOL_OPTIONS so
   * the JVM heap is sized from the memory limit. A variable also set in `env`, or loaded from an
   * AppConfig through `envFrom`, is an error (rule SW-ENV-009): nothing is overwritten silently.
   * @default - none
   */
  readonly runtime?: RuntimeOptions;
  /**
   * Volumes mounted into the main container. The built-in /tmp emptyDir is there unless a mount
   * at /tmp replaces it with a volume of your own, which must be writable (rule SW-VOL-005).
   * @default - only /tmp
   */
  readonly mounts?: VolumeMount[];
  /**
   * How the main container's termination message is gathered.
   * @default TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR
   */
  readonly terminationMessagePolicy?: TerminationMessagePolicy;
  /**
   * Containers running alongside the main one (log tailers, proxies). From Kubernetes 1.29
   * (`Feature.NATIVE_SIDECARS`, so at the default target) they render as native sidecars: init
   * containers with `restartPolicy: Always`, started before the app and stopped after it, so a
   * Job with a sidecar completes. On a 1.28 target they stay regular containers and rule
   * SW-SIDECAR-001 warns what that costs.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
   */
  readonly sidecars?: ContainerProps[];
  /**
   * Containers run to completion, in order, before the others start (e.g. wait for a database,
   * run a migration). Probes and lifecycle hooks on them are an error (rule SW-INIT-001).
   * @default - none
   */
  readonly initContainers?: ContainerProps[];
  /**
   * postStart hook of the main container: runs alongside the entrypoint (no ordering guarantee);
   * the container is not Running, and its probes do not start, until the hook returns.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
   */
  readonly postStart?: PostStart;
  /**
   * Graceful shutdown: preStop delay, drain time, grace period.
   * @default - 5s preStop sleep, 15s drain, 25s grace period (batch workloads: no preStop)
   */
  readonly shutdown?: ShutdownProps;
  /**
   * Identity and privileges.
   * @default - UID/GID 10001, PSS "restricted"
   */
  readonly security?: SecurityProps;
  /**
   * Size limit of the writable emptyDir mounted at /tmp in every container (the root
   * filesystem is read-only). Counts against ephemeral storage. A container mounting a volume
   * of its own at /tmp (e.g. a larger or memory-backed emptyDir) gets that instead.
   * @default Size.mebibytes(64)
   */
  readonly tmpSize?: Size;
  /**
   * How replicas are spread over nodes and zones (replicated workloads only).
   * @default - preferred spread over hostname and zone, max skew 1, plus preferred anti-affinity on hostname
   */
  readonly spread?: SpreadProps;
  /**
   * Where the Pods may run: node selector and affinity, pod (anti-)affinity, tolerations,
   * dedicated nodes, priority.
   * @default - anywhere
   */
  readonly scheduling?: SchedulingProps;
  /**
   * Less common Pod settings: host aliases, DNS, process namespace sharing, readiness gates,
   * image pull secrets.
   * @default - Kubernetes defaults
   */
  readonly podOptions?: PodOptions;
  /**
   * The ServiceAccount the Pods run as: an existing, ops-managed one
   * (`ServiceAccountRef.existing('ops-sa')`, whose imagePullSecrets then apply to the Pods) instead
   * of the workload's own. The token stays unmounted unless the workload is granted API access.
   * @default - the workload's own ServiceAccount, named like the workload, token not mounted
   */
  readonly serviceAccount?: ServiceAccountRef;
  /**
   * How strictly the rules apply to this workload.
   * @default - the profile set on an enclosing Chart or App with `Profiles.set()`, else production
   */
  readonly profile?: Profile;
  /**
   * Reasoned exceptions to rules, rendered as the `seaworthy.dev/waivers` annotation.
   * @default - none
   */
  readonly waivers?: Waiver[];
}
