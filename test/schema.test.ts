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

describe('strict schema validation per Kubernetes target (the test harness itself)', () => {
  test('accepts a valid object', () => {
    expect(schemaErrors([deployment({})], '1.28')).toEqual([]);
  });

  test('rejects an unknown field at any depth', () => {
    expect(schemaErrors([deployment({ livenessProbe: { httpGet: { path: '/', port: 80, bogus: 1 } } })], '1.28'))
      .toEqual([expect.stringContaining('/spec/template/spec/containers/0/livenessProbe/httpGet must NOT have additional properties (bogus)')]);
  });

  test('rejects a wrong type and a missing required field', () => {
    expect(schemaErrors([deployment({ ports: [{ containerPort: '80' }] })], '1.28')).toEqual([expect.stringContaining('containerPort must be integer')]);
    expect(schemaErrors([{ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ name: 'x' }] } }], '1.28'))
      .toEqual([expect.stringContaining("must have required property 'port'")]);
  });

  test('int-or-string and quantity values give no false positives', () => {
    const ok = deployment({
      readinessProbe: { httpGet: { path: '/', port: 'http' } },
      livenessProbe: { tcpSocket: { port: 8080 } },
      resources: { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: 0.5, memory: 1073741824 } },
    });
    expect(schemaErrors([ok], '1.28')).toEqual([]);
  });

  test('maps apiVersion/kind through x-kubernetes-group-version-kind', () => {
    expect(schemaErrors([{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p' }, spec: { maxUnavailable: 1 } }], '1.28')).toEqual([]);
    expect(schemaErrors([{ apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'p' } }], '1.28'))
      .toEqual(['PodDisruptionBudget/p: no Kubernetes 1.28 schema for policy/v1beta1/PodDisruptionBudget']);
  });

  test('each target has its own schema: the preStop sleep action exists from 1.29, native sidecars\' restartPolicy in every one', () => {
    const sleep = deployment({ lifecycle: { preStop: { sleep: { seconds: 5 } } } });
    expect(schemaErrors([sleep], '1.28')).toEqual([expect.stringContaining('must NOT have additional properties (sleep)')]);
    for (const v of ['1.29', '1.30', '1.35', '1.36']) expect(schemaErrors([sleep], v)).toEqual([]);
    expect(schemaErrors([deployment({ restartPolicy: 'Always' })], '1.28')).toEqual([]);
  });
});
