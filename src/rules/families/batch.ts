import { CAPABILITIES, Feature } from '../../target/capabilities';
import type { KubernetesTarget } from '../../target/target';
import type { Reporter } from '../finding';
import { defineRule as rule, Severity } from '../rule';
import { TargetRules } from './target';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the batch family. */
export const BatchRules = {
  JOB_INVALID: rule({
    id: 'SW-JOB-001',
    title: 'Job settings are valid and bounded',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'completions and parallelism must be positive, backoffLimit non-negative, and deadlines and TTLs whole seconds; an unbounded Job can retry or run forever and its finished Pods pile up.',
    fix: 'use whole numbers (completions, parallelism at least 1; backoffLimit at least 0) and whole-second durations',
    kinds: [],
    see: `${K8S}/concepts/workloads/controllers/job/`,
  }),
  CRON_SCHEDULE_INVALID: rule({
    id: 'SW-CRON-001',
    title: 'CronJob schedules are valid five-field expressions',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'An invalid schedule is rejected by the API server, and a time zone inside the schedule (CRON_TZ=, TZ=) is rejected since 1.27.',
    fix: 'use five fields "minute hour day-of-month month day-of-week" (e.g. "30 2 * * *") or a macro such as "@daily", and put the zone in "timeZone"',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#schedule-syntax`,
  }),
  CRON_TIMEZONE_INVALID: rule({
    id: 'SW-CRON-002',
    title: 'CronJob time zones are IANA names',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'An unknown time zone makes the CronJob controller skip every run.',
    fix: 'use an IANA time zone name such as "Etc/UTC" or "Europe/Berlin"',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#time-zones`,
  }),
  CRON_NO_DEADLINE: rule({
    id: 'SW-CRON-003',
    title: 'CronJobs set startingDeadlineSeconds',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Without a deadline, after a controller outage, a suspension or clock skew the CronJob starts the most recent missed run however late it is (a 02:00 batch at noon), and more than 100 missed times only raise a TooManyMissedTimes event; with startingDeadlineSeconds runs later than that are skipped.',
    fix: 'set startingDeadlineSeconds, e.g. 300',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#job-creation`,
  }),
  CRON_CONCURRENCY: rule({
    id: 'SW-CRON-004',
    title: 'CronJob runs do not overlap',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With concurrencyPolicy Allow, a slow run and the next one work on the same data at once.',
    fix: 'set concurrencyPolicy: Forbid (or Replace)',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#concurrency-policy`,
  }),
  CRON_DEADLINE_TOO_SHORT: rule({
    id: 'SW-CRON-005',
    title: 'A CronJob\'s startingDeadlineSeconds is at least 10 seconds',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The CronJob controller looks for due runs about every 10 seconds; a run it finds later than startingDeadlineSeconds after its scheduled time is counted as missed and skipped. With a deadline under 10 seconds most runs are found too late, so the CronJob may never run, with no error (the API server accepts any deadline of 0 or more).',
    fix: 'set startingDeadlineSeconds to at least 10 ("startingDeadline" on a CronTask), e.g. 300',
    kinds: ['CronJob'],
    see: `${K8S}/concepts/workloads/controllers/cron-jobs/#schedule-delays`,
  }),
  JOB_NO_TTL: rule({
    id: 'SW-JOB-002',
    title: 'Finished Jobs are cleaned up',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Without ttlSecondsAfterFinished finished Jobs and their Pods pile up.',
    fix: 'set ttlSecondsAfterFinished, e.g. 86400',
    kinds: ['Job', 'CronJob'],
    see: `${K8S}/concepts/workloads/controllers/ttlafterfinished/`,
  }),
  JOB_NO_BACKOFF: rule({
    id: 'SW-JOB-003',
    title: 'Jobs bound their retries',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Left unset, backoffLimit is 6: a broken Job is retried six times with exponential delays (10s, 20s, 40s, … capped at 6 minutes), each run as long as it takes to fail, and a hanging Pod is never stopped without activeDeadlineSeconds.',
    fix: 'set backoffLimit (and activeDeadlineSeconds)',
    kinds: ['Job', 'CronJob'],
    see: `${K8S}/concepts/workloads/controllers/job/#pod-backoff-failure-policy`,
  }),
  JOB_POLICY_INVALID: rule({
    id: 'SW-JOB-004',
    title: 'Job failure and success policies are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server rejects a Job whose podFailurePolicy is used with a restartPolicy other than Never, lists exit code 0 with In or more than 255 codes, names a container the Pod lacks, uses FailIndex without backoffLimitPerIndex, or asks for podReplacementPolicy TerminatingOrFailed alongside it; and one whose backoffLimitPerIndex, maxFailedIndexes or successPolicy is set without Indexed completion, or whose success rules name indexes or counts beyond completions.',
    fix: 'use restartPolicy Never with a podFailurePolicy; list exit codes 1-255 and containers of the Pod; set completionMode Indexed (and backoffLimitPerIndex for FailIndex and maxFailedIndexes); keep success rules within completions',
    kinds: ['Job', 'CronJob'],
    see: `${K8S}/concepts/workloads/controllers/job/#pod-failure-policy`,
  }),
  JOB_DRAIN_COUNTS: rule({
    id: 'SW-JOB-005',
    title: 'Node drains do not use up a Job\'s retries',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A Pod evicted by a node drain, preempted or deleted by the taint manager fails with the DisruptionTarget condition; without a podFailurePolicy rule that ignores it, every such disruption counts toward backoffLimit, so a cluster upgrade can fail a healthy Job.',
    fix: 'add a podFailurePolicy rule { action: Ignore, onPodConditions: [{ type: DisruptionTarget, status: "True" }] } (which needs restartPolicy Never)',
    kinds: ['Job', 'CronJob'],
    see: `${K8S}/concepts/workloads/controllers/job/#pod-failure-policy`,
  }),
} as const;

/** A Job spec as read from a manifest or rendered by a construct, loosely typed. */
type JobSpecLike = { readonly [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A qualified name (optional DNS prefix, then a name of letters, digits, '-', '_', '.'). */
const CONDITION_TYPE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Most rules of a podFailurePolicy or successPolicy the API server accepts. */
const MAX_POLICY_RULES = 20;

/** Job spec fields that need a feature of the target, by the field's path in the Job spec. */
const JOB_FIELD_FEATURES: ReadonlyArray<[string, Feature]> = [
  ['podFailurePolicy', Feature.JOB_POD_FAILURE_POLICY],
  ['backoffLimitPerIndex', Feature.JOB_BACKOFF_LIMIT_PER_INDEX],
  ['maxFailedIndexes', Feature.JOB_BACKOFF_LIMIT_PER_INDEX],
  ['podReplacementPolicy', Feature.JOB_POD_REPLACEMENT_POLICY],
  ['successPolicy', Feature.JOB_SUCCESS_POLICY],
];

/** Whether the pod failure policy ignores Pod disruptions (an Ignore rule on DisruptionTarget). */
export function ignoresDisruptions(spec: JobSpecLike): boolean {
  const rules = spec?.podFailurePolicy?.rules;
  return Array.isArray(rules) && rules.some(r => r?.action === 'Ignore' && Array.isArray(r.onPodConditions)
    && r.onPodConditions.some((c: JobSpecLike) => c?.type === 'DisruptionTarget' && (c.status ?? 'True') === 'True'));
}

/**
 * The Job spec's policies against what the API server accepts and what `target` has (SW-JOB-004,
 * SW-JOB-005, SW-TARGET-003): one implementation for the constructs (which map `at`, a path in
 * the Job spec, to their props) and the audit (which prefixes it).
 */
export function checkJobPolicies(spec: JobSpecLike, target: KubernetesTarget, reporter: Reporter, at: (path: string) => string): void {
  for (const [field, feature] of JOB_FIELD_FEATURES) {
    if (spec?.[field] !== undefined && !target.has(feature)) {
      reporter.report(TargetRules.FEATURE_NOT_ON_TARGET, at(field), spec[field], `${target} (the target) has no ${field}; it needs Kubernetes 1.${CAPABILITIES[feature].since} or later (${CAPABILITIES[feature].why})`);
    }
  }
  const bad = (path: string, value: unknown, problem: string) => reporter.report(BatchRules.JOB_POLICY_INVALID, at(path), value, problem);
  const podSpec = spec?.template?.spec ?? {};
  const restartPolicy = podSpec.restartPolicy;
  const indexed = spec?.completionMode === 'Indexed';
  const completions = typeof spec?.completions === 'number' ? spec.completions : 1;
  const policy = spec?.podFailurePolicy;
  if (policy !== undefined) {
    if (restartPolicy !== 'Never') bad('template.spec.restartPolicy', restartPolicy, 'must be Never when a podFailurePolicy is set');
    const rules: JobSpecLike[] = Array.isArray(policy?.rules) ? policy.rules : [];
    if (rules.length > MAX_POLICY_RULES) bad('podFailurePolicy.rules', rules.length, `has more than ${MAX_POLICY_RULES} rules`);
    const containers = new Set([...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])].map((c: JobSpecLike) => c?.name));
    rules.forEach((r, i) => {
      const path = `podFailurePolicy.rules[${i}]`;
      if (r?.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) bad(`${path}.action`, 'FailIndex', 'needs backoffLimitPerIndex');
      const codes = r?.onExitCodes;
      const conditions: unknown[] = Array.isArray(r?.onPodConditions) ? r.onPodConditions : [];
      if (codes !== undefined && conditions.length > 0) bad(path, Object.keys(r), 'sets both onExitCodes and onPodConditions');
      if (codes === undefined && conditions.length === 0) bad(path, r, 'needs onExitCodes or onPodConditions');
      conditions.forEach((c, j) => {
        const type = (c as JobSpecLike)?.type;
        if (typeof type !== 'string' || !CONDITION_TYPE.test(type) || type.split('/').pop()!.length > 63) bad(`${path}.onPodConditions[${j}].type`, type, 'is not a Pod condition type (a qualified name such as DisruptionTarget)');
      });
      if (codes !== undefined) {
        const values: unknown[] = Array.isArray(codes.values) ? codes.values : [];
        if (values.length === 0 || values.length > 255) bad(`${path}.onExitCodes.values`, codes.values, 'must list 1 to 255 exit codes');
        values.forEach((v, j) => {
          if (!Number.isInteger(v) || (v as number) < 0 || (v as number) > 255) bad(`${path}.onExitCodes.values[${j}]`, v, 'is not an exit code (0-255)');
          else if (v === 0 && codes.operator === 'In') bad(`${path}.onExitCodes.values[${j}]`, v, 'is success, which never fails a Pod (0 cannot be listed with In)');
          else if (j > 0 && (values[j - 1] as number) >= (v as number)) bad(`${path}.onExitCodes.values[${j}]`, v, 'must be greater than the code before it (sorted, no duplicates)');
        });
        if (codes.operator !== 'In' && codes.operator !== 'NotIn') bad(`${path}.onExitCodes.operator`, codes.operator, 'must be In or NotIn');
        if (codes.containerName !== undefined && !containers.has(codes.containerName)) bad(`${path}.onExitCodes.containerName`, codes.containerName, `is not a container of the Pod (${[...containers].join(', ')})`);
      }
    });
    if (spec.podReplacementPolicy !== undefined && spec.podReplacementPolicy !== 'Failed') bad('podReplacementPolicy', spec.podReplacementPolicy, 'must be Failed when a podFailurePolicy is set');
  }
  if (!indexed) {
    for (const f of ['backoffLimitPerIndex', 'successPolicy']) if (spec?.[f] !== undefined) bad(f, spec[f], 'needs completionMode Indexed');
  }
  if (spec?.maxFailedIndexes !== undefined) {
    if (spec.backoffLimitPerIndex === undefined) bad('maxFailedIndexes', spec.maxFailedIndexes, 'needs backoffLimitPerIndex');
    else if (spec.maxFailedIndexes > completions) bad('maxFailedIndexes', spec.maxFailedIndexes, `is more than completions (${completions})`);
  }
  const success: JobSpecLike[] = Array.isArray(spec?.successPolicy?.rules) ? spec.successPolicy.rules : [];
  if (spec?.successPolicy !== undefined && (success.length === 0 || success.length > MAX_POLICY_RULES)) bad('successPolicy.rules', success.length, `must have 1 to ${MAX_POLICY_RULES} rules`);
  success.forEach((r, i) => {
    const path = `successPolicy.rules[${i}]`;
    if (r?.succeededIndexes === undefined && r?.succeededCount === undefined) bad(path, r, 'needs succeededIndexes or succeededCount');
    const indexes = typeof r?.succeededIndexes === 'string' ? parseIndexes(r.succeededIndexes) : undefined;
    if (r?.succeededIndexes !== undefined && (indexes === undefined || indexes.some(n => n >= completions))) bad(`${path}.succeededIndexes`, r.succeededIndexes, `must be indexes below completions (${completions}), e.g. "0-2,5"`);
    if (r?.succeededCount !== undefined) {
      const most = indexes?.length ?? completions;
      if (!Number.isInteger(r.succeededCount) || r.succeededCount < 1 || r.succeededCount > most) bad(`${path}.succeededCount`, r.succeededCount, `must be a whole number from 1 to ${most}`);
    }
  });
  if (ignoresDisruptions(spec ?? {})) return;
  if (policy !== undefined) reporter.report(BatchRules.JOB_DRAIN_COUNTS, at('podFailurePolicy.rules'), undefined, 'no rule ignores DisruptionTarget, so a node drain, preemption or eviction counts toward backoffLimit');
  else reporter.report(BatchRules.JOB_DRAIN_COUNTS, at('podFailurePolicy'), undefined, `a node drain, preemption or eviction counts toward backoffLimit${restartPolicy === 'Never' ? '' : ` (restartPolicy ${String(restartPolicy ?? '(unset)')} allows no podFailurePolicy; use Never)`}`);
}

/** The indexes of "0-2,5" (ascending ranges and numbers, as the API server reads them), or undefined when malformed. */
export function parseIndexes(text: string): number[] | undefined {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || (out.length > 0 && from <= out[out.length - 1]) || to - from > 1e6) return undefined;
    for (let n = from; n <= to; n++) out.push(n);
  }
  return out;
}

/** The CronJob controller's polling period: a deadline shorter than this may skip every run (SW-CRON-005). */
export const CRON_CONTROLLER_PERIOD_SECONDS = 10;

/** Why a `startingDeadlineSeconds` may skip runs (SW-CRON-005), if it does. */
export function startingDeadlineProblem(seconds: unknown): string | undefined {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds >= CRON_CONTROLLER_PERIOD_SECONDS) return undefined;
  return `is under the CronJob controller's ${CRON_CONTROLLER_PERIOD_SECONDS}-second polling period, so runs may be found too late and skipped`;
}
