import * as fs from 'fs';
import * as path from 'path';
import { audit, Profile, Rules, Severity } from '../src';
import * as kube from '../src/audit/kube';
import { hpaOf, ObjectIndex } from '../src/audit/object-index';
import { loadManifests, parseManifests } from '../src/manifests/load';

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
    expect(f).toMatchObject({ object: 'Service/net/web', line: 13, field: 'spec.ports[0].targetPort', value: '"metrics"', severity: Severity.ERROR });
    expect(f.file).toMatch(/network\.yaml$/);
    expect(f.message).toBe(`SW-SVC-003 [Service/net/web] spec.ports[0].targetPort = "metrics": no selected container declares a port of that name, so the Service has no endpoint for it. Fix: ${Rules.SERVICE_TARGET_PORT.fix}.`);
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

  test('hpaOf() finds the first HPA scaling an object, by key or, for names a key cannot hold, by scanning', () => {
    const hpa = (name: string, target: unknown, ns: unknown = 'n') => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: ns }, spec: { scaleTargetRef: { kind: 'Deployment', name: target } } });
    const deployment = (name: unknown, ns: unknown = 'n') => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns } });
    const index = new ObjectIndex([hpa('first', 'd'), hpa('second', 'd'), hpa('number', 5), hpa('other-ns', 'd', 'm'), hpa('nul', 'a\0b'), hpa('ns-number', 'd', 7)]);
    const name = (o: unknown) => (o as { metadata: { name: string } } | undefined)?.metadata.name;
    expect(name(hpaOf(deployment('d'), index))).toBe('first');
    expect(name(hpaOf(deployment('d', 'm'), index))).toBe('other-ns');
    expect(name(hpaOf(deployment(5), index))).toBe('number');
    expect(hpaOf(deployment('5'), index)).toBeUndefined();
    expect(name(hpaOf(deployment('a\0b'), index))).toBe('nul');
    expect(name(hpaOf(deployment('d', 7), index))).toBe('ns-number');
    expect(hpaOf(deployment('d', '7'), index)).toBeUndefined();
  });

  test('a selector selects each workload once, whatever its label keys hold ("a=b": "c" beside "a": "b=c", NUL)', () => {
    const deployment = (name: string, labels: Record<string, string>, ns = 'n') => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns }, spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } } });
    const others = ['x', 'y', 'z'].map(name => deployment(name, { app: name }));
    const index = new ObjectIndex([deployment('u', { 'a=b': 'c', 'a': 'b=c' }), deployment('v', { 'a\0b': 'c', 'a': 'b\0c' }), deployment('w', { a: 'b=c' }, 'a\0n'), ...others]);
    const names = (matchLabels: Record<string, string>, ns = 'n') => index.workloadsSelectedBy(ns, { matchLabels }).map(w => w.obj.metadata?.name);
    expect(names({ a: 'b=c' })).toEqual(['u']);
    expect(names({ 'a=b': 'c' })).toEqual(['u']);
    expect(names({ 'a': 'b\0c' })).toEqual(['v']);
    expect(names({ a: 'b=c' }, 'a\0n')).toEqual(['w']);
  });

  test('a workload is matched against the PDBs, NetworkPolicies and Services that can select it, not against all of them', () => {
    // GIVEN one namespace of n workloads, each with its own Service, PDB, NetworkPolicy and HPA
    const objects = (n: number) => Array.from({ length: n }, (_, i) => {
      const labels = { app: `a${i}`, tier: 'web' };
      return [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `d${i}`, namespace: 'n' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'a:1', ports: [{ containerPort: 80 }] }] } } } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name: `d${i}`, namespace: 'n' }, spec: { selector: labels, ports: [{ port: 80 }] } },
        { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: `d${i}`, namespace: 'n' }, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `d${i}`, namespace: 'n' }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'] } },
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: `d${i}`, namespace: 'n' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: `d${i}` }, minReplicas: 2, maxReplicas: 4 } },
      ];
    }).flat().map(object => ({ object }));
    const selects = jest.spyOn(kube, 'selects');
    try {
      // WHEN
      const evaluations = (n: number) => {
        selects.mockClear();
        const findings = audit(objects(n));
        // THEN every workload has its PDB, policies and HPA: none of the rules that need them fires
        expect(findings.filter(f => ['SW-PDB-003', 'SW-NETPOL-001', 'SW-NETPOL-002', 'SW-REPLICAS-002', 'SW-PROBE-002', 'SW-TRACK-002'].includes(f.rule.id))).toEqual([]);
        return selects.mock.calls.length;
      };
      const [small, big] = [evaluations(100), evaluations(400)];
      // and four times the workloads cost about four times the selector evaluations, not sixteen.
      expect(big / small).toBeLessThan(5);
    } finally {
      selects.mockRestore();
    }
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
  test('references are resolved over the whole input: a selector finds its Pods in another group (folder)', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { replicas: 2, selector: { matchLabels: { app: 'a' } }, template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'a:1', ports: [{ containerPort: 80 }] }] } } } };
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } };
    const ids = (objects: Array<[object, string]>) => audit(objects.map(([object, group]) => ({ object, group })), { complete: true }).map(f => f.rule.id);
    expect(ids([[deployment, 'prod'], [service, 'prod']])).not.toContain('SW-SVC-002');
    expect(ids([[deployment, 'dev'], [service, 'prod']])).not.toContain('SW-SVC-002');
    expect(ids([[service, 'prod']])).toContain('SW-SVC-002');
  });
});
