import { App, Chart } from 'cdk8s';
import { BarePod, BatchJob, CompletionMode, CronTask, Env, Feature, KubernetesTarget, PodFailureAction, PodFailureRule, PodReplacementPolicy } from '../../src';
import * as kplus from 'cdk8s-plus-28';
import { SMALL } from './fixtures';

/**
 * Objects of issue 14's items 9, 11 and 12 for the API-server suite, built for the target of
 * `app`: each version-dependent field only where the target has it.
 */
export function buildJobPolicies(app: App): void {
  const target = KubernetesTarget.of(app);
  const chart = new Chart(app, 'jobs', { namespace: 'jobs' });
  const perIndex = target.has(Feature.JOB_BACKOFF_LIMIT_PER_INDEX);
  const common = {
    image: 'ghcr.io/acme/backfill:2.0.0', size: SMALL, completions: 6, parallelism: 3, completionMode: CompletionMode.INDEXED,
    initContainers: [{ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0', size: SMALL }],
    podFailureRules: [
      PodFailureRule.exitCodes(perIndex ? PodFailureAction.FAIL_INDEX : PodFailureAction.FAIL_JOB, [42, 3], { container: 'fetch' }),
      PodFailureRule.exitCodesOtherThan(PodFailureAction.COUNT, [0, 1]),
      PodFailureRule.podCondition(PodFailureAction.IGNORE, 'ConfigIssue'),
    ],
    backoffLimitPerIndex: perIndex ? 1 : undefined,
    maxFailedIndexes: perIndex ? 2 : undefined,
    podReplacementPolicy: target.has(Feature.JOB_POD_REPLACEMENT_POLICY) ? PodReplacementPolicy.FAILED : undefined,
    successPolicy: target.has(Feature.JOB_SUCCESS_POLICY) ? [{ succeededIndexes: [0] }, { succeededIndexes: [1, 2, 3, 5], succeededCount: 2 }] : undefined,
  };
  new BatchJob(chart, 'indexed', { ...common, name: 'indexed' });
  new CronTask(chart, 'nightly', { ...common, name: 'nightly', schedule: '30 2 * * *' });
  new BatchJob(chart, 'plain', { name: 'plain', image: 'ghcr.io/acme/backfill:2.0.0', size: SMALL });
}

/** A static Pod and a one-off task Pod (what a kubelet manifest directory and a test run hold). */
export function buildBarePods(app: App): void {
  const chart = new Chart(app, 'node', { namespace: 'node-local' });
  new BarePod(chart, 'probe', {
    name: 'node-probe', image: 'ghcr.io/acme/node-probe:1.2.0', size: SMALL, command: ['/node-probe'], static: true,
    env: { LOG_LEVEL: Env.value('info'), NODE: Env.fromField(kplus.EnvFieldPaths.NODE_NAME) },
  });
  new BarePod(chart, 'smoke', { name: 'smoke-test', image: 'ghcr.io/acme/smoke:1.0.0', size: SMALL, restartPolicy: kplus.RestartPolicy.NEVER });
}
