import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { admissionPolicies } from '../src/admission/policies';
import { audit } from '../src/audit/engine';
import { EXAMPLES } from '../src/construct-examples';
import { waiverAnnotationKey } from '../src/rules/waiver';
import { KubernetesTarget } from '../src/target/target';
import { evaluatePolicy } from './support/admission-cel';
import { goodPodSpec, MUTATIONS, OTHER_OBJECTS, TEMPLATE_KINDS, wrap } from './support/admission-fixtures';
import { sharedDir } from './support/shared-dir';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The same verdict at the cluster's door as in CI: every generated ValidatingAdmissionPolicy,
 * evaluated with @bufbuild/cel on one object, denies exactly when `audit()` of that lone object
 * reports its rule unwaived.
 */

const POLICIES: any[] = admissionPolicies(KubernetesTarget.version('1.35')).filter(o => o.kind === 'ValidatingAdmissionPolicy');
const ruleOf = (p: any): string => p.metadata.labels['seaworthy.dev/rule'];

interface Disagreement { readonly source: string; readonly rule: string; readonly audit: boolean; readonly policy: boolean; readonly message?: string }

/** Compares every policy with the audit on one object; returns the disagreements and the number of (policy, object) pairs judged. */
function compare(source: string, object: any): { disagreements: Disagreement[]; judged: number; denied: number } {
  const findings = audit([{ object }]).filter(f => f.waived === undefined);
  const out: Disagreement[] = [];
  let judged = 0;
  let denied = 0;
  for (const p of POLICIES) {
    const outcome = evaluatePolicy(p, object);
    if (!outcome.matched) {
      // A rule the policy does not look at for this kind must not be reported by the audit either.
      if (findings.some(f => f.rule.id === ruleOf(p))) out.push({ source, rule: ruleOf(p), audit: true, policy: false, message: 'not matched' });
      continue;
    }
    judged++;
    const auditSays = findings.some(f => f.rule.id === ruleOf(p));
    if (!outcome.allowed) denied++;
    if (auditSays !== !outcome.allowed) out.push({ source, rule: ruleOf(p), audit: auditSays, policy: !outcome.allowed, message: outcome.message });
  }
  return { disagreements: out, judged, denied };
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

describe('fixtures: a good and a bad object per rule, in every kind with a Pod template', () => {
  test('the good Pod spec passes every policy and the audit in every kind', () => {
    for (const kind of TEMPLATE_KINDS) {
      const r = compare(`good ${kind}`, wrap(kind, goodPodSpec()));
      expect(r.disagreements).toEqual([]);
      expect(r.denied).toBe(0);
    }
  });

  test.each(MUTATIONS.map(m => [m.name, m]))('%s: audit and policy agree in every kind, and waivers lift both', (_name, m) => {
    for (const kind of TEMPLATE_KINDS) {
      const spec = goodPodSpec();
      m.apply(spec, spec.containers[0]);
      const object = wrap(kind, spec);
      const r = compare(`${m.name} in ${kind}`, object);
      expect(r.disagreements).toEqual([]);
      if (m.breaks === undefined) continue;
      const policy = POLICIES.find(p => ruleOf(p) === m.breaks);
      const outcome = evaluatePolicy(policy, object);
      // PROBE-006 judges long-running controllers only (as the audit does).
      if (outcome.matched) {
        expect(outcome.allowed).toBe(false);
        expect(outcome.message).toContain(m.breaks);
      }
      const waived = compare(`${m.name} in ${kind}, waived`, wrap(kind, clone(spec), { [waiverAnnotationKey(m.breaks)]: 'accepted by the platform team' }));
      expect(waived.disagreements).toEqual([]);
      expect(evaluatePolicy(policy, wrap(kind, clone(spec), { [waiverAnnotationKey(m.breaks)]: 'ok' })).allowed).toBe(true);
      // A blank reason waives nothing.
      expect(evaluatePolicy(policy, wrap(kind, clone(spec), { [waiverAnnotationKey(m.breaks)]: ' ' })).allowed).toBe(!outcome.matched);
      if (m.inContainer) {
        const scoped = wrap(kind, clone(spec), { [waiverAnnotationKey(m.breaks, 'app')]: 'app only' });
        expect(compare(`${m.name} in ${kind}, container waiver`, scoped).disagreements).toEqual([]);
        expect(evaluatePolicy(policy, scoped).allowed).toBe(true);
        // A waiver for another container does not cover "app".
        expect(evaluatePolicy(policy, wrap(kind, clone(spec), { [waiverAnnotationKey(m.breaks, 'other')]: 'x' })).allowed).toBe(!outcome.matched);
      }
    }
  });

  test.each(OTHER_OBJECTS.map(o => [o.name, o.object]))('%s: audit and policy agree', (name, object) => {
    expect(compare(String(name), object).disagreements).toEqual([]);
    // A fixture named after a rule breaks it: its policy denies, and the rule's waiver lifts the denial.
    const breaks = /\((SW-[A-Z]+-\d+)\)$/.exec(String(name))?.[1];
    if (breaks === undefined) return;
    const policy = POLICIES.find(p => ruleOf(p) === breaks);
    expect(evaluatePolicy(policy, object).allowed).toBe(false);
    const waived = clone(object);
    waived.metadata.annotations = { ...waived.metadata.annotations, [waiverAnnotationKey(breaks)]: 'accepted by the platform team' };
    expect(evaluatePolicy(policy, waived).allowed).toBe(true);
    expect(compare(`${String(name)}, waived`, waived).disagreements).toEqual([]);
  });

  test('a bad object of each generated rule is denied by its policy', () => {
    const denied = new Set<string>();
    const objects = [...MUTATIONS.flatMap(m => TEMPLATE_KINDS.map(kind => {
      const spec = goodPodSpec();
      m.apply(spec, spec.containers[0]);
      return wrap(kind, spec);
    })), ...OTHER_OBJECTS.map(o => o.object)];
    for (const o of objects) for (const p of POLICIES) if (!evaluatePolicy(p, o).allowed) denied.add(ruleOf(p));
    expect([...POLICIES.map(ruleOf)].filter(id => !denied.has(id))).toEqual([]);
  });
});

/** Every document of the YAML files under `dir`. */
function yamlDocuments(dir: string): Array<{ source: string; object: any }> {
  const out: Array<{ source: string; object: any }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        yaml.loadAll(fs.readFileSync(p, 'utf8'), doc => {
          if (doc && typeof doc === 'object') out.push({ source: path.relative(path.dirname(dir), p), object: doc });
        });
      }
    }
  };
  walk(dir);
  return out;
}

describe('corpora: construct examples, the reference app and third-party manifests', () => {
  test('every construct example\'s output: zero disagreements', () => {
    let judged = 0;
    const disagreements: Disagreement[] = [];
    for (const e of EXAMPLES) {
      const chart = new Chart(Testing.app(), 'demo', { namespace: 'demo' });
      e.build(chart);
      for (const object of Testing.synth(chart)) {
        const r = compare(`example ${e.title}: ${object.kind}/${object.metadata?.name}`, object);
        judged += r.judged;
        disagreements.push(...r.disagreements);
      }
    }
    expect(disagreements).toEqual([]);
    expect(judged).toBeGreaterThan(100);
  });

  test('the reference app (dist/): zero disagreements', () => {
    const docs = yamlDocuments(path.join(__dirname, '..', 'dist'));
    const results = docs.map(d => compare(d.source, d.object));
    expect(results.flatMap(r => r.disagreements)).toEqual([]);
    expect(results.reduce((n, r) => n + r.judged, 0)).toBeGreaterThan(100);
  });

  test('../shared/outside-yaml, read in place: zero disagreements', () => {
    const docs = yamlDocuments(path.join(sharedDir(), 'outside-yaml'));
    const results = docs.map(d => compare(d.source, d.object));
    expect(results.flatMap(r => r.disagreements)).toEqual([]);
    expect(results.reduce((n, r) => n + r.judged, 0)).toBeGreaterThan(200);
    expect(results.reduce((n, r) => n + r.denied, 0)).toBeGreaterThan(0);
  });
});
