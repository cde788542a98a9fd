import * as path from 'path';
import { KubeObject, objectRef } from '../audit/kube';
import { Rules } from '../rules/catalog';
import { Entry, Report } from './context';
import { blastRadius } from './immutable';
import { ConsequenceClass } from './model';

/** Deletions that take data with them, reported on the before side (the object is gone after). */
export function checkDeletion(gone: Entry, report: Report): void {
  const o = gone.obj;
  switch (o.kind) {
    case 'StatefulSet': {
      const claims: KubeObject[] = o.spec?.volumeClaimTemplates ?? [];
      if (claims.length === 0) return;
      const policy = o.spec?.persistentVolumeClaimRetentionPolicy?.whenDeleted ?? 'Retain';
      const names = claims.map(c => c.metadata?.name).join(', ');
      report(gone, Rules.DIFF_STATEFULSET_DELETED, ConsequenceClass.DELETION, 'spec.volumeClaimTemplates', names, undefined, policy === 'Delete'
        ? `${objectRef(o)} is deleted and whenDeleted: Delete deletes its claims (${names}) with their data`
        : `${objectRef(o)} is deleted: its ${o.spec?.replicas ?? 1} Pods stop and its claims (${names}) stay behind, unowned`);
      return;
    }
    case 'PersistentVolumeClaim':
      report(gone, Rules.DIFF_VOLUME_DELETED, ConsequenceClass.DELETION, 'metadata.name', o.metadata?.name, undefined, `${objectRef(o)} is deleted: its volume and data go too unless the volume's reclaim policy is Retain`);
      return;
    case 'PersistentVolume':
      report(gone, Rules.DIFF_VOLUME_DELETED, ConsequenceClass.DELETION, 'spec.persistentVolumeReclaimPolicy', o.spec?.persistentVolumeReclaimPolicy ?? 'Retain', undefined, `${objectRef(o)} is deleted${(o.spec?.persistentVolumeReclaimPolicy ?? 'Retain') === 'Delete' ? ' and reclaimPolicy Delete removes the storage' : ''}`);
      return;
    case 'Namespace':
      report(gone, Rules.DIFF_NAMESPACE_DELETED, ConsequenceClass.DELETION, 'metadata.name', o.metadata?.name, undefined, `Namespace ${o.metadata?.name} is deleted with everything in it, including objects no manifest describes`);
      return;
    case 'Application':
      if ((o.metadata?.finalizers ?? []).some((f: unknown) => typeof f === 'string' && f.startsWith('resources-finalizer.argocd.argoproj.io'))) {
        report(gone, Rules.DIFF_APPLICATION_EMPTIED, ConsequenceClass.DELETION, 'metadata.finalizers', o.metadata.finalizers, undefined, `Application ${o.metadata?.name} is deleted with the resources finalizer: Argo CD deletes everything it deployed`);
      }
      return;
    default:
  }
}

/** Source paths of an Argo CD Application (spec.source and spec.sources). */
function sourcePaths(app: KubeObject): string[] {
  const sources: KubeObject[] = [app.spec?.source, ...(Array.isArray(app.spec?.sources) ? app.spec.sources : [])].filter(Boolean);
  return sources.map(s => s.path).filter((p): p is string => typeof p === 'string' && p.trim() !== '' && p !== '.');
}

/**
 * Applications (on the after side) whose source path held manifests before and holds none
 * after. `filesBefore`/`filesAfter` are every manifest file with objects, absolute.
 */
export function checkApplications(apps: readonly { before?: Entry; after: Entry }[], filesBefore: ReadonlySet<string>, filesAfter: ReadonlySet<string>, repoRoot: string, report: Report): void {
  const count = (files: ReadonlySet<string>, dir: string) => [...files].filter(f => f.startsWith(`${dir}${path.sep}`)).length;
  for (const { after } of apps) {
    for (const p of sourcePaths(after.obj)) {
      const dir = path.resolve(repoRoot, p);
      const then = count(filesBefore, dir);
      if (then > 0 && count(filesAfter, dir) === 0) {
        report(after, Rules.DIFF_APPLICATION_EMPTIED, ConsequenceClass.DELETION, 'spec.source.path', p, p, `${p} held ${then} manifest file${then === 1 ? '' : 's'} and now holds none: with automated prune Argo CD deletes everything Application ${after.obj.metadata?.name} deployed`);
      }
    }
  }
}

/** A deleted object whose content reappears under another name: said as a rename, with what replacing it costs. */
export function reportRename(gone: Entry, created: Entry, report: Report): void {
  report(created, Rules.DIFF_RENAMED, ConsequenceClass.RECREATE, 'metadata.name', gone.obj.metadata?.name, created.obj.metadata?.name,
    `${objectRef(gone.obj)} is renamed to ${created.obj.metadata?.name} with an otherwise identical spec: a create plus a delete (prune), so ${blastRadius(gone.obj)}`);
}
