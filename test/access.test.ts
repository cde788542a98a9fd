import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, Findings, KubernetesTarget, NodeAgent, readCluster, SeaworthyError, ServiceAccountRef, Waiver, WebService } from '../src';
import { EXAMPLES, Example } from '../src/construct-examples';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
const agentProps = { name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.2', size };

function auditIds(objects: KubeObject[]): string[] {
  return audit(objects.map(object => ({ object }))).map(f => f.rule.id);
}

describe('an existing, ops-managed ServiceAccount', () => {
  test('no ServiceAccount is rendered; the Pods name it, token unmounted', () => {
    const { app, chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({ serviceAccount: ServiceAccountRef.existing('ops-sa') }));
    const objects = synthValid(chart);
    expect(objects.filter(o => o.kind === 'ServiceAccount')).toEqual([]);
    const pod = only(objects, 'Deployment').spec.template.spec;
    expect(pod.serviceAccountName).toBe('ops-sa');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-SA-'))).toEqual([]);
  });

  test('a grant binds the existing ServiceAccount and mounts the token', () => {
    const { chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({ serviceAccount: ServiceAccountRef.existing('ops-sa') })).grantReadConfigMaps('flags');
    const objects = synthValid(chart);
    expect(only(objects, 'RoleBinding').subjects).toEqual([{ kind: 'ServiceAccount', name: 'ops-sa' }]);
    expect(only(objects, 'Deployment').spec.template.spec.automountServiceAccountToken).toBe(true);
  });

  test('SW-SA-002: not a reference, a bad name, or "default"', () => {
    const ids = (serviceAccount: unknown) => (thrownBy(() => new WebService(newChart().chart, 'api', apiProps({ serviceAccount: serviceAccount as ServiceAccountRef }))) as SeaworthyError).ruleIds;
    expect(ids('ops-sa')).toEqual(['SW-SA-002']);
    expect(ids(ServiceAccountRef.existing('Ops_SA'))).toEqual(['SW-SA-002']);
    expect(ids(ServiceAccountRef.existing('default'))).toEqual(['SW-SA-002']);
  });
});

describe('cluster-wide grants (ClusterRole + ClusterRoleBinding)', () => {
  test('a node agent that reads Pods and nodes', () => {
    const { app, chart } = newChart('monitoring');
    const agent = new NodeAgent(chart, 'exporter', agentProps);
    agent.grantClusterWide(readCluster(['pods', 'nodes']));
    const objects = synthValid(chart);
    const role = only(objects, 'ClusterRole');
    expect(role.metadata.name).toBe('monitoring-node-exporter');
    expect(role.metadata.namespace).toBeUndefined();
    expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods', 'nodes'], verbs: ['get', 'list', 'watch'] }]);
    const binding = only(objects, 'ClusterRoleBinding');
    expect(binding.metadata.namespace).toBeUndefined();
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'monitoring-node-exporter' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'node-exporter', namespace: 'monitoring' }]);
    expect(only(objects, 'DaemonSet').spec.template.spec.automountServiceAccountToken).toBe(true);
    // The token is mounted because the grant needs it: SW-SA-001 must not cry wolf.
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-RBAC-') || f.rule.id.startsWith('SW-SA-0'))).toEqual([]);
  });

  test('SW-SA-001 spares a mounted token whose account a (Cluster)RoleBinding grants permissions, and only that account', () => {
    const pod = (name: string, namespace: string) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { serviceAccountName: name, automountServiceAccountToken: true, containers: [{ name, image: 'ghcr.io/acme/x:1.0.0' }] } } },
    });
    const roleBinding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reader', namespace: 'a' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reader' }] };
    const clusterBinding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'agent' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace: 'b' }] };
    const sa001 = (objects: KubeObject[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-SA-001').map(f => f.object);
    // Bound by a RoleBinding (subject namespace defaults to the binding's) or a ClusterRoleBinding: the app calls the API.
    expect(sa001([pod('reader', 'a'), roleBinding, pod('agent', 'b'), clusterBinding])).toEqual([]);
    // Unbound, or bound in another namespace: the token is mounted for nothing.
    expect(sa001([pod('reader', 'a'), pod('agent', 'c'), clusterBinding])).toEqual(['Deployment/a/reader', 'Deployment/c/agent']);
  });

  test('SW-RBAC-001..004, 006: wildcards, escalation verbs, unknown resources, Secrets, no namespace', () => {
    const ids = (grant: Parameters<NodeAgent['grantClusterWide']>[0], namespace: string | null = 'monitoring') => {
      const e = thrownBy(() => new NodeAgent(newChart(namespace ?? undefined).chart, 'a', agentProps).grantClusterWide(grant));
      expect(e).toBeInstanceOf(SeaworthyError);
      return (e as SeaworthyError).ruleIds;
    };
    expect(ids({ apiGroup: '*', resources: ['pods'], verbs: ['get'] })).toEqual(['SW-RBAC-001']);
    expect(ids({ apiGroup: 'rbac.authorization.k8s.io', resources: ['clusterroles'], verbs: ['escalate', 'bind'] })).toEqual(['SW-RBAC-002', 'SW-RBAC-002']);
    expect(ids({ apiGroup: '', resources: ['users'], verbs: ['impersonate'] })).toEqual(['SW-RBAC-002', 'SW-RBAC-003']);
    expect(ids(readCluster(['pod']))).toEqual(['SW-RBAC-003']);
    expect(ids(readCluster(['deployments']))).toEqual(['SW-RBAC-003']);
    expect(ids(readCluster(['nodes/proxy']))).toEqual(['SW-RBAC-002', 'SW-RBAC-003']);
    expect(ids({ apiGroup: '', resources: ['secrets'], verbs: ['get'] })).toEqual(['SW-RBAC-004']);
    expect(ids(readCluster(['pods']), null)).toEqual(['SW-RBAC-006']);
    // Custom resources are not second-guessed.
    const { chart } = newChart('monitoring');
    new NodeAgent(chart, 'a', agentProps).grantClusterWide(readCluster(['servicemonitors'], 'monitoring.coreos.com'));
    expect(only(synthValid(chart), 'ClusterRole').rules[0].apiGroups).toEqual(['monitoring.coreos.com']);
  });

  test('SW-RBAC-004 waived: the ClusterRole carries the waiver, and the audit of the output agrees', () => {
    const { app, chart } = newChart('ingress');
    const agent = new NodeAgent(chart, 'a', { ...agentProps, waivers: [Waiver.of('SW-RBAC-004', 'the ingress controller serves TLS certificates of every namespace')] });
    agent.grantClusterWide({ apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: undefined });
    const role = only(synthValid(chart), 'ClusterRole');
    expect(role.metadata.annotations['seaworthy.dev/waivers']).toContain('SW-RBAC-004');
    const found = Findings.of(app).filter(f => f.rule.id === 'SW-RBAC-004');
    expect(found.map(f => f.severity)).toEqual(['info']);
  });
});

describe('the RBAC audit rules', () => {
  const rbac = 'rbac.authorization.k8s.io/v1';
  const binding = (kind: string, roleRef: object, subjects: object[], namespace?: string) => ({ apiVersion: rbac, kind, metadata: { name: 'b', namespace }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects });
  const sa = (name: string, namespace?: string) => ({ kind: 'ServiceAccount', name, namespace });

  test('SW-RBAC-005: binding cluster-admin, or a role with a wildcard', () => {
    expect(auditIds([binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'cluster-admin' }, [sa('ci', 'ci')])])).toEqual(['SW-RBAC-005']);
    expect(auditIds([binding('RoleBinding', { kind: 'ClusterRole', name: 'cluster-admin' }, [sa('ci')], 'ci')])).toEqual(['SW-RBAC-005']);
    const all = { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'all' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get'] }] };
    const found = audit([all, binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'all' }, [sa('ci', 'ci')])].map(object => ({ object })));
    expect(found.map(f => `${f.object} ${f.rule.id}`)).toEqual(['ClusterRole/all SW-RBAC-001', 'ClusterRole/all SW-RBAC-001', 'ClusterRoleBinding/b SW-RBAC-005']);
    // A wildcard API group on named resources is broad (SW-RBAC-001 on the role) but not cluster-admin.
    const pods = { ...all, rules: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }] };
    expect(auditIds([pods, binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'all' }, [sa('ci', 'ci')])])).toEqual(['SW-RBAC-001']);
    const view = { apiVersion: rbac, kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] };
    expect(auditIds([view, binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'reader' }, [sa('ci', 'ci')])])).toEqual([]);
    // Built-in roles outside the audited objects (view, edit) are not judged.
    expect(auditIds([binding('RoleBinding', { kind: 'ClusterRole', name: 'view' }, [sa('ci')], 'ci')])).toEqual([]);
  });

  test('SW-RBAC-004 on ClusterRoles, SW-RBAC-002 on any role', () => {
    const role = (kind: string, rules: object[]) => ({ apiVersion: rbac, kind, metadata: { name: 'r', namespace: kind === 'Role' ? 'n' : undefined }, rules });
    // Judged where granted cluster-wide: by a ClusterRoleBinding among the audited objects.
    expect(auditIds([role('ClusterRole', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]), binding('ClusterRoleBinding', { kind: 'ClusterRole', name: 'r' }, [sa('ci', 'ci')])])).toEqual(['SW-RBAC-004']);
    expect(auditIds([role('ClusterRole', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]), binding('RoleBinding', { kind: 'ClusterRole', name: 'r' }, [sa('ci')], 'ci')])).toEqual([]);
    expect(auditIds([role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['tls'] }])])).toEqual([]);
    expect(auditIds([role('Role', [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'] }])])).toEqual(['SW-RBAC-002']);
  });

  test('SW-RBAC-006 and SW-SA-003: subjects without a namespace, and the default ServiceAccount', () => {
    const view = { kind: 'ClusterRole', name: 'view' };
    expect(auditIds([binding('ClusterRoleBinding', view, [sa('agent')])])).toEqual(['SW-RBAC-006']);
    expect(auditIds([binding('RoleBinding', view, [sa('default')], 'shop')])).toEqual(['SW-SA-003']);
    expect(auditIds([binding('RoleBinding', view, [sa('api')], 'shop')])).toEqual([]);
  });
});

describe('the documented examples of storage and identity', () => {
  test.each(EXAMPLES.filter(e => /PersistentVolume|grantClusterWide|ServiceAccountRef/.test(e.title)).map(e => [e.title, e]))('%s: schema-valid on 1.28 and 1.35, no error finding', (_title, e) => {
    for (const kubernetesVersion of ['1.28', '1.35'] as const) {
      const app = Testing.app();
      const chart = new Chart(app, 'demo', { namespace: 'demo' });
      KubernetesTarget.set(chart, kubernetesVersion);
      (e as Example).build(chart);
      expect(synthValid(chart).length).toBeGreaterThan(0);
      expect(Findings.of(app).filter(f => f.severity === 'error').map(f => f.message)).toEqual([]);
    }
  });
});
