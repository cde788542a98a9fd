import { ApiObject, Cron, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { MonitorTarget } from '../monitoring/monitor';
import { MonitoredProps } from '../monitoring/monitoring';
import { EgressProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { startingDeadlineProblem } from '../rules/families/batch';
import { FindingCollector } from '../rules/collector';
import { durationSeconds } from '../validation/duration';
import { checkEnum } from '../validation/props';
import { batchPodOptions, JobOptions, ResolvedJob, resolveJob } from './batch-job';
import { HardenedCronJob } from './hardened';
import { addSuccessPolicy } from './job-policies';
import { Workload } from './workload';
import { cronScheduleProblem, timeZoneProblem } from '../validation/cron';

/** Props of a `CronTask`. */
export interface CronTaskProps extends PodProps, EgressProps, JobOptions, MonitoredProps {
  /**
   * Five-field schedule "minute hour day-of-month month day-of-week" (e.g. "30 2 * * *"), or a
   * macro such as "@daily" (rule SW-CRON-001).
   */
  readonly schedule: string;
  /**
   * IANA time zone the schedule is read in.
   * @default "Etc/UTC" (explicit, so the schedule does not depend on the controller's zone)
   */
  readonly timeZone?: string;
  /**
   * What happens when a run is due while the previous one still runs.
   * @default kplus.ConcurrencyPolicy.FORBID (runs never overlap)
   */
  readonly concurrencyPolicy?: kplus.ConcurrencyPolicy;
  /**
   * How late a missed run may still start; also stops the controller from giving up after 100
   * missed runs. At least 10 seconds, the CronJob controller's polling period (SW-CRON-005).
   * @default Duration.minutes(5)
   */
  readonly startingDeadline?: Duration;
  /**
   * Finished successful Jobs kept.
   * @default 3
   */
  readonly successfulJobsHistory?: number;
  /**
   * Finished failed Jobs kept.
   * @default 3
   */
  readonly failedJobsHistory?: number;
  /**
   * Pause scheduling.
   * @default false
   */
  readonly suspend?: boolean;
}

/**
 * A scheduled task: a CronJob that never overlaps runs by default, always has a starting
 * deadline and an explicit time zone, with hardened, bounded Jobs.
 */
export class CronTask extends Workload {
  /** The CronJob. */
  public readonly cronJob: kplus.CronJob;

  private readonly parallelism: number;
  private readonly startingDeadlineSeconds: number;

  constructor(scope: Construct, id: string, props: CronTaskProps) {
    let job!: ResolvedJob;
    let deadline!: number;
    super(scope, id, props, (collector: FindingCollector) => {
      job = resolveJob(props, collector);
      checkEnum(collector, 'concurrencyPolicy', props.concurrencyPolicy, kplus.ConcurrencyPolicy);
      const scheduleProblem = cronScheduleProblem(props.schedule);
      if (scheduleProblem) collector.report(Rules.CRON_SCHEDULE_INVALID, 'schedule', props.schedule, scheduleProblem);
      const zone = props.timeZone ?? 'Etc/UTC';
      const zoneProblem = timeZoneProblem(zone);
      if (zoneProblem) collector.report(Rules.CRON_TIMEZONE_INVALID, 'timeZone', zone, zoneProblem);
      deadline = durationSeconds(props.startingDeadline ?? Duration.minutes(5)) ?? -1;
      if (deadline < 1) collector.report(Rules.JOB_INVALID, 'startingDeadline', props.startingDeadline, 'must be a whole number of seconds, at least 1');
      else {
        const tooShort = startingDeadlineProblem(deadline);
        if (tooShort) collector.report(Rules.CRON_DEADLINE_TOO_SHORT, 'startingDeadline', `${deadline}s`, tooShort);
      }
      for (const field of ['successfulJobsHistory', 'failedJobsHistory'] as const) {
        const v = props[field] ?? 3;
        if (!Number.isInteger(v) || v < 0) collector.report(Rules.JOB_INVALID, field, v, 'must be a whole number of at least 0');
      }
      return new PodCore(props, collector, batchPodOptions(job, 'cron-job'));
    });
    this.parallelism = job.parallelism;
    this.cronJob = new HardenedCronJob(this, 'CronJob', {
      ...this.pod.workloadProps(this),
      metadata: this.metadata(),
      serviceAccount: this.serviceAccount,
      schedule: toCron(props.schedule),
      timeZone: props.timeZone ?? 'Etc/UTC',
      concurrencyPolicy: props.concurrencyPolicy ?? kplus.ConcurrencyPolicy.FORBID,
      startingDeadline: Duration.seconds(deadline),
      successfulJobsRetained: props.successfulJobsHistory ?? 3,
      failedJobsRetained: props.failedJobsHistory ?? 3,
      suspend: props.suspend ?? false,
    }, this.pod, job.spec);
    addSuccessPolicy(ApiObject.of(this.cronJob), json => ((json.spec as Record<string, unknown> | undefined)?.jobTemplate as Record<string, unknown> | undefined)?.spec as Record<string, unknown> | undefined, job.successPolicy);
    // The Jobs a CronJob makes carry the jobTemplate's annotations, not the CronJob's: waivers go there too, for admission.
    const waivers = this.pod.waiverAnnotations;
    if (Object.keys(waivers).length > 0) ApiObject.of(this.cronJob).addJsonPatch(JsonPatch.add('/spec/jobTemplate/metadata', { annotations: waivers }));
    this.startingDeadlineSeconds = deadline;
    if (props.monitoring !== undefined) this.addMonitor(props.monitoring);
  }

  /** @internal */
  protected override monitorTarget(): MonitorTarget {
    return { alerts: { kind: 'CronJob', name: this.pod.name, startingDeadlineSeconds: this.startingDeadlineSeconds } };
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
    return qosClassOf((this.cronJob as HardenedCronJob)._toKube().jobTemplate.spec!.template.spec!);
  }
}

function toCron(schedule: string): Cron {
  if (schedule.startsWith('@')) return new MacroCron(schedule);
  const [minute, hour, day, month, weekDay] = schedule.trim().split(/\s+/);
  return Cron.schedule({ minute, hour, day, month, weekDay });
}

/** A predefined schedule ("@daily"), which `Cron.schedule()` cannot express. */
class MacroCron extends Cron {
  public override readonly expressionString: string;
  constructor(macro: string) {
    super();
    this.expressionString = macro;
  }
}
