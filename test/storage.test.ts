import { Size } from 'cdk8s';
import {
  AccessMode, audit, ClaimReference, Findings, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSource, PodVolume, ReclaimPolicy,
  SeaworthyError, SelectorOperator, VolumeMode, Waiver, WebService,
} from '../src';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

const nfs = PersistentVolumeSource.nfs('nfs.internal', '/exports/uploads');

function ids(build: () => unknown): string[] {
  const e = thrownBy(build);
  expect(e).toBeInstanceOf(SeaworthyError);
  return [...new Set((e as SeaworthyError).ruleIds)];
}

function auditIds(objects: KubeObject[]): string[] {
  return audit(objects.map(object => ({ object }))).map(f => f.rule.id);
}

describe('PersistentVolume', () => {
  test('the notes\' NFS example: Retain by default, capacity, modes, class, cluster-scoped', () => {
    const { chart } = newChart('shop');
    new PersistentVolume(chart, 'pv', { name: 'uploads-pv', capacity: Size.gibibytes(5), accessModes: [AccessMode.READ_WRITE_MANY], storageClassName: 'nfs', source: nfs });
    const pv = only(synthValid(chart), 'PersistentVolume');
    expect(pv.metadata.namespace).toBeUndefined();
    expect(pv.spec).toEqual({
      capacity: { storage: '5Gi' }, accessModes: ['ReadWriteMany'], storageClassName: 'nfs', volumeMode: 'Filesystem',
      persistentVolumeReclaimPolicy: 'Retain', nfs: { server: 'nfs.internal', path: '/exports/uploads' },
    });
  });

  test('local volumes carry the required nodeAffinity; CSI volumes their driver and handle; claimRef reserves the volume', () => {
    const { chart } = newChart();
    new PersistentVolume(chart, 'local', { name: 'ssd-node-1', capacity: Size.gibibytes(100), source: PersistentVolumeSource.local('/mnt/disks/ssd0', ['node-1']), storageClassName: 'local-ssd', volumeMode: VolumeMode.BLOCK });
    new PersistentVolume(chart, 'csi', { name: 'pg-restore', capacity: Size.gibibytes(50), source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-0abc', { fsType: 'ext4' }), claimRef: { namespace: 'db', name: 'pg-data' } });
    const objects = synthValid(chart);
    const local = only(objects, 'PersistentVolume', 'ssd-node-1');
    expect(local.spec.nodeAffinity).toEqual({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-1'] }] }] } });
    expect(local.spec.volumeMode).toBe('Block');
    const csi = only(objects, 'PersistentVolume', 'pg-restore');
    expect(csi.spec.csi).toEqual({ driver: 'ebs.csi.aws.com', volumeHandle: 'vol-0abc', fsType: 'ext4' });
    expect(csi.spec.claimRef).toEqual({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'db', name: 'pg-data' });
  });

  test('SW-PV-001: bad name, size, modes, source arguments, claimRef and labels', () => {
    const { chart } = newChart();
    const e = thrownBy(() => new PersistentVolume(chart, 'pv', {
      name: 'Bad_Name', capacity: Size.mebibytes(0), accessModes: [AccessMode.READ_WRITE_ONCE_POD, AccessMode.READ_ONLY_MANY],
      source: PersistentVolumeSource.local('relative', []), claimRef: { namespace: 'db', name: 'X' }, labels: { 'tier': 'a b' },
    })) as SeaworthyError;
    expect(new Set(e.ruleIds)).toEqual(new Set(['SW-PV-001']));
    const fields = e.findings.map(f => f.field);
    for (const f of ['name', 'capacity', 'accessModes', 'source.local.path', 'source.local.nodes', 'claimRef.name', 'labels.tier']) expect(fields).toContain(f);
    expect(ids(() => new PersistentVolume(newChart().chart, 'pv', { name: 'pv', capacity: Size.gibibytes(1), source: 'nfs://x' as unknown as PersistentVolumeSource }))).toEqual(['SW-PV-001']);
    expect(ids(() => new PersistentVolume(newChart().chart, 'pv', { name: 'pv', capacity: Size.gibibytes(1), source: nfs, accessModes: [] }))).toEqual(['SW-PV-001']);
  });

  test('SW-PV-002: Delete reclaim policy is a warning at synth and in the audit (one rule)', () => {
    const { app, chart } = newChart();
    new PersistentVolume(chart, 'pv', { name: 'scratch', capacity: Size.gibibytes(1), source: nfs, reclaimPolicy: ReclaimPolicy.DELETE });
    expect(only(synthValid(chart), 'PersistentVolume').spec.persistentVolumeReclaimPolicy).toBe('Delete');
    const f = Findings.of(app).filter(x => x.rule.id === 'SW-PV-002');
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('[test/pv] reclaimPolicy = "Delete": deleting the claim deletes the volume and its data');
    const base = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'v' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], nfs: { server: 's', path: '/x' } } };
    expect(auditIds([base])).not.toContain('SW-PV-002');
    expect(auditIds([{ ...base, spec: { ...base.spec, persistentVolumeReclaimPolicy: 'Recycle' } }])).toContain('SW-PV-002');
  });

  test('SW-PV-003: a hostPath volume only under a waiver', () => {
    expect(ids(() => new PersistentVolume(newChart().chart, 'pv', { name: 'kind-data', capacity: Size.gibibytes(1), source: PersistentVolumeSource.hostPath('/data') }))).toEqual(['SW-PV-003']);
    const waived = newChart();
    new PersistentVolume(waived.chart, 'pv', { name: 'kind-data', capacity: Size.gibibytes(1), source: PersistentVolumeSource.hostPath('/data'), waivers: [Waiver.of('SW-PV-003', 'single-node kind cluster for demos')] });
    const pv = only(synthValid(waived.chart), 'PersistentVolume');
    expect(pv.metadata.annotations['seaworthy.dev/waivers']).toContain('SW-PV-003');
    expect(Findings.of(waived.app).filter(f => f.rule.id === 'SW-PV-003').map(f => f.severity)).toEqual(['info']);
  });

  test('SW-PV-004: a local volume without node affinity (audit)', () => {
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'l' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt' } } };
    expect(auditIds([pv])).toContain('SW-PV-004');
    const pinned = { ...pv, spec: { ...pv.spec, nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] }] } } } };
    expect(auditIds([pinned])).not.toContain('SW-PV-004');
  });
});

describe('PersistentVolumeClaim', () => {
  test('the notes\' example: RWO 50Gi on fast-ssd, kept on prune', () => {
    const { chart } = newChart('shop');
    new PersistentVolumeClaim(chart, 'pvc', { name: 'mysql-data', storage: Size.gibibytes(50), storageClassName: 'fast-ssd' });
    const pvc = only(synthValid(chart), 'PersistentVolumeClaim');
    expect(pvc.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    expect(pvc.spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } }, storageClassName: 'fast-ssd', volumeMode: 'Filesystem' });
  });

  test('volumeName and selector bind pre-provisioned volumes, with storageClassName "" by default', () => {
    const { app, chart } = newChart('shop');
    new PersistentVolume(chart, 'pv', { name: 'uploads-pv', capacity: Size.gibibytes(5), accessModes: [AccessMode.READ_WRITE_MANY], source: nfs, labels: { tier: 'uploads' } });
    new PersistentVolumeClaim(chart, 'byName', { name: 'uploads', storage: Size.gibibytes(5), accessModes: [AccessMode.READ_WRITE_MANY], volumeName: 'uploads-pv', keepOnPrune: false });
    new PersistentVolumeClaim(chart, 'byLabel', { name: 'uploads-2', storage: Size.gibibytes(1), accessModes: [AccessMode.READ_WRITE_MANY], selector: { matchLabels: { tier: 'uploads' }, matchExpressions: [{ key: 'zone', operator: SelectorOperator.EXISTS }] } });
    const objects = synthValid(chart);
    const byName = only(objects, 'PersistentVolumeClaim', 'uploads');
    expect(byName.metadata.annotations).toBeUndefined();
    expect(byName.spec.volumeName).toBe('uploads-pv');
    expect(byName.spec.storageClassName).toBe('');
    const byLabel = only(objects, 'PersistentVolumeClaim', 'uploads-2');
    expect(byLabel.spec.selector).toEqual({ matchLabels: { tier: 'uploads' }, matchExpressions: [{ key: 'zone', operator: 'Exists' }] });
    expect(byLabel.spec.storageClassName).toBe('');
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-PV-'))).toEqual([]);
  });

  test('SW-PV-001: bad storage, modes, selector, volumeName', () => {
    const { chart } = newChart();
    const e = thrownBy(() => new PersistentVolumeClaim(chart, 'pvc', {
      name: 'data', storage: Size.mebibytes(0), accessModes: ['ReadWriteAlways' as AccessMode], volumeName: 'Nope',
      selector: { matchExpressions: [{ key: 'zone', operator: SelectorOperator.IN }, { key: 'x', operator: SelectorOperator.EXISTS, values: ['a'] }] },
    })) as SeaworthyError;
    expect(new Set(e.ruleIds)).toEqual(new Set(['SW-PV-001']));
    expect(e.findings.map(f => f.field)).toEqual(['storage', 'accessModes[0]', 'volumeName', 'selector.matchExpressions[0].values', 'selector.matchExpressions[1].values']);
    expect(ids(() => new PersistentVolumeClaim(newChart().chart, 'pvc', { name: 'data', storage: Size.gibibytes(1), selector: {} }))).toEqual(['SW-PV-001']);
  });

  test('SW-PV-005 and SW-PV-006: a claim that cannot bind its named volume (audit and synth)', () => {
    const { app, chart } = newChart('shop');
    new PersistentVolume(chart, 'pv', { name: 'small', capacity: Size.gibibytes(1), source: nfs, storageClassName: 'nfs', claimRef: { namespace: 'shop', name: 'other' } });
    new PersistentVolumeClaim(chart, 'pvc', { name: 'big', storage: Size.gibibytes(10), accessModes: [AccessMode.READ_WRITE_MANY], volumeName: 'small' });
    const problems = Findings.of(app).filter(f => f.rule.id === 'SW-PV-005').map(f => f.field);
    expect(problems).toEqual(['PersistentVolumeClaim/shop/big spec.storageClassName', 'PersistentVolumeClaim/shop/big spec.accessModes', 'PersistentVolumeClaim/shop/big spec.resources.requests.storage', 'PersistentVolumeClaim/shop/big spec.volumeName']);
    const claim = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c', namespace: 'a' }, spec: { volumeName: 'v', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
    expect(auditIds([claim])).toEqual(['SW-PV-006']);
    expect(auditIds([{ ...claim, spec: { ...claim.spec, storageClassName: '' } }])).toEqual([]);
  });
});

describe('the notes\' mysql-pv / mysql-pvc example', () => {
  const pvProps = { name: 'mysql-pv', capacity: Size.gibibytes(5), accessModes: [AccessMode.READ_WRITE_ONCE, AccessMode.READ_ONLY_MANY], source: PersistentVolumeSource.hostPath('/temp/k8s') };

  test('as written (a hostPath PersistentVolume) it fails with SW-PV-003; waived, it synthesizes and the claim binds with storageClassName ""', () => {
    expect(ids(() => new PersistentVolume(newChart().chart, 'pv', pvProps))).toEqual(['SW-PV-003']);
    const { app, chart } = newChart('shop');
    new PersistentVolume(chart, 'pv', { ...pvProps, waivers: [Waiver.of('SW-PV-003', 'single-node lab cluster from the notes')] });
    const claim = new PersistentVolumeClaim(chart, 'pvc', { name: 'mysql-pvc', storage: Size.gibibytes(1), storageClassName: '' });
    new WebService(chart, 'mysql', apiProps({ name: 'mysql', replicas: 1, rollout: { recreate: true }, mounts: [{ volume: PodVolume.claim(claim, { volumeName: 'mysql-data' }), path: '/var/lib/mysql' }] }));
    const objects = synthValid(chart);
    expect(only(objects, 'PersistentVolume').spec).toMatchObject({ capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: '/temp/k8s' } });
    expect(only(objects, 'PersistentVolumeClaim').spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, storageClassName: '' });
    expect(only(objects, 'Deployment').spec.template.spec.volumes).toContainEqual({ name: 'mysql-data', persistentVolumeClaim: { claimName: 'mysql-pvc' } });
    expect(Findings.of(app).filter(f => f.severity === 'error')).toEqual([]);
  });
});

describe('mounting claims (PodVolume.claim) and SW-VOL-004', () => {
  test('a RWX claim is shared by every replica, read-only when asked', () => {
    const { app, chart } = newChart('shop');
    const uploads = new PersistentVolumeClaim(chart, 'uploads', { name: 'uploads', storage: Size.gibibytes(5), accessModes: [AccessMode.READ_WRITE_MANY], storageClassName: 'nfs' });
    new WebService(chart, 'api', apiProps({ replicas: 3, mounts: [{ volume: PodVolume.claim(uploads, { readOnly: true }), path: '/uploads' }] }));
    const pod = only(synthValid(chart), 'Deployment').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'uploads', persistentVolumeClaim: { claimName: 'uploads', readOnly: true } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'uploads', mountPath: '/uploads' });
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-VOL-004')).toEqual([]);
  });

  test('a RWO claim on several replicas, or on one replica that surges, fails at synth; read-only does not help', () => {
    const data = () => new PersistentVolumeClaim(newChart().chart, 'data', { name: 'data', storage: Size.gibibytes(5) });
    expect(ids(() => new WebService(newChart().chart, 'api', apiProps({ mounts: [{ volume: PodVolume.claim(data(), { readOnly: true }), path: '/data' }] })))).toEqual(['SW-VOL-004']);
    const e = thrownBy(() => new WebService(newChart().chart, 'api', apiProps({ replicas: 1, mounts: [{ volume: PodVolume.claim(data()), path: '/data' }] }))) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-VOL-004']);
    expect(e.message).toContain('a rolling update starts the new Pod while the old one still holds the ReadWriteOnce claim');
    const rwop = ClaimReference.of('solo', AccessMode.READ_WRITE_ONCE_POD);
    expect(ids(() => new WebService(newChart().chart, 'api', apiProps({ mounts: [{ volume: PodVolume.claim(rwop), path: '/data' }] })))).toEqual(['SW-VOL-004']);
  });

  test('the fix: one replica with Recreate', () => {
    const { app, chart } = newChart('shop');
    const data = new PersistentVolumeClaim(chart, 'data', { name: 'data', storage: Size.gibibytes(5) });
    new WebService(chart, 'api', apiProps({ replicas: 1, rollout: { recreate: true }, mounts: [{ volume: PodVolume.claim(data), path: '/data' }] }));
    const objects = synthValid(chart);
    expect(only(objects, 'Deployment').spec.strategy).toEqual({ type: 'Recreate' });
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-VOL-004')).toEqual([]);
  });

  test('the audit finds the same pitfall in plain YAML, through the claim\'s (or its volume\'s) access modes', () => {
    const claim = (modes: string[], volumeName?: string) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'a' }, spec: { accessModes: modes, storageClassName: volumeName ? '' : undefined, volumeName, resources: { requests: { storage: '1Gi' } } } });
    const deploy = (replicas: number, strategy?: object) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a' },
      spec: { replicas, strategy, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }], volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data', readOnly: true } }] } } },
    });
    const vol4 = (objects: KubeObject[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-VOL-004');
    const found = vol4([claim(['ReadWriteOnce']), deploy(3)]);
    expect(found.map(f => `${f.field} = ${String(f.value)}: ${f.problem}`)).toEqual(['spec.template.spec.volumes[0] = "data (ReadWriteOnce)": 3 Pods would share a ReadWriteOnce claim, which attaches to one node']);
    expect(vol4([claim(['ReadWriteOnce']), deploy(1)])).toHaveLength(1);
    expect(vol4([claim(['ReadWriteOnce']), deploy(1, { type: 'Recreate' })])).toEqual([]);
    expect(vol4([claim(['ReadWriteOnce']), deploy(1, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } })])).toEqual([]);
    expect(vol4([claim(['ReadWriteMany']), deploy(3)])).toEqual([]);
    expect(vol4([deploy(3)])).toEqual([]);
    const pv = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv' }, spec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], capacity: { storage: '1Gi' }, nfs: { server: 's', path: '/x' } } };
    expect(vol4([claim(['ReadWriteOnce'], 'pv'), pv, deploy(3)])).toEqual([]);
  });
});
