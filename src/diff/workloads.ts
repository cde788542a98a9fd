import { containersOf, KubeObject, podTemplateOf, replicasOf } from '../audit/kube';
import { budgetCoverage, minPodsOf } from '../audit/budgets';
import { hpaOf, ObjectIndex } from '../audit/object-index';
import { Rules } from '../rules/catalog';
import { rolloutPods } from '../rules/families/rollout';
import { Feature } from '../target/capabilities';
import { Entry, PairContext } from './context';
import { ConsequenceClass } from './model';
import { parsePath } from './paths';
import { changedPaths, same } from './values';

/**
 * "Will restart Pods" and the availability regressions of one workload: Pod-template changes
 * with the rollout they cause (the rollout math of `explain`), and replicas, budgets, rollout
 * bounds, readiness probes and spread compared before and after.
 */

const ROLLED = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);


/** Reports the rollout a Pod-template change causes, and whether it takes every Pod down. */
export function checkRollout(ctx: PairContext): void {
  const b = ctx.before.obj;
  const a = ctx.after.obj;
  if (!ROLLED.has(a.kind)) return;
  if (same(b.spec?.template, a.spec?.template)) return;
  const causes = causesOf(b, a);
  const field = 'spec.template';
  const images = (o: KubeObject) => containersOf(podTemplateOf(o)!).map(c => c.container.image);
  const [imagesBefore, imagesAfter] = [images(b), images(a)];
  const what = `Pod template changed (${causes.join(', ')})`;
  if (a.kind === 'Deployment') {
    const hpa = hpaOf(a, ctx.sides.after);
    const replicas = hpa ? undefined : replicasOf(a) ?? 1;
    const count = replicas ?? `${hpa!.spec?.minReplicas ?? 1}–${hpa!.spec?.maxReplicas}`;
    const basis = replicas ?? hpa!.spec?.minReplicas ?? 1;
    const s = a.spec?.strategy ?? {};
    if (s.type === 'Recreate') {
      ctx.report(ctx.after, Rules.DIFF_ROLLOUT_OUTAGE, ConsequenceClass.AVAILABILITY, 'spec.strategy.type', b.spec?.strategy?.type, 'Recreate', `${what}: Recreate stops all ${count} Pods before any new one starts`);
    }
    const surge = rolloutPods(basis, s.rollingUpdate?.maxSurge ?? '25%', true);
    const unavailable = rolloutPods(basis, s.rollingUpdate?.maxUnavailable ?? '25%', false);
    if (s.type !== 'Recreate' && unavailable >= basis && basis > 0) {
      ctx.report(ctx.after, Rules.DIFF_ROLLOUT_OUTAGE, ConsequenceClass.AVAILABILITY, 'spec.strategy.rollingUpdate.maxUnavailable', b.spec?.strategy?.rollingUpdate?.maxUnavailable, s.rollingUpdate?.maxUnavailable ?? '25%', `${what}: maxUnavailable lets all ${basis} Pod${basis === 1 ? '' : 's'} go down at once`);
    }
    const how = s.type === 'Recreate' ? 'all at once (Recreate)' : `rolling, up to ${surge} extra and at most ${unavailable} unavailable at a time`;
    ctx.report(ctx.after, Rules.DIFF_ROLLOUT, ConsequenceClass.RESTART, field, imagesBefore, imagesAfter, `${what}: replaces ${count} Pod${count === 1 ? '' : 's'}, ${how}`);
  } else if (a.kind === 'StatefulSet') {
    const replicas = replicasOf(a) ?? 1;
    const u = a.spec?.updateStrategy ?? {};
    if (u.type === 'OnDelete') {
      ctx.report(ctx.after, Rules.DIFF_ROLLOUT, ConsequenceClass.RESTART, field, imagesBefore, imagesAfter, `${what}: updateStrategy OnDelete, so no Pod restarts until it is deleted; the ${replicas} Pods keep the old template`);
      return;
    }
    const partition = Number(u.rollingUpdate?.partition ?? 0);
    const n = Math.max(replicas - partition, 0);
    const order = `one at a time from ordinal ${replicas - 1} down to ${partition}, each waiting for the previous to be Ready`;
    ctx.report(ctx.after, Rules.DIFF_ROLLOUT, ConsequenceClass.RESTART, field, imagesBefore, imagesAfter, `${what}: replaces ${n} of ${replicas} Pods${partition ? ` (partition ${partition} keeps ordinals below it)` : ''}, ${order}`);
    if (replicas === 1 && n === 1) ctx.report(ctx.after, Rules.DIFF_ROLLOUT_OUTAGE, ConsequenceClass.AVAILABILITY, 'spec.replicas', b.spec?.replicas, a.spec?.replicas, `${what}: the only replica is stopped before its replacement starts`);
  } else {
    const u = a.spec?.updateStrategy ?? {};
    if (u.type === 'OnDelete') {
      ctx.report(ctx.after, Rules.DIFF_ROLLOUT, ConsequenceClass.RESTART, field, imagesBefore, imagesAfter, `${what}: updateStrategy OnDelete, so no Pod restarts until it is deleted`);
      return;
    }
    const ru = u.rollingUpdate ?? {};
    const sidecars = containersOf(podTemplateOf(a)!).some(c => c.sidecar) && ctx.target.has(Feature.NATIVE_SIDECARS) ? '; native sidecars start before and stop after the app in each new Pod' : '';
    ctx.report(ctx.after, Rules.DIFF_ROLLOUT, ConsequenceClass.RESTART, field, imagesBefore, imagesAfter, `${what}: replaces the Pod on every node, ${ru.maxUnavailable ?? 1} node(s) at a time${ru.maxSurge ? ` (surging ${ru.maxSurge})` : ''}${sidecars}`);
  }
}

/** Why a Pod template changed: per container image, env, resources, probes…; then Pod-level parts. */
function causesOf(b: KubeObject, a: KubeObject): string[] {
  const causes: string[] = [];
  const tb = podTemplateOf(b);
  const ta = podTemplateOf(a);
  if (!tb || !ta) return ['template'];
  const before = new Map(containersOf(tb).map(c => [c.container.name, c.container]));
  for (const { container } of containersOf(ta)) {
    const old = before.get(container.name);
    if (!old) {
      causes.push(`container "${container.name}" added`);
      continue;
    }
    before.delete(container.name);
    const parts: string[] = [];
    if (old.image !== container.image) parts.push(`image ${old.image} → ${container.image}`);
    if (!same(old.env, container.env) || !same(old.envFrom, container.envFrom)) parts.push('env');
    if (!same(old.resources, container.resources, ['resources'])) parts.push('resources');
    if (!same([old.readinessProbe, old.livenessProbe, old.startupProbe], [container.readinessProbe, container.livenessProbe, container.startupProbe])) parts.push('probes');
    if (!same([old.command, old.args], [container.command, container.args])) parts.push('command');
    if (!same(old.volumeMounts, container.volumeMounts)) parts.push('mounts');
    const known = ['image', 'env', 'envFrom', 'resources', 'readinessProbe', 'livenessProbe', 'startupProbe', 'command', 'args', 'volumeMounts'];
    const other = [...new Set(changedPaths(old, container).map(topField))].filter(f => !known.includes(f));
    if (other.length > 0) parts.push(other.join(', '));
    if (parts.length > 0) causes.push(`"${container.name}": ${parts.join(', ')}`);
  }
  for (const name of before.keys()) causes.push(`container "${name}" removed`);
  const hashes = Object.keys({ ...ta.annotations, ...tb.annotations }).filter(k => ta.annotations[k] !== tb.annotations[k]);
  if (hashes.length > 0) causes.push(`annotation${hashes.length > 1 ? 's' : ''} ${hashes.join(', ')}${hashes.some(h => /hash|checksum/.test(h)) ? ' (config changed)' : ''}`);
  if (!same(tb.labels, ta.labels)) causes.push('labels');
  const podLevel = [...new Set(changedPaths(without(tb.spec), without(ta.spec)).map(topField))];
  if (podLevel.length > 0) causes.push(`Pod ${podLevel.join(', ')}`);
  return causes.length > 0 ? causes : ['template'];
}

/** The first step of a changed path: the field of a container or Pod spec that changed. */
function topField(path: string): string {
  return String(parsePath(path)?.[0] ?? path);
}

function without(spec: KubeObject): KubeObject {
  const { containers: _c, initContainers: _i, ...rest } = spec;  
  return rest;
}

/** Availability regressions of a workload: replicas, rollout bounds, readiness probes, spread. */
export function checkWorkloadAvailability(ctx: PairContext): void {
  const b = ctx.before.obj;
  const a = ctx.after.obj;
  const tb = podTemplateOf(b);
  const ta = podTemplateOf(a);
  if (!tb || !ta) return;
  // Replicas (the HPA's minimum when one scales it): attributed to the workload here, to the HPA in checkHpa.
  const rb = minPodsOf(b, ctx.sides.before);
  const ra = minPodsOf(a, ctx.sides.after);
  if (rb !== undefined && ra !== undefined && rb >= 2 && ra < 2 && !hpaOf(a, ctx.sides.after)) {
    ctx.report(ctx.after, Rules.DIFF_FEWER_REPLICAS, ConsequenceClass.AVAILABILITY, 'spec.replicas', b.spec?.replicas, a.spec?.replicas, `drops from ${rb} to ${ra} replica${ra === 1 ? '' : 's'}: a node drain or crash is an outage`);
  }
  if (a.kind === 'Deployment' && rb !== undefined && ra !== undefined) {
    const down = (o: KubeObject, n: number) => (o.spec?.strategy?.type === 'Recreate' ? n : rolloutPods(n, o.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%', false));
    const before = down(b, ra);
    const after = down(a, ra);
    if (after > before) {
      const field = a.spec?.strategy?.type === 'Recreate' ? 'spec.strategy.type' : 'spec.strategy.rollingUpdate.maxUnavailable';
      const value = (o: KubeObject) => (field === 'spec.strategy.type' ? o.spec?.strategy?.type ?? 'RollingUpdate' : o.spec?.strategy?.rollingUpdate?.maxUnavailable ?? '25%');
      ctx.report(ctx.after, Rules.DIFF_LESS_AVAILABLE_ROLLOUT, ConsequenceClass.AVAILABILITY, field, value(b), value(a), `rollouts may now take ${after} of ${ra} Pods down at once (before: ${before})`);
    }
  }
  if (a.kind === 'DaemonSet') {
    const mu = (o: KubeObject) => o.spec?.updateStrategy?.rollingUpdate?.maxUnavailable ?? 1;
    if (typeof mu(b) === typeof mu(a) && parseFloat(String(mu(a))) > parseFloat(String(mu(b)))) {
      ctx.report(ctx.after, Rules.DIFF_LESS_AVAILABLE_ROLLOUT, ConsequenceClass.AVAILABILITY, 'spec.updateStrategy.rollingUpdate.maxUnavailable', mu(b), mu(a), 'more nodes lose their Pod at once during updates');
    }
  }
  const afterByName = new Map(containersOf(ta).map(c => [c.container.name, c]));
  for (const c of containersOf(tb)) {
    const now = afterByName.get(c.container.name);
    if (c.container.readinessProbe && now && !now.container.readinessProbe) {
      ctx.report(ctx.after, Rules.DIFF_READINESS_REMOVED, ConsequenceClass.AVAILABILITY, `${now.path}.readinessProbe`, c.container.readinessProbe, undefined, `container "${c.container.name}" loses its readiness probe: it gets traffic before it can serve`);
    }
  }
  const spread = (t: NonNullable<ReturnType<typeof podTemplateOf>>) => (t.spec.topologySpreadConstraints?.length ?? 0) > 0 || Boolean(t.spec.affinity?.podAntiAffinity);
  if (spread(tb) && !spread(ta) && (ra ?? 2) >= 2) {
    ctx.report(ctx.after, Rules.DIFF_SPREAD_REMOVED, ConsequenceClass.AVAILABILITY, `${ta.path}.topologySpreadConstraints`, tb.spec.topologySpreadConstraints ?? tb.spec.affinity?.podAntiAffinity, undefined, 'nothing keeps the replicas off one node or zone any more');
  }
}

/** An HPA whose minimum drops below 2. */
export function checkHpa(ctx: PairContext): void {
  const b = ctx.before.obj;
  const a = ctx.after.obj;
  if (a.kind !== 'HorizontalPodAutoscaler') return;
  const mb = b.spec?.minReplicas ?? 1;
  const ma = a.spec?.minReplicas ?? 1;
  if (mb >= 2 && ma < 2) ctx.report(ctx.after, Rules.DIFF_FEWER_REPLICAS, ConsequenceClass.AVAILABILITY, 'spec.minReplicas', b.spec?.minReplicas, a.spec?.minReplicas, `${a.spec?.scaleTargetRef?.kind}/${a.spec?.scaleTargetRef?.name} may scale down to ${ma} replica: a node drain or crash is an outage`);
}

/**
 * PodDisruptionBudgets that newly allow zero disruptions, for the workloads they select at their
 * minimum replicas. Reported on the budget (its after side); checked for every budget of a group
 * where a budget, a workload or an HPA changed.
 */
export function checkBudgets(pdbs: readonly { before?: Entry; after: Entry }[], before: ObjectIndex, after: ObjectIndex, report: PairContext['report']): void {
  for (const { before: pb, after: pa } of pdbs) {
    // Over the Pods of every controller the budget selects together, as the eviction API counts them.
    const allowed = (pdb: KubeObject, index: ObjectIndex): { n: number; of: string } | undefined => {
      const coverage = budgetCoverage(pdb, index);
      return coverage?.allowed === undefined ? undefined : { n: coverage.allowed, of: coverage.description };
    };
    const now = allowed(pa.obj, after);
    if (!now || now.n > 0) continue;
    const then = pb ? allowed(pb.obj, before) : undefined;
    if (then && then.n === 0) continue;
    const field = pa.obj.spec?.maxUnavailable !== undefined ? 'spec.maxUnavailable' : 'spec.minAvailable';
    const value = (o: KubeObject | undefined) => o?.spec?.maxUnavailable ?? o?.spec?.minAvailable;
    report(pa, Rules.DIFF_PDB_BLOCKS, ConsequenceClass.AVAILABILITY, field, value(pb?.obj), value(pa.obj), `now allows no disruption of ${now.of}${then ? ` (before: ${then.n})` : ''}: node drains block`);
  }
}
