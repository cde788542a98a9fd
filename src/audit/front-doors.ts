import { AuditInput } from './engine';
import { WorkloadExplanation } from './explain';
import { KubeObject } from './kube';
import { ObjectIndex } from './object-index';
import { analyzeFrontDoor, FRONT_DOOR_KINDS, FrontDoor } from './reachability';

/** A way into the cluster from outside (an Ingress; Gateway API routes plug in as another source). */
export interface ReportFrontDoor {
  /** "Kind/namespace/name", e.g. "Ingress/shop/web". */
  readonly ref: string;
  readonly kind: string;
  /** "" when the object has no namespace. */
  readonly namespace: string;
  readonly name: string;
  /** The group (directory) it was read from, as `AuditInput.group`; "" for one group. */
  readonly group: string;
  readonly file?: string;
  readonly line?: number;
  /** e.g. the IngressClass, or the Gateway a route attaches to. */
  readonly via?: string;
  /** Whether traffic is encrypted up to the front door. */
  readonly tls: boolean;
  readonly routes: readonly FrontDoorRoute[];
}

/** One match of a front door and where it sends the traffic. */
export interface FrontDoorRoute {
  /** e.g. "shop.example.com/ (Prefix)", or "default backend". */
  readonly match: string;
  /** "Service/namespace/name" of the backend. */
  readonly service: string;
  /** The backend port as written (number or name). */
  readonly port: string;
  /** "Kind/namespace/name" of the workloads whose Pods receive the traffic. */
  readonly workloads: readonly string[];
  /** Why no request gets through, when none does; undefined when the route reaches its Pods. */
  readonly unreachable?: string;
}

/** What a front-door source reads: one group's objects and its workloads, explained. */
export interface FrontDoorContext {
  readonly inputs: readonly AuditInput[];
  readonly index: ObjectIndex;
  readonly workloads: readonly WorkloadExplanation[];
  readonly group: string;
}

/** Reads the front doors of one kind of object (`FRONT_DOOR_SOURCES` lists them). */
export type FrontDoorSource = (ctx: FrontDoorContext) => ReportFrontDoor[];

/** The routes of a front door, each with the workloads it reaches or the missing links. */
function routesOf(fd: FrontDoor, match: (field: string) => string): FrontDoorRoute[] {
  return fd.backends.map(b => ({
    match: match(b.field),
    service: `Service/${b.namespace}/${b.service}`,
    port: b.port === undefined ? '' : String(b.port),
    workloads: b.workloads,
    unreachable: b.reachable ? undefined : b.issues.map(x => x.problem).join('; ') || `Service "${b.service}" is in a namespace none of whose objects are here`,
  }));
}

/**
 * Ingresses and Gateway API routes (HTTPRoute, GRPCRoute), through the one reachability analysis
 * the rules use (`analyzeFrontDoor`, SW-REACH-*): each backend with the workloads it reaches, or
 * the missing link.
 */
export const FRONT_DOORS: FrontDoorSource = ctx => ctx.inputs
  .filter(i => FRONT_DOOR_KINDS.includes(String((i.object as KubeObject).kind)))
  .map(i => {
    const obj = i.object as KubeObject;
    const fd = analyzeFrontDoor(obj, ctx.index);
    const base = { ref: fd.ref, kind: fd.kind, namespace: fd.namespace, name: fd.name, group: ctx.group, file: i.file, line: i.line };
    if (obj.kind === 'Ingress') {
      const match = (field: string) => {
        const at = /^spec\.rules\[(\d+)\]\.http\.paths\[(\d+)\]/.exec(field);
        if (!at) return 'default backend';
        const rule = obj.spec.rules[Number(at[1])];
        const path = rule.http.paths[Number(at[2])];
        return `${rule.host ?? '*'}${path.path ?? '/'} (${path.pathType ?? 'ImplementationSpecific'})`;
      };
      const via = obj.spec?.ingressClassName ?? obj.metadata?.annotations?.['kubernetes.io/ingress.class'];
      return { ...base, via: via === undefined ? undefined : `IngressClass ${via}`, tls: (obj.spec?.tls?.length ?? 0) > 0, routes: routesOf(fd, match) };
    }
    const hosts = fd.hostnames.length > 0 ? fd.hostnames.join(', ') : '*';
    const match = (field: string) => {
      const rule = /^spec\.rules\[(\d+)\]/.exec(field);
      const paths = rule ? ((obj.spec?.rules?.[Number(rule[1])]?.matches ?? []) as KubeObject[]).map(m => m?.path?.value ?? (m?.method ? `${m.method.service ?? '*'}/${m.method.method ?? '*'}` : undefined)).filter((p): p is string => typeof p === 'string') : [];
      return `${hosts}${paths.length > 0 ? ` ${paths.join(', ')}` : ''}`;
    };
    const listeners = fd.gateways.flatMap(g => {
      const [gns, gname, section] = g.split('/');
      return ((ctx.index.get('Gateway', gns, gname)?.spec?.listeners ?? []) as KubeObject[]).filter(l => section === undefined || l.name === section);
    });
    return {
      ...base,
      via: fd.gateways.length > 0 ? `Gateway ${fd.gateways.join(', ')}` : undefined,
      tls: listeners.length > 0 && listeners.every(l => l.protocol === 'HTTPS' || l.protocol === 'TLS'),
      routes: routesOf(fd, match),
    };
  });

/** The front-door sources the report draws: Ingresses and Gateway API routes. */
export const FRONT_DOOR_SOURCES: readonly FrontDoorSource[] = [FRONT_DOORS];

/** Every front door of the objects, group by group, with the workloads it reaches or why it reaches none. */
export function reportFrontDoors(inputs: readonly AuditInput[], workloads: readonly WorkloadExplanation[], sources: readonly FrontDoorSource[] = FRONT_DOOR_SOURCES): ReportFrontDoor[] {
  const groups = new Map<string, AuditInput[]>();
  for (const i of inputs) {
    // Appended in place: copying the group's list for each object made this quadratic.
    const members = groups.get(i.group ?? '');
    if (members) members.push(i);
    else groups.set(i.group ?? '', [i]);
  }
  const out: ReportFrontDoor[] = [];
  for (const [group, members] of groups) {
    const ctx: FrontDoorContext = { inputs: members, index: new ObjectIndex(members.map(m => m.object as KubeObject)), workloads: workloads.filter(w => w.facts.group === group), group };
    for (const source of sources) out.push(...source(ctx));
  }
  return out;
}
