import * as fs from 'fs';
import * as path from 'path';
import { Profile } from '../rules/profile';
import { stringifyManifests } from '../synth/yaml-emitter';
import { Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { KubernetesVersion } from '../target/versions';
import { ADMISSION_CHECKS } from './checks';
import { AdmissionObject, admissionPolicies, PROFILE_LABEL, RULE_LABEL, SYSTEM_NAMESPACES, V1BETA1_REQUIREMENT } from './policies';

/** What `seaworthy admission` needs from the CLI around it: its flag parsing, its errors, where to write. */
export interface AdmissionCli {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The CLI's parser: positional paths, `--flag value` pairs, and whether help was asked. */
  parse(args: readonly string[], allowed: readonly string[]): { readonly paths: string[]; readonly flags: Map<string, string>; readonly help: boolean };
  /** The validated `--kubernetes-version` (the default when absent). */
  target(flags: Map<string, string>): KubernetesVersion;
  /** The CLI's usage error (exit 2) with `message`. */
  usage(message: string): Error;
}

/** `seaworthy admission --help`. */
export const ADMISSION_HELP = `seaworthy admission [options]

Writes one ValidatingAdmissionPolicy per rule judged at the cluster's door (${ADMISSION_CHECKS.length} rules, each
named seaworthy-<rule id>), with its bindings: the namespace label ${PROFILE_LABEL} picks the
profile (error: Deny + Audit, and a sibling Warn binding so one answer lists every failure;
warning: Warn + Audit; info: Audit); ${SYSTEM_NAMESPACES.join(', ')} are left alone. Objects waive a
rule with the annotation waiver.seaworthy.dev/<RULE-ID>: <reason>, or one container with
<container>.waiver.seaworthy.dev/<RULE-ID>: <reason>.

Options:
  --kubernetes-version 1.NN         the cluster's minor: admissionregistration.k8s.io/v1 from 1.30,
                                    v1beta1 on 1.28 and 1.29 (behind a feature gate, named in the output)
  --profile production|staging|development   the profile of namespaces without the label (default: production)
  --rules SW-SEC-006,SW-SEC-011     only these rules (default: all)
  -o <dir>                          one file per rule in <dir> (default: every document on stdout)
`;

const PROFILES: readonly string[] = [Profile.PRODUCTION, Profile.STAGING, Profile.DEVELOPMENT];

/** Runs `seaworthy admission` with `args` (after the command); returns the exit code. */
export function runAdmission(args: readonly string[], cli: AdmissionCli): number {
  const p = cli.parse(args, ['kubernetes-version', 'profile', 'rules', 'output']);
  if (p.help) {
    cli.stdout(ADMISSION_HELP);
    return 0;
  }
  if (p.paths.length > 0) throw cli.usage(`admission takes no files (got "${p.paths[0]}"); write the policies with -o <dir>`);
  const unlabelled = p.flags.get('profile') ?? Profile.PRODUCTION;
  if (!PROFILES.includes(unlabelled)) throw cli.usage(`--profile must be one of ${PROFILES.join(', ')} (got "${unlabelled}")`);
  const target = KubernetesTarget.version(cli.target(p.flags), 'admission');
  const rules = p.flags.get('rules')?.split(',').map(r => r.trim()).filter(r => r.length > 0);
  const unknown = (rules ?? []).filter(id => !ADMISSION_CHECKS.some(c => c.ruleId === id));
  if (unknown.length > 0) throw cli.usage(`--rules: ${unknown.join(', ')} ${unknown.length === 1 ? 'has' : 'have'} no admission policy; rules with one: ${ADMISSION_CHECKS.map(c => c.ruleId).join(', ')}`);
  const objects = admissionPolicies(target, { unlabelled: unlabelled as Profile, rules });
  const header = target.has(Feature.VALIDATING_ADMISSION_POLICY) ? '' : `# Kubernetes ${target.version}: admissionregistration.k8s.io/v1beta1; ${V1BETA1_REQUIREMENT}\n`;
  if (header) cli.stderr(`note: ${header.slice(2)}`);
  const output = p.flags.get('output');
  if (output === undefined) {
    cli.stdout(header + stringifyManifests(...objects));
    return 0;
  }
  const byRule = new Map<string, AdmissionObject[]>();
  for (const o of objects) {
    const id = ((o.metadata as { labels: Record<string, string> }).labels)[RULE_LABEL];
    byRule.set(id, [...(byRule.get(id) ?? []), o]);
  }
  fs.mkdirSync(output, { recursive: true });
  for (const [id, docs] of byRule) fs.writeFileSync(path.join(output, `seaworthy-${id.toLowerCase()}.yaml`), header + stringifyManifests(...docs));
  cli.stdout(`wrote ${byRule.size} ValidatingAdmissionPolicies with ${objects.length - byRule.size} bindings to ${output}\n`);
  return 0;
}
