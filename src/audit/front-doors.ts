import { AuditInput } from './engine';
import { Flow, WorkloadExplanation } from './explain';
import { containersOf, KubeObject, objectRef } from './kube';
import { namespaceOf, ObjectIndex } from './object-index';
import { analyzeFrontDoor } from './reachability';

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

/**
 * Reads the front doors of one kind of object. `INGRESS_FRONT_DOORS` reads Ingresses; Gateway API
 * routes (HTTPRoute, GRPCRoute, …) are meant to be added as another source to `FRONT_DOOR_SOURCES`.
 */
export type FrontDoorSource = (ctx: FrontDoorContext) => ReportFrontDoor[];

/** Ingresses: every rule path and the default backend, resolved to Services and workloads. */
export const INGRESS_FRONT_DOORS: FrontDoorSource = ctx => ctx.inputs
  .filter(i => (i.object as KubeObject).kind === 'Ingress')
  .map(i => {
    const obj = i.object as KubeObject;
    const ns = namespaceOf(obj);
    const routes: FrontDoorRoute[] = [];
    const backend = (match: string, b: KubeObject | undefined) => {
      if (!b?.service?.name) {
        routes.push({ match, service: `${b?.resource?.kind ?? 'resource'}/${ns}/${b?.resource?.name ?? '?'}`, port: '', workloads: [], unreachable: 'the backend is not a Service' });
        return;
      }
      routes.push(serviceRoute(ctx, ns, match, String(b.service.name), b.service.port?.number ?? b.service.port?.name));
    };
    if (obj.spec?.defaultBackend) backend('default backend', obj.spec.defaultBackend);
    for (const rule of obj.spec?.rules ?? []) {
      for (const p of rule.http?.paths ?? []) backend(`${rule.host ?? '*'}${p.path ?? '/'} (${p.pathType ?? 'ImplementationSpecific'})`, p.backend);
    }
    const via = obj.spec?.ingressClassName ?? obj.metadata?.annotations?.['kubernetes.io/ingress.class'];
    return { ref: objectRef(obj), kind: 'Ingress', namespace: ns, name: String(obj.metadata?.name ?? '?'), group: ctx.group, file: i.file, line: i.line, via: via === undefined ? undefined : `IngressClass ${via}`, tls: (obj.spec?.tls?.length ?? 0) > 0, routes };
  });

/**
 * Gateway API routes (HTTPRoute, GRPCRoute), through the one reachability analysis the rules use
 * (`analyzeFrontDoor`, SW-REACH-*): each backendRef with the workloads it reaches, or the
 * missing link.
 */
export const ROUTE_FRONT_DOORS: FrontDoorSource = ctx => ctx.inputs
  .filter(i => ['HTTPRoute', 'GRPCRoute'].includes(String((i.object as KubeObject).kind)))
  .map(i => {
    const obj = i.object as KubeObject;
    const fd = analyzeFrontDoor(obj, ctx.index);
    const hosts = fd.hostnames.length > 0 ? fd.hostnames.join(', ') : '*';
    const listeners = fd.gateways.map(g => {
      const [gns, gname, section] = g.split('/');
      const gateway = ctx.index.get('Gateway', gns, gname);
      return ((gateway?.spec?.listeners ?? []) as KubeObject[]).filter(l => section === undefined || l.name === section);
    }).flat();
    const routes: FrontDoorRoute[] = fd.backends.map(b => {
      const rule = /^spec\.rules\[(\d+)\]/.exec(b.field);
      const paths = rule ? ((obj.spec?.rules?.[Number(rule[1])]?.matches ?? []) as KubeObject[]).map(m => m?.path?.value ?? (m?.method ? `${m.method.service ?? '*'}/${m.method.method ?? '*'}` : undefined)).filter((p): p is string => typeof p === 'string') : [];
      return {
        match: `${hosts}${paths.length > 0 ? ` ${paths.join(', ')}` : ''}`,
        service: `Service/${b.namespace}/${b.service}`,
        port: b.port === undefined ? '' : String(b.port),
        workloads: b.workloads,
        unreachable: b.reachable ? undefined : b.issues.map(x => x.problem).join('; ') || `Service "${b.service}" is in a namespace none of whose objects are here`,
      };
    });
    return {
      ref: fd.ref, kind: fd.kind, namespace: fd.namespace, name: fd.name, group: ctx.group, file: i.file, line: i.line,
      via: fd.gateways.length > 0 ? `Gateway ${fd.gateways.join(', ')}` : undefined,
      tls: listeners.length > 0 && listeners.every(l => l.protocol === 'HTTPS' || l.protocol === 'TLS'),
      routes,
    };
  });

/** The front-door sources the report draws: Ingresses and Gateway API routes. */
export const FRONT_DOOR_SOURCES: readonly FrontDoorSource[] = [INGRESS_FRONT_DOORS, ROUTE_FRONT_DOORS];

/** Every front door of the objects, group by group, with the workloads it reaches or why it reaches none. */
export function reportFrontDoors(inputs: readonly AuditInput[], workloads: readonly WorkloadExplanation[], sources: readonly FrontDoorSource[] = FRONT_DOOR_SOURCES): ReportFrontDoor[] {
  const groups = new Map<string, AuditInput[]>();
  for (const i of inputs) groups.set(i.group ?? '', [...(groups.get(i.group ?? '') ?? []), i]);
  const out: ReportFrontDoor[] = [];
  for (const [group, members] of groups) {
    const ctx: FrontDoorContext = { inputs: members, index: new ObjectIndex(members.map(m => m.object as KubeObject)), workloads: workloads.filter(w => w.facts.group === group), group };
    for (const source of sources) out.push(...source(ctx));
  }
  return out;
}

/**
 * A route to `service` on `port`: reachable when the Service exists, has the port, selects Pods,
 * and their NetworkPolicies let traffic from outside the namespace (where ingress controllers
 * and gateways run) reach the target port.
 */
export function serviceRoute(ctx: FrontDoorContext, ns: string, match: string, name: string, port: string | number | undefined): FrontDoorRoute {
  const service = `Service/${ns ? `${ns}/` : ''}${name}`;
  const base = { match, service, port: port === undefined ? '' : String(port) };
  const svc = ctx.index.get('Service', ns, name);
  if (!svc) return { ...base, workloads: [], unreachable: `Service "${name}" is not among the objects` };
  const svcPort = (svc.spec?.ports ?? []).find((sp: KubeObject) => port === undefined || sp.port === port || sp.name === port);
  if (!svcPort) return { ...base, workloads: [], unreachable: `Service "${name}" has no port ${port}` };
  if (svc.spec?.type === 'ExternalName') return { ...base, workloads: [], unreachable: undefined };
  const selected = svc.spec?.selector ? ctx.index.workloadsSelectedBy(ns, { matchLabels: svc.spec.selector }) : [];
  if (selected.length === 0) return { ...base, workloads: [], unreachable: `Service "${name}" selects no Pods` };
  const refs = selected.map(w => objectRef(w.obj));
  const blocked: string[] = [];
  for (const w of selected) {
    const target = svcPort.targetPort ?? svcPort.port;
    const numeric = typeof target === 'number' ? target : containersOf(w.template).flatMap(c => c.container.ports ?? []).find((p: KubeObject) => p.name === target)?.containerPort;
    const explained = ctx.workloads.find(x => x.ref === objectRef(w.obj));
    if (explained && !admitsOutside(explained.ingress, numeric, svcPort.protocol ?? 'TCP')) blocked.push(`${objectRef(w.obj)} admits no traffic from outside its namespace on ${numeric ?? target}/${svcPort.protocol ?? 'TCP'}`);
  }
  return { ...base, workloads: refs, unreachable: blocked.length === selected.length ? blocked.join('; ') : undefined };
}

/** Whether an ingress allows a peer outside the namespace (an ingress controller, a gateway) on the port. */
function admitsOutside(ingress: readonly Flow[] | 'anyone', port: number | undefined, protocol: string): boolean {
  if (ingress === 'anyone') return true;
  return ingress.some(f => /^(anyone|namespace |namespaces |ipBlock )/.test(f.peer) && (f.ports.length === 0 || f.ports.includes(`${port}/${protocol}`) || f.ports.includes(`*/${protocol}`)));
}
