import { MIRROR_POD_ANNOTATION } from '../rules/families/scheduling';
import { celString, orElse, present } from './cel';

/**
 * SW-SCHED-002, SW-VOL-003, SW-JOB-005, SW-VPA-004 and SW-VPA-005 in CEL, read as the audit reads
 * them on one object (src/audit/checks/pod.ts `checkNodeName` and `checkContainerShape`,
 * src/rules/families/batch.ts `ignoresDisruptions`, src/audit/checks/vertical.ts with its target
 * out of view). Quantities are compared with the Kubernetes quantity library (`quantity()`,
 * `isQuantity()`), which the API server offers new expressions from 1.29 (`Feature.CEL_QUANTITY`).
 */

/** A quantity value `x` (a CEL expression: a string, or an integer in a CRD's int-or-string field) as a Quantity. */
function quantityOf(x: string): string {
  return `quantity(type(${x}) == string ? ${x} : string(${x}))`;
}

/** `x` is a number (an int-or-string field holding an integer): the audit reads its text as a quantity. */
const NUMBER = (x: string) => `(type(${x}) == int || type(${x}) == uint || type(${x}) == double)`;

/** Whether `x` (a string or an integer) is a valid quantity; the audit leaves out the others. */
function isQuantityValue(x: string): string {
  return `(type(${x}) == string ? isQuantity(${x}) : ${NUMBER(x)})`;
}

/**
 * SW-SCHED-002: no nodeName, except on a mirror Pod, which the kubelet creates for a static Pod
 * (it carries the node's name and the `kubernetes.io/config.mirror` annotation). A Pod that only
 * claims to be one gains nothing: the kubelet runs no Pod of the API with that annotation, and
 * deletes it when no static Pod of its node matches it.
 */
export const NO_NODE_NAME = '!has(variables.spec.nodeName) || variables.spec.nodeName == \'\''
  + ` || (object.kind == 'Pod' && ${celString(MIRROR_POD_ANNOTATION)} in variables.annotations)`;

/**
 * SW-VOL-003: no container (init or regular) with a memory limit mounts a memory-backed emptyDir
 * whose sizeLimit is above that limit. Per container, the names of the memory-backed volumes
 * above its limit are listed once (`[…].all(big, …)` binds the list), so the cost is containers ×
 * (volumes + mounts), not their product.
 */
export const EMPTYDIR_WITHIN_MEMORY_LIMITS = (() => {
  const limit = 'c.resources.limits.memory';
  const size = 'v.emptyDir.sizeLimit';
  const memoryVolumes = `${orElse('variables.spec.volumes', '[]')}.filter(v, has(v.emptyDir) && has(v.emptyDir.medium) && v.emptyDir.medium == 'Memory' && has(${size}))`;
  // An unparsable sizeLimit counts as 0, as in the audit.
  const sizeOf = `(${isQuantityValue(size)} ? ${quantityOf(size)} : quantity('0'))`;
  const above = `memory.filter(v, ${sizeOf}.isGreaterThan(${quantityOf(limit)})).map(v, v.name)`;
  const containers = `(${orElse('variables.spec.initContainers', '[]')} + ${orElse('variables.spec.containers', '[]')})`;
  return `[${memoryVolumes}].all(memory, size(memory) == 0 || ${containers}.all(c, !(${present(limit)} && ${isQuantityValue(limit)}) || !has(c.volumeMounts)`
    + ` || [${above}].all(big, size(big) == 0 || !c.volumeMounts.exists(m, has(m.name) && m.name in big))))`;
})();

/**
 * SW-JOB-005: a podFailurePolicy rule of the Job spec (a Job's own, a CronJob's jobTemplate: bound
 * once by `[…].all(j, …)`, so the loops are written once) ignores Pods failed with the
 * DisruptionTarget condition. A CronJob without a jobTemplate spec stands in with its own spec,
 * which has no podFailurePolicy, as the audit reads the missing spec as empty.
 */
export const JOB_IGNORES_DISRUPTIONS = `[object.kind == 'CronJob' && ${present('object.spec.jobTemplate.spec')} ? object.spec.jobTemplate.spec : object.spec]`
  + ".all(j, has(j.podFailurePolicy) && has(j.podFailurePolicy.rules) && j.podFailurePolicy.rules.exists(r, has(r.action) && r.action == 'Ignore' && has(r.onPodConditions)"
  + " && r.onPodConditions.exists(p, has(p.type) && p.type == 'DisruptionTarget' && (!has(p.status) || p.status == 'True'))))";

const VPA_POLICIES = orElse('object.spec.resourcePolicy.containerPolicies', '[]');
const VPA_OFF = `(${present('object.spec.updatePolicy.updateMode')} && object.spec.updatePolicy.updateMode == 'Off')`;

/**
 * Every containerPolicy in force passes `judge` (CEL over the policy `p` and a resource `r`, a
 * string literal) for the cpu and the memory it controls, as the audit finds the policies on a
 * VerticalPodAutoscaler whose target is out of view (as at admission): for each container name a
 * policy gives, the first policy with that name, unless its mode is Off. The names are listed
 * once (`[…].all(names, …)` binds the list); `indexOf` (the Kubernetes lists library) finds the
 * first policy of a name, for a policy that fails only.
 */
function policiesInForce(judge: (r: string) => string): string {
  const resources = "(has(p.controlledResources) ? p.controlledResources : ['cpu', 'memory'])";
  const ok = `(has(p.mode) && p.mode == 'Off') || ((!('cpu' in ${resources}) || ${judge("'cpu'")}) && (!('memory' in ${resources}) || ${judge("'memory'")}))`;
  const names = `${VPA_POLICIES}.map(q, has(q.containerName) ? 'name:' + q.containerName : '')`;
  return `[${names}].all(names, ${VPA_POLICIES}.all(p, !has(p.containerName) || ${ok} || ${VPA_POLICIES}[names.indexOf('name:' + p.containerName)] != p))`;
}

/** A quantity as the audit's parser (src/validation/quantity.ts) reads one, in RE2: no quantity() needed. */
const QUANTITY = '^[+-]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][+-]?0*(?:[0-9]{1,3}|1000)|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$';

/**
 * SW-VPA-005: every containerPolicy in force has a valid maxAllowed for the cpu and memory it
 * controls, and a "*" policy covers the containers without their own (the built-in default has
 * no bounds). The target's containers are not in view at admission: a VPA naming each of them,
 * without a "*" policy, is judged as the audit judges it without the target.
 */
export const VPA_BOUNDED = `${VPA_OFF} || (${VPA_POLICIES}.exists(p, has(p.containerName) && p.containerName == '*') && `
  + policiesInForce(r => `(has(p.maxAllowed) && ${r} in p.maxAllowed && (type(p.maxAllowed[${r}]) == string ? p.maxAllowed[${r}].matches(${celString(QUANTITY)}) : ${NUMBER(`p.maxAllowed[${r}]`)}))`) + ')';

/**
 * SW-VPA-004: no containerPolicy in force has a minAllowed above its maxAllowed for a cpu or
 * memory it controls (exact comparison). The VPA's own admission controller refuses min above
 * max too where it is installed; this policy stands where it is not.
 */
export const VPA_BOUNDS_ORDERED = `${VPA_OFF} || ${policiesInForce(r => {
  const max = `p.maxAllowed[${r}]`;
  const min = `p.minAllowed[${r}]`;
  return `!(has(p.maxAllowed) && ${r} in p.maxAllowed && ${isQuantityValue(max)} && has(p.minAllowed) && ${r} in p.minAllowed && ${isQuantityValue(min)}`
    + ` && ${quantityOf(min)}.isGreaterThan(${quantityOf(max)}))`;
})}`;
