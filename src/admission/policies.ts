import { RULES_BY_ID } from '../rules/catalog';
import { Profile, PROFILE_LABEL, severityUnder } from '../rules/profile';
import { Rule, Severity } from '../rules/rule';
import { CONTAINER_WAIVER_INFIX, WAIVER_ANNOTATION_PREFIX } from '../rules/waiver';
import { CAPABILITIES, Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { dns1123LabelProblem } from '../validation/names';
import { containerWaived, waivedBy } from './cel';
import { AdmissionCheck, ADMISSION_CHECKS, celString, checkOn, ContainerSet, Target } from './checks';

export { PROFILE_LABEL } from '../rules/profile';

/** The label carrying the rule id on every generated policy and binding. */
export const RULE_LABEL = 'seaworthy.dev/rule';

/** Namespaces no binding applies to: the cluster's own. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-node-lease', 'kube-public', 'kube-system'];

/** The feature gate and runtime config a 1.28–1.29 API server needs for the v1beta1 policies. */
export const V1BETA1_REQUIREMENT = 'the API server needs --feature-gates=ValidatingAdmissionPolicy=true and --runtime-config=admissionregistration.k8s.io/v1beta1=true';

/** The longest messageExpression result, in characters; longer lists are cut with "…". */
export const MESSAGE_LIMIT = 512;

/** Options of `admissionPolicies()`. */
export interface AdmissionPolicyOptions {
  /**
   * The profile of namespaces without the `seaworthy.dev/profile` label (or with a value that is
   * not a profile).
   * @default Profile.PRODUCTION
   */
  readonly unlabelled?: Profile;
  /**
   * Only these rule ids.
   * @default - every generated rule
   */
  readonly rules?: readonly string[];
  /**
   * Namespaces no binding applies to, beside kube-system, kube-public and kube-node-lease: those
   * of platform components installed by their own operators (a CNI's `calico-system`, a GPU
   * operator's), whose Pods need what the rules refuse and carry no waivers.
   * @default - the system namespaces only
   */
  readonly excludeNamespaces?: readonly string[];
}

/** A generated Kubernetes object, as plain data. */
export type AdmissionObject = Readonly<Record<string, unknown>>;

/** The admissionregistration API version of `target`. */
export function admissionApiVersion(target: KubernetesTarget): string {
  return target.has(Feature.VALIDATING_ADMISSION_POLICY) ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1';
}

/** The name of the policy of a rule: `seaworthy-sw-sec-001`. */
export function policyName(ruleId: string): string {
  return `seaworthy-${ruleId.toLowerCase()}`;
}

/** The controllers that carry a Pod template, by API group. */
export const WORKLOAD_RESOURCES: ReadonlyArray<{ readonly apiGroups: string[]; readonly resources: string[] }> = [
  { apiGroups: [''], resources: ['replicationcontrollers', 'podtemplates'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
];
const LONG_RUNNING_RESOURCES = [
  { apiGroups: [''], resources: ['replicationcontrollers'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
];

function resourceRules(check: AdmissionCheck, target: KubernetesTarget): Array<Record<string, unknown>> {
  const rule = (apiGroups: string[], resources: string[], operations: string[]) => ({ apiGroups, apiVersions: ['*'], operations, resources, scope: 'Namespaced' });
  switch (check.target) {
    case Target.POD_TEMPLATES: {
      // Pods are a backstop (Pods made by a controller, or sent bare). A running Pod's spec changes
      // by a plain UPDATE (its images), through its ephemeral containers (matched for container
      // rules) and, from 1.33, through pods/resize (matched for resource rules).
      const pods = [rule([''], ['pods'], ['CREATE', 'UPDATE'])];
      if (check.containers === ContainerSet.SECURITY) pods.push(rule([''], ['pods/ephemeralcontainers'], ['UPDATE']));
      if (check.containers === ContainerSet.APP && target.has(Feature.IN_PLACE_POD_RESIZE)) pods.push(rule([''], ['pods/resize'], ['UPDATE']));
      return [...WORKLOAD_RESOURCES.map(r => rule(r.apiGroups, r.resources, ['CREATE', 'UPDATE'])), ...pods];
    }
    case Target.LONG_RUNNING: return LONG_RUNNING_RESOURCES.map(r => rule(r.apiGroups, r.resources, ['CREATE', 'UPDATE']));
    case Target.PODS: return [rule([''], ['pods'], ['CREATE'])];
    case Target.SERVICES: return [rule([''], ['services'], ['CREATE', 'UPDATE'])];
    case Target.INGRESSES: return [rule(['networking.k8s.io'], ['ingresses'], ['CREATE', 'UPDATE'])];
    case Target.JOBS: return [rule(['batch'], ['jobs'], ['CREATE', 'UPDATE'])];
    case Target.CRONJOBS: return [rule(['batch'], ['cronjobs'], ['CREATE', 'UPDATE'])];
    case Target.PDBS: return [rule(['policy'], ['poddisruptionbudgets'], ['CREATE', 'UPDATE'])];
    case Target.PERSISTENT_VOLUMES: return [{ ...rule([''], ['persistentvolumes'], ['CREATE', 'UPDATE']), scope: 'Cluster' }];
    case Target.ROLES: return [rule(['rbac.authorization.k8s.io'], ['roles'], ['CREATE', 'UPDATE']), { ...rule(['rbac.authorization.k8s.io'], ['clusterroles'], ['CREATE', 'UPDATE']), scope: 'Cluster' }];
    case Target.BINDINGS: return [rule(['rbac.authorization.k8s.io'], ['rolebindings'], ['CREATE', 'UPDATE']), { ...rule(['rbac.authorization.k8s.io'], ['clusterrolebindings'], ['CREATE', 'UPDATE']), scope: 'Cluster' }];
    case Target.NAMESPACES: return [{ ...rule([''], ['namespaces'], ['CREATE', 'UPDATE']), scope: 'Cluster' }];
    case Target.JOBS_AND_CRONJOBS: return [rule(['batch'], ['jobs', 'cronjobs'], ['CREATE', 'UPDATE'])];
    case Target.VERTICAL_POD_AUTOSCALERS: return [rule(['autoscaling.k8s.io'], ['verticalpodautoscalers'], ['CREATE', 'UPDATE'])];
  }
}


/** The init containers of `variables.spec`, `[]` when it has none. */
export const INIT_CONTAINERS = '(has(variables.spec.initContainers) ? variables.spec.initContainers : [])';

/** The containers of each set in `variables.spec`, as one CEL list. */
export const CONTAINER_LISTS: Readonly<Record<ContainerSet, string>> = {
  [ContainerSet.SECURITY]: `${INIT_CONTAINERS} + variables.spec.containers + (has(variables.spec.ephemeralContainers) ? variables.spec.ephemeralContainers : [])`,
  [ContainerSet.APP]: `${INIT_CONTAINERS} + variables.spec.containers`,
  [ContainerSet.REGULAR]: 'variables.spec.containers',
};

function variables(check: AdmissionCheck): Array<{ name: string; expression: string }> {
  const waiverKey = celString(`${WAIVER_ANNOTATION_PREFIX}${check.ruleId}`);
  const out = [
    { name: 'annotations', expression: 'has(object.metadata.annotations) ? object.metadata.annotations : {}' },
    { name: 'waived', expression: waivedBy(waiverKey) },
  ];
  if (check.target !== Target.POD_TEMPLATES && check.target !== Target.LONG_RUNNING) return out;
  out.push({
    name: 'spec',
    expression: "object.kind == 'Pod' ? object.spec : object.kind == 'CronJob' ? object.spec.jobTemplate.spec.template.spec : object.kind == 'PodTemplate' ? object.template.spec : object.spec.template.spec",
  });
  if (check.container !== undefined) {
    const set = check.containers ?? ContainerSet.SECURITY;
    out.push({ name: 'offenders', expression: `(${CONTAINER_LISTS[set]}).filter(c, !${containerWaived(check.ruleId)} && !(${check.container})).map(c, c.name)` });
    out.push({ name: 'containerWaivers', expression: containerWaiversOf(check.ruleId) });
  }
  return out;
}

/** The API server's own identity (its loopback client), which reconciles the built-in roles and bindings at every start. */
export const API_SERVER_USER = 'system:apiserver';
/** The controller that writes the rules of aggregated ClusterRoles (`aggregationRule`) from the roles they select. */
export const ROLE_AGGREGATION_CONTROLLER = 'system:serviceaccount:kube-system:clusterrole-aggregation-controller';

/**
 * When a policy looks at a request at all: not for an object being deleted; not for the API
 * server's own requests (it reconciles the built-in ClusterRoles such as cluster-admin and
 * system:controller:*, which grant what the rules forbid, and must keep doing so on every
 * upgrade); and for role rules, not for the aggregation controller filling in an aggregated
 * ClusterRole (its rules are the union of roles that passed their own admission).
 */
function matchConditions(check: AdmissionCheck): Array<{ name: string; expression: string }> {
  return [
    { name: 'not-being-deleted', expression: '!has(object.metadata.deletionTimestamp)' },
    { name: 'created-or-judged-part-changed', expression: `request.operation != 'UPDATE' || oldObject == null || ${judgedPartChanged(check.target)}` },
    { name: 'not-the-api-server-itself', expression: `request.userInfo.username != ${celString(API_SERVER_USER)}` },
    ...(check.target === Target.ROLES
      ? [{ name: 'not-role-aggregation', expression: `object.kind != 'ClusterRole' || !has(object.aggregationRule) || request.userInfo.username != ${celString(ROLE_AGGREGATION_CONTROLLER)}` }]
      : []),
  ];
}

/** `o.metadata.<field>`, `{}` when absent. */
function metadataMap(o: string, field: 'annotations' | 'labels'): string {
  return `(has(${o}.metadata.${field}) ? ${o}.metadata.${field} : {})`;
}

/**
 * Whether an UPDATE changes what the rules of `target` read (and the object's own annotations,
 * where waivers live). An UPDATE that changes nothing of it is not judged again: controllers
 * update what they own all the time — the deployment controller scales a ReplicaSet by a full
 * update, the garbage collector patches owner references — and a workload created before the
 * policies, or while a waiver held, must keep working until its Pod template changes.
 */
export function judgedPartChanged(target: Target): string {
  // Booleans only: every branch of a conditional has one type for the server's type checker.
  const annotations = `${metadataMap('object', 'annotations')} != ${metadataMap('oldObject', 'annotations')}`;
  const field = (path: string) => `(has(object.${path}) != has(oldObject.${path}) || (has(object.${path}) && object.${path} != oldObject.${path}))`;
  switch (target) {
    case Target.POD_TEMPLATES:
    case Target.LONG_RUNNING:
    case Target.PODS:
      return `(${annotations} || (object.kind == 'Pod' ? object.spec != oldObject.spec`
        + ' : object.kind == \'CronJob\' ? object.spec.jobTemplate.spec.template != oldObject.spec.jobTemplate.spec.template'
        + ' : object.kind == \'PodTemplate\' ? object.template != oldObject.template : object.spec.template != oldObject.spec.template))';
    case Target.NAMESPACES: return `(${annotations} || ${metadataMap('object', 'labels')} != ${metadataMap('oldObject', 'labels')})`;
    case Target.ROLES: return `(${annotations} || ${field('rules')})`;
    case Target.BINDINGS: return `(${annotations} || object.roleRef != oldObject.roleRef || ${field('subjects')})`;
    default: return `(${annotations} || ${field('spec')})`;
  }
}

/** `variables.message`, cut to MESSAGE_LIMIT characters. */
const CAPPED_MESSAGE = `variables.message.size() > ${MESSAGE_LIMIT} ? variables.message.substring(0, ${MESSAGE_LIMIT - 1}) + '…' : variables.message`;

/** The ValidatingAdmissionPolicy of one rule. */
export function validatingPolicy(general: AdmissionCheck, target: KubernetesTarget): AdmissionObject {
  const check = checkOn(general, target);
  const rule = ruleOf(check.ruleId);
  const passes = [check.passes, check.container !== undefined ? 'size(variables.offenders) == 0' : undefined].filter((p): p is string => p !== undefined).map(p => `(${p})`).join(' && ');
  const what = "object.kind + ' ' + (has(object.metadata.namespace) ? object.metadata.namespace + '/' : '') + (has(object.metadata.name) ? object.metadata.name : '')";
  const detail = check.container !== undefined
    ? `(size(variables.offenders) > 0 ? ' container(s) ' + variables.offenders.join(', ') + ' ${check.offence.replace(/'/g, "\\'")}' : ' ${check.offence.replace(/'/g, "\\'")}')`
    : `' ${check.offence.replace(/'/g, "\\'")}'`;
  const message = `${celString(`${rule.id} (${rule.title}): `)} + ${what} + ':' + ${detail} + ${celString(`; fix: ${rule.fix}`)}`;
  return {
    apiVersion: admissionApiVersion(target),
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: policyName(rule.id), labels: { [RULE_LABEL]: rule.id } },
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: { resourceRules: resourceRules(check, target) },
      matchConditions: matchConditions(check),
      variables: [...variables(check), { name: 'message', expression: message }],
      validations: [{
        expression: `variables.waived || (${passes})`,
        message: `${rule.id} (${rule.title}): fix: ${rule.fix}`,
        messageExpression: CAPPED_MESSAGE,
        reason: 'Forbidden',
      }],
      auditAnnotations: [
        { key: 'rule', valueExpression: celString(rule.id) },
        { key: 'waived', valueExpression: `variables.waived ? variables.annotations[${celString(`${WAIVER_ANNOTATION_PREFIX}${rule.id}`)}] : null` },
        ...(check.container !== undefined ? [{ key: 'waived-containers', valueExpression: CONTAINER_WAIVERS_RECORDED }] : []),
      ],
    },
  };
}

/**
 * The container-scoped waivers of `ruleId` the object carries, as `<container>: <reason>; …`, for
 * the audit log (which records them as it records the object's own waiver).
 */
function containerWaiversOf(ruleId: string): string {
  const suffix = `${CONTAINER_WAIVER_INFIX}${ruleId}`;
  return `variables.annotations.filter(k, k.endsWith(${celString(suffix)}) && k.size() > ${suffix.length} && variables.annotations[k].trim() != '')`
    + `.map(k, k.substring(0, k.size() - ${suffix.length}) + ': ' + variables.annotations[k]).join('; ')`;
}

/** The audit annotation of the container-scoped waivers: null without any, cut to MESSAGE_LIMIT characters. */
const CONTAINER_WAIVERS_RECORDED = `variables.containerWaivers.size() == 0 ? null : variables.containerWaivers.size() > ${MESSAGE_LIMIT} ? variables.containerWaivers.substring(0, ${MESSAGE_LIMIT - 1}) + '…' : variables.containerWaivers`;

/** The validation actions of a severity: error → Deny and Audit, warning → Warn and Audit, info → Audit. */
export function actionsOf(severity: Severity): string[] {
  if (severity === Severity.ERROR) return ['Deny', 'Audit'];
  if (severity === Severity.WARNING) return ['Warn', 'Audit'];
  return ['Audit'];
}

/** The cluster-scoped resource of a target that also matches namespaced objects: the unlabelled profile's binding alone judges it. */
const CLUSTER_SCOPED_OF: Partial<Record<Target, string>> = { [Target.BINDINGS]: 'clusterrolebindings', [Target.ROLES]: 'clusterroles' };

/**
 * The namespace selector of `profile`'s bindings: the namespaces labelled with it (and, for the
 * `unlabelled` profile, those labelled with no profile), outside the system namespaces.
 */
export function profileNamespaces(profile: Profile, unlabelled: Profile, excluded: readonly string[] = []): Record<string, unknown> {
  const others = Object.values(Profile).filter(p => p !== profile);
  return {
    matchExpressions: [
      profile === unlabelled ? { key: PROFILE_LABEL, operator: 'NotIn', values: others } : { key: PROFILE_LABEL, operator: 'In', values: [profile] },
      { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...new Set([...SYSTEM_NAMESPACES, ...excluded])] },
    ],
  };
}

/**
 * The bindings of one rule: per profile under which it is on, one binding with the actions of its
 * severity there, selecting the namespaces of that profile (outside the system namespaces); a
 * Deny binding has a sibling Warn binding, so that one answer lists every failure, not only the
 * first denial.
 */
export function policyBindings(check: AdmissionCheck, target: KubernetesTarget, options: AdmissionPolicyOptions = {}): AdmissionObject[] {
  const rule = ruleOf(check.ruleId);
  const unlabelled = options.unlabelled ?? Profile.PRODUCTION;
  const profiles = Object.values(Profile);
  const out: AdmissionObject[] = [];
  for (const profile of profiles) {
    const severity = severityUnder(rule, profile);
    if (severity === undefined) continue;
    // A namespace selector does not apply to cluster-scoped objects (but Namespaces): one profile judges them.
    if (check.target === Target.PERSISTENT_VOLUMES && profile !== unlabelled) continue;
    // A ClusterRoleBinding matches every binding (the selector never skips a cluster-scoped object): the unlabelled profile's alone judges it.
    const clusterScoped = CLUSTER_SCOPED_OF[check.target];
    const excluded = clusterScoped !== undefined && profile !== unlabelled
      ? { excludeResourceRules: [{ apiGroups: ['rbac.authorization.k8s.io'], apiVersions: ['*'], operations: ['*'], resources: [clusterScoped], scope: 'Cluster' }] } : {};
    const selector = profileNamespaces(profile, unlabelled, options.excludeNamespaces);
    const binding = (suffix: string, actions: string[]): AdmissionObject => ({
      apiVersion: admissionApiVersion(target),
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: `${policyName(rule.id)}-${profile}${suffix}`, labels: { [RULE_LABEL]: rule.id, [PROFILE_LABEL]: profile } },
      spec: { policyName: policyName(rule.id), validationActions: actions, matchResources: { namespaceSelector: selector, ...excluded } },
    });
    const actions = actionsOf(severity);
    out.push(binding('', actions));
    if (actions.includes('Deny')) out.push(binding('-warn', ['Warn']));
  }
  return out;
}

/**
 * Every generated ValidatingAdmissionPolicy with its bindings, for `target`: one policy per rule
 * (named and labelled after its id), `admissionregistration.k8s.io/v1` from 1.30 and `v1beta1`
 * before (see `V1BETA1_REQUIREMENT`).
 */
export function admissionPolicies(target: KubernetesTarget, options: AdmissionPolicyOptions = {}): AdmissionObject[] {
  checkExcludedNamespaces(options);
  const wanted = options.rules === undefined ? undefined : new Set(options.rules);
  for (const id of wanted ?? []) {
    const check = ADMISSION_CHECKS.find(c => c.ruleId === id);
    if (!check) {
      throw new Error(`rule ${JSON.stringify(id)} has no admission policy; rules with one: ${ADMISSION_CHECKS.map(c => c.ruleId).join(', ')}`);
    }
    if (check.needs !== undefined && !target.has(check.needs)) {
      throw new Error(`rule ${JSON.stringify(id)} has an admission policy from Kubernetes 1.${CAPABILITIES[check.needs].since} only (${CAPABILITIES[check.needs].why}); the target is ${target}`);
    }
  }
  // A check needing a feature the target lacks has no policy there.
  return ADMISSION_CHECKS.filter(c => (!wanted || wanted.has(c.ruleId)) && (c.needs === undefined || target.has(c.needs))).flatMap(c => [validatingPolicy(c, target), ...policyBindings(c, target, options)]);
}

/** Why `excluded` is not a list of namespace names, or undefined. */
export function excludedNamespacesProblem(excluded: unknown): string | undefined {
  if (excluded === undefined) return undefined;
  if (!Array.isArray(excluded)) return `must be a list of namespace names, got ${JSON.stringify(excluded)}`;
  for (const name of excluded) {
    const problem = dns1123LabelProblem(name);
    if (problem) return `${JSON.stringify(name)} ${problem}`;
  }
  return undefined;
}

/** Throws when `options.excludeNamespaces` is not a list of namespace names. */
export function checkExcludedNamespaces(options: { readonly excludeNamespaces?: readonly string[] }): void {
  const problem = excludedNamespacesProblem(options.excludeNamespaces);
  if (problem) throw new Error(`excludeNamespaces ${problem}`);
}

/** The catalog rule of an admission check or mutation. */
export function ruleOf(id: string): Rule {
  const rule = RULES_BY_ID.get(id);
  if (!rule) throw new Error(`admission policy for unknown rule ${id}`);
  return rule;
}
