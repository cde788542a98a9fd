import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the probes family. */
export const ProbesRules = {
  PROBE_READINESS_MISSING: rule({
    id: 'SW-PROBE-001',
    title: 'Serving containers have a readiness probe',
    severity: Severity.ERROR,
    rationale: 'Without a readiness probe a Pod receives traffic as soon as its process starts, before it can serve, and keeps receiving it while it is overloaded.',
    fix: 'set "readiness", e.g. Probe.http("/ready")',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#container-probes`,
  }),
  PROBE_IDENTICAL: rule({
    id: 'SW-PROBE-002',
    title: 'Readiness and liveness probes differ',
    severity: Severity.ERROR,
    rationale: 'When liveness checks the same endpoint as readiness, a busy Pod is restarted instead of being taken out of rotation to drain; under load this turns into a restart cascade.',
    fix: 'point liveness at a cheap "process is alive" endpoint (e.g. Probe.http("/healthz")) and readiness at "can serve traffic" (e.g. Probe.http("/ready")), or drop liveness',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/`,
  }),
  PROBE_LIVENESS_MISSING: rule({
    id: 'SW-PROBE-005',
    title: 'Workers have a liveness probe',
    severity: Severity.ERROR,
    rationale: 'A queue consumer takes no traffic through a Service, so readiness protects nothing; a consumer stuck in a dead loop is only noticed and restarted through liveness.',
    fix: 'set "liveness", e.g. Probe.exec(["/app/healthcheck"]) or Probe.tcp({ portName: "metrics" })',
    kinds: [],
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#container-probes`,
  }),
  PROBE_PORT_UNDECLARED: rule({
    id: 'SW-PROBE-003',
    title: 'Probes target a declared container port',
    severity: Severity.ERROR,
    rationale: 'A probe on a port the container does not declare fails forever (or, for a port name, is rejected by the API server), so the Pod never becomes ready or is restarted in a loop.',
    fix: 'probe one of the container ports declared with "port" or "extraPorts", by number or by name',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#use-a-named-port`,
  }),
  PROBE_FIELD_INVALID: rule({
    id: 'SW-PROBE-004',
    title: 'Probe timings and thresholds are valid',
    severity: Severity.ERROR,
    rationale: 'The API server rejects periodSeconds, timeoutSeconds or thresholds below 1, and a liveness or startup probe whose successThreshold is not 1.',
    fix: 'use whole seconds with period and timeout at least 1s, thresholds at least 1, and successThreshold 1 for liveness and startup probes',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes`,
  }),
  PROBE_LIVENESS_ABSENT: rule({
    id: 'SW-PROBE-006',
    title: 'Long-running containers have a liveness probe',
    severity: Severity.WARNING,
    rationale: 'A process stuck in a deadlock keeps its Pod Running forever unless a liveness probe restarts it.',
    fix: 'add a livenessProbe that checks something cheaper and different from readiness',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet'],
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#container-probes`,
  }),
  STARTUP_PROBE_MISSING: rule({
    id: 'SW-PROBE-007',
    title: 'Slow starters use a startup probe, not a long initial delay',
    severity: Severity.WARNING,
    rationale: 'A long liveness initialDelaySeconds delays detection of every later hang as well, and guessing too short restarts the app in a loop; a startup probe holds liveness off only until the app has started.',
    fix: 'replace a liveness initialDelaySeconds above 30 with a startupProbe whose failureThreshold x periodSeconds covers the worst start time',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-startup-probes`,
  }),
} as const;

/** Why `v` is not a probe threshold or period (a whole number of at least 1). */
export function probeCountProblem(v: unknown): string | undefined {
  return Number.isInteger(v) && (v as number) >= 1 ? undefined : 'must be a whole number, at least 1';
}

/** Why `successThreshold` is not allowed on a probe of `role` (liveness and startup need 1). */
export function successThresholdProblem(role: string, successThreshold: number): string | undefined {
  return role === 'readiness' || successThreshold === 1 ? undefined : `must be 1 for a ${role} probe`;
}
