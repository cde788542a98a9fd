import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { formatBytes } from '../pod/resources';
import { AccessMode } from '../pod/volumes';
import { RULE_IDS, Rules } from '../rules/catalog';
import { persistentVolumeProblems } from '../rules/families/storage';
import { FindingCollector } from '../rules/collector';
import { Waiver, waiversAnnotation } from '../rules/waiver';
import { clusterScoped } from '../util/cluster-scoped';
import { dns1123SubdomainProblem, labelKeyProblem, labelValueProblem } from '../validation/names';
import { checkEnum, checkUnknownProps } from '../validation/props';
import { ReclaimPolicy } from './storage-class';
import { checkAccessModes, checkLabels } from './storage-checks';

/** Whether a volume is a filesystem or a raw block device. */
export enum VolumeMode {
  /** A filesystem, mounted at a path. */
  FILESYSTEM = 'Filesystem',
  /** A raw block device, for apps that manage the device themselves. */
  BLOCK = 'Block',
}

/** Options of a CSI volume source. */
export interface CsiSourceOptions {
  /**
   * Filesystem to format the volume with, e.g. "ext4" or "xfs".
   * @default - the driver's default
   */
  readonly fsType?: string;
  /**
   * Attributes the driver reads (e.g. an EFS access point).
   * @default - none
   */
  readonly volumeAttributes?: Record<string, string>;
  /**
   * Attach the volume read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * Where a PersistentVolume's data lives: a CSI driver's volume, an NFS export, a local disk of
 * one node, or (for single-node test clusters only, rule SW-PV-003) a node directory.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#types-of-persistent-volumes
 */
export class PersistentVolumeSource {
  /** An existing volume of a CSI driver, e.g. `csi('ebs.csi.aws.com', 'vol-0abc…')`. */
  public static csi(driver: string, volumeHandle: string, options: CsiSourceOptions = {}): PersistentVolumeSource {
    const problems: SourceProblem[] = [];
    const driverProblem = dns1123SubdomainProblem(driver);
    if (driverProblem || (typeof driver === 'string' && driver.length > 63)) problems.push({ field: 'source.csi.driver', value: driver, problem: driverProblem ?? 'is longer than 63 characters' });
    if (typeof volumeHandle !== 'string' || volumeHandle.length === 0) problems.push({ field: 'source.csi.volumeHandle', value: volumeHandle, problem: 'must be the driver\'s non-empty volume id' });
    return new PersistentVolumeSource('csi', {
      csi: { driver, volumeHandle, fsType: options?.fsType, readOnly: options?.readOnly || undefined, volumeAttributes: options?.volumeAttributes },
    }, problems);
  }

  /** An export of an NFS server (attachable by many nodes: fit for ReadWriteMany). */
  public static nfs(server: string, path: string, readOnly = false): PersistentVolumeSource {
    const problems: SourceProblem[] = [];
    if (typeof server !== 'string' || server.length === 0) problems.push({ field: 'source.nfs.server', value: server, problem: 'must be a host name or IP address' });
    if (!isAbsolute(path)) problems.push({ field: 'source.nfs.path', value: path, problem: 'must be an absolute path' });
    return new PersistentVolumeSource('nfs', { nfs: { server, path, readOnly: readOnly || undefined } }, problems);
  }

  /**
   * A disk or directory of one node (`path`), pinned to the nodes whose `nodeLabel` (by default
   * `kubernetes.io/hostname`) is one of `nodes`: the required nodeAffinity the API server demands.
   */
  public static local(path: string, nodes: string[], nodeLabel = 'kubernetes.io/hostname'): PersistentVolumeSource {
    const problems: SourceProblem[] = [];
    if (!isAbsolute(path)) problems.push({ field: 'source.local.path', value: path, problem: 'must be an absolute path' });
    const keyProblem = labelKeyProblem(nodeLabel);
    if (keyProblem) problems.push({ field: 'source.local.nodeLabel', value: nodeLabel, problem: keyProblem });
    if (!Array.isArray(nodes) || nodes.length === 0) problems.push({ field: 'source.local.nodes', value: nodes, problem: 'must name at least one node: a local volume lives on one node' });
    (Array.isArray(nodes) ? nodes : []).forEach((n, i) => {
      const p = labelValueProblem(n);
      if (p || n === '') problems.push({ field: `source.local.nodes[${i}]`, value: n, problem: p ?? 'must not be empty' });
    });
    return new PersistentVolumeSource('local', {
      local: { path },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: nodeLabel, operator: 'In', values: Array.isArray(nodes) ? [...nodes] : [] }] }] } },
    }, problems);
  }

  /**
   * A directory of whichever node the Pod runs on: data does not follow a rescheduled Pod.
   * Refused (rule SW-PV-003) unless the PersistentVolume waives it; for single-node test clusters.
   */
  public static hostPath(path: string): PersistentVolumeSource {
    const problems: SourceProblem[] = isAbsolute(path) ? [] : [{ field: 'source.hostPath.path', value: path, problem: 'must be an absolute path' }];
    return new PersistentVolumeSource('hostPath', { hostPath: { path, type: 'DirectoryOrCreate' } }, problems);
  }

  private constructor(
    /** The source type: "csi", "nfs", "local" or "hostPath". */
    public readonly type: string,
    /** @internal */ public readonly _spec: Partial<k8s.PersistentVolumeSpec>,
    /** @internal */ public readonly _problems: readonly SourceProblem[],
  ) {}
}

/** A problem found in a volume source's arguments. @internal */
export interface SourceProblem {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/** The one claim a PersistentVolume is reserved for. */
export interface ClaimRef {
  /** Namespace of the claim. */
  readonly namespace: string;
  /** Name of the claim. */
  readonly name: string;
}

/** Props of a `PersistentVolume`. */
export interface PersistentVolumeProps {
  /** Name of the PersistentVolume, a DNS-1123 subdomain (cluster-scoped: unique in the cluster). */
  readonly name: string;
  /** Capacity of the volume. */
  readonly capacity: Size;
  /** Where the data lives. */
  readonly source: PersistentVolumeSource;
  /**
   * Access modes the volume supports. ReadWriteOncePod cannot be combined with others.
   * @default [AccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: AccessMode[];
  /**
   * StorageClass of the volume; only claims of the same class bind it.
   * @default - no class: only claims with `storageClassName: ""` bind it
   */
  readonly storageClassName?: string;
  /**
   * Filesystem or raw block device.
   * @default VolumeMode.FILESYSTEM
   */
  readonly volumeMode?: VolumeMode;
  /**
   * What happens to the volume when its claim is deleted.
   * @default ReclaimPolicy.RETAIN: the data survives a deleted claim (rule SW-PV-002)
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * Reserve the volume for one claim, so no other claim binds it first.
   * @default - any matching claim may bind it
   * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#reserving-a-persistentvolume
   */
  readonly claimRef?: ClaimRef;
  /**
   * Labels claims can select the volume by (`PersistentVolumeClaim` `selector`).
   * @default - app.kubernetes.io/managed-by only
   */
  readonly labels?: Record<string, string>;
  /**
   * Reasoned exceptions, e.g. `Waiver.of('SW-PV-003', 'single-node kind cluster')`; rendered
   * into the `seaworthy.dev/waivers` annotation.
   * @default - none
   */
  readonly waivers?: Waiver[];
}

/**
 * A pre-provisioned PersistentVolume (cluster-scoped): an existing disk, export or local drive
 * that claims bind to. Retains its data when the claim is deleted, unless told otherwise.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/
 */
export class PersistentVolume extends Construct {
  /** The PersistentVolume object. */
  public readonly resource: k8s.KubePersistentVolume;
  /** Name of the volume. */
  public readonly volumeName: string;
  /** Resolved access modes. */
  public readonly accessModes: readonly AccessMode[];
  /** Resolved volume mode. */
  public readonly volumeMode: VolumeMode;
  /** StorageClass, or "" when the volume has none. */
  public readonly storageClassName: string;
  /** Resolved reclaim policy. */
  public readonly reclaimPolicy: ReclaimPolicy;

  constructor(scope: Construct, id: string, props: PersistentVolumeProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'PersistentVolumeProps', props);
    const waivers = collector.waive(props?.waivers, RULE_IDS);
    const nameProblem = dns1123SubdomainProblem(props?.name);
    if (nameProblem) collector.report(Rules.PV_INVALID, 'name', props?.name, nameProblem);
    const capacity = formatBytes(props?.capacity);
    if (capacity === undefined) collector.report(Rules.PV_INVALID, 'capacity', props?.capacity, 'must be a positive whole number of bytes (a Size)');
    const source = props?.source;
    if (!(source instanceof PersistentVolumeSource)) {
      collector.report(Rules.PV_INVALID, 'source', source, 'must be PersistentVolumeSource.csi(), .nfs(), .local() or .hostPath()');
    } else {
      for (const p of source._problems) collector.report(Rules.PV_INVALID, p.field, p.value, p.problem);
    }
    const accessModes = checkAccessModes(collector, props?.accessModes);
    checkEnum(collector, 'volumeMode', props?.volumeMode, VolumeMode);
    checkEnum(collector, 'reclaimPolicy', props?.reclaimPolicy, ReclaimPolicy);
    if (props?.storageClassName !== undefined && props.storageClassName !== '') {
      const p = dns1123SubdomainProblem(props.storageClassName);
      if (p) collector.report(Rules.PV_INVALID, 'storageClassName', props.storageClassName, p);
    }
    if (props?.claimRef !== undefined) {
      for (const key of ['namespace', 'name'] as const) {
        const p = dns1123SubdomainProblem(props.claimRef?.[key]);
        if (p) collector.report(Rules.PV_INVALID, `claimRef.${key}`, props.claimRef?.[key], p);
      }
    }
    checkLabels(collector, 'labels', props?.labels);
    // The manifest rules on the spec, here so an unwaived error stops synthesis (the audit runs the same function).
    if (source instanceof PersistentVolumeSource) {
      const spec = { ...source._spec, persistentVolumeReclaimPolicy: props.reclaimPolicy ?? ReclaimPolicy.RETAIN };
      for (const p of persistentVolumeProblems(spec)) collector.report(p.rule, p.field === 'hostPath.path' ? 'source' : p.field === 'persistentVolumeReclaimPolicy' ? 'reclaimPolicy' : `source.${p.field}`, p.value, p.problem);
    }
    collector.commit();

    this.volumeName = props.name;
    this.accessModes = accessModes;
    this.volumeMode = props.volumeMode ?? VolumeMode.FILESYSTEM;
    this.storageClassName = props.storageClassName ?? '';
    this.reclaimPolicy = props.reclaimPolicy ?? ReclaimPolicy.RETAIN;
    const annotations = waiversAnnotation(waivers);
    this.resource = new k8s.KubePersistentVolume(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: { ...props.labels, [LabelKeys.MANAGED_BY]: MANAGED_BY },
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
      spec: {
        capacity: { storage: k8s.Quantity.fromString(capacity!) },
        accessModes: [...accessModes],
        storageClassName: props.storageClassName || undefined,
        volumeMode: this.volumeMode,
        persistentVolumeReclaimPolicy: this.reclaimPolicy,
        claimRef: props.claimRef ? { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: props.claimRef.namespace, name: props.claimRef.name } : undefined,
        ...source._spec,
      },
    });
    clusterScoped(this.resource);
  }
}

function isAbsolute(path: unknown): boolean {
  return typeof path === 'string' && path.startsWith('/') && !path.split('/').includes('..');
}
