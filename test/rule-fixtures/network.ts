import { NS, selectorOf, web, WebSet } from './base';
import { also, Obj, RuleFixture } from './fixture';
import { onManifests, onWeb } from './manifest';

const GW = 'gateway.networking.k8s.io/v1';

const gateway = (listeners: Obj[] = [{ name: 'https', port: 443, protocol: 'HTTPS', hostname: '*.example.com', tls: { certificateRefs: [{ name: 'wildcard-tls' }] }, allowedRoutes: { namespaces: { from: 'All' } } }]): Obj =>
  ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'public', namespace: 'infra' }, spec: { gatewayClassName: 'eg', listeners } });

const route = (spec: Obj = {}, kind = 'HTTPRoute'): Obj => ({
  apiVersion: GW, kind, metadata: { name: 'api', namespace: NS },
  spec: { parentRefs: [{ name: 'public', namespace: 'infra', sectionName: 'https' }], hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'api', port: 80 }] }], ...spec },
});

/** The WebService base admitting the Gateway's data-plane Pods (GEP-1762 label) on its port. */
const fromGateway = (s: WebSet): void => {
  s.netpol.spec.ingress = [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'infra' } }, podSelector: { matchLabels: { 'gateway.networking.k8s.io/gateway-name': 'public' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }];
};

/** The WebService base behind the Gateway "public" by an HTTPRoute, after `edit`. */
const routed = (edit: (s: WebSet) => void = () => undefined, r: Obj = route(), g: Obj = gateway()): Obj[] => web(s => { fromGateway(s); edit(s); }, [g, r]);

const ingress = (spec: Obj = {}): Obj => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'api', namespace: NS },
  spec: { ingressClassName: 'nginx', tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 80 } } } }] } }], ...spec },
});

const monitor = (port = 'http'): Obj => ({
  apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor',
  metadata: { name: 'api', namespace: NS, annotations: { 'seaworthy.dev/scraper': JSON.stringify({ namespace: 'monitoring', podLabels: { 'app.kubernetes.io/name': 'prometheus' } }) } },
  spec: { selector: { matchLabels: selectorOf('api') }, endpoints: [{ port, interval: '30s' }] },
});
/** The base admitting Prometheus (namespace "monitoring") on the served port. */
const fromPrometheus = (s: WebSet): void => {
  s.netpol.spec.ingress.push({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ port: 8080, protocol: 'TCP' }] });
};

/** Services, NetworkPolicies, Ingresses, Gateway API routes and their reachability, monitors. */
export const NETWORK_FIXTURES: readonly RuleFixture[] = [
  // Services
  onWeb('SW-SVC-001', s => { s.service.spec.externalTrafficPolicy = 'Local'; }, s => { s.service.spec.type = 'LoadBalancer'; s.service.spec.externalTrafficPolicy = 'Local'; }),
  onWeb('SW-SVC-002', s => { s.service.spec.selector = { 'app.kubernetes.io/name': 'apii' }; }),
  onWeb('SW-SVC-003', s => { s.service.spec.ports[0].targetPort = 'metrics'; }, s => { s.service.spec.ports[0].targetPort = 9090; }),
  onWeb('SW-SVC-004', s => { s.service.spec.type = 'NodePort'; }, s => { s.service.spec.type = 'LoadBalancer'; }),
  onWeb('SW-SVC-005', s => { s.service.spec.type = 'LoadBalancer'; s.service.spec.ports[0].nodePort = 8080; }, s => { s.service.spec.type = 'LoadBalancer'; s.service.spec.ports[0].nodePort = 30080; }),
  onManifests('SW-SVC-007',
    web(s => { s.service.spec.type = 'LoadBalancer'; s.service.spec.ports[0].nodePort = 30080; }, [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-2', namespace: NS }, spec: { type: 'LoadBalancer', selector: selectorOf('api'), ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } }]),
    web(s => { s.service.spec.type = 'LoadBalancer'; s.service.spec.ports[0].nodePort = 30080; }, [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'api-2', namespace: NS }, spec: { type: 'LoadBalancer', selector: selectorOf('api'), ports: [{ port: 80, targetPort: 8080, nodePort: 30081 }] } }])),
  // NetworkPolicies
  onWeb('SW-NETPOL-004', s => { s.netpol.spec.podSelector.matchLabels = { 'app.kubernetes.io/name': 'apii' }; }),
  // Ingress
  onManifests('SW-INGRESS-001', web(() => undefined, [ingress({ rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'apii', port: { number: 80 } } } }] } }] })]), web(() => undefined, [ingress()])),
  onManifests('SW-INGRESS-002', web(() => undefined, [ingress({ tls: undefined })]), web(() => undefined, [ingress()])),
  // Gateway API routes
  onManifests('SW-ROUTE-001', routed(() => undefined, route({ parentRefs: [{ name: 'public', namespace: 'infra' }] }), gateway([...gateway().spec.listeners, { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }])),
    routed(() => undefined, route(), gateway([...gateway().spec.listeners, { name: 'http', port: 80, protocol: 'HTTP', hostname: '*.example.com', allowedRoutes: { namespaces: { from: 'All' } } }]))),
  onManifests('SW-ROUTE-002', routed(() => undefined, route({ hostnames: ['Shop.Example.com'] })), routed()),
  onManifests('SW-ROUTE-004', routed(() => undefined, route({ parentRefs: [{ name: 'public', namespace: 'infra', sectionName: 'grpc' }] })), routed()),
  onManifests('SW-ROUTE-005', routed(() => undefined, route({ rules: [{ matches: [{ path: { type: 'PathPrefix', value: 'api' } }], backendRefs: [{ name: 'api', port: 80 }] }] })),
    routed(() => undefined, route({ rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/api' } }], backendRefs: [{ name: 'api', port: 80 }] }] }))),
  also('a backend timeout longer than the request timeout', onManifests('SW-ROUTE-005',
    routed(() => undefined, route({ rules: [{ timeouts: { request: '5s', backendRequest: '10s' }, backendRefs: [{ name: 'api', port: 80 }] }] })),
    routed(() => undefined, route({ rules: [{ timeouts: { request: '1m', backendRequest: '10s' }, backendRefs: [{ name: 'api', port: 80 }] }] })))),
  onManifests('SW-ROUTE-006', routed(() => undefined, route({ hostnames: ['shop.example.org'] })), routed()),
  // Reachability of the front doors
  onManifests('SW-REACH-001', routed(() => undefined, route({ rules: [{ backendRefs: [{ name: 'api', port: 8081 }] }] })), routed()),
  onManifests('SW-REACH-002', routed(s => { s.service.spec.ports[0].targetPort = 9090; }), routed()),
  onManifests('SW-REACH-003', routed(s => { delete s.c.readinessProbe; }), routed()),
  onManifests('SW-REACH-004', routed(s => { s.netpol.spec.ingress[0].ports[0].port = 9090; }), routed()),
  onManifests('SW-REACH-005', routed(() => undefined, { ...route({ rules: [{ backendRefs: [{ name: 'api', namespace: NS, port: 80 }] }] }), metadata: { name: 'api', namespace: 'infra' } }),
    routed(() => undefined, { ...route({ rules: [{ backendRefs: [{ name: 'api', namespace: NS, port: 80 }] }] }), metadata: { name: 'api', namespace: 'infra' } }).concat([{
      apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-infra', namespace: NS },
      spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'infra' }], to: [{ group: '', kind: 'Service', name: 'api' }] },
    }])),
  // Monitoring
  onManifests('SW-MON-001', web(fromPrometheus, [monitor('metrics')]), web(fromPrometheus, [monitor()])),
  onManifests('SW-MON-002', web(() => undefined, [monitor()]), web(fromPrometheus, [monitor()])),
];
