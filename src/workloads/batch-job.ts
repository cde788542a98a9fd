import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { MonitorTarget } from '../monitoring/monitor';
import { MonitoredProps } from '../monitoring/monitoring';
import { EgressProps } from '../network/isolation';
import { PodCore, PodCoreOptions } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { checkJobPolicies } from '../rules/families/batch';
import { FindingCollector } from '../rules/collector';
import { KubernetesTarget } from '../target/target';
import { durationSeconds } from '../validation/duration';
import { checkEnum } from '../validation/props';
import { HardenedJob } from './hardened';
import { addSuccessPolicy, CompletionMode, formatIndexes, JobPolicyFields, JobSuccessRule, PodFailureAction, PodFailureRule, PodReplacementPolicy } from './job-policies';
import { Workload } from './workload';

/** What the kubelet does when a Job's container fails. */
export enum JobRestartPolicy {
  /** Restart the container in the same Pod (keeps node-local state, loses the failed Pod's logs). */
  ON_FAILURE = 'OnFailure',
  /** Create a new Pod; the failed one stays for `kubectl logs` until the TTL removes the Job. */
  NEVER = 'Never',
}

/** How a Job runs to completion. */
export interface JobOptions {
  /**
   * Successful Pods needed for the Job to complete.
   * @default 1
   */
  readonly completions?: number;
  /**
   * Pods running at once.
   * @default 1
   */
  readonly parallelism?: number;
  /**
   * Retries before the Job is marked failed.
   * @default 3
   */
  readonly backoffLimit?: number;
  /**
   * Longest the Job may run, retries included, before it is stopped.
   * @default Duration.hours(1)
   */
  readonly activeDeadline?: Duration;
  /**
   * How long a finished Job (and its Pods) is kept for inspection before it is deleted.
   * @default Duration.days(1)
   */
  readonly ttlAfterFinished?: Duration;
  /**
   * Restart policy of the Pods. Never is the default because a `podFailurePolicy` (and so
   * `ignoreDisruptions`) is only allowed with Never; OnFailure leaves node drains counting toward
   * `backoffLimit` (warning SW-JOB-005).
   * @default JobRestartPolicy.NEVER
   */
  readonly restartPolicy?: JobRestartPolicy;
  /**
   * A Pod failing because it was disrupted (evicted by a node drain, preempted, deleted by the
   * taint manager: the `DisruptionTarget` condition) does not count toward `backoffLimit`: the
   * first rule of the podFailurePolicy is `Ignore` on `DisruptionTarget`. Needs restartPolicy Never.
   * @default - true with restartPolicy Never; false with OnFailure (warning SW-JOB-005)
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
   */
  readonly ignoreDisruptions?: boolean;
  /**
   * Further pod failure policy rules, after the DisruptionTarget rule: e.g. fail the Job at once
   * on an exit code that means "bad input" (`PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [42])`).
   * At most 20 rules in all; needs restartPolicy Never (rule SW-JOB-004).
   * @default - none
   */
  readonly podFailureRules?: PodFailureRule[];
  /**
   * How completions are counted: Indexed gives each Pod an index (`JOB_COMPLETION_INDEX`) and
   * needs each index to succeed once.
   * @default CompletionMode.NON_INDEXED
   * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#completion-mode
   */
  readonly completionMode?: CompletionMode;
  /**
   * Retries per index of an Indexed Job, instead of one budget for the whole Job. Needs a target of
   * Kubernetes 1.29+ (`Feature.JOB_BACKOFF_LIMIT_PER_INDEX`); on an older one it is an error,
   * rule SW-TARGET-003. `backoffLimit` then defaults to (backoffLimitPerIndex + 1) × completions, so it never stops the
   * Job before the indexes' own limits.
   * @default - one budget for the whole Job (`backoffLimit`)
   */
  readonly backoffLimitPerIndex?: number;
  /**
   * Failed indexes after which the whole Job fails (needs `backoffLimitPerIndex`, so a target of
   * Kubernetes 1.29+, rule SW-TARGET-003; at most `completions`).
   * @default - every index runs to its own end
   */
  readonly maxFailedIndexes?: number;
  /**
   * Rules by which an Indexed Job succeeds before every index has, e.g. when the leader index 0
   * succeeds: `[{ succeededIndexes: [0] }]`. At most 20 rules. Needs a target of Kubernetes 1.31+
   * (`Feature.JOB_SUCCESS_POLICY`); on an older one it is an error, rule SW-TARGET-003.
   * @default - every index must succeed
   */
  readonly successPolicy?: JobSuccessRule[];
  /**
   * When a replacement Pod is created. `FAILED` waits until the failing Pod has terminated, so two
   * Pods of one index never run at once; it is the only value allowed with a podFailurePolicy, and
   * the API server's default then. Needs a target of Kubernetes 1.29+
   * (`Feature.JOB_POD_REPLACEMENT_POLICY`); on an older one it is an error, rule SW-TARGET-003.
   * @default - the API server's: Failed with a podFailurePolicy, else TerminatingOrFailed
   */
  readonly podReplacementPolicy?: PodReplacementPolicy;
}

/** Props of a `BatchJob`. */
export interface BatchJobProps extends PodProps, EgressProps, JobOptions, MonitoredProps {}

/** Validated Job settings. */
export interface ResolvedJob {
  readonly spec: Partial<k8s.JobSpec>;
  /** successPolicy, which cdk8s-plus-28's Job types lack (see `addSuccessPolicy`). */
  readonly successPolicy?: JobPolicyFields['successPolicy'];
  readonly restartPolicy: kplus.RestartPolicy;
  readonly parallelism: number;
}

/** The Pod's container names, for the exit-code rules of the pod failure policy. */
interface JobPodNames {
  readonly name?: string;
  readonly sidecars?: ReadonlyArray<{ readonly name?: string }>;
  readonly initContainers?: ReadonlyArray<{ readonly name?: string }>;
}

/** Validates Job settings (the policies against the target too). */
export function resolveJob(props: JobOptions & JobPodNames, collector: FindingCollector): ResolvedJob {
  const count = (field: keyof JobOptions, value: number | undefined, dflt: number, min: number) => {
    const v = value ?? dflt;
    if (!Number.isInteger(v) || v < min) collector.report(Rules.JOB_INVALID, field, v, `must be a whole number of at least ${min}`);
    return v;
  };
  const seconds = (field: keyof JobOptions, value: Duration | undefined, dflt: Duration) => {
    const s = durationSeconds(value ?? dflt);
    if (s === undefined || s < 1) collector.report(Rules.JOB_INVALID, field, value, 'must be a whole number of seconds, at least 1');
    return s;
  };
  const restart = props.restartPolicy ?? JobRestartPolicy.NEVER;
  if (!Object.values(JobRestartPolicy).includes(restart)) {
    collector.report(Rules.JOB_INVALID, 'restartPolicy', restart, 'must be OnFailure or Never');
  }
  const parallelism = count('parallelism', props.parallelism, 1, 1);
  const completions = count('completions', props.completions, 1, 1);
  const perIndex = props.backoffLimitPerIndex === undefined ? undefined : count('backoffLimitPerIndex', props.backoffLimitPerIndex, 0, 0);
  const maxFailedIndexes = props.maxFailedIndexes === undefined ? undefined : count('maxFailedIndexes', props.maxFailedIndexes, 0, 0);
  const backoffDefault = perIndex === undefined || !Number.isInteger(perIndex) ? 3 : Math.min(2147483647, (perIndex + 1) * completions);
  checkEnum(collector, 'completionMode', props.completionMode, CompletionMode);
  checkEnum(collector, 'podReplacementPolicy', props.podReplacementPolicy, PodReplacementPolicy);
  if (props.ignoreDisruptions !== undefined && typeof props.ignoreDisruptions !== 'boolean') collector.report(Rules.PROPS_INVALID, 'ignoreDisruptions', props.ignoreDisruptions, 'must be true or false');
  const rules = listOf<PodFailureRule>(props.podFailureRules, 'podFailureRules', collector, r => r instanceof PodFailureRule && Object.values(PodFailureAction).includes(r.action),
    'must be a list of PodFailureRule.exitCodes(), .exitCodesOtherThan() or .podCondition() with a PodFailureAction');
  const success = listOf<JobSuccessRule>(props.successPolicy, 'successPolicy', collector, r => r !== null && typeof r === 'object'
    && (r.succeededIndexes === undefined || (Array.isArray(r.succeededIndexes) && r.succeededIndexes.every(n => Number.isInteger(n) && n >= 0)))
    && (r.succeededCount === undefined || typeof r.succeededCount === 'number'), 'must be a list of { succeededIndexes?: whole numbers from 0, succeededCount?: number }');
  const ignore = (props.ignoreDisruptions ?? restart === JobRestartPolicy.NEVER) === true;
  const failureRules = [...(ignore ? [PodFailureRule.podCondition(PodFailureAction.IGNORE, 'DisruptionTarget')] : []), ...rules];
  const policies: JobPolicyFields = {
    completionMode: props.completionMode === CompletionMode.INDEXED ? CompletionMode.INDEXED : undefined,
    backoffLimitPerIndex: perIndex,
    maxFailedIndexes,
    podFailurePolicy: failureRules.length > 0 ? { rules: failureRules.map(r => r._toKube()) } : undefined,
    podReplacementPolicy: props.podReplacementPolicy,
    successPolicy: props.successPolicy === undefined ? undefined : {
      rules: success.map(r => withoutUndefined({ succeededIndexes: r.succeededIndexes === undefined ? undefined : formatIndexes(r.succeededIndexes), succeededCount: r.succeededCount })),
    },
  };
  const namesOf = (list: unknown) => (Array.isArray(list) ? list.map((c: { name?: string } | null) => c?.name) : []);
  const names = [props.name, ...namesOf(props.sidecars), ...namesOf(props.initContainers)].map(n => ({ name: n }));
  const offset = ignore ? 1 : 0;
  // The shared check reads the rendered spec; its findings name the props that produced each field.
  const toProp = (path: string) => path
    .replace(/^template\.spec\.restartPolicy$/, 'restartPolicy')
    .replace(/^podFailurePolicy\.rules\[(\d+)\]/, (_m, i: string) => (Number(i) < offset ? 'ignoreDisruptions' : `podFailureRules[${Number(i) - offset}]`))
    .replace(/^podFailurePolicy(\.rules)?$/, ignore ? 'podFailureRules' : 'ignoreDisruptions')
    .replace(/^successPolicy\.rules/, 'successPolicy');
  checkJobPolicies({ ...policies, completions, template: { spec: { restartPolicy: restart, containers: names } } }, KubernetesTarget.of(collector.scope), collector, toProp);
  const { successPolicy, ...fields } = policies;
  return {
    spec: {
      completions,
      parallelism,
      backoffLimit: count('backoffLimit', props.backoffLimit, backoffDefault, 0),
      activeDeadlineSeconds: seconds('activeDeadline', props.activeDeadline, Duration.hours(1)),
      ttlSecondsAfterFinished: seconds('ttlAfterFinished', props.ttlAfterFinished, Duration.days(1)),
      ...withoutUndefined(fields),
    },
    successPolicy,
    restartPolicy: restart === JobRestartPolicy.ON_FAILURE ? kplus.RestartPolicy.ON_FAILURE : kplus.RestartPolicy.NEVER,
    parallelism,
  };
}

function listOf<T>(value: unknown, field: string, collector: FindingCollector, valid: (item: T) => boolean, expected: string): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every(v => v !== null && v !== undefined && valid(v as T))) {
    collector.report(Rules.PROPS_INVALID, field, value, expected);
    return [];
  }
  return value as T[];
}

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Pod core options of run-to-completion workloads. */
export function batchPodOptions(job: ResolvedJob, component: string): PodCoreOptions {
  return {
    component,
    requirePort: false, requireReadiness: false, requireLiveness: false, gracefulStop: false, spread: false,
    maxPods: job.parallelism, surges: false, restartPolicy: job.restartPolicy,
  };
}

/**
 * A run-to-completion task (a migration, a backfill): a Job with bounded retries, a deadline
 * and a TTL, hardened Pods, no liveness requirement, and a NetworkPolicy that admits nothing
 * and lets the Pods reach only DNS and the declared peers.
 */
export class BatchJob extends Workload {
  /** The Job. */
  public readonly job: kplus.Job;

  private readonly parallelism: number;

  constructor(scope: Construct, id: string, props: BatchJobProps) {
    let job!: ResolvedJob;
    super(scope, id, props, (collector: FindingCollector) => {
      job = resolveJob(props, collector);
      return new PodCore(props, collector, batchPodOptions(job, 'job'));
    });
    this.parallelism = job.parallelism;
    this.job = new HardenedJob(this, 'Job', { ...this.pod.workloadProps(this), metadata: this.metadata(), serviceAccount: this.serviceAccount }, this.pod, job.spec);
    addSuccessPolicy(ApiObject.of(this.job), json => json.spec as Record<string, unknown> | undefined, job.successPolicy);
    if (props.monitoring !== undefined) this.addMonitor(props.monitoring);
  }

  /** @internal */
  protected override monitorTarget(): MonitorTarget {
    return { alerts: { kind: 'Job', name: this.pod.name } };
  }

  /** @internal */
  protected override get scrapesByDefault(): boolean {
    return false;
  }

  /** parallelism (one run at a time). */
  public get peakPods(): number {
    return this.parallelism;
  }

  /** The QoS class the kubelet will give the Pods. */
  public get qosClass(): QosClass {
    return qosClassOf((this.job as HardenedJob)._toKube().template.spec!);
  }
}
