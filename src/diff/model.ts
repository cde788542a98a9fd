import { AuditFinding, AuditInput } from '../audit/engine';
import { Profile } from '../rules/profile';
import { KubernetesVersion } from '../target/versions';

/** What a change to the manifests will do in the cluster, one class per section of the report. */
export enum ConsequenceClass {
  /** The API server refuses the update (an immutable field changed). */
  REJECTED = 'rejected',
  /** The object is deleted and created again (a rename, or a sync that replaces). */
  RECREATE = 'recreate',
  /** Pod-template changes that roll the workload's Pods. */
  RESTART = 'restart',
  /** Less availability: fewer replicas, budgets that block drains, probes or spread removed, traffic cut. */
  AVAILABILITY = 'availability',
  /** Deletions that take data with them. */
  DELETION = 'deletion',
  /** More exposure: outside-facing Services, new hosts, wider NetworkPolicies. */
  EXPOSURE = 'exposure',
}

/** The classes in report order, with their headings. */
export const CONSEQUENCE_CLASSES: ReadonlyArray<{ readonly cls: ConsequenceClass; readonly title: string }> = [
  { cls: ConsequenceClass.REJECTED, title: 'Will be rejected' },
  { cls: ConsequenceClass.RECREATE, title: 'Will recreate' },
  { cls: ConsequenceClass.DELETION, title: 'Deletes data' },
  { cls: ConsequenceClass.AVAILABILITY, title: 'Availability regressions' },
  { cls: ConsequenceClass.EXPOSURE, title: 'Changes of exposure' },
  { cls: ConsequenceClass.RESTART, title: 'Will restart Pods' },
];

/** How an object differs between the two sides. */
export type ChangeKind = 'created' | 'deleted' | 'changed';

/**
 * One consequence of the change: a finding of an `SW-DIFF-*` rule, located in the after file (the
 * before file for a deletion), with the field's value on both sides.
 */
export interface Consequence extends AuditFinding {
  /** The section it belongs to. */
  readonly consequenceClass: ConsequenceClass;
  /** Whether the object was created, deleted or changed. */
  readonly change: ChangeKind;
  /** The field's value before, rendered ("(unset)" when absent). */
  readonly before: string;
  /** The field's value after, rendered ("(unset)" when absent). */
  readonly after: string;
}

/** One object that differs between the sides. */
export interface ObjectChange {
  /** "Kind/namespace/name". */
  readonly object: string;
  readonly change: ChangeKind;
  /** The deployment group (directory relative to the side's root; "" for a single file or memory). */
  readonly group: string;
  /** The after file (the before file for a deletion). */
  readonly file?: string;
  readonly line?: number;
  /** Paths of the fields that differ (at most 20), for changed objects: `a.b[0]`, with `["key"]` for a key that is not plain, e.g. `metadata.labels["app.kubernetes.io/name"]`. */
  readonly fields: readonly string[];
}

/** Counts of the comparison. */
export interface DiffSummary {
  readonly created: number;
  readonly deleted: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Deleted-and-created pairs whose content is otherwise identical. */
  readonly renamed: number;
}

/** The result of `diffManifests()`: every consequence, every changed object, and counts. */
export interface DiffResult {
  /** The Kubernetes minor the change was judged for. */
  readonly kubernetesVersion: KubernetesVersion;
  readonly summary: DiffSummary;
  /** Consequences, in the order of CONSEQUENCE_CLASSES, then by file and line. */
  readonly consequences: readonly Consequence[];
  /** Objects created, deleted or changed, in file order. */
  readonly changes: readonly ObjectChange[];
}

/** An object of one side of the diff (as for `audit`); `group` keys which objects are deployed together. */
export type DiffInput = AuditInput;

/** Options of `diffManifests()`. */
export interface DiffOptions {
  /**
   * Profile deciding the severities.
   * @default Profile.PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * The cluster's Kubernetes minor: which fields are immutable and how rollouts run depend on it.
   * @default KubernetesTarget.DEFAULT
   */
  readonly kubernetesVersion?: KubernetesVersion;
  /**
   * The repository root that Argo CD Application source paths are relative to (to tell when an
   * Application's path loses its manifests).
   * @default - the current directory
   */
  readonly repoRoot?: string;
}
