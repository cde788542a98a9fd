import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of bare and static Pods. */
export const PodRules = {
  STATIC_POD_REFERENCE: rule({
    id: 'SW-POD-002',
    title: 'Static Pods reference no API objects and have no companion objects',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'The kubelet runs a static Pod from a file in its manifest directory, outside the API: its spec cannot refer to a ServiceAccount, ConfigMap, Secret, PersistentVolumeClaim or image pull Secret (the kubelet refuses it or the mirror Pod is rejected), and objects created next to it (a ServiceAccount, Role or NetworkPolicy for it) would only be applied through the API, where nothing uses them.',
    fix: 'use literal env values, emptyDir or downwardAPI volumes and public (or node-cached) images; drop grants and allowFrom, or make it an ordinary BarePod or a NodeAgent',
    kinds: [],
    see: `${K8S}/tasks/configure-pod-container/static-pod/`,
  }),
  DEBUG_TERMINAL: rule({
    id: 'SW-POD-003',
    title: 'stdin and tty are for debugging Pods in development only',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A container with stdin (and a tty) waits on an attached terminal: it is a debugging session, not a workload; in staging or production it keeps a shell-shaped door open and never behaves like the real service.',
    fix: 'remove stdin and tty, or build the Pod under Profile.DEVELOPMENT (Profiles.set(chart, Profile.DEVELOPMENT) or profile: Profile.DEVELOPMENT); use kubectl debug for a running workload',
    kinds: [],
    see: `${K8S}/tasks/debug/debug-application/debug-running-pod/`,
  }),
} as const;
