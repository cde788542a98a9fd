import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { audit, AuditInput, Severity } from '../src';
import { RULES_BY_ID } from '../src/rules/catalog';
import { loadManifests } from '../src/manifests/load';
import { run } from '../src/cli/main';
import { MARKER } from '../src/synth/write-tree';

/**
 * The audit's open and closed world: what it cannot see is "not seen" (an info saying why) in
 * an open set, and an error only in a set known to be the whole deployment.
 */

const NS = 'shop';
const labels = { app: 'web' };
const container = (extra: object = {}) => ({ name: 'web', image: 'ghcr.io/acme/web:1.0.0', ...extra });
const deployment = (name = 'web', spec: object = {}, podSpec: object = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS },
  spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container({ ports: [{ name: 'http', containerPort: 8080 }] })], ...podSpec } }, ...spec },
});
const service = (name = 'web', spec: object = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }], ...spec } });
const of = (objects: object[], group?: string): AuditInput[] => objects.map(object => ({ object, group }));
const findings = (inputs: AuditInput[], complete: boolean, id: string) => audit(inputs, { complete }).filter(f => f.rule.id === id);

describe('open and closed world', () => {
  const cases: Array<[string, object[]]> = [
    ['SW-SVC-002', [service('orphan', { selector: { app: 'made-by-an-operator' } })]],
    ['SW-HPA-005', [{ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: NS }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'elsewhere' }, minReplicas: 2, maxReplicas: 4 } }]],
    ['SW-PDB-004', [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b', namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'prometheus' } }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } }]],
    ['SW-NETPOL-004', [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: NS }, spec: { podSelector: { matchLabels: { app: 'alertmanager' } }, policyTypes: ['Ingress'] } }]],
    ['SW-STS-002', [{ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS }, spec: { serviceName: 'db-headless', replicas: 2, selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [container()] } } } }]],
    ['SW-INGRESS-001', [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'i', namespace: NS }, spec: { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'other-chart', port: { number: 80 } } } }] } }] } }]],
    ['SW-ENV-005', [deployment('web', {}, { containers: [container({ env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'from-another-chart', key: 'mode' } } }] })] })]],
  ];

  test.each(cases)('%s: at its severity in a complete set, an info saying why it is not judged in an open one', (id, objects) => {
    const closed = findings(of(objects), true, id);
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.map(f => f.severity)).toEqual(closed.map(f => f.rule.severity));
    expect(closed[0].severity).not.toBe(Severity.INFO);
    expect(closed[0].problem).not.toContain('not seen');
    const open = findings(of(objects), false, id);
    expect(open.map(f => f.severity)).toEqual(closed.map(() => Severity.INFO));
    expect(open[0].problem).toMatch(/not seen: the audited files are not known to be the whole deployment/);
    // The default is open.
    expect(audit(of(objects)).filter(f => f.rule.id === id).map(f => f.severity)).toEqual(closed.map(() => Severity.INFO));
  });

  test('the rules docs/rules.md marks as needing the whole deployment are exactly the ones that report "not seen"', () => {
    expect(cases.map(c => c[0]).sort()).toEqual([...RULES_BY_ID.values()].filter(r => r.unseen !== undefined).map(r => r.id).sort());
  });

  test('what the set does hold is judged in both worlds: a StatefulSet naming a Service that is not headless', () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS }, spec: { serviceName: 'web', replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container()] } } } };
    for (const complete of [false, true]) {
      expect(findings(of([sts, service()]), complete, 'SW-STS-002').map(f => [f.severity, f.problem])).toEqual([[Severity.ERROR, 'names a Service that is not headless']]);
    }
  });

  test('references are resolved over the whole input: an HPA in a sub-folder of its Deployment\'s folder finds it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-world-'));
    try {
      fs.mkdirSync(path.join(dir, 'hpa'));
      fs.writeFileSync(path.join(dir, 'deployment.yaml'), JSON.stringify(deployment('vllm', { replicas: undefined })));
      fs.writeFileSync(path.join(dir, 'hpa', 'hpa.yaml'), JSON.stringify({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: NS }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'vllm' }, minReplicas: 2, maxReplicas: 4 } }));
      const { inputs } = loadManifests([dir]);
      expect(new Set(inputs.map(i => i.group)).size).toBe(2);
      const all = audit(inputs, { complete: true });
      expect(all.filter(f => f.rule.id === 'SW-HPA-005')).toEqual([]);
      // Without the Deployment's folder, the HPA's target is missing.
      expect(audit(loadManifests([path.join(dir, 'hpa')]).inputs, { complete: true }).filter(f => f.rule.id === 'SW-HPA-005')).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a group finds its own objects first: alternative examples in sibling folders are not related', () => {
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'web', namespace: NS }, spec: { replicas: 1, selector: labels, template: { metadata: { labels }, spec: { containers: [container({ readinessProbe: { httpGet: { path: '/', port: 8080 } } })] } } } };
    const tracks = (inputs: AuditInput[]) => audit(inputs, { complete: true }).filter(f => f.rule.id === 'SW-TRACK-001');
    expect(tracks([...of([deployment()], 'guestbook'), ...of([rc], 'guestbook-go')])).toEqual([]);
    expect(tracks(of([deployment(), rc], 'guestbook')).length).toBeGreaterThan(0);
  });

  test('duplicates are what one `kubectl apply -f <folder>` sees: the same object in two files of one folder, not in two folders', () => {
    const a = deployment();
    const b = deployment();
    const dupes = (inputs: AuditInput[]) => audit(inputs).filter(f => f.rule.id === 'SW-OBJECT-001');
    expect(dupes([...of([a], 'one'), ...of([b], 'two')])).toEqual([]);
    expect(dupes(of([a, b], 'one'))).toHaveLength(1);
  });

  test('of two definitions in one folder, the last is judged: kubectl applies both, and the last one wins', () => {
    const privileged = deployment('web', {}, { containers: [{ name: 'web', image: 'ghcr.io/acme/web:1.0.0', securityContext: { privileged: true } }] });
    const plain = deployment('web');
    const found = (objects: object[]) => audit(of(objects, 'one')).map(f => f.rule.id);
    expect(found([privileged, plain])).not.toContain('SW-SEC-006');
    expect(found([privileged, plain])).toContain('SW-OBJECT-001');
    expect(found([plain, privileged])).toContain('SW-SEC-006');
    // In two folders, both are judged.
    expect(audit([...of([privileged], 'one'), ...of([plain], 'two')]).map(f => f.rule.id)).toContain('SW-SEC-006');
  });

  test('the last definition of an object is the one references see (kubectl: last one wins)', () => {
    const headless = service('db', { clusterIP: 'None' });
    const plain = service('db');
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS }, spec: { serviceName: 'db', replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [container()] } } } };
    expect(findings(of([sts, plain, headless]), true, 'SW-STS-002')).toEqual([]);
    expect(findings(of([sts, headless, plain]), true, 'SW-STS-002')).toHaveLength(1);
  });
});

describe('the audit states the world it judged in', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-world-cli-'));
  const file = path.join(dir, 'svc.yaml');
  fs.writeFileSync(file, JSON.stringify(service('orphan')));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const cli = (...args: string[]) => {
    let stdout = '';
    const code = run(args, { stdout: t => { stdout += t; }, stderr: () => undefined, isTty: false });
    return { code, stdout };
  };

  test('table: the first line; an open set is not failed for a selector that matches nothing', () => {
    const open = cli('audit', file);
    expect(open.stdout.split('\n')[0]).toMatch(/^Judged as an open set/);
    expect(open.stdout).toMatch(/^info +SW-SVC-002 +Service\/shop\/orphan/m);
    const closed = cli('audit', file, '--complete');
    expect(closed.stdout.split('\n')[0]).toMatch(/^Judged as a complete set/);
    expect(closed.stdout).toMatch(/^error +SW-SVC-002 +Service\/shop\/orphan/m);
    expect(closed.code).toBe(1);
  });

  test('JSON, SARIF and JUnit name the world', () => {
    expect(JSON.parse(cli('audit', file, '--format', 'json').stdout).world).toBe('open');
    expect(JSON.parse(cli('audit', file, '--format', 'json', '--complete').stdout).world).toBe('complete');
    expect(JSON.parse(cli('audit', file, '--format', 'sarif').stdout).runs[0].properties.world).toBe('open');
    expect(cli('audit', file, '--format', 'junit', '--complete').stdout).toContain('<property name="world" value="complete"/>');
  });

  test('a directory seaworthy wrote (its marker) is complete; a file of it, or a directory without it, is not', () => {
    const json = (p: string) => JSON.parse(cli('audit', p, '--format', 'json').stdout).world;
    expect(json(dir)).toBe('open');
    fs.writeFileSync(path.join(dir, MARKER), '# written by seaworthy; files it may replace:\nsvc.yaml\n');
    try {
      expect(json(dir)).toBe('complete');
      expect(json(file)).toBe('open');
      expect(JSON.parse(cli('audit', path.join(__dirname, '..', 'dist', 'prod'), '--format', 'json').stdout).world).toBe('complete');
    } finally {
      fs.rmSync(path.join(dir, MARKER));
    }
  });
});
