import { App, Chart, Size, Testing } from 'cdk8s';
import { AccessMode, audit, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSource, SeaworthyError, synthesize, VolumeMode } from '../src';
import * as yaml from 'yaml';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

/**
 * A claim bound by volumeName to a PersistentVolume construct of the same app is checked at
 * synthesis with the audit's predicate (SW-PV-005): what cannot bind fails synthesis naming
 * both constructs, and the audit of what synthesizes agrees.
 */

const nfs = PersistentVolumeSource.nfs('10.0.0.5', '/exports');
const auditOf = (objects: KubeObject[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-PV-005');

describe('SW-PV-005 at synthesis', () => {
  test('the review\'s s5.js: class, access modes and capacity disagree; synthesis fails naming both constructs', () => {
    const app = new App();
    const chart = new Chart(app, 'c', { namespace: 'shop' });
    new PersistentVolume(chart, 'pv', { name: 'nfs-data', capacity: Size.gibibytes(5), source: nfs, accessModes: [AccessMode.READ_WRITE_MANY], storageClassName: 'manual' });
    new PersistentVolumeClaim(chart, 'pvc', { name: 'data', storage: Size.gibibytes(10), volumeName: 'nfs-data', accessModes: [AccessMode.READ_WRITE_ONCE] });
    const e = thrownBy(() => synthesize(app));
    expect((e as SeaworthyError).ruleIds).toEqual(['SW-PV-005', 'SW-PV-005', 'SW-PV-005']);
    const lines = e.message.split('\n').filter(l => l.includes('SW-PV-005'));
    expect(lines).toHaveLength(3);
    expect(e.message).toContain('SW-PV-005 [c/pvc] storageClassName = "": PersistentVolume "nfs-data" (c/pv) has storageClassName "manual"');
    expect(e.message).toContain('SW-PV-005 [c/pvc] accessModes = ["ReadWriteOnce"]: PersistentVolume "nfs-data" (c/pv) does not offer ReadWriteOnce (it offers ReadWriteMany)');
    expect(e.message).toContain('SW-PV-005 [c/pvc] storage = "10Gi": PersistentVolume "nfs-data" (c/pv) holds only 5Gi');
  });

  test('volume mode, and a volume reserved for another claim', () => {
    const { chart } = newChart('shop');
    new PersistentVolume(chart, 'pv', { name: 'disk', capacity: Size.gibibytes(10), source: PersistentVolumeSource.csi('ebs.csi.aws.com', 'vol-1'), volumeMode: VolumeMode.BLOCK, claimRef: { namespace: 'shop', name: 'other' } });
    new PersistentVolumeClaim(chart, 'pvc', { name: 'data', storage: Size.gibibytes(10), volumeName: 'disk' });
    const e = thrownBy(() => Testing.synth(chart));
    expect(e.message).toContain('SW-PV-005 [test/pvc] volumeMode = "Filesystem": PersistentVolume "disk" (test/pv) has volumeMode Block');
    expect(e.message).toContain('SW-PV-005 [test/pvc] volumeName = "disk": PersistentVolume "disk" (test/pv) is reserved for claim shop/other');
  });

  test('a volume in another chart of the app is found too', () => {
    const app = Testing.app();
    const storage = new Chart(app, 'storage');
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    new PersistentVolume(storage, 'pv', { name: 'nfs-data', capacity: Size.gibibytes(5), source: nfs, accessModes: [AccessMode.READ_WRITE_MANY] });
    new PersistentVolumeClaim(shop, 'pvc', { name: 'data', storage: Size.gibibytes(10), volumeName: 'nfs-data', accessModes: [AccessMode.READ_WRITE_MANY] });
    expect(() => synthesize(app)).toThrow(/SW-PV-005 \[shop\/pvc\] storage = "10Gi": PersistentVolume "nfs-data" \(storage\/pv\) holds only 5Gi/);
  });

  test('a claim that fits its volume synthesizes, schema-valid, and the audit of the output agrees', () => {
    const { chart } = newChart('shop');
    new PersistentVolume(chart, 'pv', { name: 'nfs-data', capacity: Size.gibibytes(10), source: nfs, accessModes: [AccessMode.READ_WRITE_MANY, AccessMode.READ_WRITE_ONCE], storageClassName: 'manual', claimRef: { namespace: 'shop', name: 'data' } });
    new PersistentVolumeClaim(chart, 'pvc', { name: 'data', storage: Size.gibibytes(5), volumeName: 'nfs-data', storageClassName: 'manual', accessModes: [AccessMode.READ_WRITE_MANY] });
    const objects = synthValid(chart);
    expect(only(objects, 'PersistentVolumeClaim').spec).toMatchObject({ volumeName: 'nfs-data', storageClassName: 'manual' });
    expect(auditOf(objects)).toEqual([]);
  });

  test('a claim naming a volume outside the app (provisioned by ops) cannot be compared, and is not refused', () => {
    const { chart } = newChart('shop');
    new PersistentVolume(chart, 'pv', { name: 'other', capacity: Size.gibibytes(1), source: nfs });
    new PersistentVolumeClaim(chart, 'pvc', { name: 'data', storage: Size.gibibytes(10), volumeName: 'ops-volume' });
    expect(only(synthValid(chart), 'PersistentVolumeClaim').spec.volumeName).toBe('ops-volume');
  });

  test('the audit reports the same three findings on the same pair as YAML (one predicate)', () => {
    const objects = yaml.parseAllDocuments(`
apiVersion: v1
kind: PersistentVolume
metadata: {name: nfs-data}
spec: {capacity: {storage: 5Gi}, accessModes: [ReadWriteMany], storageClassName: manual, persistentVolumeReclaimPolicy: Retain, nfs: {server: 10.0.0.5, path: /exports}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec: {accessModes: [ReadWriteOnce], storageClassName: "", volumeName: nfs-data, resources: {requests: {storage: 10Gi}}}
`).map(d => d.toJSON() as KubeObject);
    expect(auditOf(objects).map(f => f.field)).toEqual(['spec.storageClassName', 'spec.accessModes', 'spec.resources.requests.storage']);
  });
});
