import { App, Chart, Testing } from 'cdk8s';
import { Env, KubernetesTarget, PodFailureAction, PodFailureRule, SeaworthyError, Waiver } from '../src';
import { SIZE, WORKLOADS } from './support/adversarial';

/**
 * Invalid input from plain JavaScript callers for the Job failure and success policies, bare Pods
 * and init-container security props:
 * every case must raise a SeaworthyError whose findings name the field, never a TypeError, never
 * "undefined" or "[object Object]" in the message.
 */

const size = SIZE;
const constructs: typeof WORKLOADS = { BatchJob: WORKLOADS.BatchJob, CronTask: WORKLOADS.CronTask, BarePod: WORKLOADS.BarePod, WebService: WORKLOADS.WebService };

const init = (security: unknown) => ({ initContainers: [{ name: 'prep', image: 'busybox:1.36.1', size, security }] });

/** [construct, props to merge, field a finding must name]. */
const cases: Array<[string, Record<string, unknown>, string]> = [
  ['BatchJob', { ignoreDisruptions: 'yes' }, 'ignoreDisruptions'],
  ['BatchJob', { podFailureRules: 'FailJob' }, 'podFailureRules'],
  ['BatchJob', { podFailureRules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] }, 'podFailureRules'],
  ['BatchJob', { podFailureRules: [null] }, 'podFailureRules'],
  ['BatchJob', { podFailureRules: [PodFailureRule.exitCodes('Explode' as PodFailureAction, [1])] }, 'podFailureRules'],
  ['BatchJob', { podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, ['1'] as unknown as number[])] }, 'podFailureRules[0].onExitCodes.values[0]'],
  ['BatchJob', { podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [])] }, 'podFailureRules[0].onExitCodes.values'],
  ['BatchJob', { podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, null as unknown as number[])] }, 'podFailureRules[0].onExitCodes.values'],
  ['BatchJob', { podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [NaN])] }, 'podFailureRules[0].onExitCodes.values[0]'],
  ['BatchJob', { podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [1], { container: 7 as unknown as string })] }, 'podFailureRules[0].onExitCodes.containerName'],
  ['BatchJob', { podFailureRules: [PodFailureRule.podCondition(PodFailureAction.IGNORE, '')] }, 'podFailureRules[0].onPodConditions[0].type'],
  ['BatchJob', { podFailureRules: [PodFailureRule.podCondition(PodFailureAction.IGNORE, undefined as unknown as string)] }, 'podFailureRules[0].onPodConditions[0].type'],
  ['BatchJob', { completionMode: 'Sharded' }, 'completionMode'],
  ['BatchJob', { completionMode: 'Indexed', backoffLimitPerIndex: -1 }, 'backoffLimitPerIndex'],
  ['BatchJob', { completionMode: 'Indexed', backoffLimitPerIndex: 1, maxFailedIndexes: 0.5 }, 'maxFailedIndexes'],
  ['BatchJob', { completionMode: 'Indexed', successPolicy: 'all' }, 'successPolicy'],
  ['BatchJob', { completionMode: 'Indexed', successPolicy: [{ succeededIndexes: [-1] }] }, 'successPolicy'],
  ['BatchJob', { completionMode: 'Indexed', successPolicy: [{ succeededIndexes: '0-2' }] }, 'successPolicy'],
  ['BatchJob', { completionMode: 'Indexed', successPolicy: [{ succeededCount: '1' }] }, 'successPolicy'],
  ['BatchJob', { completionMode: 'Indexed', successPolicy: [{ succeededCount: 0 }] }, 'successPolicy[0].succeededCount'],
  ['BatchJob', { completionMode: 'Indexed', successPolicy: [] }, 'successPolicy'],
  ['BatchJob', { podReplacementPolicy: 'Never' }, 'podReplacementPolicy'],
  ['CronTask', { podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_INDEX, [3])] }, 'podFailureRules[0].action'],
  ['CronTask', { backoffLimitPerIndex: 2 }, 'backoffLimitPerIndex'],
  ['BarePod', { static: 'yes' }, 'static'],
  ['BarePod', { static: true, env: { K: Env.fromSecret('s', 'k') } }, 'containers.pod.env.K'],
  ['BarePod', { static: true, podOptions: { imagePullSecrets: ['regcred'] } }, 'podOptions.imagePullSecrets[0]'],
  ['BarePod', { restartPolicy: 'Sometimes' }, 'restartPolicy'],
  ['BarePod', { restartPolicy: 7 }, 'restartPolicy'],
  ['BarePod', { stdin: 1 }, 'stdin'],
  ['BarePod', { stdin: true }, 'stdin'],
  ['BarePod', { tty: true }, 'tty'],
  ['BarePod', { tty: 'true', stdin: true }, 'tty'],
  ['WebService', init('root'), 'initContainers[0].security'],
  ['WebService', init(null), 'initContainers[0].security'],
  ['WebService', init({ runAsRoot: 1 }), 'initContainers[0].security.runAsRoot'],
  ['WebService', init({ capabilities: 'CHOWN' }), 'initContainers[0].security.capabilities'],
  ['WebService', init({ capabilities: ['CAP_CHOWN'] }), 'initContainers[0].security.capabilities'],
  ['WebService', init({ capabilities: ['ALL'] }), 'initContainers[0].security.capabilities'],
  ['WebService', init({ user: 0 }), 'initContainers[0].security.user'],
  ['WebService', init({ runAsRoot: true }), 'initContainers[0].security.runAsRoot'],
  ['WebService', { ...init({ capabilities: ['CHOWN'] }), waivers: [Waiver.of('SW-SEC-002', 'chown', { container: 5 as unknown as string })] }, 'waivers[0].container'],
  ['WebService', { ...init({ capabilities: ['CHOWN'] }), waivers: [Waiver.of('SW-SEC-002', 'chown', { container: 'other' })] }, 'waivers'],
  ['WebService', { sidecars: [{ name: 'side', image: 'a/b:1.0', size, security: { runAsRoot: true } }] }, 'sidecars[0].security'],
];

function chart(): Chart {
  const app: App = Testing.app();
  KubernetesTarget.set(app, '1.35', { asOf: new Date('2026-12-02') });
  return new Chart(app, 'c');
}

describe('invalid input to the Job policy, bare Pod and init-container props', () => {
  test.each(cases.map(([kind, props, field]) => [`${kind} ${JSON.stringify(props) ?? ''}`, kind, props, field] as const))('%s', (_title, kind, props, field) => {
    const { make, base } = constructs[kind];
    let error: unknown;
    try {
      make(chart(), { ...base(), ...props });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SeaworthyError);
    const e = error as SeaworthyError;
    expect(e.findings.map(f => f.field)).toContain(field);
    expect(e.message).not.toMatch(/\[object Object\]|= undefined\b/);
  });
});
