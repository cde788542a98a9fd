import { ApiObject, Chart, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Findings, Severity, WebService } from '../src';
import { apiProps } from './support/props';

/** Findings.of(app) runs the manifest rules over the synthesized objects (issue 12, item 8). */

test('manifest-only rules are reported for objects built with raw cdk8s / cdk8s-plus (before: nothing)', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'raw', { namespace: 'raw' });
  new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80, nodePort: 80 }] } });
  new kplus.Deployment(chart, 'dep', { containers: [{ image: 'nginx', securityContext: { ensureNonRoot: false } }] });
  const found = Findings.of(app);
  const ids = new Set(found.map(f => f.rule.id));
  for (const id of ['SW-SVC-004', 'SW-SVC-005', 'SW-IMAGE-001', 'SW-SEC-010']) expect(ids.has(id)).toBe(true);
  const np = found.find(f => f.rule.id === 'SW-SVC-005')!;
  expect(np).toMatchObject({ path: 'raw/svc', field: 'Service/raw/np spec.ports[0].nodePort', value: '80', severity: Severity.WARNING });
  expect(np.message).toMatch(/^SW-SVC-005 \[raw\/svc\] Service\/raw\/np spec.ports\[0\].nodePort = 80: is outside/);
});

test('a problem a construct reports is not reported again by the same manifest rule', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'c' });
  new WebService(chart, 'api', apiProps({ command: ['/bin/sh', '-c', '/app/server'], replicas: 1 }));
  const found = Findings.of(app).map(f => `${f.rule.id} ${f.path}`);
  expect(found.filter(f => f.startsWith('SW-SHUTDOWN-002'))).toEqual(['SW-SHUTDOWN-002 c/api']);
  // SW-REPLICAS-002 (manifest) says what SW-PDB-002 (construct) already said.
  expect(found.filter(f => /SW-(PDB-002|REPLICAS-002)/.test(f))).toEqual(['SW-PDB-002 c/api']);
});

test('a construct\'s own findings stay construct findings; the manifest pass runs only for the app', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'c' });
  const api = new WebService(chart, 'api', apiProps({ replicas: 1 }));
  new ApiObject(chart, 'svc', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', selector: { app: 'x' }, ports: [{ port: 80 }] } });
  expect(Findings.of(api).map(f => f.rule.id)).toEqual(['SW-PDB-002']);
  expect(Findings.of(app).map(f => f.rule.id)).toContain('SW-SVC-004');
});

test('an object that cannot render does not make Findings.of(app) throw', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'c' });
  new kplus.Deployment(chart, 'empty');
  expect(() => Findings.of(app)).not.toThrow();
});
