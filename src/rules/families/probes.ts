import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the probes family. */
export const ProbesRules = {
  PROBE_READINESS_MISSING: rule({
    id: 'SW-PROBE-001',
    title: 'Serving containers have a readiness probe',
    severity: Severity.ERROR,
    tier: 'hardening',
    scope: 'objects',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_9'], kubeLinter: ['no-readiness-probe'], polaris: ['readinessProbeMissing'] },
    rationale: 'Without a readiness probe a Pod receives traffic as soon as its process starts, before it can serve, and keeps receiving it while it is overloaded.',
    fix: 'set "readiness", e.g. Probe.http("/ready")',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#container-probes`,
  }),
  PROBE_IDENTICAL: rule({
    id: 'SW-PROBE-002',
    title: 'Readiness and liveness probes differ',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'When liveness runs exactly the HTTP, gRPC or exec check readiness runs (same port, path, host, scheme, headers, service or command), a busy Pod is restarted instead of being taken out of rotation to drain; under load this turns into a restart cascade. One endpoint for both is the documented pattern when liveness has the larger failureThreshold: the Pod leaves rotation before it is restarted, and that is not reported.',
    fix: 'make liveness check only that the process is alive and readiness that it can serve: two HTTP endpoints (e.g. Probe.http("/healthz") and Probe.http("/ready")), two gRPC health services, or two commands; or give liveness a larger failureThreshold than readiness; or drop liveness',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/`,
  }),
  PROBE_TCP_IDENTICAL: rule({
    id: 'SW-PROBE-008',
    title: 'A TCP liveness probe equal to readiness is deliberate',
    // A warning, not an error: for TCP-only servers (Redis, databases, brokers) a TCP connect is
    // the only check the server offers without a client binary, and a liveness that only asks
    // "does the port accept connections" restarts a wedged listener without reacting to load
    // the way an HTTP handler does; kube-score reports the same pattern as a warning.
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A TCP liveness probe on the same port as a TCP readiness probe cannot tell "overloaded" from "dead": when the accept queue fills up under load, both fail together and the Pod is restarted instead of drained. For TCP-only servers it is a common, defensible choice.',
    fix: 'keep the TCP connect as liveness and make readiness check the service itself with an exec probe of its client (e.g. Probe.exec(["redis-cli", "ping"]) or Probe.exec(["pg_isready"])), or waive the rule with the reason',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/`,
  }),
  PROBE_LIVENESS_MISSING: rule({
    id: 'SW-PROBE-005',
    title: 'Workers have a liveness probe',
    severity: Severity.ERROR,
    tier: 'availability',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A queue consumer takes no traffic through a Service, so readiness protects nothing; a consumer stuck in a dead loop is only noticed and restarted through liveness.',
    fix: 'set "liveness", e.g. Probe.exec(["/app/healthcheck"]) or Probe.tcp({ portName: "metrics" })',
    kinds: [],
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#container-probes`,
  }),
  PROBE_PORT_UNDECLARED: rule({
    id: 'SW-PROBE-003',
    title: 'Probes target a declared container port',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A probe on a port number the container does not listen on fails forever, and one on a port name the container does not declare fails every time (the kubelet cannot resolve it), so the Pod never becomes ready or is restarted in a loop. The constructs declare every port a container listens on and require probes to use one; in YAML a port number need not be declared (the ports list is informational), so the audit reports only a port name that does not resolve.',
    fix: 'probe one of the container ports declared with "port" or "extraPorts", by number or by name',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port`,
  }),
  PROBE_FIELD_INVALID: rule({
    id: 'SW-PROBE-004',
    title: 'Probe timings and thresholds are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server rejects negative periodSeconds, timeoutSeconds and thresholds, and a liveness or startup probe whose successThreshold is not 1; a 0 is taken as unset and replaced by the default, so it never means what it says.',
    fix: 'use whole seconds with period and timeout at least 1s, thresholds at least 1, and successThreshold 1 for liveness and startup probes',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes`,
  }),
  PROBE_LIVENESS_ABSENT: rule({
    id: 'SW-PROBE-006',
    title: 'Long-running containers have a liveness probe',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_8'], kubeLinter: ['no-liveness-probe'], polaris: ['livenessProbeMissing'] },
    rationale: 'A process stuck in a deadlock keeps its Pod Running forever unless a liveness probe restarts it.',
    fix: 'add a livenessProbe that checks something cheaper and different from readiness',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'],
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#container-probes`,
  }),
  STARTUP_PROBE_MISSING: rule({
    id: 'SW-PROBE-007',
    title: 'Slow starters use a startup probe, not a long initial delay',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A long liveness initialDelaySeconds delays detection of every later hang as well, and guessing too short restarts the app in a loop; a startup probe holds liveness off only until the app has started.',
    fix: 'replace a liveness initialDelaySeconds above 30 with a startupProbe whose failureThreshold x periodSeconds covers the worst start time',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes`,
  }),
} as const;

/** Why `v` is not a probe threshold or period (a whole number of at least 1). */
export function probeCountProblem(v: unknown): string | undefined {
  if (!Number.isInteger(v) || (v as number) < 1) return 'must be a whole number, at least 1';
  // Probe counts and seconds are int32 fields of the API.
  return (v as number) > 2147483647 ? 'must be at most 2147483647 (a 32-bit integer in the API)' : undefined;
}

/** Why `successThreshold` is not allowed on a probe of `role` (liveness and startup need 1). */
export function successThresholdProblem(role: string, successThreshold: number): string | undefined {
  return role === 'readiness' || successThreshold === 1 ? undefined : `must be 1 for a ${role} probe`;
}

/** A port a container declares, as probes see it. */
export interface ProbePort {
  readonly name?: string;
  readonly number: number;
}

/** A probe handler as the API (or YAML) spells it; ports may be numbers, names or IntOrString wrappers. */
export interface ProbeHandlerLike {
  readonly httpGet?: { readonly path?: string; readonly port?: unknown; readonly host?: string; readonly scheme?: string; readonly httpHeaders?: ReadonlyArray<{ readonly name?: string; readonly value?: string }> };
  readonly tcpSocket?: { readonly port?: unknown; readonly host?: string };
  readonly grpc?: { readonly port?: unknown; readonly service?: string };
  readonly exec?: { readonly command?: readonly string[] };
  /** Consecutive failures before the probe gives up (Kubernetes' default: 3). */
  readonly failureThreshold?: number;
}

/** A port value (number, name, or an IntOrString wrapper) as a number when `ports` declares the name. */
function portOf(p: unknown, ports: readonly ProbePort[]): string {
  const v: unknown = p !== null && typeof p === 'object' && 'value' in p ? (p as { value: unknown }).value : p;
  return String(typeof v === 'string' ? ports.find(d => d.name === v)?.number ?? v : v);
}

/**
 * What a probe checks, exactly (handler, port with names resolved to numbers, host, scheme,
 * path, headers, gRPC service, command), ignoring how often: two probes with the same
 * description fail together.
 */
export function describeProbeHandler(probe: ProbeHandlerLike, ports: readonly ProbePort[]): string {
  if (probe.httpGet) {
    const h = probe.httpGet;
    const headers = (h.httpHeaders ?? []).map(x => `${x?.name}: ${x?.value}`);
    return `httpGet ${h.scheme ?? 'HTTP'}://${h.host ?? '<pod-ip>'}:${portOf(h.port, ports)}${h.path ?? '/'}${headers.length > 0 ? ` ${JSON.stringify(headers)}` : ''}`;
  }
  if (probe.tcpSocket) return `tcpSocket ${probe.tcpSocket.host ?? ''}:${portOf(probe.tcpSocket.port, ports)}`;
  if (probe.grpc) return `grpc :${portOf(probe.grpc.port, ports)}${probe.grpc.service ? ` service ${probe.grpc.service}` : ''}`;
  return `exec ${JSON.stringify(probe.exec?.command ?? [])}`;
}

/** A liveness probe that checks exactly what readiness checks, and the rule that applies. */
export interface IdenticalProbes {
  readonly rule: typeof ProbesRules.PROBE_IDENTICAL;
  /** The shared handler, in words. */
  readonly handler: string;
  readonly problem: string;
}

/**
 * The one SW-PROBE-002 / SW-PROBE-008 predicate: whether liveness runs exactly readiness's
 * check. TCP connects get the warning SW-PROBE-008 (a defensible pattern for TCP-only servers),
 * every other handler the error SW-PROBE-002.
 */
export function identicalProbes(readiness: ProbeHandlerLike | undefined, liveness: ProbeHandlerLike | undefined, ports: readonly ProbePort[]): IdenticalProbes | undefined {
  if (!readiness || !liveness) return undefined;
  // The documented pattern: one endpoint for both, liveness with the larger failureThreshold, so
  // a busy Pod leaves rotation (and drains) before it would be restarted.
  if (failureThreshold(liveness) > failureThreshold(readiness)) return undefined;
  const handler = describeProbeHandler(liveness, ports);
  if (handler !== describeProbeHandler(readiness, ports)) return undefined;
  if (liveness.tcpSocket) {
    return { rule: ProbesRules.PROBE_TCP_IDENTICAL, handler, problem: 'connects to the same port as readiness, so an overloaded server is restarted instead of drained' };
  }
  const kind = liveness.httpGet ? 'HTTP request' : liveness.grpc ? 'gRPC health check' : 'command';
  return { rule: ProbesRules.PROBE_IDENTICAL, handler, problem: `runs the same ${kind} as readiness, so a busy Pod is restarted instead of drained` };
}

/** Consecutive failures before a probe gives up (Kubernetes' default: 3). */
function failureThreshold(probe: ProbeHandlerLike): number {
  return typeof probe.failureThreshold === 'number' && probe.failureThreshold > 0 ? probe.failureThreshold : 3;
}

/** Why a liveness probe's initial delay stands in for a startup probe (SW-PROBE-007). */
export function longInitialDelayProblem(liveness: { readonly initialDelaySeconds?: number } | undefined, hasStartupProbe: boolean): string | undefined {
  return liveness && !hasStartupProbe && (liveness.initialDelaySeconds ?? 0) > 30 ? 'a long initial delay stands in for a startup probe' : undefined;
}
