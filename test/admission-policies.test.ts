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

  test('a rule without a policy is refused with the construct path', () => {
    const chart = new Chart(Testing.app(), 'infra');
    expect(() => new AdmissionPolicies(chart, 'rules', { rules: ['SW-REPLICAS-002'] })).toThrow(/^\[infra\/rules\] rule "SW-REPLICAS-002" has no admission policy; rules with one: SW-SEC-001/);
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
    expect(cli('--help').stdout).toContain('seaworthy admission [--kubernetes-version 1.NN]');
  });
});
