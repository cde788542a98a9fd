import { RULES_BY_ID } from '../rules/catalog';
import { Rule } from '../rules/rule';
import { ADMISSION_CHECKS } from './checks';

const DEFAULTED = 'defaulted by the server before admission:';
const SERVER = 'already refused by the server\'s validation:';
const CROSS = 'cross-object:';

/**
 * Rules that judge objects but cannot be judged at the cluster's door, each with why. Rules
 * without kinds (construct props, the output layout) and the `seaworthy diff` rules are not
 * listed: `admissionEligibility` gives their reason.
 */
export const NOT_ELIGIBLE: Readonly<Record<string, string>> = {
  'SW-API-001': `${SERVER} a removed API version is not served`,
  'SW-API-002': 'the API server warns on deprecated API versions itself',
  'SW-HPA-001': `${DEFAULTED} minReplicas (1)`,
  'SW-HPA-002': `${DEFAULTED} minReplicas (1)`,
  'SW-HPA-004': `${CROSS} the replicas of the scaled workload`,
  'SW-HPA-005': `${CROSS} the scale target must be in the set`,
  'SW-HPA-007': `${DEFAULTED} behavior.scaleDown.stabilizationWindowSeconds (300)`,
  'SW-PDB-001': `${CROSS} the replicas of the workloads the budget covers`,
  'SW-SPREAD-001': `${SERVER} maxSkew, whenUnsatisfiable and minDomains are validated`,
  'SW-REPLICAS-002': `${DEFAULTED} replicas (1)`,
  'SW-SPREAD-002': `${DEFAULTED} replicas (1), which decides whether spreading is needed`,
  'SW-PDB-003': `${CROSS} the PodDisruptionBudgets of the set`,
  'SW-PDB-004': `${CROSS} the Pods of the set`,
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
  'SW-ENV-005': `${CROSS} the ConfigMaps of the set`,
  'SW-ENV-008': `${CROSS} the keys of the ConfigMap loaded`,
  'SW-SECRET-001': 'about manifests kept in Git: every Secret at the API server holds its data',
  'SW-REACH-001': `${CROSS} the Services the route names`,
  'SW-REACH-002': `${CROSS} the Service and the Pods behind it`,
  'SW-REACH-003': `${CROSS} the Pods behind the front door`,
  'SW-REACH-004': `${CROSS} the NetworkPolicies of the namespace`,
  'SW-REACH-005': `${CROSS} the ReferenceGrants of the other namespace`,
  'SW-ROUTE-001': `${CROSS} the listeners of the Gateway`,
  'SW-ROUTE-002': `${SERVER} the Gateway API CRD schema validates hostnames`,
  'SW-ROUTE-004': `${CROSS} the Gateway and its listeners`,
  'SW-ROUTE-005': `${SERVER} the Gateway API CRD rules validate paths and timeouts`,
  'SW-ROUTE-006': `${CROSS} the hostnames of the Gateway's listeners`,
  'SW-RBAC-006': `${SERVER} a ServiceAccount subject of a ClusterRoleBinding needs its namespace`,
  'SW-IMAGE-003': `${DEFAULTED} imagePullPolicy`,
  'SW-IMAGE-004': `${DEFAULTED} imagePullPolicy`,
  'SW-IMAGE-005': `${DEFAULTED} imagePullPolicy`,
  'SW-NAME-001': `${SERVER} object names are validated`,
  'SW-LABEL-001': `${SERVER} label values are validated`,
  'SW-LABEL-003': `${SERVER} label and annotation keys are validated`,
  'SW-LABEL-005': `${SERVER} annotations over 256 KiB are refused`,
  'SW-SHUTDOWN-001': `${DEFAULTED} terminationGracePeriodSeconds (30)`,
  'SW-WAIVER-001': 'CEL cannot parse the JSON waiver annotation',
  'SW-MON-001': `${CROSS} the Service or Pods the monitor scrapes`,
  'SW-MON-002': `${CROSS} the NetworkPolicies of the scraped namespace`,
  'SW-NS-001': `${CROSS} the LimitRanges of the namespace`,
  'SW-NS-002': `${CROSS} the ResourceQuota and the workloads of the namespace`,
  'SW-NS-005': `${CROSS} the ResourceQuota and the workloads of the namespace`,
  'SW-PORT-001': `${SERVER} duplicate port names are refused`,
  'SW-PORT-002': `${SERVER} port numbers and names are validated`,
  'SW-SVC-001': `${SERVER} Service fields are validated against the Service type`,
  'SW-NETPOL-002': `${CROSS} the NetworkPolicies of the namespace`,
  'SW-NETPOL-003': `${CROSS} the NetworkPolicies of the namespace`,
  'SW-NETPOL-004': `${CROSS} the Pods of the namespace`,
  'SW-SVC-002': `${CROSS} the Pods of the namespace`,
  'SW-SVC-003': `${CROSS} the Pods the Service selects`,
  'SW-SVC-005': `${SERVER} the server allocates node ports in its own configured range`,
  'SW-SVC-007': `${CROSS} the other Services of the cluster`,
  'SW-INGRESS-001': `${CROSS} the Services of the set`,
  'SW-OBJECT-001': `${CROSS} the other documents of the set`,
  'SW-PRIO-001': `${SERVER} PriorityClass values are validated`,
  'SW-PRIO-002': `${CROSS} the other PriorityClasses`,
  'SW-PRIO-003': `${DEFAULTED} preemptionPolicy (PreemptLowerPriority)`,
  'SW-SEC-020': `${CROSS} the namespace's Pod Security label (Pod Security Admission enforces it itself)`,
  'SW-PROBE-001': `${CROSS} the Services selecting the Pods`,
  'SW-PROBE-004': `${SERVER} probe timings and thresholds are validated`,
  'SW-RES-001': `${SERVER} resource quantities are validated`,
  'SW-RES-006': `${SERVER} extended resources with request ≠ limit are refused`,
  'SW-RES-007': `${SERVER} huge-page requests are validated`,
  'SW-RES-008': `${SERVER} huge-page volumes without huge pages are refused`,
  'SW-ROLLOUT-001': `${DEFAULTED} maxSurge and maxUnavailable (25%)`,
  'SW-ROLLOUT-002': `${DEFAULTED} progressDeadlineSeconds (600) and minReadySeconds`,
  'SW-ROLLOUT-003': `${DEFAULTED} maxUnavailable (25%)`,
  'SW-ROLLOUT-004': `${DEFAULTED} progressDeadlineSeconds (600)`,
  'SW-SCHED-001': `${SERVER} affinities, tolerations and spread constraints are validated`,
  'SW-SA-001': `${CROSS} the ServiceAccount and the bindings granting it`,
  'SW-STS-002': `${CROSS} the headless Service of the set`,
  'SW-VOL-004': `${CROSS} the other controllers sharing the claim`,
  'SW-PV-002': `${DEFAULTED} persistentVolumeReclaimPolicy`,
  'SW-PV-004': `${SERVER} a local PersistentVolume without nodeAffinity is refused`,
  'SW-PV-005': `${CROSS} the PersistentVolume the claim names`,
  'SW-SYSCTL-001': `${SERVER} sysctl names are validated`,
  'SW-SYSCTL-002': `${SERVER} host-namespace sysctls with a shared namespace are refused`,
  'SW-TARGET-003': `${SERVER} fields unknown to the server are refused or dropped`,
  'SW-TRACK-001': `${CROSS} the selectors of the other controllers`,
  'SW-TRACK-002': `${CROSS} the PodDisruptionBudgets of the set`,
  'SW-VPA-001': `${CROSS} the HorizontalPodAutoscalers of the workload`,
  'SW-VPA-002': `${CROSS} the resources of the scaled workload`,
  'SW-VPA-003': `${CROSS} the PodDisruptionBudgets of the workload`,
};

/**
 * Rules decidable from one object at admission that have no policy yet, each with what stands in
 * the way or what is left to write.
 */
export const ELIGIBLE_NOT_GENERATED: Readonly<Record<string, string>> = {
  'SW-HPA-003': 'metric target percentages: to write',
  'SW-HPA-006': 'behavior policies: to write',
  'SW-JOB-005': 'podFailurePolicy on DisruptionTarget, target-dependent: to write',
  'SW-CONTAINER-002': 'sh -c argument shapes: to write',
  'SW-ENV-003': 'the secret-name detector as an RE2 pattern: to write',
  'SW-ENV-004': 'duplicate env names (a quadratic comparison; cost to bound)',
  'SW-ENV-006': 'shell identifier pattern: to write',
  'SW-SECRET-002': 'the credential detector as RE2 patterns: to write',
  'SW-RBAC-001': 'least-privilege grants: to write',
  'SW-RBAC-002': 'escalate, bind, impersonate and exec: to write',
  'SW-RBAC-004': 'cluster-wide Secrets access (cluster-scoped: default profile only)',
  'SW-RBAC-005': 'cluster-admin bindings: to write',
  'SW-RBAC-007': 'anonymous and all-users subjects: to write',
  'SW-SA-003': 'bindings to the default ServiceAccount: to write',
  'SW-IMAGE-002': 'the image reference grammar (SW-IMAGE-001 carries it already): to write',
  'SW-SHUTDOWN-002': 'shell-wrapper entrypoints: to write',
  'SW-PROBE-002': 'readiness equal to liveness after probe defaulting: to write',
  'SW-PROBE-003': 'probe ports among declared ports: to write',
  'SW-PROBE-007': 'long initial delays: to write',
  'SW-PROBE-008': 'TCP liveness equal to readiness: to write',
  'SW-RES-002': 'Guaranteed QoS after request defaulting: to write',
  'SW-SCHED-002': 'nodeName: mirror Pods of static Pods carry one, so Pods need an exception first',
  'SW-SEC-013': 'safe sysctls, target-dependent list: to write',
  'SW-SEC-015': 'AppArmor annotations and field, target-dependent: to write',
  'SW-SEC-018': 'probe and hook hosts, target-dependent: to write',
  'SW-VOL-003': 'memory emptyDir against limits needs quantity() (1.29+): to write',
  'SW-PV-006': 'claims naming a volume without storageClassName: to write',
  'SW-SYSCTL-004': 'obsolete sysctl annotations: to write',
  'SW-VPA-004': 'VerticalPodAutoscaler bounds (a CRD; quantities): to write',
  'SW-VPA-005': 'VerticalPodAutoscaler upper bound (a CRD): to write',
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

/** Whether `rule` is judged at admission, and why not. */
export function admissionEligibility(rule: Rule): AdmissionEligibility {
  if (GENERATED.has(rule.id)) return { eligible: true, generated: true };
  const later = ELIGIBLE_NOT_GENERATED[rule.id];
  if (later !== undefined) return { eligible: true, generated: false, reason: later };
  const not = NOT_ELIGIBLE[rule.id];
  if (not !== undefined) return { eligible: false, generated: false, reason: not };
  if (rule.id.startsWith('SW-DIFF-')) return { eligible: false, generated: false, reason: 'diff-only: judges a change between two versions of the manifests' };
  if (rule.kinds.length === 0) return { eligible: false, generated: false, reason: 'props-only: judged on construct props or the output layout, not on an object' };
  return { eligible: false, generated: false, reason: 'not classified' };
}

/** Every rule with its eligibility, in catalog order. */
export function admissionEligibilities(): ReadonlyArray<{ readonly rule: Rule; readonly eligibility: AdmissionEligibility }> {
  return [...RULES_BY_ID.values()].map(rule => ({ rule, eligibility: admissionEligibility(rule) }));
}
