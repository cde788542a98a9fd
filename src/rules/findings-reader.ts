import { App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Finding } from './finding';
import { Severity } from './rule';
import { renderingOnce } from '../synth/render-once';

/** The construct metadata type findings are recorded under (by `FindingCollector`). @internal */
export const FINDING_METADATA_TYPE = 'seaworthy:finding';

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
      if (entry.type === FINDING_METADATA_TYPE) out.push(entry.data as Finding);
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
