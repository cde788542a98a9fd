import * as path from 'path';
import { waiversOf } from '../audit/waivers';
import { KubeObject, objectRef, podTemplateOf } from '../audit/kube';
import { ObjectIndex } from '../audit/object-index';
import { Rules } from '../rules/catalog';
import { makeFinding } from '../rules/finding';
import { grade, Profile } from '../rules/profile';
import { KubernetesTarget } from '../target/target';
import { withoutZeroDefaults } from '../target/zero-defaults';
import { Entry, GroupSides, objectKey, PairContext, Report } from './context';
import { checkApplications, checkDeletion, reportRename } from './deletions';
import { checkImmutable } from './immutable';
import { CONSEQUENCE_CLASSES, Consequence, ConsequenceClass, DiffInput, DiffOptions, DiffResult, ObjectChange } from './model';
import { checkHosts, checkServiceExposure, checkTraffic, checkUnattachedPolicies } from './traffic';
import { checkBudgets, checkHpa, checkRollout, checkWorkloadAvailability } from './workloads';
import { canonical, changedPaths, deepEqual } from './values';

/**
 * Compares two versions of a set of manifests and says what applying the second over the first
 * will do in the cluster: objects are matched by deployment group, API group, kind, namespace
 * and name; each created, deleted or changed object gets its classified consequences, each a
 * finding of an `SW-DIFF-*` rule of the catalog (severities from the profile, waivers from the
 * object's `seaworthy.dev/waivers` annotation). Objects are compared as the API server stores
 * them, without the zero values it drops (`ZERO_DEFAULTS`). Linear in the number of objects.
 */
export function diffManifests(before: readonly DiffInput[], after: readonly DiffInput[], options: DiffOptions = {}): DiffResult {
  const profile = options.profile ?? Profile.PRODUCTION;
  const target = options.kubernetesVersion === undefined ? KubernetesTarget.DEFAULT : KubernetesTarget.version(options.kubernetesVersion, 'diff');
  const consequences: Consequence[] = [];
  const changes: ObjectChange[] = [];
  const summary = { created: 0, deleted: 0, changed: 0, unchanged: 0, renamed: 0 };

  const sideOf = (inputs: readonly DiffInput[]) => {
    const groups = new Map<string, Map<string, Entry>>();
    for (const input of inputs) {
      // As the API server stores it: an omitted zero value and an explicit one are the same object.
      const obj = withoutZeroDefaults(input.object) as KubeObject;
      if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string') continue;
      const group = input.group ?? '';
      const key = objectKey(group, obj);
      let map = groups.get(group);
      if (!map) groups.set(group, map = new Map());
      if (!map.has(key)) map.set(key, { obj, input, key, group });
    }
    return groups;
  };
  const beforeGroups = sideOf(before);
  const afterGroups = sideOf(after);
  const files = (groups: Map<string, Map<string, Entry>>) => new Set([...groups.values()].flatMap(m => [...m.values()].map(e => e.input.file)).filter((f): f is string => typeof f === 'string').map(f => path.resolve(f)));
  const filesBefore = files(beforeGroups);
  const filesAfter = files(afterGroups);

  const apps: Array<{ before?: Entry; after: Entry }> = [];
  let current: Map<Entry, 'created' | 'deleted' | 'changed'> = new Map();
  const report: Report = (on, rule, cls, field, valueBefore, valueAfter, problem) => {
    const waiver = waiversOf(on.obj).get(rule.id);
    const severity = grade(rule, profile, waiver);
    if (severity === undefined) return;
    const ref = objectRef(on.obj);
    const shownAfter = makeFinding(rule, ref, field, valueAfter, '').value;
    const shownBefore = makeFinding(rule, ref, field, valueBefore, '').value;
    const base = makeFinding(rule, ref, field, valueAfter === undefined ? valueBefore : valueAfter, waiver ? `${problem} (waived: ${waiver})` : problem, severity);
    const where = on.input.file ? `${on.input.file}${on.input.line ? `:${on.input.line}` : ''}: ` : '';
    consequences.push({
      ...base,
      message: `${where}${base.message}`,
      object: ref, file: on.input.file, line: on.input.line, waived: waiver,
      consequenceClass: cls, change: current.get(on) ?? 'changed', before: shownBefore, after: shownAfter,
    });
  };

  for (const group of [...new Set([...beforeGroups.keys(), ...afterGroups.keys()])].sort()) {
    const b = beforeGroups.get(group) ?? new Map<string, Entry>();
    const a = afterGroups.get(group) ?? new Map<string, Entry>();
    const sides: GroupSides = { before: new ObjectIndex([...b.values()].map(e => e.obj)), after: new ObjectIndex([...a.values()].map(e => e.obj)), beforeByKey: b, afterByKey: a };
    current = new Map();
    const changed: Array<{ before: Entry; after: Entry }> = [];
    const created: Entry[] = [];
    const deleted: Entry[] = [];
    for (const [key, entry] of a) {
      const old = b.get(key);
      if (!old) {
        created.push(entry);
        current.set(entry, 'created');
      } else if (!deepEqual(old.obj, entry.obj)) {
        changed.push({ before: old, after: entry });
        current.set(entry, 'changed');
      } else {
        summary.unchanged++;
      }
    }
    for (const [key, entry] of b) {
      if (!a.has(key)) {
        deleted.push(entry);
        current.set(entry, 'deleted');
      }
    }
    summary.created += created.length;
    summary.deleted += deleted.length;
    summary.changed += changed.length;

    for (const pair of changed) {
      const ctx: PairContext = { before: pair.before, after: pair.after, sides, target, report };
      const refused = checkImmutable(ctx);
      // A refused update changes nothing, so it has no other consequence.
      if (!refused) {
        checkRollout(ctx);
        checkWorkloadAvailability(ctx);
        checkHpa(ctx);
      }
      checkServiceExposure(pair.before.obj, pair.after, report);
      checkHosts(pair.before.obj, pair.after, report);
      changes.push({ object: objectRef(pair.after.obj), change: 'changed', group, file: pair.after.input.file, line: pair.after.input.line, fields: changedPaths(pair.before.obj, pair.after.obj) });
    }
    for (const entry of created) {
      checkServiceExposure(undefined, entry, report);
      checkHosts(undefined, entry, report);
      changes.push({ object: objectRef(entry.obj), change: 'created', group, file: entry.input.file, line: entry.input.line, fields: [] });
    }
    for (const entry of deleted) {
      checkDeletion(entry, report);
      changes.push({ object: objectRef(entry.obj), change: 'deleted', group, file: entry.input.file, line: entry.input.line, fields: [] });
    }

    // Renames: a deleted object whose content (all but its name) reappears in a created one.
    const body = (e: Entry) => {
      const { metadata, ...rest } = e.obj;
      const { name: _name, ...meta } = (metadata ?? {}) as KubeObject;
      return `${e.obj.apiVersion}\0${e.obj.kind}\0${meta.namespace ?? ''}\0${canonical({ ...rest, metadata: { ...meta, labels: undefined } })}`;
    };
    const gone = new Map<string, Entry>();
    if (deleted.length > 0 && created.length > 0) for (const e of deleted) gone.set(body(e), e);
    for (const e of gone.size > 0 ? created : []) {
      const key = body(e);
      const old = gone.get(key);
      if (old) {
        summary.renamed++;
        gone.delete(key);
        reportRename(old, e, report);
      }
    }

    // Cross-object consequences: budgets, traffic, Applications.
    const touchedKinds = new Set([...changed.map(c => c.after.obj.kind), ...created.map(e => e.obj.kind), ...deleted.map(e => e.obj.kind)]);
    const relevant = (kinds: readonly string[]) => kinds.some(k => touchedKinds.has(k));
    if (relevant(['PodDisruptionBudget', 'Deployment', 'StatefulSet', 'ReplicaSet', 'HorizontalPodAutoscaler'])) {
      const pdbs = [...a.values()].filter(e => e.obj.kind === 'PodDisruptionBudget').map(e => ({ before: b.get(e.key), after: e }));
      checkBudgets(pdbs, sides.before, sides.after, report);
    }
    const policies = [
      ...changed.filter(c => c.after.obj.kind === 'NetworkPolicy'),
      ...created.filter(e => e.obj.kind === 'NetworkPolicy').map(e => ({ after: e })),
      ...deleted.filter(e => e.obj.kind === 'NetworkPolicy').map(e => ({ before: e })),
    ];
    if (policies.length > 0) {
      const workloads = [...a.values()].filter(e => podTemplateOf(e.obj) && b.has(e.key)).map(e => ({ before: b.get(e.key)!, after: e }));
      checkTraffic(workloads, policies, sides.before, sides.after, report);
      checkUnattachedPolicies(policies, sides.after, report);
    }
    apps.push(...[...a.values()].filter(e => e.obj.kind === 'Application').map(e => ({ before: b.get(e.key), after: e })));
  }
  // Applications may point at any group's directory: checked once, when anything changed.
  if (summary.created + summary.deleted + summary.changed > 0) checkApplications(apps, filesBefore, filesAfter, options.repoRoot ?? process.cwd(), report);

  const order = new Map(CONSEQUENCE_CLASSES.map((c, i) => [c.cls, i]));
  consequences.sort((x, y) => order.get(x.consequenceClass)! - order.get(y.consequenceClass)! || (x.file ?? '').localeCompare(y.file ?? '') || (x.line ?? 0) - (y.line ?? 0));
  changes.sort((x, y) => (x.file ?? '').localeCompare(y.file ?? '') || (x.line ?? 0) - (y.line ?? 0));
  return { kubernetesVersion: target.version, summary, consequences, changes };
}

/**
 * The objects ("Kind/namespace/name") whose update the API server will refuse: those with a
 * "will be rejected" consequence, and those an Argo CD Replace=true sync replaces because of one.
 */
export function rejectedObjects(result: DiffResult): Set<string> {
  return new Set(result.consequences.filter(c => c.consequenceClass === ConsequenceClass.REJECTED || c.rule.id === Rules.DIFF_REPLACED.id).map(c => c.object));
}
