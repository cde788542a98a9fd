import type { KubernetesTarget } from '../../target/target';
import { defineRule as rule, Rule, Severity, WORKLOAD_KINDS } from '../rule';
import { SecurityRules } from './security';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the sysctls family (the safe-set rule itself is SW-SEC-013 in the security family). */
export const SysctlRules = {
  SYSCTL_INVALID: rule({
    id: 'SW-SYSCTL-001',
    title: 'Sysctl names and values are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server rejects a sysctl name that is not dot- (or slash-) separated lower-case segments of at most 253 characters, and a name given twice; an empty value or one with control characters cannot be written to /proc/sys, so the Pod never starts.',
    fix: 'use the kernel\'s dotted name, e.g. "net.ipv4.ip_local_port_range", once, with a non-empty value such as "1024 65000"',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/administer-cluster/sysctl-cluster/`,
  }),
  SYSCTL_NOT_NAMESPACED: rule({
    id: 'SW-SYSCTL-002',
    title: 'Pod sysctls are namespaced, and not shared with the host',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The kubelet sets only namespaced sysctls (kernel.shm*, kernel.msg*, kernel.sem, fs.mqueue.*, net.*), whatever its allow-list says: a node-level sysctl such as vm.* or kernel.pid_max fails the Pod (SysctlForbidden). A net.* sysctl on a Pod on the host network (or an IPC one with hostIPC) would change the node itself and is refused too.',
    fix: 'set node-level sysctls on the nodes (a node image, a tuned profile or a privileged node agent), not in the Pod; drop net.* sysctls from host-network Pods',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/administer-cluster/sysctl-cluster/#safe-and-unsafe-sysctls`,
  }),
  SYSCTL_TENANT_NOT_PRIVILEGED: rule({
    id: 'SW-SYSCTL-003',
    title: 'Unsafe sysctls only in a privileged Tenant',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Pod Security "baseline" and "restricted" reject every sysctl outside the safe set, so a workload whose unsafe sysctl is waived (SW-SEC-013) is still refused by the admission of any namespace that is not "privileged"; and its nodes\' kubelets must allow the sysctl (--allowed-unsafe-sysctls), or the Pods fail with SysctlForbidden.',
    fix: 'put the workload in a Tenant with podSecurity: PodSecurityLevel.PRIVILEGED (on nodes whose kubelet allows the sysctl), or use a safe sysctl; outside a Tenant, waive this rule naming the privileged namespace',
    kinds: [],
    see: `${K8S}/concepts/security/pod-security-admission/`,
  }),
  SYSCTL_ANNOTATION: rule({
    id: 'SW-SYSCTL-004',
    title: 'Sysctls are set in securityContext.sysctls, not in the alpha annotations',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The security.alpha.kubernetes.io/sysctls and security.alpha.kubernetes.io/unsafe-sysctls annotations have been ignored by every kubelet since Kubernetes 1.11 (the API server only warns "non-functional in v1.11+"): the Pods start without the sysctls the manifest asks for, and nothing fails.',
    fix: 'move each name=value pair to spec.securityContext.sysctls ([{ name, value }]); unsafe ones also need the kubelet\'s --allowed-unsafe-sysctls and a privileged namespace (SW-SEC-013)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/administer-cluster/sysctl-cluster/#setting-sysctls-for-a-pod`,
  }),
} as const;

/** The Pod annotations the kubelet read sysctls from before Kubernetes 1.11, and ignores since. */
export const OBSOLETE_SYSCTL_ANNOTATIONS: readonly string[] = ['security.alpha.kubernetes.io/sysctls', 'security.alpha.kubernetes.io/unsafe-sysctls'];

/** One sysctl finding: `index` of the sysctl, `part` the field at fault ("name" or "value"). */
export interface SysctlFinding {
  readonly rule: Rule;
  readonly index: number;
  readonly part: 'name' | 'value';
  readonly value: unknown;
  readonly problem: string;
}

/** A segment of a sysctl name, as the API server validates it (k8s.io/kubernetes validation, SysctlContainSlashFmt). */
const SEGMENT = '[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const SYSCTL_NAME = new RegExp(`^(${SEGMENT}[./])*${SEGMENT}$`);
const SYSCTL_MAX_LENGTH = 253;
/** IPC-namespaced sysctls (the kubelet's list); every net.* sysctl is network-namespaced. */
const IPC_PREFIXES = ['kernel.shm', 'kernel.msg', 'fs.mqueue.'];

/** The dotted form of a name the kubelet also accepts with "/" separators. */
function dotted(name: string): string {
  return name.includes('/') ? name.replace(/\./g, '\u0000').replace(/\//g, '.').replace(/\u0000/g, '/') : name;
}

/** The namespace a sysctl lives in, as the kubelet decides it; undefined when node-level. */
export function sysctlNamespace(name: string): 'ipc' | 'net' | undefined {
  const n = dotted(name);
  if (n.startsWith('net.')) return 'net';
  if (n === 'kernel.sem' || IPC_PREFIXES.some(p => n.startsWith(p))) return 'ipc';
  return undefined;
}

/**
 * The one implementation of the sysctl rules for a Pod's `securityContext.sysctls`, at synth and
 * in the audit: SW-SYSCTL-001 (malformed or repeated names, bad values), SW-SYSCTL-002 (not
 * namespaced, or in a namespace the Pod shares with the node) and SW-SEC-013 (outside the
 * target's safe set: Pod Security "baseline" rejects it).
 */
export function sysctlFindings(sysctls: readonly unknown[], target: KubernetesTarget, host: { readonly network: boolean; readonly ipc: boolean }): SysctlFinding[] {
  const out: SysctlFinding[] = [];
  const seen = new Set<string>();
  sysctls.forEach((s, index) => {
    const name: unknown = (s as { name?: unknown } | null)?.name;
    const value: unknown = (s as { value?: unknown } | null)?.value;
    if (typeof name !== 'string' || name.length > SYSCTL_MAX_LENGTH || !SYSCTL_NAME.test(name)) {
      out.push({ rule: SysctlRules.SYSCTL_INVALID, index, part: 'name', value: name, problem: `is not a sysctl name: lower-case segments of letters, digits, "-" and "_" separated by "." (at most ${SYSCTL_MAX_LENGTH} characters)` });
      return;
    }
    if (seen.has(dotted(name))) out.push({ rule: SysctlRules.SYSCTL_INVALID, index, part: 'name', value: name, problem: 'is set twice; the API server rejects the Pod' });
    seen.add(dotted(name));
    if (typeof value !== 'string' || value.trim().length === 0 || /[\u0000-\u001f\u007f]/.test(value)) {
      out.push({ rule: SysctlRules.SYSCTL_INVALID, index, part: 'value', value, problem: `must be a non-empty string without control characters (the text written to /proc/sys/${dotted(name).replace(/\./g, '/')})` });
    }
    const ns = sysctlNamespace(name);
    if (ns === undefined) {
      out.push({ rule: SysctlRules.SYSCTL_NOT_NAMESPACED, index, part: 'name', value: name, problem: 'is not a namespaced sysctl: it would change the whole node, and the kubelet refuses it in any Pod' });
    } else if ((ns === 'net' && host.network) || (ns === 'ipc' && host.ipc)) {
      out.push({ rule: SysctlRules.SYSCTL_NOT_NAMESPACED, index, part: 'name', value: name, problem: `is a ${ns === 'net' ? 'network' : 'IPC'} sysctl, but the Pod shares the node's ${ns === 'net' ? 'network' : 'IPC'} namespace (host${ns === 'net' ? 'Network' : 'IPC'}), so the kubelet refuses it` });
    }
    // Not namespaced is also outside the safe set: Pod Security rejects it before the kubelet does.
    if (!target.safeSysctls.has(name)) {
      out.push({ rule: SecurityRules.UNSAFE_SYSCTL, index, part: 'name', value: name, problem: `is not in the safe set of ${target} (the target): Pod Security "baseline" rejects the Pod, and the kubelet runs it only on nodes started with --allowed-unsafe-sysctls` });
    }
  });
  return out;
}
