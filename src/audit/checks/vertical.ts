import { Rules } from '../../rules/catalog';
import { boundsProblems, evictionBudgetProblem, hpaVpaConflicts, qosDriftContainers, verticalControlOf, vpaUpdateMode } from '../../rules/families/vertical-scaling';
import { qosClassOf, QosClass } from '../../pod/resources';
import { budgetCoverage } from '../budgets';
import { CheckContext, ObjectCheck } from '../check';
import { containersOf, KubeObject, objectRef } from '../kube';
import { namespaceOf } from '../object-index';

/**
 * Checks of a VerticalPodAutoscaler, on its own and against the objects it relates to: the
 * controller it targets, HPAs scaling the same controller, the budgets covering its Pods. A
 * target that is not among the audited objects may live elsewhere (open world): the checks that
 * need its Pods then say nothing.
 */
function verticalPodAutoscaler(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const ns = namespaceOf(obj);
  const ref = obj.spec?.targetRef ?? {};
  const target = typeof ref.kind === 'string' && typeof ref.name === 'string' ? ctx.index.get(ref.kind, ns, ref.name) : undefined;
  const template = target ? ctx.index.templateOf(target) : undefined;
  const policies: unknown[] = Array.isArray(obj.spec?.resourcePolicy?.containerPolicies) ? obj.spec.resourcePolicy.containerPolicies : [];
  const named = policies.map(p => (p as KubeObject | null)?.containerName).filter((n): n is string => typeof n === 'string');
  // The containers the VPA sizes: the target's app containers, or (target not in view) every policy's.
  const containers = template ? containersOf(template).filter(c => !c.init).map(c => String(c.container.name)) : [...new Set([...named, '*'])];

  const hpas = ctx.index.ofKindIn('HorizontalPodAutoscaler', ns).filter(h => h.spec?.scaleTargetRef?.kind === ref.kind && h.spec?.scaleTargetRef?.name === ref.name);
  for (const hpa of hpas) {
    for (const c of hpaVpaConflicts(hpa.spec?.metrics, obj, containers)) {
      const at = ctx.where(hpa);
      r.report(Rules.VPA_HPA_SAME_RESOURCE, 'spec.targetRef', `${ref.kind}/${ref.name}`,
        `is also scaled by ${objectRef(hpa)}${at ? ` (${at})` : ''} on ${c.resource} utilisation (spec.metrics[${c.index}]), while this VerticalPodAutoscaler changes the ${c.resource} requests of container "${c.containers.join('", "')}", so the two autoscalers fight`);
    }
  }

  if (template) {
    const guaranteed = qosClassOf(template.spec as never) === QosClass.GUARANTEED;
    for (const d of qosDriftContainers(obj, containers, guaranteed)) {
      r.report(Rules.VPA_QOS_DRIFT, d.control.field ? `${d.control.field}.controlledValues` : 'spec.resourcePolicy', d.control.values,
        `changes the requests of container "${d.container}" of ${objectRef(target!)} and leaves its limits, so its Guaranteed Pods become Burstable (requests below limits) and are evicted before Guaranteed Pods under node memory pressure`);
    }
    const budgets = ctx.index.budgetsCovering(ns, template.labels).map(p => ({ name: objectRef(p), allowed: budgetCoverage(p, ctx.index)?.allowed }));
    const mode = vpaUpdateMode(obj);
    const problem = evictionBudgetProblem(mode, budgets);
    if (problem) r.report(Rules.VPA_NO_DISRUPTION_BUDGET, 'spec.updatePolicy.updateMode', obj.spec?.updatePolicy?.updateMode ?? `(default: ${mode})`, `${problem} (the Pods of ${objectRef(target!)})`);
  }

  // Bounds of every policy in force (and of the built-in default when no policy covers a container).
  const seen = new Set<string>();
  for (const name of containers) {
    const control = verticalControlOf(obj, name);
    const key = control?.field ?? '(default)';
    if (!control || seen.has(key)) continue;
    seen.add(key);
    const raw = control.field ? policies[Number(/\[(\d+)\]$/.exec(control.field)![1])] as KubeObject : {};
    for (const p of boundsProblems(control, raw)) {
      const field = control.field ? `${control.field}.${p.field}` : 'spec.resourcePolicy';
      const where = control.field ? p.problem : `no containerPolicy covers container "${name}", so its ${p.field} ${p.problem}`;
      r.report(p.rule === 'order' ? Rules.VPA_BOUNDS_INVALID : Rules.VPA_UNBOUNDED, field, control.field ? p.value : undefined, where);
    }
  }
}

/** The VerticalPodAutoscaler checks. */
export const VERTICAL_CHECKS: ObjectCheck[] = [
  { rules: [Rules.VPA_HPA_SAME_RESOURCE, Rules.VPA_QOS_DRIFT, Rules.VPA_NO_DISRUPTION_BUDGET, Rules.VPA_BOUNDS_INVALID, Rules.VPA_UNBOUNDED], run: verticalPodAutoscaler },
];
