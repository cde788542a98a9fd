import { App, Chart, Testing } from 'cdk8s';
import {
  audit, BatchJob, CompletionMode, CronTask, Findings, JobRestartPolicy, KubernetesTarget, KubernetesVersion, PodFailureAction, PodFailureRule,
  PodReplacementPolicy, SeaworthyError,
} from '../src';
import { formatIndexes } from '../src/workloads/job-policies';
import { parseIndexes } from '../src/rules/families/batch';
import { SMALL } from './support/fixtures';
import { KubeObject, only, synthValid, thrownBy } from './support/synth';

const LONG_AGO = new Date('2024-01-01T00:00:00Z');

function chartFor(version: KubernetesVersion): { app: App; chart: Chart } {
  const app = Testing.app();
  KubernetesTarget.set(app, version, { asOf: LONG_AGO });
  return { app, chart: new Chart(app, 'test', { namespace: 'batch' }) };
}

const base = { name: 'backfill', image: 'ghcr.io/acme/backfill:2.0.0', size: SMALL };
const IGNORE_DRAINS = { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] };

function errorsOf(build: () => unknown): string[] {
  const e = thrownBy(build) as SeaworthyError;
  expect(e).toBeInstanceOf(SeaworthyError);
  return e.findings.map(f => `${f.rule.id} ${f.field}`);
}

describe('Job pod failure policy', () => {
  test.each(['1.28', '1.35'] as const)('by default on %s: restartPolicy Never and an Ignore rule on DisruptionTarget, so drains do not use up backoffLimit', version => {
    const { app, chart } = chartFor(version);
    new BatchJob(chart, 'job', base);
    const spec = only(synthValid(chart), 'Job').spec;
    expect(spec.template.spec.restartPolicy).toBe('Never');
    expect(spec.podFailurePolicy).toEqual({ rules: [IGNORE_DRAINS] });
    expect(spec.backoffLimit).toBe(3);
    expect(spec.podReplacementPolicy).toBeUndefined();
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-JOB'))).toEqual([]);
  });

  test('user rules follow the DisruptionTarget rule: exit codes sorted, per container, with an empty onPodConditions (required by the 1.28 API)', () => {
    const { chart } = chartFor('1.28');
    new BatchJob(chart, 'job', {
      ...base,
      initContainers: [{ name: 'fetch', image: 'ghcr.io/acme/fetch:1.0.0', size: SMALL }],
      podFailureRules: [
        PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [42, 3, 42], { container: 'backfill' }),
        PodFailureRule.exitCodesOtherThan(PodFailureAction.COUNT, [0, 1]),
        PodFailureRule.podCondition(PodFailureAction.IGNORE, 'ConfigIssue'),
      ],
    });
    expect(only(synthValid(chart), 'Job').spec.podFailurePolicy.rules).toEqual([
      IGNORE_DRAINS,
      { action: 'FailJob', onExitCodes: { containerName: 'backfill', operator: 'In', values: [3, 42] }, onPodConditions: [] },
      { action: 'Count', onExitCodes: { operator: 'NotIn', values: [0, 1] }, onPodConditions: [] },
      { action: 'Ignore', onPodConditions: [{ type: 'ConfigIssue', status: 'True' }] },
    ]);
  });

  test('SW-JOB-005: restartPolicy OnFailure allows no podFailurePolicy, so drains count (a warning); asking for the policy anyway is SW-JOB-004', () => {
    const { app, chart } = chartFor('1.35');
    new BatchJob(chart, 'job', { ...base, restartPolicy: JobRestartPolicy.ON_FAILURE });
    const spec = only(synthValid(chart), 'Job').spec;
    expect(spec.podFailurePolicy).toBeUndefined();
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-JOB-005').map(f => `${f.severity} ${f.field} ${f.problem}`))
      .toEqual(['warning ignoreDisruptions a node drain, preemption or eviction counts toward backoffLimit (restartPolicy OnFailure allows no podFailurePolicy; use Never)']);
    expect(errorsOf(() => new BatchJob(chart, 'j2', { ...base, name: 'j2', restartPolicy: JobRestartPolicy.ON_FAILURE, ignoreDisruptions: true }))).toEqual(['SW-JOB-004 restartPolicy']);
    expect(errorsOf(() => new BatchJob(chart, 'j3', { ...base, name: 'j3', restartPolicy: JobRestartPolicy.ON_FAILURE, ignoreDisruptions: false, podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [2])] })))
      .toEqual(['SW-JOB-004 restartPolicy']);
  });

  test('SW-JOB-005: turning the DisruptionTarget rule off while keeping others is reported on the rules', () => {
    const { app, chart } = chartFor('1.35');
    new BatchJob(chart, 'job', { ...base, ignoreDisruptions: false, podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [2])] });
    expect(only(synthValid(chart), 'Job').spec.podFailurePolicy.rules).toHaveLength(1);
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-JOB-005').map(f => f.field)).toEqual(['ignoreDisruptions']);
  });

  test('SW-JOB-004: exit code 0 with In, codes out of range, an unknown container, FailIndex without backoffLimitPerIndex, a bad condition type', () => {
    const { chart } = chartFor('1.35');
    expect(errorsOf(() => new BatchJob(chart, 'job', {
      ...base,
      podFailureRules: [
        PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [0, 7]),
        PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [256]),
        PodFailureRule.exitCodes(PodFailureAction.IGNORE, [5], { container: 'nope' }),
        PodFailureRule.exitCodes(PodFailureAction.FAIL_INDEX, [9]),
        PodFailureRule.podCondition(PodFailureAction.IGNORE, 'not a type'),
      ],
    }))).toEqual([
      'SW-JOB-004 podFailureRules[0].onExitCodes.values[0]',
      'SW-JOB-004 podFailureRules[1].onExitCodes.values[0]',
      'SW-JOB-004 podFailureRules[2].onExitCodes.containerName',
      'SW-JOB-004 podFailureRules[3].action',
      'SW-JOB-004 podFailureRules[4].onPodConditions[0].type',
    ]);
    expect(errorsOf(() => new BatchJob(chart, 'many', { ...base, podFailureRules: Array.from({ length: 20 }, (_, i) => PodFailureRule.exitCodes(PodFailureAction.COUNT, [i + 1])) })))
      .toEqual(['SW-JOB-004 podFailureRules']);
  });
});

describe('Indexed Jobs: backoffLimitPerIndex, maxFailedIndexes, successPolicy, podReplacementPolicy', () => {
  const indexed = {
    ...base, completions: 10, parallelism: 5, completionMode: CompletionMode.INDEXED, backoffLimitPerIndex: 1, maxFailedIndexes: 3,
    podFailureRules: [PodFailureRule.exitCodes(PodFailureAction.FAIL_INDEX, [42])],
    successPolicy: [{ succeededIndexes: [0] }, { succeededIndexes: [5, 1, 2, 3], succeededCount: 3 }],
    podReplacementPolicy: PodReplacementPolicy.FAILED,
  };

  test('on 1.35 every field renders, schema-valid; backoffLimit defaults to (backoffLimitPerIndex + 1) x completions', () => {
    const { app, chart } = chartFor('1.35');
    new BatchJob(chart, 'job', indexed);
    const spec = only(synthValid(chart), 'Job').spec;
    expect(spec).toMatchObject({
      completions: 10, parallelism: 5, completionMode: 'Indexed', backoffLimitPerIndex: 1, maxFailedIndexes: 3, backoffLimit: 20, podReplacementPolicy: 'Failed',
      successPolicy: { rules: [{ succeededIndexes: '0' }, { succeededIndexes: '1-3,5', succeededCount: 3 }] },
    });
    expect(spec.successPolicy).toStrictEqual({ rules: [{ succeededIndexes: '0' }, { succeededIndexes: '1-3,5', succeededCount: 3 }] });
    expect(spec.podFailurePolicy.rules[1]).toEqual({ action: 'FailIndex', onExitCodes: { operator: 'In', values: [42] }, onPodConditions: [] });
    expect(Findings.of(app).filter(f => f.severity === 'error')).toEqual([]);
  });

  test('a CronTask renders them in its jobTemplate', () => {
    const { chart } = chartFor('1.35');
    new CronTask(chart, 'cron', { ...indexed, schedule: '@daily' });
    const job = only(synthValid(chart), 'CronJob').spec.jobTemplate.spec;
    expect(job).toMatchObject({ completionMode: 'Indexed', backoffLimitPerIndex: 1, podReplacementPolicy: 'Failed', successPolicy: { rules: [{ succeededIndexes: '0' }, { succeededIndexes: '1-3,5', succeededCount: 3 }] } });
    expect(job.podFailurePolicy.rules[0]).toEqual(IGNORE_DRAINS);
  });

  test('SW-TARGET-003 on 1.28: each field names the minor it needs', () => {
    const { chart } = chartFor('1.28');
    const e = thrownBy(() => new BatchJob(chart, 'job', indexed)) as SeaworthyError;
    expect(e.findings.map(f => `${f.rule.id} ${f.field}`)).toEqual([
      'SW-TARGET-003 backoffLimitPerIndex', 'SW-TARGET-003 maxFailedIndexes', 'SW-TARGET-003 podReplacementPolicy', 'SW-TARGET-003 successPolicy',
    ]);
    expect(e.message).toContain('successPolicy = {"rules":[{"succeededIndexes":"0"},{"succeededIndexes":"1-3,5","succeededCount":3}]}: Kubernetes 1.28 (the target) has no successPolicy; it needs Kubernetes 1.31 or later');
    expect(e.message).toContain('Kubernetes 1.28 (the target) has no backoffLimitPerIndex; it needs Kubernetes 1.29 or later');
  });

  test('on 1.30 only successPolicy is missing; Indexed completion alone works on 1.28', () => {
    const { chart } = chartFor('1.30');
    expect(errorsOf(() => new BatchJob(chart, 'job', indexed))).toEqual(['SW-TARGET-003 successPolicy']);
    const old = chartFor('1.28');
    new BatchJob(old.chart, 'job', { ...base, completions: 3, completionMode: CompletionMode.INDEXED });
    expect(only(synthValid(old.chart), 'Job').spec).toMatchObject({ completionMode: 'Indexed', completions: 3, backoffLimit: 3 });
  });

  test('SW-JOB-004: per-index and success settings need Indexed completion and stay within completions; TerminatingOrFailed conflicts with the failure policy', () => {
    const { chart } = chartFor('1.35');
    expect(errorsOf(() => new BatchJob(chart, 'a', { ...base, backoffLimitPerIndex: 1, successPolicy: [{ succeededCount: 1 }] }))).toEqual(['SW-JOB-004 backoffLimitPerIndex', 'SW-JOB-004 successPolicy']);
    expect(errorsOf(() => new BatchJob(chart, 'b', { ...base, completions: 4, completionMode: CompletionMode.INDEXED, maxFailedIndexes: 2 }))).toEqual(['SW-JOB-004 maxFailedIndexes']);
    expect(errorsOf(() => new BatchJob(chart, 'c', { ...base, completions: 4, completionMode: CompletionMode.INDEXED, backoffLimitPerIndex: 0, maxFailedIndexes: 5, successPolicy: [{ succeededIndexes: [4] }, { succeededCount: 5 }, {}] })))
      .toEqual(['SW-JOB-004 maxFailedIndexes', 'SW-JOB-004 successPolicy[0].succeededIndexes', 'SW-JOB-004 successPolicy[1].succeededCount', 'SW-JOB-004 successPolicy[2]']);
    expect(errorsOf(() => new BatchJob(chart, 'd', { ...base, podReplacementPolicy: PodReplacementPolicy.TERMINATING_OR_FAILED }))).toEqual(['SW-JOB-004 podReplacementPolicy']);
    // Without a failure policy (OnFailure), TerminatingOrFailed is allowed.
    new BatchJob(chart, 'e', { ...base, name: 'e', restartPolicy: JobRestartPolicy.ON_FAILURE, podReplacementPolicy: PodReplacementPolicy.TERMINATING_OR_FAILED });
    expect(only(synthValid(chart), 'Job', 'e').spec.podReplacementPolicy).toBe('TerminatingOrFailed');
  });

  test('indexes render as the API\'s compact ranges and parse back', () => {
    expect(formatIndexes([7, 0, 1, 2, 5, 8, 2])).toBe('0-2,5,7-8');
    expect(parseIndexes('0-2,5,7-8')).toEqual([0, 1, 2, 5, 7, 8]);
    for (const bad of ['', '1,1', '3-1', 'a', '2,1', '1-']) expect(parseIndexes(bad)).toBeUndefined();
  });
});

describe('the audit runs the same checks on Job manifests', () => {
  const job = (spec: KubeObject, restartPolicy = 'Never'): KubeObject => ({
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'batch' },
    spec: { backoffLimit: 2, ttlSecondsAfterFinished: 60, ...spec, template: { spec: { restartPolicy, containers: [{ name: 'main', image: 'a:1' }] } } },
  });
  const ids = (objects: KubeObject[], version?: KubernetesVersion) => audit(objects.map(object => ({ object })), { kubernetesVersion: version })
    .filter(f => /SW-JOB-00[45]|SW-TARGET-003/.test(f.rule.id)).map(f => `${f.rule.id} ${f.field}`);

  test('a Job that ignores disruptions is clean; one without a policy gets SW-JOB-005', () => {
    expect(ids([job({ podFailurePolicy: { rules: [IGNORE_DRAINS] } })])).toEqual([]);
    expect(ids([job({})])).toEqual(['SW-JOB-005 spec.podFailurePolicy']);
  });

  test('SW-JOB-004 on what the API server rejects, SW-TARGET-003 on fields the target lacks', () => {
    expect(ids([job({ podFailurePolicy: { rules: [IGNORE_DRAINS, { action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }] } }, 'OnFailure')])).toEqual([
      'SW-JOB-004 spec.template.spec.restartPolicy', 'SW-JOB-004 spec.podFailurePolicy.rules[1].onExitCodes.values[0]',
    ]);
    const indexed = job({ completions: 2, completionMode: 'Indexed', podFailurePolicy: { rules: [IGNORE_DRAINS] }, successPolicy: { rules: [{ succeededIndexes: '0' }] } });
    expect(ids([indexed], '1.30')).toEqual(['SW-TARGET-003 spec.successPolicy']);
    expect(ids([indexed], '1.31')).toEqual([]);
  });

  test('in a CronJob the paths lead into the jobTemplate', () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'batch' }, spec: { schedule: '@daily', jobTemplate: job({ podReplacementPolicy: 'TerminatingOrFailed', podFailurePolicy: { rules: [IGNORE_DRAINS] } }) } };
    expect(ids([cron])).toEqual(['SW-JOB-004 spec.jobTemplate.spec.podReplacementPolicy']);
  });
});
