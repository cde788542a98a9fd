import { audit } from './engine';
import { Profile } from '../rules/profile';
import { Severity } from '../rules/rule';
import { atLeast } from '../rules/severity';
import { KubernetesTarget } from '../target/target';
import { DEFAULT_VERSION, KubernetesVersion } from '../target/versions';
import * as fs from 'fs';
import * as path from 'path';

/** Properties of the cdk8s validation plugin, from `cdk8s.yaml`. */
export interface SeaworthyValidationProps {
  /**
   * Profile deciding the severities.
   * @default "production"
   */
  readonly profile?: string;
  /**
   * Lowest severity that fails `cdk8s synth`: "error" or "warning".
   * @default "error"
   */
  readonly failOn?: string;
  /**
   * Kubernetes minor of the cluster, "1.28" to "1.36": version-dependent rules judge for it.
   * @default - KubernetesTarget.DEFAULT
   */
  readonly kubernetesVersion?: string;
}

/** The part of cdk8s-cli's ValidationContext the plugin uses. */
export interface ValidationContextLike {
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

/**
 * The rules as a cdk8s validation plugin, so `cdk8s synth` also fails on violations in apps
 * built from raw cdk8s or cdk8s-plus objects. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/seaworthy   # or ./ inside this repository
 *     class: SeaworthyValidation
 *     version: 0.1.0
 *     properties: { profile: production, failOn: error }
 * ```
 */
export class SeaworthyValidation {
  private readonly profile: Profile;
  private readonly failOn: Severity;
  private readonly kubernetesVersion: KubernetesVersion;

  constructor(props: SeaworthyValidationProps = {}) {
    const profile = props.profile ?? Profile.PRODUCTION;
    if (!Object.values(Profile).includes(profile as Profile)) throw new Error(`seaworthy validation: unknown profile "${profile}" (use production, staging or development)`);
    this.profile = profile as Profile;
    this.failOn = props.failOn === 'warning' ? Severity.WARNING : Severity.ERROR;
    this.kubernetesVersion = props.kubernetesVersion === undefined ? DEFAULT_VERSION : KubernetesTarget.version(String(props.kubernetesVersion), 'seaworthy validation').version;
  }

  /** Audits the synthesized manifests and reports violations to cdk8s. */
  public async validate(context: ValidationContextLike): Promise<void> {
    // Loaded here, not at the top: the YAML parser is the audit's, not synthesis's, start-up cost.
    const { parseManifests } = await import('../manifests/load');
    // One directory is one deploy unit (e.g. dist/<env>/), as for the CLI.
    const inputs = context.manifests.flatMap(file => parseManifests(file, fs.readFileSync(file, 'utf8'), path.dirname(file)).inputs);
    // What `cdk8s synth` writes is the whole app: a closed world.
    const findings = audit(inputs, { profile: this.profile, kubernetesVersion: this.kubernetesVersion, complete: true }).filter(f => f.severity !== Severity.INFO);
    const byRule = new Map<string, typeof findings>();
    for (const f of findings) byRule.set(f.rule.id, [...(byRule.get(f.rule.id) ?? []), f]);
    for (const [id, list] of [...byRule].sort(([a], [b]) => a.localeCompare(b))) {
      const rule = list[0].rule;
      context.report.addViolation({
        ruleName: `${id} ${rule.title}`,
        recommendation: rule.rationale,
        fix: rule.fix,
        violatingResources: list.map(f => ({ resourceName: f.object, locations: [f.field], manifestPath: f.file ?? '' })),
      });
    }
    const failed = findings.some(f => atLeast(f.severity, this.failOn));
    context.report.submit(failed ? 'failure' : 'success', { profile: this.profile, findings: String(findings.length) });
  }
}
