import { Rules } from '../../rules/catalog';
import { SELECTING_CONTROLLER_KINDS } from '../../rules/families/tracks';
import { CheckContext, ObjectCheck } from '../check';
import { KubeObject, managedByController, objectRef, podTemplateOf } from '../kube';
import { minPodsOf } from '../budgets';
import { hpaOf, namespaceOf, ObjectIndex } from '../object-index';

/**
 * The selector a controller owns its Pods by: a LabelSelector, or a ReplicationController's
 * plain map (defaulted from its template labels); undefined when there is none to judge (the
 * API server rejects empty ones).
 */
export function controllerSelector(obj: KubeObject): KubeObject | undefined {
  if (obj.kind === 'ReplicationController') {
    const map = obj.spec?.selector ?? podTemplateOf(obj)?.labels;
    return map && typeof map === 'object' && Object.keys(map).length > 0 ? { matchLabels: map } : undefined;
  }
  const s = obj.spec?.selector;
  if (!s || typeof s !== 'object') return undefined;
  const empty = Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0;
  return empty ? undefined : s;
}

/** SW-TRACK-001: this controller's selector matches the Pod template of another controller. */
function overlap(obj: KubeObject, ctx: CheckContext): void {
  if (managedByController(obj)) return;
  const selector = controllerSelector(obj);
  if (!selector) return;
  const others = ctx.index.workloadsSelectedBy(namespaceOf(obj), selector)
    .filter(w => w.obj !== obj && SELECTING_CONTROLLER_KINDS.includes(w.obj.kind) && !managedByController(w.obj));
  if (others.length === 0) return;
  ctx.reporter.report(Rules.CONTROLLER_SELECTORS_OVERLAP, 'spec.selector', selector,
    `also matches the Pods of ${others.map(w => objectRef(w.obj)).join(', ')}, so the controllers count and manage each other's Pods`);
}

/** SW-TRACK-002: the Pods are covered by more than one PodDisruptionBudget. */
function budgets(obj: KubeObject, ctx: CheckContext): void {
  if (managedByController(obj)) return;
  const t = ctx.index.templateOf(obj);
  if (!t) return;
  const ns = namespaceOf(obj);
  const pdbs = ctx.index.budgetsCovering(ns, t.labels);
  if (pdbs.length < 2) return;
  ctx.reporter.report(Rules.POD_UNDER_TWO_BUDGETS, 'metadata.name', obj.metadata?.name,
    `its Pods are selected by ${pdbs.map(objectRef).join(' and ')}; the eviction API refuses to evict such a Pod, so drains stall`);
}

/** One controller's share of the Pods behind a Service. */
export interface TrafficShare {
  /** "Service/namespace/name". */
  readonly service: string;
  /** This controller's Pods ready to serve (its replicas, or its autoscaler's minimum). */
  readonly pods: number;
  /** The Pods of every controller the Service selects. */
  readonly total: number;
  /** The other controllers behind the Service and their Pods, e.g. "Deployment/shop/api-canary 1". */
  readonly others: readonly string[];
  /** Whether an autoscaler changes the numbers. */
  readonly autoscaled: boolean;
}

/**
 * The Services that send traffic to `obj`'s Pods together with another controller's Pods (release
 * tracks: stable and canary), with the split: kube-proxy spreads connections evenly over the
 * ready endpoints, so each controller's share follows its replica count.
 */
export function trafficShares(obj: KubeObject, index: ObjectIndex): TrafficShare[] {
  const t = index.templateOf(obj);
  if (!t || obj.kind === 'Pod') return [];
  const ns = namespaceOf(obj);
  const out: TrafficShare[] = [];
  for (const svc of index.servicesSelecting(ns, t.labels)) {
    if (typeof svc.spec.selector !== 'object') continue;
    const behind = index.workloadsSelectedBy(ns, { matchLabels: svc.spec.selector }).filter(w => SELECTING_CONTROLLER_KINDS.includes(w.obj.kind) && !managedByController(w.obj));
    if (behind.length < 2 || !behind.some(w => w.obj === obj)) continue;
    const counts = behind.map(w => ({ w, n: minPodsOf(w.obj, index) }));
    if (counts.some(c => c.n === undefined)) continue;
    out.push({
      service: objectRef(svc),
      pods: counts.find(c => c.w.obj === obj)!.n!,
      total: counts.reduce((sum, c) => sum + c.n!, 0),
      others: counts.filter(c => c.w.obj !== obj).map(c => `${objectRef(c.w.obj)} ${c.n}`),
      autoscaled: behind.some(w => hpaOf(w.obj, index) !== undefined),
    });
  }
  return out;
}

/**
 * Whether the Pods run behind a Service together with another controller's Pods, at least two
 * in all: then one replica of this controller (a canary) does not take the Service down when its
 * node is drained.
 */
export function backedByAnotherTrack(obj: KubeObject, index: ObjectIndex): boolean {
  return trafficShares(obj, index).some(s => s.total >= 2 && s.total > s.pods);
}

/** The release-track checks. */
export const TRACK_CHECKS: ObjectCheck[] = [
  { rules: [Rules.CONTROLLER_SELECTORS_OVERLAP], run: overlap },
  { rules: [Rules.POD_UNDER_TWO_BUDGETS], run: budgets },
];
