import { audit, Severity } from '../src';

/** Every kind that carries a Pod spec gets every Pod rule (issue 12, item 4). */

const badPod = { hostPID: true, containers: [{ name: 'c', image: 'nginx', securityContext: { privileged: true } }] };
const ids = (object: object) => new Set(audit([{ object }]).filter(f => f.severity === Severity.ERROR).map(f => `${f.rule.id} ${f.field}`));
const POD_ERRORS = (at: string) => [`SW-SEC-005 ${at}.hostPID`, `SW-SEC-006 ${at}.containers[0].securityContext.privileged`, `SW-IMAGE-001 ${at}.containers[0].image`];

describe('kinds the audit skipped', () => {
  test('a privileged ReplicationController with hostPID and an untagged image (before: zero findings)', () => {
    const rc = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc', namespace: 'n' }, spec: { replicas: 2, selector: { app: 'x' }, template: { metadata: { labels: { app: 'x' } }, spec: badPod } } };
    expect([...ids(rc)]).toEqual(expect.arrayContaining(POD_ERRORS('spec.template.spec')));
    expect(audit([{ object: rc }]).map(f => f.rule.id)).toContain('SW-PROBE-006');
  });

  test('a ReplicaSet, a PodTemplate and a bare Pod get the same Pod rules', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'n' }, spec: { replicas: 2, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: badPod } } };
    const template = { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt', namespace: 'n' }, template: { metadata: { labels: { app: 'x' } }, spec: badPod } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: badPod };
    expect([...ids(rs)]).toEqual(expect.arrayContaining(POD_ERRORS('spec.template.spec')));
    expect([...ids(template)]).toEqual(expect.arrayContaining(POD_ERRORS('template.spec')));
    expect([...ids(pod)]).toEqual(expect.arrayContaining(POD_ERRORS('spec')));
  });

  test('a PodTemplate runs nothing: no isolation or bare-Pod findings', () => {
    const template = { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt', namespace: 'n' }, template: { metadata: { labels: { app: 'x' } }, spec: badPod } };
    expect(audit([{ object: template }]).map(f => f.rule.id).filter(id => ['SW-POD-001', 'SW-NETPOL-001', 'SW-NETPOL-002'].includes(id))).toEqual([]);
  });
});
