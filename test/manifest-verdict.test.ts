import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import {
  audit, AuditFinding, Environment, EnvironmentsProps, Finding, Findings, KubernetesTarget, PriorityClass, Profile, Profiles, Severity, synthesize,
  Tenant, WebService, writeEnvironments, writeManifests,
} from '../src';
import { manifestVerdicts } from '../src/audit/app-findings';
import * as engine from '../src/audit/engine';
import { parseManifests, readManifests } from '../src/manifests/load';
import { writtenBySeaworthy } from '../src/manifests/complete-set';
import { EXAMPLES, TENANT_QUOTAS } from '../src/construct-examples';
import { buildApp, ENVIRONMENTS } from '../src/main';
import { KubeObject } from '../src/audit/kube';
import { KubernetesVersion } from '../src/target/versions';
import { apiProps } from './support/props';

// examples/app-repo imports the package by name; here it is this repository's source.
jest.mock('seaworthy', () => jest.requireActual('../src'), { virtual: true });

/**
 * One verdict (issue 22, item 2): a manifest rule at error severity stops synthesis before any
 * file is written, with the message `Findings.of(app)` gives; and `Findings.of(app)` says what
 * `seaworthy audit` says of the written output.
 */

const tmpDirs: string[] = [];
function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-verdict-'));
  tmpDirs.push(dir);
  return dir;
}
afterAll(() => tmpDirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })));

/** The message of what `fn` throws. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('did not throw');
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile()).map(e => path.relative(dir, path.join(e.parentPath, e.name))).sort();
}

/** Two PriorityClasses that both claim to be the global default (SW-PRIO-002 on the second). */
function twoGlobalDefaults(app: App): void {
  const chart = new Chart(app, 'prio');
  new PriorityClass(chart, 'a', { name: 'a', value: 10, globalDefault: true });
  new PriorityClass(chart, 'b', { name: 'b', value: 20, globalDefault: true });
}

/** A plain HTTPRoute sending traffic to a port the workload's Service does not have (SW-REACH-001). */
function routeToMissingPort(app: App, annotations?: Record<string, string>): void {
  const chart = new Chart(app, 'c', { namespace: 'c' });
  new WebService(chart, 'api', apiProps({ replicas: 2 }));
  new ApiObject(chart, 'route', {
    apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r', annotations },
    spec: { parentRefs: [{ name: 'gw', namespace: 'infra' }], rules: [{ backendRefs: [{ name: 'api', port: 81 }] }] },
  });
}

const PRIO_MESSAGE = 'SW-PRIO-002 [prio/b] PriorityClass/b globalDefault = true: is also set on PriorityClass "a"';
const REACH_MESSAGE = 'SW-REACH-001 [c/route] HTTPRoute/c/r spec.rules[0].backendRefs[0].port = 81: is not a port of Service c/api';

describe('a manifest rule at error severity stops synthesis', () => {
  test.each([
    ['two global-default PriorityClasses', twoGlobalDefaults, 'SW-PRIO-002', PRIO_MESSAGE],
    ['an HTTPRoute written as a plain ApiObject to a port no Service has', routeToMissingPort, 'SW-REACH-001', REACH_MESSAGE],
  ])('%s: synthesize(), app.synth(), writeManifests() and writeEnvironments() stop before writing, with the message of Findings.of(app)', (_, build, id, message) => {
    const app = Testing.app();
    build(app);
    const errors = Findings.of(app).filter(f => f.severity === Severity.ERROR);
    expect(errors.map(f => f.rule.id)).toEqual([id]);
    expect(errors[0].message.startsWith(message)).toBe(true);
    // The same message, under the construct the finding names.
    const expected = `[${errors[0].path}] ${errors[0].message}`;
    expect(() => synthesize(app)).toThrow(expected);
    expect(() => app.synth()).toThrow(expected);
    expect(filesUnder(app.outdir)).toEqual([]);
    const out = path.join(tmpDir(), 'dist');
    expect(() => writeManifests(app, out)).toThrow(expected);
    expect(fs.existsSync(out)).toBe(false);
    expect(() => writeEnvironments({ environments: [{ name: 'prod' }], build }, out)).toThrow(expected);
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an error a previous run did not have is seen: every synthesis judges the app as it is then', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'prio');
    new PriorityClass(chart, 'a', { name: 'a', value: 10, globalDefault: true });
    expect(() => synthesize(app)).not.toThrow();
    new PriorityClass(chart, 'b', { name: 'b', value: 20, globalDefault: true });
    expect(() => synthesize(app)).toThrow(PRIO_MESSAGE);
  });

  test('an app of plain cdk8s objects is judged by synthesize() too', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'prio');
    for (const name of ['a', 'b']) new ApiObject(chart, name, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 10, globalDefault: true });
    expect(() => synthesize(app)).toThrow('SW-PRIO-002 [prio/b] PriorityClass/b globalDefault = true');
  });

  test('a waived error is an info and does not stop synthesis', () => {
    const app = Testing.app();
    routeToMissingPort(app, { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-REACH-001', reason: 'port 81 is added by a mesh sidecar' }]) });
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-REACH-001').map(f => f.severity)).toEqual([Severity.INFO]);
    expect(() => synthesize(app)).not.toThrow();
  });

  /** A PodDisruptionBudget selecting no Pod: SW-PDB-004, an error in production, a warning in staging. */
  function orphanBudget(profile: Profile): App {
    const app = Testing.app();
    Profiles.set(app, profile);
    const chart = new Chart(app, 'c', { namespace: 'c' });
    new WebService(chart, 'api', apiProps({ replicas: 2 }));
    new ApiObject(chart, 'pdb', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'orphan' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'gone' } } } });
    return app;
  }

  test('the profile grades a manifest rule as it grades it everywhere: an error in production stops synthesis', () => {
    const app = orphanBudget(Profile.PRODUCTION);
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-PDB-004').map(f => f.severity)).toEqual([Severity.ERROR]);
    expect(() => synthesize(app)).toThrow('[c/pdb] SW-PDB-004 [c/pdb] PodDisruptionBudget/c/orphan');
  });

  test('the profile grades a manifest rule as it grades it everywhere: staging downgrades it to a warning, and synthesis goes on', () => {
    const app = orphanBudget(Profile.STAGING);
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-PDB-004').map(f => f.severity)).toEqual([Severity.WARNING]);
    expect(synthesize(app).map(m => m.file)).toEqual(['c.k8s.yaml']);
  });

  test('the same objects without the error synthesize', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'prio');
    new PriorityClass(chart, 'a', { name: 'a', value: 10, globalDefault: true });
    new PriorityClass(chart, 'b', { name: 'b', value: 20 });
    expect(synthesize(app).map(m => m.file)).toEqual(['prio.k8s.yaml']);
  });
});

describe('Findings.of(app) and the synthesis that follows audit once (issue 25)', () => {
  /** Two PriorityClasses as plain ApiObjects; the second claims to be the global default when `bothDefault`. */
  function priorityClasses(bothDefault: boolean): { app: App; b: ApiObject } {
    const app = Testing.app();
    const chart = new Chart(app, 'prio');
    new ApiObject(chart, 'a', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'a' }, value: 10, globalDefault: true });
    const b = new ApiObject(chart, 'b', { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'b' }, value: 20, globalDefault: bothDefault });
    return { app, b };
  }

  test('the synthesis reuses the audit of Findings.of(app) when nothing changed in between', () => {
    const { app } = priorityClasses(false);
    const audits = jest.spyOn(engine, 'audit');
    try {
      Findings.of(app);
      synthesize(app);
      expect(audits).toHaveBeenCalledTimes(1);
    } finally {
      audits.mockRestore();
    }
  });

  test('an object added after Findings.of(app) is judged', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'prio');
    new PriorityClass(chart, 'a', { name: 'a', value: 10, globalDefault: true });
    expect(Findings.of(app).filter(f => f.severity === Severity.ERROR)).toEqual([]);
    new PriorityClass(chart, 'b', { name: 'b', value: 20, globalDefault: true });
    expect(() => synthesize(app)).toThrow(PRIO_MESSAGE);
  });

  test('an object changed after Findings.of(app), with no construct added, is judged', () => {
    const { app, b } = priorityClasses(false);
    const audits = jest.spyOn(engine, 'audit');
    try {
      expect(Findings.of(app).filter(f => f.severity === Severity.ERROR)).toEqual([]);
      b.addJsonPatch(JsonPatch.replace('/globalDefault', true));
      expect(() => synthesize(app)).toThrow(PRIO_MESSAGE);
      expect(audits).toHaveBeenCalledTimes(2);
    } finally {
      audits.mockRestore();
    }
  });

  test('a change made to the synthesized objects by their caller does not stand for the app', () => {
    // GIVEN an app whose synthesis passed, and a caller changing the objects it got back
    const { app, b } = priorityClasses(false);
    const [manifest] = synthesize(app);
    (manifest.objects[1] as { globalDefault?: boolean }).globalDefault = true;
    // WHEN the app itself now renders what the caller wrote there
    b.addJsonPatch(JsonPatch.replace('/globalDefault', true));
    // THEN it is judged afresh
    expect(Findings.of(app).filter(f => f.severity === Severity.ERROR).map(f => f.rule.id)).toEqual(['SW-PRIO-002']);
  });

  test('app.synth() audits once, though cdk8s validates the app once more per chart', () => {
    const { app } = priorityClasses(false);
    new PriorityClass(new Chart(app, 'other'), 'c', { name: 'c', value: 30 });
    (app as unknown as { outdir: string }).outdir = tmpDir();
    const audits = jest.spyOn(engine, 'audit');
    try {
      app.synth();
      expect(audits).toHaveBeenCalledTimes(1);
      app.synth();
      expect(audits).toHaveBeenCalledTimes(2);
    } finally {
      audits.mockRestore();
    }
  });

  test.each(ENVIRONMENTS.map(env => [env.name, env] as const))('synthesize() hands the findings of its own rendering (%s): those of Findings.of(app), each object rendered once and audited once', (_, env) => {
    // GIVEN the reference app, every render and audit counted
    const render = jest.spyOn(ApiObject.prototype, 'toJson');
    const audits = jest.spyOn(engine, 'audit');
    try {
      const app = new App({ outdir: tmpDir() });
      Profiles.set(app, env.profile ?? Profile.PRODUCTION);
      if (env.kubernetesVersion !== undefined) KubernetesTarget.set(app, env.kubernetesVersion);
      buildApp(app, env);
      render.mockClear();
      // WHEN
      let handed: Finding[] | undefined;
      const manifests = synthesize(app, { findings: f => { handed = f; } });
      // THEN each object rendered once, one audit, and the findings are those Findings.of(app) reads afresh
      const perObject = new Map<unknown, number>();
      for (const o of render.mock.contexts) perObject.set(o, (perObject.get(o) ?? 0) + 1);
      expect(perObject.size).toBeGreaterThan(40);
      expect([...perObject.values()].filter(n => n > 1)).toEqual([]);
      expect(manifests.length).toBeGreaterThan(2);
      expect(audits).toHaveBeenCalledTimes(1);
      expect(handed).toEqual(Findings.of(app));
      expect(handed!.length).toBeGreaterThan(0);
    } finally {
      render.mockRestore();
      audits.mockRestore();
    }
  });

  test('synthesize() hands no findings when the synthesis fails', () => {
    const { app } = priorityClasses(true);
    const found = jest.fn();
    expect(() => synthesize(app, { findings: found })).toThrow(PRIO_MESSAGE);
    expect(found).not.toHaveBeenCalled();
  });

  test('an error fixed after Findings.of(app) no longer stops synthesis', () => {
    const { app, b } = priorityClasses(true);
    expect(Findings.of(app).filter(f => f.severity === Severity.ERROR).map(f => f.rule.id)).toEqual(['SW-PRIO-002']);
    b.addJsonPatch(JsonPatch.replace('/globalDefault', false));
    expect(() => synthesize(app)).not.toThrow();
  });
});

describe('a problem is reported once', () => {
  test('a front door a construct checks at synthesis is reported by the manifest rule alone, naming the object', () => {
    const app = Testing.app();
    const shop = new Tenant(app, 'shop', { name: 'shop' });
    new WebService(shop, 'web', apiProps({ name: 'web', allowFrom: [] })).addIngress({ host: 'shop.example.com', tlsSecretName: 'tls' });
    const message = messageOf(() => synthesize(app));
    expect(message.match(/SW-REACH-004/g)).toHaveLength(1);
    expect(message).toContain('[shop/web] SW-REACH-004 [shop/web] Ingress/shop/web spec.rules[0].http.paths[0].backend.service = "web"');
  });
});

describe('disagreements the verdict test found', () => {
  /** A Deployment whose port "admin" (9000) is declared by `where`, and a Service targeting it by name (a number need not be declared). */
  function servedBy(where: 'native sidecar' | 'init container'): KubeObject[] {
    const labels = { app: 'api' };
    const side = { name: 'side', image: 'busybox:1.36', ports: [{ name: 'admin', containerPort: 9000 }], ...(where === 'native sidecar' ? { restartPolicy: 'Always' } : {}) };
    return [
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'n' }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { initContainers: [side], containers: [{ name: 'api', image: 'ghcr.io/acme/api:1.0.0' }] } } } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'n' }, spec: { selector: labels, ports: [{ port: 9000, targetPort: 'admin' }] } },
    ];
  }
  const targetPortFindings = (objects: KubeObject[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-SVC-003').map(f => f.field);

  test('SW-SVC-003: a port declared by a native sidecar (an init container with restartPolicy Always) is served', () => {
    expect(targetPortFindings(servedBy('native sidecar'))).toEqual([]);
  });

  test('SW-SVC-003: a port declared only by an init container that runs to completion is not', () => {
    expect(targetPortFindings(servedBy('init container'))).toEqual(['spec.ports[0].targetPort']);
  });
});

/**
 * What "the same findings" means. For an app, its output directory audited as `seaworthy audit`
 * reads it (files loaded by the CLI's loader, one group per directory, with the app's profile and
 * Kubernetes version) gives exactly — as a multiset of (rule id, object, field, value, problem,
 * severity) — the manifest findings of `Findings.of(app)` (whose `field` is "<object> <field>"),
 * plus the audit findings that `Findings.of(app)` leaves out because a construct at or above the
 * object already reported the problem (the same rule id, or one `SAME_PROBLEM` maps it to); each of
 * those is accounted for by that construct finding, which `Findings.of(app)` holds. Construct
 * findings (props, waivers, construct-only rules) have no counterpart in the audit.
 */
function expectSameVerdict(app: IConstruct, outdir: string, profile: Profile, kubernetesVersion: KubernetesVersion): void {
  const all = Findings.of(app);
  // The construct findings: those recorded on the app itself (its target) and under it.
  const constructFindings = [...app.node.metadata.filter(m => m.type === 'seaworthy:finding').map(m => m.data as Finding), ...app.node.children.flatMap(c => Findings.of(c))];
  const verdicts = manifestVerdicts(app, constructFindings);
  // Findings.of(app) is the construct findings, then the manifest findings of the verdicts.
  expect(all).toEqual([...constructFindings, ...verdicts.flatMap(v => (v.finding ? [v.finding] : []))]);
  const key = (f: Pick<AuditFinding, 'object' | 'field' | 'value' | 'problem'> & { rule: { id: string } }, severity: string) =>
    `${f.rule.id} ${severity} ${f.object} ${f.field} = ${f.value}: ${f.problem}`;
  const expected: string[] = [];
  for (const v of verdicts) {
    if (v.finding) {
      expect(v.finding.field).toBe(`${v.audit.object} ${v.audit.field}`);
      expected.push(key(v.audit, v.finding.severity));
    } else if (v.coveredBy) {
      expect(all).toContain(v.coveredBy);
      expected.push(key(v.audit, v.audit.severity));
    }
  }
  const loaded = readManifests([outdir], parseManifests);
  expect(loaded.problems).toEqual([]);
  // A directory seaworthy wrote (its marker) is a complete set, as `seaworthy audit` judges it.
  expect(writtenBySeaworthy([outdir])).toBe(true);
  const written = audit(loaded.inputs, { profile, kubernetesVersion, complete: true }).map(f => key(f, f.severity));
  expect(written.sort()).toEqual(expected.sort());
}

/** Renders `build` as `writeEnvironments` does for one environment; returns the app and its folder. */
function renderedEnvironment<E extends Environment>(env: E, build: EnvironmentsProps<E>['build']): { app: App; dir: string } {
  const out = path.join(tmpDir(), 'dist');
  let built: App | undefined;
  writeEnvironments({ environments: [env], build: (app, e) => { build(app, e); built = app; } }, out);
  return { app: built!, dir: path.join(out, env.name) };
}

describe('Findings.of(app) is the audit of the written output', () => {
  test.each(ENVIRONMENTS.map(e => [e.name, e] as const))('the reference app (src/main.ts), environment %s', (_, env) => {
    const { app, dir } = renderedEnvironment(env, (a, e) => buildApp(a, e));
    expectSameVerdict(app, dir, env.profile ?? Profile.PRODUCTION, env.kubernetesVersion ?? KubernetesTarget.DEFAULT.version);
  });

  test.each(EXAMPLES.map(e => [e.title, e] as const))('the construct example "%s"', (_, example) => {
    const app = Testing.app();
    example.build(new Chart(app, 'demo', { namespace: 'demo' }));
    const out = path.join(tmpDir(), 'dist');
    writeManifests(app, out);
    expectSameVerdict(app, out, Profile.PRODUCTION, KubernetesTarget.DEFAULT.version);
  });

  test('the construct example of a Tenant with several quotas', () => {
    const app = Testing.app();
    TENANT_QUOTAS.build(app);
    const out = path.join(tmpDir(), 'dist');
    writeManifests(app, out);
    expectSameVerdict(app, out, Profile.PRODUCTION, KubernetesTarget.DEFAULT.version);
  });

  test('the example app repo (examples/app-repo), every environment', async () => {
    const example = await import(path.join(__dirname, '..', 'examples', 'app-repo', 'main')) as { build(app: App): App; ENVIRONMENTS: Environment[] };
    for (const env of example.ENVIRONMENTS) {
      const { app, dir } = renderedEnvironment(env, a => example.build(a));
      expectSameVerdict(app, dir, env.profile ?? Profile.PRODUCTION, env.kubernetesVersion ?? KubernetesTarget.DEFAULT.version);
    }
  });

  test('a disagreement is seen: output the audit judges differently fails the comparison', () => {
    const app = Testing.app();
    routeToMissingPort(app, { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-REACH-001', reason: 'mesh' }]) });
    const out = path.join(tmpDir(), 'dist');
    writeManifests(app, out);
    expectSameVerdict(app, out, Profile.PRODUCTION, KubernetesTarget.DEFAULT.version);
    // Without the waiver in the written file, the audit says error where Findings.of says info.
    const file = path.join(out, 'c.k8s.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/seaworthy\.dev\/waivers: .*\n/, ''));
    expect(() => expectSameVerdict(app, out, Profile.PRODUCTION, KubernetesTarget.DEFAULT.version)).toThrow();
  });
});
