import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the scheduling family. */
export const SchedulingRules = {
  SCHEDULING_INVALID: rule({
    id: 'SW-SCHED-001',
    title: 'Scheduling constraints are well-formed',
    severity: Severity.ERROR,
    rationale: 'Node selector requirements need values for In/NotIn, none for Exists/DoesNotExist and one integer for Gt/Lt; tolerationSeconds only applies to NoExecute; weights are 1–100. Anything else is rejected or never matches.',
    fix: 'build constraints with NodeRequirement, Toleration and PodAffinityTerm factories and follow their documented arguments',
    kinds: [],
    see: `${K8S}/concepts/scheduling-eviction/assign-pod-node/`,
  }),
} as const;
