import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the statefulset family. */
export const StatefulsetRules = {
  STATEFUL_INVALID: rule({
    id: 'SW-STS-001',
    title: 'StatefulSet claims and update settings are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Volume claim templates need a unique DNS-1123 name, a positive size and an absolute mount path; an update partition must be between 0 and the replica count.',
    fix: 'give each claim a unique lowercase name, a positive size and a mount path; keep partition within 0..replicas',
    kinds: [],
    see: `${K8S}/concepts/workloads/controllers/statefulset/`,
  }),
  STS_SERVICE: rule({
    id: 'SW-STS-002',
    title: 'StatefulSets name a headless Service of the set',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    unseen: 'the Service a StatefulSet names (one in view that is not headless is judged in both)',
    rationale: 'serviceName must name a headless Service (clusterIP: None) selecting the Pods, or the replicas get no stable DNS names.',
    fix: 'create a Service with clusterIP: None and point serviceName at it',
    kinds: ['StatefulSet'],
    see: `${K8S}/concepts/workloads/controllers/statefulset/#limitations`,
  }),
} as const;
