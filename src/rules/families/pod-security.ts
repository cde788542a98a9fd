import { RESTRICTED_VOLUME_TYPES } from '../../target/capabilities';
import type { KubernetesTarget } from '../../target/target';
import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of per-container privileges and Pod Security admission. */
export const PodSecurityRules = {
  CONTAINER_PRIVILEGES: rule({
    id: 'SW-SEC-019',
    title: 'Only init containers have privileges of their own',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'An init container runs to completion before the app starts, so root or an added capability used to prepare a volume or a kernel parameter is gone when the app runs; a sidecar runs for the Pod\'s whole life, so its privileges are the Pod\'s.',
    fix: 'move the privileged step into an init container (initContainers[].security), or drop the privileges of the sidecar',
    kinds: [],
    see: `${K8S}/concepts/workloads/pods/init-containers/`,
  }),
  POD_NOT_ADMITTED: rule({
    id: 'SW-SEC-020',
    title: 'Pods meet the Pod Security level their namespace enforces',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'Pod Security Admission rejects every Pod that breaks a control of the level in the namespace\'s pod-security.kubernetes.io/enforce label: an init container running as root or adding a capability is refused under "restricted" (and a capability outside baseline\'s list under "baseline"), so the controller never gets its Pods.',
    fix: 'put the workload in a Tenant (namespace) whose podSecurity admits it (BASELINE for root or baseline capabilities, PRIVILEGED beyond), or drop the privilege',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/security/pod-security-admission/`,
  }),
} as const;

/** The capabilities Pod Security "baseline" allows containers to add. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

/** A Pod spec as read from a manifest or rendered, loosely typed. */
type PodSpecLike = { readonly [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One control of a Pod Security level a Pod spec breaks, at a path in the Pod spec. */
export interface PodSecurityViolation {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * The controls of Pod Security `level` ("baseline" or "restricted"; "privileged" has none) that a
 * Pod spec breaks, as Pod Security Admission of `target` judges them: host namespaces, privileged
 * containers, capabilities, hostPath volumes, host ports, sysctls, /proc mount and seccomp for
 * baseline; plus volume types, privilege escalation, non-root, capabilities dropped and seccomp
 * for restricted. Every container counts, init containers included.
 */
export function podSecurityViolations(spec: PodSpecLike, level: string, target: KubernetesTarget): PodSecurityViolation[] {
  if (level !== 'baseline' && level !== 'restricted') return [];
  const restricted = level === 'restricted';
  const out: PodSecurityViolation[] = [];
  const add = (field: string, value: unknown, problem: string) => out.push({ field, value, problem: `${problem}, which Pod Security "${level}" forbids` });
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec?.[f] === true) add(f, true, `shares the node's ${f.slice(4)} namespace`);
  const psc = spec?.securityContext ?? {};
  (Array.isArray(psc.sysctls) ? psc.sysctls : []).forEach((s: PodSpecLike, i: number) => {
    if (!target.safeSysctls.has(s?.name)) add(`securityContext.sysctls[${i}]`, s?.name, 'sets an unsafe sysctl');
  });
  const seccompOk = (type: unknown) => (restricted ? type === 'RuntimeDefault' || type === 'Localhost' : type !== 'Unconfined');
  if (psc.seccompProfile?.type !== undefined && !seccompOk(psc.seccompProfile.type)) add('securityContext.seccompProfile.type', psc.seccompProfile.type, 'disables seccomp');
  if (restricted && psc.runAsUser === 0) add('securityContext.runAsUser', 0, 'runs as root');
  (Array.isArray(spec?.volumes) ? spec.volumes : []).forEach((v: PodSpecLike, i: number) => {
    const type = Object.keys(v ?? {}).find(k => k !== 'name');
    if (type === 'hostPath') add(`volumes[${i}]`, v?.name, 'mounts a hostPath volume');
    else if (restricted && (!type || !RESTRICTED_VOLUME_TYPES.has(type))) add(`volumes[${i}]`, v?.name, `uses a ${type ?? 'typeless'} volume`);
  });
  const lists: Array<[string, PodSpecLike[]]> = [['initContainers', spec?.initContainers], ['containers', spec?.containers], ['ephemeralContainers', spec?.ephemeralContainers]]
    .map(([k, v]) => [k as string, Array.isArray(v) ? v : []]);
  for (const [list, containers] of lists) {
    containers.forEach((c, i) => {
      const at = `${list}[${i}].securityContext`;
      const sc = c?.securityContext ?? {};
      const name = `container "${c?.name}"`;
      if (sc.privileged === true) add(`${at}.privileged`, true, `${name} is privileged`);
      if (sc.procMount !== undefined && sc.procMount !== 'Default') add(`${at}.procMount`, sc.procMount, `${name} unmasks /proc`);
      if (sc.seccompProfile?.type !== undefined && !seccompOk(sc.seccompProfile.type)) add(`${at}.seccompProfile.type`, sc.seccompProfile.type, `${name} disables seccomp`);
      (Array.isArray(c?.ports) ? c.ports : []).forEach((p: PodSpecLike, j: number) => {
        if (p?.hostPort) add(`${list}[${i}].ports[${j}].hostPort`, p.hostPort, `${name} binds a host port`);
      });
      const added: unknown[] = Array.isArray(sc.capabilities?.add) ? sc.capabilities.add : [];
      added.forEach((cap, j) => {
        if (restricted ? cap !== 'NET_BIND_SERVICE' : !BASELINE_CAPABILITIES.has(cap as string)) add(`${at}.capabilities.add[${j}]`, cap, `${name} adds ${String(cap)}`);
      });
      if (!restricted) return;
      if (sc.allowPrivilegeEscalation !== false) add(`${at}.allowPrivilegeEscalation`, sc.allowPrivilegeEscalation, `${name} may escalate privileges`);
      const drop: unknown[] = Array.isArray(sc.capabilities?.drop) ? sc.capabilities.drop : [];
      if (!drop.includes('ALL')) add(`${at}.capabilities.drop`, drop, `${name} does not drop ALL capabilities`);
      if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true || sc.runAsNonRoot === false) add(`${at}.runAsNonRoot`, sc.runAsNonRoot ?? psc.runAsNonRoot, `${name} may run as root`);
      if (sc.runAsUser === 0) add(`${at}.runAsUser`, 0, `${name} runs as root`);
      if (!seccompOk(sc.seccompProfile?.type ?? psc.seccompProfile?.type)) add(`${at}.seccompProfile`, undefined, `${name} has no seccomp profile`);
    });
  }
  return out;
}
