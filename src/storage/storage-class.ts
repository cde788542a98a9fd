import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { dns1123LabelProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';

/** What happens to a volume when its claim is deleted. */
export enum ReclaimPolicy {
  /** Keep the volume and its data for manual recovery. */
  RETAIN = 'Retain',
  /** Delete the volume. */
  DELETE = 'Delete',
}

/** When a volume is provisioned and bound. */
export enum VolumeBindingMode {
  /** When the first Pod using the claim is scheduled: the volume lands in that Pod's zone. */
  WAIT_FOR_FIRST_CONSUMER = 'WaitForFirstConsumer',
  /** As soon as the claim exists: the volume may land in a zone the Pod cannot run in. */
  IMMEDIATE = 'Immediate',
}

/** Props of a `StorageClass`. */
export interface StorageClassProps {
  /** StorageClass name. */
  readonly name: string;
  /** CSI provisioner, e.g. "ebs.csi.aws.com". */
  readonly provisioner: string;
  /**
   * Provisioner parameters (disk type, IOPS, encryption, …).
   * @default - none
   */
  readonly parameters?: Record<string, string>;
  /**
   * What happens to the volume when the claim is deleted.
   * @default ReclaimPolicy.RETAIN: production data survives a deleted claim
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * When volumes are bound.
   * @default VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER: avoids volumes in a zone the Pod cannot reach
   */
  readonly volumeBindingMode?: VolumeBindingMode;
  /**
   * Allow growing claims in place.
   * @default true
   */
  readonly allowVolumeExpansion?: boolean;
  /**
   * Mark as the cluster's default class.
   * @default false
   */
  readonly isDefault?: boolean;
}

/** A StorageClass with production defaults, for platform repos. */
export class StorageClass extends Construct {
  /** The StorageClass. */
  public readonly storageClass: k8s.KubeStorageClass;

  constructor(scope: Construct, id: string, props: StorageClassProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'StorageClassProps', props);
    const problem = dns1123LabelProblem(props?.name);
    if (problem) collector.report(Rules.NAME_INVALID, 'name', props?.name, problem);
    collector.commit();
    this.storageClass = new k8s.KubeStorageClass(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: { [LabelKeys.MANAGED_BY]: MANAGED_BY },
        annotations: props.isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : undefined,
      },
      provisioner: props.provisioner,
      parameters: props.parameters,
      reclaimPolicy: props.reclaimPolicy ?? ReclaimPolicy.RETAIN,
      volumeBindingMode: props.volumeBindingMode ?? VolumeBindingMode.WAIT_FOR_FIRST_CONSUMER,
      allowVolumeExpansion: props.allowVolumeExpansion ?? true,
    });
  }
}
