import { readFileSync } from 'fs';
import { join } from 'path';
import * as yaml from 'yaml';
import { audit, NodeAgent, SeaworthyError } from '../src';
import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { KubeObject, newChart, thrownBy } from './support/synth';

/**
 * The RBAC audit after the outside review: Secrets judged where a ClusterRole is granted
 * cluster-wide, the built-in edit and admin roles bound cluster-wide, exec-grade subresources,
 * and bindings to anonymous users, every user or every ServiceAccount.
 */

const rbac = 'rbac.authorization.k8s.io/v1';
const findings = (objects: KubeObject[]) => audit(objects.map(object => ({ object }))).map(f => `${f.object} ${f.rule.id} ${f.field}`);
const ids = (objects: KubeObject[]) => audit(objects.map(object => ({ object }))).map(f => f.rule.id);
const clusterRole = (name: string, rules: object[]) => ({ apiVersion: rbac, kind: 'ClusterRole', metadata: { name }, rules });
const role = (name: string, rules: object[]) => ({ apiVersion: rbac, kind: 'Role', metadata: { name, namespace: 'shop' }, rules });
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: { kind: string; name: string }, subjects: object[]) => ({
  apiVersion: rbac, kind, metadata: { name, namespace: kind === 'RoleBinding' ? 'shop' : undefined }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', ...roleRef }, subjects,
});
const sa = (name: string, namespace = 'shop') => ({ kind: 'ServiceAccount', name, namespace });
const secretReader = clusterRole('app-secret-reader', [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['app-tls'], verbs: ['get'] }]);

describe('SW-RBAC-004: Secrets where a ClusterRole is granted cluster-wide', () => {
  test('a ClusterRole on one Secret bound only by a RoleBinding is correct (the review\'s rbac3.yaml)', () => {
    const rb = binding('RoleBinding', 'app-secret-reader', { kind: 'ClusterRole', name: 'app-secret-reader' }, [sa('app')]);
    expect(ids([secretReader, rb])).toEqual([]);
  });

  test('a ClusterRole on Secrets bound by nothing among the audited objects grants nothing there', () => {
    expect(ids([clusterRole('r', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }])])).toEqual([]);
  });

  test('the same ClusterRole bound by a ClusterRoleBinding reaches every namespace, and names the binding', () => {
    const crb = binding('ClusterRoleBinding', 'everywhere', { kind: 'ClusterRole', name: 'app-secret-reader' }, [sa('app')]);
    const rb = binding('RoleBinding', 'app-secret-reader', { kind: 'ClusterRole', name: 'app-secret-reader' }, [sa('app')]);
    const found = audit([secretReader, rb, crb].map(object => ({ object })));
    expect(found.map(f => `${f.object} ${f.rule.id} ${f.field}`)).toEqual(['ClusterRole/app-secret-reader SW-RBAC-004 rules[0].resources']);
    expect(found[0].message).toContain('ClusterRoleBinding "everywhere"');
    expect(found[0].message).toContain('Secrets of these names in every namespace');
  });

  test('a ClusterRoleBinding to the built-in edit or admin role reads Secrets everywhere; a RoleBinding to them does not', () => {
    for (const name of ['edit', 'admin']) {
      expect(findings([binding('ClusterRoleBinding', 'ci', { kind: 'ClusterRole', name }, [sa('ci', 'ci')])])).toEqual(['ClusterRoleBinding/ci SW-RBAC-004 roleRef.name']);
      expect(ids([binding('RoleBinding', 'ci', { kind: 'ClusterRole', name }, [sa('ci')])])).toEqual([]);
    }
    expect(ids([binding('ClusterRoleBinding', 'ci', { kind: 'ClusterRole', name: 'view' }, [sa('ci', 'ci')])])).toEqual([]);
    // A CI system that truly deploys to every namespace waives it on the binding, with its reason.
    const waived = { ...binding('ClusterRoleBinding', 'ci', { kind: 'ClusterRole', name: 'edit' }, [sa('ci', 'ci')]) } as KubeObject;
    waived.metadata = { ...waived.metadata, annotations: { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-RBAC-004', reason: 'the deploy pipeline of every namespace' }]) } };
    expect(audit([{ object: waived }]).map(f => `${f.rule.id} ${f.severity}`)).toEqual(['SW-RBAC-004 info']);
    // A role of that name among the audited objects is judged by its rules instead.
    const ownEdit = clusterRole('edit', [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]);
    expect(ids([ownEdit, binding('ClusterRoleBinding', 'ci', { kind: 'ClusterRole', name: 'edit' }, [sa('ci', 'ci')])])).toEqual([]);
  });

  test('synth: a workload\'s cluster-wide grant on Secrets is still refused (its ClusterRoleBinding is always rendered)', () => {
    const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
    const e = thrownBy(() => new NodeAgent(newChart('monitoring').chart, 'a', { name: 'agent', image: 'a/b:1.0.0', size }).grantClusterWide({ apiGroup: '', resources: ['secrets'], verbs: ['get'], resourceNames: ['tls'] }));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-RBAC-004']);
  });
});

describe('SW-RBAC-002: exec into Pods and the kubelet', () => {
  test.each([['pods/exec', ['create']], ['pods/exec', ['get']], ['pods/attach', ['create']], ['nodes/proxy', ['get']]])('%s with %j in a Role or a ClusterRole', (resource, verbs) => {
    expect(findings([role('r', [{ apiGroups: [''], resources: [resource], verbs }])])).toEqual(['Role/shop/r SW-RBAC-002 rules[0].resources']);
    expect(ids([clusterRole('r', [{ apiGroups: [''], resources: [resource], verbs }])])).toEqual(['SW-RBAC-002']);
  });

  test('logs, metrics and port-forward are not exec; the same names in another group are not the core subresources', () => {
    expect(ids([role('r', [{ apiGroups: [''], resources: ['pods/log', 'pods', 'pods/portforward'], verbs: ['get'] }])])).toEqual([]);
    expect(ids([role('r', [{ apiGroups: ['example.com'], resources: ['pods/exec'], verbs: ['get'] }])])).toEqual([]);
  });

  test('synth: the constructs refuse the grant too (one implementation)', () => {
    const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
    const e = thrownBy(() => new NodeAgent(newChart('monitoring').chart, 'a', { name: 'agent', image: 'a/b:1.0.0', size }).grantClusterWide({ apiGroup: '', resources: ['pods/exec'], verbs: ['create'] }));
    expect(e).toBeInstanceOf(SeaworthyError);
    expect((e as SeaworthyError).ruleIds).toContain('SW-RBAC-002');
    expect((e as SeaworthyError).message).toContain('pods/exec');
  });
});

describe('SW-RBAC-007: bindings to anonymous users, every user or every ServiceAccount', () => {
  test.each([
    ['User', 'system:anonymous'], ['Group', 'system:unauthenticated'], ['Group', 'system:authenticated'], ['Group', 'system:serviceaccounts'],
  ])('%s %s, in a RoleBinding and a ClusterRoleBinding', (kind, name) => {
    const subject = { kind, name, apiGroup: 'rbac.authorization.k8s.io' };
    const found = audit([binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'view' }, [sa('app'), subject])].map(object => ({ object })));
    expect(found.map(f => `${f.object} ${f.rule.id} ${f.field}`)).toEqual(['RoleBinding/shop/b SW-RBAC-007 subjects[1].name']);
    expect(found[0].message).toContain(`${kind} ${name}`);
    expect(found[0].message).toContain('in namespace "shop"');
    expect(ids([binding('ClusterRoleBinding', 'b', { kind: 'ClusterRole', name: 'view' }, [subject])])).toEqual(['SW-RBAC-007']);
  });

  test('named users, groups, one namespace\'s ServiceAccounts, and Kubernetes\' own discovery bindings pass', () => {
    const group = (name: string) => ({ kind: 'Group', name, apiGroup: 'rbac.authorization.k8s.io' });
    expect(ids([binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'view' }, [group('team-shop'), { kind: 'User', name: 'alice@example.com' }])])).toEqual([]);
    expect(ids([binding('ClusterRoleBinding', 'discovery', { kind: 'ClusterRole', name: 'system:discovery' }, [group('system:authenticated')])])).toEqual([]);
    expect(ids([binding('ClusterRoleBinding', 'public-info', { kind: 'ClusterRole', name: 'system:public-info-viewer' }, [group('system:authenticated'), group('system:unauthenticated')])])).toEqual([]);
    // A ServiceAccount named like the group is just a ServiceAccount.
    expect(ids([binding('RoleBinding', 'b', { kind: 'ClusterRole', name: 'view' }, [sa('system:serviceaccounts')])])).toEqual([]);
  });
});

describe('the review\'s repro files', () => {
  const load = (file: string): KubeObject[] => yaml.parseAllDocuments(readFileSync(join(__dirname, 'fixtures', file), 'utf8')).map(d => d.toJSON());

  test('rbac3.yaml (one Secret, bound by a RoleBinding): no finding', () => {
    expect(ids(load('review-rbac3.yaml'))).toEqual([]);
  });

  test('rbac2.yaml: edit cluster-wide, escalation and exec grants, broad subjects', () => {
    expect(findings(load('review-rbac2.yaml')).sort()).toEqual([
      'ClusterRole/sneaky SW-RBAC-002 rules[1].verbs',
      'ClusterRole/sneaky SW-RBAC-002 rules[1].verbs',
      'ClusterRole/sneaky SW-RBAC-002 rules[2].resources',
      'ClusterRole/sneaky SW-RBAC-002 rules[2].resources',
      'ClusterRole/sneaky SW-RBAC-004 rules[0].resources',
      'ClusterRoleBinding/anon SW-RBAC-007 subjects[0].name',
      'ClusterRoleBinding/anon SW-RBAC-007 subjects[1].name',
      'ClusterRoleBinding/ci-edit SW-RBAC-004 roleRef.name',
      // escalate and bind on clusterroles: the role can grant itself anything.
      'ClusterRoleBinding/sneaky SW-RBAC-005 roleRef.name',
      'ClusterRoleBinding/sneaky SW-RBAC-007 subjects[0].name',
    ]);
  });
});

describe('RBAC object names are path segments, not DNS names (SW-NAME-001 must not cry wolf)', () => {
  const role = (kind: string, name: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name, namespace: kind.startsWith('Cluster') ? undefined : 'shop' }, rules: [] });
  test.each([['ClusterRole', 'system:aggregate-to-view:shop'], ['Role', 'shop:config-reader'], ['ClusterRoleBinding', 'system:discovery'], ['RoleBinding', 'Team_Readers']])('%s "%s" passes', (kind, name) => {
    expect(audit([{ object: role(kind, name) }]).filter(f => f.rule.id === 'SW-NAME-001')).toEqual([]);
  });
  test.each([['ClusterRole', 'a/b'], ['Role', '..'], ['RoleBinding', '50%']])('%s "%s" is refused, as the API server refuses it', (kind, name) => {
    expect(audit([{ object: role(kind, name) }]).filter(f => f.rule.id === 'SW-NAME-001').map(f => f.field)).toEqual(['metadata.name']);
  });
  test('other kinds keep the DNS-1123 check', () => {
    expect(audit([{ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop:config', namespace: 'shop' }, data: {} } }]).map(f => f.rule.id)).toContain('SW-NAME-001');
  });
});
