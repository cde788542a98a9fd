import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the containers family. */
export const ContainersRules = {
  INIT_CONTAINER_HOOKS: rule({
    id: 'SW-INIT-001',
    title: 'Init containers take no probes or lifecycle hooks (native sidecars excepted) and declare no ports',
    severity: Severity.ERROR,
    rationale: 'Init containers run to completion, one after another, before the app starts; the API server rejects probes and lifecycle hooks on them unless they are native sidecars (restartPolicy: Always). The API server accepts ports on them, but a port of a container that has exited serves nothing.',
    fix: 'remove readiness, liveness, startup, preStop and ports from the init container, or make it a sidecar',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/init-containers/#differences-from-regular-containers`,
  }),
  CONTAINER_NAME_DUPLICATE: rule({
    id: 'SW-CONTAINER-001',
    title: 'Container names are unique DNS-1123 labels',
    severity: Severity.ERROR,
    rationale: 'Each container of a Pod, init containers included, needs a unique name; the API server rejects duplicates.',
    fix: 'give every container a distinct lowercase name',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/reference/kubernetes-api/workload-resources/pod-v1/#Container`,
  }),
} as const;
