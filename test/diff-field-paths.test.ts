import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { Consequence, diffManifests, DiffInput, renderDiff } from '../src';
import { loadManifests } from '../src/manifests/load';
import { appendPath, formatPath, joinPaths, parsePath, PathStep, valueAt } from '../src/diff/paths';
import { extras, Obj, pairsOf } from './support/diff-corpus';

/**
 * Field paths of `seaworthy diff`: map keys with dots and slashes (every label, annotation and
 * selector key) stay one step, `metadata.labels["app.kubernetes.io/instance"]`, so the values on
 * both sides are found and shown in every format, and the path reads back to the value.
 */

const inputs = (objects: readonly Obj[], file = 'm.yaml'): DiffInput[] => objects.map((object, i) => ({ object, file, line: i * 10 + 1 }));
const yaml = (text: string) => jsyaml.load(text) as Obj;
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

describe('the path grammar', () => {
  test('plain keys are dotted, other keys bracketed as JSON strings, list items by index', () => {
    expect(formatPath(['spec', 'selector', 'matchLabels', 'app.kubernetes.io/instance'])).toBe('spec.selector.matchLabels["app.kubernetes.io/instance"]');
    expect(formatPath(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('spec.template.spec.containers[0].image');
    expect(formatPath(['metadata', 'annotations', 'seaworthy.dev/waivers'])).toBe('metadata.annotations["seaworthy.dev/waivers"]');
    expect(formatPath(['data', 'app-config_2'])).toBe('data.app-config_2');
    expect(formatPath(['data', '0'])).toBe('data["0"]');
    expect(formatPath(['k8s.io/x', 'y'])).toBe('["k8s.io/x"].y');
    expect(formatPath([])).toBe('.');
  });

  test.each([
    ['dots and a slash', 'app.kubernetes.io/instance'],
    ['a quote', 'say "hi"'],
    ['brackets', 'a]b[c'],
    ['a closing bracket and quote', '"]'],
    ['a backslash', 'C:\\dir\\'],
    ['an empty key', ''],
    ['digits only', '42'],
    ['spaces and unicode', 'clé ü ✓'],
    ['a dot at either end', '.x.'],
    ['what looks like a path', 'a.b[0]["c"]'],
  ])('a key with %s reads back as itself', (_label, key) => {
    const steps: PathStep[] = ['metadata', 'labels', key, 3, key];
    const p = formatPath(steps);
    expect(parsePath(p)).toEqual(steps);
    const obj = { metadata: { labels: { [key]: [0, 1, 2, { [key]: 'found' }] } } };
    expect(valueAt(obj, p)).toBe('found');
  });

  test('an index and a key that is a number are told apart', () => {
    expect(valueAt({ a: ['zero'] }, 'a[0]')).toBe('zero');
    expect(valueAt({ a: { 0: 'key' } }, 'a["0"]')).toBe('key');
    expect(valueAt({ a: { 0: 'key' } }, 'a[0]')).toBeUndefined();
    expect(valueAt({ a: ['zero'] }, 'a["0"]')).toBeUndefined();
  });

  test.each(['.a', 'a.', 'a..b', 'a[', 'a["b"', 'a["b]', 'a[b]', 'a[01]', 'a["\\x"]', 'a b', 'a.1b'])('"%s" is not a path', p => {
    expect(parsePath(p)).toBeUndefined();
    expect(valueAt({ a: { b: 1 } }, p)).toBeUndefined();
  });

  test('joining: a relative path after a base, an index without a dot, the root as nothing', () => {
    expect(joinPaths('spec', 'selector.matchLabels["a.b/c"]')).toBe('spec.selector.matchLabels["a.b/c"]');
    expect(joinPaths('spec.volumeClaimTemplates', '[0].spec')).toBe('spec.volumeClaimTemplates[0].spec');
    expect(joinPaths('spec.template', '.')).toBe('spec.template');
    expect(joinPaths('data', '["app.properties"]')).toBe('data["app.properties"]');
    expect(appendPath('', 'x.y')).toBe('["x.y"]');
    expect(valueAt({ a: 1 }, '.')).toEqual({ a: 1 });
  });
});

/** A changed pair: the after object is `change` applied to a copy of `before`. */
function changed(before: Obj, change: (o: Obj) => void): { before: Obj; after: Obj } {
  const after = clone(before);
  change(after);
  return { before, after };
}

const deployment = yaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app.kubernetes.io/name: web, app.kubernetes.io/instance: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: web, app.kubernetes.io/instance: web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web, app.kubernetes.io/instance: web}}
    spec: {containers: [{name: web, image: ghcr.io/acme/web:1.0.0}]}
`);

const job = yaml(`
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    metadata:
      labels: {app.kubernetes.io/name: migrate, app.kubernetes.io/version: "1.0"}
      annotations: {example.com/owner: team-a}
    spec:
      restartPolicy: Never
      nodeSelector: {kubernetes.io/arch: amd64}
      containers: [{name: m, image: ghcr.io/acme/migrate:1.0.0}]
`);

const pod = yaml(`
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  nodeSelector: {kubernetes.io/os: linux, node.example.com/pool: general}
  containers: [{name: c, image: ghcr.io/acme/debug:1.0.0}]
`);

const claim = yaml(`
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec:
  accessModes: [ReadWriteOnce]
  selector: {matchLabels: {topology.kubernetes.io/zone: eu-west-1a}}
  resources: {requests: {storage: 10Gi}}
`);

const config = yaml(`
apiVersion: v1
kind: ConfigMap
metadata: {name: frozen, namespace: shop}
immutable: true
data: {app.properties: "mode=blue", nginx.conf: "worker_processes 1;"}
`);

const storageClass = yaml(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
provisioner: ebs.csi.aws.com
parameters: {csi.storage.k8s.io/fstype: ext4, type: gp3}
`);

/** Each case: a change of a key with dots and slashes, the rule, the field and both values as rendered. */
const CASES: ReadonlyArray<{ name: string; pair: { before: Obj; after: Obj }; rule: string; field: string; before: string; after: string }> = [
  {
    name: 'a selector label (spec.selector.matchLabels)',
    pair: changed(deployment, o => {
      o.spec.selector.matchLabels['app.kubernetes.io/instance'] = 'web-v2';
      o.spec.template.metadata.labels['app.kubernetes.io/instance'] = 'web-v2';
    }),
    rule: 'SW-DIFF-001', field: 'spec.selector.matchLabels["app.kubernetes.io/instance"]', before: '"web"', after: '"web-v2"',
  },
  {
    name: 'a selector label added',
    pair: changed(deployment, o => {
      o.spec.selector.matchLabels['diff.seaworthy.dev/track'] = 'stable';
      o.spec.template.metadata.labels['diff.seaworthy.dev/track'] = 'stable';
    }),
    rule: 'SW-DIFF-001', field: 'spec.selector.matchLabels["diff.seaworthy.dev/track"]', before: '(unset)', after: '"stable"',
  },
  {
    name: 'a Job template label',
    pair: changed(job, o => { o.spec.template.metadata.labels['app.kubernetes.io/version'] = '1.1'; }),
    rule: 'SW-DIFF-003', field: 'spec.template.metadata.labels["app.kubernetes.io/version"]', before: '"1.0"', after: '"1.1"',
  },
  {
    name: 'a Job template annotation',
    pair: changed(job, o => { o.spec.template.metadata.annotations['example.com/owner'] = 'team-b'; }),
    rule: 'SW-DIFF-003', field: 'spec.template.metadata.annotations["example.com/owner"]', before: '"team-a"', after: '"team-b"',
  },
  {
    name: 'a Job nodeSelector key',
    pair: changed(job, o => { o.spec.template.spec.nodeSelector['kubernetes.io/arch'] = 'arm64'; }),
    rule: 'SW-DIFF-003', field: 'spec.template.spec.nodeSelector["kubernetes.io/arch"]', before: '"amd64"', after: '"arm64"',
  },
  {
    name: 'a Pod nodeSelector key',
    pair: changed(pod, o => { o.spec.nodeSelector['node.example.com/pool'] = 'gpu'; }),
    rule: 'SW-DIFF-009', field: 'spec.nodeSelector["node.example.com/pool"]', before: '"general"', after: '"gpu"',
  },
  {
    name: 'a claim selector label',
    pair: changed(claim, o => { o.spec.selector.matchLabels['topology.kubernetes.io/zone'] = 'eu-west-1b'; }),
    rule: 'SW-DIFF-005', field: 'spec.selector.matchLabels["topology.kubernetes.io/zone"]', before: '"eu-west-1a"', after: '"eu-west-1b"',
  },
  {
    name: 'a dotted key of an immutable ConfigMap',
    pair: changed(config, o => { o.data['app.properties'] = 'mode=green'; }),
    rule: 'SW-DIFF-007', field: 'data["app.properties"]', before: '"mode=blue"', after: '"mode=green"',
  },
  {
    name: 'a StorageClass parameter with a prefix',
    pair: changed(storageClass, o => { o.parameters['csi.storage.k8s.io/fstype'] = 'xfs'; }),
    rule: 'SW-DIFF-006', field: 'parameters["csi.storage.k8s.io/fstype"]', before: '"ext4"', after: '"xfs"',
  },
  {
    name: 'a key with a quote, brackets and a backslash',
    pair: changed(job, o => { o.spec.template.metadata.annotations['odd"key]with[\\.x/y'] = 'new'; }),
    rule: 'SW-DIFF-003', field: 'spec.template.metadata.annotations["odd\\"key]with[\\\\.x/y"]', before: '(unset)', after: '"new"',
  },
];

describe('consequences on keys with dots and slashes name the key and show both values', () => {
  const results = CASES.map(c => ({ ...c, result: diffManifests(inputs([c.pair.before], 'before.yaml'), inputs([c.pair.after], 'after.yaml')) }));
  const the = (r: typeof results[number]): Consequence => {
    const found = r.result.consequences.filter(x => x.rule.id === r.rule);
    expect(found).toHaveLength(1);
    return found[0];
  };

  test.each(results.map(r => [r.name, r] as const))('%s: the field and its values', (_name, r) => {
    const c = the(r);
    expect({ field: c.field, before: c.before, after: c.after }).toEqual({ field: r.field, before: r.before, after: r.after });
    // The path reads back to the value on the after side.
    const on = valueAt(r.pair.after, r.field);
    expect(on === undefined ? '(unset)' : JSON.stringify(on)).toBe(r.after);
    expect(valueAt(r.pair.before, r.field) === undefined ? '(unset)' : JSON.stringify(valueAt(r.pair.before, r.field))).toBe(r.before);
  });

  test.each(results.map(r => [r.name, r] as const))('%s: table', (_name, r) => {
    const table = renderDiff(r.result, [], 'table');
    expect(table).toContain(`           ${r.field}: ${r.before} → ${r.after}: `);
    expect(table).not.toContain('(unset) → (unset)');
  });

  test.each(results.map(r => [r.name, r] as const))('%s: markdown', (_name, r) => {
    const md = renderDiff(r.result, [], 'markdown');
    const row = md.split('\n').find(l => l.includes(r.rule))!;
    expect(row).toContain(` | \`${r.field}\` | ${r.before} → ${r.after} | `);
    expect(md).not.toContain('(unset) → (unset)');
  });

  test.each(results.map(r => [r.name, r] as const))('%s: JSON', (_name, r) => {
    const json = JSON.parse(renderDiff(r.result, [], 'json'));
    const c = json.consequences.find((x: { rule: string }) => x.rule === r.rule);
    expect(c).toMatchObject({ field: r.field, before: r.before, after: r.after });
    expect(valueAt(r.pair.after, c.field)).toEqual(r.after === '(unset)' ? undefined : JSON.parse(r.after));
  });

  test('changed objects list their changed fields in the same form', () => {
    const r = results.find(x => x.rule === 'SW-DIFF-001')!;
    expect(r.result.changes[0].fields).toEqual(['spec.selector.matchLabels["app.kubernetes.io/instance"]', 'spec.template.metadata.labels["app.kubernetes.io/instance"]']);
    for (const f of r.result.changes[0].fields) expect(parsePath(f)).toBeDefined();
  });

  test('a Pod-template change names the annotation that changed, however it is spelled', () => {
    const pair = changed(deployment, o => { o.spec.template.metadata.annotations = { 'checksum/config.yaml': 'abc' }; });
    const [c] = diffManifests(inputs([pair.before]), inputs([pair.after])).consequences;
    expect(c.rule.id).toBe('SW-DIFF-020');
    expect(c.problem).toContain('annotation checksum/config.yaml (config changed)');
  });

  test('a new host is said at the field that names it, not at the list as a whole', () => {
    const ingress = yaml(`
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules: [{host: shop.example.com}]
  tls: [{hosts: [shop.example.com]}]
`);
    const pair = changed(ingress, o => {
      o.spec.rules.push({ host: 'api.example.com' });
      o.spec.tls[0].hosts.push('api.example.com', 'admin.example.com');
    });
    const found = diffManifests(inputs([pair.before]), inputs([pair.after])).consequences.map(c => [c.field, c.after]);
    expect(found).toEqual([['spec.rules[1].host', '"api.example.com"'], ['spec.tls[0].hosts[2]', '"admin.example.com"']]);
    for (const [field, after] of found) expect(JSON.stringify(valueAt(pair.after, field))).toBe(after);
  });

  test('a suspended Job may change the labels and nodeSelector keys of its template, dots and slashes or not', () => {
    const suspended = changed(job, o => { o.spec.suspend = true; });
    const pair = changed(suspended.after, o => {
      o.spec.template.metadata.labels['app.kubernetes.io/version'] = '1.1';
      o.spec.template.spec.nodeSelector['kubernetes.io/arch'] = 'arm64';
    });
    expect(diffManifests(inputs([pair.before]), inputs([pair.after])).consequences).toEqual([]);
    const image = changed(suspended.after, o => { o.spec.template.spec.containers[0].image = 'ghcr.io/acme/migrate:1.1.0'; });
    expect(diffManifests(inputs([image.before]), inputs([image.after])).consequences.map(c => c.field)).toEqual(['spec.template.spec.containers[0].image']);
  });

  test('markdown fences a field holding backticks so the code span stays whole', () => {
    const pair = changed(job, o => { o.spec.template.metadata.annotations['a`b'] = 'x'; });
    const md = renderDiff(diffManifests(inputs([pair.before]), inputs([pair.after])), [], 'markdown');
    expect(md).toContain('| `` spec.template.metadata.annotations["a`b"] `` |');
  });
});

describe('every consequence of the mutation corpus shows a value on at least one side', () => {
  const prod = loadManifests([path.join(__dirname, '..', 'dist', 'prod')]).inputs.map(i => i.object as Obj);
  const pairs = pairsOf('dist/prod', [...prod, ...extras('shop')], 2);

  test.each(pairs.map(p => [p.label, p] as const))('%s', (_label, pair) => {
    for (const c of diffManifests(inputs(pair.before), inputs(pair.after)).consequences) {
      expect(`${c.rule.id} ${c.field}: ${c.before} → ${c.after}`).not.toMatch(/\(unset\) → \(unset\)$/);
      expect(parsePath(c.field)).toBeDefined();
    }
  });
});
