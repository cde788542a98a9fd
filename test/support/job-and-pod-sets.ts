import { App, Chart, Size } from 'cdk8s';
import { BarePod, BatchJob, CompletionMode, CronTask, Env, Feature, PodSecurityLevel, PodVolume, Probe, Tenant, Waiver, WebService, KubernetesTarget, PodFailureAction, PodFailureRule, PodReplacementPolicy } from '../../src';
import * as kplus from 'cdk8s-plus-28';
import { SMALL } from './fixtures';

/**
 * Jobs with failure and success policies, bare Pods and root init containers for the API-server suite, built for the target of
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

/**
 * The notes' chown step: an init container running as root with CHOWN only, in a Tenant enforcing
 * Pod Security "baseline" (the servers' admission must accept it), next to the same app without it
 * in a "restricted" Tenant.
 */
export function buildRootInitContainer(app: App): void {
  const volume = PodVolume.emptyDir('data', { sizeLimit: Size.mebibytes(256) });
  const web = { image: 'ghcr.io/acme/web:1.0.0', port: 8080, size: SMALL, readiness: Probe.http('/ready'), mounts: [{ volume, path: '/data' }] };
  const baseline = new Tenant(app, 'prep', { name: 'prep', podSecurity: PodSecurityLevel.BASELINE });
  new WebService(baseline, 'web', {
    ...web, name: 'web',
    initContainers: [{ name: 'fix-perms', image: 'busybox:1.36.1', size: SMALL, command: ['chown', '-R', '10001:10001', '/data'], mounts: [{ volume, path: '/data' }], security: { runAsRoot: true, capabilities: [kplus.Capability.CHOWN] } }],
    waivers: [
      Waiver.of('SW-SEC-001', 'chowns the data volume before the app starts', { container: 'fix-perms' }),
      Waiver.of('SW-SEC-010', 'runs as root, see SW-SEC-001', { container: 'fix-perms' }),
      Waiver.of('SW-SEC-002', 'CHOWN is all it needs', { container: 'fix-perms' }),
    ],
  });
  const restricted = new Tenant(app, 'shop', { name: 'shop', podSecurity: PodSecurityLevel.RESTRICTED });
  new WebService(restricted, 'web', { ...web, name: 'web' });
}
