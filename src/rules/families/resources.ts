import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the resources family. */
export const ResourcesRules = {
  SIZE_INVALID: rule({
    id: 'SW-RES-001',
    title: 'Resource sizes are positive and well-formed',
    severity: Severity.ERROR,
    rationale: 'A zero, negative or malformed quantity is rejected by the API server or leaves the Pod unschedulable; a limit below its request is invalid.',
    fix: 'use Cpu.millis(n) / Size.mebibytes(n) with a positive n, and limits no lower than requests',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/`,
  }),
  NOT_GUARANTEED: rule({
    id: 'SW-RES-002',
    title: 'Pods run in the Guaranteed QoS class',
    severity: Severity.INFO,
    rationale: 'Under node memory pressure the kubelet evicts BestEffort Pods first, then Burstable; Guaranteed Pods (requests = limits for cpu and memory in every container) go last.',
    fix: 'drop "burst" so that one size sets requests = limits',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/pod-qos/`,
  }),
  TMP_EXCEEDS_EPHEMERAL: rule({
    id: 'SW-RES-003',
    title: 'Disk-backed emptyDirs fit the Pod\'s ephemeral-storage limit',
    severity: Severity.ERROR,
    rationale: 'Disk-backed emptyDirs count against the Pod\'s ephemeral-storage limit (the sum over its containers); sizeLimits above it can never be used and the Pod is evicted first.',
    fix: 'make the emptyDir sizeLimits ("tmpSize" included) add up to no more than the containers\' "size.ephemeralStorage"',
    kinds: [],
    see: `${K8S}/concepts/configuration/manage-resources-containers/#local-ephemeral-storage`,
  }),
  REQUESTS_LIMITS_MISSING: rule({
    id: 'SW-RES-004',
    title: 'Containers set cpu and memory requests and limits',
    severity: Severity.ERROR,
    rationale: 'Without requests the scheduler places the Pod blindly and the Pod is BestEffort, evicted first; without limits one container can starve the node.',
    fix: 'set requests and limits for cpu and memory on every container (equal values make the Pod Guaranteed)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/`,
  }),
  EPHEMERAL_STORAGE_MISSING: rule({
    id: 'SW-RES-005',
    title: 'Containers set an ephemeral-storage request and limit',
    severity: Severity.WARNING,
    rationale: 'Without an ephemeral-storage limit, logs, the writable layer and emptyDirs of one Pod can fill the node disk and take the node down.',
    fix: 'set resources.requests and limits for ephemeral-storage, e.g. 1Gi',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/#local-ephemeral-storage`,
  }),
} as const;
