import { App, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Gateway, HttpRoute, ListenerProtocol, Probe, Tenant, WebService } from '../../src';

/**
 * Front doors of every kind seaworthy renders, for the suites that check them against the CRDs
 * (offline) and real API servers: a platform Gateway with two listeners, HTTPRoutes (one
 * cross-namespace, hence a ReferenceGrant), a GRPCRoute, and the NetworkPolicies they open.
 */
export function buildFrontDoors(app: App): void {
  const infra = new Tenant(app, 'infra', { name: 'infra' });
  const gateway = new Gateway(infra, 'Gateway', {
    name: 'public', gatewayClassName: 'eg', allowRoutesFrom: ['shop'],
    listeners: [{ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: '*.example.com', tlsSecretName: 'wildcard-tls' }, { name: 'grpc', port: 8443, protocol: ListenerProtocol.HTTPS, tlsSecretName: 'grpc-tls' }],
  });
  const shop = new Tenant(app, 'shop', { name: 'shop', gateways: [gateway.listener('https'), gateway.listener('grpc')] });
  const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
  const web = new WebService(shop, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, size, readiness: Probe.http('/ready') });
  web.addRoute({ hostnames: ['shop.example.com'], paths: ['/', '/static'], timeout: Duration.seconds(30), backendTimeout: Duration.millis(2500) });
  const orders = new WebService(shop, 'orders', { name: 'orders', image: 'ghcr.io/acme/orders:1.0.0', port: 9000, portName: 'grpc', size, readiness: Probe.tcp() });
  orders.addGrpcRoute({ gateway: gateway.listener('grpc'), services: ['shop.v1.Orders'] });
  new HttpRoute(infra, 'Legacy', { name: 'legacy-shop', gateway: gateway.listener('https'), hostnames: ['legacy.example.com'], backends: [{ workload: web }] });
}
