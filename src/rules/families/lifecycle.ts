import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the lifecycle family. */
export const LifecycleRules = {
  GRACE_TOO_SHORT: rule({
    id: 'SW-SHUTDOWN-001',
    title: 'The grace period covers the preStop delay, the drain time and a margin',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'terminationGracePeriodSeconds counts from the start of preStop. If it ends before the app has drained, in-flight requests are cut by SIGKILL. At synth the preStop counts with its declared length (PreStop.exec\'s `takes`); the audit of plain YAML counts only a sleep (the sleep action, or `sleep N` in an exec command) and never guesses the length of any other command.',
    fix: 'raise "shutdown.gracePeriod" to at least preStop delay + drain time + 5s, or leave it unset so it is computed',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#pod-termination`,
  }),
  SHELL_ENTRYPOINT: rule({
    id: 'SW-SHUTDOWN-002',
    title: 'The entrypoint is not a shell wrapper',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A shell as PID 1 ("sh -c …") does not forward SIGTERM to the app it started (unless it replaces itself with the app, which some shells do only for a single simple command): the grace period runs out and the app is SIGKILLed mid-request.',
    fix: 'use the exec form (["/app/server", "--flag"]), "exec" the app from the script, or run a tiny init such as tini',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/pod-lifecycle/#pod-termination`,
  }),
  SHUTDOWN_FIELD_INVALID: rule({
    id: 'SW-SHUTDOWN-003',
    title: 'Shutdown durations are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Durations must be whole, non-negative seconds to render into the Pod spec.',
    fix: 'use Duration.seconds(n) with a whole, non-negative n',
    kinds: [],
    see: `${K8S}/concepts/containers/container-lifecycle-hooks/`,
  }),
} as const;
