import * as fs from 'fs';
import * as path from 'path';
import { Profile } from '../rules/profile';
import { stringifyManifests } from '../synth/yaml-emitter';
import { Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { KubernetesVersion } from '../target/versions';
import { UsageError } from '../cli/usage';
import { NotOursError, writeOwnedFiles } from '../util/owned-file';
import { ADMISSION_CHECKS } from './checks';
import { ADMISSION_MUTATIONS, MUTATING_V1BETA1_REQUIREMENT, mutatingPolicies, mutatingRefusal } from './mutating';
import { AdmissionObject, admissionPolicies, excludedNamespacesProblem, PROFILE_LABEL, RULE_LABEL, SYSTEM_NAMESPACES, V1BETA1_REQUIREMENT } from './policies';

/** The first line of every file `admission -o` writes: what it may replace or remove. */
export const OUTPUT_MARK = '# Written by seaworthy admission: files seaworthy-*.yaml here that start with this line are rewritten and removed by it.\n';

/** `seaworthy admission`, its arguments parsed and validated. */
export interface AdmissionCommand {
  /** The cluster's minor. */
  readonly kubernetesVersion: KubernetesVersion;
  /** The profile of namespaces without the profile label. */
  readonly profile: Profile;
  /**
   * Only these rule ids, comma-separated.
   * @default - every rule with an admission policy
   */
  readonly rules?: string;
  /**
   * A directory to write one file per rule into.
   * @default - every document on stdout
   */
  readonly output?: string;
  /**
   * Also the MutatingAdmissionPolicies of the choice-free defaults (`ADMISSION_MUTATIONS`).
   * @default false
   */
  readonly mutating?: boolean;
  /**
   * Namespaces no binding applies to, beside the system namespaces, comma-separated.
   * @default - the system namespaces only
   */
  readonly excludeNamespaces?: string;
}

/** Where `seaworthy admission` writes. */
export interface AdmissionIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What `seaworthy admission --help` says before its options. */
export const ADMISSION_DESCRIPTION = `Writes one ValidatingAdmissionPolicy per rule judged at the cluster's door (${ADMISSION_CHECKS.length} rules, each
named seaworthy-<rule id>), with its bindings: the namespace label ${PROFILE_LABEL} picks the
profile (error: Deny + Audit, and a sibling Warn binding so one answer lists every failure;
warning: Warn + Audit; info: Audit); ${SYSTEM_NAMESPACES.join(', ')} are left alone. Objects waive a
rule with the annotation waiver.seaworthy.dev/<RULE-ID>: <reason>, or one container with
<container>.waiver.seaworthy.dev/<RULE-ID>: <reason>. With --mutating, also one
MutatingAdmissionPolicy per default no one has to choose (${ADMISSION_MUTATIONS.map(m => m.ruleId).join(', ')}, named
seaworthy-default-<rule id>), filling in what is unset so that the rule's policy passes; waived
objects and containers are left alone.`;

/** Writes the admission policies for `cmd`; returns the exit code. Throws a `UsageError` for rules without a policy. */
export function runAdmission(cmd: AdmissionCommand, io: AdmissionIo): number {
  const target = KubernetesTarget.version(cmd.kubernetesVersion, 'admission');
  const rules = cmd.rules?.split(',').map(r => r.trim()).filter(r => r.length > 0);
  const unknown = (rules ?? []).filter(id => !ADMISSION_CHECKS.some(c => c.ruleId === id));
  if (unknown.length > 0) throw new UsageError(`--rules: ${unknown.join(', ')} ${unknown.length === 1 ? 'has' : 'have'} no admission policy; rules with one: ${ADMISSION_CHECKS.map(c => c.ruleId).join(', ')}`);
  const refusal = cmd.mutating ? mutatingRefusal(target) : undefined;
  if (refusal !== undefined) throw new UsageError(`--mutating: ${refusal}`);
  const excludeNamespaces = cmd.excludeNamespaces?.split(',').map(n => n.trim()).filter(n => n.length > 0);
  const namespacesProblem = excludedNamespacesProblem(excludeNamespaces);
  if (namespacesProblem) throw new UsageError(`--exclude-namespaces: ${namespacesProblem}`);
  const validating = admissionPolicies(target, { unlabelled: cmd.profile, rules, excludeNamespaces });
  const mutating = cmd.mutating ? mutatingPolicies(target, { unlabelled: cmd.profile, rules, excludeNamespaces }) : [];
  const objects = [...validating, ...mutating];
  const notes = [
    target.has(Feature.VALIDATING_ADMISSION_POLICY) ? undefined : `# Kubernetes ${target.version}: admissionregistration.k8s.io/v1beta1; ${V1BETA1_REQUIREMENT}\n`,
    cmd.mutating && !target.has(Feature.MUTATING_ADMISSION_POLICY) ? `# Kubernetes ${target.version}: MutatingAdmissionPolicy as admissionregistration.k8s.io/v1beta1; ${MUTATING_V1BETA1_REQUIREMENT}\n` : undefined,
  ].filter((n): n is string => n !== undefined);
  const header = notes.join('');
  for (const note of notes) io.stderr(`note: ${note.slice(2)}`);
  const output = cmd.output;
  if (output === undefined) {
    io.stdout(header + stringifyManifests(...objects));
    return 0;
  }
  const byRule = new Map<string, AdmissionObject[]>();
  for (const o of objects) {
    const id = ((o.metadata as { labels: Record<string, string> }).labels)[RULE_LABEL];
    byRule.set(id, [...(byRule.get(id) ?? []), o]);
  }
  if (fs.existsSync(output) && !fs.statSync(output).isDirectory()) throw new UsageError(`-o: ${output} is a file; -o takes a directory (one file per rule)`);
  fs.mkdirSync(output, { recursive: true });
  const files = [...byRule].map(([id, docs]) => ({ file: path.join(output, `seaworthy-${id.toLowerCase()}.yaml`), content: OUTPUT_MARK + header + stringifyManifests(...docs) }));
  const ours = (existing: string) => existing.startsWith(OUTPUT_MARK);
  // Files of an earlier run for rules this run leaves out (another target, --rules, no --mutating):
  // ours, so removed, or Argo CD would go on applying them.
  const wanted = new Set(files.map(f => path.basename(f.file)));
  const stale = fs.readdirSync(output).filter(name => /^seaworthy-.*\.yaml$/.test(name) && !wanted.has(name) && ours(fs.readFileSync(path.join(output, name), 'utf8')));
  // A file in the way stops the run with nothing changed.
  try {
    writeOwnedFiles(files, ours, 'an admission policy file');
  } catch (e) {
    if (e instanceof NotOursError) throw new UsageError(`-o: ${e.message}`);
    throw e;
  }
  for (const name of stale) fs.rmSync(path.join(output, name));
  const policies = (kind: string) => objects.filter(o => o.kind === kind).length;
  const mutatingCount = policies('MutatingAdmissionPolicy');
  const written = `${policies('ValidatingAdmissionPolicy')} ValidatingAdmissionPolicies${cmd.mutating ? ` and ${mutatingCount} MutatingAdmissionPolicies` : ''}`;
  const removed = stale.length > 0 ? `; removed ${stale.length} file${stale.length === 1 ? '' : 's'} it wrote earlier for rules it no longer writes` : '';
  io.stdout(`wrote ${written} with ${objects.length - policies('ValidatingAdmissionPolicy') - mutatingCount} bindings to ${output}${removed}\n`);
  return 0;
}
