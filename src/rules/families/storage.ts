import { parseQuantity } from '../../validation/quantity';
import { defineRule as rule, Rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the storage family. */
export const StorageRules = {
  VOLUME_INVALID: rule({
    id: 'SW-VOL-001',
    title: 'Volumes and mounts are well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Volume names must be DNS-1123 labels and unique, mounts must name a volume of the Pod at an absolute, unique path, subPaths must stay inside the volume, and file modes must be 0–0777, or the API server rejects the Pod.',
    fix: 'give each volume a unique lowercase name, mount it at an absolute path once per container, and keep subPath relative without ".."',
    kinds: [],
    see: `${K8S}/concepts/storage/volumes/`,
  }),
  EMPTYDIR_UNBOUNDED: rule({
    id: 'SW-VOL-002',
    title: 'emptyDir volumes have a sizeLimit',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'An emptyDir without sizeLimit can fill the node disk (or, in memory, the node RAM) and take every Pod on the node down; with a limit, only the offending Pod is evicted.',
    fix: 'set sizeLimit, e.g. PodVolume.emptyDir("cache", { sizeLimit: Size.mebibytes(256) })',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/storage/volumes/#emptydir`,
  }),
  EMPTYDIR_OVER_LIMIT: rule({
    id: 'SW-VOL-003',
    title: 'emptyDir volumes fit the container limits they count against',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A memory-backed emptyDir (tmpfs) counts against the memory limit of the containers that write it, and a disk-backed one against ephemeral-storage; a sizeLimit above those limits OOM-kills or evicts the Pod before the volume is full.',
    fix: 'lower the emptyDir sizeLimit below the memory (medium Memory) or ephemeral-storage (disk) limit of the containers mounting it, or raise their size',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/#local-ephemeral-storage`,
  }),
  SINGLE_WRITER_VOLUME: rule({
    id: 'SW-VOL-004',
    title: 'ReadWriteOnce claims are not shared by replicas or by several controllers',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'A ReadWriteOnce volume attaches to one node (a ReadWriteOncePod volume to one Pod), mounted read-only or not: the attach/detach controller allows a second attachment only to volumes with ReadOnlyMany or ReadWriteMany. A Deployment with more than one replica, or a RollingUpdate that starts the new Pod before the old one stops, hangs with Multi-Attach errors and the rollout never completes. The Pods of every controller mounting the claim count together: a stable and a canary Deployment with one replica each are two Pods the scheduler may put on two nodes.',
    fix: 'use a StatefulService (one claim per replica), a ReadWriteMany (or, for readers, ReadOnlyMany) claim, or run 1 replica with the Recreate strategy in the only controller mounting the claim (no canary of it)',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'],
    see: `${K8S}/concepts/storage/persistent-volumes/#access-modes`,
  }),
  TMP_NOT_WRITABLE: rule({
    id: 'SW-VOL-005',
    title: 'A volume mounted at /tmp is writable',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'The root filesystem is read-only, so /tmp is the one place programs may write scratch files; a volume of your own mounted at /tmp replaces the built-in /tmp emptyDir of that container. A read-only mount, or a volume that is always read-only (ConfigMap, Secret, Downward API, projected, a claim mounted readOnly), would leave the container no writable /tmp, and programs that write temporary files fail at run time.',
    fix: 'mount a writable volume at /tmp (an emptyDir with a sizeLimit, or a claim), mount the read-only volume elsewhere, or drop the mount to keep the built-in /tmp (its size is tmpSize)',
    kinds: [],
    see: `${K8S}/tasks/configure-pod-container/security-context/`,
  }),
  PV_INVALID: rule({
    id: 'SW-PV-001',
    title: 'PersistentVolumes and PersistentVolumeClaims are well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'Names must be DNS-1123 subdomains, sizes positive whole numbers of bytes, access modes known (ReadWriteOncePod alone), volume sources absolute paths on named nodes or drivers, and selectors valid, or the API server rejects the object or the claim never binds.',
    fix: 'correct the field named in the message',
    kinds: [],
    see: `${K8S}/concepts/storage/persistent-volumes/`,
  }),
  PV_RECLAIM: rule({
    id: 'SW-PV-002',
    title: 'PersistentVolumes keep their data when the claim is deleted',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With reclaimPolicy Delete, deleting the claim (a pruned GitOps object, a namespace clean-up) deletes the volume and its data; Recycle is deprecated and scrubs the data with rm -rf. Production data needs Retain, and an operator deletes the volume deliberately.',
    fix: 'set persistentVolumeReclaimPolicy: Retain (the default of PersistentVolume), or waive SW-PV-002 for scratch data',
    kinds: ['PersistentVolume'],
    see: `${K8S}/concepts/storage/persistent-volumes/#reclaiming`,
  }),
  PV_HOST_PATH: rule({
    id: 'SW-PV-003',
    title: 'PersistentVolumes are not hostPath volumes',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A hostPath PersistentVolume is a directory of whichever node the Pod lands on: the data is not there after a reschedule, and the Pod gets node filesystem access that Pod Security cannot see (the Pod only names a claim). It is for single-node test clusters.',
    fix: 'use PersistentVolumeSource.local(path, nodes) (pinned to the node) or a CSI driver; for a single-node cluster, add Waiver.of("SW-PV-003", "<why>")',
    kinds: ['PersistentVolume'],
    see: `${K8S}/concepts/storage/volumes/#hostpath`,
  }),
  PV_LOCAL_AFFINITY: rule({
    id: 'SW-PV-004',
    title: 'local PersistentVolumes name their node',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A local volume exists on one node; without a required nodeAffinity the API server rejects it, and with an empty one the scheduler could place its Pod where the disk is not.',
    fix: 'set spec.nodeAffinity.required with a kubernetes.io/hostname In [<node>] term (PersistentVolumeSource.local(path, [node]))',
    kinds: ['PersistentVolume'],
    see: `${K8S}/concepts/storage/volumes/#local`,
  }),
  CLAIM_UNBINDABLE: rule({
    id: 'SW-PV-005',
    title: 'A claim bound by volumeName fits its PersistentVolume',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'A claim that names its volume binds only if the volume has the same storage class and volume mode, every access mode the claim asks for, at least the requested capacity, and no claimRef to another claim; otherwise it stays Pending and its Pods never start.',
    fix: 'make the claim and the PersistentVolume agree (storageClassName, volumeMode, accessModes, capacity, claimRef)',
    kinds: ['PersistentVolumeClaim'],
    see: `${K8S}/concepts/storage/persistent-volumes/#reserving-a-persistentvolume`,
  }),
  CLAIM_STATIC_CLASS: rule({
    id: 'SW-PV-006',
    title: 'A claim that names or selects its volume sets storageClassName',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Without storageClassName the DefaultStorageClass admission plugin gives the claim the cluster\'s default class, and a claim binds only to a volume of its own class: a claim with volumeName or a selector then never binds a pre-provisioned volume without a class (or of another class) and stays Pending.',
    fix: 'set storageClassName to the volume\'s class, or to "" for a volume without one (the default of PersistentVolumeClaim with volumeName or selector)',
    kinds: ['PersistentVolumeClaim'],
    see: `${K8S}/concepts/storage/persistent-volumes/#reserving-a-persistentvolume`,
  }),
} as const;

const MULTI_ATTACH = new Set(['ReadWriteMany', 'ReadOnlyMany']);

/**
 * Why Pods sharing a claim (or volume) with `accessModes` cannot all attach it, or undefined
 * (SW-VOL-004): `maxPods` is the most Pods at once of every controller mounting it, summed
 * (undefined: one per node), `surges` whether an update of any of them starts the new Pod before
 * the old one stops, `mounters` the controllers (named in the message when more than one).
 * Without access modes nothing is known.
 */
export function singleWriterProblem(accessModes: readonly unknown[], maxPods: number | undefined, surges: boolean, mounters: readonly string[] = []): string | undefined {
  if (accessModes.length === 0 || accessModes.some(m => MULTI_ATTACH.has(m as string))) return undefined;
  const mode = accessModes.join(', ');
  if (maxPods === undefined || maxPods > 1) {
    const of = mounters.length > 1 ? ` of ${mounters.join(' and ')}` : '';
    return `${maxPods === undefined ? 'one Pod per node' : `${maxPods} Pods`}${of} would share a ${mode} claim, which attaches to one ${mode === 'ReadWriteOncePod' ? 'Pod' : 'node'}`;
  }
  if (surges) return `a rolling update starts the new Pod while the old one still holds the ${mode} claim, so the rollout waits for an attachment that never comes`;
  return undefined;
}

/** A problem of a PersistentVolume spec: the rule, the field under `spec`, the value and why. */
export interface VolumeSpecProblem {
  readonly rule: Rule;
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * The problems of a PersistentVolume's spec (SW-PV-002, 003, 004), for the construct and the
 * audit alike; fields are relative to `spec`.
 */
export function persistentVolumeProblems(spec: { readonly [key: string]: any }): VolumeSpecProblem[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const out: VolumeSpecProblem[] = [];
  const policy = spec?.persistentVolumeReclaimPolicy;
  if (policy === 'Delete') out.push({ rule: StorageRules.PV_RECLAIM, field: 'persistentVolumeReclaimPolicy', value: policy, problem: 'deleting the claim deletes the volume and its data' });
  else if (policy === 'Recycle') out.push({ rule: StorageRules.PV_RECLAIM, field: 'persistentVolumeReclaimPolicy', value: policy, problem: 'Recycle is deprecated and wipes the data (rm -rf) when the claim is deleted' });
  if (spec?.hostPath) out.push({ rule: StorageRules.PV_HOST_PATH, field: 'hostPath.path', value: spec.hostPath.path, problem: 'the data lives on whichever node the Pod lands on' });
  if (spec?.local) {
    const terms = spec.nodeAffinity?.required?.nodeSelectorTerms;
    const named = Array.isArray(terms) && terms.length > 0 && terms.every(t => (t?.matchExpressions?.length ?? 0) + (t?.matchFields?.length ?? 0) > 0);
    if (!named) out.push({ rule: StorageRules.PV_LOCAL_AFFINITY, field: 'nodeAffinity.required', value: spec.nodeAffinity?.required, problem: 'a local volume lives on one node and must name it' });
  }
  return out;
}

/** A claim as the binding predicate sees it: its spec, and where it lives. */
export interface ClaimForBinding {
  /** The claim's spec (rendered PersistentVolumeClaim JSON). */
  readonly spec: { readonly [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The claim's name. */
  readonly name: unknown;
  /** The claim's namespace, "" when unknown (applied in whichever namespace). */
  readonly namespace: string;
}

/**
 * Why a claim that names a volume (`volumeName`) cannot bind it, one problem per field
 * (SW-PV-005): storage class, volume mode, access modes, capacity and the volume's claimRef.
 * For the PersistentVolumeClaim construct (against a PersistentVolume construct of the app)
 * and the audit (against a PersistentVolume among the objects) alike; fields are relative to the
 * claim's `spec`, `volume` names the volume in the messages.
 */
export function claimBindingProblems(claim: ClaimForBinding, volumeSpec: { readonly [key: string]: any }, volume: string): VolumeSpecProblem[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const out: VolumeSpecProblem[] = [];
  const spec = claim.spec ?? {};
  const v = volumeSpec ?? {};
  const push = (field: string, value: unknown, problem: string) => out.push({ rule: StorageRules.CLAIM_UNBINDABLE, field, value, problem: `${volume} ${problem}` });
  if (spec.storageClassName !== undefined && (spec.storageClassName ?? '') !== (v.storageClassName ?? '')) {
    push('storageClassName', spec.storageClassName, `has storageClassName ${JSON.stringify(v.storageClassName ?? '')}`);
  }
  if ((spec.volumeMode ?? 'Filesystem') !== (v.volumeMode ?? 'Filesystem')) push('volumeMode', spec.volumeMode ?? 'Filesystem', `has volumeMode ${v.volumeMode ?? 'Filesystem'}`);
  const offered: unknown[] = Array.isArray(v.accessModes) ? v.accessModes : [];
  const missing = (Array.isArray(spec.accessModes) ? spec.accessModes : []).filter((m: unknown) => !offered.includes(m));
  if (missing.length > 0) push('accessModes', spec.accessModes, `does not offer ${missing.join(', ')} (it offers ${offered.join(', ') || 'none'})`);
  const requested = parseQuantity(String(spec.resources?.requests?.storage ?? ''));
  const capacity = parseQuantity(String(v.capacity?.storage ?? ''));
  if (requested !== undefined && capacity !== undefined && capacity < requested) {
    push('resources.requests.storage', spec.resources.requests.storage, `holds only ${v.capacity.storage}`);
  }
  const ref = v.claimRef;
  // A claim without a namespace goes to the one it is applied in: only its name can be compared.
  if (ref && (ref.name !== claim.name || (claim.namespace !== '' && ref.namespace !== claim.namespace))) {
    push('volumeName', spec.volumeName, `is reserved for claim ${ref.namespace}/${ref.name}`);
  }
  return out;
}
