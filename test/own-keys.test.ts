import { App, Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  AppConfig, Env, explainConstructs, Findings, Gateway, HttpRoute, ListenerProtocol, PodAffinityTerm, SeaworthyError, StorageClass, synthesize, Tenant, WebService,
} from '../src';
import { restoresOwnKeys } from '../src/synth/own-keys';
import { WORKLOADS } from './support/adversarial';
import { SMALL } from './support/fixtures';
import { apiProps } from './support/props';
import { KubeObject, synthValid, thrownBy } from './support/synth';

/**
 * Map keys named like Object.prototype members ("constructor", "__proto__", "toString", …) are
 * valid Kubernetes keys. They reach the YAML exactly as given in env, labels, annotations,
 * nodeSelector, pod affinity labels, DNS options and AppConfig data; other maps refuse them.
 */

/** Every member name of Object.prototype: "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", … */
const MEMBERS = Object.getOwnPropertyNames(Object.prototype);
/** The ones that are valid label keys too (a label key starts and ends with an alphanumeric). */
const LABEL_MEMBERS = MEMBERS.filter(m => /^[A-Za-z0-9]/.test(m) && /[A-Za-z0-9]$/.test(m));

/** `{ [key]: value }` with `key` as an own property, "__proto__" included (a literal would set the prototype). */
function own<T>(key: string, value: T): Record<string, T> {
  return Object.defineProperty({}, key, { value, enumerable: true, writable: true, configurable: true }) as Record<string, T>;
}

/** The objects of `app` as `seaworthy synth` writes them: YAML text, read back. */
function writtenObjects(app: App): KubeObject[] {
  return synthesize(app).flatMap(m => yaml.loadAll(m.yaml) as KubeObject[]);
}

function newApp(): { app: App; chart: Chart } {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'c', { namespace: 'shop' }) };
}

test('the names tested are the usual suspects and the rest of Object.prototype', () => {
  expect(MEMBERS).toEqual(expect.arrayContaining(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', 'isPrototypeOf']));
  expect(LABEL_MEMBERS).toEqual(expect.arrayContaining(['constructor', 'toString', 'hasOwnProperty', 'valueOf']));
  expect(LABEL_MEMBERS).not.toContain('__proto__');
});

describe('env names', () => {
  test.each(MEMBERS)('"%s" reaches the YAML of the main container, a sidecar, an init container and a canary, exactly', name => {
    // GIVEN the name as an env var everywhere a container takes env
    const { app, chart } = newApp();
    const sidecar = { name: 'tail', image: 'ghcr.io/acme/tail:1.0.0', size: SMALL, env: own(name, Env.value('s')) };
    const init = { name: 'migrate', image: 'ghcr.io/acme/migrate:1.0.0', size: SMALL, env: own(name, Env.fromSecret('db', 'url')) };
    const web = new WebService(chart, 'api', apiProps({ env: own(name, Env.value('m')), sidecars: [sidecar], initContainers: [init], releaseTracks: true }));
    web.addCanary({ image: 'ghcr.io/acme/api:1.5.0', env: own(name, Env.value('c')) });
    // WHEN synthesized (strict schema of the target included) and written as YAML
    const objects = synthValid(chart);
    const written = writtenObjects(app);
    // THEN every container carries the name, with its value, in both
    for (const objs of [objects, written]) {
      const env = (deployment: string) => {
        const spec = objs.find(o => o.kind === 'Deployment' && o.metadata.name === deployment)!.spec.template.spec;
        return [...spec.initContainers, ...spec.containers].map((c: KubeObject) => [c.name, c.env?.find((e: KubeObject) => e.name === name)]);
      };
      expect(env('api')).toEqual([
        ['tail', { name, value: 's' }],
        ['migrate', { name, valueFrom: { secretKeyRef: { name: 'db', key: 'url', optional: false } } }],
        ['api', { name, value: 'm' }],
      ]);
      expect(env('api-canary')).toContainEqual(['api', { name, value: 'c' }]);
    }
  });

  test('on every workload kind', () => {
    for (const [kind, { make, base }] of Object.entries(WORKLOADS)) {
      const { chart } = newApp();
      make(chart, { ...base(), env: { ...own('constructor', Env.value('1')), ...own('__proto__', Env.value('2')), ...own('toString', Env.value('3')) } });
      const pod = synthValid(chart).map(o => (o.kind === 'Pod' ? o : o.spec?.jobTemplate?.spec?.template ?? o.spec?.template)).find(t => t?.spec?.containers);
      expect([kind, pod.spec.containers[0].env]).toEqual([kind, [{ name: 'constructor', value: '1' }, { name: '__proto__', value: '2' }, { name: 'toString', value: '3' }]]);
    }
  });
});

describe('AppConfig data keys', () => {
  test.each(MEMBERS)('"%s" is a ConfigMap key in the YAML, a key of the config, and usable through env() and envFrom', name => {
    const { app, chart } = newApp();
    const config = new AppConfig(chart, 'cfg', { name: 'cfg', data: { ...own(name, 'v'), 'app.properties': 'a=b' } });
    expect(config.keys).toEqual([name, 'app.properties']);
    new WebService(chart, 'api', apiProps({ env: { SETTING: config.env(name) } }));
    for (const objs of [synthValid(chart), writtenObjects(app)]) {
      const data = objs.find(o => o.kind === 'ConfigMap')!.data;
      expect(Object.keys(data)).toEqual(['app.properties', name].sort());
      expect(Object.getOwnPropertyDescriptor(data, name)?.value).toBe('v');
    }
  });

  test('an immutable config is named after its content with the keys as given, and the name is stable at synth', () => {
    const { chart } = newApp();
    const a = new AppConfig(chart, 'a', { name: 'a', data: own('constructor', 'v'), immutable: true });
    const b = new AppConfig(chart, 'b', { name: 'a', data: own('constructor', 'w'), immutable: true });
    expect(a.name).not.toBe(b.name);
    expect(synthValid(chart).filter(o => o.kind === 'ConfigMap').map(o => o.metadata.name)).toEqual([a.name, b.name]);
  });
});

describe('labels, annotations and selectors', () => {
  test.each(LABEL_MEMBERS)('"%s" as a label and an annotation of your own reaches every object of a workload, and the Pods', name => {
    // GIVEN a workload with routes, a canary and its own ServiceAccount, NetworkPolicy, PDB and Service
    const { app } = newApp();
    const infra = new Tenant(app, 'infra', { name: 'infra' });
    const gateway = new Gateway(infra, 'gw', { name: 'public', gatewayClassName: 'eg', listeners: [{ name: 'http', port: 80, protocol: ListenerProtocol.HTTP }], allowRoutesFrom: ['shop'] });
    const shop = new Tenant(app, 'shop', { name: 'shop' });
    const web = new WebService(shop, 'api', apiProps({ labels: own(name, 'l'), annotations: own(name, 'a'), podLabels: own(`${name}2`, 'p'), podAnnotations: own(name, 'pa'), releaseTracks: true }));
    web.addCanary({ image: 'ghcr.io/acme/api:1.5.0' });
    new HttpRoute(infra, 'route', { name: 'api', gateway: gateway.listener('http'), backends: [{ workload: web }] });
    // WHEN written as YAML
    const objects = writtenObjects(app).filter(o => o.metadata.labels?.['app.kubernetes.io/name'] === 'api');
    // THEN every object of the workload (the route and the grant in other namespaces included) has them
    expect(objects.map(o => o.kind).sort()).toEqual(['Deployment', 'Deployment', 'HTTPRoute', 'NetworkPolicy', 'PodDisruptionBudget', 'ReferenceGrant', 'Service', 'ServiceAccount']);
    for (const o of objects) expect([o.kind, Object.getOwnPropertyDescriptor(o.metadata.labels, name)?.value]).toEqual([o.kind, 'l']);
    for (const o of objects.filter(x => !['HTTPRoute', 'ReferenceGrant'].includes(x.kind))) expect([o.kind, o.metadata.annotations[name]]).toEqual([o.kind, 'a']);
    for (const d of objects.filter(o => o.kind === 'Deployment')) {
      expect(d.spec.template.metadata.labels).toMatchObject({ [name]: 'l', [`${name}2`]: 'p' });
      expect(d.spec.template.metadata.annotations).toMatchObject({ [name]: 'pa' });
    }
    // The keys sort where cdk8s puts them, as any other key.
    const labels = Object.keys(objects[0].metadata.labels);
    expect(labels).toEqual([...labels].sort());
  });

  test.each(LABEL_MEMBERS)('"%s" in nodeSelector and in pod affinity labels reaches the Pod template exactly', name => {
    const { chart } = newApp();
    new WebService(chart, 'api', apiProps({ scheduling: { nodeSelector: own(name, 'n'), podAffinity: [PodAffinityTerm.withLabels(own(name, 'db'))] } }));
    const spec = synthValid(chart).find(o => o.kind === 'Deployment')!.spec.template.spec;
    expect(spec.nodeSelector).toEqual(own(name, 'n'));
    expect(spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchLabels).toEqual(own(name, 'db'));
  });

  test('names that are not label keys ("__proto__", "__defineGetter__") are refused as label keys, as the API server refuses them', () => {
    const e = thrownBy(() => new WebService(newApp().chart, 'api', apiProps({ labels: own('__proto__', 'x') }))) as SeaworthyError;
    expect(e.findings.map(f => `${f.rule.id} ${f.field}`)).toEqual(['SW-LABEL-003 labels.__proto__']);
  });
});

test('findings and explanations read the keys as given, also before synthesis has run', () => {
  // GIVEN objects rendered without a validation pass (Findings.of, explainConstructs)
  const { app, chart } = newApp();
  new WebService(chart, 'api', apiProps({ labels: own('constructor', 'x'), scheduling: { nodeSelector: own('toString', 'y') } }));
  const findings = Findings.of(app);
  const explained = JSON.stringify(explainConstructs(chart));
  // THEN no marked key shows, and none is judged as the invalid label key it would be
  expect(JSON.stringify(findings.map(f => [f.field, f.value, f.problem]))).not.toContain('seaworthy:own-key');
  expect(findings.filter(f => f.rule.id.startsWith('SW-LABEL'))).toEqual([]);
  expect(explained).not.toContain('seaworthy:own-key');
});

describe('sysctls and DNS options', () => {
  test('a sysctl named "constructor" is judged as a sysctl (unsafe, not namespaced), not refused for its name', () => {
    // Sysctls render as a list of names, so the name would reach the YAML; no Object.prototype
    // member name is a namespaced sysctl the kubelet accepts in a Pod, so none ever does.
    const e = thrownBy(() => new WebService(newApp().chart, 'api', apiProps({ security: { sysctls: own('constructor', '1') } }))) as SeaworthyError;
    expect(e.findings.map(f => `${f.rule.id} ${f.field}`)).toEqual(['SW-SYSCTL-002 security.sysctls.constructor', 'SW-SEC-013 security.sysctls.constructor']);
    expect(e.message).not.toContain('JavaScript');
  });

  test.each(MEMBERS)('DNS option "%s" reaches the YAML exactly', name => {
    const { chart } = newApp();
    new WebService(chart, 'api', apiProps({ podOptions: { dnsConfig: { options: own(name, '2') } } }));
    expect(synthValid(chart).find(o => o.kind === 'Deployment')!.spec.template.spec.dnsConfig.options).toEqual([{ name, value: '2' }]);
  });
});

describe('maps that do not carry them refuse them, never drop them', () => {
  test('StorageClass parameters', () => {
    const e = thrownBy(() => new StorageClass(newApp().chart, 'sc', { name: 'fast', provisioner: 'ebs.csi.aws.com', parameters: own('constructor', 'x') })) as SeaworthyError;
    expect(e.findings.map(f => `${f.rule.id} ${f.field}`)).toEqual(['SW-PROPS-001 parameters.constructor']);
    expect(e.message).toContain('which this map cannot carry to the YAML');
  });

  test('apps without such keys render as before: their API objects restore nothing', () => {
    const plain = newApp();
    new WebService(plain.chart, 'api', apiProps({ labels: { team: 'a' }, env: { MODE: Env.value('x') } }));
    synthValid(plain.chart);
    expect(restoresOwnKeys(plain.app)).toBe(false);
    const marked = newApp();
    new WebService(marked.chart, 'api', apiProps({ labels: { constructor: 'a' } as Record<string, string> }));
    expect(restoresOwnKeys(marked.app)).toBe(true);
  });
});
