import { Rule } from '../../rules/rule';
import type { CheckContext, ObjectCheck } from '../check';
import type { KubeObject } from '../kube';

/** Records a finding on `target`; `unseen` when what the rule needs is not among the audited objects (see `CheckContext.notSeen`). */
export type Recorder = (target: KubeObject, rule: Rule, field: string, value: unknown, problem: string, unseen?: boolean) => void;

/**
 * Holding each check to the rules it declares: with SEAWORTHY_STRICT_CHECKS=1 (set by the tests)
 * a check that reports a rule it does not declare, or a rule on a kind outside the rule's kinds,
 * fails instead of reporting.
 */

/**
 * Whether checks are held to the rules they declare: read once, at the first check (the tests set
 * it before loading anything). Reading `process.env` is a system call's worth of work, and this
 * is asked for every check of every object: 7% of an audit when it was read each time.
 */
let strictChecks: boolean | undefined;
const strict = () => (strictChecks ??= process.env.SEAWORTHY_STRICT_CHECKS === '1');

/**
 * With SEAWORTHY_STRICT_CHECKS=1 (the tests), a reporter that fails on a rule the check did not
 * declare, or on a kind outside the rule's kinds.
 */
export function declaredOnly(check: ObjectCheck, report: Recorder): Recorder {
  if (!strict()) return report;
  return (target, rule, field, value, problem, unseen) => {
    const name = check.run.name || '(anonymous check)';
    if (!check.rules.includes(rule)) throw new Error(`check ${name} reported ${rule.id}, which it does not declare, on ${target.kind}`);
    if (!rule.kinds.includes('*') && !rule.kinds.includes(target.kind)) throw new Error(`check ${name} reported ${rule.id} on ${target.kind}, outside the rule's kinds (${rule.kinds.join(', ')})`);
    report(target, rule, field, value, problem, unseen);
  };
}

/**
 * `ctx` for a part of a check that declares its own `rules` (the Pod checks): with
 * SEAWORTHY_STRICT_CHECKS=1, reporting another rule fails.
 */
export function declaredContext(rules: readonly Rule[], ctx: CheckContext): CheckContext {
  if (!strict()) return ctx;
  const only = (rule: Rule) => {
    if (!rules.includes(rule)) throw new Error(`a check declaring ${rules.map(r => r.id).join(', ')} reported ${rule.id}`);
  };
  return {
    ...ctx,
    reporter: { report: (rule, field, value, problem) => { only(rule); ctx.reporter.report(rule, field, value, problem); } },
    reportOn: (target, rule, field, value, problem) => { only(rule); ctx.reportOn(target, rule, field, value, problem); },
    notSeen: (rule, field, value, problem) => { only(rule); ctx.notSeen(rule, field, value, problem); },
  };
}
