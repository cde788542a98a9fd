import { Size } from 'cdk8s';
import { Rules } from '../rules/catalog';
import { configItemFindings } from '../rules/families/config';
import { hugePageVolumeProblem, isHugePages } from '../rules/families/resources';
import { FindingCollector } from '../rules/collector';
import { singleWriterProblem } from '../rules/families/storage';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../validation/names';
import { parseQuantity } from '../validation/quantity';
import { ContainerKind, ResolvedContainer } from './container-core';
import { formatBytes } from './resources';
import { EmptyDirMedium, PodVolume } from './volumes';

/** Name of the /tmp emptyDir every container mounts. */
export const TMP_VOLUME_NAME = 'tmp';

/** The /tmp emptyDir. */
export function tmpVolume(size: Size): PodVolume {
  return PodVolume.emptyDir(TMP_VOLUME_NAME, { sizeLimit: size });
}

/** How many Pods may share the Pod's volumes at once. */
export interface Concurrency {
  /** Most Pods running at once; undefined when unbounded (one per node). */
  readonly maxPods?: number;
  /** Whether updates start a new Pod before the old one stops. */
  readonly surges: boolean;
  /** The controllers whose Pods these are, when several share the volumes (release tracks). */
  readonly sharers?: readonly string[];
}

/** Volume types the kubelet always mounts read-only. */
const READ_ONLY_TYPES = new Set(['configMap', 'secret', 'downwardAPI', 'projected']);

/** Whether `path` is /tmp ("/tmp/" too). */
function isTmp(path: unknown): boolean {
  return typeof path === 'string' && path.replace(/\/+$/, '') === '/tmp';
}

/** Whether the container mounts a volume of its own at /tmp, replacing the built-in one. */
export function ownsTmp(c: ResolvedContainer): boolean {
  return c.mounts.some(m => m !== null && typeof m === 'object' && m.volume instanceof PodVolume && isTmp(m.path));
}

/**
 * Validates the Pod's volumes and every container's mounts, returning the distinct volumes,
 * /tmp first. A container mounting a volume of its own at /tmp does not get the built-in one
 * (which is left out when no container keeps it); that volume must be writable (SW-VOL-005).
 * `tmpSizeGiven` says whether `tmp`'s size was asked for.
 */
export function checkVolumes(containers: readonly ResolvedContainer[], tmp: PodVolume, concurrency: Concurrency, collector: FindingCollector, tmpSizeGiven = false): PodVolume[] {
  const builtIn = containers.filter(c => !ownsTmp(c));
  const volumes = new Map<string, PodVolume>(builtIn.length > 0 ? [[tmp.name, tmp]] : []);
  const mountedBy = new Map<string, ResolvedContainer[]>(builtIn.length > 0 ? [[tmp.name, builtIn]] : []);
  if (builtIn.length === 0 && tmpSizeGiven) {
    collector.report(Rules.VOLUME_INVALID, 'tmpSize', formatBytes(tmp._facts.sizeLimit), 'sizes the built-in /tmp, which every container replaces with a volume of its own: size that volume instead');
  }
  for (const c of containers) {
    const paths = new Set<string>(ownsTmp(c) ? [] : ['/tmp']);
    c.mounts.forEach((m, i) => {
      const field = `${c.prefix}mounts[${i}]`;
      if (m === null || typeof m !== 'object' || !(m.volume instanceof PodVolume)) {
        collector.report(Rules.VOLUME_INVALID, field, m, 'must be { volume: PodVolume.…(), path }');
        return;
      }
      const v = m.volume;
      const known = volumes.get(v.name);
      if (known !== undefined && known !== v && JSON.stringify(known._kube) !== JSON.stringify(v._kube)) {
        collector.report(Rules.VOLUME_INVALID, `${field}.volume`, v.name, 'another, different volume already has this name');
      } else if (known === undefined) {
        const problem = dns1123LabelProblem(v.name);
        if (problem) collector.report(Rules.VOLUME_INVALID, `${field}.volume`, v.name, `volume name ${problem}`);
        volumes.set(v.name, v);
      }
      mountedBy.set(v.name, [...(mountedBy.get(v.name) ?? []), c]);
      if (typeof m.path !== 'string' || !m.path.startsWith('/')) {
        collector.report(Rules.VOLUME_INVALID, `${field}.path`, m.path, 'must be an absolute path');
      } else if (paths.has(m.path)) {
        collector.report(Rules.VOLUME_INVALID, `${field}.path`, m.path, 'is already a mount path of this container');
      }
      paths.add(m.path);
      if (isTmp(m.path)) {
        const why = m.readOnly === true ? 'is mounted readOnly'
          : READ_ONLY_TYPES.has(v.type) ? `is a ${v.type} volume, which the kubelet always mounts read-only`
            : v.type === 'hostPath' && m.readOnly !== false ? 'is a hostPath volume, mounted read-only unless the mount says readOnly: false'
              : v.type === 'persistentVolumeClaim' && v._facts.readOnly === true ? 'is a claim mounted read-only (readOnly on the claim volume)' : undefined;
        if (why) collector.report(Rules.TMP_NOT_WRITABLE, `${field}.path`, m.path, `replaces the built-in writable /tmp of "${c.name}", but volume "${v.name}" ${why}: with the read-only root filesystem the container has nowhere to write temporary files`);
      }
      if (m.subPath !== undefined && (typeof m.subPath !== 'string' || m.subPath.startsWith('/') || m.subPath.split('/').includes('..'))) {
        collector.report(Rules.VOLUME_INVALID, `${field}.subPath`, m.subPath, 'must be a relative path without ".."');
      }
      const config = v._facts.config;
      for (const key of v._facts.items ?? []) {
        if (config && !config.keys.includes(key)) {
          collector.report(Rules.CONFIG_KEY_MISSING, `${field}.volume`, key, `is not a key of config "${config.name}" (keys: ${config.keys.join(', ') || 'none'})`);
        }
      }
      if (v.type === 'hostPath') {
        collector.report(Rules.HOST_PATH, `${field}.volume`, v._kube.hostPath?.path, `hostPath volume "${v.name}" exposes the node filesystem`);
      }
    });
  }

  let diskTotal = 0;
  for (const v of volumes.values()) {
    const users = mountedBy.get(v.name) ?? [];
    const facts = v._facts;
    const itemLists: Array<[string, readonly unknown[] | undefined]> = [
      ['items', v._kube.configMap?.items ?? v._kube.secret?.items],
      ...(v._kube.projected?.sources ?? []).map((s, j): [string, readonly unknown[] | undefined] => [`sources[${j}].items`, s.configMap?.items ?? s.secret?.items]),
    ];
    for (const [at, items] of itemLists) {
      for (const f of configItemFindings(items ?? [])) {
        collector.report(Rules.CONFIG_ITEM_INVALID, `volumes.${v.name}.${at}[${f.index}].${f.part}`, f.value, f.problem);
      }
    }
    for (const mode of facts.modes) {
      if (mode !== undefined && !(Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) {
        collector.report(Rules.VOLUME_INVALID, `volumes.${v.name}.mode`, mode, 'must be a file mode from 0 to 0o777');
      }
    }
    if (facts.hugePages !== undefined) {
      const problem = hugePageVolumeProblem(facts.hugePages, containers.flatMap(c => Object.keys(c.resources.limits ?? {})).filter(isHugePages));
      if (problem) collector.report(Rules.HUGEPAGES_VOLUME, `volumes.${v.name}`, facts.hugePages, problem);
    } else if (v.type === 'emptyDir') {
      const limit = v._kube.emptyDir?.sizeLimit?.value;
      if (limit === undefined) {
        collector.report(Rules.EMPTYDIR_UNBOUNDED, `volumes.${v.name}.sizeLimit`, facts.sizeLimit, facts.sizeLimit === undefined ? 'is not set' : 'is not a positive whole number of bytes');
        continue;
      }
      const bytes = parseQuantity(limit) ?? 0;
      if (facts.medium === EmptyDirMedium.MEMORY) {
        for (const c of users) {
          const memory = parseQuantity(c.resources.limits?.memory?.value ?? '') ?? Infinity;
          if (bytes > memory) {
            collector.report(Rules.EMPTYDIR_OVER_LIMIT, `volumes.${v.name}.sizeLimit`, limit, `a memory-backed emptyDir counts against the memory limit of "${c.name}" (${c.resources.limits?.memory?.value})`);
          }
        }
      } else {
        diskTotal += bytes;
      }
    }
    // A volume without a valid name is already reported, and has no field to report under.
    if (v.type === 'persistentVolumeClaim' && dns1123LabelProblem(v.name) === undefined) {
      const claimName = v._kube.persistentVolumeClaim?.claimName;
      const problem = dns1123SubdomainProblem(claimName);
      if (problem) collector.report(Rules.VOLUME_INVALID, `volumes.${v.name}.claimName`, claimName, `claim name ${problem}`);
      if (typeof facts.readOnly !== 'boolean') collector.report(Rules.VOLUME_INVALID, `volumes.${v.name}.readOnly`, facts.readOnly, 'must be true or false');
      const shared = singleWriterProblem(facts.accessModes ?? [], concurrency.maxPods, concurrency.surges, concurrency.sharers);
      if (shared) collector.report(Rules.SINGLE_WRITER_VOLUME, `volumes.${v.name}`, (facts.accessModes ?? []).join(', '), shared);
    }
  }
  const app = containers.filter(c => c.kind !== ContainerKind.INIT);
  const storage = app.reduce((sum, c) => sum + (parseQuantity(c.resources.limits?.['ephemeral-storage']?.value ?? '') ?? 0), 0);
  if (storage > 0 && diskTotal > storage) {
    const show = (bytes: number) => formatBytes(Size.kibibytes(bytes / 1024)) ?? `${bytes}`;
    const withTmp = builtIn.length > 0;
    collector.report(Rules.TMP_EXCEEDS_EPHEMERAL, withTmp ? 'tmpSize' : 'mounts', show(diskTotal), `disk-backed emptyDirs (${show(diskTotal)} in all${withTmp ? ', /tmp included' : ''}) exceed the Pod's ephemeral-storage limit (${show(storage)})`);
  }
  return [...volumes.values()];
}
