import { dns1123SubdomainProblem } from '../../validation/names';
import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the priority family (PriorityClass objects). */
export const PriorityRules = {
  PRIORITY_CLASS_INVALID: rule({
    id: 'SW-PRIO-001',
    title: 'PriorityClasses are well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server rejects a PriorityClass whose name starts with "system-" (reserved for the built-in classes), whose value is not a whole number or is above 1000000000 (values above are reserved for system classes), or whose preemptionPolicy is not PreemptLowerPriority or Never.',
    fix: 'name the class without the "system-" prefix, give it a whole value from -2147483648 to 1000000000, and a PreemptionPolicy',
    kinds: ['PriorityClass'],
    see: `${K8S}/concepts/scheduling-eviction/pod-priority-preemption/#priorityclass`,
  }),
  PRIORITY_GLOBAL_DEFAULT: rule({
    id: 'SW-PRIO-002',
    title: 'At most one PriorityClass is the global default',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'The API server refuses a second PriorityClass with globalDefault: true; the apply that carries it fails half-way.',
    fix: 'keep globalDefault: true on one PriorityClass only (or none: Pods without a class then get priority 0)',
    kinds: ['PriorityClass'],
    see: `${K8S}/concepts/scheduling-eviction/pod-priority-preemption/#priorityclass`,
  }),
  PRIORITY_PREEMPTS: rule({
    id: 'SW-PRIO-003',
    title: 'High-priority classes preempt only by choice',
    severity: Severity.INFO,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A PriorityClass with preemptionPolicy PreemptLowerPriority (the Kubernetes default) lets its Pods evict running lower-priority Pods of any namespace when the cluster is full; preemption respects PodDisruptionBudgets only on a best-effort basis.',
    fix: 'set preemptionPolicy: Never unless the workloads of this class must displace others to run',
    kinds: ['PriorityClass'],
    see: `${K8S}/concepts/scheduling-eviction/pod-priority-preemption/#non-preempting-priority-class`,
  }),
} as const;

/** Largest value a user-defined PriorityClass may have (larger values are reserved for system classes). */
export const MAX_USER_PRIORITY = 1_000_000_000;
/** Smallest PriorityClass value (int32). */
export const MIN_PRIORITY = -2_147_483_648;

/** One problem of a PriorityClass, at a field of the object. */
export interface PriorityClassProblem {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * The one SW-PRIO-001 predicate, for the construct and the audit: what the API server rejects
 * in a PriorityClass (fields as the object spells them).
 */
export function priorityClassProblems(pc: { readonly name?: unknown; readonly value?: unknown; readonly globalDefault?: unknown; readonly preemptionPolicy?: unknown; readonly description?: unknown }): PriorityClassProblem[] {
  const out: PriorityClassProblem[] = [];
  const nameProblem = dns1123SubdomainProblem(pc.name);
  if (nameProblem) out.push({ field: 'metadata.name', value: pc.name, problem: nameProblem });
  else if ((pc.name as string).startsWith('system-')) out.push({ field: 'metadata.name', value: pc.name, problem: 'starts with "system-", a prefix reserved for the built-in PriorityClasses' });
  if (!Number.isInteger(pc.value) || (pc.value as number) < MIN_PRIORITY || (pc.value as number) > MAX_USER_PRIORITY) {
    out.push({ field: 'value', value: pc.value, problem: `must be a whole number from ${MIN_PRIORITY} to ${MAX_USER_PRIORITY} (higher values are reserved for system classes)` });
  }
  if (pc.globalDefault !== undefined && typeof pc.globalDefault !== 'boolean') out.push({ field: 'globalDefault', value: pc.globalDefault, problem: 'must be true or false' });
  if (pc.preemptionPolicy !== undefined && pc.preemptionPolicy !== 'PreemptLowerPriority' && pc.preemptionPolicy !== 'Never') {
    out.push({ field: 'preemptionPolicy', value: pc.preemptionPolicy, problem: 'must be PreemptLowerPriority or Never' });
  }
  if (pc.description !== undefined && typeof pc.description !== 'string') out.push({ field: 'description', value: pc.description, problem: 'must be a string' });
  return out;
}
