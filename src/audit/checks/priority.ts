import { Rules } from '../../rules/catalog';
import { priorityClassProblems } from '../../rules/families/priority';
import { CheckContext, ObjectCheck } from '../check';
import { KubeObject } from '../kube';

/** SW-PRIO-001..003 on PriorityClass objects, by the predicates the construct runs. */
function priorityClass(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  for (const p of priorityClassProblems({ name: obj.metadata?.name, value: obj.value, globalDefault: obj.globalDefault, preemptionPolicy: obj.preemptionPolicy, description: obj.description })) {
    // The name's form is SW-META's NAME_INVALID for every object; only the reserved prefix is ours.
    if (p.field === 'metadata.name' && !String(p.problem).includes('system-')) continue;
    r.report(Rules.PRIORITY_CLASS_INVALID, p.field, p.value, p.problem);
  }
  if (obj.globalDefault === true) {
    const defaults = ctx.index.ofKind('PriorityClass').filter(o => o.globalDefault === true);
    if (defaults.length > 1 && defaults[0] !== obj) {
      r.report(Rules.PRIORITY_GLOBAL_DEFAULT, 'globalDefault', true, `is also set on PriorityClass "${defaults[0].metadata?.name}"; the API server accepts only one global default`);
    }
  }
  if (obj.preemptionPolicy === undefined || obj.preemptionPolicy === 'PreemptLowerPriority') {
    r.report(Rules.PRIORITY_PREEMPTS, 'preemptionPolicy', obj.preemptionPolicy ?? '(default: PreemptLowerPriority)', 'lets the class\'s Pods evict running lower-priority Pods of any namespace');
  }
}

/** The PriorityClass checks. */
export const PRIORITY_CHECKS: ObjectCheck[] = [{ rules: [Rules.PRIORITY_CLASS_INVALID, Rules.PRIORITY_GLOBAL_DEFAULT, Rules.PRIORITY_PREEMPTS], run: priorityClass }];
