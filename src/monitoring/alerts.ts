import { durationText } from '../util/duration-text';

/**
 * The default alerts of a monitored workload: PromQL over the metrics kube-state-metrics exposes
 * (test/fixtures/kube-state-metrics.ts lists the ones used, with their labels), each selecting
 * the workload's namespace and name. Pods are related to their workload through the owner
 * metrics (`kube_pod_owner`, `kube_replicaset_owner`, `kube_job_owner`), never through Pod labels,
 * which kube-state-metrics only exposes when allow-listed.
 */

/** The default alerts, by name (the `alertname` label). */
export enum DefaultAlert {
  /** A Pod of the workload has not been ready for `notReadyFor`. */
  POD_NOT_READY = 'PodNotReady',
  /** A container of the workload has been in CrashLoopBackOff for 15 minutes. */
  CRASH_LOOPING = 'ContainerCrashLooping',
  /** The Deployment's rollout exceeded its progressDeadlineSeconds (Progressing=False). */
  ROLLOUT_STUCK = 'RolloutStuck',
  /** Fewer Pods are healthy than the PodDisruptionBudget's minimum, for 5 minutes. */
  BELOW_DISRUPTION_BUDGET = 'BelowDisruptionBudget',
  /** A run of the Job (or of the CronJob) failed: backoffLimit or activeDeadline reached. */
  JOB_FAILED = 'JobFailed',
  /** The CronJob's next run is overdue by more than its startingDeadline and a minute. */
  SCHEDULE_MISSED = 'CronJobScheduleMissed',
}

/** The `severity` label of an alert. */
export enum AlertSeverity {
  /** Page someone. */
  CRITICAL = 'critical',
  /** A ticket for working hours. */
  WARNING = 'warning',
  /** For dashboards and inhibition only. */
  INFO = 'info',
}

/** What the alerts are about. @internal */
export interface AlertTarget {
  readonly kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob';
  readonly namespace: string;
  readonly name: string;
  /** Name of the workload's PodDisruptionBudget, if it has one. */
  readonly budget?: string;
  /** progressDeadlineSeconds of a Deployment. */
  readonly progressDeadlineSeconds?: number;
  /** startingDeadlineSeconds of a CronJob. */
  readonly startingDeadlineSeconds?: number;
}

/** Resolved alert settings. @internal */
export interface AlertSettings {
  readonly notReadySeconds: number;
  readonly disabled: readonly DefaultAlert[];
  readonly labels: Record<string, string>;
  readonly severity?: AlertSeverity;
}

/** One alerting rule, as a PrometheusRule holds it. */
export interface AlertRule {
  readonly alert: DefaultAlert;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** The alerts that apply to each workload kind. */
export const ALERTS_BY_KIND: Readonly<Record<AlertTarget['kind'], readonly DefaultAlert[]>> = {
  Deployment: [DefaultAlert.POD_NOT_READY, DefaultAlert.CRASH_LOOPING, DefaultAlert.ROLLOUT_STUCK, DefaultAlert.BELOW_DISRUPTION_BUDGET],
  StatefulSet: [DefaultAlert.POD_NOT_READY, DefaultAlert.CRASH_LOOPING, DefaultAlert.BELOW_DISRUPTION_BUDGET],
  DaemonSet: [DefaultAlert.POD_NOT_READY, DefaultAlert.CRASH_LOOPING],
  Job: [DefaultAlert.JOB_FAILED],
  CronJob: [DefaultAlert.JOB_FAILED, DefaultAlert.SCHEDULE_MISSED],
};

/** Crash loops alert after this long, as kubernetes-mixin's KubePodCrashLooping does. */
const CRASH_LOOP_SECONDS = 15 * 60;
/** A budget may be unmet this long (a Pod being replaced) before it alerts. */
const BUDGET_SECONDS = 5 * 60;
/** Margin on top of a CronJob's startingDeadlineSeconds before a run counts as missed. */
const SCHEDULE_MARGIN_SECONDS = 60;

/** A PromQL string literal. */
function str(v: string): string {
  return `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A PromQL vector selector. */
function sel(metric: string, matchers: Record<string, string>, regex: readonly string[] = []): string {
  return `${metric}{${Object.entries(matchers).map(([k, v]) => `${k}${regex.includes(k) ? '=~' : '='}${str(v)}`).join(', ')}}`;
}

/** Seconds as a Prometheus duration ("15m", "5m30s"). */
export const promDuration = durationText;

/** The workload's Pods as a vector with `namespace` and `pod`, through the owner metrics. */
function podsOf(t: AlertTarget): string {
  const ns = t.namespace;
  switch (t.kind) {
    case 'Deployment':
      return `label_replace(${sel('kube_pod_owner', { namespace: ns, owner_kind: 'ReplicaSet' })}, "replicaset", "$1", "owner_name", "(.*)") and on (namespace, replicaset) ${sel('kube_replicaset_owner', { namespace: ns, owner_kind: 'Deployment', owner_name: t.name })}`;
    case 'CronJob':
      return `label_replace(${sel('kube_pod_owner', { namespace: ns, owner_kind: 'Job' })}, "job_name", "$1", "owner_name", "(.*)") and on (namespace, job_name) ${sel('kube_job_owner', { namespace: ns, owner_kind: 'CronJob', owner_name: t.name })}`;
    default:
      return sel('kube_pod_owner', { namespace: ns, owner_kind: t.kind, owner_name: t.name });
  }
}

/** The expression, `for` and texts of one alert. */
function rule(alert: DefaultAlert, t: AlertTarget, s: AlertSettings): { expr: string; for?: number; summary: string; description: string } {
  const ns = t.namespace;
  const what = `${t.kind} ${ns}/${t.name}`;
  switch (alert) {
    case DefaultAlert.POD_NOT_READY:
      return {
        expr: `max by (namespace, pod) (${sel('kube_pod_status_ready', { namespace: ns, condition: 'true' })}) == 0 unless on (namespace, pod) (${sel('kube_pod_status_phase', { namespace: ns, phase: 'Succeeded|Failed' }, ['phase'])} == 1) and on (namespace, pod) (${podsOf(t)})`,
        for: s.notReadySeconds,
        summary: `A Pod of ${what} is not ready`,
        description: `Pod {{ $labels.namespace }}/{{ $labels.pod }} of ${what} has not been ready for ${promDuration(s.notReadySeconds)}: it receives no traffic and does not count as available.`,
      };
    case DefaultAlert.CRASH_LOOPING:
      return {
        expr: `max by (namespace, pod, container) (max_over_time(${sel('kube_pod_container_status_waiting_reason', { namespace: ns, reason: 'CrashLoopBackOff' })}[5m])) >= 1 and on (namespace, pod) (${podsOf(t)})`,
        for: CRASH_LOOP_SECONDS,
        summary: `A container of ${what} is crash-looping`,
        description: `Container {{ $labels.container }} of Pod {{ $labels.namespace }}/{{ $labels.pod }} (${what}) keeps restarting (CrashLoopBackOff).`,
      };
    case DefaultAlert.ROLLOUT_STUCK:
      return {
        expr: `max by (namespace, deployment) (${sel('kube_deployment_status_condition', { namespace: ns, deployment: t.name, condition: 'Progressing', status: 'false' })}) == 1`,
        summary: `The rollout of ${what} is stuck`,
        description: `${what} made no progress for its progressDeadlineSeconds (${t.progressDeadlineSeconds ?? 600}s): the new Pods do not become available; roll back or fix them.`,
      };
    case DefaultAlert.BELOW_DISRUPTION_BUDGET: {
      const pdb = { namespace: ns, poddisruptionbudget: t.budget ?? '' };
      return {
        expr: `max by (namespace, poddisruptionbudget) (${sel('kube_poddisruptionbudget_status_current_healthy', pdb)}) < max by (namespace, poddisruptionbudget) (${sel('kube_poddisruptionbudget_status_desired_healthy', pdb)})`,
        for: BUDGET_SECONDS,
        summary: `${what} has fewer healthy Pods than its disruption budget's minimum`,
        description: `PodDisruptionBudget ${ns}/${t.budget} of ${what} is unmet: fewer Pods are healthy than it requires, so node drains are blocked and the next failure costs availability.`,
      };
    }
    case DefaultAlert.JOB_FAILED:
      return {
        expr: t.kind === 'Job'
          ? `max by (namespace, job_name) (${sel('kube_job_failed', { namespace: ns, job_name: t.name, condition: 'true' })}) == 1`
          : `max by (namespace, job_name) (${sel('kube_job_failed', { namespace: ns, condition: 'true' })}) == 1 and on (namespace, job_name) ${sel('kube_job_owner', { namespace: ns, owner_kind: 'CronJob', owner_name: t.name })}`,
        summary: `A run of ${what} failed`,
        description: `Job {{ $labels.namespace }}/{{ $labels.job_name }} of ${what} failed (backoffLimit or activeDeadline reached); the alert clears when the failed Job is deleted (its TTL, or the CronJob's failed-jobs history).`,
      };
    case DefaultAlert.SCHEDULE_MISSED: {
      const slack = (t.startingDeadlineSeconds ?? 0) + SCHEDULE_MARGIN_SECONDS;
      const cj = { namespace: ns, cronjob: t.name };
      return {
        expr: `time() - max by (namespace, cronjob) (${sel('kube_cronjob_next_schedule_time', cj)}) > ${slack} unless on (namespace, cronjob) (${sel('kube_cronjob_spec_suspend', cj)} == 1)`,
        summary: `${what} missed a scheduled run`,
        description: `${what} was due to run more than ${promDuration(slack)} ago and has not started (its startingDeadline has passed): the previous run may still be running under concurrencyPolicy Forbid, or the controller cannot create the Job.`,
      };
    }
  }
}

/** The default alerts of `target` under `settings`, in the order of ALERTS_BY_KIND. @internal */
export function defaultAlerts(target: AlertTarget, settings: AlertSettings): AlertRule[] {
  return ALERTS_BY_KIND[target.kind]
    .filter(a => !settings.disabled.includes(a) && (a !== DefaultAlert.BELOW_DISRUPTION_BUDGET || target.budget !== undefined))
    .map(alert => {
      const r = rule(alert, target, settings);
      const severity = settings.severity ?? (alert === DefaultAlert.BELOW_DISRUPTION_BUDGET ? AlertSeverity.CRITICAL : AlertSeverity.WARNING);
      return {
        alert,
        expr: r.expr,
        for: r.for === undefined ? undefined : promDuration(r.for),
        labels: { ...settings.labels, severity, namespace: target.namespace, workload: target.name, workload_kind: target.kind },
        annotations: { summary: r.summary, description: r.description },
      };
    });
}
