import { KubeObject, podTemplateOf, PodTemplateRef, selects } from './kube';
import { objectIdentity } from '../synth/duplicates';

/** A workload with its Pod template, as cross-object rules look it up. */
export interface IndexedWorkload {
  readonly obj: KubeObject;
  readonly template: PodTemplateRef;
}

/**
 * The audited objects, indexed by namespace, kind and name, and workloads additionally by each
 * `key=value` of their Pod labels, so a selector is matched against the workloads sharing its
 * rarest label instead of against all of them: audits stay linear in the number of objects.
 */
export class ObjectIndex {
  private readonly byKey = new Map<string, KubeObject>();
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly workloadsByNs = new Map<string, IndexedWorkload[]>();
  /**
   * Workloads by namespace (as a string), label key, then label value (as a string): looked up
   * without building a key string per label pair, and never holding a workload twice.
   */
  private readonly workloadsByLabel = new Map<string, Map<string, Map<string, IndexedWorkload[]>>>();
  private readonly firstByIdentity = new Map<string, KubeObject>();
  private readonly earlier = new Map<KubeObject, KubeObject>();
  /** The last definition of each identity defined more than once. */
  private readonly lastRedefinition = new Map<string, KubeObject>();
  private readonly byNs = new Map<string, KubeObject[]>();
  private readonly byNsKind = new Map<string, KubeObject[]>();
  /**
   * By kind, then namespace (as given: `ofKindIn()` answers 5 and "5" alike, so two such entries
   * hold the same objects): the selectors of that kind in that namespace, and the `ownSelecting()`
   * answers by label map.
   */
  private readonly selectorIndexes = new Map<SelectorKind, Map<unknown, { readonly index: SelectorIndex; readonly answers: Map<object, readonly KubeObject[]> }>>();
  /** HorizontalPodAutoscalers by namespace, target kind and name (the first of each). */
  private hpas: Map<string, KubeObject> | undefined;
  /**
   * `podTemplateOf()` of each object, read once for the index and kept for the checks (about
   * seven of them ask for each workload's): the index lives for one audit, as do the answers.
   */
  private readonly templates = new Map<KubeObject, PodTemplateRef | undefined>();
  /** The last `ownWorkloadsSelectedBy()` question and its answer. */
  private lastSelected?: { readonly selector: object; readonly namespace: string; readonly answer: readonly IndexedWorkload[] };

  /**
   * @param fallback the index of the whole input when this one holds one group of it (the
   * files of one folder): a name or selector that finds nothing in the group is resolved there,
   * so an HorizontalPodAutoscaler in a sub-folder finds its Deployment, while alternative
   * examples in sibling folders are not related to each other when each finds its own.
   * @param identities `objectIdentity()` of each of `objects`, when the caller has them already.
   */
  constructor(objects: readonly KubeObject[], private readonly fallback?: ObjectIndex, identities?: ReadonlyArray<string | undefined>) {
    for (let i = 0; i < objects.length; i++) {
      const obj = objects[i];
      if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string') continue;
      const identity = identities ? identities[i] : objectIdentity(obj);
      if (identity !== undefined) {
        const first = this.firstByIdentity.get(identity);
        if (first) {
          this.earlier.set(obj, first);
          this.lastRedefinition.set(identity, obj);
        } else this.firstByIdentity.set(identity, obj);
      }
      const ns = namespaceOf(obj);
      this.byKey.set(key(obj.kind, ns, obj.metadata?.name), obj);
      push(this.byKind, obj.kind, obj);
      push(this.byNs, ns, obj);
      push(this.byNsKind, `${ns}\0${obj.kind}`, obj);
      // A group's objects are all in the whole input's index, which has read their templates.
      const template = this.fallback ? this.fallback.templateOf(obj) : podTemplateOf(obj);
      this.templates.set(obj, template);
      if (template) {
        const w = { obj, template };
        push(this.workloadsByNs, ns, w);
        const nsKey = `${ns}`;
        let byKey = this.workloadsByLabel.get(nsKey);
        if (!byKey) this.workloadsByLabel.set(nsKey, byKey = new Map());
        for (const [k, v] of Object.entries(template.labels)) {
          let byValue = byKey.get(k);
          if (!byValue) byKey.set(k, byValue = new Map());
          push(byValue, `${v}`, w);
        }
      }
    }
  }

  /** The object of `kind` named `name` in `namespace`, if audited. */
  public get(kind: string, namespace: string, name: string | undefined): KubeObject | undefined {
    return this.byKey.get(key(kind, namespace, name)) ?? this.fallback?.get(kind, namespace, name);
  }

  /**
   * `podTemplateOf(obj)`, the same answer each time within the audit (the objects do not change
   * during it): read once per object rather than once per check that needs it.
   */
  public templateOf(obj: KubeObject): PodTemplateRef | undefined {
    if (this.templates.has(obj)) return this.templates.get(obj);
    const found = this.fallback ? this.fallback.templateOf(obj) : podTemplateOf(obj);
    this.templates.set(obj, found);
    return found;
  }

  /**
   * Whether a later object of this index (not of its fallback) defines `obj`'s
   * group/kind/namespace/name (`identity`) again: applied in order, the later one replaces it.
   */
  public redefinedLater(obj: KubeObject, identity: string): boolean {
    const last = this.lastRedefinition.get(identity);
    return last !== undefined && last !== obj;
  }

  /** The first definition of the same group/kind/namespace/name, when `obj` defines it again. */
  public earlierDefinition(obj: KubeObject): KubeObject | undefined {
    return this.earlier.get(obj);
  }

  /** Every audited object of `kind`. */
  public ofKind(kind: string): readonly KubeObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Workloads in `namespace` whose Pod labels satisfy `selector`. */
  public workloadsSelectedBy(namespace: string, selector: KubeObject | undefined): readonly IndexedWorkload[] {
    const own = this.ownWorkloadsSelectedBy(namespace, selector);
    return own.length > 0 || !this.fallback ? own : this.fallback.workloadsSelectedBy(namespace, selector);
  }

  private ownWorkloadsSelectedBy(namespace: string, selector: KubeObject | undefined): readonly IndexedWorkload[] {
    if (!selector || typeof selector !== 'object') return [];
    // A budget's selector is asked for twice in a row (its own check, then its coverage): the last
    // answer is kept (nothing changes a selector during an audit). Keeping every answer cost more
    // memory than the questions asked again.
    const last = this.lastSelected;
    if (last !== undefined && last.selector === selector && last.namespace === namespace) return last.answer;
    const answer = Object.freeze(this.matchWorkloads(namespace, selector));
    this.lastSelected = { selector, namespace, answer };
    return answer;
  }

  private matchWorkloads(namespace: string, selector: KubeObject): IndexedWorkload[] {
    const labels = Object.entries(selector.matchLabels ?? {});
    let candidates = this.workloadsByNs.get(namespace) ?? [];
    const byKey = this.workloadsByLabel.get(`${namespace}`);
    for (const [k, v] of labels) {
      const withLabel = byKey?.get(k)?.get(`${v}`) ?? [];
      if (withLabel.length < candidates.length) candidates = withLabel;
    }
    return candidates.filter(w => selects(selector, w.template.labels));
  }

  /** Every audited object of `kind` in `namespace` ("" for unset). */
  public ofKindIn(kind: string, namespace: string): readonly KubeObject[] {
    return this.byNsKind.get(`${namespace}\0${kind}`) ?? [];
  }

  /** The PodDisruptionBudgets of `namespace` whose selector matches Pods labelled `labels`. */
  public budgetsCovering(namespace: string, labels: Record<string, string>): readonly KubeObject[] {
    return this.selecting('PodDisruptionBudget', namespace, labels);
  }

  /** The NetworkPolicies of `namespace` whose podSelector matches Pods labelled `labels`. */
  public policiesSelecting(namespace: string, labels: Record<string, string>): readonly KubeObject[] {
    return this.selecting('NetworkPolicy', namespace, labels);
  }

  /** The Services of `namespace` whose selector matches Pods labelled `labels`. */
  public servicesSelecting(namespace: string, labels: Record<string, string>): readonly KubeObject[] {
    return this.selecting('Service', namespace, labels);
  }

  /**
   * The objects of `kind` in `namespace` (as `ofKindIn()` groups them) whose selector matches
   * `labels`, in their order: found through the label pairs of `labels`, so a workload is matched
   * against the few selectors that can match it instead of against all of them.
   */
  private selecting(kind: SelectorKind, namespace: string, labels: Record<string, string>): readonly KubeObject[] {
    const own = this.ownSelecting(kind, namespace, labels);
    return own.length > 0 || !this.fallback ? own : this.fallback.selecting(kind, namespace, labels);
  }

  private ownSelecting(kind: SelectorKind, namespace: string, labels: Record<string, string>): readonly KubeObject[] {
    let byNamespace = this.selectorIndexes.get(kind);
    if (!byNamespace) this.selectorIndexes.set(kind, byNamespace = new Map());
    let entry = byNamespace.get(namespace);
    if (!entry) byNamespace.set(namespace, entry = { index: new SelectorIndex(this.ofKindIn(kind, namespace), SELECTOR_OF[kind]), answers: new Map() });
    const { index, answers } = entry;
    // Several checks ask for the same workload's labels (its budgets alone, three times): the
    // answer is kept per label map, which nothing changes during an audit.
    if (labels === null || typeof labels !== 'object') return index.matching(labels);
    let found = answers.get(labels);
    if (!found) answers.set(labels, found = Object.freeze(index.matching(labels)));
    return found;
  }

  /** The `spec.limits` items of every LimitRange in `namespace`. */
  public limitRangeItemsIn(namespace: string): KubeObject[] {
    return this.ofKindIn('LimitRange', namespace).flatMap(l => (Array.isArray(l.spec?.limits) ? l.spec.limits : []));
  }

  /** Every audited object in `namespace` ("" for unset). */
  public inNamespace(namespace: string): readonly KubeObject[] {
    return this.byNs.get(namespace) ?? [];
  }

  /** Workloads in `namespace`. */
  public workloadsIn(namespace: string): readonly IndexedWorkload[] {
    return this.workloadsByNs.get(namespace) ?? [];
  }

  /** The first HorizontalPodAutoscaler that scales `obj` (same namespace, kind and name), if any. */
  public hpaScaling(obj: KubeObject): KubeObject | undefined {
    return this.ownHpaScaling(obj) ?? this.fallback?.hpaScaling(obj);
  }

  private ownHpaScaling(obj: KubeObject): KubeObject | undefined {
    const scales = (h: KubeObject) => namespaceOf(h) === namespaceOf(obj) && h.spec?.scaleTargetRef?.kind === obj.kind && h.spec?.scaleTargetRef?.name === obj.metadata?.name;
    const ns = namespaceOf(obj);
    const name = obj?.metadata?.name;
    // Looked up by key when the three are strings (the key cannot tell 5 from "5"), else scanned.
    if (typeof ns !== 'string' || typeof obj.kind !== 'string' || typeof name !== 'string') return this.ofKind('HorizontalPodAutoscaler').find(scales);
    if (!this.hpas) {
      this.hpas = new Map();
      for (const h of this.ofKind('HorizontalPodAutoscaler')) {
        const [hns, ref] = [namespaceOf(h), h.spec?.scaleTargetRef];
        if (typeof hns !== 'string' || typeof ref?.kind !== 'string' || typeof ref?.name !== 'string') continue;
        const k = key(ref.kind, hns, ref.name);
        if (!this.hpas.has(k)) this.hpas.set(k, h);
      }
    }
    const found = this.hpas.get(key(obj.kind, ns, name));
    // A key is ambiguous only for names holding NUL; then the list decides.
    return found === undefined || scales(found) ? found : this.ofKind('HorizontalPodAutoscaler').find(scales);
  }
}

type SelectorKind = 'PodDisruptionBudget' | 'NetworkPolicy' | 'Service';

/** Where each kind keeps the selector that picks Pods (a Service's is a bare label map). */
const SELECTOR_OF: Readonly<Record<SelectorKind, (o: KubeObject) => KubeObject | undefined>> = {
  PodDisruptionBudget: o => o.spec?.selector,
  NetworkPolicy: o => o.spec?.podSelector,
  Service: o => (o.spec?.selector ? { matchLabels: o.spec.selector } : undefined),
};

/**
 * Selectors indexed by one label pair each requires (the first of their `matchLabels`), by key
 * then by value (as a string): the candidates for Pods labelled `labels` are the selectors filed
 * under one of their pairs, plus those requiring no pair. `selects()` decides among them, so a
 * filing that cannot tell values apart ("5" from 5) only adds candidates.
 */
class SelectorIndex {
  private readonly byPair = new Map<string, Map<string, number[]>>();
  private readonly unkeyed: number[] = [];
  /** Each object's selector, read once (a Service's is built around its label map). */
  private readonly selectors: Array<KubeObject | undefined>;

  constructor(private readonly objects: readonly KubeObject[], selectorOf: (o: KubeObject) => KubeObject | undefined) {
    this.selectors = objects.map(selectorOf);
    this.selectors.forEach((selector, i) => {
      // No selector (or not an object) selects nothing.
      if (!selector || typeof selector !== 'object') return;
      // The first pair only (not all of them, as Object.entries would list).
      const labels = selector.matchLabels ?? {};
      const first = Object.keys(labels)[0];
      if (first === undefined) {
        this.unkeyed.push(i);
        return;
      }
      let byValue = this.byPair.get(first);
      if (!byValue) this.byPair.set(first, byValue = new Map());
      push(byValue, String(labels[first]), i);
    });
  }

  /** The objects whose selector matches `labels`, in their order. */
  public matching(labels: Record<string, string>): KubeObject[] {
    // Candidates are few (most often the one budget or policy of a workload): gathered in a
    // list, sorted and deduplicated only when there are several.
    const positions = this.unkeyed.slice();
    for (const k of Object.keys(labels)) {
      const filed = this.byPair.get(k)?.get(String(labels[k]));
      if (filed) for (const i of filed) positions.push(i);
    }
    if (positions.length > 1) positions.sort((a, b) => a - b);
    const out: KubeObject[] = [];
    for (let j = 0; j < positions.length; j++) {
      const i = positions[j];
      if (j > 0 && positions[j - 1] === i) continue;
      if (selects(this.selectors[i], labels)) out.push(this.objects[i]);
    }
    return out;
  }
}

/** The object's namespace ("" when unset). */
export function namespaceOf(obj: KubeObject): string {
  return obj?.metadata?.namespace ?? '';
}

/** The HorizontalPodAutoscaler in `index` that scales `obj` (same namespace, kind and name), if any. */
export function hpaOf(obj: KubeObject, index: ObjectIndex): KubeObject | undefined {
  return index.hpaScaling(obj);
}

/**
 * The VerticalPodAutoscaler in `index` that sizes `obj`'s Pods (same namespace, targetRef kind
 * and name), if any. Several for one controller are an ambiguity the VPA itself refuses to act
 * on; the first is returned.
 */
export function vpaOf(obj: KubeObject, index: ObjectIndex): KubeObject | undefined {
  return index.ofKindIn('VerticalPodAutoscaler', namespaceOf(obj)).find(v => v.spec?.targetRef?.kind === obj.kind && v.spec?.targetRef?.name === obj.metadata?.name);
}

function key(kind: string, ns: string, name: string | undefined): string {
  return `${kind}\0${ns}\0${name ?? ''}`;
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}
