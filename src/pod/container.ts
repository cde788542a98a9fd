import * as kplus from 'cdk8s-plus-28';
import { ContainerSecurity } from './container-security';
import { Env } from './env';
import { EnvFrom } from './env-from';
import { PostStart } from './lifecycle';
import { ExtraPort } from './ports';
import { Probe } from './probe';
import { RuntimeOptions } from './runtime';
import { BurstLimits, PodSize } from './resources';
import { PreStop } from './shutdown';
import { VolumeMount } from './volumes';

/** How a container's termination message is gathered. */
export enum TerminationMessagePolicy {
  /** Only /dev/termination-log. */
  FILE = 'File',
  /** /dev/termination-log, else the last log lines when the container failed: the reason of a crash shows in `kubectl describe`. */
  FALLBACK_TO_LOGS_ON_ERROR = 'FallbackToLogsOnError',
}

/**
 * A container of the Pod besides the main one: a sidecar (runs alongside, e.g. a log tailer
 * sharing an emptyDir) or an init container (runs to completion, in order, before the others).
 * It gets the same hardening as the main container.
 */
export interface ContainerProps {
  /** Container name, a DNS-1123 label unique in the Pod. */
  readonly name: string;
  /** Image, pinned to a tag or digest (rule SW-IMAGE-001). */
  readonly image: string;
  /**
   * Pull policy.
   * @default - as for the main container: IfNotPresent for digests, Always for tags
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;
  /** Size: requests = limits (init containers count toward the Pod's QoS class too). */
  readonly size: PodSize;
  /**
   * Limits above `size` (Burstable QoS).
   * @default - none
   */
  readonly burst?: BurstLimits;
  /**
   * Ports the container listens on; numbers and names must be unique across the Pod (rule SW-PORT-001).
   * @default - none
   */
  readonly ports?: ExtraPort[];
  /**
   * Entrypoint, exec form.
   * @default - the image's ENTRYPOINT
   */
  readonly command?: string[];
  /**
   * Arguments.
   * @default - the image's CMD
   */
  readonly args?: string[];
  /**
   * Working directory.
   * @default - the image's WORKDIR
   */
  readonly workingDir?: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly env?: Record<string, Env>;
  /**
   * Every key of ConfigMaps, Secrets or AppConfigs as environment variables (`env` wins over
   * these). An AppConfig source rolls the Pods when its content changes.
   * @default - none
   */
  readonly envFrom?: EnvFrom[];
  /**
   * Volume mounts.
   * @default - only /tmp
   */
  readonly mounts?: VolumeMount[];
  /**
   * Runtime settings derived from this container's limits: GOMAXPROCS from the CPU limit, the
   * JVM heap from the memory limit (rule SW-ENV-009 refuses one that overwrites `env`).
   * @default - none
   */
  readonly runtime?: RuntimeOptions;
  /**
   * Readiness probe (sidecars only; an error on init containers).
   * @default - none
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe (sidecars only; an error on init containers).
   * @default - none
   */
  readonly liveness?: Probe;
  /**
   * Startup probe (sidecars only; an error on init containers).
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * preStop hook (sidecars only; an error on init containers). A native sidecar's preStop runs
   * after the app containers have exited, so it extends the computed grace period.
   * @default - none for sidecars
   */
  readonly preStop?: PreStop;
  /**
   * postStart hook, run alongside the entrypoint; the container is not Running until it returns
   * (sidecars only; an error on init containers, rule SW-INIT-001).
   * @default - none
   */
  readonly postStart?: PostStart;
  /**
   * How the termination message is gathered.
   * @default TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR
   */
  readonly terminationMessagePolicy?: TerminationMessagePolicy;
  /**
   * Privileges of this init container of its own (root, added capabilities), e.g. to chown a
   * volume before a non-root app starts: each needs a waiver naming the container and a Tenant
   * whose Pod Security level admits it. Not allowed on sidecars (rule SW-SEC-019).
   * @default - the Pod's hardened security context (non-root, ALL capabilities dropped)
   */
  readonly security?: ContainerSecurity;
}
