import { CheckContext, ObjectCheck } from '../check';
import { KubeObject } from '../kube';
import { analyzeMonitor, MONITOR_KINDS } from '../monitors';

/** Checks of the Prometheus Operator's monitors: the scraped port exists and the scraper is admitted to it. */
function monitor(obj: KubeObject, ctx: CheckContext): void {
  for (const i of analyzeMonitor(obj, ctx.index)) ctx.reporter.report(i.rule, i.field, i.value, i.problem);
}

/** The monitor checks. */
export const MONITOR_CHECKS: ObjectCheck[] = [{ kinds: MONITOR_KINDS, run: monitor }];
