import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeObject } from '../audit/kube';
import { implicitNamespaceUsages, manifestObjectUsages, manifestPodUsage, rolloutPeakOf } from '../audit/quota-usage';
import { Rules } from '../rules/catalog';
import { Finding, makeFinding } from '../rules/finding';
import { claimLimitViolations, formatQuotaAmount, LimitRangeItemLike, limitRangeViolations, QuotaUsage } from './quota-arithmetic';
import { WORKLOAD_KINDS } from '../rules/rule';
import { PersistentVolumeClaim } from '../storage/persistent-volume-claim';
import { renderOnce } from '../synth/render-once';
import { Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { parseQuantity } from '../validation/quantity';
import { Canary } from '../workloads/release-tracks';
import { Workload } from '../workloads/workload';

/**
 * What the Tenant checks at synthesis on everything of its namespace in the app (its own charts
 * and any other chart placed in the namespace), with the audit's functions on the rendered
 * objects, so synthesis and `seaworthy audit` count and judge alike.
 */
export class NamespaceView {
  /** The workloads of the namespace, in construct order. */
  public readonly workloads: readonly Workload[];
  /** The API objects of the namespace, in construct order. */
  public readonly objects: readonly ApiObject[];

  constructor(root: IConstruct, private readonly namespace: string) {
    const all = root.node.findAll();
    this.workloads = all.filter((c): c is Workload => c instanceof Workload && Chart.of(c).namespace === namespace);
    this.objects = all.filter((o): o is ApiObject => o instanceof ApiObject && (o.metadata.namespace ?? Chart.of(o).namespace) === namespace);
  }

  /**
   * What every workload and object counts against the namespace's quotas at the peak of its
   * rollout, named by construct path: the Pods of each controller (a release track apart) from
   * its rendered template, with the LimitRange defaults applied and the scope facts read as the
   * audit reads them (`manifestPodUsage`), and the old Pods still terminating at the peak
   * (`rolloutPeakOf`); the objects (`manifestObjectUsages`); and what every
   * namespace holds (`implicitNamespaceUsages`).
   */
  public usages(): QuotaUsage[] {
    const limitRanges = this.objects.filter(o => o.kind === 'LimitRange').map(o => renderOnce(o) as KubeObject);
    const usages: QuotaUsage[] = [];
    for (const w of this.workloads) {
      const peak = w.peakPods;
      if (peak === undefined) continue;
      const native = KubernetesTarget.of(w).has(Feature.NATIVE_SIDECARS);
      const tracks = w.node.findAll().filter((c): c is Canary => c instanceof Canary);
      const own = controllerOf(w, tracks);
      const stablePeak = peak - tracks.reduce((sum, c) => sum + c.peakPods, 0);
      const parts: Array<[string, ApiObject | undefined, number]> = [[w.node.path, own, stablePeak], ...tracks.map((c): [string, ApiObject, number] => [c.node.path, ApiObject.of(c.deployment), c.peakPods])];
      const scalers = w.node.findAll().filter((o): o is ApiObject => o instanceof ApiObject && ['HorizontalPodAutoscaler', 'VerticalPodAutoscaler'].includes(o.kind)).map(o => renderOnce(o) as KubeObject);
      for (const [owner, obj, pods] of parts) {
        if (!obj) continue;
        const json = renderOnce(obj) as KubeObject;
        const targets = (ref: KubeObject | undefined) => ref?.kind === json.kind && ref?.name === json.metadata?.name;
        const hpa = scalers.find(s => s.kind === 'HorizontalPodAutoscaler' && targets(s.spec?.scaleTargetRef));
        const vpa = scalers.find(s => s.kind === 'VerticalPodAutoscaler' && targets(s.spec?.targetRef));
        const terminating = rolloutPeakOf(json, hpa, native)?.addedByTerminating ?? 0;
        // A VerticalPodAutoscaler's Pods count at its maxAllowed, as the audit counts them.
        const usage = manifestPodUsage(owner, json, pods, limitRanges, native, terminating, vpa);
        if (usage) usages.push(usage);
      }
    }
    for (const o of this.objects) {
      const owner = this.workloads.find(w => o.node.path.startsWith(`${w.node.path}/`))?.node.path ?? ownerOf(o);
      const needsSpec = ['Service', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob'].includes(o.kind);
      const obj = needsSpec ? renderOnce(o) as KubeObject : { apiVersion: o.apiVersion, kind: o.kind };
      usages.push(...manifestObjectUsages(owner, obj, undefined));
    }
    usages.push(...implicitNamespaceUsages(this.namespace, (kind, name) => this.objects.some(o => o.kind === kind && o.name === name)));
    return usages;
  }

  /**
   * SW-NS-001 at synthesis, with the LimitRanger predicates of the audit: each workload's
   * containers and Pod against the Container and Pod items (defaults applied first), and every
   * claim (standalone, or a StatefulSet's claim templates) against the PersistentVolumeClaim
   * items; fields named as the props that set them.
   */
  public limitRangeFindings(items: readonly LimitRangeItemLike[], tenant: string): Finding[] {
    const out: Finding[] = [];
    for (const w of this.workloads) {
      for (const v of limitRangeViolations(items, w.pod.quotaContainers)) {
        const c = w.pod.containers.find(x => x.name === v.container);
        // "limits.example.com/gpu": the resource name after the first dot may hold dots itself.
        const dot = v.key.indexOf('.');
        const side = v.key.slice(0, dot);
        const r = v.key.slice(dot + 1);
        if (c === undefined) {
          out.push(makeFinding(Rules.LIMIT_RANGE_VIOLATION, w.node.path, `(Pod ${v.key})`, v.value === undefined ? undefined : formatQuotaAmount(r, v.value), `the Pod ${v.problem} of tenant "${tenant}"`));
          continue;
        }
        const burst = c.resources.limits?.[r]?.value !== c.resources.requests?.[r]?.value;
        const field = `${c.prefix}${side === 'limits' && burst ? 'burst' : 'size'}.${sizeProp(r)}`;
        const value = c.resources[side === 'limits' ? 'limits' : 'requests']?.[r]?.value;
        out.push(makeFinding(Rules.LIMIT_RANGE_VIOLATION, w.node.path, field, value, `${v.problem} of tenant "${tenant}"`));
      }
    }
    if (!items.some(i => i?.type === 'PersistentVolumeClaim')) return out;
    for (const o of this.objects) {
      for (const claim of claimsOf(o, this.workloads)) {
        const raw = claim.spec?.resources?.requests?.storage;
        const storage = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
        for (const v of claimLimitViolations(items, storage)) out.push(makeFinding(Rules.LIMIT_RANGE_VIOLATION, claim.owner, claim.field, raw, `${v.problem} of tenant "${tenant}"`));
      }
    }
    return out;
  }
}

/** The prop of `size`/`burst` that sets resource `r` (`ephemeralStorage`, `hugepages2Mi`, `extended.<name>`). */
function sizeProp(r: string): string {
  if (r === 'ephemeral-storage') return 'ephemeralStorage';
  if (r.startsWith('hugepages-')) return r.replace('-', '');
  return r.includes('/') ? `extended.${r}` : r;
}

/** How findings name an object: its construct, without the "Resource" ids of the L1 objects cdk8s-plus wraps. */
function ownerOf(o: IConstruct): string {
  return o.node.path.replace(/(\/Resource)+$/, '');
}

/** The workload's own controller object (not a release track's, not a nested workload's). */
function controllerOf(w: Workload, tracks: readonly Canary[]): ApiObject | undefined {
  const inside = (o: IConstruct, c: IConstruct) => o.node.path.startsWith(`${c.node.path}/`);
  return w.node.findAll().find((o): o is ApiObject => o instanceof ApiObject && WORKLOAD_KINDS.includes(o.kind) && !tracks.some(t => inside(o, t)));
}

/** The claims an object creates, each with the construct and prop that set its size. */
function claimsOf(o: ApiObject, workloads: readonly Workload[]): Array<{ owner: string; field: string; spec: KubeObject | undefined }> {
  if (o.kind === 'PersistentVolumeClaim') {
    const construct = o.node.scope instanceof PersistentVolumeClaim ? o.node.scope : undefined;
    const json = renderOnce(o) as KubeObject;
    return [{ owner: construct?.node.path ?? ownerOf(o), field: construct ? 'storage' : 'spec.resources.requests.storage', spec: json.spec }];
  }
  if (o.kind !== 'StatefulSet') return [];
  const json = renderOnce(o) as KubeObject;
  const owner = workloads.find(w => o.node.path.startsWith(`${w.node.path}/`));
  const templates: KubeObject[] = Array.isArray(json.spec?.volumeClaimTemplates) ? json.spec.volumeClaimTemplates : [];
  return templates.map((t, i) => ({
    owner: owner?.node.path ?? ownerOf(o),
    field: owner ? `volumeClaims[${i}].size` : `spec.volumeClaimTemplates[${i}].spec.resources.requests.storage`,
    spec: t?.spec,
  }));
}
