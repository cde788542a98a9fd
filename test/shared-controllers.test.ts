import { Size } from 'cdk8s';
import { AccessMode, audit, diffManifests, DiffInput, Findings, PersistentVolumeClaim, PodVolume, SeaworthyError, WebService } from '../src';
import { singleWriterProblem } from '../src/rules/families/storage';
import { apiProps } from './support/props';
import { KubeObject, newChart, synthValid, thrownBy } from './support/synth';

/** Several controllers sharing one thing: the standard canary setup (stable + canary Deployments with the same app labels). */

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;
const deployment = (name: string, track: string, replicas: number, extra: Obj = {}, podSpec: Obj = {}): Obj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'shop' },
  spec: {
    replicas, selector: { matchLabels: { app: 'web', track } }, ...extra,
    template: { metadata: { labels: { app: 'web', track } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25.3' }], ...podSpec } },
  },
});
const budget = (spec: Obj): Obj => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'shop' }, spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow', selector: { matchLabels: { app: 'web' } }, ...spec } });
const hpa = (target: string, minReplicas: number): Obj => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: target, namespace: 'shop' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas, maxReplicas: 20 },
});
const found = (id: string, objects: Obj[]) => audit(objects.map((object, i) => ({ object, file: 'm.yaml', line: i * 10 + 1 }))).filter(f => f.rule.id === id);

describe('SW-PDB-001: one budget over a stable and a canary Deployment is judged over both together', () => {
  test('the review repro: minAvailable 80% over 9 stable + 1 canary = 10 Pods allows 2 disruptions, no finding', () => {
    expect(found('SW-PDB-001', [deployment('web-stable', 'stable', 9), deployment('web-canary', 'canary', 1), budget({ minAvailable: '80%' })])).toEqual([]);
  });

  test('1 stable + 1 canary under minAvailable 80% allows none: reported once, on the budget, naming both', () => {
    const f = found('SW-PDB-001', [deployment('web-stable', 'stable', 1), deployment('web-canary', 'canary', 1), budget({ minAvailable: '80%' })]);
    expect(f.map(x => `${x.object} ${x.field} = ${String(x.value)}: ${x.problem}`)).toEqual([
      'PodDisruptionBudget/shop/web spec.minAvailable = "80%": allows no disruption of the 2 Pods of Deployment/web-stable (1) and Deployment/web-canary (1), so node drains would block forever',
    ]);
  });

  test('an autoscaled stable counts at its HPA minimum', () => {
    const objects = [deployment('web-stable', 'stable', 9), deployment('web-canary', 'canary', 1), budget({ minAvailable: 3 })];
    delete objects[0].spec.replicas;
    expect(found('SW-PDB-001', [...objects, hpa('web-stable', 4)])).toEqual([]);
    expect(found('SW-PDB-001', [...objects, hpa('web-stable', 2)]).map(x => x.problem)).toEqual([
      'allows no disruption of the 3 Pods of Deployment/web-stable (2) and Deployment/web-canary (1), so node drains would block forever',
    ]);
  });

  test('a single controller keeps its message', () => {
    expect(found('SW-PDB-001', [deployment('web', 'stable', 2), budget({ maxUnavailable: 0 })]).map(x => x.problem)).toEqual([
      'allows no disruption of Deployment/web at 2 replicas, so node drains would block forever',
    ]);
  });

  test('a ReplicaSet a Deployment owns is not counted twice', () => {
    const owned = deployment('web-abc', 'stable', 1);
    owned.kind = 'ReplicaSet';
    owned.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-stable', uid: 'u', controller: true }];
    expect(found('SW-PDB-001', [deployment('web-stable', 'stable', 1), owned, budget({ minAvailable: '50%' })])).toHaveLength(1);
  });

  test('diff (SW-DIFF-030) judges the budget over both controllers too', () => {
    const inputs = (objects: Obj[]): DiffInput[] => objects.map((object, i) => ({ object, file: 'm.yaml', line: i * 10 + 1 }));
    const before = [deployment('web-stable', 'stable', 9), deployment('web-canary', 'canary', 1), budget({ maxUnavailable: 1 })];
    const canaryOk = clone(before);
    delete canaryOk[2].spec.maxUnavailable;
    canaryOk[2].spec.minAvailable = '80%';
    expect(diffManifests(inputs(before), inputs(canaryOk)).consequences.filter(c => c.rule.id === 'SW-DIFF-030')).toEqual([]);
    const blocking = clone(canaryOk);
    blocking[2].spec.minAvailable = 10;
    const c = diffManifests(inputs(before), inputs(blocking)).consequences.filter(x => x.rule.id === 'SW-DIFF-030');
    expect(c.map(x => x.problem)).toEqual(['now allows no disruption of the 10 Pods of Deployment/web-stable (9) and Deployment/web-canary (1) (before: 1): node drains block']);
  });
});

describe('SW-VOL-004: a ReadWriteOnce claim mounted by several controllers counts the Pods of all of them', () => {
  const claim = (modes: string[]): Obj => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'shop' }, spec: { accessModes: modes, resources: { requests: { storage: '1Gi' } } } });
  const mounting = (name: string, track: string, replicas = 1, strategy: Obj = { type: 'Recreate' }) => deployment(name, track, replicas, { strategy }, { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }] });

  test('stable and canary Deployments of one replica each, Recreate: reported once, on the first, naming both', () => {
    const f = found('SW-VOL-004', [claim(['ReadWriteOnce']), mounting('web-stable', 'stable'), mounting('web-canary', 'canary')]);
    expect(f.map(x => `${x.object} ${x.field} = ${String(x.value)}: ${x.problem}`)).toEqual([
      'Deployment/shop/web-stable spec.template.spec.volumes[0] = "data (ReadWriteOnce)": 2 Pods of Deployment/web-stable and Deployment/web-canary would share a ReadWriteOnce claim, which attaches to one node',
    ]);
  });

  test('a single controller of one replica with Recreate stays clean; RWX shared by both stays clean', () => {
    expect(found('SW-VOL-004', [claim(['ReadWriteOnce']), mounting('web-stable', 'stable')])).toEqual([]);
    expect(found('SW-VOL-004', [claim(['ReadWriteMany']), mounting('web-stable', 'stable'), mounting('web-canary', 'canary')])).toEqual([]);
  });

  test('controllers in other namespaces, or mounting other claims, do not count', () => {
    const elsewhere = mounting('web-canary', 'canary');
    elsewhere.metadata.namespace = 'other';
    expect(found('SW-VOL-004', [claim(['ReadWriteOnce']), mounting('web-stable', 'stable'), elsewhere])).toEqual([]);
    const other = mounting('web-canary', 'canary');
    other.spec.template.spec.volumes[0].persistentVolumeClaim.claimName = 'logs';
    expect(found('SW-VOL-004', [claim(['ReadWriteOnce']), mounting('web-stable', 'stable'), other])).toEqual([]);
  });

  test('a ReplicaSet a Deployment owns is judged alone, not counted with its Deployment', () => {
    const owned = mounting('web-stable-abc', 'stable');
    owned.kind = 'ReplicaSet';
    delete owned.spec.strategy;
    owned.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web-stable', uid: 'u', controller: true }];
    expect(found('SW-VOL-004', [claim(['ReadWriteOnce']), mounting('web-stable', 'stable'), owned])).toEqual([]);
  });

  test('the predicate judges the total: peak Pods summed, any surge', () => {
    expect(singleWriterProblem(['ReadWriteOnce'], 1, false, ['Deployment/a'])).toBeUndefined();
    expect(singleWriterProblem(['ReadWriteOnce'], 2, false, ['Deployment/a', 'Deployment/b'])).toBe('2 Pods of Deployment/a and Deployment/b would share a ReadWriteOnce claim, which attaches to one node');
    expect(singleWriterProblem(['ReadWriteOnce'], 1, true, ['Deployment/a'])).toMatch(/a rolling update starts the new Pod/);
    expect(singleWriterProblem(['ReadWriteOnce'], undefined, false, ['DaemonSet/a', 'Deployment/b'])).toMatch(/^one Pod per node of DaemonSet\/a and Deployment\/b/);
  });

  test('construct: a canary of a WebService mounting a RWO claim fails synthesis with SW-VOL-004', () => {
    const { chart } = newChart('shop');
    const data = new PersistentVolumeClaim(chart, 'data', { name: 'data', storage: Size.gibibytes(1) });
    const web = new WebService(chart, 'api', apiProps({ replicas: 1, rollout: { recreate: true }, releaseTracks: true, mounts: [{ volume: PodVolume.claim(data), path: '/data' }] }));
    const e = thrownBy(() => web.addCanary({ image: 'ghcr.io/acme/api:1.5.0' })) as SeaworthyError;
    expect(e).toBeInstanceOf(SeaworthyError);
    expect(e.ruleIds).toEqual(['SW-VOL-004']);
    expect(e.message).toContain(`2 Pods of Deployment/${web.deployment.name} and Deployment/${web.deployment.name}-canary would share a ReadWriteOnce claim`);
  });

  test('construct: a RWX claim takes a canary (and a second track)', () => {
    const { app, chart } = newChart('shop');
    const uploads = new PersistentVolumeClaim(chart, 'uploads', { name: 'uploads', storage: Size.gibibytes(5), accessModes: [AccessMode.READ_WRITE_MANY], storageClassName: 'nfs' });
    const web = new WebService(chart, 'api', apiProps({ replicas: 3, releaseTracks: true, mounts: [{ volume: PodVolume.claim(uploads), path: '/uploads' }] }));
    web.addCanary({ image: 'ghcr.io/acme/api:1.5.0' });
    web.addTrack({ track: 'green', image: 'ghcr.io/acme/api:2.0.0', replicas: 3 });
    const objects: KubeObject[] = synthValid(chart);
    expect(objects.filter(o => o.kind === 'Deployment').map(o => o.spec.template.spec.volumes.find((v: KubeObject) => v.name === 'uploads').persistentVolumeClaim.claimName)).toEqual(['uploads', 'uploads', 'uploads']);
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-VOL-004')).toEqual([]);
  });
});
