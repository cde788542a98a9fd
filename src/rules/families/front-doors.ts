import { defineRule as rule, Severity } from '../rule';

const GW = 'https://gateway-api.sigs.k8s.io';
const K8S = 'https://kubernetes.io/docs';
const ROUTES = ['HTTPRoute', 'GRPCRoute'];
const FRONT_DOORS = ['Ingress', ...ROUTES];

/**
 * Rules of the front-door family: Ingresses and Gateway API routes, and whether traffic they
 * accept can reach the Pods behind them.
 */
export const FrontDoorRules = {
  REACH_BACKEND_MISSING: rule({
    id: 'SW-REACH-001',
    title: 'Route backends are Services and ports of the set',
    severity: Severity.ERROR,
    rationale: 'A backendRef naming a Service (or a port) that does not exist makes the Gateway answer 500 for every request of that rule.',
    fix: 'point backendRefs at a Service of the set and one of its ports (seaworthy derives both from the workload)',
    kinds: ROUTES,
    see: `${GW}/reference/spec/#backendref`,
  }),
  REACH_NO_PODS: rule({
    id: 'SW-REACH-002',
    title: 'A front door\'s Service port targets a declared container port of the Pods it selects',
    severity: Severity.ERROR,
    rationale: 'A Service that selects no Pod template, or whose targetPort no selected container declares, has no usable endpoints: the front door answers 503.',
    fix: 'select the workload\'s Pods and set the targetPort to a containerPort (or its name) they declare',
    kinds: FRONT_DOORS,
    see: `${K8S}/concepts/services-networking/service/#defining-a-service`,
  }),
  REACH_NOT_PROBED: rule({
    id: 'SW-REACH-003',
    title: 'Pods behind a front door are ready-probed',
    severity: Severity.ERROR,
    rationale: 'Without a readiness probe a Pod receives traffic from the Gateway or Ingress controller as soon as it starts, and keeps it while it cannot serve: users see errors at every rollout.',
    fix: 'give the container that serves the port a readiness probe',
    kinds: FRONT_DOORS,
    see: `${K8S}/concepts/configuration/liveness-readiness-startup-probes/`,
  }),
  REACH_NO_POLICY_PATH: rule({
    id: 'SW-REACH-004',
    title: 'NetworkPolicies admit the Gateway or Ingress controller to the Pods on the served port',
    severity: Severity.ERROR,
    rationale: 'When the backend Pods are isolated and no NetworkPolicy rule admits the Gateway\'s data-plane Pods (or the Ingress controller) on the target port, every request times out at the proxy (504) although all objects look healthy.',
    fix: 'declare the front door\'s peer once (the Gateway reference\'s dataPlane, addIngress({ controller }) or the Tenant\'s ingressController) so seaworthy opens the port; in YAML, add an ingress rule from those Pods on the target port',
    kinds: FRONT_DOORS,
    see: `${K8S}/concepts/services-networking/network-policies/`,
  }),
  REACH_NOT_GRANTED: rule({
    id: 'SW-REACH-005',
    title: 'Cross-namespace backendRefs are granted by a ReferenceGrant',
    severity: Severity.ERROR,
    rationale: 'A route may only reference a Service in another namespace when a ReferenceGrant in that namespace allows it; otherwise the backend is refused (ResolvedRefs=False, RefNotPermitted) and the rule answers 500.',
    fix: 'add a ReferenceGrant in the backend\'s namespace from the route\'s kind and namespace to the Service (seaworthy renders it for backends in other namespaces)',
    kinds: ROUTES,
    see: `${GW}/api-types/referencegrant/`,
  }),
  ROUTE_PARENT_AMBIGUOUS: rule({
    id: 'SW-ROUTE-001',
    title: 'Routes attach to one listener of a Gateway with several',
    severity: Severity.WARNING,
    rationale: 'A parentRef without sectionName or port attaches to every listener that admits the route: a route meant for HTTPS also answers on the plain-HTTP listener.',
    fix: 'set parentRefs[].sectionName to the listener\'s name (Gateway.fromRef(ns, name, { sectionName }) or gateway.listener(name))',
    kinds: ROUTES,
    see: `${GW}/reference/spec/#parentreference`,
  }),
  ROUTE_HOSTNAME_INVALID: rule({
    id: 'SW-ROUTE-002',
    title: 'Route hostnames are DNS names',
    severity: Severity.ERROR,
    rationale: 'Hostnames must be lowercase DNS names, optionally with a leading "*." wildcard; IP addresses, ports, schemes and upper case are rejected by the CRD or never match a request.',
    fix: 'use a host name such as "shop.example.com" or "*.example.com"',
    kinds: ROUTES,
    see: `${GW}/reference/spec/#hostname`,
  }),
  ROUTE_GATEWAY_NOT_ALLOWED: rule({
    id: 'SW-ROUTE-003',
    title: 'Routes attach only to the Gateways their Tenant allows',
    severity: Severity.ERROR,
    rationale: 'A Tenant lists the Gateways its services may be published through; a route to another Gateway would publish a service where the platform team did not intend it.',
    fix: 'attach to one of the Tenant\'s gateways, or add the Gateway to the Tenant\'s "gateways"',
    kinds: [],
    see: `${GW}/concepts/security-model/`,
  }),
  ROUTE_NOT_ADMITTED: rule({
    id: 'SW-ROUTE-004',
    title: 'The Gateway has the listener and admits the route',
    severity: Severity.ERROR,
    rationale: 'A parentRef to a listener the Gateway does not have, or whose allowedRoutes exclude the route\'s namespace or kind, is not accepted (Accepted=False, NotAllowedByListeners): nothing is published.',
    fix: 'name an existing listener in sectionName, and let its allowedRoutes admit the route\'s namespace (allowRoutesFrom on the Gateway construct) and kind',
    kinds: ROUTES,
    see: `${GW}/reference/spec/#allowedroutes`,
  }),
  ROUTE_INVALID: rule({
    id: 'SW-ROUTE-005',
    title: 'Route paths and timeouts are valid',
    severity: Severity.ERROR,
    rationale: 'Paths must start with "/", timeouts must be positive Gateway API durations, and a backend timeout longer than the request timeout is rejected by the CRD\'s validation.',
    fix: 'use absolute paths and a backendTimeout no longer than timeout',
    kinds: ROUTES,
    see: `${GW}/api-types/httproute/#timeouts-optional`,
  }),
  ROUTE_HOSTNAME_UNMATCHED: rule({
    id: 'SW-ROUTE-006',
    title: 'Route hostnames intersect the hostnames of the listeners they attach to',
    severity: Severity.ERROR,
    rationale: 'A Gateway attaches a route to a listener only when a hostname of the route matches the listener\'s hostname ("*.example.com" covers "shop.example.com" and "a.shop.example.com", not "example.com"; a listener without hostname or a route without hostnames matches all). When no hostname of the route matches any listener its parentRef selects, the route is not accepted (Accepted=False, NoMatchingListenerHostname): every object applies cleanly and nothing is published.',
    fix: 'use a hostname the listener serves (one under its wildcard, or its exact name), attach the route to the listener that serves the hostname (sectionName), or have a listener for that hostname added to the Gateway',
    kinds: ROUTES,
    see: `${GW}/api-types/httproute/#hostnames`,
  }),
} as const;
