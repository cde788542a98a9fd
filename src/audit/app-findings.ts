import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Finding, findingMessage } from '../rules/finding';
import { _installManifestAuditor } from '../rules/findings-reader';
import { grade, Profile, Profiles } from '../rules/profile';
import { fastRendering } from '../synth/fast-render';
import { renderJson } from '../synth/own-keys';
import { KubernetesTarget } from '../target/target';
import { KubernetesVersion } from '../target/versions';
import { auditOnce, AuditedObject } from './audit-memo';
import { audit, AuditFinding } from './engine';
import { KubeObject, objectRef } from './kube';

/** Manifest rules that report a problem a construct rule with another id already reports. */
const SAME_PROBLEM: Readonly<Record<string, readonly string[]>> = {
  // One replica: the constructs say it as "a disruption-protected workload runs at least two".
  'SW-REPLICAS-002': ['SW-PDB-002'],
};

/** One audit finding on an object of the app, and what `Findings.of(app)` makes of it. @internal */
export interface ManifestVerdict {
  /** The audit's finding, on the rendered object (the same as `seaworthy audit` reports on the written file). */
  readonly audit: AuditFinding;
  /** The ApiObject the finding is on. */
  readonly object: ApiObject;
  /** The construct findings are reported under: the one directly under the object's chart. */
  readonly owner: IConstruct;
  /**
   * The finding as `Findings.of(app)` reports it (severity under the owner's profile, a waived
   * rule as info); undefined when it is left out (see `coveredBy`, or the rule is off in the
   * owner's profile).
   */
  readonly finding?: Finding;
  /** The construct finding that already reports this problem, when that is why it is left out. */
  readonly coveredBy?: Finding;
}

/**
 * What `manifestFindings` computes, finding by finding: each audit finding on an object of the
 * app, with what `Findings.of(app)` makes of it, and why it is left out when it is (for the test
 * that holds `Findings.of(app)` equal to the audit of the written output). @internal
 */
export function manifestVerdicts(app: IConstruct, constructFindings: readonly Finding[]): ManifestVerdict[] {
  const apiObjects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.isChart(c.chart));
  if (apiObjects.length === 0) return [];
  const owners = new Map<KubeObject, ApiObject>();
  const inputs: Array<{ object: KubeObject; group: string }> = [];
  const audited: AuditedObject[] = [];
  // Outside a synthesis (Findings.of(app)) too, each object renders in one walk.
  fastRendering(() => {
    for (const o of apiObjects) {
      let object: KubeObject;
      try {
        object = renderJson(o) as KubeObject;
      } catch {
        // An object that cannot render fails synthesis itself, with its own error; reading findings must not.
        continue;
      }
      owners.set(object, o);
      // Version-dependent rules judge each object for its chart's target; charts of different
      // targets are different clusters, so cross-object rules do not relate them.
      const group = KubernetesTarget.of(o).version;
      inputs.push({ object, group });
      audited.push({ group, json: object });
    }
  });
  const reported = new Map(constructFindings.map(f => [`${f.rule.id}\0${f.path}`, f]));
  const out: ManifestVerdict[] = [];
  const byRef = new Map(inputs.map(i => [objectRef(i.object), owners.get(i.object)!]));
  // Audited under the production profile, then re-graded under the profile of each owner.
  // Once per rendering: Findings.of(app) and the synthesis that follows share the audit.
  const findings = auditOnce(app, audited, () => [...new Set(inputs.map(i => i.group))].flatMap(version =>
    // The app is the whole deployment: a closed world, judged in full.
    audit(inputs.filter(i => i.group === version), { profile: Profile.PRODUCTION, kubernetesVersion: version as KubernetesVersion, complete: true })));
  for (const f of findings) {
    const object = byRef.get(f.object);
    if (!object) continue;
    // The construct directly under the chart (the workload), as construct findings name it.
    const chartAt = object.node.scopes.findIndex(s => Chart.isChart(s));
    const owner = object.node.scopes[chartAt + 1] ?? object;
    const scopes = object.node.scopes.map(s => s.node.path);
    const ids = [f.rule.id, ...(SAME_PROBLEM[f.rule.id] ?? [])];
    const coveredBy = scopes.flatMap(p => ids.map(id => reported.get(`${id}\0${p}`))).find(x => x !== undefined);
    if (coveredBy) {
      out.push({ audit: f, object, owner, coveredBy });
      continue;
    }
    const severity = grade(f.rule, Profiles.of(object), f.waived);
    if (severity === undefined) {
      out.push({ audit: f, object, owner });
      continue;
    }
    const path = owner.node.path;
    const field = `${f.object} ${f.field}`;
    const finding: Finding = { rule: f.rule, severity, path, field, value: f.value, problem: f.problem, message: findingMessage(path, { rule: f.rule, field, value: f.value, problem: f.problem }) };
    out.push({ audit: f, object, owner, finding });
  }
  return out;
}

/**
 * The manifest rules at synth: every object check of the audit (`ALL_CHECKS`, the same list
 * `seaworthy audit` runs) over the objects of an app, rendered once (each ApiObject's
 * `toJson()` through `renderOnce()`, no YAML), as one deploy group per Kubernetes target. A new
 * manifest rule needs no wiring here: add its check to `src/audit/checks/*` (OBJECT_CHECKS or
 * POD_CHECKS) and it runs in the audit, in the validation plugin, in `Findings.of(app)` and at
 * synthesis.
 *
 * Each finding is attributed to the construct that owns the object (its path, as construct
 * findings are), with the object and field in `field`; severities follow the profile in force
 * at that construct. A finding is left out when a construct at or above the object already
 * reported the same rule, so a problem is never reported twice. Errors are reported here, not
 * thrown: synthesis stops on them through the validation `Findings` installs on the app (see
 * `enforceManifestRules`).
 */
export function manifestFindings(app: IConstruct, constructFindings: readonly Finding[]): Finding[] {
  return manifestVerdicts(app, constructFindings).flatMap(v => (v.finding ? [v.finding] : []));
}

_installManifestAuditor(manifestFindings);
