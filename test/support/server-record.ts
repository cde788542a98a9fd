import { Feature } from '../../src/target/capabilities';
import { KubeObject, podSpecOf } from './synth';

/**
 * What real kube-apiservers answered the last time the API-server suites ran, kept as data so
 * that CI without servers (none is bundled any more) still fails when a behaviour only those
 * suites guarded breaks. Each entry says what the servers did, or, for the minors between the two
 * servers, what the Kubernetes documentation says (feature gates, Pod Security versions); the
 * source is named per entry. Re-check it whenever the suites run on real servers again
 * (`SEAWORTHY_ENVTEST_ASSETS`, see docs), and date the record anew.
 */
export const LAST_SERVER_RUN = {
  date: '2026-12-02',
  commit: 'f94ca84',
  servers: ['1.28.15', '1.35.6'],
  how: 'CI of main (stop 19): test/apiserver.test.ts and test/diff-apiserver.test.ts on envtest kube-apiserver + etcd, server-side dry-run, strict field validation, Pod Security admission',
} as const;

/** Every Pod spec an object holds (Pods, workload templates, CronJob job templates). */
export function podSpecsOf(obj: KubeObject): KubeObject[] {
  const spec = obj.kind === 'Pod' ? obj.spec : podSpecOf(obj);
  return spec ? [spec] : [];
}

/** The Job spec an object holds (Jobs and CronJobs). */
function jobSpecOf(obj: KubeObject): KubeObject | undefined {
  if (obj.kind === 'Job') return obj.spec;
  if (obj.kind === 'CronJob') return obj.spec?.jobTemplate?.spec;
  return undefined;
}

const containersOf = (spec: KubeObject): KubeObject[] => [...spec.initContainers ?? [], ...spec.containers ?? [], ...spec.ephemeralContainers ?? []];

/** A field an API server accepts only from some minor on: before it, strict validation refuses it or a disabled feature gate drops it. */
export interface GatedField {
  readonly field: string;
  /** Whether `obj` sets the field. */
  readonly setIn: (obj: KubeObject) => boolean;
  /** First minor whose API server accepts and keeps it. */
  readonly keptFrom: number;
  /** The capability of `src/target/capabilities.ts` that must open at that minor. */
  readonly feature: Feature;
  /** What the servers did, or the documentation said. */
  readonly source: string;
}

const jobField = (name: string) => (obj: KubeObject) => jobSpecOf(obj)?.[name] !== undefined;

export const GATED_FIELDS: readonly GatedField[] = [
  {
    field: 'spec.initContainers[].restartPolicy: Always (native sidecars)',
    setIn: obj => podSpecsOf(obj).some(s => (s.initContainers ?? []).some((c: KubeObject) => c.restartPolicy === 'Always')),
    keptFrom: 29,
    feature: Feature.NATIVE_SIDECARS,
    source: 'server: 1.28.15 accepted the Pod and returned the field absent (the harness check "a field of a disabled feature gate"); 1.35.6 kept it. Docs: SidecarContainers beta, on by default, from 1.29',
  },
  {
    field: 'lifecycle.preStop.sleep / postStart.sleep',
    setIn: obj => podSpecsOf(obj).some(s => containersOf(s).some(c => c.lifecycle?.preStop?.sleep !== undefined || c.lifecycle?.postStart?.sleep !== undefined)),
    keptFrom: 30,
    feature: Feature.PRESTOP_SLEEP_ACTION,
    source: 'server: 1.28.15 refused the field (strict validation: unknown field); 1.35.6 accepted it. Docs: PodLifecycleSleepAction alpha and off in 1.29 (dropped), beta and on from 1.30',
  },
  {
    field: 'securityContext.appArmorProfile',
    setIn: obj => podSpecsOf(obj).some(s => s.securityContext?.appArmorProfile !== undefined || containersOf(s).some(c => c.securityContext?.appArmorProfile !== undefined)),
    keptFrom: 30,
    feature: Feature.APPARMOR_PROFILE_FIELD,
    source: 'server: 1.28.15 refused the field (unknown field). Docs: AppArmor GA with the field in 1.30; the 1.29 schema has no such field',
  },
  {
    field: 'Job spec.backoffLimitPerIndex',
    setIn: jobField('backoffLimitPerIndex'),
    keptFrom: 29,
    feature: Feature.JOB_BACKOFF_LIMIT_PER_INDEX,
    source: 'docs: JobBackoffLimitPerIndex alpha and off in 1.28 (the 1.28.15 server drops the field), beta and on from 1.29; 1.35.6 accepted it',
  },
  {
    field: 'Job spec.maxFailedIndexes',
    setIn: jobField('maxFailedIndexes'),
    keptFrom: 29,
    feature: Feature.JOB_BACKOFF_LIMIT_PER_INDEX,
    source: 'docs: gated with backoffLimitPerIndex (JobBackoffLimitPerIndex); 1.35.6 accepted it',
  },
  {
    field: 'Job spec.podReplacementPolicy',
    setIn: jobField('podReplacementPolicy'),
    keptFrom: 29,
    feature: Feature.JOB_POD_REPLACEMENT_POLICY,
    source: 'docs: JobPodReplacementPolicy alpha and off in 1.28, beta and on from 1.29; 1.35.6 accepted it',
  },
  {
    field: 'Job spec.successPolicy',
    setIn: jobField('successPolicy'),
    keptFrom: 31,
    feature: Feature.JOB_SUCCESS_POLICY,
    source: 'server: 1.28.15 has no such field (strict validation). Docs: JobSuccessPolicy alpha and off in 1.30, beta and on from 1.31; 1.35.6 accepted it',
  },
  {
    field: 'Job spec.podFailurePolicy',
    setIn: jobField('podFailurePolicy'),
    keptFrom: 28,
    feature: Feature.JOB_POD_FAILURE_POLICY,
    source: 'server: 1.28.15 and 1.35.6 accepted and kept it (the Jobs test of the API-server suite)',
  },
  {
    field: 'containers[].resizePolicy',
    setIn: obj => podSpecsOf(obj).some(s => containersOf(s).some(c => c.resizePolicy !== undefined)),
    keptFrom: 33,
    feature: Feature.IN_PLACE_POD_RESIZE,
    source: 'not yet sent to a server. Docs: InPlacePodVerticalScaling alpha and off from 1.27 (the API server drops a disabled gate\'s fields), beta and on by default from 1.33, GA in 1.35 (kubernetes.io blog: "Kubernetes v1.33: In-Place Pod Resize Graduating to Beta", "Kubernetes v1.35: In-Place Pod Resize GA")',
  },
];

/** Sysctls Pod Security "baseline" allows, by the policy version that added them. */
export const PSS_SAFE_SYSCTLS: ReadonlyArray<{ readonly since: number; readonly names: readonly string[]; readonly feature?: Feature; readonly source: string }> = [
  {
    since: 28,
    names: ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports'],
    source: 'docs: Pod Security Standards, "Sysctls" control, v1.27+ list; both servers admitted them',
  },
  {
    since: 29,
    names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
    feature: Feature.SAFE_SYSCTLS_TCP_KEEPALIVE,
    source: 'docs: Pod Security Standards, "Sysctls" control, added in policy v1.29',
  },
  {
    since: 32,
    names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'],
    feature: Feature.SAFE_SYSCTLS_TCP_BUFFERS,
    source: 'docs: Pod Security Standards, "Sysctls" control, added in policy v1.32',
  },
];

/** The safe sysctls of Pod Security "baseline" at `minor`, from the record. */
export function recordedSafeSysctls(minor: number): Set<string> {
  return new Set(PSS_SAFE_SYSCTLS.filter(s => s.since <= minor).flatMap(s => s.names));
}

/** Pod Security "baseline" forbids a non-empty `host` in probes and lifecycle handlers from this policy version. */
export const PSS_PROBE_HOST_SINCE = { since: 34, feature: Feature.PSS_PROBE_HOST_CONTROL, source: 'docs: Pod Security Standards "Probes / Lifecycle Hooks (v1.34+)" (KEP-4940, stable in 1.34)' } as const;

/** Update refusals that changed between the two servers (the differential test of `seaworthy diff`). */
export const REFUSED_UPDATES = [
  {
    change: 'StatefulSet spec.revisionHistoryLimit',
    refusedOn: 28,
    acceptedOn: 35,
    feature: Feature.STATEFULSET_HISTORY_LIMIT_MUTABLE,
    source: 'server: 1.28.15 refused the update ("updates to statefulset spec for fields other than … are forbidden"), 1.35.6 accepted it (test/diff-apiserver.test.ts); kubernetes#130263 fixed it for 1.33',
  },
] as const;
