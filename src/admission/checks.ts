/**
 * The rules judged at admission, written in CEL: for each, what an object must satisfy to pass,
 * with the same reading of the fields as the audit's check (src/audit/checks/pod.ts,
 * objects.ts). The differential test (test/admission-differential.test.ts) holds the two to one
 * verdict.
 *
 * Pod-template rules read the Pod spec through the policy's variables: `variables.spec` (the Pod
 * spec of a Pod, Pod template, workload controller or CronJob), `variables.annotations` (the
 * object's own annotations, where waivers live) and three lists of containers:
 * `variables.securityContainers` (init, regular and ephemeral containers: ephemeral ones can be
 * added later through `pods/ephemeralcontainers`, a way around a naive policy),
 * `variables.appContainers` (init and regular: ephemeral containers take no resources) and
 * `variables.regularContainers`.
 */

import { PUBLIC_CLUSTER_ROLES } from '../security/cluster-grants';
import { OBSOLETE_SYSCTL_ANNOTATIONS } from '../rules/families/sysctls';
import { Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { celString, containerWaived, orElse, present } from './cel';
import { LEAST_PRIVILEGE, NO_ESCALATION } from './rbac-cel';
import { EMPTYDIR_WITHIN_MEMORY_LIMITS, JOB_IGNORES_DISRUPTIONS, NO_NODE_NAME, VPA_BOUNDS_ORDERED, VPA_BOUNDED } from './workload-cel';
import { COMMAND_LINE_OK, HANDLERS_OK } from './shell-args-cel';
import { NO_SHELL_ENTRYPOINT } from './shutdown-cel';
import { LONG_INITIAL_DELAY_OK, NAMED_PORTS_DECLARED, probesIdentical, tcpLiveness } from './probe-cel';

export { celString } from './cel';

/** Which containers a container predicate runs over. */
export enum ContainerSet {
  /** Init, regular and ephemeral containers. */
  SECURITY = 'securityContainers',
  /** Init and regular containers. */
  APP = 'appContainers',
  /** Regular containers only (not init containers nor native sidecars). */
  REGULAR = 'regularContainers',
}

/** The objects a check judges. */
export enum Target {
  /** Every kind with a Pod template, and Pods as a backstop. */
  POD_TEMPLATES = 'podTemplates',
  /** The long-running controllers (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController). */
  LONG_RUNNING = 'longRunning',
  /** Pods only. */
  PODS = 'pods',
  /** Services. */
  SERVICES = 'services',
  /** Ingresses. */
  INGRESSES = 'ingresses',
  /** Jobs (not CronJobs). */
  JOBS = 'jobs',
  /** CronJobs. */
  CRONJOBS = 'cronjobs',
  /** PodDisruptionBudgets. */
  PDBS = 'poddisruptionbudgets',
  /** Namespaces (cluster-scoped: a binding's namespace selector reads the Namespace's own labels). */
  NAMESPACES = 'namespaces',
  /** PersistentVolumes (cluster-scoped: bound under the profile of unlabelled namespaces only). */
  PERSISTENT_VOLUMES = 'persistentvolumes',
  /** RoleBindings, and ClusterRoleBindings (cluster-scoped: judged under the profile of unlabelled namespaces only). */
  BINDINGS = 'bindings',
  /** Roles, and ClusterRoles (cluster-scoped: judged under the profile of unlabelled namespaces only). */
  ROLES = 'roles',
  /** Jobs and CronJobs (the Job spec: a Job's own, a CronJob's jobTemplate). */
  JOBS_AND_CRONJOBS = 'jobsAndCronJobs',
  /** VerticalPodAutoscalers (autoscaling.k8s.io, a CRD: matched only where it is installed). */
  VERTICAL_POD_AUTOSCALERS = 'verticalpodautoscalers',
}

/** One rule as a CEL check. */
export interface AdmissionCheck {
  /** The rule's id. */
  readonly ruleId: string;
  /** The objects the rule judges. */
  readonly target: Target;
  /** CEL over `variables.spec` (Pod templates) or `object`: true when the object passes (before waivers). */
  readonly passes?: string;
  /** CEL over the container `c`: true when the container passes (before its waivers). */
  readonly container?: string;
  /** The containers `container` runs over. */
  readonly containers?: ContainerSet;
  /** What an offending container does, for the messageExpression ("is privileged"). */
  readonly offence: string;
  /**
   * For rules whose verdict depends on the Kubernetes version: `passes` and `container` for
   * `target`, in place of the fixed ones (see `checkOn`).
   * @default - the same expressions for every target
   */
  readonly onTarget?: (target: KubernetesTarget) => TargetExpressions;
  /**
   * A feature of the API server the expressions need (a CEL library): no policy is generated for
   * targets without it.
   * @default - every target
   */
  readonly needs?: Feature;
}

/** The expressions of a check for one target. */
export interface TargetExpressions {
  /** CEL over the object: true when it passes. */
  readonly passes?: string;
  /** CEL over the container `c`: true when it passes. */
  readonly container?: string;
}

/** `check` with the expressions of `target` (its `onTarget`, when it has one). */
export function checkOn(check: AdmissionCheck, target: KubernetesTarget): AdmissionCheck {
  if (!check.onTarget) return check;
  const { passes, container } = check.onTarget(target);
  return { ...check, passes, container, onTarget: undefined };
}

/** The effective value of a securityContext field of container `c`: its own, else the Pod's, else `fallback`. */
function effective(field: string, fallback: string): string {
  return `(${present(`c.securityContext.${field}`)} ? c.securityContext.${field} : ${orElse(`variables.spec.securityContext.${field}`, fallback)})`;
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const SECCOMP_OK = "['RuntimeDefault', 'Localhost']";
const RESTRICTED_VOLUMES = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];
const SELINUX_TYPES = "['container_t', 'container_init_t', 'container_kvm_t']";

/** SELinux options `o` (a CEL path) that set no custom user, role or type. */
function selinuxOk(o: string): string {
  return `(!${present(o)} || (!has(${o}.user) && !has(${o}.role) && (!has(${o}.type) || ${o}.type in ${SELINUX_TYPES})))`;
}

/**
 * An image reference the audit parses (src/validation/image.ts `parseImage`): an optional
 * registry host (with a dot or a port, or `localhost`), path components, an optional tag and
 * digest. RE2 syntax, as CEL's `matches` uses.
 */
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const HOST = `(?:localhost|${LABEL}(?:\\.${LABEL})+(?::[0-9]+)?|${LABEL}:[0-9]+)`;
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** A first path component followed by more: one with a dot would be read as a registry host. */
const FIRST_COMPONENT = '[a-z0-9]+(?:(?:_|__|-+)[a-z0-9]+)*';
const PATH = `(?:${HOST}/${COMPONENT}(?:/${COMPONENT})*|${FIRST_COMPONENT}(?:/${COMPONENT})+|${COMPONENT})`;
const IMAGE = `^${PATH}(?::[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127})?(?:@(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}))?$`;

/** The labels (or `field`) of the Pod template's metadata (a Pod's own), `{}` when there are none. */
function templateLabels(field = 'labels'): string {
  const of = (meta: string) => `(${present(`${meta}.${field}`)} ? ${meta}.${field} : {})`;
  return `(object.kind == 'Pod' ? ${of('object.metadata')} : object.kind == 'CronJob' ? ${of('object.spec.jobTemplate.spec.template.metadata')} `
    + `: object.kind == 'PodTemplate' ? ${of('object.template.metadata')} : ${of('object.spec.template.metadata')})`;
}

/**
 * No `field` of the list `items` (a CEL path) has "-" or ".". A name the server accepts is a shell
 * identifier unless it holds "-" or ".", and validating admission sees only names the server's
 * validation accepted (SW-ENV-001 refuses the others before 1.34).
 */
function noDashOrDot(items: string, field: string): string {
  return `!${orElse(items, '[]')}.exists(e, has(e.${field}) && e.${field}.matches('[-.]'))`;
}

/** SW-SEC-015 on `target`: the annotations on every minor, the appArmorProfile field from 1.30 (older API servers do not know it). */
function appArmorOn(target: KubernetesTarget): TargetExpressions {
  const field = target.has(Feature.APPARMOR_PROFILE_FIELD);
  const profileOk = (sc: string) => `(!${present(`${sc}.appArmorProfile`)} || (has(${sc}.appArmorProfile.type) && ${sc}.appArmorProfile.type in ['RuntimeDefault', 'Localhost']))`;
  const annotations = templateLabels('annotations');
  const annotationsOk = `${annotations}.all(k, !k.startsWith('${APPARMOR_ANNOTATION_PREFIX}') || ${annotations}[k] == 'runtime/default' || ${annotations}[k].startsWith('localhost/'))`;
  return { passes: field ? `${annotationsOk} && ${profileOk('variables.spec.securityContext')}` : annotationsOk, container: field ? profileOk('c.securityContext') : 'true' };
}

/** SW-SEC-013 on `target`: every sysctl in the target's safe set (the server refuses invalid names, SW-SYSCTL-001, before validating admission). */
function safeSysctlsOn(target: KubernetesTarget): TargetExpressions {
  return { passes: `${orElse('variables.spec.securityContext.sysctls', '[]')}.all(s, !has(s.name) || s.name in [${[...target.safeSysctls].sort().map(celString).join(', ')}])` };
}

/** The loopback hosts a hostNetwork Pod may probe itself on (src/rules/families/security.ts `LOOPBACK`). */
const LOOPBACK = '(?i)^(?:localhost|127(?:\\.[0-9]{1,3}){3}|::1|\\[::1\\])$';

/**
 * SW-SEC-018 over container `c`: no probe or lifecycle handler sets an HTTP or TCP host, but a
 * loopback one in a hostNetwork Pod. The Pod Security level and the target change only the
 * audit's wording, not its verdict.
 */
const NO_HANDLER_HOST = (() => {
  const hostNetwork = `${orElse('variables.spec.hostNetwork', 'false')} == true`;
  const handlers = ['readinessProbe', 'livenessProbe', 'startupProbe', 'lifecycle.preStop', 'lifecycle.postStart'];
  return handlers.flatMap(h => ['httpGet', 'tcpSocket'].map(a => {
    const host = `c.${h}.${a}.host`;
    return `(!${present(host)} || ${host} == '' || (${hostNetwork} && ${host}.matches(${celString(LOOPBACK)})))`;
  })).join(' && ');
})();

/**
 * SW-RES-002 over container `c`: no cpu or memory limit above its request. A request without a
 * limit, or a limit without a request (the request defaults to it), is left alone, as are the
 * quantities SW-RES-001 refuses (not quantities, negative, a limit below its request).
 */
const GUARANTEED = ['cpu', 'memory'].map(kind => {
  const request = `string(c.resources.requests['${kind}'])`;
  const limit = `string(c.resources.limits['${kind}'])`;
  return `!(${present('c.resources.requests')} && ${present('c.resources.limits')} && '${kind}' in c.resources.requests && '${kind}' in c.resources.limits`
    + ` && isQuantity(${request}) && isQuantity(${limit}) && quantity(${request}).sign() >= 0 && quantity(${limit}).compareTo(quantity(${request})) > 0)`;
}).join(' && ');

/** The rules generated as ValidatingAdmissionPolicies, by id. */
export const ADMISSION_CHECKS: readonly AdmissionCheck[] = [
  { ruleId: 'SW-SEC-001', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'runs as user or group 0', container: `${effective('runAsUser', '-1')} != 0 && ${effective('runAsGroup', '-1')} != 0` },
  { ruleId: 'SW-SEC-002', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'adds a capability other than NET_BIND_SERVICE', container: `${orElse('c.securityContext.capabilities.add', '[]')}.all(x, x == 'NET_BIND_SERVICE')` },
  {
    ruleId: 'SW-SEC-003', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'runs with a UID or GID of 10000 or lower',
    container: `!(${effective('runAsUser', '-1')} >= 1 && ${effective('runAsUser', '-1')} <= 10000) && !(${effective('runAsGroup', '-1')} >= 1 && ${effective('runAsGroup', '-1')} <= 10000)`,
  },
  { ruleId: 'SW-SEC-004', target: Target.POD_TEMPLATES, offence: 'mounts a hostPath volume', passes: `${orElse('variables.spec.volumes', '[]')}.all(v, !has(v.hostPath))` },
  { ruleId: 'SW-SEC-005', target: Target.POD_TEMPLATES, offence: "shares the node's network, PID or IPC namespace", passes: ['hostNetwork', 'hostPID', 'hostIPC'].map(f => `${orElse(`variables.spec.${f}`, 'false')} != true`).join(' && ') },
  { ruleId: 'SW-SEC-006', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'is privileged', container: `${orElse('c.securityContext.privileged', 'false')} != true` },
  { ruleId: 'SW-SEC-007', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'does not drop ALL capabilities', container: `'ALL' in ${orElse('c.securityContext.capabilities.drop', '[]')}` },
  { ruleId: 'SW-SEC-008', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'binds a hostPort', container: `${orElse('c.ports', '[]')}.all(p, !has(p.hostPort) || p.hostPort == 0)` },
  {
    ruleId: 'SW-SEC-009', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'has no RuntimeDefault or Localhost seccomp profile',
    passes: `!${present('variables.spec.securityContext.seccompProfile')} || variables.spec.securityContext.seccompProfile.type in ${SECCOMP_OK}`,
    container: `${present('c.securityContext.seccompProfile')} ? c.securityContext.seccompProfile.type in ${SECCOMP_OK} : ${present('variables.spec.securityContext.seccompProfile')}`,
  },
  { ruleId: 'SW-SEC-010', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'may run as root (runAsNonRoot is not true)', container: `${effective('runAsNonRoot', 'false')} == true` },
  { ruleId: 'SW-SEC-011', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'allows privilege escalation', container: `${orElse('c.securityContext.allowPrivilegeEscalation', 'true')} == false` },
  { ruleId: 'SW-SEC-012', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'has a writable root filesystem', container: `${orElse('c.securityContext.readOnlyRootFilesystem', 'false')} == true` },
  { ruleId: 'SW-SEC-014', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'unmasks /proc', container: `${orElse('c.securityContext.procMount', "'Default'")} == 'Default'` },
  {
    ruleId: 'SW-SEC-016', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'sets a custom SELinux user, role or type',
    passes: selinuxOk('variables.spec.securityContext.seLinuxOptions'), container: selinuxOk('c.securityContext.seLinuxOptions'),
  },
  {
    ruleId: 'SW-SEC-013', target: Target.POD_TEMPLATES, offence: 'sets a sysctl outside the safe set of the target',
    onTarget: safeSysctlsOn,
  },
  {
    ruleId: 'SW-SEC-015', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'disables or replaces the runtime AppArmor profile',
    onTarget: appArmorOn,
  },
  { ruleId: 'SW-SEC-017', target: Target.POD_TEMPLATES, offence: 'uses a volume type Pod Security "restricted" forbids', passes: `${orElse('variables.spec.volumes', '[]')}.all(v, ${['hostPath', ...RESTRICTED_VOLUMES].map(t => `has(v.${t})`).join(' || ')})` },
  { ruleId: 'SW-RES-004', target: Target.POD_TEMPLATES, containers: ContainerSet.APP, offence: 'has no cpu or memory limit', container: `${present('c.resources.limits')} && 'cpu' in c.resources.limits && 'memory' in c.resources.limits` },
  {
    ruleId: 'SW-RES-002', target: Target.POD_TEMPLATES, containers: ContainerSet.APP, needs: Feature.CEL_QUANTITY, offence: 'has a cpu or memory limit above its request, so the Pod is not Guaranteed',
    container: GUARANTEED,
  },
  { ruleId: 'SW-RES-005', target: Target.POD_TEMPLATES, containers: ContainerSet.APP, offence: 'has no ephemeral-storage limit', container: `${present('c.resources.limits')} && 'ephemeral-storage' in c.resources.limits` },
  {
    ruleId: 'SW-IMAGE-001', target: Target.POD_TEMPLATES, containers: ContainerSet.APP, offence: 'uses an image without a version tag or digest',
    container: `!has(c.image) || !c.image.matches(${celString(IMAGE)}) || c.image.contains('@') || (c.image.matches(':[^/]+$') && !c.image.endsWith(':latest'))`,
  },
  { ruleId: 'SW-IMAGE-002', target: Target.POD_TEMPLATES, containers: ContainerSet.SECURITY, offence: 'has no image or an image reference that is not valid', container: `has(c.image) && c.image.matches(${celString(IMAGE)})` },
  {
    ruleId: 'SW-SHUTDOWN-002', target: Target.POD_TEMPLATES, containers: ContainerSet.REGULAR, offence: 'runs its app under a shell as PID 1 (sh -c without exec), which does not forward SIGTERM',
    container: NO_SHELL_ENTRYPOINT,
    // Native sidecars (init containers with restartPolicy Always) are judged too.
    passes: `${orElse('variables.spec.initContainers', '[]')}.all(c, !has(c.restartPolicy) || c.restartPolicy != 'Always' || ${containerWaived('SW-SHUTDOWN-002')} || ${NO_SHELL_ENTRYPOINT})`,
  },
  {
    ruleId: 'SW-CONTAINER-002', target: Target.POD_TEMPLATES, containers: ContainerSet.APP, offence: 'hands a "sh -c" script arguments it never reads (the script is the one argument after -c)',
    container: COMMAND_LINE_OK,
    // The probes and hooks in an expression of their own, to keep each within the per-expression cost limit.
    passes: `(${orElse('variables.spec.initContainers', '[]')} + variables.spec.containers).all(c, ${containerWaived('SW-CONTAINER-002')} || (${HANDLERS_OK}))`,
  },
  { ruleId: 'SW-PROBE-002', target: Target.POD_TEMPLATES, containers: ContainerSet.REGULAR, offence: 'has a liveness probe running the same check as readiness, so a busy Pod is restarted instead of drained', container: `!(${probesIdentical()}) || (${tcpLiveness})` },
  { ruleId: 'SW-PROBE-008', target: Target.POD_TEMPLATES, containers: ContainerSet.REGULAR, offence: 'has a TCP liveness probe connecting to the same port as readiness', container: `!(${probesIdentical()}) || !(${tcpLiveness})` },
  { ruleId: 'SW-PROBE-003', target: Target.POD_TEMPLATES, containers: ContainerSet.REGULAR, offence: 'has a probe naming a port the container does not declare', container: NAMED_PORTS_DECLARED },
  { ruleId: 'SW-PROBE-007', target: Target.POD_TEMPLATES, containers: ContainerSet.REGULAR, offence: 'has a liveness initialDelaySeconds above 30 instead of a startup probe', container: LONG_INITIAL_DELAY_OK },
  { ruleId: 'SW-SEC-018', target: Target.POD_TEMPLATES, containers: ContainerSet.APP, offence: 'has a probe or lifecycle hook with a host, which the kubelet calls from the node', container: NO_HANDLER_HOST },
  { ruleId: 'SW-PROBE-006', target: Target.LONG_RUNNING, containers: ContainerSet.REGULAR, offence: 'has no liveness probe', container: 'has(c.livenessProbe)' },
  {
    ruleId: 'SW-VOL-002', target: Target.POD_TEMPLATES, offence: 'has an emptyDir volume without a sizeLimit',
    // A memory-backed emptyDir counts against the Pod's memory limits: with one on every container it is bounded.
    passes: `${orElse('variables.spec.volumes', '[]')}.all(v, !has(v.emptyDir) || has(v.emptyDir.sizeLimit) || (has(v.emptyDir.medium) && v.emptyDir.medium.startsWith('HugePages'))`
      + ` || (has(v.emptyDir.medium) && v.emptyDir.medium == 'Memory' && (${orElse('variables.spec.initContainers', '[]')} + ${orElse('variables.spec.containers', '[]')})`
      + '.all(c, has(c.resources) && has(c.resources.limits) && \'memory\' in c.resources.limits)))',
  },
  { ruleId: 'SW-VOL-003', target: Target.POD_TEMPLATES, needs: Feature.CEL_QUANTITY, offence: 'has a memory-backed emptyDir whose sizeLimit is above the memory limit of a container mounting it', passes: EMPTYDIR_WITHIN_MEMORY_LIMITS },
  { ruleId: 'SW-SCHED-002', target: Target.POD_TEMPLATES, offence: 'sets nodeName, which places its Pods without the scheduler', passes: NO_NODE_NAME },
  { ruleId: 'SW-POD-001', target: Target.PODS, offence: 'has no controller', passes: 'has(object.metadata.ownerReferences) && size(object.metadata.ownerReferences) > 0' },
  { ruleId: 'SW-SVC-004', target: Target.SERVICES, offence: 'is a NodePort Service', passes: "!has(object.spec.type) || object.spec.type != 'NodePort'" },
  { ruleId: 'SW-INGRESS-002', target: Target.INGRESSES, offence: 'does not terminate TLS', passes: 'has(object.spec.tls) && size(object.spec.tls) > 0' },
  { ruleId: 'SW-LABEL-002', target: Target.POD_TEMPLATES, offence: 'lacks app.kubernetes.io/name or app.kubernetes.io/instance on its Pods', passes: `['app.kubernetes.io/name', 'app.kubernetes.io/instance'].all(k, k in ${templateLabels()})` },
  {
    ruleId: 'SW-ENV-006', target: Target.POD_TEMPLATES, containers: ContainerSet.APP, offence: 'has an env name or envFrom prefix with "-" or ".", unreadable from a shell',
    container: `${noDashOrDot('c.env', 'name')} && ${noDashOrDot('c.envFrom', 'prefix')}`,
    // Ephemeral containers in an expression of their own, to keep each within the per-expression cost limit.
    passes: `${orElse('variables.spec.ephemeralContainers', '[]')}.all(c, ${containerWaived('SW-ENV-006')} || (${noDashOrDot('c.env', 'name')} && ${noDashOrDot('c.envFrom', 'prefix')}))`,
  },
  {
    ruleId: 'SW-SYSCTL-004', target: Target.POD_TEMPLATES, offence: 'sets sysctls in an alpha annotation ignored since Kubernetes 1.11',
    passes: `[${OBSOLETE_SYSCTL_ANNOTATIONS.map(celString).join(', ')}].all(k, !(k in ${templateLabels('annotations')}))`,
  },
  { ruleId: 'SW-RBAC-001', target: Target.ROLES, offence: 'grants more than least privilege (a wildcard, a rule granting nothing, or write or list access to every Secret)', passes: LEAST_PRIVILEGE },
  { ruleId: 'SW-RBAC-002', target: Target.ROLES, offence: 'grants a path to more permissions (escalate, bind, impersonate, exec, token or certificate minting)', passes: NO_ESCALATION },
  {
    ruleId: 'SW-SA-003', target: Target.BINDINGS, offence: 'binds a role to the default ServiceAccount, so every Pod naming none gets it',
    passes: `${orElse('object.subjects', '[]')}.all(s, !(has(s.kind) && s.kind == 'ServiceAccount' && has(s.name) && s.name == 'default'))`,
  },
  {
    ruleId: 'SW-RBAC-007', target: Target.BINDINGS, offence: 'grants its role to anonymous users, every user or every ServiceAccount',
    // The discovery roles Kubernetes binds to those groups itself are spared.
    passes: `(${present('object.roleRef.kind')} && object.roleRef.kind == 'ClusterRole' && has(object.roleRef.name) && object.roleRef.name in [${PUBLIC_CLUSTER_ROLES.map(celString).join(', ')}])`
      + ` || ${orElse('object.subjects', '[]')}.all(s, !(has(s.kind) && has(s.name) && ((s.kind == 'User' && s.name == 'system:anonymous')`
      + " || (s.kind == 'Group' && s.name in ['system:unauthenticated', 'system:authenticated', 'system:serviceaccounts']))))",
  },
  { ruleId: 'SW-PV-003', target: Target.PERSISTENT_VOLUMES, offence: 'is a hostPath volume: the data lives on whichever node the Pod lands on', passes: '!has(object.spec.hostPath)' },
  { ruleId: 'SW-VPA-004', target: Target.VERTICAL_POD_AUTOSCALERS, needs: Feature.CEL_QUANTITY, offence: 'has a containerPolicy with minAllowed above maxAllowed', passes: VPA_BOUNDS_ORDERED },
  { ruleId: 'SW-VPA-005', target: Target.VERTICAL_POD_AUTOSCALERS, offence: 'may raise cpu or memory without bound (no maxAllowed, or no "*" containerPolicy for the containers without their own)', passes: VPA_BOUNDED },
  { ruleId: 'SW-JOB-002', target: Target.JOBS, offence: 'sets no ttlSecondsAfterFinished, so it is never removed', passes: 'has(object.spec.ttlSecondsAfterFinished)' },
  { ruleId: 'SW-JOB-005', target: Target.JOBS_AND_CRONJOBS, offence: 'has no podFailurePolicy rule ignoring DisruptionTarget, so node drains use up its retries', passes: JOB_IGNORES_DISRUPTIONS },
  {
    ruleId: 'SW-CRON-005', target: Target.CRONJOBS, offence: "sets startingDeadlineSeconds under the CronJob controller's 10-second polling period, so runs may be skipped",
    passes: '!has(object.spec.startingDeadlineSeconds) || object.spec.startingDeadlineSeconds >= 10',
  },
  { ruleId: 'SW-CRON-003', target: Target.CRONJOBS, offence: 'sets no startingDeadlineSeconds, so a missed run starts however late it is', passes: 'has(object.spec.startingDeadlineSeconds)' },
  { ruleId: 'SW-PDB-005', target: Target.PDBS, offence: 'lets Pods that are not ready block drains (unhealthyPodEvictionPolicy is not AlwaysAllow)', passes: "has(object.spec.unhealthyPodEvictionPolicy) && object.spec.unhealthyPodEvictionPolicy == 'AlwaysAllow'" },
  {
    ruleId: 'SW-NS-004', target: Target.NAMESPACES, offence: 'has no pod-security.kubernetes.io/enforce label',
    passes: "has(object.metadata.labels) && 'pod-security.kubernetes.io/enforce' in object.metadata.labels && object.metadata.labels['pod-security.kubernetes.io/enforce'] != ''",
  },
];
