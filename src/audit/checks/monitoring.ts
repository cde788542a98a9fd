import { CheckContext, ObjectCheck } from '../check';
import { KubeObject } from '../kube';
import { Rules } from '../../rules/catalog';
import { analyzeMonitor } from '../monitors';

/** Checks of the Prometheus Operator's monitors: the scraped port exists and the scraper is admitted to it. */
function monitor(obj: KubeObject, ctx: CheckContext): void {
  for (const i of analyzeMonitor(obj, ctx.index)) ctx.reporter.report(i.rule, i.field, i.value, i.problem);
}

/** The monitor checks. */
export const MONITOR_CHECKS: ObjectCheck[] = [{ rules: [Rules.MONITOR_PORT_MISSING, Rules.MONITOR_NOT_ADMITTED], run: monitor }];
