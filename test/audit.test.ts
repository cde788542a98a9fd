import * as fs from 'fs';
import * as path from 'path';
import { audit, Profile, Rules, Severity } from '../src';
import { loadManifests, parseManifests } from '../src/cli/load';

const FIXTURES = path.join(__dirname, 'fixtures', 'bad');

describe('seaworthy audit on deliberately bad manifests', () => {
  test.each(fs.readdirSync(FIXTURES).filter(f => f.endsWith('.yaml')))('%s reports every expected rule id', file => {
    const text = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    const expected = text.split('\n')[0].replace('# expect:', '').trim().split(/\s+/);
    const { inputs, problems } = parseManifests(file, text);
    expect(problems).toEqual([]);
    const found = new Set(audit(inputs).map(f => f.rule.id));
    expect(expected.filter(id => !found.has(id))).toEqual([]);
  });

  test('SW-NETPOL-004: an empty podSelector (a namespace baseline such as default-deny) is never "selects nothing"', () => {
    const policy = (podSelector: object) => ({ object: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: 'empty' }, spec: { podSelector, policyTypes: ['Ingress', 'Egress'] } } });
    const ids = (podSelector: object) => audit([policy(podSelector)]).map(f => f.rule.id);
    expect(ids({})).not.toContain('SW-NETPOL-004');
    expect(ids({ matchLabels: {} })).not.toContain('SW-NETPOL-004');
    expect(ids({ matchLabels: { app: 'typo' } })).toContain('SW-NETPOL-004');
  });

  test('findings name the object, the file, the document line, the field, the value and the fix', () => {
    const { inputs } = loadManifests([path.join(FIXTURES, 'network.yaml')]);
    const f = audit(inputs).find(x => x.rule.id === 'SW-SVC-003')!;
    expect(f).toMatchObject({ object: 'Service/net/web', line: 13, field: 'spec.ports[0].targetPort', value: '9090', severity: Severity.ERROR });
    expect(f.file).toMatch(/network\.yaml$/);
    expect(f.message).toBe(`SW-SVC-003 [Service/net/web] spec.ports[0].targetPort = 9090: no selected container declares it. Fix: ${Rules.SERVICE_TARGET_PORT.fix}.`);
  });

  test('the reference app in dist/ (every environment) has no errors', () => {
    const findings = audit(loadManifests([path.join(__dirname, '..', 'dist')]).inputs);
    expect(findings.filter(f => f.severity === Severity.ERROR).map(f => f.message)).toEqual([]);
    // The same node agent, and the Gateway's data-plane policy (its Pods are deployed by the
    // implementation), waived in each of the three environments.
    expect(findings.filter(f => f.waived && f.file?.includes(`${path.sep}prod${path.sep}`)).map(f => f.rule.id).sort()).toEqual(['SW-NETPOL-004', 'SW-SEC-001', 'SW-SEC-004', 'SW-SEC-004', 'SW-SEC-010']);
    expect(findings.filter(f => f.waived)).toHaveLength(15);
  });

  test('the waivers annotation turns findings into infos with the reason', () => {
    const pod = (annotations?: Record<string, string>) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', annotations },
      spec: { hostNetwork: true, containers: [{ name: 'c', image: 'a:1' }] },
    });
    const plain = audit([{ object: pod() }]).find(f => f.rule.id === 'SW-SEC-005')!;
    expect(plain.severity).toBe(Severity.ERROR);
    const waived = audit([{ object: pod({ 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-SEC-005', reason: 'node exporter' }]) }) }]).find(f => f.rule.id === 'SW-SEC-005')!;
    expect(waived).toMatchObject({ severity: Severity.INFO, waived: 'node exporter' });
    expect(waived.problem).toContain('(waived: node exporter)');
  });

  test('profiles: staging downgrades availability rules, development turns them off', () => {
    const { inputs } = loadManifests([path.join(FIXTURES, 'availability.yaml')]);
    const severity = (profile: Profile) => audit(inputs, { profile }).find(f => f.rule.id === 'SW-PDB-001')?.severity;
    expect(severity(Profile.PRODUCTION)).toBe(Severity.ERROR);
    expect(severity(Profile.STAGING)).toBe(Severity.WARNING);
    expect(severity(Profile.DEVELOPMENT)).toBeUndefined();
    // Correctness rules stay errors everywhere.
    expect(audit(inputs, { profile: Profile.DEVELOPMENT }).find(f => f.rule.id === 'SW-ROLLOUT-001')?.severity).toBe(Severity.ERROR);
  });

  test('YAML 1.1 as kubectl reads it: yes/on are booleans', () => {
    const { inputs } = parseManifests('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata:\n  enabled: yes\n  port: 0755\n');
    expect((inputs[0].object as { data: Record<string, unknown> }).data).toEqual({ enabled: true, port: 493 });
  });

  test('cross-object rules are indexed: 5,000 services audit in linear time', () => {
    const objects = (n: number) => Array.from({ length: n }, (_, i) => [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: 'n' }, spec: { replicas: 2, selector: { matchLabels: { app: `a${i}` } }, template: { metadata: { labels: { app: `a${i}` } }, spec: { containers: [{ name: 'c', image: 'a:1', ports: [{ containerPort: 80 }] }] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'n' }, spec: { selector: { app: `a${i}` }, ports: [{ port: 80 }] } },
    ]).flat().map(object => ({ object }));
    // Every Service finds exactly its own Deployment: no SW-SVC-002 or SW-SVC-003.
    const findings = audit(objects(5000));
    expect(findings.filter(f => f.rule.id === 'SW-SVC-002' || f.rule.id === 'SW-SVC-003')).toEqual([]);
    expect(findings.filter(f => f.rule.id === 'SW-PROBE-001')).toHaveLength(5000);
  });
});

describe('YAML 1.1 scalars, as kubectl (go-yaml v2) resolves them', () => {
  test.each([
    ['yes', true], ['on', true], ['Y', true], ['No', false], ['off', false], ['true', true],
    ['0755', 493], ['0x1F', 31], ['0b101', 5], ['1_000', 1000], ['-42', -42], ['0', 0],
    ['1.5', 1.5], ['1e3', 1000], ['.inf', Infinity], ['~', null], ['null', null], ['', null],
    ['08', 8], ['1.5.0', '1.5.0'], ['"yes"', 'yes'], ["'0755'", '0755'], ['yesterday', 'yesterday'],
  ])('%s', (scalar, expected) => {
    const { inputs } = parseManifests('x.yaml', `kind: ConfigMap\nmetadata: { name: c }\nv: ${scalar}\n`);
    expect((inputs[0].object as { v: unknown }).v).toEqual(expected);
  });

  test('documents keep their own lines; a broken one does not hide the others', () => {
    const { inputs, problems } = parseManifests('x.yaml', '# head\nkind: A\nmetadata: { name: a }\n---\nkind: [oops\n---\n\nkind: C\nmetadata: { name: c }\n');
    expect(inputs.map(i => [(i.object as { kind: string }).kind, i.line])).toEqual([['A', 2], ['C', 8]]);
    expect(problems).toEqual([expect.objectContaining({ file: 'x.yaml', line: expect.any(Number) })]);
    expect(problems[0].line).toBeGreaterThanOrEqual(5);
  });
});

describe('groups', () => {
  test('cross-object rules only relate objects deployed together (the CLI groups by directory)', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { replicas: 2, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'a:1', ports: [{ containerPort: 80 }] }] } } } };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } };
    const ids = (groups: [string, string]) => audit([{ object: deployment, group: groups[0] }, { object: service, group: groups[1] }]).map(f => f.rule.id);
    expect(ids(['prod', 'prod'])).not.toContain('SW-SVC-002');
    expect(ids(['dev', 'prod'])).toContain('SW-SVC-002');
  });
});
