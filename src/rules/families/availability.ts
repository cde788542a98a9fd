import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the availability family. */
export const AvailabilityRules = {
  PDB_ZERO_DISRUPTIONS: rule({
    id: 'SW-PDB-001',
    title: 'The PodDisruptionBudget allows at least one disruption',
    severity: Severity.ERROR,
    rationale: 'A budget that allows zero voluntary disruptions (maxUnavailable 0, or minAvailable equal to the replica count) blocks every node drain and cluster upgrade forever.',
    fix: 'use the default DisruptionBudget.maxUnavailable(1), or a minAvailable below the (minimum) replica count',
    kinds: ['Deployment', 'StatefulSet', 'PodDisruptionBudget'],
    see: `${K8S}/tasks/run-application/configure-pdb/`,
  }),
  PDB_SINGLE_REPLICA: rule({
    id: 'SW-PDB-002',
    title: 'A disruption-protected workload runs at least two replicas',
    severity: Severity.WARNING,
    rationale: 'With one replica the service cannot be both available and drainable: any node drain takes it down.',
    fix: 'run at least 2 replicas (the default)',
    kinds: [],
    see: `${K8S}/tasks/run-application/configure-pdb/#think-about-how-your-application-reacts-to-disruptions`,
  }),
  REPLICAS_INVALID: rule({
    id: 'SW-REPLICAS-001',
    title: 'Replica counts are positive integers',
    severity: Severity.ERROR,
    rationale: 'A replica count that is not a positive integer is rejected by the API server or runs nothing.',
    fix: 'use a whole number of at least 2 for production services',
    kinds: [],
    see: `${K8S}/concepts/workloads/controllers/deployment/#replicas`,
  }),
  SPREAD_INVALID: rule({
    id: 'SW-SPREAD-001',
    title: 'Topology spread settings are valid',
    severity: Severity.ERROR,
    rationale: 'maxSkew must be a whole number of at least 1, or the API server rejects the Pod template.',
    fix: 'use a whole maxSkew of at least 1 (1 spreads most evenly)',
    kinds: ['Deployment', 'StatefulSet', 'PodDisruptionBudget'],
    see: `${K8S}/concepts/scheduling-eviction/topology-spread-constraints/`,
  }),
  BARE_POD: rule({
    id: 'SW-POD-001',
    title: 'Pods are owned by a controller',
    severity: Severity.WARNING,
    rationale: 'A bare Pod is not recreated when it fails, when its node dies or is drained; only tests, debugging and static-pod manifests should use one.',
    fix: 'use WebService, Worker, StatefulService, NodeAgent, BatchJob or CronTask for anything that must keep running',
    kinds: ['Pod'],
    see: `${K8S}/concepts/workloads/pods/#working-with-pods`,
  }),
  REPLICAS_TOO_FEW: rule({
    id: 'SW-REPLICAS-002',
    title: 'Replicated workloads run at least two replicas',
    severity: Severity.WARNING,
    rationale: 'A single replica makes every node drain, crash or rollout an outage.',
    fix: 'set replicas: 2 or more (or an HPA with minReplicas 2)',
    kinds: ['Deployment', 'StatefulSet'],
    see: `${K8S}/concepts/workloads/controllers/deployment/`,
  }),
  SPREAD_MISSING: rule({
    id: 'SW-SPREAD-002',
    title: 'Replicas are spread over nodes and zones',
    severity: Severity.WARNING,
    rationale: 'Replicas scheduled onto one node or zone fail together.',
    fix: 'add topologySpreadConstraints on kubernetes.io/hostname and topology.kubernetes.io/zone, or pod anti-affinity',
    kinds: ['Deployment', 'StatefulSet', 'ReplicationController'],
    see: `${K8S}/concepts/scheduling-eviction/topology-spread-constraints/`,
  }),
  PDB_MISSING: rule({
    id: 'SW-PDB-003',
    title: 'Replicated workloads are covered by a PodDisruptionBudget',
    severity: Severity.WARNING,
    rationale: 'Without a PDB a node drain may evict every replica at once.',
    fix: 'add a PodDisruptionBudget with maxUnavailable: 1 selecting the Pods',
    kinds: ['Deployment', 'StatefulSet', 'ReplicationController'],
    see: `${K8S}/tasks/run-application/configure-pdb/`,
  }),
  PDB_SELECTS_NOTHING: rule({
    id: 'SW-PDB-004',
    title: 'PodDisruptionBudgets select Pods',
    severity: Severity.ERROR,
    rationale: 'A budget whose selector matches no Pod template protects nothing.',
    fix: 'use the selector labels of the workload it protects',
    kinds: ['PodDisruptionBudget'],
    see: `${K8S}/tasks/run-application/configure-pdb/`,
  }),
  PDB_UNHEALTHY_POLICY: rule({
    id: 'SW-PDB-005',
    title: 'PodDisruptionBudgets evict unhealthy Pods',
    severity: Severity.INFO,
    rationale: 'With the default policy, Pods that are not ready still count against the budget, so a broken rollout can block node drains.',
    fix: 'set unhealthyPodEvictionPolicy: AlwaysAllow',
    kinds: ['PodDisruptionBudget'],
    see: `${K8S}/tasks/run-application/configure-pdb/#unhealthy-pod-eviction-policy`,
  }),
} as const;

/** Why `skew` is not a valid topology spread maxSkew. */
export function maxSkewProblem(skew: unknown): string | undefined {
  return Number.isInteger(skew) && (skew as number) >= 1 ? undefined : 'must be a whole number of at least 1';
}
