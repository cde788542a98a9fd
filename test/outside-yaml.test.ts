import * as fs from 'fs';
import * as path from 'path';
import { audit, AuditFinding, Finding, Severity } from '../src';
import { loadManifests } from '../src/manifests/load';
import { sharedDir } from './support/shared-dir';

/**
 * Never a false error on correct YAML written by others: each project of
 * ../shared/outside-yaml (Argo CD, ingress-nginx, metrics-server, the Istio samples, the
 * Kubernetes examples, …), audited as `seaworthy audit <project>` audits it (an open set), and
 * every error compared with the reviewed list in fixtures/outside-yaml-expected.json: an error
 * not listed fails, and so does a listed one that disappears. Each entry says why it is true
 * ("review": "true"), or that another branch of issue 23 owns its review ("review": "H8").
 */

interface Expected {
  /** The file, relative to outside-yaml/. */
  readonly file: string;
  /** "Kind/namespace/name". */
  readonly object: string;
  readonly rule: string;
  /** How many errors of the rule the object has. */
  readonly count: number;
  readonly review: 'true';
  readonly why: string;
}

const ROOT = path.join(sharedDir(), 'outside-yaml');
const PROJECTS = fs.readdirSync(ROOT, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => d.name).sort();
const EXPECTED: Expected[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'outside-yaml-expected.json'), 'utf8'));

const key = (file: string, object: string, rule: string) => `${file}  ${object}  ${rule}`;

const found = new Map<string, AuditFinding[]>();
beforeAll(() => {
  for (const project of PROJECTS) {
    const { inputs, problems } = loadManifests([path.join(ROOT, project)]);
    expect(problems).toEqual([]);
    found.set(project, audit(inputs));
  }
});

describe('outside-yaml: every error is reviewed', () => {
  test('the expectations are well formed: each entry has a reason, a review and one project', () => {
    for (const e of EXPECTED) {
      expect(e.why.length).toBeGreaterThan(20);
      expect(e.review).toBe('true');
      expect(PROJECTS).toContain(e.file.split('/')[0]);
      expect(e.count).toBeGreaterThan(0);
    }
    expect(new Set(EXPECTED.map(e => key(e.file, e.object, e.rule))).size).toBe(EXPECTED.length);
  });

  test.each(PROJECTS)('%s: its errors are exactly the listed ones', project => {
    const counts = new Map<string, number>();
    for (const f of found.get(project)!.filter(x => x.severity === Severity.ERROR)) {
      const k = key(path.relative(ROOT, f.file!).split(path.sep).join('/'), f.object, f.rule.id);
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const expected = new Map(EXPECTED.filter(e => e.file.split('/')[0] === project).map(e => [key(e.file, e.object, e.rule), e.count]));
    const describe = (m: Map<string, number>) => [...m].map(([k, n]) => `${k}  x${n}`).sort();
    expect(describe(counts)).toEqual(describe(expected));
  });

  test('the open set: what another chart or an operator deploys is "not seen", never an error', () => {
    const all = [...found.values()].flat();
    const unseen = all.filter(f => f.problem.includes('not seen:'));
    expect(unseen.length).toBeGreaterThan(0);
    expect(unseen.every(f => f.severity === Severity.INFO)).toBe(true);
    // The Prometheus adapter's HPAs find their Deployment one folder up.
    expect(all.filter(f => f.rule.id === 'SW-HPA-005' && f.severity === Severity.INFO)).toEqual([]);
  });
});

/** The notes' smaller practices and the quota forms: no finding at all on these projects. */
const CHECKED = [
  'SW-CONFIG-004', // ConfigMaps within 1 MiB (the Istio add-ons ship large Grafana dashboards)
  'SW-SVC-007', 'SW-SVC-001', 'SW-PORT-002', // node ports
  'SW-SYSCTL-004', // the alpha sysctl annotations
  'SW-CONTAINER-002', // "sh -c" scripts with stray arguments (the Cassandra example and Argo CD use sh -c)
  'SW-NS-001', 'SW-NS-002', // LimitRange and quota evaluation
];

test.each(CHECKED)('%s: no finding', id => {
  const all: Finding[] = [...found.values()].flat();
  expect(all.filter(f => f.rule.id === id).map(f => f.message)).toEqual([]);
});
