import { IConstruct } from 'constructs';
import { SeaworthyError } from '../errors';
import { MetaRules } from './families/meta';
import { Finding, makeFinding, Reporter } from './finding';
import { enforceManifestRules, FINDING_METADATA_TYPE } from './findings-reader';
import { Rule, Severity } from './rule';
import { grade, Profile, Profiles } from './profile';
import { Waiver } from './waiver';

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
        this.report(MetaRules.WAIVER_INVALID, field, w, 'must be created with Waiver.of(ruleId, reason)');
      } else if (!knownIds.has(w.ruleId)) {
        this.report(MetaRules.WAIVER_INVALID, field, w.ruleId, 'is not a rule id of the catalog');
      } else if (typeof w.reason !== 'string' || w.reason.trim().length === 0) {
        this.report(MetaRules.WAIVER_INVALID, field, w.ruleId, 'has no reason');
      } else if (w.container !== undefined && (typeof w.container !== 'string' || w.container.trim() === '')) {
        this.report(MetaRules.WAIVER_INVALID, `${field}.container`, w.container, 'must be the name of a container of the Pod');
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
      this.scope.node.addMetadata(FINDING_METADATA_TYPE, finding);
    }
    this.found.length = 0;
  }
}
