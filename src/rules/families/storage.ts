import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the storage family. */
export const StorageRules = {
  VOLUME_INVALID: rule({
    id: 'SW-VOL-001',
    title: 'Volumes and mounts are well-formed',
    severity: Severity.ERROR,
    rationale: 'Volume names must be DNS-1123 labels and unique, mounts must name a volume of the Pod at an absolute, unique path, subPaths must stay inside the volume, and file modes must be 0–0777, or the API server rejects the Pod.',
    fix: 'give each volume a unique lowercase name, mount it at an absolute path once per container, and keep subPath relative without ".."',
    kinds: [],
    see: `${K8S}/concepts/storage/volumes/`,
  }),
  EMPTYDIR_UNBOUNDED: rule({
    id: 'SW-VOL-002',
    title: 'emptyDir volumes have a sizeLimit',
    severity: Severity.ERROR,
    rationale: 'An emptyDir without sizeLimit can fill the node disk (or, in memory, the node RAM) and take every Pod on the node down; with a limit, only the offending Pod is evicted.',
    fix: 'set sizeLimit, e.g. PodVolume.emptyDir("cache", { sizeLimit: Size.mebibytes(256) })',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/storage/volumes/#emptydir`,
  }),
  EMPTYDIR_OVER_LIMIT: rule({
    id: 'SW-VOL-003',
    title: 'emptyDir volumes fit the container limits they count against',
    severity: Severity.ERROR,
    rationale: 'A memory-backed emptyDir (tmpfs) counts against the memory limit of the containers that write it, and a disk-backed one against ephemeral-storage; a sizeLimit above those limits OOM-kills or evicts the Pod before the volume is full.',
    fix: 'lower the emptyDir sizeLimit below the memory (medium Memory) or ephemeral-storage (disk) limit of the containers mounting it, or raise their size',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/manage-resources-containers/#local-ephemeral-storage`,
  }),
  SINGLE_WRITER_VOLUME: rule({
    id: 'SW-VOL-004',
    title: 'ReadWriteOnce claims are not shared by replicas',
    severity: Severity.ERROR,
    rationale: 'A ReadWriteOnce volume attaches to one node: a Deployment with more than one replica, or a RollingUpdate that starts the new Pod before the old one stops, hangs with Multi-Attach errors.',
    fix: 'use a StatefulService (one claim per replica), mount the claim read-only or ReadWriteMany, or run 1 replica with the Recreate strategy',
    kinds: [],
    see: `${K8S}/concepts/storage/persistent-volumes/#access-modes`,
  }),
} as const;
