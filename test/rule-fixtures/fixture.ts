import { Chart } from 'cdk8s';
import { AuditInput } from '../../src/audit/engine';
import { Profile } from '../../src/rules/profile';
import { KubernetesVersion } from '../../src/target/versions';

/** A manifest as the audit reads it, loosely typed so fixtures can patch any field. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** Manifests given to `audit()`, at an optional Kubernetes minor and profile. */
export interface ManifestFixture {
  /** The objects, audited as one deploy group. */
  readonly manifests: readonly Obj[];
  /**
   * The minor the manifests are judged against.
   * @default KubernetesTarget.DEFAULT
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * The profile of the audit.
   * @default Profile.PRODUCTION
   */
  readonly profile?: Profile;
}

/**
 * Constructs built in a chart of a fresh app (namespace "shop"): the failing one throws a
 * SeaworthyError naming the rule, or reports it in `Findings.of(app)`.
 */
export interface ConstructFixture {
  /** Builds the constructs; may also synthesize or write the app when the rule is judged there. */
  readonly build: (chart: Chart) => void;
}

/** Two sides given to `diffManifests()`, for the rules only `seaworthy diff` judges. */
export interface DiffFixture {
  /** The objects deployed now (with their files and groups when the rule reads them). */
  readonly before: readonly AuditInput[];
  /** The objects to deploy. */
  readonly after: readonly AuditInput[];
  /**
   * The repository root Argo CD Application paths are relative to.
   * @default - the current directory
   */
  readonly repoRoot?: string;
}

/** One way to exercise a rule. */
export type Fixture = ManifestFixture | ConstructFixture | DiffFixture;

/** A rule's two fixtures, found by its id: `fail` must report it, `pass` must not. */
export interface RuleFixture {
  /** The rule id, e.g. `SW-PROBE-001`. */
  readonly id: string;
  /**
   * What the pair shows, when a rule has more than one (each further case of a rule).
   * @default - the rule's first pair
   */
  readonly what?: string;
  /** Input the rule reports. */
  readonly fail: Fixture;
  /** The same input, corrected: the rule does not report it. */
  readonly pass: Fixture;
}

/** Deep copy, so a patch never leaks into the shared bases. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}

/** A further pair of a rule, told apart from its first by `what`. */
export function also(what: string, fixture: RuleFixture): RuleFixture {
  return { ...fixture, what };
}
