import { podTotal } from '../tenancy/quota-arithmetic';
import { verticalCeilingOf } from '../tenancy/vertical-ceiling';
import { parseQuantity } from '../validation/quantity';

/** Plain Kubernetes objects as the audit reads them from YAML. */

/** A Kubernetes object (or any YAML mapping), loosely typed. */
export type KubeObject = { readonly [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where a Pod template lives in an object. */
export interface PodTemplateRef {
  /** The Pod spec. */
  readonly spec: KubeObject;
  /** Its path in the object, e.g. "spec.template.spec". */
  readonly path: string;
  /** The Pod labels. */
  readonly labels: Record<string, string>;
  /** The Pod annotations. */
  readonly annotations: Record<string, string>;
}

/** The Pod template of a workload (or the Pod itself). */
export function podTemplateOf(obj: KubeObject): PodTemplateRef | undefined {
  if (!obj || typeof obj !== 'object') return undefined;
  if (obj.kind === 'Pod') return obj.spec ? { spec: obj.spec, path: 'spec', labels: obj.metadata?.labels ?? {}, annotations: obj.metadata?.annotations ?? {} } : undefined;
  if (obj.kind === 'PodTemplate') {
    const t = obj.template;
    return t?.spec ? { spec: t.spec, path: 'template.spec', labels: t.metadata?.labels ?? {}, annotations: t.metadata?.annotations ?? {} } : undefined;
  }
  if (obj.kind === 'CronJob') {
    const t = obj.spec?.jobTemplate?.spec?.template;
    return t?.spec ? { spec: t.spec, path: 'spec.jobTemplate.spec.template.spec', labels: t.metadata?.labels ?? {}, annotations: t.metadata?.annotations ?? {} } : undefined;
  }
  const t = obj.spec?.template;
  return t?.spec ? { spec: t.spec, path: 'spec.template.spec', labels: t.metadata?.labels ?? {}, annotations: t.metadata?.annotations ?? {} } : undefined;
}

/** A container with its path. */
export interface ContainerRef {
  readonly container: KubeObject;
  /** e.g. "spec.template.spec.containers[0]". */
  readonly path: string;
  readonly init: boolean;
  /** An init container with `restartPolicy: Always`: a native sidecar that runs beside the app. */
  readonly sidecar: boolean;
}

/** Every container of a Pod spec, init containers first. */
export function containersOf(template: PodTemplateRef): ContainerRef[] {
  const list = (key: string, init: boolean): ContainerRef[] => (Array.isArray(template.spec[key]) ? template.spec[key] : [])
    .filter((c: unknown) => c && typeof c === 'object')
    .map((container: KubeObject, i: number) => ({ container, path: `${template.path}.${key}[${i}]`, init, sidecar: init && container.restartPolicy === 'Always' }));
  return [...list('initContainers', true), ...list('containers', false)];
}

/** The ephemeral containers of a Pod spec (added by `kubectl debug`; in a manifest only on a Pod). */
export function ephemeralContainersOf(template: PodTemplateRef): ContainerRef[] {
  return (Array.isArray(template.spec.ephemeralContainers) ? template.spec.ephemeralContainers : [])
    .filter((c: unknown) => c && typeof c === 'object')
    .map((container: KubeObject, i: number) => ({ container, path: `${template.path}.ephemeralContainers[${i}]`, init: false, sidecar: false }));
}

/**
 * What one Pod of `template` requests of `resource` (cores, bytes) as the scheduler and quota
 * count it; a container without requests is admitted with its limits as requests. Native
 * sidecars count as such only when the target has them. With a VerticalPodAutoscaler (`vpa`),
 * the app containers count at the most it may set them to (its maxAllowed).
 */
export function podRequestOf(template: PodTemplateRef, resource: string, nativeSidecars: boolean, vpa?: KubeObject): number {
  const containers = containersOf(template);
  const declared = (c: ContainerRef) => parseQuantity(c.container.resources?.requests?.[resource] ?? c.container.resources?.limits?.[resource] ?? '0') ?? 0;
  const request = (c: ContainerRef) => {
    if (!vpa || c.init) return declared(c);
    const limit = parseQuantity(c.container.resources?.limits?.[resource] ?? '');
    return verticalCeilingOf(String(c.container.name), { [resource]: declared(c) }, limit === undefined ? {} : { [resource]: limit }, vpa).requests[resource] ?? 0;
  };
  return podTotal(containers.map(c => ({ amount: request(c), init: c.init, sidecar: c.sidecar && nativeSidecars })));
}

/**
 * Seconds a preStop (or postStart) handler pauses when it is a sleep: the kubelet's `sleep`
 * action, or an exec running `sleep N`; undefined for any other handler.
 */
export function handlerSleepSeconds(handler: KubeObject | undefined): number | undefined {
  if (typeof handler?.sleep?.seconds === 'number') return handler.sleep.seconds as number;
  const cmd = handler?.exec?.command;
  const exec = Array.isArray(cmd) ? cmd.join(' ').match(/(?:^|\s)sleep\s+(\d+)/) : null;
  return exec ? Number(exec[1]) : undefined;
}

/** A resource list (`requests`, `limits`) as numbers; entries that are not quantities are left out. */
export function quantitiesOf(list: KubeObject | undefined): Partial<Record<string, number>> {
  const out: Partial<Record<string, number>> = {};
  for (const [k, v] of Object.entries(list ?? {})) {
    const n = typeof v === 'string' || typeof v === 'number' ? parseQuantity(v) : undefined;
    if (n !== undefined) out[k] = n;
  }
  return out;
}

/** "Kind/namespace/name" (or "Kind/name" when cluster-scoped or unset). */
export function objectRef(obj: KubeObject): string {
  const ns = obj?.metadata?.namespace;
  return `${obj?.kind ?? '?'}/${ns ? `${ns}/` : ''}${obj?.metadata?.name ?? '?'}`;
}

/** Whether `labels` satisfy a LabelSelector; an empty selector selects everything, an absent one nothing. */
export function selects(selector: KubeObject | undefined, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of (selector.matchExpressions ?? []) as KubeObject[]) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values: unknown[] = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** Whether a controller owns `obj` (a Deployment's ReplicaSet, a CronJob's Job): it is judged, and its Pods counted, through the owner. */
export function managedByController(obj: KubeObject): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((o: KubeObject) => o?.controller === true);
}

/** The number of replicas a workload runs (undefined for DaemonSets and managed counts). */
export function replicasOf(obj: KubeObject): number | undefined {
  if (obj.kind === 'Deployment' || obj.kind === 'StatefulSet' || obj.kind === 'ReplicaSet' || obj.kind === 'ReplicationController') {
    return typeof obj.spec?.replicas === 'number' ? obj.spec.replicas : undefined;
  }
  return undefined;
}
