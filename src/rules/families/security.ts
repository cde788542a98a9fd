import { Feature } from '../../target/capabilities';
import type { KubernetesTarget } from '../../target/target';
import type { Reporter } from '../finding';
import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the security family. */
export const SecurityRules = {
  SECURITY_ID_INVALID: rule({
    id: 'SW-SEC-001',
    title: 'Containers run as a non-root user and group',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { kubeScore: ['container-security-context-user-group-id'] },
    rationale: 'Pod Security "restricted" forbids running as UID 0; IDs must be whole, non-negative numbers.',
    fix: 'use a UID and GID above 10000, e.g. 10001',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/#restricted`,
  }),
  SECURITY_ID_LOW: rule({
    id: 'SW-SEC-003',
    title: 'Containers run with a UID and GID above 10000',
    severity: Severity.WARNING,
    tier: 'hardening',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_40'], kubeScore: ['container-security-context-user-group-id'] },
    rationale: 'IDs at or below 10000 can coincide with real users on the node, which matters if the container escapes (kube-score container-security-context-user-group-id).',
    fix: 'use a UID and GID above 10000, e.g. 10001',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/security-context/`,
  }),
  CAPABILITY_NOT_ALLOWED: rule({
    id: 'SW-SEC-002',
    title: 'Only NET_BIND_SERVICE may be added to the dropped capabilities',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Pod Security "restricted" allows containers to add back only NET_BIND_SERVICE after dropping ALL.',
    fix: 'remove the capability, or listen on a port above 1024 instead of adding NET_BIND_SERVICE',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/#restricted`,
  }),
  HOST_PATH: rule({
    id: 'SW-SEC-004',
    title: 'No hostPath volumes',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'hostPath exposes the node filesystem to the Pod and is forbidden by Pod Security "baseline" and "restricted"; node agents that need it must say so with a waiver and live in a namespace whose Pod Security level allows it.',
    fix: 'use another volume type, or add Waiver.of("SW-SEC-004", "<why>") and mount it read-only',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/#baseline`,
  }),
  HOST_NAMESPACES: rule({
    id: 'SW-SEC-005',
    title: 'No host network, PID or IPC namespaces',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'], kubeLinter: ['host-pid', 'host-ipc', 'host-network'], polaris: ['hostPIDSet', 'hostIPCSet', 'hostNetworkSet'] },
    rationale: 'hostNetwork, hostPID and hostIPC tie the Pod to the node and widen the attack surface; Pod Security "baseline" forbids them.',
    fix: 'drop the host namespace, or add Waiver.of("SW-SEC-005", "<why>") for a node agent in a privileged namespace',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/#baseline`,
  }),
  RBAC_TOO_BROAD: rule({
    id: 'SW-RBAC-001',
    title: 'Grants are least-privilege',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A wildcard verb or resource, changing or removing every Secret of the namespace, or creating Secrets while reading them all (a kubernetes.io/service-account-token Secret gets any ServiceAccount\'s token), gives the workload far more than it needs; a compromised Pod then owns the namespace. resourceNames narrow update, patch and delete to the named Secrets; create alone replaces nothing; a rule of nonResourceURLs has no resources by design.',
    fix: 'name the exact verbs (get, list, watch, …) and resources, and where possible the object names',
    kinds: ['Role', 'ClusterRole'],
    see: `${K8S}/concepts/security/rbac-good-practices/`,
  }),
  PRIVILEGED: rule({
    id: 'SW-SEC-006',
    title: 'Containers are not privileged',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_16'], kubeLinter: ['privileged-container'], kubeScore: ['container-security-context-privileged'], polaris: ['runAsPrivileged'] },
    rationale: 'A privileged container has every capability and all host devices: it is root on the node.',
    fix: 'set securityContext.privileged: false (or remove it)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  CAPABILITIES_NOT_DROPPED: rule({
    id: 'SW-SEC-007',
    title: 'Containers drop ALL capabilities',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Pod Security "restricted" requires dropping ALL capabilities; the default set includes NET_RAW and others an attacker can use.',
    fix: 'set securityContext.capabilities.drop: [ALL]',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  HOST_PORT: rule({
    id: 'SW-SEC-008',
    title: 'Containers use no hostPorts',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_26'], polaris: ['hostPortSet'] },
    rationale: 'A hostPort ties the Pod to nodes with that port free and exposes it on the node IP, bypassing Services (and, with many CNI plugins, NetworkPolicies); Pod Security "baseline" forbids it.',
    fix: 'remove hostPort and expose the port through a Service',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  SECCOMP: rule({
    id: 'SW-SEC-009',
    title: 'A seccomp profile is set',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Pod Security "restricted" requires the RuntimeDefault (or a Localhost) seccomp profile, which blocks dangerous syscalls.',
    fix: 'set securityContext.seccompProfile.type: RuntimeDefault on the Pod (or every container)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  RUN_AS_NON_ROOT: rule({
    id: 'SW-SEC-010',
    title: 'Containers must run as non-root',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_23'], kubeLinter: ['run-as-non-root'], polaris: ['runAsRootAllowed'] },
    rationale: 'Pod Security "restricted" requires runAsNonRoot: true, so an image that defaults to root fails to start instead of running as root.',
    fix: 'set securityContext.runAsNonRoot: true on the Pod or every container',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  PRIVILEGE_ESCALATION: rule({
    id: 'SW-SEC-011',
    title: 'Privilege escalation is disallowed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_20'], kubeLinter: ['privilege-escalation-container'], polaris: ['privilegeEscalationAllowed'] },
    rationale: 'Pod Security "restricted" requires allowPrivilegeEscalation: false so setuid binaries cannot gain privileges.',
    fix: 'set securityContext.allowPrivilegeEscalation: false on every container',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  READ_ONLY_ROOT: rule({
    id: 'SW-SEC-012',
    title: 'The root filesystem is read-only',
    severity: Severity.WARNING,
    tier: 'hardening',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_22'], kubeLinter: ['no-read-only-root-fs'], kubeScore: ['container-security-context-readonlyrootfilesystem'], polaris: ['notReadOnlyRootFilesystem'] },
    rationale: 'A writable root filesystem lets an attacker drop tools and alter the app; writable paths belong on emptyDir volumes.',
    fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the app writes',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  UNSAFE_SYSCTL: rule({
    id: 'SW-SEC-013',
    title: 'Only safe sysctls are set',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { kubeLinter: ['unsafe-sysctls'] },
    rationale: 'Pod Security "baseline" allows only namespaced, safe sysctls; others affect the whole node.',
    fix: 'remove the sysctl or use one of the safe set',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  PROC_MOUNT: rule({
    id: 'SW-SEC-014',
    title: 'procMount is Default',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'An Unmasked /proc exposes host information; Pod Security "baseline" requires the default masking.',
    fix: 'remove securityContext.procMount or set it to Default',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  APPARMOR: rule({
    id: 'SW-SEC-015',
    title: 'AppArmor profiles are runtime/default or localhost',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Pod Security "baseline" forbids disabling AppArmor (unconfined), through the annotation or, from Kubernetes 1.30, the appArmorProfile field.',
    fix: 'use securityContext.appArmorProfile.type: RuntimeDefault (Kubernetes 1.30+) or the annotation container.apparmor.security.beta.kubernetes.io/<container>: runtime/default',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  SELINUX: rule({
    id: 'SW-SEC-016',
    title: 'SELinux options stay within the allowed types',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Pod Security "baseline" forbids custom SELinux users and roles and types other than container_t, container_init_t and container_kvm_t.',
    fix: 'remove seLinuxOptions.user and role, and use an allowed type',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  VOLUME_TYPE: rule({
    id: 'SW-SEC-017',
    title: 'Volumes are of the types Pod Security "restricted" allows',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes are allowed; the others reach into the node or external storage directly.',
    fix: 'use a PersistentVolumeClaim or one of the allowed volume types',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  PROBE_HOST: rule({
    id: 'SW-SEC-018',
    title: 'Probes and lifecycle hooks do not set a host',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The kubelet sends a probe or hook with a host to that address from the node, so a Pod can make the node reach hosts its own network policy forbids; Pod Security "baseline" rejects any host, loopback included, from Kubernetes 1.34.',
    fix: 'remove the host field so the kubelet calls the Pod IP; an app listening only on loopback needs an exec probe instead (a hostNetwork agent probed on 127.0.0.1 is probed on itself, and is not reported)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-standards/`,
  }),
  TOKEN_AUTOMOUNT: rule({
    id: 'SW-SA-001',
    title: 'The ServiceAccount token is not mounted unless needed',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'objects',
    wholeDeployment: true,
    scanners: { checkov: ['CKV_K8S_38'] },
    rationale: 'A mounted token lets anyone who compromises the Pod call the Kubernetes API as its ServiceAccount.',
    fix: 'set automountServiceAccountToken: false on the Pod (and the ServiceAccount) unless the app calls the API',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/service-accounts/#opt-out-of-api-credential-automounting`,
  }),
} as const;

/** The Pod around a probe or hook, as far as SW-SEC-018 needs it. */
export interface HandlerPod {
  /**
   * Whether the Pod shares the node's network namespace.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * The Pod Security level its namespace enforces (pod-security.kubernetes.io/enforce).
   * @default - not known: the Namespace is not among the judged objects
   */
  readonly enforce?: string;
  /**
   * The Pod Security version its namespace enforces (pod-security.kubernetes.io/enforce-version), e.g. "v1.33".
   * @default "latest"
   */
  readonly enforceVersion?: string;
}

const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

/**
 * Reports a probe or hook `host` (SW-SEC-018), saying whether Pod Security "baseline" of
 * `target` also rejects the Pod. `pod` is given by the audit: a hostNetwork Pod probed on
 * loopback is probed on itself (the kubelet shares its network, and an agent listening on
 * 127.0.0.1 has no other address to be probed on), and a namespace enforcing "privileged"
 * admits the host. Without `pod` (a construct's probe), the target's admission is stated.
 */
export function checkHandlerHost(reporter: Reporter, field: string, host: unknown, target: KubernetesTarget, pod?: HandlerPod): void {
  if (host === undefined || host === '') return;
  if (pod?.hostNetwork === true && typeof host === 'string' && LOOPBACK.test(host)) return;
  let admission = '';
  const pinned = /^v1\.(\d+)$/.exec(pod?.enforceVersion ?? '');
  if (target.has(Feature.PSS_PROBE_HOST_CONTROL) && pod?.enforce !== 'privileged' && !(pinned && Number(pinned[1]) < 34)) {
    admission = pod === undefined ? `; Pod Security "baseline" of ${target} (the target) rejects the Pod`
      : pod.enforce === undefined ? `; Pod Security "baseline" of ${target} (the target) rejects the Pod in a namespace enforcing baseline or restricted`
        : `; the namespace enforces Pod Security "${pod.enforce}", which rejects the Pod on ${target} (the target)`;
  }
  reporter.report(SecurityRules.PROBE_HOST, field, host, `the kubelet would call ${String(host)} from the node${admission}`);
}

/** Reports a UID or GID that is malformed, root (SW-SEC-001) or 10000 or lower (SW-SEC-003). */
export function checkUserId(reporter: Reporter, field: string, value: unknown): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < 0) reporter.report(SecurityRules.SECURITY_ID_INVALID, field, value, 'must be a whole, non-negative number');
  else if ((value as number) > 2147483647) reporter.report(SecurityRules.SECURITY_ID_INVALID, field, value, 'is above 2147483647, the largest ID the API server accepts');
  else if (value === 0) reporter.report(SecurityRules.SECURITY_ID_INVALID, field, value, 'is root, which Pod Security "restricted" forbids');
  else if ((value as number) <= 10000) reporter.report(SecurityRules.SECURITY_ID_LOW, field, value, 'is 10000 or lower');
}
