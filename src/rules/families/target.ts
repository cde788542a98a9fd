import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io';

/** Rules of the target-version family. */
export const TargetRules = {
  TARGET_INVALID: rule({
    id: 'SW-TARGET-001',
    title: 'The Kubernetes target is a supported minor, 1.28 to 1.36',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Rendering, schemas and version-dependent rules are known for these minors only; guessing for another could emit fields its API server rejects or drops.',
    fix: 'set the target to the minor of the cluster, written as "1.NN" between "1.28" and "1.36", e.g. KubernetesTarget.set(app, \'1.35\') or --kubernetes-version 1.35',
    kinds: [],
    see: `${K8S}/releases/`,
  }),
  TARGET_OUT_OF_SUPPORT: rule({
    id: 'SW-TARGET-002',
    title: 'The Kubernetes target is still supported upstream',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A minor past its upstream end of life gets no security fixes; managed services charge for extended support and then upgrade clusters themselves.',
    fix: 'plan the cluster upgrade and raise the target with it (one minor at a time)',
    kinds: [],
    see: `${K8S}/releases/patch-releases/`,
  }),
  FEATURE_NOT_ON_TARGET: rule({
    id: 'SW-TARGET-003',
    title: 'Fields exist on the Kubernetes target',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A field whose feature gate is off at the target is dropped or rejected by its API server: a native sidecar becomes an init container that never exits, a preStop sleep action disappears.',
    fix: 'raise the target to a minor that has the feature, or use the older form (a regular sidecar container, an exec preStop)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/docs/reference/command-line-tools-reference/feature-gates/`,
  }),
  SIDECAR_NOT_NATIVE: rule({
    id: 'SW-SIDECAR-001',
    title: 'Sidecars outlive the app (native sidecars at the target)',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Without native sidecars a sidecar is an ordinary container: it gets SIGTERM at the same moment as the app, so a log shipper or proxy stops while the app still drains, and a Job whose sidecar never exits never completes.',
    fix: 'target Kubernetes 1.29 or later, where sidecars render as native sidecars; or make the sidecar outlast the app (a preStop that waits for the drain) and exit on its own in Jobs',
    kinds: [],
    see: `${K8S}/docs/concepts/workloads/pods/sidecar-containers/`,
  }),
} as const;
