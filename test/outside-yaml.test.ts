import * as path from 'path';
import { audit, Finding } from '../src';
import { loadManifests } from '../src/manifests/load';
import { sharedDir } from './support/shared-dir';

/**
 * Never an error on correct YAML written by others: the third-party manifests of
 * ../shared/outside-yaml (Argo CD, ingress-nginx, metrics-server, the Istio samples, the
 * Kubernetes examples, …) against the checks of the notes' smaller practices and the quota forms.
 */

const CHECKED = [
  'SW-CONFIG-004', // ConfigMaps within 1 MiB (the Istio add-ons ship large Grafana dashboards)
  'SW-SVC-007', 'SW-SVC-001', 'SW-PORT-002', // node ports
  'SW-SYSCTL-004', // the alpha sysctl annotations
  'SW-CONTAINER-002', // "sh -c" scripts with stray arguments (the Cassandra example and Argo CD use sh -c)
  'SW-NS-001', 'SW-NS-002', // LimitRange and quota evaluation
];

let found: Finding[];
beforeAll(() => {
  const { inputs } = loadManifests([path.join(sharedDir(), 'outside-yaml')]);
  expect(inputs.length).toBeGreaterThan(100);
  found = audit(inputs);
});

test.each(CHECKED)('%s: no finding', id => {
  expect(found.filter(f => f.rule.id === id).map(f => f.message)).toEqual([]);
});
