import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Finding, findingMessage } from '../rules/finding';
import { _installManifestAuditor } from '../rules/findings-reader';
import { grade, Profile, Profiles } from '../rules/profile';
import { renderJson } from '../synth/own-keys';
import { KubernetesTarget } from '../target/target';
import { KubernetesVersion } from '../target/versions';
import { audit } from './engine';
import { KubeObject, objectRef } from './kube';

/** Manifest rules that report a problem a construct rule with another id already reports. */
const SAME_PROBLEM: Readonly<Record<string, readonly string[]>> = {
  // One replica: the constructs say it as "a disruption-protected workload runs at least two".
  'SW-REPLICAS-002': ['SW-PDB-002'],
};

/**
 * The manifest rules at synth: every object check of the audit (`ALL_CHECKS`, the same list
 * `seaworthy audit` runs) over the objects of an app, rendered once (each ApiObject's
 * `toJson()`, no validation pass, no YAML), as one deploy group. A new manifest rule needs no
 * wiring here: add its check to `src/audit/checks/*` (OBJECT_CHECKS or POD_CHECKS) and it runs
 * in the audit, in the validation plugin and in `Findings.of(app)`.
 *
 * Each finding is attributed to the construct that owns the object (its path, as construct
 * findings are), with the object and field in `field`; severities follow the profile in force
 * at that construct. A finding is left out when a construct at or above the object already
 * reported the same rule, so a problem is never reported twice. Errors are reported, not thrown:
 * the constructs' own error rules still stop synthesis.
 */
export function manifestFindings(app: IConstruct, constructFindings: readonly Finding[]): Finding[] {
  const apiObjects = app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject && Chart.isChart(c.chart));
  if (apiObjects.length === 0) return [];
  const owners = new Map<KubeObject, ApiObject>();
  const inputs: Array<{ object: KubeObject; group: string }> = [];
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
    inputs.push({ object, group: KubernetesTarget.of(o).version });
  }
  const reported = new Set(constructFindings.map(f => `${f.rule.id}\0${f.path}`));
  const out: Finding[] = [];
  const byRef = new Map(inputs.map(i => [objectRef(i.object), owners.get(i.object)!]));
  // Audited under the production profile, then re-graded under the profile of each owner.
  const findings = [...new Set(inputs.map(i => i.group))].flatMap(version =>
    // The app is the whole deployment: a closed world, judged in full.
    audit(inputs.filter(i => i.group === version), { profile: Profile.PRODUCTION, kubernetesVersion: version as KubernetesVersion, complete: true }));
  for (const f of findings) {
    const owner = byRef.get(f.object);
    if (!owner) continue;
    const scopes = owner.node.scopes.map(s => s.node.path);
    const ids = [f.rule.id, ...(SAME_PROBLEM[f.rule.id] ?? [])];
    if (scopes.some(p => ids.some(id => reported.has(`${id}\0${p}`)))) continue;
    const severity = grade(f.rule, Profiles.of(owner), f.waived);
    if (severity === undefined) continue;
    // The construct directly under the chart (the workload), as construct findings name it.
    const chartAt = owner.node.scopes.findIndex(s => Chart.isChart(s));
    const path = (owner.node.scopes[chartAt + 1] ?? owner).node.path;
    const field = `${f.object} ${f.field}`;
    out.push({ rule: f.rule, severity, path, field, value: f.value, problem: f.problem, message: findingMessage(path, { rule: f.rule, field, value: f.value, problem: f.problem }) });
  }
  return out;
}

_installManifestAuditor(manifestFindings);
