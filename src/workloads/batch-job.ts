import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { EgressProps } from '../network/isolation';
import { PodCore, PodCoreOptions } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/findings';
import { durationSeconds } from '../validation/duration';
import { HardenedJob } from './hardened';
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
   * Restart policy of the Pods.
   * @default JobRestartPolicy.NEVER
   */
  readonly restartPolicy?: JobRestartPolicy;
}

/** Props of a `BatchJob`. */
export interface BatchJobProps extends PodProps, EgressProps, JobOptions {}

/** Validated Job settings. */
export interface ResolvedJob {
  readonly spec: Partial<k8s.JobSpec>;
  readonly restartPolicy: kplus.RestartPolicy;
  readonly parallelism: number;
}

/** Validates Job settings. */
export function resolveJob(props: JobOptions, collector: FindingCollector): ResolvedJob {
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
  return {
    spec: {
      completions: count('completions', props.completions, 1, 1),
      parallelism,
      backoffLimit: count('backoffLimit', props.backoffLimit, 3, 0),
      activeDeadlineSeconds: seconds('activeDeadline', props.activeDeadline, Duration.hours(1)),
      ttlSecondsAfterFinished: seconds('ttlAfterFinished', props.ttlAfterFinished, Duration.days(1)),
    },
    restartPolicy: restart === JobRestartPolicy.ON_FAILURE ? kplus.RestartPolicy.ON_FAILURE : kplus.RestartPolicy.NEVER,
    parallelism,
  };
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
