import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { formatBytes } from '../pod/resources';
import { AccessMode, IPersistentVolumeClaim } from '../pod/volumes';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { dns1123SubdomainProblem } from '../validation/names';
import { selectorRequirementProblems } from '../validation/selectors';
import { checkEnum, checkUnknownProps } from '../validation/props';
import { SeaworthyError } from '../errors';
import { renderOnce } from '../synth/render-once';
import { claimBindingProblems } from '../rules/families/storage';
import { Finding, makeFinding } from '../rules/finding';
import { PersistentVolume, VolumeMode } from './persistent-volume';
import { checkAccessModes, checkLabels } from './storage-checks';

/** Operator of a label requirement in a claim's selector. */
export enum SelectorOperator {
  /** The label's value is one of the values. */
  IN = 'In',
  /** The label is absent or its value is none of the values. */
  NOT_IN = 'NotIn',
  /** The label is present (no values). */
  EXISTS = 'Exists',
  /** The label is absent (no values). */
  DOES_NOT_EXIST = 'DoesNotExist',
}

/** One requirement on a PersistentVolume's labels. */
export interface VolumeLabelRequirement {
  /** Label key. */
  readonly key: string;
  /** Operator. */
  readonly operator: SelectorOperator;
  /**
   * Values: at least one for In and NotIn, none for Exists and DoesNotExist.
   * @default - none
   */
  readonly values?: string[];
}

/** Which pre-provisioned PersistentVolumes a claim may bind, by their labels. */
export interface VolumeSelector {
  /**
   * Labels the volume must carry.
   * @default - none
   */
  readonly matchLabels?: Record<string, string>;
  /**
   * Requirements the volume's labels must meet.
   * @default - none
   */
  readonly matchExpressions?: VolumeLabelRequirement[];
}

/** Props of a `PersistentVolumeClaim`. */
export interface PersistentVolumeClaimProps {
  /** Name of the claim, a DNS-1123 subdomain. */
  readonly name: string;
  /** Requested capacity. */
  readonly storage: Size;
  /**
   * Access modes. A ReadWriteOnce (or ReadWriteOncePod) claim attaches to one node (one Pod):
   * only one Pod at a time may mount it (rule SW-VOL-004).
   * @default [AccessMode.READ_WRITE_ONCE]
   */
  readonly accessModes?: AccessMode[];
  /**
   * StorageClass to provision from, or "" for pre-provisioned volumes without a class.
   * @default - "" when `volumeName` or `selector` is set (so the cluster's default class is not
   * filled in and the claim can bind a volume without a class, rule SW-PV-006); otherwise the
   * cluster's default StorageClass
   */
  readonly storageClassName?: string;
  /**
   * Filesystem or raw block device; must match the volume's.
   * @default VolumeMode.FILESYSTEM
   */
  readonly volumeMode?: VolumeMode;
  /**
   * Bind only pre-provisioned volumes whose labels match (no dynamic provisioning).
   * @default - any volume of the class
   */
  readonly selector?: VolumeSelector;
  /**
   * Bind this PersistentVolume (e.g. one kept by the Retain policy, to reattach its data).
   * @default - any matching volume, or a new one from the StorageClass
   */
  readonly volumeName?: string;
  /**
   * Keep the claim (and so its data) when it disappears from Git: Argo CD neither prunes it nor
   * deletes it with the Application (`argocd.argoproj.io/sync-options: Prune=false,Delete=false`).
   * Deleting it is then an operator's deliberate act.
   * @default true
   */
  readonly keepOnPrune?: boolean;
}

/**
 * A standalone PersistentVolumeClaim, mountable by any workload with `PodVolume.claim(claim)`.
 * For one claim per replica use `StatefulService` `volumeClaims` instead.
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/#persistentvolumeclaims
 */
export class PersistentVolumeClaim extends Construct implements IPersistentVolumeClaim {
  /** The PersistentVolumeClaim object. */
  public readonly resource: k8s.KubePersistentVolumeClaim;
  /** Name of the claim. */
  public readonly claimName: string;
  /** Resolved access modes. */
  public readonly accessModes: readonly AccessMode[];
  /** Resolved volume mode. */
  public readonly volumeMode: VolumeMode;

  constructor(scope: Construct, id: string, props: PersistentVolumeClaimProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'PersistentVolumeClaimProps', props);
    const nameProblem = dns1123SubdomainProblem(props?.name);
    if (nameProblem) collector.report(Rules.PV_INVALID, 'name', props?.name, nameProblem);
    const storage = formatBytes(props?.storage);
    if (storage === undefined) collector.report(Rules.PV_INVALID, 'storage', props?.storage, 'must be a positive whole number of bytes (a Size)');
    const accessModes = checkAccessModes(collector, props?.accessModes);
    checkEnum(collector, 'volumeMode', props?.volumeMode, VolumeMode);
    if (props?.storageClassName !== undefined && props.storageClassName !== '') {
      const p = dns1123SubdomainProblem(props.storageClassName);
      if (p) collector.report(Rules.PV_INVALID, 'storageClassName', props.storageClassName, p);
    }
    if (props?.volumeName !== undefined) {
      const p = dns1123SubdomainProblem(props.volumeName);
      if (p) collector.report(Rules.PV_INVALID, 'volumeName', props.volumeName, p);
    }
    if (props?.keepOnPrune !== undefined && typeof props.keepOnPrune !== 'boolean') collector.report(Rules.PROPS_INVALID, 'keepOnPrune', props.keepOnPrune, 'must be true or false');
    const selector = checkSelector(collector, props?.selector);
    collector.commit();

    this.claimName = props.name;
    this.accessModes = accessModes;
    this.volumeMode = props.volumeMode ?? VolumeMode.FILESYSTEM;
    const storageClassName = props.storageClassName ?? (props.volumeName !== undefined || selector !== undefined ? '' : undefined);
    this.resource = new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: { [LabelKeys.MANAGED_BY]: MANAGED_BY },
        annotations: props.keepOnPrune ?? true ? { 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' } : undefined,
      },
      spec: {
        accessModes: [...accessModes],
        resources: { requests: { storage: k8s.Quantity.fromString(storage!) } },
        storageClassName,
        volumeMode: this.volumeMode,
        selector,
        volumeName: props.volumeName,
      },
    });
    if (props.volumeName !== undefined) {
      const volumeName = props.volumeName;
      this.node.addValidation({ validate: () => this.checkBinding(volumeName) });
    }
  }

  /**
   * The claim against the PersistentVolume constructs of the app it names (SW-PV-005), with the
   * audit's predicate: a volume outside the app (provisioned by ops) cannot be compared.
   */
  private checkBinding(volumeName: string): string[] {
    const findings: Finding[] = [];
    const claim = renderOnce(this.resource) as ReturnType<k8s.KubePersistentVolumeClaim['toJson']>;
    for (const volume of this.node.root.node.findAll()) {
      if (!(volume instanceof PersistentVolume) || volume.volumeName !== volumeName) continue;
      const problems = claimBindingProblems({ spec: claim.spec ?? {}, name: this.claimName, namespace: claim.metadata?.namespace ?? '' }, (renderOnce(volume.resource) as ReturnType<k8s.KubePersistentVolume['toJson']>).spec ?? {}, `PersistentVolume "${volumeName}" (${volume.node.path})`);
      for (const p of problems) findings.push(makeFinding(p.rule, this.node.path, CLAIM_PROPS[p.field] ?? p.field, p.value, p.problem));
    }
    // One SeaworthyError with every finding (rule ids included), like a construct's own errors.
    if (findings.length > 0) throw new SeaworthyError(findings);
    return [];
  }
}

/** The props of the claim's spec fields, for messages at synthesis. */
const CLAIM_PROPS: Record<string, string> = { 'resources.requests.storage': 'storage' };

function checkSelector(collector: FindingCollector, selector: VolumeSelector | undefined): k8s.LabelSelector | undefined {
  if (selector === undefined) return undefined;
  if (selector === null || typeof selector !== 'object') {
    collector.report(Rules.PV_INVALID, 'selector', selector, 'must be { matchLabels?, matchExpressions? }');
    return undefined;
  }
  checkLabels(collector, 'selector.matchLabels', selector.matchLabels);
  const expressions = selector.matchExpressions === undefined ? [] : Array.isArray(selector.matchExpressions) ? selector.matchExpressions : undefined;
  if (expressions === undefined) collector.report(Rules.PV_INVALID, 'selector.matchExpressions', selector.matchExpressions, 'must be a list of { key, operator, values }');
  (expressions ?? []).forEach((e, i) => {
    for (const p of selectorRequirementProblems(e)) collector.report(Rules.PV_INVALID, `selector.matchExpressions[${i}].${p.at}`, p.value, p.problem);
  });
  const matchLabels = selector.matchLabels && Object.keys(selector.matchLabels).length > 0 ? { ...selector.matchLabels } : undefined;
  const matchExpressions = expressions && expressions.length > 0 ? expressions.map(e => ({ key: e.key, operator: e.operator, values: e.values && e.values.length > 0 ? [...e.values] : undefined })) : undefined;
  if (!matchLabels && !matchExpressions) {
    collector.report(Rules.PV_INVALID, 'selector', selector, 'selects every volume: give matchLabels or matchExpressions, or leave selector out');
    return undefined;
  }
  return { matchLabels, matchExpressions };
}
