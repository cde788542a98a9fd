/**
 * Opt-in MutatingAdmissionPolicies: defaults with no choice in them, each tied to the rule whose
 * ValidatingAdmissionPolicy it makes pass. A mutation only fills in a field nobody set, with the
 * one value the rule accepts that needs no knowledge of the workload: it never sets a user or
 * group ID, never changes a value someone set (an explicit `Unconfined` or
 * `allowPrivilegeEscalation: true` is left for the validating policy to judge), never adds
 * containers, volumes or resources, and leaves alone what a waiver covers.
 *
 * Each mutation is a server-side-apply configuration (`patchType: ApplyConfiguration`): the API
 * server merges it into the object, so what is not in it stays as it is, and applying it twice
 * changes nothing (`reinvocationPolicy: IfNeeded` is safe, and lets the default reach a container
 * another mutating admission plugin adds later).
 */

import { Profile, PROFILE_LABEL, severityUnder } from '../rules/profile';
import { WAIVER_ANNOTATION_PREFIX } from '../rules/waiver';
import { CAPABILITIES, Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { celString, containerWaived, present, waivedBy } from './cel';
import { ContainerSet, Target } from './checks';
import { AdmissionObject, checkExcludedNamespaces, CONTAINER_LISTS, INIT_CONTAINERS, judgedPartChanged, policyName, profileNamespaces, RULE_LABEL, ruleOf, WORKLOAD_RESOURCES } from './policies';

/** The feature gate and runtime config a 1.34–1.35 API server needs for the v1beta1 mutating policies. */
export const MUTATING_V1BETA1_REQUIREMENT = 'the API server needs --feature-gates=MutatingAdmissionPolicy=true and --runtime-config=admissionregistration.k8s.io/v1beta1=true';

/** The admissionregistration API version of the mutating policies on `target`, or undefined where seaworthy writes none. */
export function mutatingApiVersion(target: KubernetesTarget): string | undefined {
  if (target.has(Feature.MUTATING_ADMISSION_POLICY)) return 'admissionregistration.k8s.io/v1';
  if (target.has(Feature.MUTATING_ADMISSION_POLICY_BETA)) return 'admissionregistration.k8s.io/v1beta1';
  return undefined;
}

/** Why `target` gets no mutating policies, or undefined when it gets them. */
export function mutatingRefusal(target: KubernetesTarget): string | undefined {
  if (mutatingApiVersion(target) !== undefined) return undefined;
  const beta = `1.${CAPABILITIES[Feature.MUTATING_ADMISSION_POLICY_BETA].since}`;
  const ga = `1.${CAPABILITIES[Feature.MUTATING_ADMISSION_POLICY].since}`;
  return `mutating admission policies need Kubernetes ${beta} (admissionregistration.k8s.io/v1beta1, behind the MutatingAdmissionPolicy feature gate) or ${ga} (v1); `
    + `the target is ${target.version}, whose API server has at most the alpha v1alpha1 API: leave the mutating policies out, or target ${beta} or later`;
}

/** Where the Pod spec of each kind with a Pod template is, as field paths. */
const POD_SPEC_PATHS: ReadonlyArray<{ readonly kind: string | undefined; readonly path: readonly string[] }> = [
  { kind: 'Pod', path: ['spec'] },
  { kind: 'CronJob', path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
  { kind: 'PodTemplate', path: ['template', 'spec'] },
  // Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job.
  { kind: undefined, path: ['spec', 'template', 'spec'] },
];

/** A CEL expression choosing, by `object.kind`, one of `byPath(path)`. */
function byKind(byPath: (path: readonly string[]) => string): string {
  return POD_SPEC_PATHS.map(({ kind, path }) => kind === undefined ? byPath(path) : `object.kind == ${celString(kind)} ? ${byPath(path)} : `).join('');
}

/** The CEL type name of the object's field at `path`: `Object.spec.template`. */
function typeAt(path: readonly string[]): string {
  return ['Object', ...path].join('.');
}

/**
 * An apply configuration (`Object{spec: Object.spec{…}}`) setting, in the object's Pod spec
 * (wherever its kind has it), the fields `podSpec` lists; `podSpec` gets the CEL type name of the
 * Pod spec.
 */
function applyToPodSpec(podSpec: (type: string) => string): string {
  // Parenthesised: CEL's grammar takes no conditional unbracketed between `?` and `:`.
  return `(${byKind(path => {
    let out = `${typeAt(path)}{${podSpec(typeAt(path))}}`;
    for (let i = path.length - 1; i >= 0; i--) out = `${typeAt(path.slice(0, i))}{${path[i]}: ${out}}`;
    return out;
  })})`;
}

/** The empty apply configuration: changes nothing. */
const NOTHING = 'Object{}';

/** One rule's default, as a mutation. */
export interface AdmissionMutation {
  /** The rule whose validating policy the mutated object passes. */
  readonly ruleId: string;
  /** What is set, for the docs and the CLI. */
  readonly sets: string;
  /** Why the default leaves nobody a choice to make. */
  readonly choiceFree: string;
  /** Variables of the policy after the shared ones (`annotations`, `waived`, `spec`, `podAnnotations`, `windows`). */
  readonly variables: ReadonlyArray<{ readonly name: string; readonly expression: string }>;
  /** The apply configuration expressions, in order; each yields `Object{}` when it has nothing to set. */
  readonly mutations: readonly string[];
}

/** The containers a Pod spec runs (init, regular and ephemeral), as the validating policies read them. */
const ALL_CONTAINERS = `(${CONTAINER_LISTS[ContainerSet.SECURITY]})`;
const SECCOMP_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const CONTAINER_SECCOMP_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

/** The container list `list` of the Pod spec, `[]` when absent. */
function listOf(list: 'containers' | 'initContainers'): string {
  return list === 'containers' ? 'variables.spec.containers' : INIT_CONTAINERS;
}

/**
 * A container `c` that may get `allowPrivilegeEscalation: false`: it sets no value, is not
 * privileged and adds no CAP_SYS_ADMIN (the server refuses `false` with either), and is not waived.
 */
const ESCALATION_UNSET = `!${present('c.securityContext.allowPrivilegeEscalation')}`
  + ` && !(${present('c.securityContext.privileged')} && c.securityContext.privileged == true)`
  + ` && !(${present('c.securityContext.capabilities.add')} && c.securityContext.capabilities.add.exists(x, x == 'SYS_ADMIN' || x == 'CAP_SYS_ADMIN'))`
  + ` && !${containerWaived('SW-SEC-011')}`;

/** The defaults generated as MutatingAdmissionPolicies. */
export const ADMISSION_MUTATIONS: readonly AdmissionMutation[] = [
  {
    ruleId: 'SW-SEC-009',
    sets: 'the Pod\'s securityContext.seccompProfile to RuntimeDefault when the Pod sets none and a container has none of its own',
    choiceFree: 'RuntimeDefault is the container runtime\'s own profile, the one the kubelet applies by default with --seccomp-default; '
      + 'the only other passing value, Localhost, names a profile file on the node, a choice. A container\'s own profile still wins over the Pod\'s, so a container that set one keeps it',
    variables: [
      { name: 'unset', expression: `${ALL_CONTAINERS}.filter(c, !${present('c.securityContext.seccompProfile')})` },
      {
        name: 'mutate',
        // Not for: a waived object or unset container, a Windows Pod (the server refuses the
        // field), a Pod whose seccomp annotations still speak (a field must agree with them).
        expression: `!variables.waived && !variables.windows && !${present('variables.spec.securityContext.seccompProfile')} && size(variables.unset) > 0`
          + ` && !variables.unset.exists(c, ${containerWaived('SW-SEC-009')})`
          + ` && !variables.podAnnotations.exists(k, k == ${celString(SECCOMP_ANNOTATION)} || k.startsWith(${celString(CONTAINER_SECCOMP_ANNOTATION_PREFIX)}))`,
      },
    ],
    mutations: [
      `variables.mutate ? ${applyToPodSpec(t => `securityContext: ${t}.securityContext{seccompProfile: ${t}.securityContext.seccompProfile{type: 'RuntimeDefault'}}`)} : ${NOTHING}`,
    ],
  },
  {
    ruleId: 'SW-SEC-011',
    sets: 'allowPrivilegeEscalation: false on every init and regular container that sets none (not on a privileged one, nor one adding CAP_SYS_ADMIN)',
    choiceFree: 'false is the one value the rule and Pod Security "restricted" accept; a container that needs setuid binaries says allowPrivilegeEscalation: true, '
      + 'which is never changed (and which its waiver covers)',
    variables: [
      { name: 'off', expression: 'variables.waived || variables.windows' },
      { name: 'containersUnset', expression: `variables.off ? [] : ${listOf('containers')}.filter(c, ${ESCALATION_UNSET}).map(c, c.name)` },
      { name: 'initContainersUnset', expression: `variables.off ? [] : ${listOf('initContainers')}.filter(c, ${ESCALATION_UNSET}).map(c, c.name)` },
    ],
    // One mutation per list: an apply configuration never carries an empty list.
    mutations: (['containers', 'initContainers'] as const).map(list => `size(variables.${list}Unset) == 0 ? ${NOTHING} : ${applyToPodSpec(t => `${list}: variables.${list}Unset.map(n, ${t}.${list}{name: n, securityContext: ${t}.${list}.securityContext{allowPrivilegeEscalation: false}})`)}`),
  },
];

/** The variables every mutating policy starts with. */
function sharedVariables(ruleId: string): Array<{ name: string; expression: string }> {
  const waiverKey = celString(`${WAIVER_ANNOTATION_PREFIX}${ruleId}`);
  const annotationsAt = (path: readonly string[]) => {
    const meta = ['object', ...path.slice(0, -1), 'metadata'].join('.');
    return `(${present(`${meta}.annotations`)} ? ${meta}.annotations : {})`;
  };
  return [
    { name: 'annotations', expression: 'has(object.metadata.annotations) ? object.metadata.annotations : {}' },
    { name: 'waived', expression: waivedBy(waiverKey) },
    { name: 'spec', expression: byKind(path => ['object', ...path].join('.')) },
    { name: 'podAnnotations', expression: byKind(annotationsAt) },
    { name: 'windows', expression: `${present('variables.spec.os.name')} && variables.spec.os.name == 'windows'` },
  ];
}

/** The resources a mutating policy matches: controllers on CREATE and UPDATE, Pods on CREATE (a Pod's securityContext cannot change later). */
function resourceRules(): Array<Record<string, unknown>> {
  const rule = (apiGroups: string[], resources: string[], operations: string[]) => ({ apiGroups, apiVersions: ['*'], operations, resources, scope: 'Namespaced' });
  // Not ReplicaSets: a Deployment's controller finds its ReplicaSet by comparing Pod templates,
  // and one the policy changed behind its back matches no template, so it would create another,
  // and another. The Deployment's template is defaulted at its own admission instead.
  const controllers = WORKLOAD_RESOURCES.map(r => ({ ...r, resources: r.resources.filter(x => x !== 'replicasets') })).filter(r => r.resources.length > 0);
  return [...controllers.map(r => rule(r.apiGroups, r.resources, ['CREATE', 'UPDATE'])), rule([''], ['pods'], ['CREATE'])];
}

/** The name of a rule's mutating policy: `seaworthy-default-sw-sec-009`. */
export function mutatingPolicyName(ruleId: string): string {
  return policyName(ruleId).replace(/^seaworthy-/, 'seaworthy-default-');
}

/** The MutatingAdmissionPolicy of one default, for `target` (which must have one: see `mutatingRefusal`). */
export function mutatingPolicy(mutation: AdmissionMutation, target: KubernetesTarget): AdmissionObject {
  const apiVersion = apiVersionOrThrow(target);
  return {
    apiVersion,
    kind: 'MutatingAdmissionPolicy',
    metadata: { name: mutatingPolicyName(mutation.ruleId), labels: { [RULE_LABEL]: mutation.ruleId } },
    spec: {
      // A default that cannot be applied leaves the object to the validating policy, which judges it either way.
      failurePolicy: 'Ignore',
      reinvocationPolicy: 'IfNeeded',
      matchConstraints: { resourceRules: resourceRules() },
      matchConditions: [
        { name: 'not-being-deleted', expression: '!has(object.metadata.deletionTimestamp)' },
        // An update that leaves the Pod template alone (a label, a scale, an owner reference) is
        // not changed into one that rolls every Pod of a workload made before the policy.
        { name: 'created-or-template-changed', expression: `request.operation != 'UPDATE' || oldObject == null || ${judgedPartChanged(Target.POD_TEMPLATES)}` },
      ],
      variables: [...sharedVariables(mutation.ruleId), ...mutation.variables],
      mutations: mutation.mutations.map(expression => ({ patchType: 'ApplyConfiguration', applyConfiguration: { expression } })),
    },
  };
}

/** The bindings of one default: one per profile under which its rule is on, selecting the same namespaces as the rule's validating bindings. */
export function mutatingBindings(mutation: AdmissionMutation, target: KubernetesTarget, unlabelled: Profile = Profile.PRODUCTION, excluded: readonly string[] = []): AdmissionObject[] {
  const apiVersion = apiVersionOrThrow(target);
  const rule = ruleOf(mutation.ruleId);
  return Object.values(Profile).filter(profile => severityUnder(rule, profile) !== undefined).map(profile => ({
    apiVersion,
    kind: 'MutatingAdmissionPolicyBinding',
    metadata: { name: `${mutatingPolicyName(rule.id)}-${profile}`, labels: { [RULE_LABEL]: rule.id, [PROFILE_LABEL]: profile } },
    spec: { policyName: mutatingPolicyName(rule.id), matchResources: { namespaceSelector: profileNamespaces(profile, unlabelled, excluded) } },
  }));
}

/** Options of `mutatingPolicies()`. */
export interface MutatingPolicyOptions {
  /**
   * The profile of namespaces without the `seaworthy.dev/profile` label.
   * @default Profile.PRODUCTION
   */
  readonly unlabelled?: Profile;
  /**
   * Only the defaults of these rule ids; ids without a default are skipped.
   * @default - every default
   */
  readonly rules?: readonly string[];
  /**
   * Namespaces no binding applies to, beside the system namespaces.
   * @default - the system namespaces only
   */
  readonly excludeNamespaces?: readonly string[];
}

/**
 * Every MutatingAdmissionPolicy with its bindings, for `target`: `admissionregistration.k8s.io/v1`
 * where MutatingAdmissionPolicy is GA, `v1beta1` where it is beta (see
 * `MUTATING_V1BETA1_REQUIREMENT`); throws for a target with neither (`mutatingRefusal`).
 */
export function mutatingPolicies(target: KubernetesTarget, options: MutatingPolicyOptions = {}): AdmissionObject[] {
  apiVersionOrThrow(target);
  checkExcludedNamespaces(options);
  const wanted = options.rules === undefined ? undefined : new Set(options.rules);
  return ADMISSION_MUTATIONS.filter(m => !wanted || wanted.has(m.ruleId)).flatMap(m => [mutatingPolicy(m, target), ...mutatingBindings(m, target, options.unlabelled, options.excludeNamespaces)]);
}

function apiVersionOrThrow(target: KubernetesTarget): string {
  const apiVersion = mutatingApiVersion(target);
  if (apiVersion === undefined) throw new Error(mutatingRefusal(target));
  return apiVersion;
}
