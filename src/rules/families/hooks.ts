import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the lifecycle hooks family (postStart, preStop). */
export const HooksRules = {
  HOOK_INVALID: rule({
    id: 'SW-HOOK-001',
    title: 'Lifecycle hooks are well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A hook without a command, with a relative HTTP path or an invalid port is rejected by the API server or fails every time it runs (a failing postStart kills the container: PostStartHookError); an exec preStop whose duration is unknown makes the grace period arithmetic guesswork.',
    fix: 'build hooks with PostStart.exec([...]) / httpGet("/path") / sleep(Duration) and PreStop.exec([...], { takes: Duration.seconds(n) }) / httpGet / sleep',
    kinds: [],
    see: `${K8S}/concepts/containers/container-lifecycle-hooks/`,
  }),
} as const;
