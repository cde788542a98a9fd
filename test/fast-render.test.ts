import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, ApiObjectMetadataDefinition, App, Chart, IResolver, JsonPatch, Lazy, ResolutionContext, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { KubeDeployment, KubeService, IntOrString, Quantity } from '../imports/k8s';
import { ServiceMonitor, ServiceMonitorSpecEndpointsTargetPort } from '../imports/prometheus-operator';
import { EXAMPLES } from '../src/construct-examples';
import { buildApp, ENVIRONMENTS } from '../src/main';
import { fastRendering, fastRenderingAvailable, renderObject, reproducedFunctions, sourceDigest } from '../src/synth/fast-render';
import { renderingsHandedBack, rendersByPlan } from '../src/synth/l1-rendering';
import { appArb, buildGenerated } from './support/app-arbitraries';
import { thrownBy } from './support/synth';

function apiObjects(app: App): ApiObject[] {
  return app.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/** Each object's JSON text as cdk8s renders it and as `fastRendering()` does, key order included. */
function bothRenderings(app: App, objects = apiObjects(app)): Array<{ path: string; cdk8s: string; fast: string }> {
  return objects.map(o => ({
    path: o.node.path,
    cdk8s: JSON.stringify(o.toJson()),
    fast: fastRendering(() => JSON.stringify(renderObject(o))),
  }));
}

function expectSameRendering(app: App): number {
  const rendered = bothRenderings(app);
  for (const r of rendered) expect({ path: r.path, json: r.fast }).toEqual({ path: r.path, json: r.cdk8s });
  return rendered.length;
}


describe('fast rendering', () => {
  test('is in use with the cdk8s this package locks (a cdk8s whose rendering changed renders as before: update VERIFIED after checking the new code)', () => {
    const digests = Object.fromEntries(Object.entries(reproducedFunctions()).map(([name, fn]) => [name, sourceDigest(fn)]));
    expect(Object.values(digests).every(d => d !== '')).toBe(true);
    expect(fastRenderingAvailable()).toBe(true);
  });

  test('renders the reference app of every environment exactly as cdk8s does, none of it handed back to cdk8s', () => {
    const handedBack = renderingsHandedBack();
    let objects = 0;
    for (const env of ENVIRONMENTS) objects += expectSameRendering(buildApp(Testing.app(), env));
    expect(objects).toBeGreaterThan(100);
    expect(renderingsHandedBack()).toBe(handedBack);
  });

  test('renders every construct example exactly as cdk8s does', () => {
    let objects = 0;
    for (const e of EXAMPLES) {
      const app = Testing.app();
      e.build(new Chart(app, 'demo', { namespace: 'demo' }));
      objects += expectSameRendering(app);
    }
    expect(objects).toBeGreaterThan(EXAMPLES.length);
  });

  test('renders generated apps of every workload kind and target exactly as cdk8s does', () => {
    const handedBack = renderingsHandedBack();
    for (const spec of fc.sample(appArb, { seed: 25, numRuns: 40 })) expectSameRendering(buildGenerated(spec));
    expect(renderingsHandedBack()).toBe(handedBack);
  });

  test('renders what cdk8s resolves: Lazy values (nested), implicit tokens, number-or-string unions, nulls, empty maps and lists, JSON patches', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'ns', labels: { team: 'a' } });
    const deployment = new KubeDeployment(chart, 'd', {
      metadata: { name: 'd', annotations: {}, finalizers: [], labels: { z: 'last', a: 'first' } },
      spec: {
        selector: { matchLabels: { app: 'd' } },
        strategy: { rollingUpdate: { maxSurge: IntOrString.fromString('25%'), maxUnavailable: IntOrString.fromNumber(0) } },
        template: {
          metadata: { labels: { app: 'd' }, annotations: {} },
          spec: {
            containers: [{
              name: 'c', image: 'i', args: [],
              resources: { limits: { cpu: Quantity.fromString('1'), memory: Quantity.fromNumber(1024) } },
              env: Lazy.any({ produce: () => [{ name: 'A', value: Lazy.any({ produce: () => 'nested' }) }, { name: 'B', value: undefined }] }),
            }],
            nodeSelector: {},
          },
        },
      },
    });
    deployment.addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'high'), JsonPatch.remove('/spec/selector'));
    const token = { resolve: () => ({ b: 2, a: [1, null, { resolve: () => 'deep' }] }) };
    new ApiObject(chart, 'raw', { apiVersion: 'example.com/v1', kind: 'Thing', spec: { token, empty: {}, list: [], nil: null, zero: 0, no: false } });
    const [rendered] = bothRenderings(app).filter(r => r.path.endsWith('/raw'));
    expect(JSON.parse(rendered.fast).spec).toEqual({ empty: {}, list: [], no: false, token: { a: [1, null, 'deep'], b: 2 }, zero: 0 });
    expectSameRendering(app);
  });

  test('keeps insertion order under CDK8S_DISABLE_SORT, as cdk8s does', () => {
    const app = Testing.app();
    new KubeService(new Chart(app, 'c'), 's', { metadata: { labels: { z: '1', a: '2' } }, spec: { selector: { z: 'z', a: 'a' }, ports: [{ port: 80 }] } });
    process.env.CDK8S_DISABLE_SORT = '1';
    try {
      expectSameRendering(app);
      const json = fastRendering(() => apiObjects(app)[0].toJson()) as { spec: { selector: Record<string, string> } };
      expect(Object.keys(json.spec.selector)).toEqual(['z', 'a']);
    } finally {
      delete process.env.CDK8S_DISABLE_SORT;
    }
  });

  test('leaves apps with their own resolvers to cdk8s, which asks them', () => {
    const asked: string[] = [];
    const upper: IResolver = {
      resolve(context: ResolutionContext) {
        if (context.value === 'hello' && context.key.join('.') === 'spec.greeting') {
          asked.push(context.value);
          context.replaceValue(context.value.toUpperCase());
        }
      },
    };
    const app = new App({ outdir: '/dev/null', resolvers: [upper] });
    new ApiObject(new Chart(app, 'c'), 'o', { apiVersion: 'v1', kind: 'Thing', spec: { greeting: 'hello' } });
    const json = fastRendering(() => apiObjects(app)[0].toJson()) as { spec: { greeting: string } };
    expect(json.spec.greeting).toBe('HELLO');
    expect(asked).toEqual(['hello']);
  });

  test('fails as cdk8s fails: a value neither plain nor resolvable, a producer that throws', () => {
    class Opaque { public readonly x = 1; }
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    const opaque = new ApiObject(chart, 'opaque', { apiVersion: 'v1', kind: 'Thing', spec: { o: new Opaque() } });
    const throwing = new ApiObject(chart, 'throwing', { apiVersion: 'v1', kind: 'Thing', spec: { v: Lazy.any({ produce: () => { throw new Error('no value'); } }) } });
    for (const o of [opaque, throwing]) {
      const cdk8sMessage = thrownBy(() => o.toJson()).message;
      expect(cdk8sMessage).toMatch(/^Failed serializing construct at path 'c\/\w+' with name '[\w-]+': /);
      expect(thrownBy(() => fastRendering(() => o.toJson())).message).toBe(cdk8sMessage);
    }
  });

  test('puts cdk8s rendering back after the call, also when it throws, and nests', () => {
    const cdk8sToJson = ApiObject.prototype.toJson;
    const cdk8sMetadataToJson = ApiObjectMetadataDefinition.prototype.toJson;
    expect(() => fastRendering(() => { throw new Error('boom'); })).toThrow('boom');
    expect(ApiObject.prototype.toJson).toBe(cdk8sToJson);
    expect(ApiObjectMetadataDefinition.prototype.toJson).toBe(cdk8sMetadataToJson);
    const inner = fastRendering(() => {
      const during = ApiObject.prototype.toJson;
      expect(during).not.toBe(cdk8sToJson);
      return fastRendering(() => ApiObject.prototype.toJson === during);
    });
    expect(inner).toBe(true);
    expect(ApiObject.prototype.toJson).toBe(cdk8sToJson);
  });

  test('converts every generated class the reference app uses by plan (a class without one renders as cdk8s renders it)', () => {
    const classes = new Map<string, boolean>();
    for (const env of ENVIRONMENTS) {
      for (const o of apiObjects(buildApp(Testing.app(), env))) {
        if (Object.getPrototypeOf(o) !== ApiObject.prototype) classes.set(`${o.apiVersion} ${o.kind}`, rendersByPlan(o));
      }
    }
    expect([...classes].filter(([, byPlan]) => !byPlan)).toEqual([]);
    expect([...classes.keys()]).toEqual(expect.arrayContaining(['apps/v1 Deployment', 'gateway.networking.k8s.io/v1 HTTPRoute', 'policy/v1 PodDisruptionBudget', 'networking.k8s.io/v1 NetworkPolicy']));
  });

  test('renders by plan what cdk8s renders oddly, and hands what the plan does not expect to the class\'s own code: a null in a list of objects, text where an object belongs, a "__proto__" map key', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    new KubeService(chart, 'null-port', { spec: { ports: [{ port: 80 }, null as unknown as { port: number }] } });
    new KubeService(chart, 'text-spec', { spec: 'not an object' as unknown as object });
    new KubeService(chart, 'proto-key', { spec: { selector: JSON.parse('{"__proto__": "x", "app": "a"}') as Record<string, string>, ports: [{ port: 80 }] } });
    const [nullPort, textSpec, protoKey] = bothRenderings(app);
    for (const r of [nullPort, textSpec, protoKey]) expect(r.fast).toBe(r.cdk8s);
    expect(JSON.parse(nullPort.fast).spec.ports).toEqual([{ port: 80 }, null]);
    expect(JSON.parse(textSpec.fast).spec).toEqual({});
    // cdk8s loses an own "__proto__" key (seaworthy's constructs carry such keys marked: own-keys.ts).
    expect(Object.keys(JSON.parse(protoKey.fast).spec.selector)).toEqual(['app']);
  });

  test('renders the shapes of other generated modules by plan: a map of lists of a type, a number-or-string of its own', () => {
    const app = Testing.app();
    const monitor = new ServiceMonitor(new Chart(app, 'c', { namespace: 'ns' }), 'm', {
      metadata: { name: 'm' },
      spec: {
        selector: { matchLabels: { app: 'a' } },
        endpoints: [{
          targetPort: ServiceMonitorSpecEndpointsTargetPort.fromNumber(9090),
          proxyConnectHeader: { 'X-B': [{ key: 'b', name: 'secret-b' }], 'X-A': [{ name: 'secret-a', key: 'a' }, { key: 'c' }] },
        }],
      },
    });
    const handedBack = renderingsHandedBack();
    expect(rendersByPlan(monitor)).toBe(true);
    const [r] = bothRenderings(app);
    expect(r.fast).toBe(r.cdk8s);
    expect(renderingsHandedBack()).toBe(handedBack);
    expect(JSON.parse(r.fast).spec.endpoints[0]).toEqual({ targetPort: 9090, proxyConnectHeader: { 'X-A': [{ key: 'a', name: 'secret-a' }, { key: 'c' }], 'X-B': [{ key: 'b', name: 'secret-b' }] } });
  });

  test('leaves a class whose method was replaced after its plan was made (a spy) to that method', () => {
    const app = Testing.app();
    const service = new KubeService(new Chart(app, 'c', { namespace: 'ns' }), 's', { spec: { ports: [{ port: 80 }] } });
    expect(rendersByPlan(service)).toBe(true);
    const spy = jest.spyOn(KubeService.prototype, 'toJson');
    try {
      const json = fastRendering(() => renderObject(service)) as { spec: { ports: unknown[] } };
      expect(spy).toHaveBeenCalledTimes(1);
      expect(json.spec.ports).toEqual([{ port: 80 }]);
      expect(rendersByPlan(service)).toBe(false);
    } finally {
      spy.mockRestore();
    }
    expect(rendersByPlan(service)).toBe(true);
  });

  test('renders cdk8s-plus objects with their own Lazy specs', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c', { namespace: 'ns' });
    const d = new kplus.Deployment(chart, 'd', { containers: [{ image: 'nginx', portNumber: 80, securityContext: { ensureNonRoot: false } }] });
    d.exposeViaService({ ports: [{ port: 8080, targetPort: 80 }] });
    expectSameRendering(app);
  });

  test('finishers go through wrapRendering(), never the class\'s method bound at construction (which would bypass the plan)', () => {
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap(e => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    const sources = files(path.join(__dirname, '..', 'src')).map(f => ({ file: path.relative(path.join(__dirname, '..'), f), text: fs.readFileSync(f, 'utf8') }));
    const binding = sources.filter(s => /\.toJson\.bind\(/.test(s.text));
    expect(binding.map(s => s.file)).toEqual(['src/synth/fast-render.ts']);
    // Only fast-render.ts sets a toJson (the prototypes' during a rendering, and wrapRendering()'s).
    const assigning = sources.filter(s => /\.toJson\s*=[^=]/.test(s.text));
    expect(assigning.map(s => s.file)).toEqual(['src/synth/fast-render.ts']);
  });
});
