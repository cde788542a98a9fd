import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { AdmissionPolicies, KubernetesTarget, Profile } from '../src';
import { ADMISSION_CHECKS } from '../src/admission/checks';
import { run } from '../src/cli/main';
import { schemaErrors } from './support/k8s-schema';

/* eslint-disable @typescript-eslint/no-explicit-any */

function cli(...args: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: false });
  return { code, stdout, stderr };
}

describe('AdmissionPolicies construct', () => {
  test('GIVEN a platform chart WHEN AdmissionPolicies is added THEN one policy per rule, cluster-scoped, with bindings for the chart\'s target', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'infra', { namespace: 'infra' });
    KubernetesTarget.set(chart, '1.29');
    const policies = new AdmissionPolicies(chart, 'rules', { profile: Profile.STAGING });
    const out = Testing.synth(chart);
    expect(policies.policyNames).toEqual(ADMISSION_CHECKS.map(c => `seaworthy-${c.ruleId.toLowerCase()}`));
    expect(out.filter(o => o.kind === 'ValidatingAdmissionPolicy')).toHaveLength(ADMISSION_CHECKS.length);
    expect(out.every(o => o.metadata.namespace === undefined)).toBe(true);
    expect(new Set(out.map(o => o.apiVersion))).toEqual(new Set(['admissionregistration.k8s.io/v1beta1']));
    const staging = out.find(o => o.metadata.name === 'seaworthy-sw-sec-006-staging');
    expect(staging.spec.matchResources.namespaceSelector.matchExpressions[0]).toEqual({ key: 'seaworthy.dev/profile', operator: 'NotIn', values: ['production', 'development'] });
    expect(schemaErrors(out, '1.29')).toEqual([]);
  });

  test('defaults: every rule, production for unlabelled namespaces, v1 on the default target', () => {
    const chart = new Chart(Testing.app(), 'infra');
    new AdmissionPolicies(chart, 'rules');
    const out = Testing.synth(chart);
    expect(new Set(out.map(o => o.apiVersion))).toEqual(new Set(['admissionregistration.k8s.io/v1']));
    expect(out.find(o => o.metadata.name === 'seaworthy-sw-sec-006-production').spec.matchResources.namespaceSelector.matchExpressions[0].operator).toBe('NotIn');
  });

  test('mutating: the MutatingAdmissionPolicies too, v1 on 1.36, valid against its schema; off by default', () => {
    const chart = new Chart(Testing.app(), 'infra');
    KubernetesTarget.set(chart, '1.36');
    const policies = new AdmissionPolicies(chart, 'rules', { mutating: true });
    const out = Testing.synth(chart);
    expect(policies.mutatingPolicyNames).toEqual(['seaworthy-default-sw-sec-009', 'seaworthy-default-sw-sec-011']);
    expect(out.filter(o => o.kind === 'MutatingAdmissionPolicy').map(o => o.apiVersion)).toEqual(['admissionregistration.k8s.io/v1', 'admissionregistration.k8s.io/v1']);
    expect(out.filter(o => o.kind === 'MutatingAdmissionPolicyBinding')).toHaveLength(6);
    expect(out.every(o => o.metadata.namespace === undefined)).toBe(true);
    expect(schemaErrors(out, '1.36')).toEqual([]);
    const plain = new Chart(Testing.app(), 'infra');
    KubernetesTarget.set(plain, '1.36');
    expect(new AdmissionPolicies(plain, 'rules').mutatingPolicyNames).toEqual([]);
    expect(Testing.synth(plain).filter(o => o.kind.startsWith('Mutating'))).toEqual([]);
  });

  test('mutating on 1.35: v1beta1; on 1.33: refused with the construct path and the first minor', () => {
    const chart = new Chart(Testing.app(), 'infra');
    KubernetesTarget.set(chart, '1.35');
    new AdmissionPolicies(chart, 'rules', { mutating: true, rules: ['SW-SEC-009'] });
    const out = Testing.synth(chart);
    expect(out.filter(o => o.kind.startsWith('Mutating')).map(o => o.apiVersion)).toEqual(Array(4).fill('admissionregistration.k8s.io/v1beta1'));
    expect(schemaErrors(out, '1.35')).toEqual([]);
    const old = new Chart(Testing.app(), 'infra');
    KubernetesTarget.set(old, '1.33');
    expect(() => new AdmissionPolicies(old, 'rules', { mutating: true })).toThrow(/^\[infra\/rules\] mutating admission policies need Kubernetes 1\.34 .* or 1\.36 \(v1\); the target is 1\.33/);
  });

  test('a rule without a policy is refused with the construct path', () => {
    const chart = new Chart(Testing.app(), 'infra');
    expect(() => new AdmissionPolicies(chart, 'rules', { rules: ['SW-REPLICAS-002'] })).toThrow(/^\[infra\/rules\] rule "SW-REPLICAS-002" has no admission policy; rules with one: SW-SEC-001/);
  });
});

describe('excluded namespaces', () => {
  test('--exclude-namespaces and excludeNamespaces add to the system namespaces in every binding, validating and mutating; a name that is not one is refused', () => {
    const r = cli('admission', '--kubernetes-version', '1.36', '--mutating', '--rules', 'SW-SEC-006,SW-SEC-011', '--exclude-namespaces', 'calico-system, gpu-operator');
    expect(r.code).toBe(0);
    const bindings = (yaml.loadAll(r.stdout) as any[]).filter(d => d.kind.endsWith('Binding'));
    expect(bindings.length).toBeGreaterThan(4);
    for (const b of bindings) {
      expect(b.spec.matchResources.namespaceSelector.matchExpressions[1]).toEqual({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-node-lease', 'kube-public', 'kube-system', 'calico-system', 'gpu-operator'] });
    }
    const bad = cli('admission', '--kubernetes-version', '1.35', '--exclude-namespaces', 'Calico_System');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--exclude-namespaces: "Calico_System"');
    const chart = new Chart(Testing.app(), 'infra');
    new AdmissionPolicies(chart, 'rules', { rules: ['SW-SEC-006'], excludeNamespaces: ['calico-system'] });
    const out = Testing.synth(chart).filter(o => o.kind === 'ValidatingAdmissionPolicyBinding');
    expect(out.every(o => o.spec.matchResources.namespaceSelector.matchExpressions[1].values.includes('calico-system'))).toBe(true);
    expect(() => new AdmissionPolicies(new Chart(Testing.app(), 'x'), 'rules', { excludeNamespaces: 'calico-system' as any })).toThrow('[x/rules] excludeNamespaces must be a list of namespace names');
  });
});

describe('seaworthy admission', () => {
  test('writes one file per rule with -o, each the policy and its bindings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-admission-'));
    const r = cli('admission', '--kubernetes-version', '1.35', '-o', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${ADMISSION_CHECKS.length} ValidatingAdmissionPolicies with \\d+ bindings to `));
    const files = fs.readdirSync(dir).sort();
    expect(files).toHaveLength(ADMISSION_CHECKS.length);
    const docs = yaml.loadAll(fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-006.yaml'), 'utf8')) as any[];
    expect(docs.map(d => d.kind)).toEqual(['ValidatingAdmissionPolicy', ...Array(6).fill('ValidatingAdmissionPolicyBinding')]);
    expect(docs.every(d => d.metadata.labels['seaworthy.dev/rule'] === 'SW-SEC-006')).toBe(true);
  });

  test('-o again replaces the files it wrote, in one step; a file of the same name it did not write stops the run with nothing changed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-admission-'));
    expect(cli('admission', '--kubernetes-version', '1.35', '--rules', 'SW-SEC-006,SW-SEC-004', '-o', dir).code).toBe(0);
    const first = fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-006.yaml'), 'utf8');
    // Rewritten for another profile: the files it wrote are replaced, and no temporary file is left.
    expect(cli('admission', '--kubernetes-version', '1.35', '--rules', 'SW-SEC-006,SW-SEC-004', '--profile', 'staging', '-o', dir).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-006.yaml'), 'utf8')).not.toEqual(first);
    expect(fs.readdirSync(dir).sort()).toEqual(['seaworthy-sw-sec-004.yaml', 'seaworthy-sw-sec-006.yaml']);
    // Someone else's file under one of the names: exit 2, both files as they were.
    fs.writeFileSync(path.join(dir, 'seaworthy-sw-sec-006.yaml'), 'mine\n');
    const before004 = fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-004.yaml'), 'utf8');
    const r = cli('admission', '--kubernetes-version', '1.35', '--rules', 'SW-SEC-004,SW-SEC-006', '-o', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`refusing to replace ${path.join(dir, 'seaworthy-sw-sec-006.yaml')}: it is not an admission policy file seaworthy wrote`);
    expect(fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-006.yaml'), 'utf8')).toBe('mine\n');
    expect(fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-004.yaml'), 'utf8')).toBe(before004);
    // Text that looks like a policy does not make a file ours: only the first line seaworthy writes does.
    fs.writeFileSync(path.join(dir, 'seaworthy-sw-sec-006.yaml'), '# notes\nmetadata:\n  labels:\n    seaworthy.dev/rule: SW-SEC-006\n');
    expect(cli('admission', '--kubernetes-version', '1.35', '--rules', 'SW-SEC-006', '-o', dir).code).toBe(2);
  });

  test('-o removes the files it wrote earlier for rules this run leaves out, and nothing else; -o naming a file is a usage error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-admission-'));
    expect(cli('admission', '--kubernetes-version', '1.36', '--mutating', '--rules', 'SW-SEC-009,SW-SEC-004', '-o', dir).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'seaworthy-notes.yaml'), 'mine\n');
    const r = cli('admission', '--kubernetes-version', '1.28', '--rules', 'SW-SEC-004', '-o', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('removed 1 file it wrote earlier');
    expect(fs.readdirSync(dir).sort()).toEqual(['seaworthy-notes.yaml', 'seaworthy-sw-sec-004.yaml']);
    expect(fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-004.yaml'), 'utf8')).toContain('admissionregistration.k8s.io/v1beta1');
    const file = path.join(dir, 'seaworthy-notes.yaml');
    const e = cli('admission', '--kubernetes-version', '1.35', '-o', file);
    expect(e.code).toBe(2);
    expect(e.stderr).toContain('is a file; -o takes a directory');
  });

  test('1.29: v1beta1, with the feature gate named in the output and on stderr', () => {
    const r = cli('admission', '--kubernetes-version', '1.29', '--rules', 'SW-SEC-006');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('# Kubernetes 1.29: admissionregistration.k8s.io/v1beta1; the API server needs --feature-gates=ValidatingAdmissionPolicy=true and --runtime-config=admissionregistration.k8s.io/v1beta1=true');
    expect(r.stderr).toContain('note: Kubernetes 1.29: admissionregistration.k8s.io/v1beta1');
    expect((yaml.loadAll(r.stdout) as any[]).map(d => d.apiVersion)).toEqual(Array(7).fill('admissionregistration.k8s.io/v1beta1'));
  });

  test('1.30: v1 and no note', () => {
    const r = cli('admission', '--kubernetes-version', '1.30', '--rules', 'SW-SEC-006');
    expect(r.stderr).not.toContain('note:');
    expect(r.stdout.startsWith('apiVersion: admissionregistration.k8s.io/v1\n')).toBe(true);
  });

  test('--mutating on 1.36: the MutatingAdmissionPolicies beside the validating ones, v1, no note', () => {
    const r = cli('admission', '--kubernetes-version', '1.36', '--rules', 'SW-SEC-009,SW-SEC-006', '--mutating');
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('note:');
    const docs = yaml.loadAll(r.stdout) as any[];
    expect(docs.filter(d => d.kind.startsWith('Mutating')).map(d => `${d.kind} ${d.metadata.name} ${d.apiVersion}`)).toEqual([
      'MutatingAdmissionPolicy seaworthy-default-sw-sec-009 admissionregistration.k8s.io/v1',
      ...['production', 'staging', 'development'].map(p => `MutatingAdmissionPolicyBinding seaworthy-default-sw-sec-009-${p} admissionregistration.k8s.io/v1`),
    ]);
    expect(schemaErrors(docs, '1.36')).toEqual([]);
    expect(yaml.loadAll(cli('admission', '--kubernetes-version', '1.36', '--rules', 'SW-SEC-009').stdout).some((d: any) => d.kind.startsWith('Mutating'))).toBe(false);
  });

  test('--mutating on 1.34: v1beta1, with the MutatingAdmissionPolicy feature gate named in the output and on stderr', () => {
    const r = cli('admission', '--kubernetes-version', '1.34', '--rules', 'SW-SEC-011', '--mutating');
    expect(r.code).toBe(0);
    const note = '# Kubernetes 1.34: MutatingAdmissionPolicy as admissionregistration.k8s.io/v1beta1; the API server needs --feature-gates=MutatingAdmissionPolicy=true and --runtime-config=admissionregistration.k8s.io/v1beta1=true';
    expect(r.stdout.split('\n')[0]).toBe(note);
    expect(r.stderr).toContain(`note: ${note.slice(2)}\n`);
    const docs = yaml.loadAll(r.stdout) as any[];
    expect(docs.filter(d => d.kind.startsWith('Mutating')).map(d => d.apiVersion)).toEqual(Array(4).fill('admissionregistration.k8s.io/v1beta1'));
    expect(schemaErrors(docs, '1.34')).toEqual([]);
  });

  test('--mutating on 1.33 is a usage error naming the first minor', () => {
    const r = cli('admission', '--kubernetes-version', '1.33', '--mutating');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--mutating: mutating admission policies need Kubernetes 1.34 (admissionregistration.k8s.io/v1beta1, behind the MutatingAdmissionPolicy feature gate) or 1.36 (v1); the target is 1.33');
    expect(r.stdout).toBe('');
  });

  test('--mutating with -o: each default in its rule\'s file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-admission-'));
    const r = cli('admission', '--kubernetes-version', '1.36', '--mutating', '-o', dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^wrote ${ADMISSION_CHECKS.length} ValidatingAdmissionPolicies and 2 MutatingAdmissionPolicies with \\d+ bindings to `));
    const docs = yaml.loadAll(fs.readFileSync(path.join(dir, 'seaworthy-sw-sec-009.yaml'), 'utf8')) as any[];
    expect(docs.map(d => d.kind)).toEqual(['ValidatingAdmissionPolicy', ...Array(6).fill('ValidatingAdmissionPolicyBinding'), 'MutatingAdmissionPolicy', ...Array(3).fill('MutatingAdmissionPolicyBinding')]);
    expect(fs.readdirSync(dir)).toHaveLength(ADMISSION_CHECKS.length);
  });

  test('usage errors: an unknown rule, an unknown profile, files', () => {
    expect(cli('admission', '--rules', 'SW-SEC-006,SW-NOPE-1')).toMatchObject({ code: 2, stderr: expect.stringContaining('--rules: SW-NOPE-1 has no admission policy; rules with one: SW-SEC-001') });
    expect(cli('admission', '--profile', 'lax')).toMatchObject({ code: 2, stderr: expect.stringContaining('--profile must be one of production, staging, development (got "lax")') });
    expect(cli('admission', 'dist')).toMatchObject({ code: 2, stderr: expect.stringContaining('admission takes no files') });
  });

  test('help names the label, the waiver annotations and the flags', () => {
    const r = cli('admission', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('seaworthy.dev/profile');
    expect(r.stdout).toContain('waiver.seaworthy.dev/<RULE-ID>');
    expect(r.stdout).toContain('--mutating');
    expect(cli('--help').stdout).toContain('seaworthy admission [--kubernetes-version 1.NN]');
  });
});
