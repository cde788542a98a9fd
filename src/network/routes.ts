import { ApiObject, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import * as gw from '../../imports/gateway-api';
import { unmatchedHostnames } from '../audit/hostnames';
import { FRONT_DOOR_PEER_ANNOTATION, GATEWAY_GROUP, hostnameProblem } from '../audit/reachability';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { carriedMap } from '../synth/own-keys';
import { dns1123LabelProblem, kindOf } from '../validation/names';
import { Workload } from '../workloads/workload';
import { frontDoorDefaultsOf, registerFrontDoor } from './front-door-registry';
import { GatewayRef, peerJson } from './gateway';
import { admitPeer } from './isolation';
import { Peer } from './peer';

/**
 * Admits a front door's peer (a Gateway's data plane, an ingress controller) to the workload's
 * Pods on `port` (TCP), once per peer and port.
 * @internal
 */
export function admitFrontDoorPeer(workload: Workload, peer: Peer, port: number): void {
  admitPeer(workload, peer, port);
}

/** What every route takes, HTTP or gRPC. */
export interface RouteOptions {
  /**
   * The Gateway (or one listener of it) the route attaches to: `Gateway.fromRef(ns, name, { sectionName })`
   * or `gateway.listener(name)`. Its data-plane Pods are admitted to the workload's Pods on the served port.
   * @default - the first of the Tenant's `gateways`
   */
  readonly gateway?: GatewayRef;
  /**
   * Host names the route serves (lowercase DNS names, optionally "*." first; at most 16).
   * @default - every host name of the listener
   */
  readonly hostnames?: string[];
  /**
   * Name of the route.
   * @default - the (first) workload's name
   */
  readonly name?: string;
  /**
   * The Service port traffic goes to, by name; the backendRef carries its number (the Gateway API
   * references Service ports by number only), derived, never retyped.
   * @default - the workload's main port
   */
  readonly portName?: string;
}

/** Options of `addRoute()`: an HTTPRoute. */
export interface HttpRouteOptions extends RouteOptions {
  /**
   * Path prefixes routed to the workload (each starting with "/"; at most 64).
   * @default ["/"]
   */
  readonly paths?: string[];
  /**
   * Time the Gateway allows for the whole request, retries included (`timeouts.request`).
   * @default - the implementation's default (often none)
   * @see https://gateway-api.sigs.k8s.io/api-types/httproute/#timeouts-optional
   */
  readonly timeout?: Duration;
  /**
   * Time the Gateway allows for one request to the backend (`timeouts.backendRequest`); at most `timeout`.
   * @default - the implementation's default
   */
  readonly backendTimeout?: Duration;
}

/**
 * Options of `addGrpcRoute()`: a GRPCRoute. The Gateway API standard channel (v1.6.1) has no
 * timeouts or retries on GRPCRoute; set them on the Gateway implementation.
 */
export interface GrpcRouteOptions extends RouteOptions {
  /**
   * Fully qualified gRPC services routed to the workload, e.g. "shop.v1.Orders" (at most 64).
   * @default - every service
   */
  readonly services?: string[];
}

/**
 * A workload with a Service that routes send traffic to: a `WebService` or `StatefulService` (any
 * `ServiceExposure`). Declared here so that routes do not import the workloads that create them
 * (`addRoute()`).
 */
export interface IServiceWorkload extends IConstruct {
  /** The Service in front of the workload's Pods. */
  readonly service: kplus.Service;
}

/** A workload with a Service, as the route resolves it. */
type ServiceWorkload = Workload & IServiceWorkload;

/** A backend of a standalone route. */
export interface RouteBackend {
  /**
   * The workload whose Service receives the traffic, in any namespace: a Service in another
   * namespace than the route's gets a ReferenceGrant of its own, in its namespace, allowing the
   * route's kind and namespace to reference that Service only.
   */
  readonly workload: IServiceWorkload;
  /**
   * Share of the traffic, relative to the other backends (canaries, blue/green).
   * @default 1
   */
  readonly weight?: number;
}

/** Props of a standalone `HttpRoute`. */
export interface HttpRouteProps extends HttpRouteOptions {
  /** The workloads traffic goes to (at most 16). */
  readonly backends: RouteBackend[];
}

/** Props of a standalone `GrpcRoute`. */
export interface GrpcRouteProps extends GrpcRouteOptions {
  /** The workloads traffic goes to (at most 16). */
  readonly backends: RouteBackend[];
}

interface ResolvedBackend {
  readonly workload: ServiceWorkload;
  readonly namespace: string;
  readonly service: string;
  readonly servicePort: number;
  readonly targetPort: number;
  readonly weight?: number;
}

/**
 * What HTTP and gRPC routes share: validation, the parentRef, backendRefs to Service ports,
 * the NetworkPolicy opening for the Gateway's data plane, a ReferenceGrant per backend Service in
 * another namespace (per route kind and route namespace, naming only that Service), and the
 * reachability check at synthesis.
 */
abstract class Route extends Construct {
  /** The Gateway (listener) the route attaches to. */
  public readonly gateway: GatewayRef;
  /** Name of the route. */
  public readonly name: string;
  /** Namespace of the route. */
  public readonly namespace: string;
  /** The L1 route. */
  public abstract readonly resource: ApiObject;

  protected readonly backends: readonly ResolvedBackend[];
  protected readonly hostnames?: string[];

  protected constructor(scope: Construct, id: string, props: RouteOptions & { readonly backends: RouteBackend[] }, protected readonly kind: 'HTTPRoute' | 'GRPCRoute', check: (collector: FindingCollector) => void) {
    super(scope, id);
    const collector = new FindingCollector(this);
    if (props === null || typeof props !== 'object') {
      collector.report(Rules.PROPS_INVALID, 'props', props, 'must be an object');
      collector.commit();
    }
    this.namespace = Chart.of(this).namespace ?? '';
    const defaults = frontDoorDefaultsOf(this);
    const gateway = props.gateway ?? defaults.gateways?.[0];
    if (!(gateway instanceof GatewayRef)) {
      collector.report(Rules.PROPS_INVALID, 'gateway', gateway, props.gateway === undefined
        ? 'no Gateway given and the Tenant declares none; pass Gateway.fromRef(namespace, name) or set the Tenant\'s gateways'
        : 'must be created with Gateway.fromRef() or gateway.listener()');
    }
    if (!this.namespace) collector.report(Rules.PROPS_INVALID, 'scope', Chart.of(this).node.path, 'the route must be in a chart with a namespace');
    checkHostnames(props.hostnames, collector);
    const backends = resolveBackends(props.backends, this.namespace, props.portName, collector);
    const name = props.name ?? backends[0]?.workload.pod.name;
    const nameProblem = dns1123LabelProblem(name);
    if (nameProblem) collector.report(Rules.NAME_INVALID, 'name', name, nameProblem);
    check(collector);
    if (gateway instanceof GatewayRef) checkAttachment(gateway, this.namespace, defaults.gateways, props.hostnames, collector);
    collector.commit();

    this.gateway = gateway!;
    this.name = name!;
    this.backends = backends;
    this.hostnames = props.hostnames;
  }

  /** Finishes the route after the subclass created `resource`: opens policies, grants, registers the check. */
  protected finish(): void {
    for (const b of this.backends) {
      openPolicy(b.workload, this.gateway, b.targetPort);
      if (b.namespace !== this.namespace) grant(b.workload, this.kind, this.namespace, b.service);
    }
    registerFrontDoor(this, this.resource);
  }

  /** Metadata of the route. */
  protected metadata(): { name: string; labels: Record<string, string>; annotations?: Record<string, string> } {
    const first = this.backends[0]?.workload;
    return {
      name: this.name,
      labels: first ? carriedMap(this, first.labels) : {},
      annotations: this.gateway.customDataPlane ? { [FRONT_DOOR_PEER_ANNOTATION]: peerJson(this.gateway.dataPlane.selector, this.gateway.namespace) } : undefined,
    };
  }

  /** The parentRefs. */
  protected parentRefs(): gw.HttpRouteSpecParentRefs[] {
    const g = this.gateway;
    return [{ name: g.name, namespace: g.namespace === this.namespace ? undefined : g.namespace, sectionName: g.sectionName }];
  }

  /** The backendRefs: each workload's Service port, by number (fields HTTP and gRPC routes share). */
  protected backendRefs(): Array<{ name: string; namespace?: string; port: number; weight?: number }> {
    return this.backends.map(b => ({ name: b.service, namespace: b.namespace === this.namespace ? undefined : b.namespace, port: b.servicePort, weight: b.weight }));
  }
}

/**
 * An HTTPRoute publishing workloads through a Gateway: path prefixes and host names to the
 * workloads' Service ports, with request and backend timeouts. `web.addRoute()` is the usual way.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 */
export class HttpRoute extends Route {
  /** The L1 HTTPRoute. */
  public readonly resource: gw.HttpRoute;

  constructor(scope: Construct, id: string, props: HttpRouteProps) {
    super(scope, id, props, 'HTTPRoute', collector => {
      checkList(props.paths, 'paths', 64, collector, p => (typeof p === 'string' && p.startsWith('/') && !/\s/.test(p) ? undefined : 'must start with "/" and contain no whitespace'));
      checkTimeouts(props.timeout, props.backendTimeout, collector);
    });
    const timeouts = props.timeout || props.backendTimeout ? { request: props.timeout ? gatewayDuration(props.timeout) : undefined, backendRequest: props.backendTimeout ? gatewayDuration(props.backendTimeout) : undefined } : undefined;
    this.resource = new gw.HttpRoute(this, 'Resource', {
      metadata: this.metadata(),
      spec: {
        parentRefs: this.parentRefs(),
        hostnames: this.hostnames,
        rules: [{
          matches: (props.paths ?? ['/']).map(value => ({ path: { type: gw.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value } })),
          backendRefs: this.backendRefs(),
          timeouts,
        }],
      },
    });
    this.finish();
  }
}

/**
 * A GRPCRoute publishing gRPC workloads through a Gateway (listeners speaking HTTP/2).
 * `grpc.addGrpcRoute()` is the usual way.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/grpcroute/
 */
export class GrpcRoute extends Route {
  /** The L1 GRPCRoute. */
  public readonly resource: gw.GrpcRoute;

  constructor(scope: Construct, id: string, props: GrpcRouteProps) {
    super(scope, id, props, 'GRPCRoute', collector => {
      checkList(props.services, 'services', 64, collector, s => (typeof s === 'string' && /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(s) && s.length <= 1024 ? undefined : 'must be a fully qualified gRPC service name such as "shop.v1.Orders"'));
      for (const key of ['timeout', 'backendTimeout', 'paths']) {
        const v = (props as unknown as Record<string, unknown>)[key];
        if (v !== undefined) collector.report(Rules.PROPS_INVALID, key, v, 'GRPCRoute has no such field in the Gateway API standard channel');
      }
    });
    this.resource = new gw.GrpcRoute(this, 'Resource', {
      metadata: this.metadata(),
      spec: {
        parentRefs: this.parentRefs(),
        hostnames: this.hostnames,
        rules: [{
          matches: props.services?.map(service => ({ method: { type: gw.GrpcRouteSpecRulesMatchesMethodType.EXACT, service } })),
          backendRefs: this.backendRefs(),
        }],
      },
    });
    this.finish();
  }
}

function checkList(list: unknown, field: string, max: number, collector: FindingCollector, problemOf: (v: unknown) => string | undefined): void {
  if (list === undefined) return;
  if (!Array.isArray(list) || list.length === 0 || list.length > max) {
    collector.report(list === undefined || Array.isArray(list) ? Rules.ROUTE_INVALID : Rules.PROPS_INVALID, field, list, `must be a list of 1 to ${max} entries (leave it unset for the default)`);
    return;
  }
  list.forEach((v, i) => {
    const problem = problemOf(v);
    if (problem) collector.report(Rules.ROUTE_INVALID, `${field}[${i}]`, v, problem);
  });
}

function checkHostnames(hostnames: unknown, collector: FindingCollector): void {
  if (hostnames === undefined) return;
  if (!Array.isArray(hostnames) || hostnames.length === 0 || hostnames.length > 16) {
    collector.report(Rules.ROUTE_HOSTNAME_INVALID, 'hostnames', hostnames, `must be a list of 1 to 16 host names, got ${kindOf(hostnames)}${Array.isArray(hostnames) ? ` of ${hostnames.length}` : ''}`);
    return;
  }
  hostnames.forEach((h, i) => {
    const problem = hostnameProblem(h);
    if (problem) collector.report(Rules.ROUTE_HOSTNAME_INVALID, `hostnames[${i}]`, h, problem);
  });
}

function checkTimeouts(timeout: unknown, backendTimeout: unknown, collector: FindingCollector): void {
  const ms = (field: string, v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    if (!(v instanceof Duration)) {
      collector.report(Rules.PROPS_INVALID, field, v, 'must be a Duration, e.g. Duration.seconds(10)');
      return undefined;
    }
    const n = v.toMilliseconds();
    if (!Number.isInteger(n) || n < 1 || n >= 100_000 * 3_600_000) {
      collector.report(Rules.ROUTE_INVALID, field, `${n}ms`, 'must be a whole number of milliseconds, at least 1ms');
      return undefined;
    }
    return n;
  };
  const request = ms('timeout', timeout);
  const backend = ms('backendTimeout', backendTimeout);
  if (request !== undefined && backend !== undefined && backend > request) {
    collector.report(Rules.ROUTE_INVALID, 'backendTimeout', `${backend}ms`, `must not be longer than 'timeout' (${request}ms)`);
  }
}

/** A Duration as a Gateway API duration (GEP-2257): "30s", "1500ms", "1h". */
export function gatewayDuration(d: Duration): string {
  let ms = d.toMilliseconds();
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(ms / size);
    if (n > 0) parts.push(`${n}${unit}`);
    ms -= n * size;
  }
  return parts.join('') || '0s';
}

function resolveBackends(backends: unknown, routeNs: string, portName: unknown, collector: FindingCollector): ResolvedBackend[] {
  if (!Array.isArray(backends) || backends.length === 0 || backends.length > 16) {
    collector.report(Rules.PROPS_INVALID, 'backends', backends, 'must list 1 to 16 backends ({ workload })');
    return [];
  }
  if (portName !== undefined && typeof portName !== 'string') collector.report(Rules.PROPS_INVALID, 'portName', portName, 'must be the name of a Service port');
  return backends.flatMap((b: RouteBackend, i): ResolvedBackend[] => {
    const w: unknown = b?.workload;
    if (!(w instanceof Workload) || !('service' in w)) {
      collector.report(Rules.PROPS_INVALID, `backends[${i}].workload`, w, 'must be a workload with a Service (WebService, StatefulService)');
      return [];
    }
    const workload = w as ServiceWorkload;
    if (b.weight !== undefined && (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 1_000_000)) collector.report(Rules.ROUTE_INVALID, `backends[${i}].weight`, b.weight, 'must be a whole number from 0 to 1000000');
    const service = workload.service;
    const main = workload.pod.ports.find(p => p.number === workload.pod.mainPort);
    const wanted = typeof portName === 'string' ? portName : main?.name;
    const port = service.ports.find(p => p.name === wanted);
    if (!port) {
      collector.report(Rules.PROPS_INVALID, 'portName', wanted, `is not a port of Service "${service.name}" (${service.ports.map(p => p.name).join(', ')})`);
      return [];
    }
    const namespace = Chart.of(workload).namespace ?? routeNs;
    return [{ workload, namespace, service: service.name, servicePort: port.port, targetPort: Number(port.targetPort ?? port.port), weight: b.weight }];
  });
}

function checkAttachment(gateway: GatewayRef, routeNs: string, allowed: readonly GatewayRef[] | undefined, hostnames: unknown, collector: FindingCollector): void {
  if (allowed && allowed.length > 0 && !allowed.some(a => a.sameGateway(gateway) && (a.sectionName === undefined || a.sectionName === gateway.sectionName))) {
    collector.report(Rules.ROUTE_GATEWAY_NOT_ALLOWED, 'gateway', gateway.toString(), `the Tenant allows ${allowed.map(a => a.toString()).join(', ')} only`);
  }
  const g = gateway.gateway;
  if (!g) return;
  const listeners = g.listeners.filter(l => gateway.sectionName === undefined || l.name === gateway.sectionName);
  if (listeners.length === 0) {
    collector.report(Rules.ROUTE_NOT_ADMITTED, 'gateway', gateway.toString(), `Gateway ${g.namespace}/${g.name} has no listener "${gateway.sectionName}" (${g.listenerNames.join(', ')})`);
  }
  if (!g.routeNamespaces.includes(routeNs)) {
    collector.report(Rules.ROUTE_NOT_ADMITTED, 'gateway', gateway.toString(), `Gateway ${g.namespace}/${g.name} admits routes from ${g.routeNamespaces.join(', ')} only; add "${routeNs}" to its allowRoutesFrom`);
  } else {
    // Every listener of a Gateway construct admits HTTP and gRPC routes from its route namespaces.
    for (const u of unmatchedHostnames(hostnames, `${g.namespace}/${g.name}`, listeners)) {
      collector.report(Rules.ROUTE_HOSTNAME_UNMATCHED, `hostnames[${u.index}]`, u.hostname, u.problem);
    }
  }
  if (gateway.sectionName === undefined && g.listenerNames.length > 1) {
    collector.report(Rules.ROUTE_PARENT_AMBIGUOUS, 'gateway', gateway.toString(), `attaches to all ${g.listenerNames.length} listeners (${g.listenerNames.join(', ')}); use gateway.listener(name)`);
  }
}

/** Admits the Gateway's data plane to the workload's Pods on `port`, once per peer and port. */
function openPolicy(workload: Workload, gateway: GatewayRef, port: number): void {
  admitFrontDoorPeer(workload, gateway.dataPlane, port);
}

/**
 * A ReferenceGrant in the backend's namespace letting `kind`s of `fromNs` reference its Service, and
 * only it: one per backend Service, route kind and route namespace (created once).
 */
function grant(workload: ServiceWorkload, kind: string, fromNs: string, service: string): void {
  const id = `ReferenceGrant-${kind}-${fromNs}`;
  if (workload.node.tryFindChild(id)) return;
  new gw.ReferenceGrant(workload, id, {
    metadata: { name: `${service}-from-${fromNs}-${kind.toLowerCase()}`.slice(0, 253), labels: carriedMap(workload, workload.labels) },
    spec: {
      from: [{ group: GATEWAY_GROUP, kind, namespace: fromNs }],
      to: [{ group: '', kind: 'Service', name: service }],
    },
  });
}
