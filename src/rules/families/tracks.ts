import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Controllers whose selector picks the Pods they own (Jobs get a generated one). */
export const SELECTING_CONTROLLER_KINDS: readonly string[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController'];

/** Rules of the release-tracks family: several controllers of one app behind one Service. */
export const TracksRules = {
  CONTROLLER_SELECTORS_OVERLAP: rule({
    id: 'SW-TRACK-001',
    title: 'No controller selects the Pods of another controller',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'A Deployment, StatefulSet, DaemonSet, ReplicaSet or ReplicationController whose selector matches the Pod template of another controller counts, adopts or scales the other one\'s Pods: the controllers fight, replica counts and rollouts go wrong, and an autoscaler reading the selector scales on the wrong Pods. Kubernetes does not stop it ("overlapping selectors").',
    fix: 'give each controller a label of its own in its selector and Pod template (e.g. a release track: WebService.addCanary() adds seaworthy.dev/track to both Deployments), and let the Service select only the labels the controllers share',
    kinds: SELECTING_CONTROLLER_KINDS,
    see: `${K8S}/concepts/workloads/controllers/deployment/#label-selector-updates`,
  }),
  POD_UNDER_TWO_BUDGETS: rule({
    id: 'SW-TRACK-002',
    title: 'No Pod is covered by more than one PodDisruptionBudget',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'The eviction API refuses to evict a Pod that more than one PodDisruptionBudget selects ("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support"), so node drains and cluster upgrades stall on these Pods.',
    fix: 'select each track (or each controller) with exactly one budget: add the label that tells them apart (e.g. seaworthy.dev/track) to the narrower budgets, or drop the overlapping one',
    kinds: [...SELECTING_CONTROLLER_KINDS, 'Pod'],
    see: `${K8S}/concepts/scheduling-eviction/api-eviction/#how-api-initiated-eviction-works`,
  }),
  TRACK_INVALID: rule({
    id: 'SW-TRACK-003',
    title: 'Release tracks are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A track name becomes a label value and part of object names (`<name>-<track>`); "stable" is the workload itself, and two tracks of one name would render one Deployment twice.',
    fix: 'name the track with lowercase letters, digits and "-" (e.g. "canary"), other than "stable" and other than every other track of the workload',
    kinds: [],
    see: `${K8S}/concepts/workloads/management/#canary-deployments`,
  }),
} as const;
