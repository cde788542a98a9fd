import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the scheduling family. */
export const SchedulingRules = {
  SCHEDULING_INVALID: rule({
    id: 'SW-SCHED-001',
    title: 'Scheduling constraints are well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Node selector requirements need values for In/NotIn, none for Exists/DoesNotExist and one integer for Gt/Lt; tolerationSeconds only applies to NoExecute; weights are 1–100. Anything else is rejected or never matches.',
    fix: 'build constraints with NodeRequirement, Toleration and PodAffinityTerm factories and follow their documented arguments',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/scheduling-eviction/assign-pod-node/`,
  }),
  NODE_NAME: rule({
    id: 'SW-SCHED-002',
    title: 'Pods are placed by the scheduler, not by nodeName',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'spec.nodeName bypasses the scheduler: no resource fit, taint, affinity or spread check runs, the Pod fails (OutOfcpu, NodeAffinity) instead of waiting when the node is full, and it is never placed elsewhere when the node is gone.',
    fix: 'select the node with nodeSelector or node affinity on kubernetes.io/hostname instead of nodeName, or record why it must be nodeName with Waiver.of(\'SW-SCHED-002\', reason)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/scheduling-eviction/assign-pod-node/#nodename`,
  }),
} as const;

/**
 * The annotation the kubelet puts on the mirror Pod of a static Pod, which carries the node's name
 * in `spec.nodeName`: SW-SCHED-002 does not apply to it (a Pod of the API that merely claims to be
 * one is not run by any kubelet, and is deleted by the kubelet of its node).
 */
export const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';

/** Whether `obj` is the mirror Pod of a static Pod: a Pod with the mirror annotation. */
export function isMirrorPod(obj: { readonly kind?: unknown; readonly metadata?: { readonly annotations?: unknown } }): boolean {
  const annotations = obj.metadata?.annotations;
  return obj.kind === 'Pod' && annotations !== null && typeof annotations === 'object' && MIRROR_POD_ANNOTATION in annotations;
}

/** The one SW-SCHED-002 predicate, for the construct and the audit: why a Pod's `nodeName` is refused without a waiver. */
export function nodeNameProblem(nodeName: unknown): string | undefined {
  return typeof nodeName === 'string' && nodeName !== '' ? 'places the Pods on one node without the scheduler' : undefined;
}

/** Why a toleration's `tolerationSeconds` is not allowed (the API server accepts it only with effect NoExecute). */
export function tolerationSecondsProblem(effect: unknown, seconds: unknown): string | undefined {
  return seconds === undefined || seconds === null || effect === 'NoExecute' ? undefined : `is set on a toleration with effect ${effect === undefined || effect === '' ? '(any)' : String(effect)}; only NoExecute tolerations evict after tolerationSeconds, and the API server rejects it elsewhere`;
}
