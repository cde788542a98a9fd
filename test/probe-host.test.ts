import { audit } from '../src';

/**
 * SW-SEC-018 on manifests: what it says of Pod Security follows the namespace's label when the
 * Namespace is in the set, and a hostNetwork agent probed on its own loopback is left alone.
 */

const namespace = (enforce: string, version?: string) => ({
  apiVersion: 'v1', kind: 'Namespace',
  metadata: { name: 'agents', labels: { 'pod-security.kubernetes.io/enforce': enforce, ...(version ? { 'pod-security.kubernetes.io/enforce-version': version } : {}) } },
});
const daemonSet = (host: string, hostNetwork: boolean) => ({
  apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'agents' },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: {
      metadata: { labels: { app: 'agent' } },
      spec: { hostNetwork, containers: [{ name: 'agent', image: 'ghcr.io/acme/agent:1.0.0', livenessProbe: { httpGet: { path: '/healthz', port: 9100, host } } }] },
    },
  },
});

/** The problems of SW-SEC-018 on the objects, judged for Kubernetes 1.35. */
function sec018(...objects: object[]): string[] {
  return audit(objects.map(object => ({ object })), { kubernetesVersion: '1.35' }).filter(f => f.rule.id === 'SW-SEC-018').map(f => f.problem);
}

describe('the namespace\'s Pod Security level', () => {
  test('a namespace enforcing privileged admits the host: the finding does not say Pod Security rejects it', () => {
    expect(sec018(namespace('privileged'), daemonSet('10.0.0.1', false))).toEqual(['the kubelet would call 10.0.0.1 from the node']);
  });
  test('a namespace enforcing baseline rejects it, and the finding says so', () => {
    expect(sec018(namespace('baseline'), daemonSet('10.0.0.1', false))).toEqual(['the kubelet would call 10.0.0.1 from the node; the namespace enforces Pod Security "baseline", which rejects the Pod on Kubernetes 1.35 (the target)']);
  });
  test('a namespace pinned to a Pod Security version before v1.34 has no such control', () => {
    expect(sec018(namespace('restricted', 'v1.33'), daemonSet('10.0.0.1', false))).toEqual(['the kubelet would call 10.0.0.1 from the node']);
    expect(sec018(namespace('restricted', 'v1.34'), daemonSet('10.0.0.1', false))).toHaveLength(1);
    expect(sec018(namespace('restricted', 'v1.34'), daemonSet('10.0.0.1', false))[0]).toMatch(/rejects the Pod/);
  });
  test('a namespace not in the set: the rejection is conditional', () => {
    expect(sec018(daemonSet('10.0.0.1', false))).toEqual(['the kubelet would call 10.0.0.1 from the node; Pod Security "baseline" of Kubernetes 1.35 (the target) rejects the Pod in a namespace enforcing baseline or restricted']);
  });
});

describe('hostNetwork agents', () => {
  test.each(['127.0.0.1', 'localhost', '::1'])('a hostNetwork agent probed on %s is probed on itself: no finding', host => {
    expect(sec018(namespace('privileged'), daemonSet(host, true))).toEqual([]);
  });
  test('without hostNetwork, loopback is the node\'s, not the Pod\'s: reported', () => {
    expect(sec018(namespace('privileged'), daemonSet('127.0.0.1', false))).toEqual(['the kubelet would call 127.0.0.1 from the node']);
  });
  test('a hostNetwork agent probed on another address is reported', () => {
    expect(sec018(namespace('privileged'), daemonSet('10.0.0.1', true))).toEqual(['the kubelet would call 10.0.0.1 from the node']);
  });
});
