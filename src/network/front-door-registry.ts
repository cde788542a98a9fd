import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { KubeObject, objectRef } from '../audit/kube';
import { ObjectIndex } from '../audit/object-index';
import { analyzeFrontDoor, FrontDoorIssue } from '../audit/reachability';
import { makeFinding } from '../rules/finding';
import { manifestErrorsOf } from '../rules/findings-reader';
import { WORKLOAD_KINDS } from '../rules/rule';
import { renderJson } from '../synth/own-keys';
import type { GatewayRef } from './gateway';
import type { Peer } from './peer';

/**
 * Where front doors built by seaworthy are checked for reachability at synthesis: each registers
 * here; the first validation of a synthesis (on the app root, which cdk8s validates first)
 * renders the objects the analysis needs once, and analyzes every registered front door; each
 * front door's own validation then reports its findings under its construct path. One rendering
 * per synthesis, whatever the number of front doors.
 */

const RELEVANT = new Set(['Service', 'NetworkPolicy', 'Namespace', 'ReferenceGrant', 'Gateway', 'Ingress', 'HTTPRoute', 'GRPCRoute', 'ServiceMonitor', 'PodMonitor', ...WORKLOAD_KINDS]);

/** What a registered object is checked with: the front-door analysis, unless another is given. */
type Analyzer = (obj: KubeObject, index: ObjectIndex) => readonly FrontDoorIssue[];
const frontDoorIssues: Analyzer = (obj, index) => analyzeFrontDoor(obj, index).backends.flatMap(b => b.issues);

class Registry {
  private readonly doors: { construct: IConstruct; resource: ApiObject; analyze: Analyzer }[] = [];
  private results = new Map<ApiObject, { readonly ref: string; readonly issues: readonly FrontDoorIssue[] }>();

  constructor(root: IConstruct) {
    root.node.addValidation({ validate: () => this.analyze(root) });
  }

  public add(construct: IConstruct, resource: ApiObject, analyze: Analyzer): void {
    this.doors.push({ construct, resource, analyze });
    construct.node.addValidation({ validate: () => this.messages(construct, resource) });
  }

  private analyze(root: IConstruct): string[] {
    const objects: KubeObject[] = [];
    const rendered = new Map<ApiObject, KubeObject>();
    for (const c of root.node.findAll()) {
      if (c instanceof ApiObject && RELEVANT.has(c.kind)) {
        const json = renderJson(c) as KubeObject;
        objects.push(json);
        rendered.set(c, json);
      }
    }
    const index = new ObjectIndex(objects);
    this.results = new Map(this.doors.map(d => {
      const obj = rendered.get(d.resource);
      return [d.resource, { ref: obj ? objectRef(obj) : '', issues: obj ? d.analyze(obj, index) : [] }];
    }));
    return [];
  }

  /**
   * The issues of `resource`, reported under `construct`; those the manifest rules' validation
   * already reports as errors (the same rule on the same object and field) are left to it.
   */
  private messages(construct: IConstruct, resource: ApiObject): string[] {
    const result = this.results.get(resource);
    if (!result) return [];
    const reported = new Set(manifestErrorsOf(construct.node.root).map(f => `${f.rule.id}\0${f.field}`));
    return result.issues
      .filter(i => !reported.has(`${i.rule.id}\0${result.ref} ${i.field}`))
      .map(i => makeFinding(i.rule, construct.node.path, i.field, i.value, i.problem).message);
  }
}

const registries = new WeakMap<IConstruct, Registry>();

/**
 * Has `resource` (an Ingress or route made by `construct`) checked for reachability at synthesis;
 * with `analyze`, any object checked against the rendered Services, workloads and policies (a monitor).
 */
export function registerFrontDoor(construct: IConstruct, resource: ApiObject, analyze: Analyzer = frontDoorIssues): void {
  const root = construct.node.root;
  let registry = registries.get(root);
  if (!registry) {
    registry = new Registry(root);
    registries.set(root, registry);
  }
  registry.add(construct, resource, analyze);
}

/** What a Tenant declares once for every front door of its services. */
export interface FrontDoorDefaults {
  /** Gateways the Tenant's routes may attach to; the first is the default. */
  readonly gateways?: readonly GatewayRef[];
  /** The ingress controller's Pods, admitted by `addIngress()`. */
  readonly ingressController?: Peer;
}

const defaults = new WeakMap<Chart, FrontDoorDefaults>();

/** Records a chart's front-door defaults (called by `Tenant`). */
export function setFrontDoorDefaults(chart: Chart, value: FrontDoorDefaults): void {
  defaults.set(chart, value);
}

/** The front-door defaults of the chart holding `scope`. */
export function frontDoorDefaultsOf(scope: IConstruct): FrontDoorDefaults {
  return defaults.get(Chart.of(scope)) ?? {};
}
