/**
 * The one place that answers "does this target have feature X": every rendering or rule that
 * depends on the Kubernetes version asks `KubernetesTarget.has(Feature.…)`, never compares
 * version numbers itself.
 */

/** A version-dependent feature seaworthy uses. */
export enum Feature {
  /** Init containers with `restartPolicy: Always` run as sidecars (KEP-753). */
  NATIVE_SIDECARS = 'nativeSidecars',
  /** `lifecycle.preStop.sleep`: the kubelet pauses without a `sleep` binary (KEP-3960). */
  PRESTOP_SLEEP_ACTION = 'preStopSleepAction',
  /** net.ipv4.tcp_keepalive_time/_intvl/_probes and tcp_fin_timeout are safe sysctls. */
  SAFE_SYSCTLS_TCP_KEEPALIVE = 'safeSysctlsTcpKeepalive',
  /** net.ipv4.tcp_rmem and tcp_wmem are safe sysctls. */
  SAFE_SYSCTLS_TCP_BUFFERS = 'safeSysctlsTcpBuffers',
  /** `securityContext.appArmorProfile` replaces the AppArmor annotations (KEP-24). */
  APPARMOR_PROFILE_FIELD = 'appArmorProfileField',
  /** Pod Security "baseline" rejects a `host` in probes and lifecycle hooks (KEP-4940). */
  PSS_PROBE_HOST_CONTROL = 'pssProbeHostControl',
  /** A StatefulSet update may change `spec.revisionHistoryLimit` (kubernetes#130263). */
  STATEFULSET_HISTORY_LIMIT_MUTABLE = 'statefulSetHistoryLimitMutable',
  /** Job `podFailurePolicy`: actions on exit codes and Pod conditions such as DisruptionTarget (KEP-3329). */
  JOB_POD_FAILURE_POLICY = 'jobPodFailurePolicy',
  /** Job `backoffLimitPerIndex` and `maxFailedIndexes`, and the FailIndex action (KEP-3850). */
  JOB_BACKOFF_LIMIT_PER_INDEX = 'jobBackoffLimitPerIndex',
  /** Job `successPolicy` for Indexed Jobs (KEP-3998). */
  JOB_SUCCESS_POLICY = 'jobSuccessPolicy',
  /** Job `podReplacementPolicy` (KEP-3939). */
  JOB_POD_REPLACEMENT_POLICY = 'jobPodReplacementPolicy',
  /** Zero values the API server drops on storage (`ZERO_DEFAULTS`) are left out of the output, so GitOps diffs settle. */
  OMIT_ZERO_DEFAULTS = 'omitZeroDefaults',
  /**
   * Running Pods resize cpu and memory in place (the `resize` subresource and container
   * `resizePolicy`; KEP-1287), which the VerticalPodAutoscaler's `InPlaceOrRecreate` mode uses.
   */
  IN_PLACE_POD_RESIZE = 'inPlacePodResize',
  /**
   * ValidatingAdmissionPolicy and its binding as `admissionregistration.k8s.io/v1`; earlier
   * minors get `v1beta1`, which needs the ValidatingAdmissionPolicy feature gate and the
   * `admissionregistration.k8s.io/v1beta1` runtime config (KEP-3488).
   */
  VALIDATING_ADMISSION_POLICY = 'validatingAdmissionPolicy',
  /**
   * MutatingAdmissionPolicy and its binding as `admissionregistration.k8s.io/v1`, on by default
   * (KEP-3962); `seaworthy admission --mutating` writes `v1beta1` where only
   * MUTATING_ADMISSION_POLICY_BETA is there.
   */
  MUTATING_ADMISSION_POLICY = 'mutatingAdmissionPolicy',
  /**
   * MutatingAdmissionPolicy as `admissionregistration.k8s.io/v1beta1`, which the API server
   * serves only with the MutatingAdmissionPolicy feature gate and the
   * `admissionregistration.k8s.io/v1beta1` runtime config (KEP-3962); seaworthy writes no mutating
   * policies for a target without it (the v1alpha1 API of 1.32 and 1.33 is not used).
   */
  MUTATING_ADMISSION_POLICY_BETA = 'mutatingAdmissionPolicyBeta',
  /**
   * The Kubernetes quantity library of CEL (`quantity()`, `isQuantity()`, `compareTo`,
   * `isGreaterThan`, …) in the expressions of admission policies.
   */
  CEL_QUANTITY = 'celQuantity',
}

/** When seaworthy starts using a feature, and why that minor. */
export interface Capability {
  /** First minor (1.NN) whose output uses the feature. */
  readonly since: number;
  /** Why that minor: the feature's state there. */
  readonly why: string;
}

/**
 * Feature → first minor where seaworthy uses it.
 *
 * Not here, on purpose: Deployment `spec.podReplacementPolicy: TerminationComplete`, which would
 * make a Deployment wait for old Pods to finish terminating before creating their replacements
 * (the quota overlap of SW-NS-005). Announced for 1.34 under KEP-3973, it did not ship: the
 * feature moved to KEP-5882 (alpha targeted at 1.36, dropped from the 1.36 milestone), and the
 * 1.36 API has no such field. Only its companion `status.terminatingReplicas` shipped (alpha
 * 1.33, beta 1.35). Add it as a Feature, a prop and a rollout-peak input at the minor where it
 * is beta and on by default.
 */
export const CAPABILITIES: Readonly<Record<Feature, Capability>> = {
  [Feature.NATIVE_SIDECARS]: { since: 29, why: 'SidecarContainers is beta and on by default from 1.29 (alpha and off in 1.28; GA in 1.33)' },
  [Feature.PRESTOP_SLEEP_ACTION]: { since: 30, why: 'PodLifecycleSleepAction is beta and on by default from 1.30 (alpha and off in 1.29; GA in 1.34)' },
  [Feature.SAFE_SYSCTLS_TCP_KEEPALIVE]: { since: 29, why: 'the kubelet and Pod Security "baseline" allow them from 1.29' },
  [Feature.SAFE_SYSCTLS_TCP_BUFFERS]: { since: 32, why: 'the kubelet and Pod Security "baseline" allow them from 1.32' },
  [Feature.APPARMOR_PROFILE_FIELD]: { since: 30, why: 'AppArmor is GA with the securityContext.appArmorProfile field from 1.30; older API servers reject the field' },
  [Feature.PSS_PROBE_HOST_CONTROL]: { since: 34, why: 'the Pod Security "baseline" policy of v1.34 adds the probe and lifecycle host control' },
  [Feature.JOB_POD_FAILURE_POLICY]: { since: 28, why: 'JobPodFailurePolicy is beta and on by default from 1.26 (GA in 1.31), so every supported minor has it' },
  [Feature.JOB_BACKOFF_LIMIT_PER_INDEX]: { since: 29, why: 'JobBackoffLimitPerIndex is beta and on by default from 1.29 (alpha and off in 1.28; GA in 1.33)' },
  [Feature.JOB_SUCCESS_POLICY]: { since: 31, why: 'JobSuccessPolicy is beta and on by default from 1.31 (alpha and off in 1.30, unknown before; GA in 1.33)' },
  [Feature.JOB_POD_REPLACEMENT_POLICY]: { since: 29, why: 'JobPodReplacementPolicy is beta and on by default from 1.29 (alpha and off in 1.28; GA in 1.34)' },
  [Feature.OMIT_ZERO_DEFAULTS]: { since: 29, why: 'every minor drops these zeros when it stores an object (Go omitempty on non-pointer fields); 1.29 is the first target whose output may change, since 1.28\'s is held byte-identical to the output from before targets existed' },
  [Feature.IN_PLACE_POD_RESIZE]: { since: 33, why: 'InPlacePodVerticalScaling is beta and on by default from 1.33 (alpha and off since 1.27, so older API servers drop a container\'s resizePolicy; GA in 1.35); the VerticalPodAutoscaler\'s InPlaceOrRecreate mode needs it (alpha in VPA 1.4.0, GA in VPA 1.6.0) and evicts where a resize cannot happen in place' },
  [Feature.VALIDATING_ADMISSION_POLICY]: { since: 30, why: 'ValidatingAdmissionPolicy is GA (admissionregistration.k8s.io/v1) and on by default from 1.30; in 1.28 and 1.29 it is beta (v1beta1) and off unless the ValidatingAdmissionPolicy feature gate and the admissionregistration.k8s.io/v1beta1 runtime config are set' },
  [Feature.MUTATING_ADMISSION_POLICY]: { since: 36, why: 'MutatingAdmissionPolicy is GA (admissionregistration.k8s.io/v1) and on by default from 1.36; the 1.36 API is the first to define the v1 kinds' },
  [Feature.MUTATING_ADMISSION_POLICY_BETA]: { since: 34, why: 'MutatingAdmissionPolicy is beta (admissionregistration.k8s.io/v1beta1) in 1.34 and 1.35, off unless the MutatingAdmissionPolicy feature gate and the admissionregistration.k8s.io/v1beta1 runtime config are set; 1.32 and 1.33 have only the alpha v1alpha1 API, which seaworthy does not write' },
  [Feature.CEL_QUANTITY]: { since: 29, why: 'the quantity library is in the CEL environment of 1.28, but an API server compiles new expressions against the environment of the minor before its own (so that a rollback can still read them): a 1.28 API server refuses quantity() in a new policy, a 1.29 one accepts it' },
  [Feature.STATEFULSET_HISTORY_LIMIT_MUTABLE]: { since: 33, why: 'refused by 1.31 (kubernetes#130263) and the 1.28 API server, accepted by the 1.35 API server (seaworthy diff\'s differential test); 1.33 is the first minor after the fix — not checked against 1.32–1.34 servers' },
};

/** Sysctls every supported minor's kubelet and Pod Security policy treat as safe. */
const BASE_SAFE_SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports'];

/** Sysctls that become safe with a feature. */
export const SYSCTLS_OF_FEATURE: Readonly<Partial<Record<Feature, readonly string[]>>> = {
  [Feature.SAFE_SYSCTLS_TCP_KEEPALIVE]: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  [Feature.SAFE_SYSCTLS_TCP_BUFFERS]: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'],
};

/** The safe sysctls of a minor. */
export function safeSysctlsOf(minor: number): ReadonlySet<string> {
  const extra = (Object.keys(SYSCTLS_OF_FEATURE) as Feature[]).filter(f => CAPABILITIES[f].since <= minor).flatMap(f => SYSCTLS_OF_FEATURE[f] ?? []);
  return new Set([...BASE_SAFE_SYSCTLS, ...extra]);
}

/**
 * Volume types Pod Security "restricted" allows; the same from 1.28 to 1.36 (the `image` volume
 * source, beta in 1.33, is not on the list of any of them).
 */
export const RESTRICTED_VOLUME_TYPES: ReadonlySet<string> = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** An API version (optionally of one kind) that a minor deprecates or no longer serves. */
export interface ApiVersionChange {
  /** "group/version", optionally followed by "/Kind" when only that kind is affected. */
  readonly api: string;
  /** Minor that deprecated it. */
  readonly deprecated: number;
  /** First minor that no longer serves it. */
  readonly removed?: number;
  /** What to use instead. */
  readonly replacement: string;
}

/** Deprecated and removed API versions (kubernetes.io/docs/reference/using-api/deprecation-guide). */
export const API_VERSION_CHANGES: readonly ApiVersionChange[] = [
  { api: 'extensions/v1beta1', deprecated: 16, removed: 22, replacement: 'apps/v1 or networking.k8s.io/v1' },
  { api: 'apps/v1beta1', deprecated: 9, removed: 16, replacement: 'apps/v1' },
  { api: 'apps/v1beta2', deprecated: 9, removed: 16, replacement: 'apps/v1' },
  { api: 'networking.k8s.io/v1beta1', deprecated: 19, removed: 22, replacement: 'networking.k8s.io/v1' },
  { api: 'rbac.authorization.k8s.io/v1beta1', deprecated: 17, removed: 22, replacement: 'rbac.authorization.k8s.io/v1' },
  { api: 'admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration', deprecated: 16, removed: 22, replacement: 'admissionregistration.k8s.io/v1' },
  { api: 'admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration', deprecated: 16, removed: 22, replacement: 'admissionregistration.k8s.io/v1' },
  { api: 'apiextensions.k8s.io/v1beta1', deprecated: 16, removed: 22, replacement: 'apiextensions.k8s.io/v1' },
  { api: 'apiregistration.k8s.io/v1beta1', deprecated: 19, removed: 22, replacement: 'apiregistration.k8s.io/v1' },
  { api: 'certificates.k8s.io/v1beta1', deprecated: 19, removed: 22, replacement: 'certificates.k8s.io/v1' },
  { api: 'coordination.k8s.io/v1beta1', deprecated: 19, removed: 22, replacement: 'coordination.k8s.io/v1' },
  { api: 'scheduling.k8s.io/v1beta1', deprecated: 14, removed: 22, replacement: 'scheduling.k8s.io/v1' },
  { api: 'storage.k8s.io/v1beta1/CSIDriver', deprecated: 19, removed: 22, replacement: 'storage.k8s.io/v1' },
  { api: 'storage.k8s.io/v1beta1/CSINode', deprecated: 17, removed: 22, replacement: 'storage.k8s.io/v1' },
  { api: 'storage.k8s.io/v1beta1/StorageClass', deprecated: 19, removed: 22, replacement: 'storage.k8s.io/v1' },
  { api: 'storage.k8s.io/v1beta1/VolumeAttachment', deprecated: 19, removed: 22, replacement: 'storage.k8s.io/v1' },
  { api: 'policy/v1beta1/PodDisruptionBudget', deprecated: 21, removed: 25, replacement: 'policy/v1' },
  { api: 'policy/v1beta1/PodSecurityPolicy', deprecated: 21, removed: 25, replacement: 'Pod Security Admission (namespace labels)' },
  { api: 'batch/v1beta1/CronJob', deprecated: 21, removed: 25, replacement: 'batch/v1' },
  { api: 'discovery.k8s.io/v1beta1', deprecated: 21, removed: 25, replacement: 'discovery.k8s.io/v1' },
  { api: 'events.k8s.io/v1beta1', deprecated: 19, removed: 25, replacement: 'events.k8s.io/v1' },
  { api: 'autoscaling/v2beta1', deprecated: 22, removed: 25, replacement: 'autoscaling/v2' },
  { api: 'node.k8s.io/v1beta1', deprecated: 20, removed: 25, replacement: 'node.k8s.io/v1' },
  { api: 'autoscaling/v2beta2', deprecated: 23, removed: 26, replacement: 'autoscaling/v2' },
  { api: 'flowcontrol.apiserver.k8s.io/v1beta1', deprecated: 23, removed: 26, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { api: 'storage.k8s.io/v1beta1/CSIStorageCapacity', deprecated: 24, removed: 27, replacement: 'storage.k8s.io/v1' },
  { api: 'flowcontrol.apiserver.k8s.io/v1beta2', deprecated: 26, removed: 29, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { api: 'flowcontrol.apiserver.k8s.io/v1beta3', deprecated: 29, removed: 32, replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

/** API_VERSION_CHANGES by `api` (the first entry of each): the audit asks for every object. */
const CHANGE_BY_API = new Map<string, ApiVersionChange>();
for (const c of API_VERSION_CHANGES) if (!CHANGE_BY_API.has(c.api)) CHANGE_BY_API.set(c.api, c);

/** The deprecation or removal that applies to `apiVersion`/`kind`, if any. */
export function apiVersionChange(apiVersion: string, kind: string): ApiVersionChange | undefined {
  return CHANGE_BY_API.get(`${apiVersion}/${kind}`) ?? CHANGE_BY_API.get(apiVersion);
}
