import { defineRule as rule, Severity } from '../rule';
import { parseQuantity } from '../../validation/quantity';

const VPA = 'https://github.com/kubernetes/autoscaler/blob/master/vertical-pod-autoscaler/docs';

/** Rules of the vertical scaling family (VerticalPodAutoscaler). */
export const VerticalScalingRules = {
  VPA_HPA_SAME_RESOURCE: rule({
    id: 'SW-VPA-001',
    title: 'Vertical and horizontal autoscaling do not scale one workload on the same resource',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'An HPA on cpu or memory utilisation divides usage by the requests, which the VPA changes: the VPA raises the requests, utilisation falls, the HPA removes Pods, usage per Pod rises, the VPA raises the requests again. The two controllers fight and the workload oscillates. The VPA\'s own documentation rules the combination out; an HPA on custom or external metrics, or on a resource the VPA does not control, is fine.',
    fix: 'scale horizontally on a custom or external metric ("autoscaling.metrics", e.g. requests per second or queue length), or let the VerticalPodAutoscaler control only the other resource ("autoscaling.vertical.resources")',
    kinds: ['VerticalPodAutoscaler'],
    see: `${VPA}/known-limitations.md`,
  }),
  VPA_QOS_DRIFT: rule({
    id: 'SW-VPA-002',
    title: 'Vertical autoscaling keeps Guaranteed Pods Guaranteed',
    severity: Severity.ERROR,
    tier: 'hardening',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'With controlledValues RequestsOnly the VPA changes the requests and leaves the limits: the requests of a Guaranteed Pod drift below its limits and the Pod becomes Burstable, evicted before Guaranteed Pods under node memory pressure (an in-place resize never changes the QoS class, so the VPA evicts it instead). RequestsAndLimits scales both in proportion, so requests stay equal to limits.',
    fix: 'use ControlledValues.REQUESTS_AND_LIMITS (the default; controlledValues: RequestsAndLimits), or make the workload Burstable on purpose ("burst") first',
    kinds: ['VerticalPodAutoscaler'],
    see: `${VPA}/features.md#limits-control`,
  }),
  VPA_NO_DISRUPTION_BUDGET: rule({
    id: 'SW-VPA-003',
    title: 'A VerticalPodAutoscaler that evicts Pods has a budget that allows an eviction',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'objects',
    wholeDeployment: true,
    rationale: 'In the Recreate, InPlaceOrRecreate and Auto modes the VPA updater applies a recommendation by evicting Pods through the eviction API (InPlaceOrRecreate when a resize cannot happen in place). Without a PodDisruptionBudget nothing but the updater\'s own tolerance limits how many Pods go at once; with a budget that allows no disruption every eviction is refused and the recommendation is never applied.',
    fix: 'cover the Pods with a PodDisruptionBudget that allows at least one disruption (DisruptionBudget.maxUnavailable(1), the default), or use updateMode Initial or Off',
    kinds: ['VerticalPodAutoscaler'],
    see: `${VPA}/quickstart.md`,
  }),
  VPA_BOUNDS_INVALID: rule({
    id: 'SW-VPA-004',
    title: 'Vertical scaling bounds are ordered',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With minAllowed above maxAllowed the VPA has no size left to recommend. A workload\'s own size outside its bounds is resized as soon as it starts: below minAllowed every new Pod is raised at once (the size was never used), above maxAllowed every Pod is shrunk below what it was sized and tested with.',
    fix: 'keep minAllowed <= size <= maxAllowed for every scaled resource ("autoscaling.vertical.minAllowed", "autoscaling.vertical.maxAllowed"; minAllowed <= maxAllowed in every containerPolicy)',
    kinds: ['VerticalPodAutoscaler'],
    see: `${VPA}/api.md#containerresourcepolicy`,
  }),
  VPA_UNBOUNDED: rule({
    id: 'SW-VPA-005',
    title: 'Vertical scaling has an upper bound',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Without maxAllowed on a resource it controls, the VPA may raise a container without bound: past what any node offers (the Pods it recreates stay Pending) or past the namespace quota (they are refused). The quota check can only count such a workload at its declared size. seaworthy\'s constructs require maxAllowed.',
    fix: 'set maxAllowed for cpu and memory in the containerPolicy (the "*" policy covers every container without its own)',
    kinds: ['VerticalPodAutoscaler'],
    see: `${VPA}/api.md#containerresourcepolicy`,
  }),
} as const;

/** A loosely typed mapping read from YAML or rendered by a construct. */
type Loose = { readonly [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The resources a VerticalPodAutoscaler controls when a policy names none. */
export const DEFAULT_CONTROLLED_RESOURCES: readonly string[] = ['cpu', 'memory'];

/** The update mode of a VPA, with the CRD's default (Recreate; "Auto" before VPA 1.4, the same behaviour). */
export function vpaUpdateMode(vpa: Loose | undefined): string {
  const mode = vpa?.spec?.updatePolicy?.updateMode;
  return typeof mode === 'string' ? mode : 'Recreate';
}

/** Whether the VPA's updater evicts Pods to apply a recommendation (InPlaceOrRecreate when a resize cannot happen in place). */
export function vpaEvicts(mode: string): boolean {
  return mode === 'Recreate' || mode === 'Auto' || mode === 'InPlaceOrRecreate';
}

/** What a VPA does to one container; undefined when it leaves the container alone. */
export interface VerticalControl {
  /** The resources it sets (controlledResources). */
  readonly resources: readonly string[];
  /** "RequestsAndLimits" or "RequestsOnly". */
  readonly values: string;
  /** minAllowed, in cores and bytes (unparsable entries left out). */
  readonly minAllowed: Readonly<Record<string, number>>;
  /** maxAllowed, in cores and bytes (unparsable entries left out). */
  readonly maxAllowed: Readonly<Record<string, number>>;
  /** Where the policy is, e.g. "spec.resourcePolicy.containerPolicies[0]"; undefined for the built-in default policy. */
  readonly field?: string;
}

/**
 * What the VPA does to container `name`: the policy naming it, else the `*` policy, else the
 * VPA's default (cpu and memory, requests and limits, no bounds). Undefined when the VPA only
 * recommends (updateMode Off) or the policy's mode is Off.
 */
export function verticalControlOf(vpa: Loose | undefined, name: string): VerticalControl | undefined {
  if (!vpa || vpaUpdateMode(vpa) === 'Off') return undefined;
  const policies: unknown[] = Array.isArray(vpa.spec?.resourcePolicy?.containerPolicies) ? vpa.spec.resourcePolicy.containerPolicies : [];
  let index = policies.findIndex(p => (p as Loose | null)?.containerName === name);
  if (index < 0) index = policies.findIndex(p => (p as Loose | null)?.containerName === '*');
  const policy = index < 0 ? undefined : policies[index] as Loose;
  if (policy?.mode === 'Off') return undefined;
  const resources = Array.isArray(policy?.controlledResources) ? policy.controlledResources.filter((r: unknown): r is string => typeof r === 'string') : DEFAULT_CONTROLLED_RESOURCES;
  const amounts = (list: unknown) => {
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(list && typeof list === 'object' ? list : {})) {
      const n = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
      if (n !== undefined) out[k] = n;
    }
    return out;
  };
  return {
    resources,
    values: typeof policy?.controlledValues === 'string' ? policy.controlledValues : 'RequestsAndLimits',
    minAllowed: amounts(policy?.minAllowed),
    maxAllowed: amounts(policy?.maxAllowed),
    field: index < 0 ? undefined : `spec.resourcePolicy.containerPolicies[${index}]`,
  };
}

/** An HPA metric on a resource the VPA also controls. */
export interface ResourceConflict {
  /** Index of the metric in the HPA's `spec.metrics`. */
  readonly index: number;
  /** "cpu" or "memory". */
  readonly resource: string;
  /** The containers whose requests the VPA changes for that resource. */
  readonly containers: readonly string[];
}

/**
 * The SW-VPA-001 predicate: the HPA metrics (rendered `spec.metrics`) that scale on the
 * utilisation of a resource the VPA controls in one of `containers` (the app containers of the
 * Pods both scale). A `ContainerResource` metric conflicts only through its own container; an
 * HPA on an absolute value (AverageValue), on custom or external metrics, or beside a VPA that
 * only recommends (Off) is no conflict.
 */
export function hpaVpaConflicts(metrics: unknown, vpa: Loose | undefined, containers: readonly string[]): ResourceConflict[] {
  if (!Array.isArray(metrics)) return [];
  const out: ResourceConflict[] = [];
  metrics.forEach((m: Loose | null, index) => {
    const source = m?.type === 'Resource' ? m.resource : m?.type === 'ContainerResource' ? m.containerResource : undefined;
    const resource = source?.name;
    const utilization = source?.target?.type === 'Utilization' || source?.target?.averageUtilization !== undefined;
    if (typeof resource !== 'string' || !utilization) return;
    const scope = m?.type === 'ContainerResource' ? containers.filter(c => c === source.container) : containers;
    const controlled = scope.filter(c => verticalControlOf(vpa, c)?.resources.includes(resource));
    if (controlled.length > 0) out.push({ index, resource, containers: controlled });
  });
  return out;
}

/**
 * The SW-VPA-002 predicate: the containers whose requests a VPA moves apart from their limits
 * (controlledValues RequestsOnly on a resource whose limit it leaves), on Pods that are
 * Guaranteed.
 */
export function qosDriftContainers(vpa: Loose | undefined, containers: readonly string[], guaranteed: boolean): Array<{ container: string; control: VerticalControl }> {
  if (!guaranteed) return [];
  return containers.flatMap(container => {
    const control = verticalControlOf(vpa, container);
    return control && control.values === 'RequestsOnly' && control.resources.some(r => r === 'cpu' || r === 'memory') ? [{ container, control }] : [];
  });
}

/** One bound problem of a VPA policy, at a field relative to the policy. */
export interface BoundsProblem {
  /** `order` (SW-VPA-004) or `unbounded` (SW-VPA-005). */
  readonly rule: 'order' | 'unbounded';
  /** e.g. "maxAllowed.cpu". */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * The SW-VPA-004/005 predicate on one container's control: minAllowed above maxAllowed, and a cpu
 * or memory the VPA controls without a maxAllowed. `raw` is the policy as written, for the values.
 */
export function boundsProblems(control: VerticalControl, raw: { readonly minAllowed?: unknown; readonly maxAllowed?: unknown } = {}): BoundsProblem[] {
  const out: BoundsProblem[] = [];
  const shown = (list: unknown, r: string) => (list && typeof list === 'object' ? (list as Loose)[r] : undefined);
  for (const r of control.resources.filter(x => x === 'cpu' || x === 'memory')) {
    const max = control.maxAllowed[r];
    const min = control.minAllowed[r];
    if (max === undefined) out.push({ rule: 'unbounded', field: `maxAllowed.${r}`, value: shown(raw.maxAllowed, r), problem: `is not set, so the VerticalPodAutoscaler may raise ${r} without bound` });
    else if (min !== undefined && min > max) out.push({ rule: 'order', field: `minAllowed.${r}`, value: shown(raw.minAllowed, r), problem: `is above maxAllowed.${r} (${describeAmount(r, max)}), so no recommendation fits` });
  }
  return out;
}

/** Whether a budget allows an eviction: the SW-VPA-003 predicate over the budgets covering the Pods (allowed disruptions each; undefined when malformed). */
export function evictionBudgetProblem(mode: string, budgets: ReadonlyArray<{ readonly name: string; readonly allowed: number | undefined }>): string | undefined {
  if (!vpaEvicts(mode)) return undefined;
  if (budgets.length === 0) return `evicts Pods to apply its recommendations (${mode}), and no PodDisruptionBudget limits how many go at once`;
  // The eviction API consults every budget selecting the Pod: one that allows nothing refuses it.
  const blocking = budgets.filter(b => b.allowed === 0);
  if (blocking.length > 0) return `evicts Pods to apply its recommendations (${mode}), but ${blocking.map(b => b.name).join(' and ')} allow${blocking.length === 1 ? 's' : ''} no disruption, so every eviction is refused and no recommendation is applied`;
  return undefined;
}

/** A quantity of `resource` for a message ("1500m", "768Mi"). */
export function describeAmount(resource: string, n: number): string {
  if (resource === 'cpu') return n * 1000 % 1000 === 0 ? String(n) : `${Math.round(n * 1000)}m`;
  for (const [suffix, factor] of [['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) if (n % factor === 0) return `${n / factor}${suffix}`;
  return String(n);
}
