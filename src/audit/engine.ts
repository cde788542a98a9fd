import { Finding, makeFinding } from '../rules/finding';
import { grade, Profile } from '../rules/profile';
import { Rule, Severity } from '../rules/rule';
import { KubernetesTarget } from '../target/target';
import { objectIdentity } from '../synth/duplicates';
import { KubernetesVersion } from '../target/versions';
import { checkKinds, CheckContext, ObjectCheck } from './check';
import { ALL_CHECKS } from './checks';
import { declaredOnly, Recorder } from './checks/declared';
import { KubeObject, objectRef } from './kube';
import { ObjectIndex } from './object-index';
import { containerWaiver, waiversOf } from './waivers';
import { NOT_SEEN } from './world';

/** An object to audit, with where it came from. */
export interface AuditInput {
  /** The parsed object. */
  readonly object: object;
  /**
   * File it was read from.
   * @default - none (objects from memory)
   */
  readonly file?: string;
  /**
   * 1-based line of the document in the file.
   * @default - none
   */
  readonly line?: number;
  /**
   * The files applied together by one `kubectl apply -f <folder>` (the CLI groups by directory):
   * an object defined twice within a group is a duplicate (SW-OBJECT-001), and only its last
   * definition is judged. References and selectors are resolved in the group first, then over
   * the whole input of one `audit()` call, so an HorizontalPodAutoscaler in a sub-folder of its
   * Deployment's folder finds it.
   * @default - one group
   */
  readonly group?: string;
}

/** A finding on one object of an audit. */
export interface AuditFinding extends Finding {
  /** "Kind/namespace/name" of the object. */
  readonly object: string;
  /** File the object came from, if any. */
  readonly file?: string;
  /** Line of the object's document in the file, if known. */
  readonly line?: number;
  /** The waiver's reason when the object waives this rule. */
  readonly waived?: string;
}

/** Options of `audit()`. */
export interface AuditOptions {
  /**
   * Profile deciding the severities.
   * @default Profile.PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * The Kubernetes minor the manifests are for: version-dependent rules (removed API versions,
   * native sidecars, safe sysctls, the preStop sleep action) judge against it.
   * @default KubernetesTarget.DEFAULT
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * Whether the audited objects are the whole deployment (a closed world): `Findings.of(app)`,
   * a dist/ written by seaworthy, `seaworthy audit --complete`. In a complete set a selector
   * that matches nothing or a reference to an object that is not in it is an error; in an open
   * set (any other YAML) the object may live elsewhere (another chart, an operator's Pods), so
   * such findings are infos saying why they cannot be judged.
   * @default false
   */
  readonly complete?: boolean;
}

/**
 * Audits manifests with every rule of the catalog that applies to objects: each object against
 * the checks registered for its kind, with cross-object rules resolved through an index
 * (linear in the number of objects). Waivers in the `seaworthy.dev/waivers` annotation turn
 * findings into infos; the profile decides severities and which rules are off.
 */
export function audit(inputs: readonly AuditInput[], options: AuditOptions = {}): AuditFinding[] {
  const profile = options.profile ?? Profile.PRODUCTION;
  const complete = options.complete === true;
  const target = options.kubernetesVersion === undefined ? KubernetesTarget.DEFAULT : KubernetesTarget.version(options.kubernetesVersion, 'audit');
  // One pass over the inputs: each object's source and identity, read once here for the
  // duplicates, the indexes and the loop below.
  const objects: KubeObject[] = new Array(inputs.length);
  const identities: Array<string | undefined> = new Array(inputs.length);
  const source = new Map<KubeObject, AuditInput>();
  for (let i = 0; i < inputs.length; i++) {
    const obj = inputs[i].object as KubeObject;
    objects[i] = obj;
    identities[i] = objectIdentity(obj);
    source.set(obj, inputs[i]);
  }
  // Each group (the files of one folder, as one `kubectl apply -f <folder>` applies them) has its
  // index, for duplicates and for the nearest match; what it does not find is looked up in the
  // whole input, so references cross folders.
  const whole = new ObjectIndex(objects, undefined, identities);
  const members = new Map<string, { objects: KubeObject[]; identities: Array<string | undefined> }>();
  for (let i = 0; i < inputs.length; i++) {
    // Appended in place: copying the list per input made large sets quadratic.
    const group = inputs[i].group ?? '';
    const list = members.get(group);
    if (list) {
      list.objects.push(objects[i]);
      list.identities.push(identities[i]);
    } else members.set(group, { objects: [objects[i]], identities: [identities[i]] });
  }
  const indexes = members.size === 1 ? new Map([[[...members.keys()][0], whole]]) : new Map([...members].map(([g, list]) => [g, new ObjectIndex(list.objects, whole, list.identities)]));
  const byKind = new Map<string, ObjectCheck[]>();
  const checksFor = (kind: string) => {
    let list = byKind.get(kind);
    if (!list) {
      list = ALL_CHECKS.filter(c => { const kinds = checkKinds(c); return kinds.includes('*') || kinds.includes(kind); });
      byKind.set(kind, list);
    }
    return list;
  };
  const findings: AuditFinding[] = [];
  const record: Recorder = (target, rule, field, value, problem, unseen = false) => {
    const waiver = waiversOf(target).get(rule.id) ?? containerWaiver(target, rule.id, field);
    const severity = grade(rule, profile, waiver);
    if (severity === undefined) return;
    const ref = objectRef(target);
    const said = unseen ? `${problem}; ${NOT_SEEN}` : problem;
    const base = makeFinding(rule, ref, field, value, waiver ? `${said} (waived: ${waiver})` : said, unseen ? Severity.INFO : severity);
    const from = source.get(target);
    // Spelled out rather than spread (the same keys, in the same order): a spread copy of each
    // finding was the dearest part of recording it.
    findings.push({ rule: base.rule, severity: base.severity, path: base.path, field: base.field, value: base.value, problem: base.problem, message: base.message, object: ref, file: from?.file, line: from?.line, waived: waiver });
  };
  const where = (t: KubeObject) => {
    const from = source.get(t);
    return from?.file ? `${from.file}${from.line ? `:${from.line}` : ''}` : undefined;
  };
  // Each object given once (the common case) has its own input as its source.
  const distinct = source.size === inputs.length;
  for (let i = 0; i < objects.length; i++) {
    const obj = objects[i];
    if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string') continue;
    // The group is the one of the object's last input (the same object may be given twice).
    const from = distinct ? inputs[i] : source.get(obj)!;
    const index = indexes.get(from.group ?? '')!;
    // An object defined again later in its group is replaced when the folder is applied (kubectl
    // applies in order, the last definition wins): only the last one is judged, and it reports the
    // duplicate (SW-OBJECT-001).
    const identity = identities[i];
    if (identity !== undefined && index.redefinedLater(obj, identity)) continue;
    const context = new ObjectContext(obj, index, target, complete, record, where);
    for (const check of checksFor(obj.kind)) {
      const reportOn = declaredOnly(check, record);
      check.run(obj, reportOn === record ? context : new ObjectContext(obj, context.index, target, complete, reportOn, where));
    }
  }
  return findings;
}

/** What a check sees of one object (see `CheckContext`): one per object, reporting through `record`. */
class ObjectContext implements CheckContext {
  public readonly reporter: CheckContext['reporter'] = this;
  public constructor(
    private readonly obj: KubeObject,
    public readonly index: ObjectIndex,
    public readonly target: KubernetesTarget,
    public readonly complete: boolean,
    public readonly reportOn: Recorder,
    public readonly where: (target: KubeObject) => string | undefined,
  ) {}

  /** `reporter.report`: a finding on the object. */
  public report(rule: Rule, field: string, value: unknown, problem: string): void {
    this.reportOn(this.obj, rule, field, value, problem);
  }

  public notSeen(rule: Rule, field: string, value: unknown, problem: string): void {
    this.reportOn(this.obj, rule, field, value, problem, !this.complete);
  }
}
