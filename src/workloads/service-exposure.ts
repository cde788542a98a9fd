import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { FRONT_DOOR_PEER_ANNOTATION, hostnameProblem } from '../audit/reachability';
import { frontDoorDefaultsOf, registerFrontDoor } from '../network/front-door-registry';
import { peerJson } from '../network/gateway';
import { Peer } from '../network/peer';
import { reportPeerProblems } from '../network/isolation';
import { admitFrontDoorPeer, GrpcRoute, GrpcRouteOptions, HttpRoute, HttpRouteOptions, IServiceWorkload } from '../network/routes';
import { SeaworthyError } from '../errors';
import { Rules } from '../rules/catalog';
import { makeFinding } from '../rules/finding';
import { duplicateNodePorts, externalTrafficPolicyProblem, nodePortProblem, NodePortUse } from '../rules/families/network';
import { FindingCollector } from '../rules/collector';
import { omitZeroDefaults } from '../target/zero-defaults';
import { dns1123SubdomainProblem, kindOf } from '../validation/names';
import { checkEnum, checkUnknownProps } from '../validation/props';
import { Workload } from './workload';
import { merged } from '../util/merge';

/** How the Service of a serving workload is exposed. */
export interface ServiceExposureProps {
  /**
   * Port of the Service for the main port (its targetPort is the main container port).
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * Type of the Service.
   * @default kplus.ServiceType.CLUSTER_IP
   */
  readonly serviceType?: kplus.ServiceType;
  /**
   * The node port of the main Service port, for `serviceType` NodePort or LoadBalancer (clients
   * outside the cluster reach `<any node IP>:<nodePort>`). It must be in 30000-32767, the API
   * server's default `--service-node-port-range` (rule SW-SVC-006); on a cluster configured with
   * another range, waive SW-SVC-006 (and the audit's warning SW-SVC-005) naming the range. Two
   * Services of the app may not ask for the same node port (rule SW-SVC-007). Other exposed ports
   * get ports the API server allocates.
   * @default - allocated by the API server from its node port range
   * @see https://kubernetes.io/docs/concepts/services-networking/service/#nodeport-custom-port
   */
  readonly nodePort?: number;
  /**
   * For NodePort and LoadBalancer Services: `Local` keeps the client source IP and avoids a
   * second hop, at the price of uneven spreading; `Cluster` spreads evenly.
   * @default - Kubernetes' default (Cluster)
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * Send each client to the same Pod (`ClientIP`).
   * @default - none
   */
  readonly sessionAffinity?: SessionAffinity;
}

/** Where a NodePort/LoadBalancer Service sends external traffic. */
export enum ExternalTrafficPolicy {
  /** Any node forwards to any Pod (source IP is lost). */
  CLUSTER = 'Cluster',
  /** Only nodes running a Pod take traffic, and the client source IP is kept. */
  LOCAL = 'Local',
}

/** Session affinity of a Service. */
export enum SessionAffinity {
  /** Route each client IP to the same Pod. */
  CLIENT_IP = 'ClientIP',
}

/** Options of `addIngress()`. */
export interface IngressOptions {
  /** Host name, e.g. "api.example.com". */
  readonly host: string;
  /**
   * Path prefixes routed to the Service.
   * @default ["/"]
   */
  readonly paths?: string[];
  /**
   * IngressClass, e.g. "nginx".
   * @default - the cluster's default class
   */
  readonly ingressClassName?: string;
  /**
   * Secret holding the TLS certificate for `host` (e.g. issued by cert-manager).
   * @default - plain HTTP
   */
  readonly tlsSecretName?: string;
  /**
   * The ingress controller's Pods (e.g. `Peer.pods({ 'app.kubernetes.io/name': 'traefik' }, 'traefik')`):
   * the workload's NetworkPolicy admits them on the Service's target port. Without a controller,
   * the NetworkPolicy must already admit a peer from another namespace on that port (`allowFrom`),
   * or synthesis fails with SW-REACH-004: an Ingress nothing can pass through is an error.
   * @default - the Tenant's `ingressController`, else none
   */
  readonly controller?: Peer;
}

/** Checks exposure props. */
export function checkExposure(props: ServiceExposureProps, collector: FindingCollector): void {
  checkEnum(collector, 'serviceType', props.serviceType, kplus.ServiceType);
  checkEnum(collector, 'externalTrafficPolicy', props.externalTrafficPolicy, ExternalTrafficPolicy);
  checkEnum(collector, 'sessionAffinity', props.sessionAffinity, SessionAffinity);
  const port = props.servicePort ?? 80;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    collector.report(Rules.PORT_INVALID, 'servicePort', port, 'must be between 1 and 65535');
  }
  const etp = externalTrafficPolicyProblem(props.serviceType ?? kplus.ServiceType.CLUSTER_IP, props.externalTrafficPolicy);
  if (etp) collector.report(Rules.SERVICE_INVALID, 'externalTrafficPolicy', props.externalTrafficPolicy, etp);
  if (props.nodePort !== undefined) {
    const problem = nodePortProblem(props.nodePort);
    if (problem) collector.report(problem.kind === 'invalid' ? Rules.PORT_INVALID : Rules.NODE_PORT_DEFAULT_RANGE, 'nodePort', props.nodePort, problem.problem);
    if (props.serviceType !== kplus.ServiceType.NODE_PORT && props.serviceType !== kplus.ServiceType.LOAD_BALANCER) {
      collector.report(Rules.SERVICE_INVALID, 'nodePort', props.nodePort, `only applies to NodePort and LoadBalancer Services (serviceType is ${props.serviceType ?? 'ClusterIP'})`);
    }
  }
}

/**
 * A workload reached through a Service whose selector and ports are derived from the Pods:
 * the main port as `servicePort`, other exposed ports as themselves.
 */
export abstract class ServiceExposure extends Workload implements IServiceWorkload {
  private readonly services = new Map<string, kplus.Service>();
  private routeCount = 0;
  private grpcRouteCount = 0;

  /** The Service in front of the Pods. */
  public get service(): kplus.Service {
    return this.services.get('Service')!;
  }

  /** Creates a Service with derived selector and ports (the main one from the subclass constructor, id "Service"). */
  protected expose(props: ServiceExposureProps, options: { readonly headless?: boolean; readonly name?: string; readonly id?: string } = {}): kplus.Service {
    const id = options.id ?? 'Service';
    const ports = this.pod.ports.filter(p => p.expose);
    const service = new kplus.Service(this, id, {
      metadata: merged(this.metadata(), { name: options.name ?? this.pod.name }),
      type: options.headless ? undefined : props.serviceType ?? kplus.ServiceType.CLUSTER_IP,
      clusterIP: options.headless ? 'None' : undefined,
      // A headless Service of a StatefulSet must resolve Pods before they are ready, so peers can find each other while starting.
      publishNotReadyAddresses: options.headless || undefined,
      ports: ports.map(p => ({
        name: p.name,
        port: p.number === this.pod.mainPort && !options.headless ? props.servicePort ?? 80 : p.number,
        targetPort: p.number,
        nodePort: p.number === this.pod.mainPort && !options.headless ? props.nodePort : undefined,
        protocol: p.protocol,
      })),
    });
    if (props.nodePort !== undefined && !options.headless) this.node.addValidation({ validate: () => this.checkNodePorts(service) });
    for (const [key, value] of Object.entries(this.selectorLabels)) service.selectLabel(key, value);
    // cdk8s-plus-28 has no props for these two Service fields.
    const resource = ApiObject.of(service);
    if (props.externalTrafficPolicy && !options.headless) resource.addJsonPatch(JsonPatch.add('/spec/externalTrafficPolicy', props.externalTrafficPolicy));
    if (props.sessionAffinity) resource.addJsonPatch(JsonPatch.add('/spec/sessionAffinity', props.sessionAffinity));
    // cdk8s-plus writes `externalIPs: []`, which the API server drops.
    omitZeroDefaults(resource);
    this.services.set(id, service);
    return service;
  }

  /**
   * Routes `host` (and `paths`) to this workload's Service through an Ingress named like the
   * workload; the backend is the Service's main port, derived, never retyped.
   */
  public addIngress(options: IngressOptions): kplus.Ingress {
    const controller = options?.controller ?? frontDoorDefaultsOf(this).ingressController;
    checkIngressOptions(this, options, controller);
    const metadata = this.metadata();
    const ingress = new kplus.Ingress(this, 'Ingress', {
      metadata: controller ? merged(metadata, { annotations: merged(metadata.annotations, { [FRONT_DOOR_PEER_ANNOTATION]: peerJson(controller.selector, Chart.of(this).namespace ?? '') }) }) : metadata,
      className: options.ingressClassName,
      tls: options.tlsSecretName ? [{ hosts: [options.host], secret: kplus.Secret.fromSecretName(this, 'TlsSecret', options.tlsSecretName) }] : undefined,
    });
    const backend = kplus.IngressBackend.fromService(this.service, { port: this.service.port });
    for (const path of options.paths ?? ['/']) ingress.addHostRule(options.host, path, backend, kplus.HttpIngressPathType.PREFIX);
    if (controller) admitFrontDoorPeer(this, controller, this.mainTargetPort());
    registerFrontDoor(this, ApiObject.of(ingress));
    return ingress;
  }

  /**
   * Publishes the workload through a Gateway with an HTTPRoute named like the workload (the
   * second one `<name>-2`, and so on, unless `name` is given): host
   * names and path prefixes to the Service's main port (or `portName`), the Gateway's data-plane
   * Pods admitted by the NetworkPolicy on the target port, checked for reachability at synthesis.
   *
   * ```ts
   * const gateway = Gateway.fromRef('infra', 'public', { sectionName: 'https' }); // once per app or Tenant
   * web.addRoute({ gateway, hostnames: ['shop.example.com'], paths: ['/'] });
   * ```
   */
  public addRoute(options: HttpRouteOptions = {}): HttpRoute {
    const n = this.routeCount++;
    return new HttpRoute(this, `Route${n || ''}`, merged(options, { name: options?.name ?? (n ? `${this.pod.name}-${n + 1}` : undefined), backends: [{ workload: this }] }));
  }

  /** Publishes a gRPC workload through a Gateway with a GRPCRoute (see `addRoute()`). */
  public addGrpcRoute(options: GrpcRouteOptions = {}): GrpcRoute {
    const n = this.grpcRouteCount++;
    return new GrpcRoute(this, `GrpcRoute${n || ''}`, merged(options, { name: options?.name ?? (n ? `${this.pod.name}-${n + 1}` : undefined), backends: [{ workload: this }] }));
  }

  /**
   * SW-SVC-007 across the app: the node ports of `service` against those of every Service of the
   * app rendered before it (seaworthy's or not), with the audit's predicate.
   */
  private checkNodePorts(service: kplus.Service): string[] {
    const own = ApiObject.of(service);
    const uses: NodePortUse[] = [];
    const services = new Map<NodePortUse, ApiObject>();
    for (const o of this.node.root.node.findAll()) {
      if (!(o instanceof ApiObject) || o.kind !== 'Service') continue;
      const json = o.toJson();
      (Array.isArray(json.spec?.ports) ? json.spec.ports : []).forEach((p: { nodePort?: unknown; protocol?: unknown }, index: number) => {
        if (typeof p?.nodePort !== 'number') return;
        const use = { service: `Service "${json.metadata?.name}" (${o.node.path.replace(/(\/Resource)+$/, '')})`, index, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', nodePort: p.nodePort };
        uses.push(use);
        services.set(use, o);
      });
    }
    const findings = duplicateNodePorts(uses).filter(d => services.get(d.use) === own)
      .map(d => makeFinding(Rules.NODE_PORT_DUPLICATE, this.node.path, 'nodePort', d.use.nodePort, d.problem));
    if (findings.length > 0) throw new SeaworthyError(findings);
    return [];
  }

  /** The container port behind the Service's main port. */
  private mainTargetPort(): number {
    return this.pod.mainPort ?? this.service.port;
  }
}

/**
 * The Ingress fields as the API server validates them (networking/v1): a DNS-1123 subdomain host
 * (a leading "*." allowed, never an IP), a Secret and an IngressClass that are DNS-1123
 * subdomains, and absolute paths.
 */
function checkIngressOptions(scope: Workload, options: IngressOptions, controller: unknown): void {
  const collector = new FindingCollector(scope);
  const report = (field: string, value: unknown, problem: string) => collector.report(Rules.PROPS_INVALID, field, value, problem);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    report('options', options, 'must be an object with at least a host');
    collector.commit();
    return;
  }
  checkUnknownProps(collector, 'IngressOptions', options);
  const host = hostnameProblem(options.host);
  if (host) report('host', options.host, host);
  for (const field of ['tlsSecretName', 'ingressClassName'] as const) {
    const problem = options[field] === undefined ? undefined : dns1123SubdomainProblem(options[field]);
    if (problem) report(field, options[field], problem);
  }
  if (options.paths !== undefined) {
    if (!Array.isArray(options.paths) || options.paths.length === 0) report('paths', options.paths, `must be a non-empty list of paths, got ${kindOf(options.paths)}`);
    else {
      options.paths.forEach((p, i) => {
        if (typeof p !== 'string' || !p.startsWith('/') || /\s/.test(p)) report(`paths[${i}]`, p, 'must be an absolute path: start with "/" and contain no whitespace');
      });
      const seen = new Set<unknown>();
      options.paths.forEach((p, i) => {
        if (seen.has(p)) report(`paths[${i}]`, p, 'is listed twice; the API server rejects duplicate paths of one host');
        seen.add(p);
      });
    }
  }
  if (controller !== undefined && !(controller instanceof Peer)) {
    report('controller', controller, 'must be created with Peer.pods(), Peer.namespace(), Peer.namespaces() or Peer.ipBlock()');
  } else if (controller !== undefined) {
    reportPeerProblems(collector, 'controller', controller);
  }
  collector.commit();
}
