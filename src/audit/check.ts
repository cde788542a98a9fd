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
}

/** An object-level check and the kinds it runs on ("*" for all). */
export interface ObjectCheck {
  readonly kinds: readonly string[];
  readonly run: (obj: KubeObject, ctx: CheckContext) => void;
}
