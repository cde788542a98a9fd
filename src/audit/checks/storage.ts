import { Rules } from '../../rules/catalog';
import { claimBindingProblems, persistentVolumeProblems, singleWriterProblem } from '../../rules/families/storage';
import { CheckContext, ObjectCheck } from '../check';
import { KubeObject, managedByController, replicasOf } from '../kube';
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

function mountsClaim(obj: KubeObject, claimName: string, index: CheckContext['index']): boolean {
  const volumes = index.templateOf(obj)?.spec.volumes;
  return Array.isArray(volumes) && volumes.some((v: KubeObject) => v?.persistentVolumeClaim?.claimName === claimName);
}

/**
 * A ReadWriteOnce claim mounted by more Pods than can attach it (SW-VOL-004): the Pods of every
 * controller in the namespace mounting the claim count together (a stable and a canary
 * Deployment of one replica each are two Pods, possibly on two nodes). Reported once per claim,
 * on the first of them.
 */
function sharedClaims(obj: KubeObject, ctx: CheckContext): void {
  const t = ctx.index.templateOf(obj);
  if (!t || !Array.isArray(t.spec.volumes)) return;
  const ns = namespaceOf(obj);
  t.spec.volumes.forEach((v: KubeObject, i: number) => {
    const claimName = v?.persistentVolumeClaim?.claimName;
    if (typeof claimName !== 'string') return;
    // A claim that is not among the audited objects has unknown access modes: nothing to judge.
    const claim = ctx.index.get('PersistentVolumeClaim', ns, claimName);
    if (!claim) return;
    const mounters = managedByController(obj) ? [obj] : ctx.index.workloadsIn(ns).map(w => w.obj).filter(o => MOUNTING_KINDS.includes(o.kind) && !managedByController(o) && mountsClaim(o, claimName, ctx.index));
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
  for (const p of claimBindingProblems({ spec, name: obj.metadata?.name, namespace: namespaceOf(obj) }, volume.spec ?? {}, `PersistentVolume "${spec.volumeName}"`)) {
    r.report(p.rule, `spec.${p.field}`, p.value, p.problem);
  }
}

/** The storage checks. */
export const STORAGE_CHECKS: ObjectCheck[] = [
  { rules: [Rules.SINGLE_WRITER_VOLUME], run: sharedClaims },
  { rules: [Rules.PV_RECLAIM, Rules.PV_HOST_PATH, Rules.PV_LOCAL_AFFINITY], run: persistentVolume },
  { rules: [Rules.CLAIM_STATIC_CLASS, Rules.CLAIM_UNBINDABLE], run: claim },
];
