import { IConstruct } from 'constructs';
import { SeaworthyError } from '../errors';
import { TargetRules } from '../rules/families/target';
import { makeFinding } from '../rules/finding';
import { FindingCollector } from '../rules/collector';
import { ApiVersionChange, apiVersionChange, CAPABILITIES, Feature, safeSysctlsOf } from './capabilities';
import { DEFAULT_VERSION, END_OF_LIFE, KubernetesVersion, minorOf, normaliseVersion, SUPPORTED_VERSIONS, versionProblem } from './versions';

/** Options of `KubernetesTarget.set()`. */
export interface TargetOptions {
  /**
   * The day upstream support is judged on (rule SW-TARGET-002).
   * @default - today
   */
  readonly asOf?: Date;
}

const TARGETS = new WeakMap<IConstruct, KubernetesTarget>();

/**
 * The Kubernetes minor the output is for. Set once on the App (or per Chart, or per environment
 * with `Environment.kubernetesVersion`); everything constructed below inherits it. Rendering and
 * version-dependent rules ask the target what it has (`has(Feature.NATIVE_SIDECARS)`), never
 * compare versions themselves.
 */
export class KubernetesTarget {
  /** The minors seaworthy renders for, oldest first. */
  public static readonly SUPPORTED_VERSIONS: readonly KubernetesVersion[] = SUPPORTED_VERSIONS;

  /** The target when none is set (see `DEFAULT_VERSION` for why this minor). */
  public static readonly DEFAULT: KubernetesTarget = new KubernetesTarget(DEFAULT_VERSION);

  /**
   * The target for `version` ("1.35"; "v1.35" and "1.35.6" are accepted too), without setting it
   * on any scope: to ask what a minor has, or to judge YAML for it. Throws a `SeaworthyError`
   * (SW-TARGET-001) naming the supported range for anything else; `where` is the path the error
   * names.
   *
   * @example
   * KubernetesTarget.version('1.28').has(Feature.NATIVE_SIDECARS); // false: sidecars stay regular containers
   * KubernetesTarget.version('v1.33.2').version;                    // "1.33"
   */
  public static version(version: string, where = 'target'): KubernetesTarget {
    const normal = typeof version === 'string' ? normaliseVersion(version) : undefined;
    if (normal === undefined) {
      throw new SeaworthyError([makeFinding(TargetRules.TARGET_INVALID, where, 'kubernetesVersion', version, versionProblem(version) ?? 'is not supported')]);
    }
    return normal === DEFAULT_VERSION ? KubernetesTarget.DEFAULT : new KubernetesTarget(normal);
  }

  /**
   * A version read at run time (a CI variable, a flag) as a `KubernetesVersion`, without a cast:
   * "1.35", "v1.35" and "1.35.2" (a cluster's full version) all give "1.35", surrounding blanks
   * ignored. Anything else — an unsupported minor, another major, "latest", an empty string, a
   * value that is not a string — throws a `SeaworthyError` (SW-TARGET-001) naming the value and
   * the supported range. `isKubernetesVersion()` is the type guard for the exact form.
   *
   * @example
   * KubernetesTarget.set(app, KubernetesTarget.parseVersion(process.env.K8S_VERSION ?? '1.35'));
   */
  public static parseVersion(value: string): KubernetesVersion {
    return KubernetesTarget.version(value, 'KubernetesTarget.parseVersion').version;
  }

  /**
   * Sets the target of `scope` and everything constructed below it afterwards. Must be called
   * before the workloads are constructed (they render for the target in force when created).
   * A target past its upstream end of life is recorded as a SW-TARGET-002 warning on `scope`.
   */
  public static set(scope: IConstruct, version: KubernetesVersion, options: TargetOptions = {}): KubernetesTarget {
    const problem = versionProblem(version);
    if (problem) throw new SeaworthyError([makeFinding(TargetRules.TARGET_INVALID, scope.node.path || '(app)', 'kubernetesVersion', version, problem)]);
    const target = KubernetesTarget.version(version);
    TARGETS.set(scope, target);
    if (!target.supportedUpstream(options.asOf ?? new Date())) {
      const collector = new FindingCollector(scope);
      collector.report(TargetRules.TARGET_OUT_OF_SUPPORT, 'kubernetesVersion', version, `Kubernetes ${version} reached its upstream end of life on ${target.endOfLife}`);
      collector.commit();
    }
    return target;
  }

  /** The target in force at `scope`: its own, else its nearest ancestor's, else the default. */
  public static of(scope: IConstruct): KubernetesTarget {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const t = TARGETS.get(c);
      if (t) return t;
    }
    return KubernetesTarget.DEFAULT;
  }

  /** The minor number, e.g. 35. */
  public readonly minor: number;

  private constructor(
    /**
     * The version, "1.NN".
     *
     * @example
     * KubernetesTarget.of(chart).version; // "1.35" unless set otherwise
     */
    public readonly version: KubernetesVersion,
  ) {
    this.minor = minorOf(version);
  }

  /** Whether seaworthy uses `feature` for this target (see `CAPABILITIES`). */
  public has(feature: Feature): boolean {
    return CAPABILITIES[feature].since <= this.minor;
  }

  /** The Pod Security Admission policy version of this minor, e.g. "v1.35". */
  public get podSecurityVersion(): string {
    return `v${this.version}`;
  }

  /** Sysctls the kubelet and Pod Security "baseline" treat as safe at this minor. */
  public get safeSysctls(): ReadonlySet<string> {
    return safeSysctlsOf(this.minor);
  }

  /** Upstream end of life, as an ISO date. */
  public get endOfLife(): string {
    return END_OF_LIFE[this.version];
  }

  /** Whether upstream still ships patch releases for this minor on `day`. */
  public supportedUpstream(day: Date): boolean {
    return day.toISOString().slice(0, 10) <= this.endOfLife;
  }

  /** The deprecation or removal of `apiVersion`/`kind` that is in force at this minor, if any. */
  public apiVersionStatus(apiVersion: string, kind: string): { readonly removed: boolean; readonly change: ApiVersionChange } | undefined {
    const change = apiVersionChange(apiVersion, kind);
    if (!change || change.deprecated > this.minor) return undefined;
    return { removed: change.removed !== undefined && change.removed <= this.minor, change };
  }

  /** "Kubernetes 1.35". */
  public toString(): string {
    return `Kubernetes ${this.version}`;
  }
}
