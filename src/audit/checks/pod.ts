import { DeclaredPort } from '../../pod/probe';
import { PortDeclaration, resolvePorts } from '../../pod/ports';
import { checkEntrypoint, GRACE_MARGIN_SECONDS } from '../../pod/shutdown';
import { Rules } from '../../rules/catalog';
import { maxSkewProblem } from '../../rules/families/availability';
import { configItemFindings } from '../../rules/families/config';
import { commandLineShellProblem, shellScriptArgsProblem } from '../../rules/families/containers';
import { envFromKeyFindings, envNameFinding } from '../../rules/families/env';
import { cachedPrivateImageProblem } from '../../rules/families/images';
import { LimitRangeItemLike, limitRangeViolations } from '../../tenancy/quota-arithmetic';
import { hugePageVolumeProblem, isHugePages, resourceListProblems } from '../../rules/families/resources';
import { identicalProbes, longInitialDelayProblem, probeCountProblem, successThresholdProblem } from '../../rules/families/probes';
import { isMirrorPod, nodeNameProblem, tolerationSecondsProblem } from '../../rules/families/scheduling';
import { podSecurityViolations } from '../../rules/families/pod-security';
import { checkHandlerHost, checkUserId } from '../../rules/families/security';
import { OBSOLETE_SYSCTL_ANNOTATIONS, sysctlFindings } from '../../rules/families/sysctls';
import { Rule, WORKLOAD_KINDS } from '../../rules/rule';
import { Feature, RESTRICTED_VOLUME_TYPES } from '../../target/capabilities';
import { isPinned, parseImage } from '../../validation/image';
import { dns1123LabelProblem } from '../../validation/names';
import { parseQuantity } from '../../validation/quantity';
import { looksSecret } from '../../validation/secrets';
import { CheckContext, ObjectCheck } from '../check';
import { declaredContext } from './declared';
import { containersOf, ContainerRef, ephemeralContainersOf, handlerSleepSeconds, KubeObject, PodTemplateRef, quantitiesOf } from '../kube';
import { namespaceOf, ObjectIndex } from '../object-index';

/** Pod-level checks: every container and the Pod spec of every workload. */

const SELINUX_TYPES = new Set(['container_t', 'container_init_t', 'container_kvm_t']);
const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

/** A check of a Pod template as a whole, and the rules it reports. */
interface PodSpecCheck {
  readonly rules: readonly Rule[];
  readonly run: (obj: KubeObject, t: PodTemplateRef, containers: ContainerRef[], ctx: CheckContext) => void;
}

/** A check of one container of a Pod template, and the rules it reports. */
interface ContainerCheck {
  readonly rules: readonly Rule[];
  readonly run: (c: ContainerRef, obj: KubeObject, t: PodTemplateRef, ctx: CheckContext) => void;
}

/** Checks of the Pod spec run before the containers' (the order of the findings of one object). */
const POD_SPEC_CHECKS: readonly PodSpecCheck[] = [
  {
    rules: [Rules.HOST_NAMESPACES, Rules.SYSCTL_INVALID, Rules.SYSCTL_NOT_NAMESPACED, Rules.UNSAFE_SYSCTL, Rules.SELINUX, Rules.FEATURE_NOT_ON_TARGET, Rules.APPARMOR,
      Rules.SYSCTL_ANNOTATION, Rules.SECCOMP, Rules.RUN_AS_NON_ROOT, Rules.SECURITY_ID_INVALID, Rules.SECURITY_ID_LOW],
    run: (_obj, t, containers, ctx) => checkPodSecurity(t, [...containers, ...ephemeralContainersOf(t)], ctx),
  },
  {
    // Ephemeral containers (kubectl debug) hold no ports, probes or resources: the rules on what they may hold apply.
    rules: [Rules.IMAGE_INVALID, Rules.IMAGE_NOT_PINNED, Rules.PULL_POLICY_IMPLICIT, Rules.PRIVATE_IMAGE_CACHED, Rules.PULL_POLICY_NEVER,
      Rules.PRIVILEGED, Rules.PRIVILEGE_ESCALATION, Rules.CAPABILITIES_NOT_DROPPED, Rules.CAPABILITY_NOT_ALLOWED, Rules.READ_ONLY_ROOT, Rules.PROC_MOUNT, Rules.SELINUX, Rules.HOST_PORT,
      Rules.ENV_NAME_INVALID, Rules.ENV_NAME_NOT_PORTABLE, Rules.ENV_DUPLICATE, Rules.SECRET_LITERAL, Rules.ENV_REFERENCE_MISSING, Rules.ENV_FROM_KEY_SKIPPED],
    run: (obj, t, _containers, ctx) => {
      for (const c of ephemeralContainersOf(t)) {
        checkImage(c, ctx.reporter, Array.isArray(t.spec.imagePullSecrets) && t.spec.imagePullSecrets.length > 0);
        checkContainerSecurity(c, ctx.reporter);
        checkEnv(c, obj, ctx);
      }
    },
  },
  { rules: [Rules.POD_NOT_ADMITTED], run: (obj, t, _containers, ctx) => checkAdmission(obj, t, ctx) },
  { rules: [Rules.PROBE_HOST], run: (obj, t, containers, ctx) => { for (const c of containers) checkHandlerHosts(obj, t, c, ctx); } },
  { rules: [Rules.HOST_PATH, Rules.VOLUME_TYPE, Rules.HUGEPAGES_VOLUME, Rules.EMPTYDIR_UNBOUNDED, Rules.CONFIG_ITEM_INVALID], run: (_obj, t, _containers, ctx) => checkVolumes(t, ctx.reporter) },
  { rules: [Rules.PORT_DUPLICATE, Rules.PORT_INVALID], run: (_obj, _t, containers, ctx) => checkPorts(containers, ctx.reporter) },
];

/** Checks of each container, in turn. */
const CONTAINER_CHECKS: readonly ContainerCheck[] = [
  { rules: [Rules.REQUESTS_LIMITS_MISSING, Rules.SIZE_INVALID, Rules.NOT_GUARANTEED, Rules.EPHEMERAL_STORAGE_MISSING, Rules.HUGEPAGES_INVALID, Rules.EXTENDED_RESOURCE_INVALID], run: (c, _obj, _t, ctx) => checkResources(c, ctx.reporter) },
  {
    rules: [Rules.IMAGE_INVALID, Rules.IMAGE_NOT_PINNED, Rules.PULL_POLICY_IMPLICIT, Rules.PRIVATE_IMAGE_CACHED, Rules.PULL_POLICY_NEVER],
    run: (c, _obj, t, ctx) => checkImage(c, ctx.reporter, Array.isArray(t.spec.imagePullSecrets) && t.spec.imagePullSecrets.length > 0),
  },
  {
    rules: [Rules.PRIVILEGED, Rules.PRIVILEGE_ESCALATION, Rules.CAPABILITIES_NOT_DROPPED, Rules.CAPABILITY_NOT_ALLOWED, Rules.READ_ONLY_ROOT, Rules.PROC_MOUNT, Rules.SELINUX, Rules.HOST_PORT],
    run: (c, _obj, _t, ctx) => checkContainerSecurity(c, ctx.reporter),
  },
  { rules: [Rules.ENV_NAME_INVALID, Rules.ENV_NAME_NOT_PORTABLE, Rules.ENV_DUPLICATE, Rules.SECRET_LITERAL, Rules.ENV_REFERENCE_MISSING, Rules.ENV_FROM_KEY_SKIPPED], run: (c, obj, _t, ctx) => checkEnv(c, obj, ctx) },
  {
    rules: [Rules.PROBE_READINESS_MISSING, Rules.PROBE_LIVENESS_ABSENT, Rules.PROBE_IDENTICAL, Rules.PROBE_TCP_IDENTICAL, Rules.PROBE_PORT_UNDECLARED, Rules.PROBE_FIELD_INVALID, Rules.STARTUP_PROBE_MISSING],
    run: (c, obj, t, ctx) => { if (!c.init) checkProbes(obj, t, c, ctx); },
  },
  { rules: [Rules.SHELL_SCRIPT_ARGS], run: (c, _obj, _t, ctx) => checkShellScripts(c, ctx.reporter) },
  {
    rules: [Rules.SHELL_ENTRYPOINT],
    run: (c, _obj, _t, ctx) => {
      if (!c.init || c.sidecar) {
        checkEntrypoint(Array.isArray(c.container.command) ? c.container.command : undefined, `${c.path}.command`, ctx.reporter, { value: Array.isArray(c.container.args) ? c.container.args : undefined, field: `${c.path}.args` });
      }
    },
  },
];

/** Checks of the Pod spec run after the containers'. */
const POD_SPEC_CHECKS_AFTER: readonly PodSpecCheck[] = [
  { rules: [Rules.GRACE_TOO_SHORT], run: (_obj, t, containers, ctx) => checkShutdown(t, containers, ctx.reporter) },
  { rules: [Rules.CONTAINER_NAME_DUPLICATE, Rules.FEATURE_NOT_ON_TARGET, Rules.INIT_CONTAINER_HOOKS, Rules.EMPTYDIR_OVER_LIMIT, Rules.SPREAD_INVALID], run: (_obj, t, containers, ctx) => checkContainerShape(t, containers, ctx) },
  { rules: [Rules.LIMIT_RANGE_VIOLATION], run: checkLimitRanges },
  // The kubelet's mirror Pod of a static Pod carries its node's name.
  { rules: [Rules.NODE_NAME], run: (obj, t, _containers, ctx) => { if (!isMirrorPod(obj)) checkNodeName(t, ctx.reporter); } },
  { rules: [Rules.SCHEDULING_INVALID], run: (_obj, t, _containers, ctx) => checkTolerations(t, ctx.reporter) },
  { rules: [Rules.TOKEN_AUTOMOUNT], run: (obj, t, _containers, ctx) => checkTokenAutomount(obj, t, ctx) },
];

/** Every Pod-level and container check, in order, on the Pod template of `obj`. */
function checkPod(obj: KubeObject, ctx: CheckContext): void {
  const t = ctx.index.templateOf(obj);
  if (!t) return;
  const containers = containersOf(t);
  for (const check of POD_SPEC_CHECKS) check.run(obj, t, containers, declaredContext(check.rules, ctx));
  for (const c of containers) {
    for (const check of CONTAINER_CHECKS) check.run(c, obj, t, declaredContext(check.rules, ctx));
  }
  for (const check of POD_SPEC_CHECKS_AFTER) check.run(obj, t, containers, declaredContext(check.rules, ctx));
}

function checkNodeName(t: PodTemplateRef, r: CheckContext['reporter']): void {
  const nodeName = nodeNameProblem(t.spec.nodeName);
  if (nodeName) r.report(Rules.NODE_NAME, `${t.path}.nodeName`, t.spec.nodeName, nodeName);
}

function checkTolerations(t: PodTemplateRef, r: CheckContext['reporter']): void {
  (Array.isArray(t.spec.tolerations) ? t.spec.tolerations : []).forEach((tol: KubeObject, i: number) => {
    const problem = tolerationSecondsProblem(tol?.effect, tol?.tolerationSeconds);
    if (problem) r.report(Rules.SCHEDULING_INVALID, `${t.path}.tolerations[${i}].tolerationSeconds`, tol.tolerationSeconds, problem);
  });
}

function checkTokenAutomount(obj: KubeObject, t: PodTemplateRef, ctx: CheckContext): void {
  const r = ctx.reporter;
  if (t.spec.automountServiceAccountToken !== false) {
    const saName = t.spec.serviceAccountName ?? 'default';
    const sa = ctx.index.get('ServiceAccount', obj.metadata?.namespace ?? '', saName);
    const offByAccount = sa && sa.automountServiceAccountToken === false && t.spec.automountServiceAccountToken === undefined;
    // A (Cluster)RoleBinding granting the account permissions says the app calls the API: the token is needed.
    const needed = boundServiceAccounts(ctx.index).has(`${obj.metadata?.namespace ?? ''}/${saName}`);
    if (!offByAccount && !needed) {
      r.report(Rules.TOKEN_AUTOMOUNT, `${t.path}.automountServiceAccountToken`, t.spec.automountServiceAccountToken, 'the ServiceAccount token is mounted into the Pods');
    }
  }
}

/** SW-CONTAINER-002: a "sh -c" script handed arguments it never reads, in the command line, the probes and the hooks. */
function checkShellScripts(c: ContainerRef, r: CheckContext['reporter']): void {
  const line = commandLineShellProblem(c.container.command, c.container.args);
  if (line) r.report(Rules.SHELL_SCRIPT_ARGS, `${c.path}.${line.field}`, line.value, line.problem);
  for (const [at, commandOf] of EXEC_COMMANDS) {
    const command = commandOf(c.container);
    const problem = Array.isArray(command) ? shellScriptArgsProblem(command) : undefined;
    if (problem) r.report(Rules.SHELL_SCRIPT_ARGS, `${c.path}.${at}`, command, problem);
  }
}

/** The exec commands of a container's probes and hooks, in the order they are checked, with their paths. */
const EXEC_COMMANDS: ReadonlyArray<readonly [string, (c: KubeObject) => unknown]> = [
  ['readinessProbe.exec.command', c => c.readinessProbe?.exec?.command],
  ['livenessProbe.exec.command', c => c.livenessProbe?.exec?.command],
  ['startupProbe.exec.command', c => c.startupProbe?.exec?.command],
  ['lifecycle.postStart.exec.command', c => c.lifecycle?.postStart?.exec?.command],
  ['lifecycle.preStop.exec.command', c => c.lifecycle?.preStop?.exec?.command],
];

function checkPodSecurity(t: PodTemplateRef, containers: ContainerRef[], ctx: CheckContext): void {
  const r = ctx.reporter;
  const spec = t.spec;
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[f] === true) r.report(Rules.HOST_NAMESPACES, `${t.path}.${f}`, true, `the Pod shares the node's ${f.slice(4)} namespace`);
  }
  const sc = spec.securityContext ?? {};
  for (const f of sysctlFindings(Array.isArray(sc.sysctls) ? sc.sysctls : [], ctx.target, { network: spec.hostNetwork === true, ipc: spec.hostIPC === true })) {
    r.report(f.rule, `${t.path}.securityContext.sysctls[${f.index}]${f.part === 'value' ? '.value' : ''}`, f.value, f.problem);
  }
  checkSelinux(sc.seLinuxOptions, `${t.path}.securityContext.seLinuxOptions`, r);
  checkAppArmorField(sc, `${t.path}.securityContext`, ctx);
  for (const c of containers) {
    checkAppArmorField(c.container.securityContext, `${c.path}.securityContext`, ctx);
  }
  for (const key of OBSOLETE_SYSCTL_ANNOTATIONS) {
    const value = t.annotations[key];
    if (value === undefined) continue;
    const pairs = String(value).split(',').map(p => p.trim()).filter(p => p.length > 0);
    r.report(Rules.SYSCTL_ANNOTATION, `${t.path.replace(/spec$/, 'metadata')}.annotations.${key}`, value,
      `is ignored since Kubernetes 1.11, so ${pairs.length === 1 ? 'this sysctl is' : `these ${pairs.length} sysctls are`} never set; put ${pairs.map(p => { const [name, ...rest] = p.split('='); return `{ name: ${JSON.stringify(name)}, value: ${JSON.stringify(rest.join('='))} }`; }).join(', ')} in ${t.path}.securityContext.sysctls`);
  }
  for (const [k, v] of Object.entries(t.annotations)) {
    if (k.startsWith('container.apparmor.security.beta.kubernetes.io/') && !(v === 'runtime/default' || v.startsWith('localhost/'))) {
      r.report(Rules.APPARMOR, `metadata.annotations.${k}`, v, 'disables or replaces the runtime AppArmor profile');
    }
  }
  const podSeccomp = sc.seccompProfile?.type;
  if (podSeccomp !== undefined && podSeccomp !== 'RuntimeDefault' && podSeccomp !== 'Localhost') {
    r.report(Rules.SECCOMP, `${t.path}.securityContext.seccompProfile.type`, podSeccomp, 'is not RuntimeDefault or Localhost');
  }
  for (const c of containers) {
    const csc = c.container.securityContext ?? {};
    const seccomp = csc.seccompProfile?.type ?? podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost' && csc.seccompProfile?.type === undefined && podSeccomp === undefined) {
      r.report(Rules.SECCOMP, `${c.path}.securityContext.seccompProfile`, undefined, `container "${c.container.name}" has no seccomp profile (none on the Pod either)`);
    } else if (csc.seccompProfile?.type !== undefined && seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
      r.report(Rules.SECCOMP, `${c.path}.securityContext.seccompProfile.type`, seccomp, 'is not RuntimeDefault or Localhost');
    }
    const nonRoot = csc.runAsNonRoot ?? sc.runAsNonRoot;
    if (nonRoot !== true) r.report(Rules.RUN_AS_NON_ROOT, `${c.path}.securityContext.runAsNonRoot`, nonRoot, `container "${c.container.name}" may run as root`);
    for (const [field, value] of [['runAsUser', csc.runAsUser ?? sc.runAsUser], ['runAsGroup', csc.runAsGroup ?? sc.runAsGroup]] as const) {
      checkUserId(r, `${c.path}.securityContext.${field}`, value);
    }
  }
}

/** The Pod against the Pod Security level its namespace enforces, when the Namespace is among the audited objects (SW-SEC-020). */
function checkAdmission(obj: KubeObject, t: PodTemplateRef, ctx: CheckContext): void {
  if (obj.kind === 'PodTemplate') return;
  const ns = obj.metadata?.namespace ?? '';
  const level = ctx.index.get('Namespace', '', ns)?.metadata?.labels?.['pod-security.kubernetes.io/enforce'];
  if (typeof level !== 'string') return;
  for (const v of podSecurityViolations(t.spec, level, ctx.target)) {
    ctx.reporter.report(Rules.POD_NOT_ADMITTED, `${t.path}.${v.field}`, v.value, `${v.problem}, and namespace "${ns}" enforces it: the Pod is rejected`);
  }
}

/** `appArmorProfile` (Kubernetes 1.30+): Unconfined is forbidden; the field itself is unknown before 1.30. */
function checkAppArmorField(sc: KubeObject | undefined, at: string, ctx: CheckContext): void {
  const profile = sc?.appArmorProfile;
  if (profile === undefined) return;
  if (!ctx.target.has(Feature.APPARMOR_PROFILE_FIELD)) {
    ctx.reporter.report(Rules.FEATURE_NOT_ON_TARGET, `${at}.appArmorProfile`, profile, `${ctx.target} (the target) has no appArmorProfile field; use the container.apparmor.security.beta.kubernetes.io annotation`);
  } else if (profile?.type !== 'RuntimeDefault' && profile?.type !== 'Localhost') {
    ctx.reporter.report(Rules.APPARMOR, `${at}.appArmorProfile.type`, profile?.type, 'disables or replaces the runtime AppArmor profile');
  }
}

/**
 * Probes and lifecycle hooks with a host (SW-SEC-018), judged with the Pod's network (a hostNetwork
 * agent probed on loopback) and the Pod Security level of its namespace when the Namespace is
 * among the audited objects.
 */
function checkHandlerHosts(obj: KubeObject, t: PodTemplateRef, c: ContainerRef, ctx: CheckContext): void {
  const labels = ctx.index.get('Namespace', '', namespaceOf(obj))?.metadata?.labels ?? {};
  const label = (k: string) => (typeof labels[k] === 'string' ? labels[k] as string : undefined);
  const pod = { hostNetwork: t.spec.hostNetwork === true, enforce: label('pod-security.kubernetes.io/enforce'), enforceVersion: label('pod-security.kubernetes.io/enforce-version') };
  const handlers: Array<[string, KubeObject | undefined]> = [
    ['readinessProbe', c.container.readinessProbe], ['livenessProbe', c.container.livenessProbe], ['startupProbe', c.container.startupProbe],
    ['lifecycle.preStop', c.container.lifecycle?.preStop], ['lifecycle.postStart', c.container.lifecycle?.postStart],
  ];
  for (const [field, handler] of handlers) {
    for (const action of ['httpGet', 'tcpSocket']) checkHandlerHost(ctx.reporter, `${c.path}.${field}.${action}.host`, handler?.[action]?.host, ctx.target, pod);
  }
}

function checkSelinux(o: KubeObject | undefined, field: string, r: CheckContext['reporter']): void {
  if (!o) return;
  if (o.user !== undefined || o.role !== undefined || (o.type !== undefined && !SELINUX_TYPES.has(o.type))) {
    r.report(Rules.SELINUX, field, o, 'sets a custom SELinux user, role or type');
  }
}

function checkContainerSecurity(c: ContainerRef, r: CheckContext['reporter']): void {
  const sc = c.container.securityContext ?? {};
  const at = `${c.path}.securityContext`;
  if (sc.privileged === true) r.report(Rules.PRIVILEGED, `${at}.privileged`, true, `container "${c.container.name}" is privileged`);
  if (sc.allowPrivilegeEscalation !== false) r.report(Rules.PRIVILEGE_ESCALATION, `${at}.allowPrivilegeEscalation`, sc.allowPrivilegeEscalation, 'is not false');
  const drop: unknown[] = sc.capabilities?.drop ?? [];
  if (!drop.includes('ALL')) r.report(Rules.CAPABILITIES_NOT_DROPPED, `${at}.capabilities.drop`, drop, 'does not drop ALL');
  (sc.capabilities?.add ?? []).forEach((cap: unknown, i: number) => {
    if (cap !== 'NET_BIND_SERVICE') r.report(Rules.CAPABILITY_NOT_ALLOWED, `${at}.capabilities.add[${i}]`, cap, 'is not allowed by Pod Security "restricted"');
  });
  if (sc.readOnlyRootFilesystem !== true) r.report(Rules.READ_ONLY_ROOT, `${at}.readOnlyRootFilesystem`, sc.readOnlyRootFilesystem, 'the root filesystem is writable');
  if (sc.procMount !== undefined && sc.procMount !== 'Default') r.report(Rules.PROC_MOUNT, `${at}.procMount`, sc.procMount, 'unmasks /proc');
  checkSelinux(sc.seLinuxOptions, `${at}.seLinuxOptions`, r);
  (c.container.ports ?? []).forEach((p: KubeObject, i: number) => {
    if (p?.hostPort) r.report(Rules.HOST_PORT, `${c.path}.ports[${i}].hostPort`, p.hostPort, 'binds a port on the node');
  });
}

function checkVolumes(t: PodTemplateRef, r: CheckContext['reporter']): void {
  // A memory-backed emptyDir counts against its Pod's memory limits: with one on every container it is bounded.
  const all = containersOf(t);
  const memoryLimited = all.length > 0 && all.every(c => c.container.resources?.limits?.memory !== undefined);
  (t.spec.volumes ?? []).forEach((v: KubeObject, i: number) => {
    const type = Object.keys(v ?? {}).find(k => k !== 'name');
    const at = `${t.path}.volumes[${i}]`;
    if (type === 'hostPath') r.report(Rules.HOST_PATH, at, v.hostPath?.path, `hostPath volume "${v.name}" exposes the node filesystem`);
    else if (!type || !RESTRICTED_VOLUME_TYPES.has(type)) r.report(Rules.VOLUME_TYPE, at, type, `volume "${v?.name}" is of a type Pod Security "restricted" forbids`);
    const medium = v?.emptyDir?.medium;
    if (typeof medium === 'string' && medium.startsWith('HugePages')) {
      // Bounded by the Pod's huge-page limits, not by a sizeLimit.
      const problem = hugePageVolumeProblem(medium, hugePagesRequested(t));
      if (problem) r.report(Rules.HUGEPAGES_VOLUME, `${at}.emptyDir.medium`, medium, `emptyDir "${v.name}" ${problem}`);
    } else if (type === 'emptyDir' && v.emptyDir?.sizeLimit === undefined && !(medium === 'Memory' && memoryLimited)) {
      r.report(Rules.EMPTYDIR_UNBOUNDED, `${at}.emptyDir.sizeLimit`, undefined, `emptyDir "${v.name}" has no sizeLimit`);
    }
    const itemLists: Array<[string, unknown]> = [
      ['configMap.items', v?.configMap?.items], ['secret.items', v?.secret?.items],
      ...(Array.isArray(v?.projected?.sources) ? v.projected.sources : []).flatMap((s: KubeObject, j: number) => [[`projected.sources[${j}].configMap.items`, s?.configMap?.items], [`projected.sources[${j}].secret.items`, s?.secret?.items]]),
    ];
    for (const [path, items] of itemLists) {
      for (const f of configItemFindings(Array.isArray(items) ? items : [])) r.report(Rules.CONFIG_ITEM_INVALID, `${at}.${path}[${f.index}].${f.part}`, f.value, f.problem);
    }
  });
}

/** The huge-page resources any container of the Pod requests or limits ("hugepages-2Mi", …). */
function hugePagesRequested(t: PodTemplateRef): string[] {
  return containersOf(t).flatMap(c => [...Object.keys(c.container.resources?.requests ?? {}), ...Object.keys(c.container.resources?.limits ?? {})]).filter(isHugePages);
}

function checkPorts(containers: ContainerRef[], r: CheckContext['reporter']): void {
  const declarations: PortDeclaration[] = containers.filter(c => !c.init || c.sidecar).flatMap(c => (Array.isArray(c.container.ports) ? c.container.ports : [])
    .map((p: KubeObject, i: number) => ({ field: `${c.path}.ports[${i}]`, container: c.container.name, spec: { name: p?.name ?? '', port: p?.containerPort, protocol: p?.protocol } })));
  resolvePorts(declarations, {
    report: (rule, field, value, problem) => {
      // Unnamed ports are valid in manifests: only named ones are checked as names.
      if (field.endsWith('.name') && value === '') return;
      r.report(rule, field.replace(/\.port$/, '.containerPort'), value, problem);
    },
  });
}

function checkResources(c: ContainerRef, r: CheckContext['reporter']): void {
  const res = c.container.resources ?? {};
  const at = `${c.path}.resources`;
  for (const kind of ['cpu', 'memory']) {
    const request = res.requests?.[kind];
    const limit = res.limits?.[kind];
    if (limit === undefined) r.report(Rules.REQUESTS_LIMITS_MISSING, `${at}.limits.${kind}`, undefined, `container "${c.container.name}" has no ${kind} limit`);
    if (request === undefined && limit === undefined) r.report(Rules.REQUESTS_LIMITS_MISSING, `${at}.requests.${kind}`, undefined, `container "${c.container.name}" has no ${kind} request`);
    const rq = request === undefined ? undefined : parseQuantity(request);
    const lq = limit === undefined ? undefined : parseQuantity(limit);
    if ((request !== undefined && rq === undefined) || (limit !== undefined && lq === undefined)) {
      r.report(Rules.SIZE_INVALID, `${at}.${rq === undefined && request !== undefined ? 'requests' : 'limits'}.${kind}`, rq === undefined && request !== undefined ? request : limit, 'is not a valid quantity');
    } else if ((rq !== undefined && rq < 0) || (lq !== undefined && lq < 0)) {
      r.report(Rules.SIZE_INVALID, `${at}.${rq !== undefined && rq < 0 ? 'requests' : 'limits'}.${kind}`, rq !== undefined && rq < 0 ? request : limit, 'is negative; the API server accepts only quantities of 0 or more');
    } else if (rq !== undefined && lq !== undefined && lq < rq) {
      r.report(Rules.SIZE_INVALID, `${at}.limits.${kind}`, limit, `is below the request (${request})`);
    } else if (rq !== undefined && lq !== undefined && lq !== rq) {
      r.report(Rules.NOT_GUARANTEED, `${at}.limits.${kind}`, limit, `differs from the request (${request}), so the Pod is not Guaranteed`);
    }
  }
  if (res.limits?.['ephemeral-storage'] === undefined) r.report(Rules.EPHEMERAL_STORAGE_MISSING, `${at}.limits.ephemeral-storage`, undefined, `container "${c.container.name}" has no ephemeral-storage limit`);
  for (const p of resourceListProblems(res.requests, res.limits)) {
    r.report(p.rule === 'hugepages' ? Rules.HUGEPAGES_INVALID : Rules.EXTENDED_RESOURCE_INVALID, `${at}.${p.field}`, p.value, `container "${c.container.name}": ${p.problem}`);
  }
}

function checkImage(c: ContainerRef, r: CheckContext['reporter'], pullSecrets: boolean): void {
  const image = c.container.image;
  const ref = typeof image === 'string' ? parseImage(image) : undefined;
  if (!ref) r.report(Rules.IMAGE_INVALID, `${c.path}.image`, image, 'is not a valid image reference');
  else if (!isPinned(ref)) r.report(Rules.IMAGE_NOT_PINNED, `${c.path}.image`, image, ref.tag === 'latest' ? 'the tag "latest" moves' : 'has no tag or digest, so it means "latest"');
  if (c.container.imagePullPolicy === undefined) r.report(Rules.PULL_POLICY_IMPLICIT, `${c.path}.imagePullPolicy`, undefined, 'is not set');
  // Kubernetes' own default: Always for :latest or no tag, else IfNotPresent.
  const effective = c.container.imagePullPolicy ?? (ref && (ref.digest || (ref.tag && ref.tag !== 'latest')) ? 'IfNotPresent' : 'Always');
  const cached = cachedPrivateImageProblem(effective, pullSecrets);
  if (cached) r.report(Rules.PRIVATE_IMAGE_CACHED, `${c.path}.imagePullPolicy`, c.container.imagePullPolicy ?? `(default: ${effective})`, cached);
  if (c.container.imagePullPolicy === 'Never') r.report(Rules.PULL_POLICY_NEVER, `${c.path}.imagePullPolicy`, 'Never', 'the Pod only starts on nodes that already have the image');
}

function checkProbes(obj: KubeObject, t: PodTemplateRef, c: ContainerRef, ctx: CheckContext): void {
  const r = ctx.reporter;
  const ct = c.container;
  const ports: DeclaredPort[] = (ct.ports ?? []).map((p: KubeObject) => ({ name: p.name, number: p.containerPort }));
  // Serving: a Service routes to these Pods, so traffic must wait for readiness. A container
  // declaring no port serves too when the Service's port reaches it (ports are informational).
  const serving = (LONG_RUNNING.has(obj.kind) || obj.kind === 'Pod') && ctx.index.servicesSelecting(namespaceOf(obj), t.labels)
    .some(s => (s.metadata?.namespace ?? '') === (obj.metadata?.namespace ?? '') && (ports.length > 0 || receivesTraffic(s, t, ct)));
  if (serving && !ct.readinessProbe) r.report(Rules.PROBE_READINESS_MISSING, `${c.path}.readinessProbe`, undefined, `container "${ct.name}" is behind a Service but has no readiness probe`);
  if (LONG_RUNNING.has(obj.kind) && !ct.livenessProbe) r.report(Rules.PROBE_LIVENESS_ABSENT, `${c.path}.livenessProbe`, undefined, `container "${ct.name}" has no liveness probe`);
  const same = identicalProbes(ct.readinessProbe, ct.livenessProbe, ports);
  if (same) r.report(same.rule, `${c.path}.livenessProbe`, same.handler, same.problem);
  for (const [key, role] of [['readinessProbe', 'readiness'], ['livenessProbe', 'liveness'], ['startupProbe', 'startup']] as const) {
    const p = ct[key];
    if (!p) continue;
    const port = p.httpGet?.port ?? p.tcpSocket?.port ?? p.grpc?.port;
    // A port number need not be declared (the list is informational); a name must resolve.
    if (typeof port === 'string' && !ports.some(d => d.name === port)) {
      r.report(Rules.PROBE_PORT_UNDECLARED, `${c.path}.${key}`, port, `is not a declared container port name, so the kubelet cannot resolve it (declared: ${ports.map(d => `${d.name ?? '-'}/${d.number}`).join(', ') || 'none'})`);
    }
    const success = p.successThreshold === undefined || p.successThreshold === 0 ? undefined : successThresholdProblem(role, p.successThreshold);
    if (success) r.report(Rules.PROBE_FIELD_INVALID, `${c.path}.${key}.successThreshold`, p.successThreshold, success);
    for (const f of ['periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold']) {
      // 0 is taken as unset by the API server's defaulting, so it is no violation in a manifest.
      const problem = p[f] === undefined || p[f] === 0 ? undefined : probeCountProblem(p[f]);
      if (problem) r.report(Rules.PROBE_FIELD_INVALID, `${c.path}.${key}.${f}`, p[f], problem);
    }
  }
  const delay = longInitialDelayProblem(ct.livenessProbe, ct.startupProbe !== undefined);
  if (delay) r.report(Rules.STARTUP_PROBE_MISSING, `${c.path}.livenessProbe.initialDelaySeconds`, ct.livenessProbe.initialDelaySeconds, delay);
}

/**
 * Whether Service `svc` sends traffic to container `ct` of the Pod template: a port of the
 * Service names or numbers a port the container declares, or no container of the Pod declares
 * it and `ct` is the Pod's only container (then it is the one listening, declared or not).
 */
function receivesTraffic(svc: KubeObject, t: PodTemplateRef, ct: KubeObject): boolean {
  const regular = containersOf(t).filter(c => !c.init).map(c => c.container);
  const declares = (c: KubeObject, target: unknown) => (Array.isArray(c?.ports) ? c.ports : []).some((p: KubeObject) => p?.containerPort === target || p?.name === target);
  return (Array.isArray(svc.spec?.ports) ? svc.spec.ports : []).some((p: KubeObject) => {
    const target = p?.targetPort ?? p?.port;
    if (declares(ct, target)) return true;
    return typeof target === 'number' && regular.length === 1 && regular[0] === ct && !regular.some(c => declares(c, target));
  });
}

function checkEnv(c: ContainerRef, obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const seen = new Set<string>();
  const ns = obj.metadata?.namespace ?? '';
  (Array.isArray(c.container.env) ? c.container.env : []).forEach((e: KubeObject, i: number) => {
    const at = `${c.path}.env[${i}]`;
    const name = e?.name;
    if (typeof name === 'string') {
      const bad = envNameFinding(name);
      if (bad) r.report(bad.rule, `${at}.name`, name, bad.problem);
      if (seen.has(name)) r.report(Rules.ENV_DUPLICATE, `${at}.name`, name, 'is already defined in this container');
      seen.add(name);
      if (typeof e.value === 'string' && e.value.length > 0 && looksSecret(name)) r.report(Rules.SECRET_LITERAL, `${at}.value`, '(redacted)', `"${name}" looks like a secret but has a literal value`);
    }
    // Secrets are provisioned outside Git (sealed or external secrets), so only ConfigMaps must be in the set.
    const target = e?.valueFrom?.configMapKeyRef;
    if (target && target.optional !== true && !ctx.index.get('ConfigMap', ns, target.name)) {
      ctx.notSeen(Rules.ENV_REFERENCE_MISSING, `${at}.valueFrom.configMapKeyRef.name`, target.name, `no ConfigMap "${target.name}" in namespace "${ns}" among the audited objects`);
    }
  });
  (Array.isArray(c.container.envFrom) ? c.container.envFrom : []).forEach((e: KubeObject, i: number) => {
    const at = `${c.path}.envFrom[${i}]`;
    const prefix = typeof e?.prefix === 'string' ? e.prefix : '';
    const ref = e?.configMapRef;
    const configMap = ref ? ctx.index.get('ConfigMap', ns, ref.name) : undefined;
    if (ref && ref.optional !== true && !configMap) {
      ctx.notSeen(Rules.ENV_REFERENCE_MISSING, `${at}.configMapRef.name`, ref.name, `no ConfigMap "${ref.name}" in namespace "${ns}" among the audited objects`);
    }
    // Keys are known for ConfigMaps of the set (Secrets are provisioned outside Git).
    const keys = configMap ? [...Object.keys(configMap.data ?? {}), ...Object.keys(configMap.binaryData ?? {})] : [];
    for (const f of envFromKeyFindings(prefix, keys)) {
      r.report(f.rule, f.key === undefined ? `${at}.prefix` : `${at}.configMapRef`, f.key === undefined ? prefix : f.name, f.problem);
    }
  });
}

function checkShutdown(t: PodTemplateRef, containers: ContainerRef[], r: CheckContext['reporter']): void {
  const grace = t.spec.terminationGracePeriodSeconds ?? 30;
  for (const c of containers) {
    const seconds = handlerSleepSeconds(c.container.lifecycle?.preStop);
    if (seconds !== undefined && grace < seconds + GRACE_MARGIN_SECONDS) {
      r.report(Rules.GRACE_TOO_SHORT, `${t.path}.terminationGracePeriodSeconds`, grace, `is shorter than the preStop delay of "${c.container.name}" (${seconds}s) + margin (${GRACE_MARGIN_SECONDS}s), leaving no time to drain`);
    }
  }
}

function checkContainerShape(t: PodTemplateRef, containers: ContainerRef[], ctx: CheckContext): void {
  const r = ctx.reporter;
  const native = ctx.target.has(Feature.NATIVE_SIDECARS);
  const names = new Set<string>();
  for (const c of containers) {
    const name = c.container.name;
    const nameProblem = dns1123LabelProblem(name);
    if (nameProblem) r.report(Rules.CONTAINER_NAME_DUPLICATE, `${c.path}.name`, name, `${nameProblem}: the API server rejects the Pod`);
    else if (names.has(name)) r.report(Rules.CONTAINER_NAME_DUPLICATE, `${c.path}.name`, name, 'is already the name of another container of the Pod');
    names.add(name);
    if (c.sidecar && !native) {
      r.report(Rules.FEATURE_NOT_ON_TARGET, `${c.path}.restartPolicy`, 'Always', `${ctx.target} (the target) has no native sidecars: "${name}" would run as an init container that never exits`);
    }
    // Native sidecars (restartPolicy: Always) may carry probes and lifecycle hooks.
    if (c.init && !c.sidecar) {
      for (const f of ['readinessProbe', 'livenessProbe', 'startupProbe', 'lifecycle']) {
        if (c.container[f] !== undefined) r.report(Rules.INIT_CONTAINER_HOOKS, `${c.path}.${f}`, f, 'is not allowed on an init container');
      }
    }
    if (!ctx.target.has(Feature.PRESTOP_SLEEP_ACTION)) {
      for (const hook of ['preStop', 'postStart']) {
        if (c.container.lifecycle?.[hook]?.sleep !== undefined) {
          r.report(Rules.FEATURE_NOT_ON_TARGET, `${c.path}.lifecycle.${hook}.sleep`, c.container.lifecycle[hook].sleep, `${ctx.target} (the target) has no sleep lifecycle action`);
        }
      }
    }
  }
  // A memory-backed emptyDir counts against the memory limit of the containers that mount it.
  (t.spec.volumes ?? []).forEach((v: KubeObject, i: number) => {
    if (v?.emptyDir?.medium !== 'Memory' || v.emptyDir.sizeLimit === undefined) return;
    const size = parseQuantity(v.emptyDir.sizeLimit) ?? 0;
    for (const c of containers) {
      const mounts = (c.container.volumeMounts ?? []) as KubeObject[];
      const limit = parseQuantity(c.container.resources?.limits?.memory ?? '') ?? Infinity;
      if (mounts.some(m => m.name === v.name) && size > limit) {
        r.report(Rules.EMPTYDIR_OVER_LIMIT, `${t.path}.volumes[${i}].emptyDir.sizeLimit`, v.emptyDir.sizeLimit, `a memory-backed emptyDir counts against the memory limit of "${c.container.name}" (${c.container.resources.limits.memory})`);
      }
    }
  });
  (t.spec.topologySpreadConstraints ?? []).forEach((tsc: KubeObject, i: number) => {
    const problem = maxSkewProblem(tsc?.maxSkew);
    if (problem) r.report(Rules.SPREAD_INVALID, `${t.path}.topologySpreadConstraints[${i}].maxSkew`, tsc?.maxSkew, problem);
  });
}

/** Every container and the Pod against the LimitRanges of the namespace, defaults applied first (SW-NS-001). */
function checkLimitRanges(obj: KubeObject, t: PodTemplateRef, containers: ContainerRef[], ctx: CheckContext): void {
  if (obj.kind === 'PodTemplate') return;
  const ns = obj.metadata?.namespace ?? '';
  const items = ctx.index.limitRangeItemsIn(ns) as LimitRangeItemLike[];
  if (items.length === 0) return;
  const native = ctx.target.has(Feature.NATIVE_SIDECARS);
  const quota = containers.map(c => ({ name: c.container.name, init: c.init, sidecar: c.sidecar && native, requests: quantitiesOf(c.container.resources?.requests), limits: quantitiesOf(c.container.resources?.limits) }));
  for (const v of limitRangeViolations(items, quota)) {
    const c = containers.find(x => x.container.name === v.container);
    const field = c ? `${c.path}.resources.${v.key}` : `${t.path} (Pod ${v.key})`;
    // "limits.example.com/gpu": the resource name after the first dot may hold dots itself.
    const dot = v.key.indexOf('.');
    ctx.reporter.report(Rules.LIMIT_RANGE_VIOLATION, field, c ? c.container.resources?.[v.key.slice(0, dot)]?.[v.key.slice(dot + 1)] : v.value, v.problem);
  }
}

/** The Pod-level checks, for every kind with a Pod template. */
export const POD_CHECKS: ObjectCheck[] = [{
  rules: [...new Set([...POD_SPEC_CHECKS, ...CONTAINER_CHECKS, ...POD_SPEC_CHECKS_AFTER].flatMap(c => c.rules))],
  // The rules on LimitRanges, PersistentVolumeClaims and Services are reported by their own checks.
  kinds: WORKLOAD_KINDS,
  run: checkPod,
}];

const boundAccounts = new WeakMap<ObjectIndex, ReadonlySet<string>>();

/** "namespace/name" of every ServiceAccount a RoleBinding or ClusterRoleBinding of the set binds (computed once per set). */
function boundServiceAccounts(index: ObjectIndex): ReadonlySet<string> {
  const known = boundAccounts.get(index);
  if (known) return known;
  const out = new Set<string>();
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    for (const binding of index.ofKind(kind)) {
      for (const s of Array.isArray(binding.subjects) ? binding.subjects : []) {
        // A RoleBinding's ServiceAccount subject without a namespace is in the binding's namespace.
        const ns = s?.namespace ?? (kind === 'RoleBinding' ? binding.metadata?.namespace ?? '' : undefined);
        if (s?.kind === 'ServiceAccount' && typeof s.name === 'string' && ns !== undefined) out.add(`${ns}/${s.name}`);
      }
    }
  }
  boundAccounts.set(index, out);
  return out;
}
