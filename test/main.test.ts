import * as fs from 'fs';
import * as path from 'path';
import { App, Testing, Yaml } from 'cdk8s';
import * as yaml from 'yaml';
import { Findings } from '../src';
import { buildApp } from '../src/main';
import { schemaErrors } from './support/k8s-schema';
import { podSpecOf, pssRestrictedViolations, qosOf, wiringProblems } from './support/pod-checks';
import { KubeObject } from './support/synth';

const DIST = path.resolve(__dirname, '..', 'dist');

function distObjects(): KubeObject[] {
  return fs.readdirSync(DIST).filter(f => f.endsWith('.yaml')).sort()
    .flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(DIST, f), 'utf8')).map(d => d.toJS() as KubeObject));
}

describe('reference app (src/main.ts) and the committed dist/', () => {
  const objects = distObjects();
  const workloads = objects.filter(o => podSpecOf(o) !== undefined);

  test('dist/ is exactly what the app synthesizes now', () => {
    const app: App = buildApp(Testing.app());
    const files = fs.readdirSync(DIST).sort();
    expect(files).toEqual(app.charts.map(c => `${c.node.id}.k8s.yaml`).sort());
    for (const chart of app.charts) {
      expect(fs.readFileSync(path.join(DIST, `${chart.node.id}.k8s.yaml`), 'utf8')).toBe(Yaml.stringify(...chart.toJson()));
    }
  });

  test('every object is valid against the strict Kubernetes 1.28 schema', () => {
    expect(objects.length).toBeGreaterThanOrEqual(7);
    expect(schemaErrors(objects)).toEqual([]);
  });

  test('every Pod is Guaranteed and passes PSS restricted', () => {
    expect(workloads.length).toBeGreaterThan(0);
    for (const w of workloads) {
      expect(qosOf(podSpecOf(w)!)).toBe('Guaranteed');
      expect(pssRestrictedViolations(podSpecOf(w)!, w.metadata.name)).toEqual([]);
    }
  });

  test('each Service targets its Pods\' ports; each PDB and NetworkPolicy selects its Pods', () => {
    expect(wiringProblems(objects)).toEqual([]);
    expect(objects.filter(o => ['Service', 'PodDisruptionBudget', 'NetworkPolicy'].includes(o.kind))).toHaveLength(3);
  });

  test('the graceful HTTP server: graceful start and stop, log level as configuration', () => {
    const pod = podSpecOf(workloads[0])!;
    const c = pod.containers[0];
    expect(c.startupProbe.httpGet.path).toBe('/ready');
    expect(c.startupProbe.periodSeconds * c.startupProbe.failureThreshold).toBeGreaterThanOrEqual(60);
    expect(c.readinessProbe.httpGet.path).not.toBe(c.livenessProbe.httpGet.path);
    expect(c.lifecycle.preStop.exec.command).toEqual(['sleep', '5']);
    expect(pod.terminationGracePeriodSeconds).toBe(5 + 20 + 5);
    const logLevel = c.env.find((e: KubeObject) => e.name === 'LOG_LEVEL');
    const configMap = objects.find(o => o.kind === 'ConfigMap' && o.metadata.name === logLevel.valueFrom.configMapKeyRef.name);
    expect(configMap?.data.LOG_LEVEL).toBe('info');
  });

  test('the namespace enforces PSS restricted, and the app reports no findings', () => {
    const ns = objects.find(o => o.kind === 'Namespace');
    expect(ns?.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(ns?.metadata.namespace).toBeUndefined();
    expect(Findings.of(buildApp(Testing.app()))).toEqual([]);
  });
});
