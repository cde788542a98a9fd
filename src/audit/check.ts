import { Reporter } from '../rules/finding';
import { Rule } from '../rules/rule';
import { KubernetesTarget } from '../target/target';
import { KubeObject } from './kube';
import { ObjectIndex } from './object-index';

/** What a check sees: the index of all audited objects and a reporter bound to one object. */
export interface CheckContext {
  readonly index: ObjectIndex;
  /** The Kubernetes minor the manifests are judged against. */
  readonly target: KubernetesTarget;
  /** Reports a violation on the object being checked. */
  readonly reporter: Reporter;
  /** Where an object came from ("file:line"), if known. */
  where(target: KubeObject): string | undefined;
  /** Reports a violation on another object (cross-object rules). */
  reportOn(target: KubeObject, rule: Rule, field: string, value: unknown, problem: string): void;
  /** Whether the audited objects are the whole deployment (see `AuditOptions.complete`). */
  readonly complete: boolean;
  /**
   * Reports that something the object refers to or selects is not among the audited objects:
   * at the rule's severity in a complete set; in an open set an info saying the object may live
   * outside the audited files, so the rule cannot judge it.
   */
  notSeen(rule: Rule, field: string, value: unknown, problem: string): void;
}

/**
 * An object-level check and the rules it reports: it runs on the kinds those rules declare
 * (`checkKinds`), and reporting any other rule, or a rule on a kind it does not declare, is a bug
 * the tests catch (`SEAWORTHY_STRICT_CHECKS`).
 */
export interface ObjectCheck {
  /** The rules the check reports. */
  readonly rules: readonly Rule[];
  /**
   * Narrows the kinds the check runs on, for a check reporting a rule that other checks report on
   * other kinds too; a subset of its rules' kinds.
   * @default - every kind its rules declare
   */
  readonly kinds?: readonly string[];
  /** Reports the violations of `obj` through `ctx`. */
  readonly run: (obj: KubeObject, ctx: CheckContext) => void;
}

/** The kinds `check` runs on ("*" for all): its own narrowing, else every kind its rules declare. */
export function checkKinds(check: ObjectCheck): readonly string[] {
  return check.kinds ?? [...new Set(check.rules.flatMap(r => r.kinds))];
}
