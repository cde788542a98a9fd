import { defineRule as rule, Severity, ALL_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the api-versions family. */
export const ApiVersionRules = {
  API_REMOVED: rule({
    id: 'SW-API-001',
    title: 'No API versions the Kubernetes target has removed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server of the target minor no longer serves these versions: the apply fails.',
    fix: 'use the stable version, e.g. apps/v1, policy/v1, batch/v1, autoscaling/v2, networking.k8s.io/v1',
    kinds: ALL_KINDS,
    see: `${K8S}/reference/using-api/deprecation-guide/`,
  }),
  API_DEPRECATED: rule({
    id: 'SW-API-002',
    title: 'No API versions the Kubernetes target deprecates',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A deprecated version is still served at the target, but a later minor removes it: the first upgrade breaks the apply.',
    fix: 'move to the replacement version before upgrading the cluster',
    kinds: ALL_KINDS,
    see: `${K8S}/reference/using-api/deprecation-guide/`,
  }),
} as const;
