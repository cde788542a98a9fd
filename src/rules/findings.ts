import { App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { SeaworthyError } from '../errors';
import { Rules } from './catalog';
import { Finding, makeFinding } from './finding';
import { Rule, Severity } from './rule';
import { grade, Profile, Profiles } from './profile';
import { Waiver } from './waiver';
import { renderingOnce } from '../synth/render-once';

const METADATA_TYPE = 'seaworthy:finding';

/** Anything checks report violations to: a construct's collector, or the audit of a manifest. */
export interface Reporter {
  /** Records a violation of `rule` at `field` (a prop path, or a path in the manifest). */
  report(rule: Rule, field: string, value: unknown, problem: string): void;
}

/**
 * Collects the findings of one construct while it resolves its props.
 *
 * Error-level findings are thrown together by `commit()`; the others are attached to the
 * construct's node metadata, where `Findings.of()` reads them back.
 */
export class FindingCollector implements Reporter {
  private readonly found: Finding[] = [];
  private readonly waived = new Map<string, Waiver>();
  /** Waivers limited to one container, by `<rule id>\0<container>`. */
  private readonly waivedIn = new Map<string, Waiver>();

  private readonly profile: Profile;

  /** `profile` overrides the one in force at `scope` (see `Profiles`). */
  constructor(
    /** The construct the findings are recorded on. */
    public readonly scope: IConstruct,
    profile?: Profile,
  ) {
    this.profile = profile ?? Profiles.of(scope);
    enforceManifestRules(scope.node.root);
  }

  /**
   * Accepts the construct's waivers, reporting malformed ones. Must run before the checks they
   * waive. `knownIds` are the rule ids that may be waived.
   */
  public waive(waivers: readonly Waiver[] | undefined, knownIds: ReadonlySet<string>): Waiver[] {
    const accepted: Waiver[] = [];
    (waivers ?? []).forEach((w, i) => {
      const field = `waivers[${i}]`;
      if (!(w instanceof Waiver)) {
        this.report(Rules.WAIVER_INVALID, field, w, 'must be created with Waiver.of(ruleId, reason)');
      } else if (!knownIds.has(w.ruleId)) {
        this.report(Rules.WAIVER_INVALID, field, w.ruleId, 'is not a rule id of the catalog');
      } else if (typeof w.reason !== 'string' || w.reason.trim().length === 0) {
        this.report(Rules.WAIVER_INVALID, field, w.ruleId, 'has no reason');
      } else if (w.container !== undefined && (typeof w.container !== 'string' || w.container.trim() === '')) {
        this.report(Rules.WAIVER_INVALID, `${field}.container`, w.container, 'must be the name of a container of the Pod');
      } else if (w.container !== undefined) {
        this.waivedIn.set(`${w.ruleId}\0${w.container}`, w);
        accepted.push(w);
      } else {
        this.waived.set(w.ruleId, w);
        accepted.push(w);
      }
    });
    return accepted;
  }

  /**
   * Records a violation of `rule` for `field` holding `value`; a waived rule is recorded as info.
   * A violation attributed to `container` (its own privileges) is waived only by a waiver naming
   * that container.
   */
  public report(rule: Rule, field: string, value: unknown, problem: string, container?: string): void {
    const waiver = container === undefined ? this.waived.get(rule.id) : this.waivedIn.get(`${rule.id}\0${container}`);
    const severity = grade(rule, this.profile, waiver?.reason);
    if (severity === undefined) return;
    const text = waiver ? `${problem} (waived: ${waiver.reason})` : problem;
    this.found.push(makeFinding(rule, this.scope.node.path || '(app)', field, value, text, severity));
  }

  /** Whether an error-level finding was recorded for `field` (or a field under it). */
  public hasErrorAt(field: string): boolean {
    return this.found.some(f => f.severity === Severity.ERROR && (f.field === field || f.field.startsWith(`${field}.`)));
  }

  /** Throws a `SeaworthyError` if any error was found; records the rest on the construct. */
  public commit(): void {
    const errors = this.found.filter(f => f.severity === Severity.ERROR);
    if (errors.length > 0) {
      throw new SeaworthyError(errors);
    }
    for (const finding of this.found) {
      this.scope.node.addMetadata(METADATA_TYPE, finding);
    }
    this.found.length = 0;
  }
}

/**
 * Runs the manifest rules over the synthesized objects of an app, given the construct findings
 * (to leave out what they already report). Installed by the audit module, which sits above this
 * one. @internal
 */
export type ManifestAuditor = (app: IConstruct, constructFindings: readonly Finding[]) => Finding[];

let manifestAuditor: ManifestAuditor | undefined;

/** @internal */
export function _installManifestAuditor(auditor: ManifestAuditor): void {
  manifestAuditor = auditor;
}

/** Apps whose synthesis stops on the manifest rules' errors. */
const enforced = new WeakSet<IConstruct>();
/** The manifest rules' errors found by the latest validation of each app. */
const latestErrors = new WeakMap<IConstruct, readonly Finding[]>();

/**
 * Makes an error of a manifest rule stop the synthesis of the app `root` — `app.synth()`,
 * `Testing.synth()`, `synthesize()`, `writeManifests()`, `writeEnvironments()` — before anything
 * is written: a validation on the app runs the manifest rules (what `Findings.of(app)` adds to the
 * construct findings; objects render once per synthesis, see `renderOnce()`), and each error is
 * reported by the construct it is attributed to, with the finding's message. Called for every app
 * holding a seaworthy construct, and by `synthesize()` for any app; idempotent. An app of plain
 * cdk8s objects synthesized by `app.synth()` alone is not seen (use `writeManifests()` or the
 * validation plugin). @internal
 */
export function enforceManifestRules(root: IConstruct): void {
  if (root.node.scope !== undefined || enforced.has(root)) return;
  enforced.add(root);
  if (root instanceof App) renderOncePerSynth(root);
  let errors = new Map<IConstruct, string[]>();
  const reporting = new WeakSet<IConstruct>();
  root.node.addValidation({
    validate: () => {
      errors = new Map();
      if (!manifestAuditor) return [];
      const found = manifestAuditor(root, findingsIn(root)).filter(f => f.severity === Severity.ERROR);
      latestErrors.set(root, found);
      for (const f of found) {
        const owner = constructAt(root, f.path) ?? root;
        errors.set(owner, [...(errors.get(owner) ?? []), f.message]);
        // Validations run in tree order, the app's first: the owner's runs later in this pass.
        if (owner !== root && !reporting.has(owner)) {
          reporting.add(owner);
          owner.node.addValidation({ validate: () => errors.get(owner) ?? [] });
        }
      }
      return errors.get(root) ?? [];
    },
  });
}

/**
 * Makes `app.synth()` and `app.synthYaml()` render each object once, as `synthesize()` does:
 * cdk8s validates the whole app once, then once more per chart (`Chart.toJson()`), and each of
 * those validations runs the manifest rules over the rendered objects. Within one call, nothing
 * but validation runs between those passes, so they share one rendering per object (see
 * `renderingOnce()`); the next call renders afresh.
 */
function renderOncePerSynth(app: App): void {
  const synth = app.synth.bind(app);
  const synthYaml = app.synthYaml.bind(app);
  // Own, non-enumerable properties: the app's own methods (a subclass's included) still run.
  Object.defineProperty(app, 'synth', { value: () => renderingOnce(synth), writable: true, configurable: true });
  Object.defineProperty(app, 'synthYaml', { value: () => renderingOnce(synthYaml), writable: true, configurable: true });
}

/**
 * The manifest rules' errors the validation of the app `root` in progress reports (see
 * `enforceManifestRules`): for checks run at validation that report some of the same problems
 * under their own construct, so a problem is reported once. @internal
 */
export function manifestErrorsOf(root: IConstruct): readonly Finding[] {
  return latestErrors.get(root) ?? [];
}

/** The construct at `path` under `root`, if any. */
function constructAt(root: IConstruct, path: string): IConstruct | undefined {
  let at: IConstruct | undefined = root;
  for (const id of path.split('/')) at = at?.node.tryFindChild(id);
  return at;
}

/** The findings recorded on `scope` and its descendants, in tree order. */
function findingsIn(scope: IConstruct): Finding[] {
  const out: Finding[] = [];
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type === METADATA_TYPE) out.push(entry.data as Finding);
    }
  }
  return out;
}

/**
 * Reads the non-fatal findings (warnings, infos) recorded in a construct tree; for an app (the
 * root of the tree) also the findings of the rules that run on manifests, over its synthesized
 * objects, once per call.
 */
export class Findings {
  /**
   * All findings recorded on `scope` and its descendants, in tree order. When `scope` is the app,
   * the manifest rules' findings on its synthesized objects follow, except those a construct
   * already reported (same rule, same object).
   */
  public static of(scope: IConstruct): Finding[] {
    const out = findingsIn(scope);
    if (scope.node.scope === undefined && manifestAuditor) out.push(...manifestAuditor(scope, out));
    return out;
  }

  /** Prints the findings in `scope` to stderr, one per line; returns how many there were. */
  public static print(scope: Construct): number {
    const all = Findings.of(scope);
    for (const f of all) console.warn(`${f.severity}: ${f.message}`);
    return all.length;
  }

  private constructor() {}
}
