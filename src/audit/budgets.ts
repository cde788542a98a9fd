import { allowedDisruptions } from '../workloads/disruption-budget';
import { KubeObject, managedByController, replicasOf } from './kube';
import { hpaOf, namespaceOf, ObjectIndex } from './object-index';

/** Kinds whose Pod count is a replica count (that an autoscaler may manage). */
const REPLICATED_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];

/**
 * The fewest Pods a replicated controller runs: its autoscaler's minReplicas when one scales
 * it, else spec.replicas (default 1); undefined for kinds without a replica count (DaemonSets,
 * Jobs, Pods).
 */
export function minPodsOf(obj: KubeObject, index: ObjectIndex): number | undefined {
  if (!REPLICATED_KINDS.includes(obj.kind)) return undefined;
  const hpa = hpaOf(obj, index);
  return hpa ? hpa.spec?.minReplicas ?? 1 : replicasOf(obj) ?? 1;
}

/** The disruptions a PodDisruptionBudget allows over every controller it selects. */
export interface BudgetCoverage {
  /** `maxUnavailable` when set, else `minAvailable`. */
  readonly field: 'maxUnavailable' | 'minAvailable';
  /** Pods of every selected controller together, each at its fewest. */
  readonly pods: number;
  /** The selected controllers and their Pods, in audit order. */
  readonly controllers: readonly { readonly obj: KubeObject; readonly pods: number }[];
  /** Disruptions allowed at `pods` (undefined: the value is malformed). */
  readonly allowed: number | undefined;
  /** The Pods the budget guards, e.g. "Deployment/web at 1 replica" or "10 Pods of Deployment/a (9) and Deployment/b (1)". */
  readonly description: string;
}

/**
 * What a PodDisruptionBudget allows: the eviction API counts every Pod its selector matches, so
 * one budget over a stable and a canary Deployment (the same `app` labels) guards the Pods of
 * both together, not each controller's on its own. Undefined when it selects no replicated
 * controller.
 */
export function budgetCoverage(pdb: KubeObject, index: ObjectIndex): BudgetCoverage | undefined {
  const controllers: { obj: KubeObject; pods: number }[] = [];
  for (const w of index.workloadsSelectedBy(namespaceOf(pdb), pdb.spec?.selector)) {
    // A ReplicaSet a Deployment owns is counted through its Deployment.
    if (managedByController(w.obj)) continue;
    const pods = minPodsOf(w.obj, index);
    if (pods !== undefined) controllers.push({ obj: w.obj, pods });
  }
  if (controllers.length === 0) return undefined;
  const field = pdb.spec?.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable';
  const pods = controllers.reduce((sum, c) => sum + c.pods, 0);
  const description = controllers.length === 1
    ? `${controllers[0].obj.kind}/${controllers[0].obj.metadata?.name} at ${pods} replica${pods === 1 ? '' : 's'}`
    : `the ${pods} Pods of ${controllers.map(c => `${c.obj.kind}/${c.obj.metadata?.name} (${c.pods})`).join(' and ')}`;
  return { field, pods, controllers, allowed: allowedDisruptions(field, pdb.spec?.[field], pods), description };
}
