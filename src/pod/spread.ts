import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { maxSkewProblem } from '../rules/families/availability';
import { FindingCollector } from '../rules/collector';

/** How replicas are spread over nodes and zones. */
export interface SpreadProps {
  /**
   * Refuse to schedule a replica that would break the spread (DoNotSchedule), instead of
   * preferring the spread (ScheduleAnyway). Strict spreading can leave Pods Pending on small or
   * unevenly tainted clusters, so it is opt-in.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Largest allowed difference in replica count between two nodes (or zones).
   * @default 1
   */
  readonly maxSkew?: number;
}

/** Node labels replicas are spread over: one node, then one zone, dies as a unit. */
export const SPREAD_TOPOLOGY_KEYS = ['kubernetes.io/hostname', 'topology.kubernetes.io/zone'];

/**
 * Topology spread constraints over hostname and zone for Pods carrying `selector`.
 * `matchLabelKeys: [pod-template-hash]` (beta, on by default since 1.27) spreads each rollout's
 * new ReplicaSet on its own instead of counting the old Pods that are about to go.
 */
export function topologySpread(selector: Record<string, string>, props: SpreadProps | undefined): k8s.TopologySpreadConstraint[] {
  props ??= {};
  return SPREAD_TOPOLOGY_KEYS.map(topologyKey => ({
    topologyKey,
    maxSkew: props.maxSkew ?? 1,
    whenUnsatisfiable: props.strict ? 'DoNotSchedule' : 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
    matchLabelKeys: ['pod-template-hash'],
  }));
}

/** Reports spread settings the API server would reject. */
export function checkSpread(props: SpreadProps | undefined, collector: FindingCollector): void {
  if (props === undefined) return;
  if (props === null || typeof props !== 'object') {
    collector.report(Rules.PROPS_INVALID, 'spread', props, 'must be an object');
    return;
  }
  const skew = props.maxSkew;
  const problem = skew === undefined ? undefined : maxSkewProblem(skew);
  if (problem) collector.report(Rules.SPREAD_INVALID, 'spread.maxSkew', skew, problem);
}
