import { Size } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { formatBytes } from './resources';

/** Storage medium of an emptyDir. */
export enum EmptyDirMedium {
  /** The node's disk; counts against the containers' ephemeral-storage. */
  DISK = '',
  /** tmpfs; counts against the memory limit of the containers that write it. */
  MEMORY = 'Memory',
}

/** Page size of a huge-page volume. */
export enum HugePageSize {
  /** 2 MiB pages (`hugepages-2Mi`). */
  TWO_MI = '2Mi',
  /** 1 GiB pages (`hugepages-1Gi`). */
  ONE_GI = '1Gi',
}

/** Access mode a PersistentVolumeClaim was created with. */
export enum AccessMode {
  /** One node may mount it read-write. */
  READ_WRITE_ONCE = 'ReadWriteOnce',
  /** One Pod may mount it read-write. */
  READ_WRITE_ONCE_POD = 'ReadWriteOncePod',
  /** Many nodes may mount it read-only. */
  READ_ONLY_MANY = 'ReadOnlyMany',
  /** Many nodes may mount it read-write. */
  READ_WRITE_MANY = 'ReadWriteMany',
}

/** One key of a ConfigMap or Secret projected to a file. */
export interface KeyToPath {
  /** The key. */
  readonly key: string;
  /** Relative file path to write it to. */
  readonly path: string;
  /**
   * File mode (0–0777, e.g. 0o440).
   * @default - the volume's defaultMode
   */
  readonly mode?: number;
}

/** Options of an emptyDir volume. */
export interface EmptyDirOptions {
  /**
   * Most the volume may hold; exceeding it evicts the Pod. Required (rule SW-VOL-002).
   */
  readonly sizeLimit?: Size;
  /**
   * Where the data lives.
   * @default EmptyDirMedium.DISK
   */
  readonly medium?: EmptyDirMedium;
}

/** Options of ConfigMap and Secret volumes. */
export interface KeyedVolumeOptions {
  /**
   * Only these keys, at these paths.
   * @default - every key, as a file named after it
   */
  readonly items?: KeyToPath[];
  /**
   * Mode of the files (0–0777).
   * @default 0o444 for ConfigMaps, 0o440 for Secrets (readable by the fsGroup, not by others)
   */
  readonly defaultMode?: number;
  /**
   * Start the Pod even when the object is missing.
   * @default false
   */
  readonly optional?: boolean;
}

/** Options of a PersistentVolumeClaim volume. */
export interface ClaimVolumeOptions {
  /**
   * The claim's access mode, which decides whether several replicas may share it (rule SW-VOL-004).
   * @default AccessMode.READ_WRITE_ONCE
   */
  readonly accessMode?: AccessMode;
  /**
   * Mount the claim read-only in every container.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * A PersistentVolumeClaim a workload can mount with `PodVolume.claim()`: the
 * `PersistentVolumeClaim` construct, or a claim created elsewhere described by
 * `ClaimReference.of()`.
 */
export interface IPersistentVolumeClaim {
  /** Name of the claim. */
  readonly claimName: string;
  /** Access modes the claim asks for; they decide whether several Pods may share it (rule SW-VOL-004). */
  readonly accessModes: readonly AccessMode[];
}

/** A claim created outside this app (by ops, another chart), to mount with `PodVolume.claim()`. */
export class ClaimReference implements IPersistentVolumeClaim {
  /** The claim `claimName`, created with `accessModes` (at least one). */
  public static of(claimName: string, ...accessModes: AccessMode[]): ClaimReference {
    return new ClaimReference(claimName, accessModes.length > 0 ? accessModes : [AccessMode.READ_WRITE_ONCE]);
  }

  private constructor(
    /** Name of the claim. */
    public readonly claimName: string,
    /** Access modes of the claim. */
    public readonly accessModes: readonly AccessMode[],
  ) {}
}

/** Options of `PodVolume.claim()`. */
export interface ClaimMountOptions {
  /**
   * Mount the claim read-only in every container. It does not let several nodes attach a
   * ReadWriteOnce claim: only ReadOnlyMany and ReadWriteMany claims attach to several nodes.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Name of the Pod volume, referenced by mounts.
   * @default - the claim's name
   */
  readonly volumeName?: string;
}

/** A Downward API file. Give exactly one of `fieldPath` and `resource`. */
export interface DownwardApiFile {
  /** Relative file path. */
  readonly path: string;
  /**
   * Pod field, e.g. "metadata.labels" or "metadata.annotations".
   * @default - none
   */
  readonly fieldPath?: string;
  /**
   * Container resource, e.g. "limits.memory".
   * @default - none
   */
  readonly resource?: string;
  /**
   * Container whose resource to read.
   * @default - required with `resource` when the Pod has several containers
   */
  readonly containerName?: string;
}

/** One source of a projected volume. */
export class ProjectedSource {
  /** Keys of a ConfigMap. */
  public static configMap(configMapName: string, items?: KeyToPath[]): ProjectedSource {
    return new ProjectedSource({ configMap: { name: configMapName, items: items?.map(renderKey) } });
  }

  /** Keys of a Secret. */
  public static secret(secretName: string, items?: KeyToPath[]): ProjectedSource {
    return new ProjectedSource({ secret: { name: secretName, items: items?.map(renderKey) } });
  }

  /** Downward API files. */
  public static downwardApi(files: DownwardApiFile[]): ProjectedSource {
    return new ProjectedSource({ downwardApi: { items: files.map(renderDownward) } });
  }

  /**
   * A bound, audience-scoped, expiring ServiceAccount token (for calling an outside service that
   * trusts the cluster's issuer), instead of the auto-mounted API token.
   */
  public static serviceAccountToken(path: string, audience?: string, expirationSeconds = 3600): ProjectedSource {
    return new ProjectedSource({ serviceAccountToken: { path, audience, expirationSeconds } });
  }

  private constructor(/** @internal */ public readonly _kube: k8s.VolumeProjection) {}
}

/** What PodVolume needs to know about an AppConfig, without importing it. @internal */
export interface ConfigSource {
  readonly name: string;
  readonly keys: readonly string[];
  contentHash(): string;
}

/**
 * A volume of the Pod, mounted by containers through `mounts`.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/
 */
export class PodVolume {
  /** Scratch space for the Pod's lifetime. Give it a sizeLimit (rule SW-VOL-002). */
  public static emptyDir(name: string, options: EmptyDirOptions = {}): PodVolume {
    const sizeLimit = options.sizeLimit === undefined ? undefined : formatBytes(options.sizeLimit);
    return new PodVolume(name, 'emptyDir', {
      name,
      emptyDir: {
        medium: options.medium || undefined,
        sizeLimit: sizeLimit === undefined ? undefined : k8s.Quantity.fromString(sizeLimit),
      },
    }, { sizeLimit: options.sizeLimit, medium: options.medium ?? EmptyDirMedium.DISK, modes: [] });
  }

  /**
   * Huge pages mounted as a hugetlbfs emptyDir (`medium: HugePages-<size>`), backed by the
   * Pod's `size.hugepages2Mi` / `size.hugepages1Gi` (rule SW-RES-008); no sizeLimit, the
   * huge-page limits bound it.
   * @see https://kubernetes.io/docs/tasks/manage-hugepages/scheduling-hugepages/
   */
  public static hugePages(name: string, pageSize: HugePageSize = HugePageSize.TWO_MI): PodVolume {
    const medium = `HugePages-${pageSize}`;
    return new PodVolume(name, 'emptyDir', { name, emptyDir: { medium } }, { modes: [], hugePages: medium });
  }

  /** The keys of an existing ConfigMap, as files. */
  public static configMap(name: string, configMapName: string, options: KeyedVolumeOptions = {}): PodVolume {
    return new PodVolume(name, 'configMap', {
      name,
      configMap: { name: configMapName, items: options.items?.map(renderKey), defaultMode: options.defaultMode ?? 0o444, optional: options.optional },
    }, { modes: modesOf(options) });
  }

  /** The keys of an existing Secret, as files (referenced by name: no secret data in the output). */
  public static secret(name: string, secretName: string, options: KeyedVolumeOptions = {}): PodVolume {
    return new PodVolume(name, 'secret', {
      name,
      secret: { secretName, items: options.items?.map(renderKey), defaultMode: options.defaultMode ?? 0o440, optional: options.optional },
    }, { modes: modesOf(options) });
  }

  /** An existing PersistentVolumeClaim, by name. Prefer `PodVolume.claim()`, which knows the claim's access modes. */
  public static persistentVolumeClaim(name: string, claimName: string, options: ClaimVolumeOptions = {}): PodVolume {
    return new PodVolume(name, 'persistentVolumeClaim', {
      name,
      persistentVolumeClaim: { claimName, readOnly: options.readOnly || undefined },
    }, { accessModes: [options.accessMode ?? AccessMode.READ_WRITE_ONCE], readOnly: options.readOnly ?? false, modes: [] });
  }

  /**
   * A PersistentVolumeClaim (a `PersistentVolumeClaim` construct or a `ClaimReference`), mounted
   * by any workload. A ReadWriteOnce or ReadWriteOncePod claim may be mounted only by one Pod at
   * a time: one replica with the Recreate strategy (rule SW-VOL-004).
   * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#claims-as-volumes
   */
  public static claim(claim: IPersistentVolumeClaim, options: ClaimMountOptions = {}): PodVolume {
    const name = options?.volumeName ?? claim?.claimName;
    return new PodVolume(name, 'persistentVolumeClaim', {
      name,
      persistentVolumeClaim: { claimName: claim?.claimName, readOnly: options?.readOnly || undefined },
    }, { accessModes: [...(claim?.accessModes ?? [])], readOnly: options?.readOnly ?? false, modes: [] });
  }

  /** Several sources (ConfigMaps, Secrets, Downward API, bound tokens) in one directory. */
  public static projected(name: string, sources: ProjectedSource[], defaultMode = 0o444): PodVolume {
    return new PodVolume(name, 'projected', { name, projected: { sources: sources.map(s => s._kube), defaultMode } }, { modes: [defaultMode] });
  }

  /** Pod metadata and container resources as files (labels and annotations update live). */
  public static downwardApi(name: string, files: DownwardApiFile[]): PodVolume {
    return new PodVolume(name, 'downwardAPI', { name, downwardApi: { items: files.map(renderDownward) } }, { modes: [] });
  }

  /**
   * A directory of the node. Breaks Pod Security "baseline": rule SW-SEC-004 stops synthesis
   * unless the workload carries a waiver for it. Mount it read-only.
   */
  public static hostPath(name: string, path: string, type?: string): PodVolume {
    return new PodVolume(name, 'hostPath', { name, hostPath: { path, type } }, { modes: [] });
  }

  /** @internal */
  public static _fromConfig(name: string, config: ConfigSource, options: KeyedVolumeOptions = {}): PodVolume {
    const v = PodVolume.configMap(name, config.name, options);
    return new PodVolume(name, 'configMap', v._kube, { modes: modesOf(options), config, items: options.items?.map(i => i.key) });
  }

  private constructor(
    /** Volume name, referenced by mounts. */
    public readonly name: string,
    /** Volume type, e.g. "emptyDir". */
    public readonly type: string,
    /** @internal */ public readonly _kube: k8s.Volume,
    /** @internal */ public readonly _facts: VolumeFacts,
  ) {}
}

/** What the Pod core checks about a volume. @internal */
export interface VolumeFacts {
  readonly sizeLimit?: Size;
  readonly medium?: EmptyDirMedium;
  /** The huge-page medium ("HugePages-2Mi") of a huge-page volume. */
  readonly hugePages?: string;
  readonly accessModes?: readonly AccessMode[];
  readonly readOnly?: boolean;
  readonly modes: readonly (number | undefined)[];
  readonly config?: ConfigSource;
  readonly items?: readonly string[];
}

/** Where and how a container mounts a volume. */
export interface VolumeMount {
  /** The volume. */
  readonly volume: PodVolume;
  /** Absolute path in the container. */
  readonly path: string;
  /**
   * Mount read-only.
   * @default false (true for hostPath volumes, which must be read-only)
   */
  readonly readOnly?: boolean;
  /**
   * Mount only this file or directory of the volume (the rest of `path`'s directory stays
   * visible). Files mounted with subPath do not update when the ConfigMap changes; the config
   * hash annotation rolls the Pods instead.
   * @default - the whole volume
   */
  readonly subPath?: string;
}

function renderKey(k: KeyToPath): k8s.KeyToPath {
  return { key: k.key, path: k.path, mode: k.mode };
}

function renderDownward(f: DownwardApiFile): k8s.DownwardApiVolumeFile {
  return {
    path: f.path,
    fieldRef: f.fieldPath ? { fieldPath: f.fieldPath } : undefined,
    resourceFieldRef: f.resource ? { resource: f.resource, containerName: f.containerName } : undefined,
  };
}

function modesOf(options: KeyedVolumeOptions): (number | undefined)[] {
  return [options.defaultMode, ...(options.items ?? []).map(i => i.mode)];
}
