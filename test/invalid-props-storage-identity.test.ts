import { Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  AccessMode, ClaimReference, NodeAgent, PersistentVolume, PersistentVolumeClaim, PersistentVolumeSource, PodVolume, Probe, ReclaimPolicy,
  SelectorOperator, ServiceAccountRef, VolumeMode, WebService,
} from '../src';
import { expectSeaworthyError } from './support/adversarial';

/**
 * Invalid input to the storage and identity props (PersistentVolume, claims, ServiceAccount), from plain
 * JavaScript callers: each must raise SeaworthyError naming the field, never a TypeError, never
 * "undefined" or "[object Object]" in the message.
 */

const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
const chart = (namespace = 'shop') => new Chart(Testing.app(), 'c', { namespace });
const nfs = PersistentVolumeSource.nfs('nfs.internal', '/exports');
const pv = (props: Record<string, unknown>) => () => new PersistentVolume(chart(), 'pv', { name: 'pv', capacity: Size.gibibytes(1), source: nfs, ...props } as never);
const pvc = (props: Record<string, unknown>) => () => new PersistentVolumeClaim(chart(), 'pvc', { name: 'data', storage: Size.gibibytes(1), ...props } as never);
const web = (props: Record<string, unknown>) => () => new WebService(chart(), 'web', { name: 'web', image: 'a/b:1.0', port: 8080, size, readiness: Probe.http('/ready'), ...props } as never);
const agent = () => new NodeAgent(chart('monitoring'), 'agent', { name: 'agent', image: 'a/b:1.0', size });

const cases: Array<[string, () => unknown, string]> = [
  ['PersistentVolume name', pv({ name: 'Data_1' }), 'name'],
  ['PersistentVolume name type', pv({ name: 7 }), 'name'],
  ['PersistentVolume capacity string', pv({ capacity: '10Gi' }), 'capacity'],
  ['PersistentVolume capacity zero', pv({ capacity: Size.gibibytes(0) }), 'capacity'],
  ['PersistentVolume source string', pv({ source: 'nfs://server/x' }), 'source'],
  ['PersistentVolume source null', pv({ source: null }), 'source'],
  ['PersistentVolume nfs relative path', pv({ source: PersistentVolumeSource.nfs('nfs.internal', 'exports') }), 'source.nfs.path'],
  ['PersistentVolume nfs server', pv({ source: PersistentVolumeSource.nfs('', '/x') }), 'source.nfs.server'],
  ['PersistentVolume csi driver', pv({ source: PersistentVolumeSource.csi('EBS CSI', 'vol-1') }), 'source.csi.driver'],
  ['PersistentVolume csi handle', pv({ source: PersistentVolumeSource.csi('ebs.csi.aws.com', '') }), 'source.csi.volumeHandle'],
  ['PersistentVolume local without nodes', pv({ source: PersistentVolumeSource.local('/mnt/ssd', []) }), 'source.local.nodes'],
  ['PersistentVolume local nodes type', pv({ source: PersistentVolumeSource.local('/mnt/ssd', 'node-1' as never) }), 'source.local.nodes'],
  ['PersistentVolume local node value', pv({ source: PersistentVolumeSource.local('/mnt/ssd', ['node 1']) }), 'source.local.nodes[0]'],
  ['PersistentVolume local label key', pv({ source: PersistentVolumeSource.local('/mnt/ssd', ['n1'], 'bad key!') }), 'source.local.nodeLabel'],
  ['PersistentVolume hostPath ..', pv({ source: PersistentVolumeSource.hostPath('/data/../etc') }), 'source.hostPath.path'],
  ['PersistentVolume accessModes empty', pv({ accessModes: [] }), 'accessModes'],
  ['PersistentVolume accessModes string', pv({ accessModes: 'ReadWriteOnce' }), 'accessModes'],
  ['PersistentVolume accessMode unknown', pv({ accessModes: ['RWO'] }), 'accessModes[0]'],
  ['PersistentVolume accessModes duplicate', pv({ accessModes: [AccessMode.READ_WRITE_ONCE, AccessMode.READ_WRITE_ONCE] }), 'accessModes'],
  ['PersistentVolume RWOP with others', pv({ accessModes: [AccessMode.READ_WRITE_ONCE_POD, AccessMode.READ_WRITE_ONCE] }), 'accessModes'],
  ['PersistentVolume volumeMode', pv({ volumeMode: 'Raw' }), 'volumeMode'],
  ['PersistentVolume reclaimPolicy', pv({ reclaimPolicy: 'Recycle' }), 'reclaimPolicy'],
  ['PersistentVolume storageClassName', pv({ storageClassName: 'Fast SSD' }), 'storageClassName'],
  ['PersistentVolume claimRef name', pv({ claimRef: { namespace: 'shop', name: 'Data' } }), 'claimRef.name'],
  ['PersistentVolume claimRef namespace', pv({ claimRef: { name: 'data' } }), 'claimRef.namespace'],
  ['PersistentVolume labels value', pv({ labels: { tier: 'a b' } }), 'labels.tier'],
  ['PersistentVolume labels type', pv({ labels: 'tier=a' }), 'labels'],
  ['PersistentVolume waiver', pv({ waivers: ['SW-PV-003'] }), 'waivers[0]'],
  ['PersistentVolume unknown prop', pv({ reclaim: ReclaimPolicy.DELETE }), 'reclaim'],
  ['PersistentVolumeClaim name', pvc({ name: '-data' }), 'name'],
  ['PersistentVolumeClaim storage', pvc({ storage: 1024 }), 'storage'],
  ['PersistentVolumeClaim storage null', pvc({ storage: null }), 'storage'],
  ['PersistentVolumeClaim accessModes', pvc({ accessModes: [null] }), 'accessModes[0]'],
  ['PersistentVolumeClaim volumeMode', pvc({ volumeMode: VolumeMode.BLOCK.toLowerCase() }), 'volumeMode'],
  ['PersistentVolumeClaim storageClassName', pvc({ storageClassName: 'fast_ssd' }), 'storageClassName'],
  ['PersistentVolumeClaim volumeName', pvc({ volumeName: 'PV-1' }), 'volumeName'],
  ['PersistentVolumeClaim keepOnPrune', pvc({ keepOnPrune: 'yes' }), 'keepOnPrune'],
  ['PersistentVolumeClaim selector type', pvc({ selector: 'tier=a' }), 'selector'],
  ['PersistentVolumeClaim selector empty', pvc({ selector: {} }), 'selector'],
  ['PersistentVolumeClaim matchLabels value', pvc({ selector: { matchLabels: { tier: 'a/b' } } }), 'selector.matchLabels.tier'],
  ['PersistentVolumeClaim matchExpressions type', pvc({ selector: { matchExpressions: { key: 'a' } } }), 'selector.matchExpressions'],
  ['PersistentVolumeClaim expression key', pvc({ selector: { matchExpressions: [{ key: 'a b', operator: SelectorOperator.EXISTS }] } }), 'selector.matchExpressions[0].key'],
  ['PersistentVolumeClaim expression operator', pvc({ selector: { matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] } }), 'selector.matchExpressions[0].operator'],
  ['PersistentVolumeClaim In without values', pvc({ selector: { matchExpressions: [{ key: 'a', operator: SelectorOperator.IN }] } }), 'selector.matchExpressions[0].values'],
  ['PersistentVolumeClaim Exists with values', pvc({ selector: { matchExpressions: [{ key: 'a', operator: SelectorOperator.EXISTS, values: ['x'] }] } }), 'selector.matchExpressions[0].values'],
  ['PersistentVolumeClaim expression value', pvc({ selector: { matchExpressions: [{ key: 'a', operator: SelectorOperator.IN, values: ['x y'] }] } }), 'selector.matchExpressions[0].values[0]'],
  ['PersistentVolumeClaim unknown prop', pvc({ size: Size.gibibytes(1) }), 'size'],
  ['PodVolume.claim null', web({ mounts: [{ volume: PodVolume.claim(null as never), path: '/data' }] }), 'mounts[0].volume'],
  ['PodVolume.claim bad claim name', web({ replicas: 2, mounts: [{ volume: PodVolume.claim(ClaimReference.of('Data.X', AccessMode.READ_WRITE_MANY), { volumeName: 'data' }), path: '/data' }] }), 'volumes.data.claimName'],
  ['PodVolume.claim readOnly', web({ replicas: 2, mounts: [{ volume: PodVolume.claim(ClaimReference.of('data', AccessMode.READ_WRITE_MANY), { readOnly: 'yes' as never }), path: '/data' }] }), 'volumes.data.readOnly'],
  ['PodVolume.claim volumeName', web({ replicas: 2, mounts: [{ volume: PodVolume.claim(ClaimReference.of('data', AccessMode.READ_WRITE_MANY), { volumeName: 'Data' }), path: '/data' }] }), 'mounts[0].volume'],
  ['PodVolume.claim RWO shared', web({ mounts: [{ volume: PodVolume.claim(ClaimReference.of('data')), path: '/data' }] }), 'volumes.data'],
  ['serviceAccount string', web({ serviceAccount: 'ops-sa' }), 'serviceAccount'],
  ['serviceAccount object', web({ serviceAccount: { name: 'ops-sa' } }), 'serviceAccount'],
  ['serviceAccount name', web({ serviceAccount: ServiceAccountRef.existing('Ops SA') }), 'serviceAccount'],
  ['serviceAccount default', web({ serviceAccount: ServiceAccountRef.existing('default') }), 'serviceAccount'],
  ['grantClusterWide wildcard group', () => agent().grantClusterWide({ apiGroup: '*', resources: ['pods'], verbs: ['get'] }), 'grant.apiGroups'],
  ['grantClusterWide escalate', () => agent().grantClusterWide({ apiGroup: 'rbac.authorization.k8s.io', resources: ['clusterroles'], verbs: ['escalate'] }), 'grant.verbs'],
  ['grantClusterWide unknown resource', () => agent().grantClusterWide({ apiGroup: 'apps', resources: ['pods'], verbs: ['get'] }), 'grant.resources'],
  ['grantClusterWide secrets', () => agent().grantClusterWide({ apiGroup: '', resources: ['secrets'], verbs: ['get'] }), 'grant.resources'],
  ['grantClusterWide null', () => agent().grantClusterWide(null as never), 'grant'],
  ['grantClusterWide apiGroup missing', () => agent().grantClusterWide({ resources: ['pods'], verbs: ['get'] } as never), 'grant.apiGroup'],
  ['grantClusterWide no verbs', () => agent().grantClusterWide({ apiGroup: '', resources: ['pods'], verbs: [] }), 'grant'],
  ['grantClusterWide without namespace', () => new NodeAgent(new Chart(Testing.app(), 'c'), 'a', { name: 'a', image: 'a/b:1.0', size }).grantClusterWide({ apiGroup: '', resources: ['pods'], verbs: ['get'] }), 'grant'],
];

describe('invalid input to the storage and identity props', () => {
  test.each(cases)('%s', (_what, build, field) => {
    expectSeaworthyError(build, field);
  });
});
