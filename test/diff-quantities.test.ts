import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { diffManifests, DiffInput, DiffResult } from '../src';
import { loadManifests } from '../src/manifests/load';
import { extras, MUTATIONS, Obj, pairsOf } from './support/diff-corpus';

/**
 * Quantities in `seaworthy diff`, compared as the API server compares them (resource.Quantity by
 * amount, apiequality.Semantic for objects): the same amount in other units is no change at all,
 * a shrink across units is a shrink, and every comparison is exact, beyond 2^53 too.
 */

const inputs = (objects: readonly Obj[]): DiffInput[] => objects.map((object, i) => ({ object, file: 'm.yaml', line: i * 10 + 1 }));
const yaml = (text: string) => jsyaml.loadAll(text) as Obj[];
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;
const diff = (before: readonly Obj[], after: readonly Obj[]): DiffResult => diffManifests(inputs(before), inputs(after));
const brief = (r: DiffResult) => r.consequences.map(c => ({ rule: c.rule.id, field: c.field, before: c.before, after: c.after, problem: c.problem }));

/** A claim on an expandable StorageClass (growth allowed) requesting `storage`, and one on a class that does not expand. */
function claims(storage: unknown, fixedStorage: unknown = storage): Obj[] {
  return yaml(`
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: expandable}
provisioner: example.com/csi
allowVolumeExpansion: true
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fixed}
provisioner: example.com/csi
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data, namespace: shop}
spec: {accessModes: [ReadWriteOnce], storageClassName: expandable, resources: {requests: {storage: ${JSON.stringify(storage)}}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: logs, namespace: shop}
spec: {accessModes: [ReadWriteOnce], storageClassName: fixed, resources: {requests: {storage: ${JSON.stringify(fixedStorage)}}}}
`);
}

describe('claims (SW-DIFF-005): a shrink by amount, whatever the units', () => {
  test.each([
    ['1Gi', '1000Mi'],
    ['1Gi', '1G'],
    ['1Ti', '1000Gi'],
    ['2G', '1907Mi'],
    ['1.5Gi', '1535Mi'],
    // Beyond 2^53: a float reads both as the same number.
    ['9007199254740993', '9007199254740992'],
    // 8Ei is capped at 2^63-1, as ParseQuantity caps binary amounts; the decimal one is not.
    ['9223372036854775808', '8Ei'],
  ])('%s → %s is a shrink the API server rejects', (before, after) => {
    const r = diff(claims(before), claims(after, before));
    expect(brief(r)).toEqual([{ rule: 'SW-DIFF-005', field: 'spec.resources.requests.storage', before: JSON.stringify(before), after: JSON.stringify(after), problem: 'a claim can grow but never shrink' }]);
  });

  test.each([
    ['1Gi', '1024Mi'],
    ['1G', '1000M'],
    ['1G', '1e9'],
    ['1000', '1k'],
    ['1E3', '1k'],
    ['0.5Gi', '512Mi'],
    ['8Ei', '9Ei'],
    ['8Ei', '9223372036854775807'],
    ['10Gi', 10737418240],
  ] as const)('%s → %s is no change at all: no consequence, the object unchanged', (before, after) => {
    const r = diff(claims(before), claims(after, before));
    expect(r.consequences).toEqual([]);
    expect(r.summary).toMatchObject({ changed: 0, unchanged: 4 });
  });

  test.each([
    ['1G', '1Gi'],
    ['1000Mi', '1Gi'],
    ['8Ei', '9223372036854775808'],
    ['9007199254740992', '9007199254740993'],
  ])('%s → %s grows: accepted on an expandable class, refused on one that does not expand', (before, after) => {
    expect(diff(claims(before), claims(after, before)).consequences).toEqual([]);
    const r = diff(claims(before, before), claims(before, after));
    expect(brief(r)).toEqual([{ rule: 'SW-DIFF-005', field: 'spec.resources.requests.storage', before: JSON.stringify(before), after: JSON.stringify(after), problem: 'StorageClass fixed does not set allowVolumeExpansion: true, so the claim cannot grow' }]);
  });

  test('a claim\'s storage limit, immutable, restated in other units is no change; changed by amount it is refused', () => {
    const withLimit = (limit: string) => claims('1Gi').map(o => (o.metadata.name === 'data' ? { ...o, spec: { ...o.spec, resources: { ...o.spec.resources, limits: { storage: limit } } } } : o));
    expect(diff(withLimit('2Gi'), withLimit('2048Mi')).consequences).toEqual([]);
    expect(brief(diff(withLimit('2Gi'), withLimit('2G')))).toEqual([expect.objectContaining({ rule: 'SW-DIFF-005', field: 'spec.resources.limits.storage', before: '"2Gi"', after: '"2G"' })]);
  });
});

const statefulSet = (storage: string, memory = '1Gi', cpu: unknown = '500m'): Obj[] => yaml(`
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: 3
  serviceName: db
  selector: {matchLabels: {app.kubernetes.io/name: db}}
  template:
    metadata: {labels: {app.kubernetes.io/name: db}}
    spec:
      containers:
        - name: db
          image: ghcr.io/acme/db:1.0.0
          resources: {requests: {cpu: ${JSON.stringify(cpu)}, memory: ${memory}}, limits: {cpu: ${JSON.stringify(cpu)}, memory: ${memory}}}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${storage}}}}
`);

describe('StatefulSet volumeClaimTemplates (SW-DIFF-002): compared by amount', () => {
  test.each([['50Gi', '51200Mi'], ['50G', '50000M'], ['1Ti', '1024Gi']])('%s → %s is no change at all', (before, after) => {
    const r = diff(statefulSet(before), statefulSet(after));
    expect(r.consequences).toEqual([]);
    expect(r.summary.changed).toBe(0);
  });

  test.each([['50Gi', '50000Mi'], ['50Gi', '50G'], ['50G', '50Gi']])('%s → %s changes the template: refused, said at the leaf', (before, after) => {
    expect(brief(diff(statefulSet(before), statefulSet(after)))).toEqual([expect.objectContaining({
      rule: 'SW-DIFF-002', field: 'spec.volumeClaimTemplates[0].spec.resources.requests.storage', before: `"${before}"`, after: `"${after}"`,
    })]);
  });
});

const deployment = (resources: string, extra = ''): Obj[] => yaml(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 3
  selector: {matchLabels: {app.kubernetes.io/name: web}}
  template:
    metadata: {labels: {app.kubernetes.io/name: web}}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0.0
          resources: ${resources}
          env: [{name: CACHE, value: "1000"}]
          volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes: [{name: tmp, emptyDir: {sizeLimit: 1Gi}}]
${extra}`);

describe('Pod templates: requests and limits restated in other units roll nothing', () => {
  const base = deployment('{requests: {cpu: 500m, memory: 1Gi}, limits: {cpu: 500m, memory: 1Gi}}');

  test('cpu 500m → 0.5, memory 1Gi → 1024Mi: no rollout, no consequence, the object unchanged', () => {
    const r = diff(base, deployment('{requests: {cpu: "0.5", memory: 1024Mi}, limits: {cpu: 0.5, memory: 1048576Ki}}'));
    expect(r.consequences).toEqual([]);
    expect(r.summary).toMatchObject({ changed: 0, unchanged: 1 });
  });

  test('an emptyDir sizeLimit 1Gi → 1024Mi rolls nothing; 1Gi → 1G does', () => {
    const sized = (limit: string) => { const d = clone(base); d[0].spec.template.spec.volumes[0].emptyDir.sizeLimit = limit; return d; };
    expect(diff(base, sized('1024Mi')).consequences).toEqual([]);
    expect(brief(diff(base, sized('1G')))).toEqual([expect.objectContaining({ rule: 'SW-DIFF-020', problem: expect.stringMatching(/^Pod template changed \(Pod volumes\)/) })]);
  });

  test('with an image bump, the restated resources are not named as a cause', () => {
    const after = deployment('{requests: {cpu: "0.5", memory: 1024Mi}, limits: {cpu: "0.5", memory: 1024Mi}}');
    after[0].spec.template.spec.containers[0].image = 'ghcr.io/acme/web:1.1.0';
    const [c] = diff(base, after).consequences;
    expect(c.rule.id).toBe('SW-DIFF-020');
    expect(c.problem).toMatch(/^Pod template changed \("web": image ghcr\.io\/acme\/web:1\.0\.0 → ghcr\.io\/acme\/web:1\.1\.0\):/);
  });

  test('memory 1Gi → 1G is less memory: the Pods roll, for resources', () => {
    const [c] = diff(base, deployment('{requests: {cpu: 500m, memory: 1G}, limits: {cpu: 500m, memory: 1G}}')).consequences;
    expect(c.rule.id).toBe('SW-DIFF-020');
    expect(c.problem).toMatch(/^Pod template changed \("web": resources\):/);
  });

  test('an env value that reads like a quantity is text: 1000 → 1k is a change', () => {
    const after = clone(base);
    after[0].spec.template.spec.containers[0].env[0].value = '1k';
    expect(diff(base, after).consequences.map(c => c.problem)).toEqual([expect.stringMatching(/^Pod template changed \("web": env\)/)]);
  });

  test('a StatefulSet\'s container resources restated roll nothing either', () => {
    expect(diff(statefulSet('50Gi', '1Gi', '500m'), statefulSet('50Gi', '1024Mi', 0.5)).consequences).toEqual([]);
  });

  test('an HPA target restated (averageValue 500m → 0.5) is no change', () => {
    const hpa = (value: string) => yaml(`
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  metrics: [{type: Resource, resource: {name: cpu, target: {type: AverageValue, averageValue: ${JSON.stringify(value)}}}}]
`);
    expect(diff(hpa('500m'), hpa('0.5')).summary).toMatchObject({ changed: 0, unchanged: 1 });
    expect(diff(hpa('500m'), hpa('0.6')).summary).toMatchObject({ changed: 1 });
  });

  test('a rename that also restates a quantity is still a rename', () => {
    const after = deployment('{requests: {cpu: "0.5", memory: 1024Mi}, limits: {cpu: 500m, memory: 1Gi}}');
    after[0].metadata.name = 'web-v2';
    expect(diff(base, after).consequences.map(c => c.rule.id)).toEqual(['SW-DIFF-050']);
  });
});

describe('immutable Pod specs: a restated quantity is not a refused change', () => {
  const job = (cpu: unknown) => yaml(`
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: ghcr.io/acme/migrate:1.0.0, resources: {limits: {cpu: ${JSON.stringify(cpu)}}}}]
`);
  const pod = (memory: string) => yaml(`
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  overhead: {memory: 64Mi}
  containers: [{name: c, image: ghcr.io/acme/debug:1.0.0, resources: {limits: {memory: ${memory}}}}]
`);

  test('a Job\'s template (SW-DIFF-003): 500m → 0.5 is no change; 500m → 0.6 is refused at the leaf', () => {
    expect(diff(job('500m'), job('0.5')).consequences).toEqual([]);
    expect(diff(job(1), job('1000m')).consequences).toEqual([]);
    expect(brief(diff(job('500m'), job('0.6')))).toEqual([expect.objectContaining({ rule: 'SW-DIFF-003', field: 'spec.template.spec.containers[0].resources.limits.cpu', before: '"500m"', after: '"0.6"' })]);
  });

  test('a bare Pod (SW-DIFF-009): 64Mi → 65536Ki is no change; 64Mi → 64M is refused', () => {
    expect(diff(pod('64Mi'), pod('65536Ki')).consequences).toEqual([]);
    expect(brief(diff(pod('64Mi'), pod('64M')))).toEqual([expect.objectContaining({ rule: 'SW-DIFF-009', field: 'spec.containers[0].resources.limits.memory', before: '"64Mi"', after: '"64M"' })]);
  });

  test('an immutable ConfigMap holds text, not quantities: 1Gi → 1024Mi in its data is refused (SW-DIFF-007)', () => {
    const config = (v: string) => yaml(`
apiVersion: v1
kind: ConfigMap
metadata: {name: frozen, namespace: shop}
immutable: true
data: {cache.size: ${v}}
`);
    expect(brief(diff(config('1Gi'), config('1024Mi')))).toEqual([expect.objectContaining({ rule: 'SW-DIFF-007', field: 'data["cache.size"]', before: '"1Gi"', after: '"1024Mi"' })]);
  });
});

describe('the mutation corpus: quantities restated in other units have no consequence at all', () => {
  const prod = loadManifests([path.join(__dirname, '..', 'dist', 'prod')]).inputs.map(i => i.object as Obj);
  const restating = MUTATIONS.filter(m => /restated/.test(m.name)).map(m => m.name);
  const pairs = pairsOf('dist/prod', [...prod, ...extras('shop')], 3).filter(p => restating.includes(p.mutation.name));

  test('each restating mutation applies', () => {
    expect(new Set(pairs.map(p => p.mutation.name))).toEqual(new Set(restating));
  });

  test.each(pairs.map(p => [p.label, p] as const))('%s', (_label, pair) => {
    const r = diff(pair.before, pair.after);
    expect(r.consequences).toEqual([]);
    expect(r.summary.changed).toBe(0);
  });
});
