import { Finding, makeFinding } from '../rules/finding';
import { Reporter } from '../rules/findings';
import { Profile, severityUnder } from '../rules/profile';
import { Rule, Severity } from '../rules/rule';
import { CONTAINER_WAIVER_INFIX, WAIVER_ANNOTATION_PREFIX, WAIVERS_ANNOTATION } from '../rules/waiver';
import { KubernetesTarget } from '../target/target';
import { KubernetesVersion } from '../target/versions';
import { ALL_CHECKS } from './checks';
import { KubeObject, objectRef, podTemplateOf } from './kube';
import { ObjectIndex } from './object-index';

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
   * Objects deployed together (one cluster, one GitOps folder); cross-object rules only relate
   * objects of the same group. The CLI groups by directory.
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
}

/** What a check sees: the index of all audited objects and a reporter bound to one object. */
export interface CheckContext {
  readonly index: ObjectIndex;
  /** The Kubernetes minor the manifests are judged against. */
  readonly target: KubernetesTarget;
  /** Reports a violation on the object being checked. */
  readonly reporter: Reporter;
  /** Where an object came from ("file:line"), if known. */
  where(target: KubeObject): string | undefined;
  /** Reports a violation on another object (cross-object rules). */
  reportOn(target: KubeObject, rule: Rule, field: string, value: unknown, problem: string): void;
}

/** An object-level check and the kinds it runs on ("*" for all). */
export interface ObjectCheck {
  readonly kinds: readonly string[];
  readonly run: (obj: KubeObject, ctx: CheckContext) => void;
}

/**
 * Audits manifests with every rule of the catalog that applies to objects: each object against
 * the checks registered for its kind, with cross-object rules resolved through an index
 * (linear in the number of objects). Waivers in the `seaworthy.dev/waivers` annotation turn
 * findings into infos; the profile decides severities and which rules are off.
 */
export function audit(inputs: readonly AuditInput[], options: AuditOptions = {}): AuditFinding[] {
  const groups = new Map<string, AuditInput[]>();
  for (const i of inputs) {
    // Appended in place: copying the list per input made large sets quadratic.
    const list = groups.get(i.group ?? '');
    if (list) list.push(i);
    else groups.set(i.group ?? '', [i]);
  }
  return [...groups.values()].flatMap(group => auditGroup(group, options));
}

function auditGroup(inputs: readonly AuditInput[], options: AuditOptions): AuditFinding[] {
  const profile = options.profile ?? Profile.PRODUCTION;
  const target = options.kubernetesVersion === undefined ? KubernetesTarget.DEFAULT : KubernetesTarget.version(options.kubernetesVersion, 'audit');
  const objects = inputs.map(i => i.object as KubeObject);
  const index = new ObjectIndex(objects);
  const source = new Map(inputs.map(i => [i.object as KubeObject, i]));
  const byKind = new Map<string, ObjectCheck[]>();
  const checksFor = (kind: string) => {
    let list = byKind.get(kind);
    if (!list) {
      list = ALL_CHECKS.filter(c => c.kinds.includes('*') || c.kinds.includes(kind));
      byKind.set(kind, list);
    }
    return list;
  };
  const findings: AuditFinding[] = [];
  const record = (target: KubeObject, rule: Rule, field: string, value: unknown, problem: string) => {
    const severity = severityUnder(rule, profile);
    if (severity === undefined) return;
    const waiver = waiversOf(target).get(rule.id) ?? containerWaiver(target, rule.id, field);
    const ref = objectRef(target);
    const base = makeFinding(rule, ref, field, value, waiver ? `${problem} (waived: ${waiver})` : problem, waiver ? Severity.INFO : severity);
    const from = source.get(target);
    findings.push({ ...base, object: ref, file: from?.file, line: from?.line, waived: waiver });
  };
  for (const obj of objects) {
    if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string') continue;
    const ctx: CheckContext = {
      index,
      target,
      reporter: { report: (rule, field, value, problem) => record(obj, rule, field, value, problem) },
      reportOn: record,
      where: target => {
        const from = source.get(target);
        return from?.file ? `${from.file}${from.line ? `:${from.line}` : ''}` : undefined;
      },
    };
    for (const check of checksFor(obj.kind)) check.run(obj, ctx);
  }
  return findings;
}

const waiverCache = new WeakMap<KubeObject, Map<string, string>>();
const containerWaiverCache = new WeakMap<KubeObject, Map<string, string>>();

/**
 * The reason of a waiver of `ruleId` limited to the container that `field` (a path into the Pod
 * template) lies in, if the object has one (`{ rule, reason, container }` in its waivers annotation).
 */
function containerWaiver(obj: KubeObject, ruleId: string, field: string): string | undefined {
  let scoped = containerWaiverCache.get(obj);
  if (!scoped) {
    scoped = new Map();
    const raw = obj?.metadata?.annotations?.[WAIVERS_ANNOTATION];
    try {
      for (const w of (typeof raw === 'string' ? JSON.parse(raw) : []) as Array<{ rule?: unknown; reason?: unknown; container?: unknown }>) {
        if (typeof w?.rule === 'string' && typeof w.reason === 'string' && w.reason.trim() && typeof w.container === 'string') scoped.set(`${w.rule}\0${w.container}`, w.reason);
      }
    } catch {
      // A malformed annotation waives nothing.
    }
    // The one-annotation form, `<container>.waiver.seaworthy.dev/<RULE-ID>: <reason>`, which admission policies read too.
    for (const [key, reason] of perRuleWaivers(obj)) {
      const at = key.indexOf(CONTAINER_WAIVER_INFIX);
      if (at > 0 && !scoped.has(`${key.slice(at + CONTAINER_WAIVER_INFIX.length)}\0${key.slice(0, at)}`)) scoped.set(`${key.slice(at + CONTAINER_WAIVER_INFIX.length)}\0${key.slice(0, at)}`, reason);
    }
    containerWaiverCache.set(obj, scoped);
  }
  if (scoped.size === 0) return undefined;
  const m = /(?:^|\.)(initContainers|containers|ephemeralContainers)\[(\d+)\]/.exec(field);
  const name = m ? podTemplateOf(obj)?.spec?.[m[1]]?.[Number(m[2])]?.name : undefined;
  return typeof name === 'string' ? scoped.get(`${ruleId}\0${name}`) : undefined;
}

/** The rule ids an object waives, with their reasons, from its waivers annotation. */
export function waiversOf(obj: KubeObject): Map<string, string> {
  let cached = waiverCache.get(obj);
  if (cached) return cached;
  cached = new Map();
  const raw = obj?.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (typeof raw === 'string') {
    try {
      for (const w of JSON.parse(raw) as Array<{ rule?: unknown; reason?: unknown }>) {
        // A waiver naming a container is not one for the whole object (see containerWaiver).
        if (typeof w?.rule === 'string' && typeof w.reason === 'string' && w.reason.trim() && (w as { container?: unknown }).container === undefined) cached.set(w.rule, w.reason);
      }
    } catch {
      // A malformed annotation waives nothing.
    }
  }
  for (const [key, reason] of perRuleWaivers(obj)) {
    if (key.startsWith(WAIVER_ANNOTATION_PREFIX) && !cached.has(key.slice(WAIVER_ANNOTATION_PREFIX.length))) cached.set(key.slice(WAIVER_ANNOTATION_PREFIX.length), reason);
  }
  waiverCache.set(obj, cached);
  return cached;
}

/** The `waiver.seaworthy.dev/…` annotations of an object with a non-blank reason, as [key, reason]. */
function perRuleWaivers(obj: KubeObject): Array<[string, string]> {
  const annotations = obj?.metadata?.annotations;
  if (!annotations || typeof annotations !== 'object') return [];
  return Object.entries(annotations as Record<string, unknown>)
    .filter((e): e is [string, string] => e[0].includes(WAIVER_ANNOTATION_PREFIX) && typeof e[1] === 'string' && e[1].trim() !== '');
}
