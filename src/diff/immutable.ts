import { KubeObject, replicasOf } from '../audit/kube';
import { Rules } from '../rules/catalog';
import { Rule } from '../rules/rule';
import { CAPABILITIES, Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { compareQuantities } from '../validation/quantity';
import { PairContext, replacedOnSync } from './context';
import { ConsequenceClass } from './model';
import { joinPaths, valueAt } from './paths';
import { changedPaths, same, without } from './values';

/**
 * "Will be rejected": the fields the API server refuses to change in an update (the
 * `Validate…Update` functions of kube-apiserver), compared after the server's defaults, so an
 * explicit default against an omitted one is no change. Server-side apply removes a field the
 * manifest no longer sets, so an omitted field counts as its default.
 */

/** A refused field change: the rule, the field path, the values on both sides, why. */
interface Refusal {
  readonly rule: Rule;
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly problem: string;
}

const CAPABILITIES_SINCE = CAPABILITIES[Feature.STATEFULSET_HISTORY_LIMIT_MUTABLE].since;

const WORKLOADS_WITH_SELECTOR = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job']);

/**
 * StatefulSet fields an update may not change at `target`, with the server's defaults (apps/v1
 * SetDefaults_StatefulSet); revisionHistoryLimit became mutable (see the capability table).
 */
function statefulSetFixed(target: KubernetesTarget): ReadonlyArray<[string, unknown]> {
  return [['serviceName', ''], ['podManagementPolicy', 'OrderedReady'], ...(target.has(Feature.STATEFULSET_HISTORY_LIMIT_MUTABLE) ? [] : [['revisionHistoryLimit', 10] as [string, unknown]]), ['volumeClaimTemplates', undefined]];
}

/** Job spec fields that are immutable (batch/v1 ValidateJobSpecUpdate), with their defaults. */
const JOB_FIXED: ReadonlyArray<[string, unknown]> = [['completionMode', 'NonIndexed'], ['podFailurePolicy', undefined], ['backoffLimitPerIndex', undefined], ['successPolicy', undefined], ['managedBy', undefined]];

/** Pod-template fields a suspended Job that never started may change (KEP-2926). */
const SUSPENDED_JOB_MUTABLE = ['metadata.labels', 'metadata.annotations', 'spec.nodeSelector', 'spec.affinity', 'spec.tolerations', 'spec.schedulingGates'];

/** Checks a changed object for refused field changes; reports each as rejected (or replaced, under Argo CD's Replace=true). */
export function checkImmutable(ctx: PairContext): boolean {
  const b = ctx.before.obj;
  const a = ctx.after.obj;
  const refusals = refusalsOf(b, a, ctx.target);
  if (a.kind === 'PersistentVolumeClaim') {
    const name = a.spec?.storageClassName;
    const sc = typeof name === 'string' ? ctx.sides.after.get('StorageClass', '', name) ?? ctx.sides.before.get('StorageClass', '', name) : undefined;
    const growth = claimGrowthRefused(b.spec ?? {}, a.spec ?? {}, sc);
    if (growth) refusals.push({ rule: Rules.DIFF_PVC_IMMUTABLE, field: 'spec.resources.requests.storage', before: b.spec?.resources?.requests?.storage, after: a.spec?.resources?.requests?.storage, problem: growth });
  }
  const replace = replacedOnSync(a);
  for (const r of refusals.map(refine)) {
    if (replace) {
      ctx.report(ctx.after, Rules.DIFF_REPLACED, ConsequenceClass.RECREATE, r.field, r.before, r.after, `${r.problem}; Replace=true makes the sync delete and re-create ${a.kind}/${a.metadata?.name}: ${blastRadius(a)}`);
    } else {
      ctx.report(ctx.after, r.rule, ConsequenceClass.REJECTED, r.field, r.before, r.after, r.problem);
    }
  }
  return refusals.length > 0;
}

/** A refusal of a whole structure where one leaf changed, said for that leaf (`spec.volumeClaimTemplates[0].spec.resources.requests.storage`: 50Gi → 100Gi). */
function refine(r: Refusal): Refusal {
  const isStructure = (v: unknown) => v !== null && typeof v === 'object';
  if (!isStructure(r.before) || !isStructure(r.after)) return r;
  const paths = changedPaths(r.before, r.after);
  if (paths.length !== 1 || paths[0] === '.') return r;
  const [leaf] = paths;
  return { ...r, field: joinPaths(r.field, leaf), before: valueAt(r.before, leaf), after: valueAt(r.after, leaf) };
}

/** What deleting and re-creating `obj` does. */
export function blastRadius(obj: KubeObject): string {
  switch (obj.kind) {
    case 'Deployment': case 'StatefulSet': case 'ReplicaSet': {
      const n = replicasOf(obj);
      return `all ${n ?? 'its'} Pods stop at once${obj.kind === 'StatefulSet' ? ' (claims stay, unless whenDeleted: Delete)' : ''}`;
    }
    case 'DaemonSet': return 'its Pod on every node stops at once';
    case 'Job': return 'the Job runs again from the start';
    case 'Service': return 'a new cluster IP is allocated; clients holding the old one fail';
    case 'PersistentVolumeClaim': return 'the claim is deleted with its volume\'s data (unless reclaimPolicy Retain) and a new, empty one is created';
    case 'Pod': return 'the Pod stops';
    default: return 'the object is briefly absent';
  }
}

function refusalsOf(b: KubeObject, a: KubeObject, target: KubernetesTarget): Refusal[] {
  const out: Refusal[] = [];
  const bs = b.spec ?? {};
  const as = a.spec ?? {};
  if (WORKLOADS_WITH_SELECTOR.has(a.kind) && !same(bs.selector, as.selector)) {
    out.push({ rule: Rules.DIFF_SELECTOR_CHANGED, field: 'spec.selector', before: bs.selector, after: as.selector, problem: `${a.kind} spec.selector is immutable; the update is refused` });
  }
  switch (a.kind) {
    case 'StatefulSet':
      for (const [field, dflt] of statefulSetFixed(target)) {
        const before = field === 'volumeClaimTemplates' ? claimTemplates(bs[field]) : bs[field] ?? dflt;
        const after = field === 'volumeClaimTemplates' ? claimTemplates(as[field]) : as[field] ?? dflt;
        if (!same(before, after)) out.push({ rule: Rules.DIFF_STATEFULSET_FORBIDDEN, field: `spec.${field}`, before: bs[field], after: as[field], problem: `a StatefulSet update may not change spec.${field}${field === 'revisionHistoryLimit' ? ` before Kubernetes 1.${CAPABILITIES_SINCE}` : ''}` });
      }
      break;
    case 'Job': out.push(...jobRefusals(bs, as)); break;
    case 'Service': out.push(...serviceRefusals(bs, as)); break;
    case 'PersistentVolumeClaim': out.push(...claimRefusals(bs, as)); break;
    case 'StorageClass':
      for (const [field, dflt] of [['provisioner', undefined], ['parameters', undefined], ['reclaimPolicy', 'Delete'], ['volumeBindingMode', 'Immediate']] as const) {
        if (!same(b[field] ?? dflt, a[field] ?? dflt)) out.push({ rule: Rules.DIFF_STORAGECLASS_IMMUTABLE, field, before: b[field], after: a[field], problem: `StorageClass ${field} is immutable` });
      }
      break;
    case 'ConfigMap': case 'Secret': out.push(...configRefusals(b, a)); break;
    case 'RoleBinding': case 'ClusterRoleBinding':
      if (!same(b.roleRef, a.roleRef)) out.push({ rule: Rules.DIFF_ROLE_REF, field: 'roleRef', before: b.roleRef, after: a.roleRef, problem: `${a.kind} roleRef is immutable` });
      break;
    case 'Pod': out.push(...podRefusals(bs, as)); break;
    default:
  }
  return out;
}

/** Claim templates as the server stores them (volumeMode defaults to Filesystem). */
function claimTemplates(list: unknown): unknown {
  if (!Array.isArray(list)) return [];
  return list.map((t: KubeObject) => ({ ...t, spec: { volumeMode: 'Filesystem', ...t?.spec } }));
}

function jobRefusals(bs: KubeObject, as: KubeObject): Refusal[] {
  const out: Refusal[] = [];
  const suspended = bs.suspend === true && as.suspend === true;
  const template = suspended ? (t: unknown) => without(t, SUSPENDED_JOB_MUTABLE) : (t: unknown) => t;
  if (!same(template(bs.template), template(as.template))) {
    const fields = changedPaths(bs.template, as.template);
    out.push({ rule: Rules.DIFF_JOB_IMMUTABLE, field: joinPaths('spec.template', fields.length === 1 ? fields[0] : ''), before: fields.length === 1 ? valueAt(bs.template, fields[0]) : '(template)', after: fields.length === 1 ? valueAt(as.template, fields[0]) : `(${fields.length} fields changed: ${fields.slice(0, 3).join(', ')})`, problem: `a Job's Pod template is immutable${suspended ? ' (a suspended Job may change only scheduling directives, labels and annotations)' : ''}` });
  }
  const indexed = (as.completionMode ?? 'NonIndexed') === 'Indexed' && (bs.completionMode ?? 'NonIndexed') === 'Indexed';
  if (!same(bs.completions, as.completions) && !(indexed && as.completions === (as.parallelism ?? 1))) {
    out.push({ rule: Rules.DIFF_JOB_IMMUTABLE, field: 'spec.completions', before: bs.completions, after: as.completions, problem: `completions is immutable${indexed ? ' unless it changes together with parallelism to the same value' : ' (only an Indexed Job may scale completions with parallelism)'}` });
  }
  for (const [field, dflt] of JOB_FIXED) {
    if (!same(bs[field] ?? dflt, as[field] ?? dflt)) out.push({ rule: Rules.DIFF_JOB_IMMUTABLE, field: `spec.${field}`, before: bs[field], after: as[field], problem: `a Job's spec.${field} is immutable` });
  }
  return out;
}

function serviceRefusals(bs: KubeObject, as: KubeObject): Refusal[] {
  const out: Refusal[] = [];
  const externalName = (s: KubeObject) => s.type === 'ExternalName';
  if (externalName(bs) || externalName(as)) return out;
  const ip = (s: KubeObject): string | undefined => s.clusterIP ?? (Array.isArray(s.clusterIPs) ? s.clusterIPs[0] : undefined);
  const before = ip(bs);
  const after = ip(as);
  // An omitted clusterIP keeps the allocated (or "None") one; a set one must equal it. A Service
  // that had none set was allocated an address, which neither "None" nor a chosen IP can replace.
  if (after !== undefined && after !== '' && after !== before) {
    const problem = before === undefined ? `the cluster IP was allocated when the Service was created and cannot become ${JSON.stringify(after)}` : `spec.clusterIP cannot change once set (${JSON.stringify(before)} → ${JSON.stringify(after)})`;
    out.push({ rule: Rules.DIFF_SERVICE_CLUSTER_IP, field: as.clusterIP !== undefined ? 'spec.clusterIP' : 'spec.clusterIPs', before, after, problem });
  }
  const family = (s: KubeObject): unknown => (Array.isArray(s.ipFamilies) ? s.ipFamilies[0] : undefined);
  if (family(bs) !== undefined && family(as) !== undefined && family(bs) !== family(as)) {
    out.push({ rule: Rules.DIFF_SERVICE_CLUSTER_IP, field: 'spec.ipFamilies[0]', before: family(bs), after: family(as), problem: 'the primary IP family of a Service cannot change' });
  }
  return out;
}

function claimRefusals(bs: KubeObject, as: KubeObject): Refusal[] {
  const out: Refusal[] = [];
  const rest = (s: KubeObject) => without({ volumeMode: 'Filesystem', ...s }, ['resources.requests.storage', 'volumeName', 'volumeAttributesClassName']);
  for (const field of changedPaths(rest(bs), rest(as))) {
    out.push({ rule: Rules.DIFF_PVC_IMMUTABLE, field: joinPaths('spec', field), before: valueAt(bs, field), after: valueAt(as, field), problem: 'a claim\'s spec is immutable except its storage request' });
  }
  if (storageChange(bs, as) === -1) {
    out.push({ rule: Rules.DIFF_PVC_IMMUTABLE, field: 'spec.resources.requests.storage', before: bs.resources.requests.storage, after: as.resources.requests.storage, problem: 'a claim can grow but never shrink' });
  }
  if (bs.volumeName !== undefined && !same(bs.volumeName, as.volumeName) && as.volumeName !== undefined) {
    out.push({ rule: Rules.DIFF_PVC_IMMUTABLE, field: 'spec.volumeName', before: bs.volumeName, after: as.volumeName, problem: 'a bound claim cannot move to another volume' });
  }
  return out;
}

/** How a claim's storage request changes, by amount as the API server compares it (1Gi → 1024Mi is 0), or undefined when either side has no valid one. */
function storageChange(bs: KubeObject, as: KubeObject): -1 | 0 | 1 | undefined {
  const before: unknown = bs.resources?.requests?.storage;
  const after: unknown = as.resources?.requests?.storage;
  const quantity = (v: unknown): v is string | number => typeof v === 'string' || typeof v === 'number';
  return quantity(before) && quantity(after) ? compareQuantities(after, before) : undefined;
}

/** A growing claim is refused unless its StorageClass allows expansion (the PersistentVolumeClaimResize admission). */
function claimGrowthRefused(bs: KubeObject, as: KubeObject, storageClass: KubeObject | undefined): string | undefined {
  if (storageChange(bs, as) !== 1) return undefined;
  if (storageClass?.allowVolumeExpansion === true) return undefined;
  return storageClass
    ? `StorageClass ${storageClass.metadata?.name} does not set allowVolumeExpansion: true, so the claim cannot grow`
    : `the claim's StorageClass ${JSON.stringify(as.storageClassName ?? '(default)')} is not in these manifests; a claim can grow only on a StorageClass with allowVolumeExpansion: true`;
}

function configRefusals(b: KubeObject, a: KubeObject): Refusal[] {
  const out: Refusal[] = [];
  if (a.kind === 'Secret' && (b.type ?? 'Opaque') !== (a.type ?? 'Opaque')) {
    out.push({ rule: Rules.DIFF_IMMUTABLE_CONFIG, field: 'type', before: b.type, after: a.type, problem: 'a Secret\'s type is immutable' });
  }
  if (b.immutable !== true) return out;
  if (a.immutable !== true) out.push({ rule: Rules.DIFF_IMMUTABLE_CONFIG, field: 'immutable', before: true, after: a.immutable, problem: `an immutable ${a.kind} cannot be made mutable again` });
  const content = (o: KubeObject) => (o.kind === 'Secret' ? { data: { ...o.data, ...encode(o.stringData) } } : { data: o.data ?? {}, binaryData: o.binaryData ?? {} });
  for (const field of changedPaths(content(b), content(a), 5)) {
    out.push({ rule: Rules.DIFF_IMMUTABLE_CONFIG, field, before: valueAt(content(b), field), after: valueAt(content(a), field), problem: `${a.kind} ${a.metadata?.name} is immutable: true, its content cannot change` });
  }
  return out;
}

function encode(stringData: unknown): Record<string, string> {
  if (!stringData || typeof stringData !== 'object') return {};
  return Object.fromEntries(Object.entries(stringData as Record<string, unknown>).map(([k, v]) => [k, Buffer.from(String(v), 'utf8').toString('base64')]));
}

function podRefusals(bs: KubeObject, as: KubeObject): Refusal[] {
  // Images, activeDeadlineSeconds, added tolerations and removed scheduling gates may change.
  const mask = (s: KubeObject, other: KubeObject, side: 'before' | 'after'): unknown => {
    const copy = JSON.parse(JSON.stringify(s ?? {})) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const key of ['containers', 'initContainers', 'ephemeralContainers']) for (const c of copy[key] ?? []) delete c.image;
    delete copy.activeDeadlineSeconds;
    delete copy.schedulingGates;
    // Tolerations may be added, not removed: the after side is compared without its additions.
    const mine: unknown[] = copy.tolerations ?? [];
    const theirs: unknown[] = other?.tolerations ?? [];
    copy.tolerations = side === 'before' ? mine : mine.filter(t => theirs.some(o => same(o, t)));
    return copy;
  };
  return changedPaths(mask(bs, as, 'before'), mask(as, bs, 'after'), 5).map(field => ({
    rule: Rules.DIFF_POD_IMMUTABLE, field: joinPaths('spec', field), before: valueAt(bs, field), after: valueAt(as, field), problem: 'a Pod\'s spec may change only its images, activeDeadlineSeconds and tolerations (added)',
  }));
}
