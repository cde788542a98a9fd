import { RULES_BY_ID } from '../rules/catalog';
import { Rule } from '../rules/rule';
import { CAPABILITIES, Feature } from '../target/capabilities';
import { ADMISSION_CHECKS } from './checks';
import { policyName } from './policies';

const DEFAULTED = 'defaulted by the server before admission:';
const SERVER = 'already refused by the server\'s validation:';

/**
 * Single-object rules (scope `object`) that cannot be judged at the cluster's door, each with why:
 * the server defaults the field before admission, or its own validation already refuses the
 * object. Rules of other scopes are not listed: `admissionEligibility` derives their reason from
 * the scope.
 */
export const NOT_ELIGIBLE: Readonly<Record<string, string>> = {
  'SW-API-001': `${SERVER} a removed API version is not served`,
  'SW-API-002': 'the API server warns on deprecated API versions itself',
  'SW-HPA-001': `${DEFAULTED} minReplicas (1)`,
  'SW-HPA-002': `${DEFAULTED} minReplicas (1)`,
  'SW-HPA-006': `${SERVER} behavior policies, stabilization windows and selectPolicy are validated`,
  'SW-HPA-007': `${DEFAULTED} behavior.scaleDown.stabilizationWindowSeconds (300)`,
  'SW-SPREAD-001': `${SERVER} maxSkew, whenUnsatisfiable and minDomains are validated`,
  'SW-CRON-001': `${SERVER} the schedule is parsed`,
  'SW-CRON-002': `${SERVER} the time zone is looked up`,
  'SW-CRON-004': `${DEFAULTED} concurrencyPolicy (Allow)`,
  'SW-JOB-003': `${DEFAULTED} backoffLimit (6)`,
  'SW-JOB-004': `${SERVER} podFailurePolicy and successPolicy are validated`,
  'SW-CONFIG-002': `${SERVER} item keys and paths are validated`,
  'SW-CONFIG-004': `${SERVER} a ConfigMap over 1 MiB is refused`,
  'SW-INIT-001': `${SERVER} probes, hooks and ports of init containers are refused`,
  'SW-CONTAINER-001': `${SERVER} container names are validated`,
  'SW-ENV-001': `${SERVER} environment variable names are validated`,
  'SW-SECRET-001': 'about manifests kept in Git: every Secret at the API server holds its data',
  'SW-ROUTE-002': `${SERVER} the Gateway API CRD schema validates hostnames`,
  'SW-ROUTE-005': `${SERVER} the Gateway API CRD rules validate paths and timeouts`,
  'SW-RBAC-006': `${SERVER} a ServiceAccount subject of a ClusterRoleBinding needs its namespace`,
  'SW-IMAGE-003': `${DEFAULTED} imagePullPolicy`,
  'SW-IMAGE-004': `${DEFAULTED} imagePullPolicy`,
  'SW-IMAGE-005': `${DEFAULTED} imagePullPolicy`,
  'SW-NAME-001': `${SERVER} object names are validated`,
  'SW-LABEL-001': `${SERVER} label values are validated`,
  'SW-LABEL-003': `${SERVER} label and annotation keys are validated`,
  'SW-LABEL-005': `${SERVER} annotations over 256 KiB are refused`,
  'SW-PV-006': `${DEFAULTED} storageClassName (the DefaultStorageClass admission plugin sets the default class before validation)`,
  'SW-SHUTDOWN-001': `${DEFAULTED} terminationGracePeriodSeconds (30)`,
  'SW-WAIVER-001': 'CEL cannot parse the JSON waiver annotation',
  'SW-WAIVER-002': 'at the door the Pods are judged themselves: a Pod without the waiver is refused by the waived rule\'s own policy',
  'SW-PORT-001': `${SERVER} duplicate port names are refused`,
  'SW-PORT-002': `${SERVER} port numbers and names are validated`,
  'SW-SVC-001': `${SERVER} Service fields are validated against the Service type`,
  'SW-SVC-005': `${SERVER} the server allocates node ports in its own configured range`,
  'SW-PRIO-001': `${SERVER} PriorityClass values are validated`,
  'SW-PRIO-003': `${DEFAULTED} preemptionPolicy (PreemptLowerPriority)`,
  'SW-PROBE-004': `${SERVER} probe timings and thresholds are validated`,
  'SW-RES-001': `${SERVER} resource quantities are validated`,
  'SW-RES-006': `${SERVER} extended resources with request ≠ limit are refused`,
  'SW-RES-007': `${SERVER} huge-page requests are validated`,
  'SW-RES-008': `${SERVER} huge-page volumes without huge pages are refused`,
  'SW-ROLLOUT-001': `${DEFAULTED} maxSurge and maxUnavailable (25%)`,
  'SW-ROLLOUT-002': `${DEFAULTED} progressDeadlineSeconds (600) and minReadySeconds`,
  'SW-ROLLOUT-004': `${DEFAULTED} progressDeadlineSeconds (600)`,
  'SW-SCHED-001': `${SERVER} affinities, tolerations and spread constraints are validated`,
  'SW-PV-002': `${DEFAULTED} persistentVolumeReclaimPolicy`,
  'SW-PV-004': `${SERVER} a local PersistentVolume without nodeAffinity is refused`,
  'SW-SYSCTL-001': `${SERVER} sysctl names are validated`,
  'SW-SYSCTL-002': `${SERVER} host-namespace sysctls with a shared namespace are refused`,
  'SW-TARGET-003': `${SERVER} fields unknown to the server are refused or dropped`,
};

/**
 * Single-object rules that have no policy yet, each with what stands in the way or what is left
 * to write. A single-object rule in no table reads as eligible, not generated yet, with
 * `NOT_WRITTEN`: adding a rule to the catalog needs no change here.
 */
export const ELIGIBLE_NOT_GENERATED: Readonly<Record<string, string>> = {
  'SW-ENV-003': 'cost: the name detector is expressible (findAll of the words, upper-cased, then an RE2 match for the 19 credential words and KEY after its 15 qualifiers and one for the 40 last words that name no value), but it costs about 1,130 units per env var by the estimate of test/admission.test.ts: 22,600,000 for 50 init and 50 regular containers of 200 env vars (ephemeral ones not counted), above both the 1,000,000 per-expression limit and the 10,000,000 budget of one policy evaluation, however it is split',
  'SW-ENV-004': 'cost: the API server\'s CEL has no set, sort or distinct for lists, so finding a duplicate compares every pair (exists_one, or indexOf against lastIndexOf of the lists library, each linear per call): about 722,000 units per container of 200 env vars by the estimate of test/admission.test.ts (1,090,000 with indexOf), 72,000,000 for 100 containers, above the 1,000,000 per-expression limit and the 10,000,000 budget',
  'SW-SECRET-002': 'the audit reads every string of every kind at any depth (and ConfigMap keys, annotations, args and probe headers by name); CEL has no recursion and cannot list the fields of a typed object, so a policy would miss credentials the audit reports (e.g. a URL with a password in any field), and its 13 value patterns alone cost about 1,530 units per string by the estimate of test/admission.test.ts: 30,600,000 for the env values of 100 containers of 200 env vars, above the 10,000,000 budget',
};

/** Whether and how a rule is judged at admission. */
export interface AdmissionEligibility {
  /** Decidable from one object as the API server sees it, and not already refused by it. */
  readonly eligible: boolean;
  /** A ValidatingAdmissionPolicy is generated for it. */
  readonly generated: boolean;
  /** Why not eligible, or why not generated yet; undefined for generated rules. */
  readonly reason?: string;
}

const GENERATED: ReadonlySet<string> = new Set(ADMISSION_CHECKS.map(c => c.ruleId));

/** The reason of a single-object rule listed in neither table. */
export const NOT_WRITTEN = 'decidable from one object; its policy is not written yet';

/** Why a rule of a scope other than `object` is not judged at admission. */
function scopeReason(rule: Rule): string {
  switch (rule.scope) {
    case 'objects': return `cross-object: the API server sees one object, the rule ${rule.unseen ? `needs ${rule.unseen}` : 'judges it against other objects of the deployment'}`;
    case 'change': return 'diff-only: judges a change between two versions of the manifests';
    case 'props': return 'props-only: judged on construct props, not on an object';
    case 'output': return 'props-only: judged on the output layout, not on an object';
    case 'object': return NOT_WRITTEN;
  }
}

/**
 * Whether `rule` is judged at admission, and why not: generated when it has a check; otherwise
 * the tables' reason for single-object rules, `NOT_WRITTEN` for a single-object rule in neither,
 * and a reason derived from the scope for the others.
 */
export function admissionEligibility(rule: Rule): AdmissionEligibility {
  if (GENERATED.has(rule.id)) return { eligible: true, generated: true };
  if (rule.scope !== 'object') return { eligible: false, generated: false, reason: scopeReason(rule) };
  const not = NOT_ELIGIBLE[rule.id];
  if (not !== undefined) return { eligible: false, generated: false, reason: not };
  return { eligible: true, generated: false, reason: ELIGIBLE_NOT_GENERATED[rule.id] ?? NOT_WRITTEN };
}

/** How the docs name a feature an admission check needs. */
const FEATURE_NAMES: Partial<Record<Feature, string>> = { [Feature.CEL_QUANTITY]: 'CEL quantity library' };

/** One line for docs/rules.md: whether `rule` is enforced at admission. */
export function admissionSummary(rule: Rule): string {
  const e = admissionEligibility(rule);
  const needs = ADMISSION_CHECKS.find(c => c.ruleId === rule.id)?.needs;
  if (e.generated && needs !== undefined) return `generated (policy \`${policyName(rule.id)}\`) for targets of 1.${CAPABILITIES[needs].since} or later, where the API server has the ${FEATURE_NAMES[needs] ?? needs}`;
  if (e.generated) return `generated (policy \`${policyName(rule.id)}\`)`;
  return e.eligible ? `eligible, not generated yet (${e.reason})` : `not eligible: ${e.reason}`;
}

/** Every rule with its eligibility, in catalog order. */
export function admissionEligibilities(): ReadonlyArray<{ readonly rule: Rule; readonly eligibility: AdmissionEligibility }> {
  return [...RULES_BY_ID.values()].map(rule => ({ rule, eligibility: admissionEligibility(rule) }));
}
