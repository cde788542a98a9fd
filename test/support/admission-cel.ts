import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { requestOf } from './admission-request';
import { K8S_CEL_FUNCS } from './k8s-cel-lib';

/**
 * Offline evaluation of generated ValidatingAdmissionPolicies with @bufbuild/cel, as the API
 * server does it: match the object against `matchConstraints` (resource rules, by kind) and
 * `matchConditions`, compute `variables` in order, then each `validations[].expression`, and
 * the `messageExpression` of a failed one. `request` is sent by the requester `withRequester`
 * sets (test/support/admission-request.ts); `oldObject` is given for an UPDATE, null otherwise.
 */

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

const env = celEnv({ funcs: [...K8S_CEL_FUNCS] });
const PROGRAMS = new Map<string, ReturnType<typeof plan>>();

/** kind → [apiGroup, resource], for the kinds the generated policies match. */
export const RESOURCE_OF_KIND: Readonly<Record<string, readonly [string, string]>> = {
  Pod: ['', 'pods'], PodTemplate: ['', 'podtemplates'], ReplicationController: ['', 'replicationcontrollers'], Service: ['', 'services'],
  Deployment: ['apps', 'deployments'], StatefulSet: ['apps', 'statefulsets'], DaemonSet: ['apps', 'daemonsets'], ReplicaSet: ['apps', 'replicasets'],
  Job: ['batch', 'jobs'], CronJob: ['batch', 'cronjobs'], Ingress: ['networking.k8s.io', 'ingresses'],
  PodDisruptionBudget: ['policy', 'poddisruptionbudgets'], RoleBinding: ['rbac.authorization.k8s.io', 'rolebindings'],
  ClusterRoleBinding: ['rbac.authorization.k8s.io', 'clusterrolebindings'], Role: ['rbac.authorization.k8s.io', 'roles'], ClusterRole: ['rbac.authorization.k8s.io', 'clusterroles'],
  PersistentVolumeClaim: ['', 'persistentvolumeclaims'], Namespace: ['', 'namespaces'], PersistentVolume: ['', 'persistentvolumes'],
  // A CRD: the policies match it where the VerticalPodAutoscaler CRD is installed.
  VerticalPodAutoscaler: ['autoscaling.k8s.io', 'verticalpodautoscalers'],
};

/** The outcome of one policy on one object. */
export interface PolicyOutcome {
  /** The policy applies to the object (constraints and conditions). */
  readonly matched: boolean;
  /** Every validation passed (true when not matched). */
  readonly allowed: boolean;
  /** The messageExpression's result of the first failed validation. */
  readonly message?: string;
}

/** Compiles and evaluates a CEL expression; throws on a compile or evaluation error. */
export function evaluateCel(expression: string, bindings: Record<string, unknown>): unknown {
  let program = PROGRAMS.get(expression);
  if (!program) {
    program = plan(env, parse(expression));
    PROGRAMS.set(expression, program);
  }
  const result = program(bindings as never);
  if (isCelError(result)) throw new Error(`CEL error in ${expression}: ${String((result as { message?: string }).message ?? result)}`);
  return result;
}

/** Whether the object (created with `operation`, or updated through `subresource`) falls under the policy's resource rules. */
export function matchesConstraints(policy: Json, object: Json, operation = 'CREATE', subresource?: string): boolean {
  const ref = RESOURCE_OF_KIND[object?.kind];
  if (!ref) return false;
  const resource = subresource ? `${ref[1]}/${subresource}` : ref[1];
  return (policy.spec.matchConstraints.resourceRules as Json[]).some(r => r.apiGroups.includes(ref[0]) && r.resources.includes(resource) && r.operations.includes(operation));
}

/** The policy's verdict on `object`. */
export function evaluatePolicy(policy: Json, object: Json, operation = 'CREATE', subresource?: string, oldObject?: Json): PolicyOutcome {
  if (!matchesConstraints(policy, object, operation, subresource)) return { matched: false, allowed: true };
  const bindings = bindingsOf(object, operation, oldObject);
  for (const c of policy.spec.matchConditions ?? []) if (evaluateCel(c.expression, bindings) !== true) return { matched: false, allowed: true };
  const scope = withVariables(policy, bindings);
  for (const v of policy.spec.validations) {
    const ok = evaluateCel(v.expression, scope);
    if (ok !== true) {
      const message = v.messageExpression ? evaluateCel(v.messageExpression, scope) : v.message;
      return { matched: true, allowed: false, message: String(message) };
    }
  }
  // Audit annotations must evaluate too (a string or null).
  auditAnnotationsIn(policy, scope);
  return { matched: true, allowed: true };
}

/** The audit annotations `policy` records in `scope` (its bindings and variables), null ones left out. */
function auditAnnotationsIn(policy: Json, scope: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of policy.spec.auditAnnotations ?? []) {
    const value = evaluateCel(a.valueExpression, scope);
    if (value !== null && typeof value !== 'string') throw new Error(`audit annotation ${a.key} is ${String(value)}, not a string or null`);
    if (typeof value === 'string') out[a.key] = value;
  }
  return out;
}

/** The audit annotations `policy` records for `object` (created), as the API server adds them to its audit event. */
export function auditAnnotationsOf(policy: Json, object: Json): Record<string, string> {
  return auditAnnotationsIn(policy, withVariables(policy, bindingsOf(object, 'CREATE')));
}

/** What an expression sees of a request: the object, the old object (null but for an UPDATE) and `request`. */
export function bindingsOf(object: Json, operation: string, oldObject?: Json): Record<string, unknown> {
  return { object, oldObject: oldObject ?? null, request: requestOf(operation, object?.metadata?.namespace ?? '') };
}

/** `bindings` with the policy's `variables`, computed in order. */
function withVariables(policy: Json, bindings: Record<string, unknown>): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const v of policy.spec.variables ?? []) variables[v.name] = evaluateCel(v.expression, { ...bindings, variables });
  return { ...bindings, variables };
}

/** List sizes a cost estimate assumes, by the last field name of a comprehension's range. */
export interface CostSizes {
  /** Containers of all kinds together. */
  readonly containers: number;
  /** Longest list of any other kind (volumes, ports, env, capabilities …). */
  readonly lists: number;
  /** Longest string. */
  readonly strings: number;
}

/** Functions whose cost cel-go counts per character (about 0.1 per character), not per call. */
const STRING_FUNCS = new Set(['matches', 'contains', 'startsWith', 'endsWith', 'trim', 'join', 'substring', 'size', '_+_', '@in', 'lowerAscii']);
const CONTAINER_FIELDS = new Set(['containers', 'initContainers', 'ephemeralContainers', 'offenders']);

/**
 * An upper bound of the runtime cost of `expression` on an object with lists and strings no
 * larger than `sizes`, in cel-go's units: one per node evaluated, one per tenth of the characters
 * a string function reads (times a quarter of the pattern's length for `matches`), every
 * comprehension's body once per element of its range.
 */
export function estimateCost(expression: string, sizes: CostSizes): number {
  const sizeOf = (e: Json): number => {
    const k = e.exprKind;
    if (k.case === 'selectExpr') return CONTAINER_FIELDS.has(k.value.field) ? sizes.containers : sizes.lists;
    if (k.case === 'callExpr' && k.value.function === '_+_') return k.value.args.reduce((n: number, a: Json) => n + sizeOf(a), 0);
    if (k.case === 'callExpr' && k.value.function === '_?_:_') return Math.max(sizeOf(k.value.args[1]), sizeOf(k.value.args[2]));
    if (k.case === 'comprehensionExpr') return sizeOf(k.value.iterRange);
    if (k.case === 'listExpr') return k.value.elements.length;
    return sizes.containers;
  };
  const cost = (e: Json): number => {
    if (!e?.exprKind) return 0;
    const k = e.exprKind;
    switch (k.case) {
      case 'constExpr': case 'identExpr': return 1;
      case 'selectExpr': return 1 + cost(k.value.operand);
      case 'listExpr': return 1 + k.value.elements.reduce((n: number, a: Json) => n + cost(a), 0);
      case 'structExpr': return 1 + k.value.entries.reduce((n: number, en: Json) => n + cost(en.value) + (en.keyKind?.value ? cost(en.keyKind.value) : 0), 0);
      case 'callExpr': {
        const args = k.value.args.reduce((n: number, a: Json) => n + cost(a), 0) + cost(k.value.target);
        // join reads a list of strings (of container names); the others one string.
        const read = k.value.function === 'join' ? sizes.strings * sizes.containers : sizes.strings;
        const perChar = STRING_FUNCS.has(k.value.function) ? Math.ceil(read * 0.1) : 0;
        // cel-go counts a regular expression match as string cost × a quarter of the pattern's length.
        const pattern = k.value.function === 'matches' ? k.value.args[0]?.exprKind?.value?.constantKind?.value : undefined;
        // The lists library's indexOf compares with every element of its list (counted for a string's indexOf too: a bound).
        const perElement = k.value.function === 'indexOf' ? sizes.lists : 0;
        return 1 + args + perElement + (typeof pattern === 'string' ? perChar * Math.ceil(pattern.length * 0.25) : perChar);
      }
      case 'comprehensionExpr': {
        const c = k.value;
        return cost(c.iterRange) + cost(c.accuInit) + sizeOf(c.iterRange) * (cost(c.loopCondition) + cost(c.loopStep)) + cost(c.result);
      }
      default: return 1;
    }
  };
  return cost(parse(expression).expr);
}
