import * as kplus from 'cdk8s-plus-28';
import { Rules } from '../rules/catalog';
import { BASELINE_CAPABILITIES } from '../rules/families/pod-security';
import { FindingCollector } from '../rules/collector';
import { ResolvedSecurity } from './security';
import { merged } from '../util/merge';

/**
 * Privileges of one init container beyond the Pod's hardened defaults, for the preparation steps
 * the app container must not be able to do itself (chown a volume, set a kernel parameter): the
 * init container exits before the app starts, so the privilege does not outlive the preparation.
 * Each privilege breaks a Pod Security "restricted" control and needs a waiver naming the
 * container, e.g. `Waiver.of('SW-SEC-002', 'chowns the data volume', { container: 'fix-perms' })`,
 * and a Tenant whose Pod Security level admits it (SW-SEC-020).
 */
export interface ContainerSecurity {
  /**
   * Run as root (UID 0, GID 0), with `runAsNonRoot: false` on this container only; the Pod and its
   * other containers stay non-root (the Pod-level runAsNonRoot moves to each container). Needs
   * waivers of SW-SEC-001 and SW-SEC-010 naming the container, and a Pod Security level of
   * "baseline" or "privileged".
   * @default false
   */
  readonly runAsRoot?: boolean;
  /**
   * Capabilities added after dropping ALL, e.g. CHOWN or FOWNER. Anything but NET_BIND_SERVICE
   * needs a waiver of SW-SEC-002 naming the container; the Pod Security level must be "baseline"
   * (for the capabilities baseline allows) or "privileged" (for the others, e.g. SYS_ADMIN).
   * @default - none
   */
  readonly capabilities?: kplus.Capability[];
}

/** A container's validated privileges. */
export interface ResolvedContainerSecurity {
  readonly runAsRoot: boolean;
  readonly capabilities: readonly kplus.Capability[];
}

/**
 * Validates `security` of the container `name` at `prefix` ("initContainers[0]."): only init
 * containers may have it (SW-SEC-019); each privilege is reported against the rule it breaks,
 * for that container, so only a waiver naming the container waives it.
 */
export function resolveContainerSecurity(security: unknown, prefix: string, name: string, init: boolean, collector: FindingCollector): ResolvedContainerSecurity | undefined {
  if (security === undefined) return undefined;
  const field = `${prefix}security`;
  if (security === null || typeof security !== 'object' || Array.isArray(security)) {
    collector.report(Rules.PROPS_INVALID, field, security, 'must be an object such as { runAsRoot: true, capabilities: [Capability.CHOWN] }');
    return undefined;
  }
  const s = security as ContainerSecurity;
  for (const key of Object.keys(s)) {
    if (key !== 'runAsRoot' && key !== 'capabilities') collector.report(Rules.PROPS_UNKNOWN, `${field}.${key}`, (s as Record<string, unknown>)[key], 'is not a prop of ContainerSecurity (runAsRoot, capabilities)');
  }
  if (!init) {
    collector.report(Rules.CONTAINER_PRIVILEGES, field, s, `container "${name}" runs alongside the app for the Pod's whole life; only an init container, which exits before the app starts, may have privileges of its own`);
    return undefined;
  }
  if (s.runAsRoot !== undefined && typeof s.runAsRoot !== 'boolean') collector.report(Rules.PROPS_INVALID, `${field}.runAsRoot`, s.runAsRoot, 'must be true or false');
  const caps: unknown = s.capabilities ?? [];
  const values = Object.values(kplus.Capability) as string[];
  if (!Array.isArray(caps) || caps.some(c => !values.includes(c as string) || c === kplus.Capability.ALL)) {
    collector.report(Rules.PROPS_INVALID, `${field}.capabilities`, caps, 'must be a list of Linux capabilities such as Capability.CHOWN (not ALL)');
    return { runAsRoot: s.runAsRoot === true, capabilities: [] };
  }
  const capabilities = [...new Set(caps as kplus.Capability[])];
  if (s.runAsRoot === true) {
    collector.report(Rules.SECURITY_ID_INVALID, `${field}.runAsRoot`, true, `init container "${name}" runs as root (UID 0), which Pod Security "restricted" forbids`, name);
    collector.report(Rules.RUN_AS_NON_ROOT, `${field}.runAsRoot`, true, `init container "${name}" turns runAsNonRoot off`, name);
  }
  capabilities.forEach((cap, i) => {
    if (cap !== kplus.Capability.NET_BIND_SERVICE) {
      collector.report(Rules.CAPABILITY_NOT_ALLOWED, `${field}.capabilities[${i}]`, cap, `is added to init container "${name}"; Pod Security "restricted" allows only NET_BIND_SERVICE${BASELINE_CAPABILITIES.has(cap) ? '' : ', "baseline" does not allow it either'}`, name);
    }
  });
  return { runAsRoot: s.runAsRoot === true, capabilities };
}

/** The security context of a container with privileges of its own, from the Pod's hardened one. */
export function containerSecurityContext(base: ResolvedSecurity, own: ResolvedContainerSecurity): kplus.ContainerSecurityContextProps {
  return merged(base.container, own.runAsRoot ? { ensureNonRoot: false, user: 0, group: 0 } : {}, {
    capabilities: { drop: [kplus.Capability.ALL], add: own.capabilities.length > 0 ? [...own.capabilities] : base.container.capabilities?.add },
  });
}
