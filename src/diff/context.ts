import { KubeObject } from '../audit/kube';
import { ObjectIndex } from '../audit/object-index';
import { Rule } from '../rules/rule';
import { KubernetesTarget } from '../target/target';
import { ConsequenceClass, DiffInput } from './model';

/** One object of one side, with where it came from. */
export interface Entry {
  readonly obj: KubeObject;
  readonly input: DiffInput;
  /** group, API group, kind, namespace and name. */
  readonly key: string;
  readonly group: string;
}

/** Both sides of one deployment group: the objects, indexed. */
export interface GroupSides {
  readonly before: ObjectIndex;
  readonly after: ObjectIndex;
  /** Entries by key on each side. */
  readonly beforeByKey: ReadonlyMap<string, Entry>;
  readonly afterByKey: ReadonlyMap<string, Entry>;
}

/** Reports a consequence on `on` (an entry of either side): the rule, its class, the field, its values and the problem. */
export type Report = (on: Entry, rule: Rule, cls: ConsequenceClass, field: string, before: unknown, after: unknown, problem: string) => void;

/** What a consequence check sees for an object present on both sides. */
export interface PairContext {
  readonly before: Entry;
  readonly after: Entry;
  readonly sides: GroupSides;
  readonly target: KubernetesTarget;
  readonly report: Report;
}

/** The object key of `obj` within `group`: API group, kind, namespace, name. */
export function objectKey(group: string, obj: KubeObject): string {
  const api = String(obj.apiVersion ?? '');
  return `${group}\0${api.includes('/') ? api.split('/')[0] : ''}\0${obj.kind}\0${obj.metadata?.namespace ?? ''}\0${obj.metadata?.name ?? ''}`;
}

/** The Argo CD annotation whose `Replace=true` makes a sync replace objects instead of applying them. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/** Whether Argo CD replaces (delete + create) this object instead of applying it. */
export function replacedOnSync(obj: KubeObject): boolean {
  const options = obj.metadata?.annotations?.[SYNC_OPTIONS_ANNOTATION];
  return typeof options === 'string' && options.split(',').some(o => o.trim() === 'Replace=true');
}
