import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import * as yaml from 'yaml';
import { synthesize } from '../src';
import { EXAMPLES } from '../src/construct-examples';
import { CrdCel, formatViolation } from './support/crd-cel';
import { buildFrontDoors } from './support/front-door-app';
import { crdCelRules, crdSchemaErrors, SHARED_CRDS } from './support/k8s-schema';

/**
 * The CEL rules (`x-kubernetes-validations`) of the CRDs under ../shared/crds, evaluated offline
 * (test/support/crd-cel.ts) now that no API server runs them: every rule compiles; every custom
 * resource seaworthy emits passes its CRD's schema and rules; resources that only a rule forbids
 * are caught, each with the rule's message.
 */

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };

const ROOT = path.join(__dirname, '..');
const CUSTOM_KINDS = ['Application', 'GRPCRoute', 'Gateway', 'HTTPRoute', 'Kustomization', 'PrometheusRule', 'ReferenceGrant', 'ServiceMonitor', 'VerticalPodAutoscaler'];

function distObjects(): { file: string; object: Obj }[] {
  const out: { file: string; object: Obj }[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.yaml')) {
        for (const doc of yaml.parseAllDocuments(fs.readFileSync(p, 'utf8'))) {
          const object = doc.toJS() as Obj | null;
          if (object) out.push({ file: path.relative(ROOT, p), object });
        }
      }
    }
  };
  walk(path.join(ROOT, 'dist'));
  return out;
}

function rendered(label: string, build: (app: App) => void): { file: string; object: Obj }[] {
  const app = Testing.app();
  build(app);
  return synthesize(app).flatMap(m => m.objects.map(o => ({ file: `${label}: ${m.file}`, object: o as Obj })));
}

const GW = 'gateway.networking.k8s.io/v1';
const parentRefs = [{ name: 'public', namespace: 'infra', sectionName: 'https' }];
const backendRefs = [{ name: 'web', port: 80 }];
const httpRoute = (spec: Record<string, unknown>): Obj => ({ apiVersion: GW, kind: 'HTTPRoute', metadata: { name: 'r', namespace: 'shop' }, spec: { parentRefs, ...spec } });
const gateway = (listeners: unknown[]): Obj => ({ apiVersion: GW, kind: 'Gateway', metadata: { name: 'g', namespace: 'infra' }, spec: { gatewayClassName: 'eg', listeners } });
const grpcRoute = (matches: unknown[]): Obj => ({ apiVersion: GW, kind: 'GRPCRoute', metadata: { name: 'g', namespace: 'shop' }, spec: { parentRefs, rules: [{ matches, backendRefs }] } });
const tlsRoute = (hostnames: string[]): Obj => ({ apiVersion: GW, kind: 'TLSRoute', metadata: { name: 't', namespace: 'shop' }, spec: { parentRefs, hostnames, rules: [{ backendRefs: [{ name: 'db', port: 5432 }] }] } });
const matches = (n: number) => Array.from({ length: n }, (_, i) => ({ path: { type: 'PathPrefix', value: `/p${i}` } }));

/** Schema-valid, CEL-invalid resources, each with the message of the rule that catches it. */
const BROKEN: { label: string; object: Obj; message: string }[] = [
  {
    label: 'an HTTPRoute rule with a RequestRedirect and a URLRewrite filter',
    object: httpRoute({ rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { statusCode: 301 } }, { type: 'URLRewrite', urlRewrite: { hostname: 'new.example.com' } }] }] }),
    message: 'May specify either httpRouteFilterRequestRedirect or httpRouteFilterRequestRewrite, but not both',
  },
  {
    label: 'an HTTPRoute rule with a RequestRedirect filter and backendRefs',
    object: httpRoute({ rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }], backendRefs }] }),
    message: 'RequestRedirect filter must not be used together with backendRefs',
  },
  {
    label: 'an HTTPRoute PathPrefix match whose value does not start with /',
    object: httpRoute({ rules: [{ matches: [{ path: { type: 'PathPrefix', value: 'api' } }], backendRefs }] }),
    message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
  },
  {
    label: 'an HTTPRoute with 3 × 64 matches (each rule within its maxItems, the total over 128)',
    object: httpRoute({ rules: [0, 1, 2].map(() => ({ matches: matches(64), backendRefs })) }),
    message: 'While 16 rules and 64 matches per rule are allowed, the total number of matches across all rules in a route must be less than 128',
  },
  {
    label: 'an HTTPRoute rewriting a path prefix on a rule with several matches',
    object: httpRoute({ rules: [{ matches: matches(2), filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } }], backendRefs }] }),
    message: 'When using URLRewrite filter with path.replacePrefixMatch, exactly one PathPrefix match must be specified',
  },
  {
    label: 'an HTTPRoute whose backendRequest timeout exceeds its request timeout',
    object: httpRoute({ rules: [{ backendRefs, timeouts: { request: '30s', backendRequest: '1m' } }] }),
    message: 'backendRequest timeout cannot be longer than request timeout',
  },
  {
    label: 'an HTTPRoute backendRef to a Service without a port',
    object: httpRoute({ rules: [{ backendRefs: [{ name: 'web' }] }] }),
    message: 'Must have port for Service reference',
  },
  {
    label: 'a Gateway with two listeners on the same port, protocol and hostname',
    object: gateway([{ name: 'a', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }, { name: 'b', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }]),
    message: 'Combination of port, protocol and hostname must be unique for each listener',
  },
  {
    label: 'a Gateway with TLS on an HTTP listener',
    object: gateway([{ name: 'http', port: 80, protocol: 'HTTP', tls: { mode: 'Terminate', certificateRefs: [{ name: 'cert' }] } }]),
    message: "tls must not be specified for protocols ['HTTP', 'TCP', 'UDP']",
  },
  {
    label: 'a GRPCRoute method match with neither service nor method',
    object: grpcRoute([{ method: { type: 'Exact' } }]),
    message: "One or both of 'service' or 'method' must be specified",
  },
  {
    label: 'a GRPCRoute method match with an invalid service name',
    object: grpcRoute([{ method: { service: 'shop/v1' } }]),
    message: 'service must only contain valid characters (matching ^(?i)\\.?[a-z_][a-z_0-9]*(\\.[a-z_][a-z_0-9]*)*$)',
  },
  {
    label: 'a TLSRoute whose hostname is an IP address',
    object: tlsRoute(['10.0.0.1']),
    message: 'Hostnames cannot contain an IP',
  },
  {
    label: 'a VerticalPodAutoscaler startup boost of type Factor without a factor',
    object: { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'v', namespace: 'shop' }, spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, startupBoost: { cpu: { type: 'Factor', quantity: '2' } } } },
    message: 'factor is required when type is Factor and forbidden otherwise',
  },
];

/** Their valid counterparts: no false positives. */
const VALID: { label: string; object: Obj }[] = [
  {
    // 64 + 1 + 63: exactly the 128 matches the CRD allows in total.
    label: 'an HTTPRoute with URLRewrite filters, timeouts and 128 matches',
    object: httpRoute({
      rules: [
        { matches: matches(64), filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplaceFullPath', replaceFullPath: '/v2' } } }], backendRefs, timeouts: { request: '30s', backendRequest: '2500ms' } },
        { matches: matches(1), filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' } } }], backendRefs },
        { matches: matches(63), backendRefs },
      ],
    }),
  },
  { label: 'an HTTPRoute redirect without backendRefs, and defaulted matches', object: httpRoute({ rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }] }) },
  { label: 'a Gateway with listeners differing in port or hostname', object: gateway([{ name: 'a', port: 80, protocol: 'HTTP', hostname: 'shop.example.com' }, { name: 'b', port: 80, protocol: 'HTTP', hostname: 'api.example.com' }, { name: 'c', port: 443, protocol: 'HTTPS', hostname: 'shop.example.com', tls: { certificateRefs: [{ name: 'cert' }] } }]) },
  { label: 'a GRPCRoute matching a service', object: grpcRoute([{ method: { service: 'shop.v1.Orders' } }, { method: { service: 'shop.v1.Orders', method: 'Get' } }]) },
  { label: 'a TLSRoute with a hostname and a wildcard', object: tlsRoute(['db.example.com', '*.example.com']) },
  {
    label: 'a VerticalPodAutoscaler startup boost of type Factor with its factor',
    object: { apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'v', namespace: 'shop' }, spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, startupBoost: { cpu: { type: 'Factor', factor: 2 } } } },
  },
];

/** The 1.28-compatible Gateway sample of test/apiserver.test.ts. */
const SAMPLE_128 = [
  'apiVersion: gateway.networking.k8s.io/v1\nkind: GatewayClass\nmetadata:\n  name: example\nspec:\n  controllerName: example.com/gateway-controller\n',
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: web\n  namespace: gw-check\nspec:\n  gatewayClassName: example\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 80\n',
  'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: api\n  namespace: gw-check\nspec:\n  parentRefs:\n    - name: web\n  hostnames:\n    - shop.example.com\n  rules:\n    - matches:\n        - path:\n            type: PathPrefix\n            value: /api\n      backendRefs:\n        - name: api\n          port: 80\n',
].join('---\n');

describe('the CRDs\' CEL rules, offline', () => {
  test('every CEL rule of every CRD under ../shared/crds compiles', () => {
    const dirs = fs.readdirSync(SHARED_CRDS, { withFileTypes: true }).filter(d => d.isDirectory()).map(d => path.join(SHARED_CRDS, d.name)).sort();
    const all = new CrdCel(dirs);
    const counts = all.counts();
    console.log(`CEL rules of the CRDs under ${SHARED_CRDS} (rules / compiled / transition):\n  ${counts.map(c => `${c.crd}: ${c.rules} / ${c.compiled} / ${c.transition}`).join('\n  ')}`);
    // Guards against an empty or half-read folder passing this test.
    expect(counts.map(c => c.crd)).toEqual(expect.arrayContaining(['HTTPRoute gateway.networking.k8s.io/v1', 'Gateway gateway.networking.k8s.io/v1', 'GRPCRoute gateway.networking.k8s.io/v1', 'Kustomization kustomize.toolkit.fluxcd.io/v1', 'VerticalPodAutoscaler autoscaling.k8s.io/v1']));
    expect(all.rules().length).toBeGreaterThanOrEqual(300);
    expect(all.compileErrors().map(e => `${e.rule.file} ${e.rule.crd} ${e.rule.path}: ${e.rule.rule}\n    ${e.error}`)).toEqual([]);
  });

  test('a rule that does not compile is reported with its CRD, path and text, and fails objects rather than being skipped', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-cel-'));
    try {
      const rules = ['self.nope == 1', 'isCIDR(self.a)', 'self.a.split(1).size() > 0', 'self.a', 'self.a.startsWith(\'x\')'];
      fs.writeFileSync(path.join(dir, 'x.yaml'), yaml.stringify({
        apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition',
        spec: { group: 'x.io', names: { kind: 'X' }, versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } }, 'x-kubernetes-validations': rules.map(rule => ({ rule })) } } } } }] },
      }));
      const cel = new CrdCel([dir]);
      expect(cel.compileErrors().map(e => `${e.rule.crd} ${e.rule.path}: ${e.rule.rule}: ${e.error}`)).toEqual([
        "X x.io/v1 spec: self.nope == 1: undefined field 'nope'",
        "X x.io/v1 spec: isCIDR(self.a): undeclared reference to 'isCIDR' in isCIDR(string)",
        'X x.io/v1 spec: self.a.split(1).size() > 0: found no matching overload for string.split(int)',
        "X x.io/v1 spec: self.a: the rule's type is string, not bool",
      ]);
      const outcome = cel.validate({ apiVersion: 'x.io/v1', kind: 'X', metadata: { name: 'x' }, spec: { a: 'xy' } } as Obj)!;
      expect(outcome.violations.map(v => v.message)).toEqual([expect.stringMatching(/^rule does not compile/), expect.stringMatching(/^rule does not compile/), expect.stringMatching(/^rule does not compile/), expect.stringMatching(/^rule does not compile/)]);
      expect(outcome.evaluated).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every custom resource seaworthy emits passes its CRD\'s schema and CEL rules', () => {
    const objects = [
      ...distObjects(),
      ...EXAMPLES.flatMap(e => rendered(`example ${e.title}`, app => e.build(new Chart(app, 'demo', { namespace: 'demo' })))),
      ...rendered('front doors', buildFrontDoors),
    ];
    const custom = objects.filter(o => crdSchemaErrors(o.object) !== undefined);
    // Each kind must be there, so this cannot pass on an empty set.
    expect([...new Set(custom.map(o => o.object.kind))].sort()).toEqual(CUSTOM_KINDS);
    expect([...new Set(custom.filter(o => o.file.startsWith('dist')).map(o => o.object.kind))].sort()).toEqual(['Application', 'Gateway', 'HTTPRoute', 'Kustomization', 'PrometheusRule', 'ReferenceGrant', 'ServiceMonitor', 'VerticalPodAutoscaler']);
    expect([...new Set(custom.filter(o => o.file.startsWith('example')).map(o => o.object.kind))].sort()).toEqual(['Gateway', 'HTTPRoute', 'PrometheusRule', 'ServiceMonitor', 'VerticalPodAutoscaler']);
    expect(custom.flatMap(o => crdSchemaErrors(o.object)!.map(e => `${o.file}: ${e}`))).toEqual([]);
    let evaluated = 0;
    const notApplicable: string[] = [];
    for (const o of custom) {
      const outcome = crdCelRules().validate(o.object)!;
      evaluated += outcome.evaluated;
      notApplicable.push(...outcome.notApplicableOnCreate);
    }
    const counts = crdCelRules().counts().filter(c => CUSTOM_KINDS.includes(c.crd.split(' ')[0]) && c.rules > 0 && c.crd.endsWith('/v1'));
    console.log(`${custom.length} custom resources seaworthy emits, ${evaluated} rule evaluations, ${notApplicable.length} transition rules not applicable on create; distinct rules evaluated / compiled:\n  ${counts.map(c => `${c.crd}: ${c.evaluated} / ${c.compiled}`).join('\n  ')}`);
    expect(evaluated).toBeGreaterThan(0);
    for (const kind of ['Gateway', 'HTTPRoute', 'GRPCRoute']) expect(counts.find(c => c.crd === `${kind} ${GW}`)?.evaluated).toBeGreaterThan(0);
  });

  test.each(BROKEN.map(b => [b.label, b] as const))('catches %s by its CEL rule only', (_label, { object, message }) => {
    const cel = crdCelRules().validate(object)!;
    expect(cel.violations.map(v => v.message)).toContain(message);
    // Schema-valid: all the errors there are come from the CEL rules.
    expect(crdSchemaErrors(object)).toEqual(cel.violations.map(formatViolation));
  });

  test.each(VALID.map(v => [v.label, v] as const))('passes %s', (_label, { object }) => {
    expect(crdSchemaErrors(object)).toEqual([]);
    expect(crdCelRules().validate(object)!.evaluated).toBeGreaterThan(0);
  });

  test('Argo CD Applications are validated strictly against their CRD now', () => {
    const app = yaml.parse(fs.readFileSync(path.join(ROOT, 'dist', 'argocd', 'platform-prod.yaml'), 'utf8')) as Obj;
    expect(app.kind).toBe('Application');
    expect(crdSchemaErrors(app)).toEqual([]);
    const spec = app.spec as Record<string, unknown>;
    expect(crdSchemaErrors({ ...app, spec: { ...spec, surplus: true } })).toEqual([expect.stringContaining('must NOT have additional properties (surplus)')]);
  });

  test('the violation names the object, the field and the rule', () => {
    const [violation] = crdCelRules().validate(BROKEN[2].object)!.violations;
    expect(violation).toEqual({
      object: 'HTTPRoute/r', field: 'spec.rules[0].matches[0].path', rule: "(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true",
      message: "value must be an absolute path and start with '/' when type one of ['Exact', 'PathPrefix']",
    });
  });

  test('the 1.28-compatible Gateway sample of the API-server suite passes; the GatewayClass\'s transition rule is counted, not run', () => {
    const objects = yaml.parseAllDocuments(SAMPLE_128).map(d => d.toJS() as Obj);
    expect(objects.map(o => o.kind)).toEqual(['GatewayClass', 'Gateway', 'HTTPRoute']);
    expect(objects.flatMap(o => crdSchemaErrors(o) ?? [`${o.kind}: no CRD`])).toEqual([]);
    const outcomes = objects.map(o => crdCelRules().validate(o)!);
    expect(outcomes.map(o => o.violations)).toEqual([[], [], []]);
    expect(outcomes[0].notApplicableOnCreate).toEqual([expect.stringContaining('GatewayClass/example: spec.controllerName: self == oldSelf (transition rule, not run on create)')]);
    expect(outcomes[1].evaluated + outcomes[2].evaluated).toBeGreaterThan(10);
  });
});
