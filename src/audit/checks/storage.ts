import { Rules } from '../../rules/catalog';
import { persistentVolumeProblems, singleWriterProblem } from '../../rules/families/storage';
import { parseQuantity } from '../../validation/quantity';
import { CheckContext, ObjectCheck } from '../engine';
import { KubeObject, podTemplateOf, replicasOf } from '../kube';
import { hpaOf, namespaceOf } from '../object-index';

/** Checks of PersistentVolumes, claims and the workloads mounting them. */

/** Most Pods of a workload at once, and whether its updates surge. */
function concurrencyOf(obj: KubeObject, ctx: CheckContext): { maxPods: number | undefined; surges: boolean } {
  if (obj.kind === 'DaemonSet') return { maxPods: undefined, surges: false };
  if (obj.kind === 'Job') return { maxPods: typeof obj.spec?.parallelism === 'number' ? obj.spec.parallelism : 1, surges: false };
  const hpa = hpaOf(obj, ctx.index);
  const maxPods = typeof hpa?.spec?.maxReplicas === 'number' ? hpa.spec.maxReplicas : replicasOf(obj) ?? 1;
  if (obj.kind !== 'Deployment') return { maxPods, surges: false };
  const strategy = obj.spec?.strategy;
  const surge = strategy?.rollingUpdate?.maxSurge;
  // The default strategy is RollingUpdate with maxSurge 25%, which rounds up to one Pod.
  return { maxPods, surges: strategy?.type !== 'Recreate' && surge !== 0 && surge !== '0%' && surge !== '0' };
}

/** The access modes that decide attachment: the bound volume's when it is among the objects, else the claim's. */
function accessModesOf(claim: KubeObject, ctx: CheckContext): unknown[] {
  const volume = claim.spec?.volumeName ? ctx.index.get('PersistentVolume', '', claim.spec.volumeName) : undefined;
  const modes = volume?.spec?.accessModes ?? claim.spec?.accessModes;
  return Array.isArray(modes) ? modes : [];
}

/** Kinds whose Pods the ReadWriteOnce check counts. */
const MOUNTING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

/** Whether a controller owns `obj` (a Deployment's ReplicaSet, a CronJob's Job): its Pods are counted through the owner. */
function managed(obj: KubeObject): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((o: KubeObject) => o?.controller === true);
}

function mountsClaim(obj: KubeObject, claimName: string): boolean {
  const volumes = podTemplateOf(obj)?.spec.volumes;
  return Array.isArray(volumes) && volumes.some((v: KubeObject) => v?.persistentVolumeClaim?.claimName === claimName);
}

/**
 * A ReadWriteOnce claim mounted by more Pods than can attach it (SW-VOL-004): the Pods of every
 * controller in the namespace mounting the claim count together (a stable and a canary
 * Deployment of one replica each are two Pods, possibly on two nodes). Reported once per claim,
 * on the first of them.
 */
function sharedClaims(obj: KubeObject, ctx: CheckContext): void {
  const t = podTemplateOf(obj);
  if (!t || !Array.isArray(t.spec.volumes)) return;
  const ns = namespaceOf(obj);
  t.spec.volumes.forEach((v: KubeObject, i: number) => {
    const claimName = v?.persistentVolumeClaim?.claimName;
    if (typeof claimName !== 'string') return;
    // A claim that is not among the audited objects has unknown access modes: nothing to judge.
    const claim = ctx.index.get('PersistentVolumeClaim', ns, claimName);
    if (!claim) return;
    const mounters = managed(obj) ? [obj] : ctx.index.workloadsIn(ns).map(w => w.obj).filter(o => MOUNTING_KINDS.includes(o.kind) && !managed(o) && mountsClaim(o, claimName));
    if (mounters[0] !== obj) return;
    const each = mounters.map(o => concurrencyOf(o, ctx));
    const maxPods = each.some(c => c.maxPods === undefined) ? undefined : each.reduce((sum, c) => sum + c.maxPods!, 0);
    const surges = each.some(c => c.surges);
    const modes = accessModesOf(claim, ctx);
    const problem = singleWriterProblem(modes, maxPods, surges, mounters.map(o => `${o.kind}/${o.metadata?.name}`));
    if (problem) ctx.reporter.report(Rules.SINGLE_WRITER_VOLUME, `${t.path}.volumes[${i}]`, `${claimName} (${modes.join(', ')})`, problem);
  });
}

function persistentVolume(obj: KubeObject, ctx: CheckContext): void {
  for (const p of persistentVolumeProblems(obj.spec ?? {})) ctx.reporter.report(p.rule, `spec.${p.field}`, p.value, p.problem);
}

function claim(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const spec = obj.spec ?? {};
  if ((spec.volumeName || spec.selector) && spec.storageClassName === undefined) {
    r.report(Rules.CLAIM_STATIC_CLASS, 'spec.storageClassName', undefined, `the claim ${spec.volumeName ? `names volume "${spec.volumeName}"` : 'selects its volume by labels'}, but the cluster's default StorageClass will be filled in`);
  }
  if (!spec.volumeName) return;
  const volume = ctx.index.get('PersistentVolume', '', spec.volumeName);
  // A volume outside the audited objects (provisioned by ops) cannot be compared.
  if (!volume) return;
  const v = volume.spec ?? {};
  const at = `PersistentVolume "${spec.volumeName}"`;
  if (spec.storageClassName !== undefined && (spec.storageClassName ?? '') !== (v.storageClassName ?? '')) {
    r.report(Rules.CLAIM_UNBINDABLE, 'spec.storageClassName', spec.storageClassName, `${at} has storageClassName ${JSON.stringify(v.storageClassName ?? '')}`);
  }
  if ((spec.volumeMode ?? 'Filesystem') !== (v.volumeMode ?? 'Filesystem')) {
    r.report(Rules.CLAIM_UNBINDABLE, 'spec.volumeMode', spec.volumeMode ?? 'Filesystem', `${at} has volumeMode ${v.volumeMode ?? 'Filesystem'}`);
  }
  const missing = (Array.isArray(spec.accessModes) ? spec.accessModes : []).filter((m: unknown) => !(Array.isArray(v.accessModes) ? v.accessModes : []).includes(m));
  if (missing.length > 0) r.report(Rules.CLAIM_UNBINDABLE, 'spec.accessModes', spec.accessModes, `${at} does not offer ${missing.join(', ')} (it offers ${(v.accessModes ?? []).join(', ') || 'none'})`);
  const requested = parseQuantity(spec.resources?.requests?.storage ?? '');
  const capacity = parseQuantity(v.capacity?.storage ?? '');
  if (requested !== undefined && capacity !== undefined && capacity < requested) {
    r.report(Rules.CLAIM_UNBINDABLE, 'spec.resources.requests.storage', spec.resources.requests.storage, `${at} holds only ${v.capacity.storage}`);
  }
  const ref = v.claimRef;
  // A claim without a namespace goes to the one it is applied in: only its name can be compared.
  if (ref && (ref.name !== obj.metadata?.name || (namespaceOf(obj) !== '' && ref.namespace !== namespaceOf(obj)))) {
    r.report(Rules.CLAIM_UNBINDABLE, 'spec.volumeName', spec.volumeName, `${at} is reserved for claim ${ref.namespace}/${ref.name}`);
  }
}

/** The storage checks. */
export const STORAGE_CHECKS: ObjectCheck[] = [
  { kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'], run: sharedClaims },
  { kinds: ['PersistentVolume'], run: persistentVolume },
  { kinds: ['PersistentVolumeClaim'], run: claim },
];
