import * as kplus from 'cdk8s-plus-28';
import { Rules } from '../rules/catalog';
import { checkUserId } from '../rules/families/security';
import { FindingCollector } from '../rules/collector';

/**
 * Identity and privileges of the Pod. The defaults satisfy the Pod Security Standards
 * "restricted" profile at the policy version of the Kubernetes target (the version a `Tenant`
 * enforces) and kube-score's security checks.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export interface SecurityProps {
  /**
   * UID the containers run as (runAsUser). Above 10000 so it matches no user on the node
   * (kube-score container-security-context-user-group-id).
   * @default 10001
   */
  readonly user?: number;
  /**
   * GID the containers run as (runAsGroup).
   * @default 10001
   */
  readonly group?: number;
  /**
   * Group that owns mounted volumes (fsGroup), so a non-root process can write them.
   * @default - the `group`
   */
  readonly fsGroup?: number;
  /**
   * Capabilities to add back after dropping ALL. PSS restricted allows only NET_BIND_SERVICE.
   * @default - none
   */
  readonly addCapabilities?: kplus.Capability[];
  /**
   * Mount the root filesystem read-only (writable scratch space is the /tmp emptyDir).
   * Loosening this is visible in the output and in code review.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Kernel parameters of the Pod (`securityContext.sysctls`), by name, e.g.
   * `{ 'net.ipv4.ip_local_port_range': '1024 65000' }`. Sysctls in the Kubernetes target's safe
   * set are allowed; any other one is rule SW-SEC-013 (Pod Security "baseline" rejects it) unless
   * waived, and then only in a Tenant with `podSecurity: PodSecurityLevel.PRIVILEGED`
   * (SW-SYSCTL-003) on nodes whose kubelet allows it (`--allowed-unsafe-sysctls`). Node-level
   * sysctls (vm.*, most of kernel.*) cannot be set per Pod (SW-SYSCTL-002).
   * @default - none
   * @see https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/
   */
  readonly sysctls?: Record<string, string>;
}

/** The resolved security settings. */
export interface ResolvedSecurity {
  readonly user: number;
  readonly group: number;
  readonly fsGroup: number;
  readonly container: kplus.ContainerSecurityContextProps;
  readonly pod: kplus.PodSecurityContextProps;
}

/** Default non-root UID and GID. */
export const DEFAULT_USER_ID = 10001;

/** Resolves security props to cdk8s-plus security contexts, reporting PSS violations. */
export function resolveSecurity(props: SecurityProps | undefined, collector: FindingCollector): ResolvedSecurity {
  const id = (field: string, value: number | undefined, dflt: number): number => {
    if (value === undefined) return dflt;
    checkUserId(collector, field, value);
    if (!Number.isInteger(value) || value < 0 || value > 2147483647) return dflt;
    if (value === 0 && field === 'security.user') collector.report(Rules.RUN_AS_NON_ROOT, field, value, 'running as root turns runAsNonRoot off');
    return value;
  };
  const user = id('security.user', props?.user, DEFAULT_USER_ID);
  const group = id('security.group', props?.group, DEFAULT_USER_ID);
  const fsGroup = id('security.fsGroup', props?.fsGroup, group);
  const add = props?.addCapabilities ?? [];
  add.forEach((cap, i) => {
    if (cap !== kplus.Capability.NET_BIND_SERVICE) {
      collector.report(Rules.CAPABILITY_NOT_ALLOWED, `security.addCapabilities[${i}]`, cap, 'is not allowed by Pod Security "restricted"');
    }
  });
  const seccompProfile = { type: kplus.SeccompProfileType.RUNTIME_DEFAULT };
  return {
    user,
    group,
    fsGroup,
    container: {
      // Only false under a waiver of SW-SEC-001 (e.g. a node agent reading root-owned logs).
      ensureNonRoot: user !== 0,
      user,
      group,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: props?.readOnlyRootFilesystem ?? true,
      capabilities: { drop: [kplus.Capability.ALL], add: add.length > 0 ? [...add] : undefined },
      seccompProfile,
    },
    pod: {
      ensureNonRoot: user !== 0,
      user,
      group,
      fsGroup,
      // OnRootMismatch skips the recursive chown of large volumes on every start.
      fsGroupChangePolicy: kplus.FsGroupChangePolicy.ON_ROOT_MISMATCH,
    },
  };
}
