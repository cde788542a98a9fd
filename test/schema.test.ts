import { schemaErrors } from './support/k8s-schema';

const deployment = (spec: object) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'x' },
  spec: {
    selector: { matchLabels: { a: 'b' } },
    template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i:1', ...spec }] } },
  },
});

describe('strict Kubernetes 1.28 schema validation (the test harness itself)', () => {
  test('accepts a valid object', () => {
    expect(schemaErrors([deployment({})])).toEqual([]);
  });

  test('rejects an unknown field at any depth', () => {
    expect(schemaErrors([deployment({ livenessProbe: { httpGet: { path: '/', port: 80, bogus: 1 } } })]))
      .toEqual([expect.stringContaining('/spec/template/spec/containers/0/livenessProbe/httpGet must NOT have additional properties (bogus)')]);
  });

  test('rejects a wrong type and a missing required field', () => {
    expect(schemaErrors([deployment({ ports: [{ containerPort: '80' }] })])).toEqual([expect.stringContaining('containerPort must be integer')]);
    expect(schemaErrors([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'x' }] } }]))
      .toEqual([expect.stringContaining("must have required property 'port'")]);
  });

  test('int-or-string and quantity values give no false positives', () => {
    const ok = deployment({
      readinessProbe: { httpGet: { path: '/', port: 'http' } },
      livenessProbe: { tcpSocket: { port: 8080 } },
      resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: 0.5, memory: 1073741824 } },
    });
    expect(schemaErrors([ok])).toEqual([]);
  });

  test('maps apiVersion/kind through x-kubernetes-group-version-kind', () => {
    expect(schemaErrors([{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1 } }])).toEqual([]);
    expect(schemaErrors([{ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } }]))
      .toEqual(['PodDisruptionBudget/p: no Kubernetes 1.28 schema for policy/v1beta1/PodDisruptionBudget']);
  });
});
