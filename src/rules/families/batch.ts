import { defineRule as rule, Severity } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the batch family. */
export const BatchRules = {
  JOB_INVALID: rule({
    id: 'SW-JOB-001',
    title: 'Job settings are valid and bounded',
    severity: Severity.ERROR,
    rationale: 'completions and parallelism must be positive, backoffLimit non-negative, and deadlines and TTLs whole seconds; an unbounded Job can retry or run forever and its finished Pods pile up.',
    fix: 'use whole numbers (completions, parallelism at least 1; backoffLimit at least 0) and whole-second durations',
    kinds: [],
    see: `${K8S}/concepts/workloads/controllers/job/`,
  }),
  CRON_SCHEDULE_INVALID: rule({
    id: 'SW-CRON-001',
    title: 'CronJob schedules are valid five-field expressions',
    severity: Severity.ERROR,
    rationale: 'An invalid schedule is rejected by the API server, and a time zone inside the schedule (CRON_TZ=, TZ=) is rejected since 1.27.',
    fix: 'use five fields "minute hour day-of-month month day-of-week" (e.g. "30 2 * * *") or a macro such as "@daily", and put the zone in "timeZone"',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#schedule-syntax`,
  }),
  CRON_TIMEZONE_INVALID: rule({
    id: 'SW-CRON-002',
    title: 'CronJob time zones are IANA names',
    severity: Severity.ERROR,
    rationale: 'An unknown time zone makes the CronJob controller skip every run.',
    fix: 'use an IANA time zone name such as "Etc/UTC" or "Europe/Berlin"',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#time-zones`,
  }),
  CRON_NO_DEADLINE: rule({
    id: 'SW-CRON-003',
    title: 'CronJobs set startingDeadlineSeconds',
    severity: Severity.WARNING,
    rationale: 'Without a deadline, after a controller outage, a suspension or clock skew the CronJob starts the most recent missed run however late it is (a 02:00 batch at noon), and more than 100 missed times only raise a TooManyMissedTimes event; with startingDeadlineSeconds runs later than that are skipped.',
    fix: 'set startingDeadlineSeconds, e.g. 300',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#job-creation`,
  }),
  CRON_CONCURRENCY: rule({
    id: 'SW-CRON-004',
    title: 'CronJob runs do not overlap',
    severity: Severity.WARNING,
    rationale: 'With concurrencyPolicy Allow, a slow run and the next one work on the same data at once.',
    fix: 'set concurrencyPolicy: Forbid (or Replace)',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#concurrency-policy`,
  }),
  JOB_NO_TTL: rule({
    id: 'SW-JOB-002',
    title: 'Finished Jobs are cleaned up',
    severity: Severity.WARNING,
    rationale: 'Without ttlSecondsAfterFinished finished Jobs and their Pods pile up.',
    fix: 'set ttlSecondsAfterFinished, e.g. 86400',
    kinds: ['Job', 'CronJob'],
    see: `${K8S}/concepts/workloads/controllers/ttlafterfinished/`,
  }),
  JOB_NO_BACKOFF: rule({
    id: 'SW-JOB-003',
    title: 'Jobs bound their retries',
    severity: Severity.WARNING,
    rationale: 'Left unset, backoffLimit is 6: a broken Job is retried six times with exponential delays (10s, 20s, 40s, … capped at 6 minutes), each run as long as it takes to fail, and a hanging Pod is never stopped without activeDeadlineSeconds.',
    fix: 'set backoffLimit (and activeDeadlineSeconds)',
    kinds: ['Job', 'CronJob'],
    see: `${K8S}/concepts/workloads/controllers/job/#pod-backoff-failure-policy`,
  }),
} as const;
