import * as path from 'path';
import { App, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  audit, Findings, Gateway, GatewayListener, HttpRoute, ListenerProtocol, Probe, Rules, SeaworthyError, Severity, synthesize, Tenant, WebService,
} from '../src';
import { hostnamesIntersect } from '../src/audit/hostnames';
import { loadManifests } from '../src/manifests/load';
import { sharedDir } from './support/shared-dir';
import { KubeObject, thrownBy } from './support/synth';

/**
 * SW-ROUTE-006: a route whose hostnames meet no hostname of the listeners it attaches to is never
 * attached by the Gateway. One table of the Gateway API's hostname-matching rules (the
 * `hostnames` and `listeners[].hostname` descriptions of the v1.6.1 CRDs), run on the matching
 * function, at synthesis and in the audit.
 */

interface MatchCase {
  readonly what: string;
  /** Hostnames of the route (undefined: none). */
  readonly route?: string[];
  /** Hostname of the listener (undefined: none). */
  readonly listener?: string;
  /** Whether the route attaches. */
  readonly attaches: boolean;
}

const MATCHING: readonly MatchCase[] = [
  { what: 'a listener without hostname matches every route hostname', route: ['shop.example.org'], attaches: true },
  { what: 'a route without hostnames matches every listener', listener: '*.example.com', attaches: true },
  { what: 'neither has hostnames', attaches: true },
  { what: 'exact names match', route: ['test.example.com'], listener: 'test.example.com', attaches: true },
  { what: 'exact names differ', route: ['shop.example.com'], listener: 'test.example.com', attaches: false },
  { what: 'listener *.example.com matches foo.example.com', route: ['foo.example.com'], listener: '*.example.com', attaches: true },
  { what: 'listener *.example.com matches foo.bar.example.com', route: ['foo.bar.example.com'], listener: '*.example.com', attaches: true },
  { what: 'listener *.example.com does not match example.com', route: ['example.com'], listener: '*.example.com', attaches: false },
  { what: 'listener *.example.com does not match test.example.net', route: ['test.example.net'], listener: '*.example.com', attaches: false },
  { what: 'listener *.example.com does not match shop.example.org', route: ['shop.example.org'], listener: '*.example.com', attaches: false },
  { what: 'a suffix is matched on a label boundary only', route: ['myexample.com'], listener: '*.example.com', attaches: false },
  { what: 'route *.example.com meets listener test.example.com', route: ['*.example.com'], listener: 'test.example.com', attaches: true },
  { what: 'route *.example.com meets listener foo.bar.example.com', route: ['*.example.com'], listener: 'foo.bar.example.com', attaches: true },
  { what: 'route *.example.com does not meet listener example.com', route: ['*.example.com'], listener: 'example.com', attaches: false },
  { what: 'route *.example.com meets listener *.bar.example.com', route: ['*.example.com'], listener: '*.bar.example.com', attaches: true },
  { what: 'route *.bar.example.com meets listener *.example.com', route: ['*.bar.example.com'], listener: '*.example.com', attaches: true },
  { what: 'the same wildcard on both', route: ['*.example.com'], listener: '*.example.com', attaches: true },
  { what: 'wildcards of different domains', route: ['*.example.com'], listener: '*.example.org', attaches: false },
  { what: 'route *.com meets listener shop.example.com', route: ['*.com'], listener: 'shop.example.com', attaches: true },
  { what: 'partly intersecting: one hostname of two matches, the other is ignored', route: ['shop.example.org', 'shop.example.com'], listener: '*.example.com', attaches: true },
  { what: 'none of several hostnames matches', route: ['shop.example.org', 'example.com'], listener: '*.example.com', attaches: false },
];

const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };

describe('the matching rules', () => {
  test.each(MATCHING.filter(c => c.route?.length === 1))('$what', c => {
    expect(hostnamesIntersect(c.route![0], c.listener)).toBe(c.attaches);
  });
});

describe('at synthesis: a route to a Gateway of the app', () => {
  function build(app: App, listeners: GatewayListener[]): { gateway: Gateway; shop: Tenant } {
    const infra = new Tenant(app, 'infra', { name: 'infra' });
    const gateway = new Gateway(infra, 'Gateway', { name: 'public', gatewayClassName: 'eg', listeners, allowRoutesFrom: ['shop'] });
    return { gateway, shop: new Tenant(app, 'shop', { name: 'shop' }) };
  }
  const web = (scope: Tenant, name = 'web') => new WebService(scope, name, { name, image: 'ghcr.io/acme/web:1.0.0', port: 8080, size, readiness: Probe.http('/ready') });
  const https = (hostname?: string): GatewayListener => ({ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname, tlsSecretName: 'tls' });

  test.each(MATCHING)('$what: addRoute() $attaches', c => {
    const app = Testing.app();
    const { gateway, shop } = build(app, [https(c.listener)]);
    const add = () => web(shop).addRoute({ gateway: gateway.listener('https'), hostnames: c.route });
    if (c.attaches) {
      add();
      expect(synthesize(app).length).toBeGreaterThan(0);
      return;
    }
    const e = thrownBy(add) as SeaworthyError;
    expect(e).toBeInstanceOf(SeaworthyError);
    expect(e.findings.map(f => `${f.rule.id} ${f.path} ${f.field}`)).toEqual(c.route!.map((_, i) => `SW-ROUTE-006 shop/web/Route hostnames[${i}]`));
    expect(e.findings[0].message).toContain(`: matches no hostname of the listener the route attaches to on Gateway infra/public: "https" (${c.listener})`);
    expect(e.findings[0].message).toContain(`Fix: ${Rules.ROUTE_HOSTNAME_UNMATCHED.fix}.`);
  });

  test('the message names the construct, the field, the value, the listener and its hostname, and the fix', () => {
    const app = Testing.app();
    const { gateway, shop } = build(app, [https('*.example.com')]);
    expect(thrownBy(() => web(shop).addRoute({ gateway: gateway.listener('https'), hostnames: ['shop.example.org'] })).message).toContain(
      'SW-ROUTE-006 [shop/web/Route] hostnames[0] = "shop.example.org": matches no hostname of the listener the route attaches to on Gateway infra/public: "https" (*.example.com); '
      + 'the Gateway never attaches the route (Accepted=False, NoMatchingListenerHostname). Fix: use a hostname the listener serves');
  });

  test('without a listener named, every listener is a candidate: one that matches (or has no hostname) is enough', () => {
    const listeners = [https('*.example.com'), { name: 'admin', port: 8443, protocol: ListenerProtocol.HTTPS, hostname: 'admin.example.net', tlsSecretName: 'admin-tls' }];
    const app = Testing.app();
    const { gateway, shop } = build(app, listeners);
    web(shop, 'a').addRoute({ gateway: gateway.asRef, hostnames: ['admin.example.net'] });
    expect(thrownBy(() => web(shop, 'b').addRoute({ gateway: gateway.asRef, hostnames: ['shop.example.org'] })).message)
      .toContain('hostnames[0] = "shop.example.org": matches no hostname of the listeners the route attaches to on Gateway infra/public: "https" (*.example.com), "admin" (admin.example.net);');
    // Naming the other listener narrows the candidates.
    expect(thrownBy(() => web(shop, 'c').addRoute({ gateway: gateway.listener('admin'), hostnames: ['shop.example.com'] })).message).toContain('SW-ROUTE-006 [shop/c/Route] hostnames[0] = "shop.example.com"');
    const open = Testing.app();
    const plain = build(open, [https('*.example.com'), { name: 'http', port: 80, protocol: ListenerProtocol.HTTP }]);
    web(plain.shop).addRoute({ gateway: plain.gateway.asRef, hostnames: ['shop.example.org'] });
    expect(Findings.of(plain.shop).map(f => f.rule.id)).toEqual(['SW-ROUTE-001']);
  });

  test('the HttpRoute and GrpcRoute constructs and the Tenant\'s default Gateway are judged the same way', () => {
    const app = Testing.app();
    const { gateway, shop } = build(app, [https('*.example.com')]);
    const api = web(shop, 'api');
    expect(thrownBy(() => new HttpRoute(shop, 'Storefront', { name: 'storefront', gateway: gateway.listener('https'), hostnames: ['store.example.org'], backends: [{ workload: api }] })).message)
      .toContain('SW-ROUTE-006 [shop/Storefront] hostnames[0] = "store.example.org"');
    expect(thrownBy(() => api.addGrpcRoute({ gateway: gateway.listener('https'), hostnames: ['grpc.example.org'], name: 'api-grpc' })).message)
      .toContain('SW-ROUTE-006 [shop/api/GrpcRoute] hostnames[0] = "grpc.example.org"');
    const withDefault = Testing.app();
    const infra = new Tenant(withDefault, 'infra', { name: 'infra' });
    const platform = new Gateway(infra, 'Gateway', { name: 'public', gatewayClassName: 'eg', listeners: [https('*.example.com')], allowRoutesFrom: ['orders'] });
    const orders = new Tenant(withDefault, 'orders', { name: 'orders', gateways: [platform.listener('https')] });
    expect(thrownBy(() => web(orders, 'orders').addRoute({ hostnames: ['orders.example.org'] })).message).toContain('SW-ROUTE-006 [orders/orders/Route] hostnames[0] = "orders.example.org"');
  });

  test('a Gateway outside the app (Gateway.fromRef) cannot be seen: nothing is said', () => {
    const app = Testing.app();
    const shop = new Tenant(app, 'shop', { name: 'shop' });
    web(shop).addRoute({ gateway: Gateway.fromRef('infra', 'public', { sectionName: 'https' }), hostnames: ['shop.example.org'] });
    expect(synthesize(app).length).toBeGreaterThan(0);
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-ROUTE-006')).toEqual([]);
  });

  test('a route the listener does not admit or that names no listener is SW-ROUTE-004 alone', () => {
    const app = Testing.app();
    const { gateway } = build(app, [https('*.example.com')]);
    const other = new Tenant(app, 'other', { name: 'other' });
    expect((thrownBy(() => web(other).addRoute({ gateway: gateway.listener('https'), hostnames: ['shop.example.org'] })) as SeaworthyError).ruleIds).toEqual(['SW-ROUTE-004']);
  });

  test('a listener hostname the CRD refuses is an error on the Gateway', () => {
    const app = Testing.app();
    expect(thrownBy(() => build(app, [https('*.Example.com')])).message).toContain('SW-PROPS-001 [infra/Gateway] listeners[0].hostname = "*.Example.com": must be a lowercase DNS name');
  });
});

describe('in the audit: any route and Gateway in view', () => {
  const GW = 'gateway.networking.k8s.io/v1';
  const listener = (name: string, hostname?: string, extra: KubeObject = {}) => ({ name, port: 443, protocol: 'HTTPS', hostname, allowedRoutes: { namespaces: { from: 'All' } }, ...extra });
  const gateway = (listeners: KubeObject[], namespace = 'infra') => ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'public', namespace }, spec: { gatewayClassName: 'eg', listeners } });
  const route = (hostnames: string[] | undefined, parentRefs: KubeObject[] = [{ name: 'public', namespace: 'infra', sectionName: 'https' }], kind = 'HTTPRoute') => ({
    apiVersion: GW, kind, metadata: { name: 'api', namespace: 'shop' }, spec: { parentRefs, hostnames, rules: [{ backendRefs: [{ name: 'api', port: 80 }] }] },
  });
  const found = (...objects: KubeObject[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-ROUTE-006');

  test.each(MATCHING)('$what: $attaches', c => {
    const findings = found(gateway([listener('https', c.listener)]), route(c.route));
    if (c.attaches) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings.map(f => [f.severity, f.field, f.value])).toEqual(c.route!.map((h, i) => [Severity.ERROR, `spec.hostnames[${i}]`, JSON.stringify(h)]));
    expect(findings[0].message).toContain(`SW-ROUTE-006 [HTTPRoute/shop/api] spec.hostnames[0] = "${c.route![0]}": matches no hostname of the listener spec.parentRefs[0] attaches to on Gateway infra/public: "https" (${c.listener})`);
  });

  test('a GRPCRoute is judged the same way', () => {
    expect(found(gateway([listener('https', '*.example.com')]), route(['grpc.example.org'], undefined, 'GRPCRoute')).map(f => f.object)).toEqual(['GRPCRoute/shop/api']);
  });

  test('without sectionName every listener that admits the route is a candidate; with port, those on the port', () => {
    const listeners = [listener('https', '*.example.com'), listener('admin', 'admin.example.net', { port: 8443 })];
    const parent = (extra: KubeObject = {}) => [{ name: 'public', namespace: 'infra', ...extra }];
    expect(found(gateway(listeners), route(['admin.example.net'], parent()))).toEqual([]);
    expect(found(gateway(listeners), route(['shop.example.org'], parent())).map(f => f.problem)).toEqual([
      'matches no hostname of the listeners spec.parentRefs[0] attaches to on Gateway infra/public: "https" (*.example.com), "admin" (admin.example.net); the Gateway never attaches the route (Accepted=False, NoMatchingListenerHostname)',
    ]);
    expect(found(gateway(listeners), route(['admin.example.net'], parent({ port: 443 })))).toHaveLength(1);
    expect(found(gateway(listeners), route(['admin.example.net'], parent({ port: 8443 })))).toEqual([]);
    expect(found(gateway(listeners), route(['admin.example.net'], parent({ sectionName: 'https' })))).toHaveLength(1);
    // A listener that does not take the route's kind or namespace is no candidate: its hostname does not help.
    const grpcOnly = [listener('https', '*.example.com'), listener('admin', 'admin.example.net', { allowedRoutes: { kinds: [{ kind: 'GRPCRoute' }], namespaces: { from: 'All' } } })];
    expect(found(gateway(grpcOnly), route(['admin.example.net'], parent())).map(f => f.problem)).toEqual([expect.stringContaining('listener spec.parentRefs[0] attaches to on Gateway infra/public: "https" (*.example.com);')]);
    // A listener without hostname takes everything.
    expect(found(gateway([...listeners, listener('http', undefined, { port: 80, protocol: 'HTTP' })]), route(['shop.example.org'], parent()))).toEqual([]);
  });

  test('the Gateway\'s namespace defaults to the route\'s', () => {
    expect(found(gateway([listener('https', '*.example.com')], 'shop'), route(['shop.example.org'], [{ name: 'public', sectionName: 'https' }]))).toHaveLength(1);
    expect(found(gateway([listener('https', '*.example.com')], 'infra'), route(['shop.example.org'], [{ name: 'public', sectionName: 'https' }]))).toEqual([]);
  });

  test('each parentRef is attached on its own: the one whose listeners miss every hostname is reported', () => {
    const internal = { ...gateway([listener('https', '*.internal.example.net')]), metadata: { name: 'internal', namespace: 'infra' } };
    const parents = [{ name: 'public', namespace: 'infra', sectionName: 'https' }, { name: 'internal', namespace: 'infra', sectionName: 'https' }];
    expect(found(gateway([listener('https', '*.example.com')]), internal, route(['shop.example.com', 'shop.internal.example.net'], parents))).toEqual([]);
    expect(found(gateway([listener('https', '*.example.com')]), internal, route(['shop.example.com'], parents)).map(f => f.problem))
      .toEqual([expect.stringContaining('listener spec.parentRefs[1] attaches to on Gateway infra/internal: "https" (*.internal.example.net);')]);
  });

  test('what cannot be seen or judged is not reported', () => {
    // No Gateway in view.
    expect(found(route(['shop.example.org']))).toEqual([]);
    // A parentRef to something else than a Gateway.
    expect(found(gateway([listener('https', '*.example.com')]), route(['shop.example.org'], [{ name: 'public', namespace: 'infra', kind: 'ListenerSet', sectionName: 'https' }]))).toEqual([]);
    // An invalid hostname is SW-ROUTE-002's.
    expect(found(gateway([listener('https', '*.example.com')]), route(['Shop.example.org']))).toEqual([]);
    // No listener admits the route: SW-ROUTE-004 says so.
    const same = gateway([listener('https', '*.example.com', { allowedRoutes: { namespaces: { from: 'Same' } } })]);
    expect(audit([same, route(['shop.example.org'])].map(object => ({ object }))).filter(f => /^SW-ROUTE-00[46]$/.test(f.rule.id)).map(f => f.rule.id)).toEqual(['SW-ROUTE-004']);
  });

  test('a listener whose namespace selector needs labels of a Namespace not in view may admit the route: its hostname counts, and SW-ROUTE-004 stays silent', () => {
    const byTeam = { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { team: 'shop' } } } } };
    const listeners = [listener('https', '*.example.com'), listener('team', 'shop.example.org', { port: 8443, ...byTeam })];
    const parents = [{ name: 'public', namespace: 'infra' }];
    const ids = (...objects: KubeObject[]) => audit(objects.map(object => ({ object }))).filter(f => /^SW-ROUTE-00[46]$/.test(f.rule.id)).map(f => f.rule.id);
    expect(ids(gateway(listeners), route(['shop.example.org'], parents))).toEqual([]);
    expect(ids(gateway([listeners[1]]), route(['shop.example.org'], parents))).toEqual([]);
    // With the Namespace in view its labels decide.
    const ns = (labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels } });
    expect(ids(gateway(listeners), route(['shop.example.org'], parents), ns({ team: 'shop' }))).toEqual([]);
    expect(ids(gateway(listeners), route(['shop.example.org'], parents), ns({ team: 'other' }))).toEqual(['SW-ROUTE-006']);
    expect(ids(gateway([listeners[1]]), route(['shop.example.org'], parents), ns({ team: 'other' }))).toEqual(['SW-ROUTE-004']);
    // A selector on the name label alone needs no Namespace.
    const byName = listener('team', 'shop.example.org', { allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': 'billing' } } } } });
    expect(ids(gateway([byName]), route(['shop.example.org'], parents))).toEqual(['SW-ROUTE-004']);
  });

  test('the seaworthy output of a route to a Gateway of the app audits clean', () => {
    const app = Testing.app();
    const infra = new Tenant(app, 'infra', { name: 'infra' });
    const gw = new Gateway(infra, 'Gateway', { name: 'public', gatewayClassName: 'eg', listeners: [{ name: 'https', port: 443, protocol: ListenerProtocol.HTTPS, hostname: '*.example.com', tlsSecretName: 'tls' }], allowRoutesFrom: ['shop'] });
    const shop = new Tenant(app, 'shop', { name: 'shop' });
    new WebService(shop, 'web', { name: 'web', image: 'ghcr.io/acme/web:1.0.0', port: 8080, size, readiness: Probe.http('/ready') }).addRoute({ gateway: gw.listener('https'), hostnames: ['shop.example.com', '*.shop.example.com'] });
    const objects = synthesize(app).flatMap(m => m.objects as KubeObject[]);
    expect(found(...objects)).toEqual([]);
  });
});

describe('never an error on correct YAML', () => {
  test('third-party manifests (../shared/outside-yaml): no SW-ROUTE-006', () => {
    const { inputs } = loadManifests([path.join(sharedDir(), 'outside-yaml')]);
    expect(inputs.length).toBeGreaterThan(100);
    expect(audit(inputs).filter(f => f.rule.id === 'SW-ROUTE-006').map(f => f.message)).toEqual([]);
  });

  test('the CRD descriptions\' own examples attach', () => {
    const GW = 'gateway.networking.k8s.io/v1';
    // "A Listener with test.example.com as the hostname matches HTTPRoutes that have either not
    // specified any hostnames, or have specified at least one of test.example.com or *.example.com."
    // "A Listener with *.example.com as the hostname matches HTTPRoutes that have either not
    // specified any hostnames or have specified at least one hostname that matches the Listener
    // hostname. For example, *.example.com, test.example.com, and foo.test.example.com would all
    // match. On the other hand, example.com and test.example.net would not match."
    const examples: Array<[string, string[] | undefined, boolean]> = [
      ['test.example.com', undefined, true], ['test.example.com', ['test.example.com'], true], ['test.example.com', ['*.example.com'], true],
      ['*.example.com', undefined, true], ['*.example.com', ['*.example.com'], true], ['*.example.com', ['test.example.com'], true], ['*.example.com', ['foo.test.example.com'], true],
      ['*.example.com', ['example.com'], false], ['*.example.com', ['test.example.net'], false],
      // "if a Listener specified *.example.com, and the HTTPRoute specified test.example.com and
      // test.example.net, test.example.net must not be considered for a match": the route attaches.
      ['*.example.com', ['test.example.com', 'test.example.net'], true],
    ];
    for (const [hostname, hostnames, attaches] of examples) {
      const objects = [
        { apiVersion: GW, kind: 'Gateway', metadata: { name: 'gw', namespace: 'default' }, spec: { gatewayClassName: 'example', listeners: [{ name: 'http', port: 80, protocol: 'HTTP', hostname }] } },
        { apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'default' }, spec: { parentRefs: [{ name: 'gw' }], hostnames, rules: [{ backendRefs: [{ name: 'svc', port: 80 }] }] } },
      ];
      const ids = audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-ROUTE-006');
      expect([hostname, hostnames, ids.length === 0]).toEqual([hostname, hostnames, attaches]);
    }
  });
});
