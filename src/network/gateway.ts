import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as gw from '../../imports/gateway-api';
import { DATA_PLANE_ANNOTATION, GATEWAY_NAME_LABEL, hostnameProblem } from '../audit/reachability';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { Waiver, waiversAnnotation } from '../rules/waiver';
import { dns1123LabelProblem } from '../validation/names';
import { checkEnum } from '../validation/props';
import { Peer, PeerSelector } from './peer';
import { reportPeerProblems } from './isolation';

/** Options of `Gateway.fromRef()`. */
export interface GatewayRefOptions {
  /**
   * The listener routes attach to (`parentRefs[].sectionName`).
   * @default - every listener of the Gateway that admits the route (rule SW-ROUTE-001 warns in the audit when it has several)
   */
  readonly sectionName?: string;
  /**
   * The Gateway's data-plane Pods (the proxies that forward requests to the backends): every
   * route's workload admits them in its NetworkPolicy, on the served port. Declare it once with
   * the reference; services never retype it.
   * @default Peer.pods({ 'gateway.networking.k8s.io/gateway-name': name }, namespace) — where GEP-1762 (in-cluster Gateway deployments) asks implementations to run and label a Gateway's Pods; declare it for implementations that run them elsewhere (Envoy Gateway: `envoy-gateway-system` by default)
   */
  readonly dataPlane?: Peer;
}

/**
 * A Gateway routes attach to: its namespace and name, optionally one listener, and the Peer of
 * its data-plane Pods. Made by `Gateway.fromRef()` (a Gateway the platform team owns elsewhere)
 * or `gateway.listener()` (a `Gateway` construct of the app).
 */
export class GatewayRef {
  /** @internal */
  public static _create(namespace: string, name: string, sectionName: string | undefined, dataPlane: Peer | undefined, gateway?: Gateway): GatewayRef {
    return new GatewayRef(namespace, name, sectionName, dataPlane ?? Peer.pods({ [GATEWAY_NAME_LABEL]: name }, namespace), dataPlane !== undefined, gateway);
  }

  private constructor(
    /** Namespace of the Gateway. */
    public readonly namespace: string,
    /** Name of the Gateway. */
    public readonly name: string,
    /** The listener, if one is chosen. */
    public readonly sectionName: string | undefined,
    /** The data-plane Pods. */
    public readonly dataPlane: Peer,
    /** Whether `dataPlane` was declared (not the GEP-1762 default). */
    public readonly customDataPlane: boolean,
    /** The Gateway construct, when it is part of the app. */
    public readonly gateway?: Gateway,
  ) {}

  /** The same Gateway, one listener of it. */
  public listener(sectionName: string): GatewayRef {
    return new GatewayRef(this.namespace, this.name, sectionName, this.dataPlane, this.customDataPlane, this.gateway);
  }

  /** "namespace/name" or "namespace/name/listener". */
  public toString(): string {
    return `${this.namespace}/${this.name}${this.sectionName ? `/${this.sectionName}` : ''}`;
  }

  /** Whether this refers to the same Gateway as `other` (listeners aside). */
  public sameGateway(other: GatewayRef): boolean {
    return this.namespace === other.namespace && this.name === other.name;
  }
}

/** Protocol of a Gateway listener. */
export enum ListenerProtocol {
  /** Plain HTTP (HTTPRoute, GRPCRoute over h2c). */
  HTTP = 'HTTP',
  /** HTTP over TLS terminated at the Gateway (HTTPRoute, GRPCRoute); needs a certificate. */
  HTTPS = 'HTTPS',
}

/** One listener of a `Gateway`. */
export interface GatewayListener {
  /** Name of the listener (a DNS-1123 label), what routes name in `sectionName`. */
  readonly name: string;
  /** Port the Gateway listens on. */
  readonly port: number;
  /** Protocol. */
  readonly protocol: ListenerProtocol;
  /**
   * Host names the listener serves, e.g. "*.example.com".
   * @default - every host name
   */
  readonly hostname?: string;
  /**
   * Secret (in the Gateway's namespace) holding the certificate; required for HTTPS.
   * @default - none
   */
  readonly tlsSecretName?: string;
}

/** Props of a `Gateway`. */
export interface GatewayProps {
  /** Name of the Gateway (a DNS-1123 label). */
  readonly name: string;
  /** GatewayClass of the implementation, e.g. "istio" or "eg". */
  readonly gatewayClassName: string;
  /** Listeners, at least one. */
  readonly listeners: GatewayListener[];
  /**
   * Namespaces whose routes may attach (besides, always, the Gateway's own).
   * @default - only routes in the Gateway's namespace
   */
  readonly allowRoutesFrom?: string[];
  /**
   * The data-plane Pods the implementation runs for this Gateway.
   * @default Peer.pods({ 'gateway.networking.k8s.io/gateway-name': name }) in the Gateway's namespace (GEP-1762)
   */
  readonly dataPlane?: Peer;
}

/**
 * A Gateway owned by the platform team, in its chart's namespace (typically a platform
 * `Tenant`): its listeners, which namespaces may attach routes, and a NetworkPolicy letting its
 * data-plane Pods accept traffic from anywhere and reach the backends (the Tenant's default-deny
 * would otherwise cut them off). Routes attach with `gateway.listener('https')`.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 */
export class Gateway extends Construct {
  /** A Gateway that exists outside this app (owned by the platform team). */
  public static fromRef(namespace: string, name: string, options: GatewayRefOptions = {}): GatewayRef {
    return GatewayRef._create(namespace, name, options?.sectionName, options?.dataPlane);
  }

  /** The L1 Gateway. */
  public readonly resource: gw.Gateway;
  /** The NetworkPolicy of the data-plane Pods, when they run in this namespace. */
  public readonly dataPlanePolicy?: kplus.NetworkPolicy;
  /** Name of the Gateway. */
  public readonly name: string;
  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** Listener names. */
  public readonly listenerNames: readonly string[];
  /** The listeners (copies of the props): routes to this Gateway are checked against their hostnames at synthesis (SW-ROUTE-006). */
  public readonly listeners: readonly GatewayListener[];
  /** Namespaces whose routes may attach (the Gateway's own included). */
  public readonly routeNamespaces: readonly string[];
  private readonly ref: GatewayRef;

  constructor(scope: Construct, id: string, props: GatewayProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    if (props === null || typeof props !== 'object') {
      collector.report(Rules.PROPS_INVALID, 'props', props, 'must be an object with name, gatewayClassName and listeners');
      collector.commit();
    }
    const namespace = Chart.of(this).namespace;
    const nameProblem = dns1123LabelProblem(props.name);
    if (nameProblem) collector.report(Rules.NAME_INVALID, 'name', props.name, nameProblem);
    if (typeof props.gatewayClassName !== 'string' || props.gatewayClassName.length === 0) collector.report(Rules.PROPS_INVALID, 'gatewayClassName', props.gatewayClassName, 'must be the name of a GatewayClass');
    if (!namespace) collector.report(Rules.PROPS_INVALID, 'scope', Chart.of(this).node.path, 'the Gateway must be in a chart with a namespace (a Tenant)');
    const listeners = Array.isArray(props.listeners) ? props.listeners : [];
    if (listeners.length === 0) collector.report(Rules.PROPS_INVALID, 'listeners', props.listeners, 'must list at least one listener');
    listeners.forEach((l, i) => checkListener(l, `listeners[${i}]`, collector));
    const names = listeners.map(l => l?.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) collector.report(Rules.PROPS_INVALID, `listeners[${i}].name`, n, 'is used by another listener');
    });
    if (props.allowRoutesFrom !== undefined && !Array.isArray(props.allowRoutesFrom)) collector.report(Rules.PROPS_INVALID, 'allowRoutesFrom', props.allowRoutesFrom, 'must be a list of namespace names');
    (Array.isArray(props.allowRoutesFrom) ? props.allowRoutesFrom : []).forEach((ns, i) => {
      const problem = dns1123LabelProblem(ns);
      if (problem) collector.report(Rules.NAME_INVALID, `allowRoutesFrom[${i}]`, ns, problem);
    });
    if (props.dataPlane !== undefined && !(props.dataPlane instanceof Peer)) collector.report(Rules.PROPS_INVALID, 'dataPlane', props.dataPlane, 'must be created with Peer.pods(), Peer.namespace(), Peer.namespaces() or Peer.ipBlock()');
    else if (props.dataPlane !== undefined) reportPeerProblems(collector, 'dataPlane', props.dataPlane);
    collector.commit();

    this.name = props.name;
    this.namespace = namespace!;
    this.listenerNames = names;
    this.listeners = listeners.map(l => ({ ...l }));
    const others = [...new Set(props.allowRoutesFrom ?? [])].filter(ns => ns !== namespace).sort();
    this.routeNamespaces = [namespace!, ...others];
    this.ref = GatewayRef._create(this.namespace, this.name, undefined, props.dataPlane, this);
    const labels = { [LabelKeys.NAME]: props.name, [LabelKeys.MANAGED_BY]: MANAGED_BY };
    const allowedRoutes: gw.GatewaySpecListenersAllowedRoutes = others.length === 0
      ? { namespaces: { from: gw.GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } }
      : { namespaces: { from: gw.GatewaySpecListenersAllowedRoutesNamespacesFrom.SELECTOR, selector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: this.routeNamespaces.slice() }] } } };
    this.resource = new gw.Gateway(this, 'Resource', {
      metadata: {
        name: props.name,
        labels,
        annotations: props.dataPlane ? { [DATA_PLANE_ANNOTATION]: peerJson(props.dataPlane.selector, namespace!) } : undefined,
      },
      spec: {
        gatewayClassName: props.gatewayClassName,
        listeners: listeners.map(l => ({
          name: l.name,
          port: l.port,
          protocol: l.protocol,
          hostname: l.hostname,
          tls: l.tlsSecretName ? { mode: gw.GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: l.tlsSecretName }] } : undefined,
          allowedRoutes,
        })),
      },
    });
    const plane = this.ref.dataPlane.selector;
    if (plane.podLabels && (plane.namespace ?? namespace) === namespace) {
      // Implementations map listener ports to container ports of their own, and the proxies must
      // reach their controller and every backend: open both directions for these Pods only.
      this.dataPlanePolicy = new kplus.NetworkPolicy(this, 'DataPlanePolicy', {
        metadata: {
          name: `${props.name}-data-plane`,
          labels,
          annotations: waiversAnnotation([Waiver.of(Rules.NETPOL_SELECTS_NOTHING.id, `selects the Pods the ${props.gatewayClassName} implementation deploys for Gateway ${props.name}, which are not part of the manifests`)]),
        },
        selector: kplus.Pods.select(this, 'DataPlanePods', { labels: plane.podLabels }),
        ingress: { default: kplus.NetworkPolicyTrafficDefault.ALLOW },
        egress: { default: kplus.NetworkPolicyTrafficDefault.ALLOW },
      });
    }
  }

  /** A reference to one listener, for routes (`addRoute({ gateway: gateway.listener('https') })`). */
  public listener(name: string): GatewayRef {
    return this.ref.listener(name);
  }

  /** A reference to the whole Gateway (routes attach to every listener that admits them). */
  public get asRef(): GatewayRef {
    return this.ref;
  }
}

function checkListener(l: GatewayListener, at: string, collector: FindingCollector): void {
  if (l === null || typeof l !== 'object') {
    collector.report(Rules.PROPS_INVALID, at, l, 'must be an object with name, port and protocol');
    return;
  }
  const problem = dns1123LabelProblem(l.name);
  if (problem) collector.report(Rules.NAME_INVALID, `${at}.name`, l.name, problem);
  if (!Number.isInteger(l.port) || l.port < 1 || l.port > 65535) collector.report(Rules.PORT_INVALID, `${at}.port`, l.port, 'must be between 1 and 65535');
  const hostProblem = l.hostname === undefined ? undefined : hostnameProblem(l.hostname);
  if (hostProblem) collector.report(Rules.PROPS_INVALID, `${at}.hostname`, l.hostname, `${hostProblem} (the Gateway's CRD refuses it)`);
  if (l.protocol === undefined) collector.report(Rules.PROPS_INVALID, `${at}.protocol`, l.protocol, 'must be ListenerProtocol.HTTP or ListenerProtocol.HTTPS');
  checkEnum(collector, `${at}.protocol`, l.protocol, ListenerProtocol);
  if (l.protocol === ListenerProtocol.HTTPS && (typeof l.tlsSecretName !== 'string' || l.tlsSecretName.length === 0)) collector.report(Rules.PROPS_INVALID, `${at}.tlsSecretName`, l.tlsSecretName, 'an HTTPS listener needs the Secret holding its certificate');
  if (l.protocol === ListenerProtocol.HTTP && l.tlsSecretName !== undefined) collector.report(Rules.PROPS_INVALID, `${at}.tlsSecretName`, l.tlsSecretName, 'only HTTPS listeners take a certificate');
}

/** A peer selector as the annotation value, with the namespace made explicit. */
export function peerJson(selector: PeerSelector, namespace: string): string {
  const s: PeerSelector = selector.cidr || selector.namespace || selector.namespaceLabels ? selector : { ...selector, namespace };
  const sorted = (o: Record<string, string> | undefined) => (o ? Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b))) : undefined);
  return JSON.stringify({ cidr: s.cidr, namespace: s.namespace, namespaceLabels: sorted(s.namespaceLabels), podLabels: sorted(s.podLabels) });
}
