import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as jsyaml from 'js-yaml';
import { ConsequenceClass, diffManifests, DiffInput, DocumentCache, KubernetesTarget, Profile, renderDiff, renderEnvironments, RULES_BY_ID, Severity } from '../src';
import { run } from '../src/cli/main';
import { loadManifests, parseManifests } from '../src/manifests/load';
import { rejectedObjects } from '../src/diff/diff';
import { buildApp, ENVIRONMENTS } from '../src/main';
import { Capability, CAPABILITIES, Feature } from '../src/target/capabilities';
import { extras, MUTATIONS, Obj, pairsOf } from './support/diff-corpus';

const ROOT = path.join(__dirname, '..');
const REJECTING = ['SW-DIFF-001', 'SW-DIFF-002', 'SW-DIFF-003', 'SW-DIFF-004', 'SW-DIFF-005', 'SW-DIFF-006', 'SW-DIFF-007', 'SW-DIFF-008', 'SW-DIFF-009'];

const inputs = (objects: readonly Obj[], file = 'm.yaml'): DiffInput[] => objects.map((object, i) => ({ object, file, line: i * 10 + 1 }));
const ids = (before: readonly Obj[], after: readonly Obj[], options = {}) => diffManifests(inputs(before), inputs(after), options).consequences.map(c => c.rule.id);
const yaml = (text: string) => jsyaml.loadAll(text) as Obj[];
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = run(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: false });
  return { code, stdout, stderr };
}

const prod = loadManifests([path.join(ROOT, 'dist', 'prod')]).inputs.map(i => i.object as Obj);
const world = [...prod, ...extras('shop')];

describe('every mutation of the reference app is classified', () => {
  const pairs = pairsOf('dist/prod', world, 3);

  test('the corpus covers every mutation operator', () => {
    expect(new Set(pairs.map(p => p.mutation.name))).toEqual(new Set(MUTATIONS.map(m => m.name)));
  });

  test.each(pairs.map(p => [p.label, p] as const))('%s', (_label, pair) => {
    // A change that later minors accept is judged for the oldest target here (and for 1.35 below).
    const result = diffManifests(inputs(pair.before), inputs(pair.after), { kubernetesVersion: pair.mutation.acceptedFrom ? '1.28' : '1.35' });
    const found = result.consequences.map(c => c.rule.id);
    if (pair.mutation.expect) expect(found).toContain(pair.mutation.expect);
    const target = pair.changed;
    const ref = `${target.kind}/${target.metadata.namespace ? `${target.metadata.namespace}/` : ''}${target.metadata.name}`;
    expect(rejectedObjects(result).has(ref)).toBe([...REJECTING, 'SW-DIFF-010'].includes(pair.mutation.expect ?? ''));
  });
});

describe('consequences name the file and line, the field, both values and the fix', () => {
  test('a selector change of a Deployment is an error on the after side', () => {
    const after = clone(prod);
    const api = after.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!;
    api.spec.selector.matchLabels.tier = 'backend';
    api.spec.template.metadata.labels.tier = 'backend';
    const result = diffManifests(inputs(prod, 'before.yaml'), inputs(after, 'after.yaml'));
    const c = result.consequences.find(x => x.rule.id === 'SW-DIFF-001')!;
    // Said for the leaf that changed, with both values.
    expect(c).toMatchObject({ severity: Severity.ERROR, consequenceClass: ConsequenceClass.REJECTED, object: 'Deployment/shop/api', file: 'after.yaml', field: 'spec.selector.matchLabels.tier', before: '(unset)', after: '"backend"', change: 'changed' });
    expect(c.message).toMatch(/^after\.yaml:\d+: SW-DIFF-001 \[Deployment\/shop\/api\] spec\.selector\.matchLabels\.tier = "backend": Deployment spec\.selector is immutable; the update is refused\. Fix: keep the old selector/);
    // A refused update changes nothing, so no rollout is reported for it.
    expect(result.consequences.filter(x => x.object === 'Deployment/shop/api').map(x => x.rule.id)).toEqual(['SW-DIFF-001']);
  });

  test('an image bump rolls the Pods: count, pace and cause', () => {
    const after = clone(prod);
    const web = after.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    const old = web.spec.template.spec.containers[0].image;
    web.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:9.9.9';
    const [c] = diffManifests(inputs(prod), inputs(after)).consequences;
    expect(c.rule.id).toBe('SW-DIFF-020');
    expect(c.severity).toBe(Severity.INFO);
    expect(c.problem).toBe(`Pod template changed ("web": image ${old} → ghcr.io/acme/web:9.9.9): replaces ${web.spec.replicas} Pods, rolling, up to 1 extra and at most 0 unavailable at a time`);
  });

  test('a StatefulSet rolls one at a time from the highest ordinal; with a partition, only the ordinals above it', () => {
    const after = clone(prod);
    const db = after.find(o => o.kind === 'StatefulSet')!;
    db.spec.template.spec.containers[0].env = [...(db.spec.template.spec.containers[0].env ?? []), { name: 'X', value: '1' }];
    db.spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 1 } };
    const c = diffManifests(inputs(prod), inputs(after)).consequences.find(x => x.rule.id === 'SW-DIFF-020')!;
    expect(c.problem).toMatch(new RegExp(`env\\): replaces ${db.spec.replicas - 1} of ${db.spec.replicas} Pods \\(partition 1 keeps ordinals below it\\), one at a time from ordinal ${db.spec.replicas - 1} down to 1`));
  });

  test('Recreate, or maxUnavailable covering every replica, is an outage (SW-DIFF-021)', () => {
    const after = clone(prod);
    const web = after.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    web.spec.strategy = { type: 'Recreate' };
    web.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:9.9.9';
    expect(ids(prod, after)).toEqual(expect.arrayContaining(['SW-DIFF-021', 'SW-DIFF-032', 'SW-DIFF-020']));
    const fine = clone(prod);
    fine.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:9.9.9';
    expect(ids(prod, fine)).not.toContain('SW-DIFF-021');
  });

  test('an immutable-field change under Argo CD Replace=true is a recreation with its blast radius', () => {
    const before = clone(prod);
    const after = clone(prod);
    for (const side of [before, after]) {
      const api = side.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!;
      api.metadata.annotations = { ...api.metadata.annotations, 'argocd.argoproj.io/sync-options': 'Replace=true' };
    }
    after.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!.spec.selector.matchLabels.tier = 'x';
    const result = diffManifests(inputs(before), inputs(after));
    const c = result.consequences.find(x => x.object === 'Deployment/shop/api')!;
    expect(c.rule.id).toBe('SW-DIFF-010');
    expect(c.consequenceClass).toBe(ConsequenceClass.RECREATE);
    expect(c.problem).toMatch(/Replace=true makes the sync delete and re-create Deployment\/api: all (\d+|its) Pods stop at once/);
  });
});

describe('deletions, renames and Applications', () => {
  test('a deleted StatefulSet with claims, a claim, a Namespace: deletions with data, on the before side', () => {
    const after = world.filter(o => !['StatefulSet', 'PersistentVolumeClaim', 'Namespace'].includes(o.kind));
    const result = diffManifests(inputs(world, 'before.yaml'), inputs(after, 'after.yaml'));
    const deletions = result.consequences.filter(c => c.consequenceClass === ConsequenceClass.DELETION);
    expect(deletions.map(c => c.rule.id).sort()).toEqual(['SW-DIFF-040', 'SW-DIFF-041', ...world.filter(o => o.kind === 'Namespace').map(() => 'SW-DIFF-042')].sort());
    expect(deletions.every(c => c.file === 'before.yaml' && c.change === 'deleted')).toBe(true);
    expect(deletions.find(c => c.rule.id === 'SW-DIFF-040')!.problem).toMatch(/StatefulSet\/shop\/postgres is deleted: its \d+ Pods stop and its claims \(data\) stay behind, unowned/);
  });

  test('whenDeleted: Delete says the claims go with their data', () => {
    const before = clone(world);
    before.find(o => o.kind === 'StatefulSet')!.spec.persistentVolumeClaimRetentionPolicy = { whenDeleted: 'Delete', whenScaled: 'Retain' };
    const r = diffManifests(inputs(before), inputs(before.filter(o => o.kind !== 'StatefulSet')));
    expect(r.consequences.find(c => c.rule.id === 'SW-DIFF-040')!.problem).toContain('whenDeleted: Delete deletes its claims (data) with their data');
  });

  test('a rename is a delete plus a create, said as such', () => {
    const after = clone(world);
    const claim = after.find(o => o.kind === 'PersistentVolumeClaim')!;
    claim.metadata.name = 'data-v2';
    const result = diffManifests(inputs(world), inputs(after));
    expect(result.summary).toMatchObject({ created: 1, deleted: 1, renamed: 1, changed: 0 });
    const rename = result.consequences.find(c => c.rule.id === 'SW-DIFF-050')!;
    expect(rename.problem).toBe('PersistentVolumeClaim/shop/data is renamed to data-v2 with an otherwise identical spec: a create plus a delete (prune), so the claim is deleted with its volume\'s data (unless reclaimPolicy Retain) and a new, empty one is created');
    expect(result.consequences.map(c => c.rule.id)).toContain('SW-DIFF-041');
    // A changed spec under a new name is no rename.
    claim.spec.resources.requests.storage = '20Gi';
    expect(diffManifests(inputs(world), inputs(after)).summary.renamed).toBe(0);
  });

  test('an Argo CD Application whose path loses its manifests (SW-DIFF-043)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-diff-app-'));
    const app = yaml('apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: {name: shop, namespace: argocd}\nspec:\n  source: {repoURL: "https://git.example/x", path: dist/prod}\n  destination: {server: "https://k", namespace: shop}\n')[0];
    const before: DiffInput[] = [{ object: app, file: path.join(dir, 'argocd', 'shop.yaml'), group: 'argocd' }, { object: prod[0], file: path.join(dir, 'dist', 'prod', 'x.yaml'), group: 'dist/prod' }];
    const after: DiffInput[] = [{ object: app, file: path.join(dir, 'argocd', 'shop.yaml'), group: 'argocd' }, { object: prod[0], file: path.join(dir, 'dist', 'production', 'x.yaml'), group: 'dist/production' }];
    const c = diffManifests(before, after, { repoRoot: dir }).consequences.find(x => x.rule.id === 'SW-DIFF-043')!;
    expect(c.problem).toBe('dist/prod held 1 manifest file and now holds none: with automated prune Argo CD deletes everything Application shop deployed');
    expect(diffManifests(before, before, { repoRoot: dir }).consequences).toEqual([]);
  });

  test('objects match by group, kind, namespace and name within a deployment group', () => {
    const a = inputs(prod).map(i => ({ ...i, group: 'prod' }));
    const b = inputs(prod).map(i => ({ ...i, group: 'staging' }));
    const r = diffManifests(a, b);
    expect(r.summary).toMatchObject({ created: prod.length, deleted: prod.length, changed: 0 });
    // An apiVersion change within the group is the same object.
    const moved = clone(prod);
    const hpa = moved.find(o => o.kind === 'HorizontalPodAutoscaler')!;
    hpa.apiVersion = 'autoscaling/v1';
    expect(diffManifests(inputs(prod), inputs(moved)).summary).toMatchObject({ changed: 1, created: 0, deleted: 0 });
  });
});

describe('availability and exposure', () => {
  test('a PDB that newly blocks drains, fewer replicas, an HPA minimum of 1', () => {
    const after = clone(prod);
    const pdb = after.find(o => o.kind === 'PodDisruptionBudget' && o.metadata.name === 'web-pdb')!;
    delete pdb.spec.maxUnavailable;
    pdb.spec.minAvailable = '100%';
    after.find(o => o.kind === 'HorizontalPodAutoscaler')!.spec.minReplicas = 1;
    const result = diffManifests(inputs(prod), inputs(after));
    const block = result.consequences.find(c => c.rule.id === 'SW-DIFF-030')!;
    expect(block).toMatchObject({ object: 'PodDisruptionBudget/shop/web-pdb', field: 'spec.minAvailable', after: '"100%"' });
    expect(block.problem).toMatch(/now allows no disruption of Deployment\/web at \d+ replicas \(before: 1\): node drains block/);
    expect(result.consequences.map(c => c.rule.id)).toContain('SW-DIFF-031');
  });

  test('a readiness probe removed (SW-DIFF-033) and spread removed (SW-DIFF-034), each named at its field', () => {
    const after = clone(prod);
    const api = after.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!;
    const index = api.spec.template.spec.containers.findIndex((c: Obj) => c.readinessProbe);
    delete api.spec.template.spec.containers[index].readinessProbe;
    delete api.spec.template.spec.topologySpreadConstraints;
    delete api.spec.template.spec.affinity;
    const found = diffManifests(inputs(prod), inputs(after)).consequences.filter(c => c.consequenceClass === ConsequenceClass.AVAILABILITY);
    expect(found.map(c => `${c.rule.id} ${c.field} ${c.after}`)).toEqual([
      `SW-DIFF-033 spec.template.spec.containers[${index}].readinessProbe (unset)`,
      'SW-DIFF-034 spec.template.spec.topologySpreadConstraints (unset)',
    ]);
    expect(found[0].problem).toBe(`container "${api.spec.template.spec.containers[index].name}" loses its readiness probe: it gets traffic before it can serve`);
    // With one replica there is nothing to spread.
    const single = clone(after);
    const web = single.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    const webBefore = clone(prod).find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    web.spec.replicas = 1;
    delete web.spec.template.spec.topologySpreadConstraints;
    delete web.spec.template.spec.affinity;
    expect(diffManifests(inputs([webBefore]), inputs([web])).consequences.map(c => c.rule.id)).toEqual(['SW-DIFF-031', 'SW-DIFF-020']);
  });

  test('a NetworkPolicy change that cuts a path, and one that admits every namespace', () => {
    const after = clone(prod);
    const np = after.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'api-netpol')!;
    np.spec.ingress = [{ from: [{ namespaceSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }];
    const result = diffManifests(inputs(prod), inputs(after));
    const cut = result.consequences.filter(c => c.rule.id === 'SW-DIFF-035');
    expect(cut.length).toBeGreaterThan(0);
    expect(cut[0].problem).toMatch(/can no longer reach Deployment\/shop\/api/);
    expect(cut[0].object).toBe('NetworkPolicy/shop/api-netpol');
    expect(result.consequences.find(c => c.rule.id === 'SW-DIFF-062')!.problem).toMatch(/^namespaces \{\} may now reach Deployment\/shop\/api on 8080\/TCP$/);
  });

  test('a Service becoming a LoadBalancer and a new route host', () => {
    const after = clone(prod);
    after.find(o => o.kind === 'Service' && o.metadata.name === 'web')!.spec.type = 'LoadBalancer';
    const route = after.find(o => o.kind === 'HTTPRoute' && o.metadata.namespace === 'shop')!;
    route.spec.hostnames = [...route.spec.hostnames, 'admin.example.com'];
    const result = diffManifests(inputs(prod), inputs(after));
    expect(result.consequences.filter(c => c.consequenceClass === ConsequenceClass.EXPOSURE).map(c => `${c.rule.id} ${c.after}`).sort()).toEqual(['SW-DIFF-060 "LoadBalancer"', 'SW-DIFF-061 "admin.example.com"']);
  });
});

describe('rules, profiles, waivers and the target', () => {
  test('every SW-DIFF rule is in the catalog with a fix, and checks no single manifest', () => {
    const diffRules = [...RULES_BY_ID.values()].filter(r => r.id.startsWith('SW-DIFF-'));
    expect(diffRules.length).toBeGreaterThanOrEqual(25);
    for (const r of diffRules) expect(r.kinds).toEqual([]);
  });

  test('a waiver on the after object turns the consequence into an info', () => {
    const after = clone(prod);
    const web = after.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!;
    web.spec.replicas = 1;
    web.metadata.annotations = { ...web.metadata.annotations, 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-DIFF-031', reason: 'scaling down for the holidays' }]) };
    const c = diffManifests(inputs(prod), inputs(after)).consequences.find(x => x.rule.id === 'SW-DIFF-031')!;
    expect(c).toMatchObject({ severity: Severity.INFO, waived: 'scaling down for the holidays' });
  });

  test('staging downgrades availability regressions; development turns them off; rejections stay errors', () => {
    const after = clone(prod);
    after.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!.spec.replicas = 1;
    after.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!.spec.selector.matchLabels.x = 'y';
    const sev = (profile: Profile) => diffManifests(inputs(prod), inputs(after), { profile }).consequences.map(c => `${c.rule.id}:${c.severity}`).sort();
    expect(sev(Profile.PRODUCTION)).toEqual(['SW-DIFF-001:error', 'SW-DIFF-031:warning']);
    expect(sev(Profile.STAGING)).toEqual(['SW-DIFF-001:error', 'SW-DIFF-031:warning']);
    expect(sev(Profile.DEVELOPMENT)).toEqual(['SW-DIFF-001:error']);
  });

  test('the target: native sidecars are named in a DaemonSet rollout only where the target has them', () => {
    const ds = yaml('apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: agent, namespace: x}\nspec:\n  selector: {matchLabels: {app: a}}\n  template:\n    metadata: {labels: {app: a}}\n    spec:\n      initContainers: [{name: s, image: "s:1", restartPolicy: Always}]\n      containers: [{name: c, image: "c:1"}]\n')[0];
    const next = clone(ds);
    next.spec.template.spec.containers[0].image = 'c:2';
    const problem = (v: '1.28' | '1.35') => diffManifests(inputs([ds]), inputs([next]), { kubernetesVersion: v }).consequences[0].problem;
    expect(problem('1.35')).toContain('native sidecars start before and stop after the app');
    expect(problem('1.28')).not.toContain('native sidecars');
    expect(diffManifests(inputs([ds]), inputs([next]), { kubernetesVersion: '1.35' }).kubernetesVersion).toBe('1.35');
    expect(() => diffManifests([], [], { kubernetesVersion: '1.99' as '1.35' })).toThrow(/SW-TARGET-001/);
  });

  test('the target decides: a StatefulSet\'s revisionHistoryLimit is refused before 1.33 and accepted from it', () => {
    const after = clone(prod);
    after.find(o => o.kind === 'StatefulSet')!.spec.revisionHistoryLimit = 3;
    const at = (v: '1.28' | '1.32' | '1.33' | '1.35') => diffManifests(inputs(prod), inputs(after), { kubernetesVersion: v }).consequences.map(c => c.rule.id);
    expect(at('1.28')).toEqual(['SW-DIFF-002']);
    expect(at('1.32')).toEqual(['SW-DIFF-002']);
    expect(at('1.33')).toEqual([]);
    expect(at('1.35')).toEqual([]);
  });

  test('an unchanged set has no consequences; explicit defaults are no change', () => {
    expect(diffManifests(inputs(world), inputs(clone(world))).consequences).toEqual([]);
    const after = clone(world);
    const sts = after.find(o => o.kind === 'StatefulSet')!;
    sts.spec.podManagementPolicy ??= 'OrderedReady';
    sts.spec.revisionHistoryLimit ??= 10;
    const svc = after.find(o => o.kind === 'Service' && o.metadata.name === 'peers')!;
    svc.spec.clusterIP = 'None';
    expect(rejectedObjects(diffManifests(inputs(world), inputs(after))).size).toBe(0);
  });
});

describe('output formats', () => {
  const after = clone(prod);
  after.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!.spec.selector.matchLabels.x = 'y';
  after.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!.spec.template.spec.containers[0].image = 'ghcr.io/acme/web:9.9.9';
  const result = diffManifests(inputs(prod, 'dist/prod/shop.k8s.yaml'), inputs(after, 'dist/prod/shop.k8s.yaml'));

  test('markdown: a summary line, one section per class, objects linked to file:line', () => {
    const md = renderDiff(result, [], 'markdown', { linkBase: 'https://github.com/acme/shop/blob/abc/' });
    expect(md).toMatch(/^### seaworthy diff\n\n\*\*will be rejected: 1 · will restart pods: 1 — 2 objects changed, 0 created, 0 deleted \(Kubernetes 1\.35\)\*\*\n/);
    expect(md).toContain('#### ⛔ Will be rejected (1)');
    expect(md).toContain('#### 🔄 Will restart Pods (1)');
    expect(md).toMatch(/\| error SW-DIFF-001 \| \[`Deployment\/shop\/api`\]\(https:\/\/github\.com\/acme\/shop\/blob\/abc\/dist\/prod\/shop\.k8s\.yaml#L\d+\) <sub>dist\/prod\/shop\.k8s\.yaml:\d+<\/sub> \| `spec\.selector\.matchLabels\.x` \| \(unset\) → "y" \|/);
    expect(md.indexOf('Will be rejected')).toBeLessThan(md.indexOf('Will restart Pods'));
  });

  test('markdown keeps a PR comment short: at most maxRows rows per section, the rest counted', () => {
    const many = clone(prod);
    for (const d of many.filter(o => o.kind === 'Deployment')) d.spec.template.spec.containers[0].image = `${d.spec.template.spec.containers[0].image}-next`;
    const r = diffManifests(inputs(prod), inputs(many));
    const restarts = r.consequences.filter(c => c.rule.id === 'SW-DIFF-020').length;
    expect(restarts).toBeGreaterThan(2);
    const md = renderDiff(r, [], 'markdown', { maxRows: 2 });
    expect(md.match(/\| info SW-DIFF-020 /g)).toHaveLength(2);
    expect(md).toContain(`…and ${restarts - 2} more (see the table, JSON or SARIF output).`);
  });

  test('colour only for a terminal', () => {
    expect(renderDiff(result, [], 'table', { colour: true })).toContain('\x1b[31merror  \x1b[0m');
    expect(renderDiff(result, [], 'table')).not.toContain('\x1b[');
  });

  test('JSON and SARIF carry the rule, class, location and fix', () => {
    const json = JSON.parse(renderDiff(result, [], 'json'));
    expect(json.consequences[0]).toMatchObject({ rule: 'SW-DIFF-001', class: 'rejected', severity: 'error', object: 'Deployment/shop/api', file: 'dist/prod/shop.k8s.yaml', field: 'spec.selector.matchLabels.x', fix: RULES_BY_ID.get('SW-DIFF-001')!.fix });
    const sarif = JSON.parse(renderDiff(result, [], 'sarif', { version: '1.2.3' }));
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: 'SW-DIFF-001', level: 'error', locations: [{ physicalLocation: { artifactLocation: { uri: 'dist/prod/shop.k8s.yaml' } } }] });
  });

  test('the table names class, severity, id, object and location', () => {
    const table = renderDiff(result, [], 'table');
    expect(table).toMatch(/^Will be rejected \(1\)\n {2}error {4}SW-DIFF-001 {2}Deployment\/shop\/api {2}\(dist\/prod\/shop\.k8s\.yaml:\d+\)\n/);
    expect(table.trimEnd().split('\n').pop()).toBe('will be rejected: 1 · will restart pods: 1 — 2 objects changed, 0 created, 0 deleted (Kubernetes 1.35)');
  });
});

describe('seaworthy diff (CLI)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-diff-cli-'));
  const write = (dir: string, objects: readonly Obj[]) => {
    fs.mkdirSync(path.join(tmp, dir, 'prod'), { recursive: true });
    fs.writeFileSync(path.join(tmp, dir, 'prod', 'shop.k8s.yaml'), objects.map(o => jsyaml.dump(o)).join('---\n'));
  };
  const after = clone(prod);
  after.find(o => o.kind === 'Deployment' && o.metadata.name === 'web')!.spec.replicas = 1;
  write('a', prod);
  write('b', after);

  test('two directories: objects match within the same subdirectory; exit 0 below --fail-on, 1 at it', () => {
    const r = cli('diff', path.join(tmp, 'a'), path.join(tmp, 'b'));
    expect(r.stdout).toContain('SW-DIFF-031  Deployment/shop/web');
    expect(r.code).toBe(0);
    expect(cli('diff', path.join(tmp, 'a'), path.join(tmp, 'b'), '--fail-on', 'warning').code).toBe(1);
    expect(cli('diff', path.join(tmp, 'a'), path.join(tmp, 'a')).stdout).toMatch(/^no consequences — 0 objects changed/m);
  });

  test('usage errors and unreadable input exit 2', () => {
    expect(cli('diff', path.join(tmp, 'a')).code).toBe(2);
    expect(cli('diff', path.join(tmp, 'a'), path.join(tmp, 'b'), '--format', 'html').stderr).toMatch(/--format must be one of table, markdown, json, sarif/);
    expect(cli('diff', path.join(tmp, 'a'), path.join(tmp, 'missing')).code).toBe(2);
    expect(cli('diff', '--help').stdout).toMatch(/^seaworthy diff <before> <after>/);
  });

  test('--base reads the directory at a git revision with git itself', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(repo, 'dist', 'prod'), { recursive: true });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' }).toString();
    git('init', '-q');
    fs.writeFileSync(path.join(repo, 'dist', 'prod', 'shop.k8s.yaml'), prod.map(o => jsyaml.dump(o)).join('---\n'));
    git('add', '.');
    git('commit', '-qm', 'one');
    const cwd = process.cwd();
    try {
      process.chdir(repo);
      const first = cli('diff', '--base', 'HEAD~1', 'dist');
      expect(first.code).toBe(2);
      expect(first.stderr).toMatch(/unknown revision "HEAD~1"/);
      fs.writeFileSync(path.join(repo, 'dist', 'prod', 'shop.k8s.yaml'), after.map(o => jsyaml.dump(o)).join('---\n'));
      git('commit', '-qam', 'two');
      const r = cli('diff', '--base', 'HEAD~1', 'dist', '--format', 'markdown');
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('### seaworthy diff: dist at HEAD~1 → the working tree');
      expect(r.stdout).toMatch(/\| warning SW-DIFF-031 \| \[`Deployment\/shop\/web`\]\(dist\/prod\/shop\.k8s\.yaml#L\d+\)/);
      expect(cli('diff', '--base', 'HEAD', 'dist').stdout).toMatch(/^no consequences/m);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('loading both sides', () => {
  test('a document seen on the other side is parsed once and shared; lines and problems are as parseManifests gives them', () => {
    const text = fs.readFileSync(path.join(ROOT, 'dist', 'prod', 'shop.k8s.yaml'), 'utf8');
    const cache = new DocumentCache();
    const a = cache.parse('a.yaml', text);
    const b = cache.parse('b.yaml', text.replace('replicas: 3', 'replicas: 4'));
    const reference = parseManifests('a.yaml', text);
    expect(a.inputs.map(i => [i.line, i.object])).toEqual(reference.inputs.map(i => [i.line, i.object]));
    expect(a.inputs.filter((x, i) => x.object === b.inputs[i].object).length).toBe(a.inputs.length - 1);
    for (const tricky of ['--- \nkind: A\n---\n---\t\nkind: B\n', 'kind: A\r\n---\r\nkind: B\r\n', '# c\n---\nkind: A\n--- # x\nkind: B\n----\nkind: C\n', 'kind: A\n---']) {
      const mine = new DocumentCache().parse('t.yaml', tricky);
      expect(mine).toEqual(parseManifests('t.yaml', tricky));
    }
    const broken = cache.parse('c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n');
    expect(broken.problems).toEqual(parseManifests('c.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [\n').problems);
  });

  test('a policy whose Pods are not among the manifests (a Gateway\'s proxies) is compared by its own sources', () => {
    const after = clone(prod);
    const policy = after.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'public-data-plane')!;
    policy.spec.ingress = [...(policy.spec.ingress ?? []), { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }];
    const opened = diffManifests(inputs(prod), inputs(after)).consequences.filter(c => c.rule.id === 'SW-DIFF-062');
    expect(opened.map(c => c.problem)).toEqual(['{"ipBlock":{"cidr":"0.0.0.0/0"}} [] may now reach the Pods NetworkPolicy/infra/public-data-plane selects (not among these manifests)']);
    const narrowed = clone(prod);
    narrowed.find(o => o.kind === 'NetworkPolicy' && o.metadata.name === 'public-data-plane')!.spec.ingress = [];
    expect(diffManifests(inputs(prod), inputs(narrowed)).consequences.map(c => c.rule.id)).toContain('SW-DIFF-035');
  });
});

describe('zero values the API server drops (omitempty) are no change', () => {
  const deployment = prod.find(o => o.kind === 'Deployment' && o.metadata.name === 'api')!;
  const job = prod.find(o => o.kind === 'CronJob')!;
  const service = prod.find(o => o.kind === 'Service')!;
  /** `o` with an env var EMPTY set to "", every zero of the table explicit (`zero`) or left out. */
  const spelled = (o: Obj, zero: boolean): Obj => {
    const copy = clone(o);
    const pod = copy.kind === 'CronJob' ? copy.spec.jobTemplate.spec.template.spec : copy.spec?.template?.spec;
    const set = (holder: Obj, key: string, value: unknown) => {
      if (zero) holder[key] ??= value;
      else if (JSON.stringify(holder[key]) === JSON.stringify(value)) delete holder[key];
    };
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
      for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) if (c[p]) set(c[p], 'initialDelaySeconds', 0);
      c.env = [...(c.env ?? []), zero ? { name: 'EMPTY', value: '' } : { name: 'EMPTY' }];
      for (const m of c.volumeMounts ?? []) set(m, 'readOnly', false);
    }
    if (copy.kind === 'Service') set(copy.spec, 'externalIPs', []);
    return copy;
  };

  test('an explicit zero against an omitted one: no rollout, no refusal, the object unchanged', () => {
    const bareJob = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'once', namespace: 'shop' }, spec: { template: job.spec.jobTemplate.spec.template } };
    const objects = [deployment, job, service, bareJob];
    const zeroed = objects.map(o => spelled(o, true));
    const bare = objects.map(o => spelled(o, false));
    expect(zeroed).not.toEqual(bare);
    // Either way round: a Deployment would roll, a Job's template is immutable (refused), if they counted.
    for (const [before, after] of [[zeroed, bare], [bare, zeroed]]) {
      const result = diffManifests(inputs(before), inputs(after));
      expect(result.consequences).toEqual([]);
      expect(result.summary).toMatchObject({ changed: 0, unchanged: 4 });
    }
    // A zero the server keeps is a change: replicas 0 scales the workload down.
    const scaled = clone(deployment);
    scaled.spec.replicas = 0;
    expect(diffManifests(inputs([deployment]), inputs([scaled])).summary.changed).toBe(1);
  });

  test.each(ENVIRONMENTS.filter(e => KubernetesTarget.version(e.kubernetesVersion!).has(Feature.OMIT_ZERO_DEFAULTS)).map(e => [e.name, e] as const))(
    'seaworthy diff of dist/%s rendered with and without leaving them out: no consequence, no object changed', (_name, env) => {
      const render = () => renderEnvironments({ environments: [env], build: (app, e) => buildApp(app, e) });
      // The output from before the capability existed: the capability opened after every minor.
      const table = CAPABILITIES as Record<Feature, Capability>;
      const saved = table[Feature.OMIT_ZERO_DEFAULTS];
      table[Feature.OMIT_ZERO_DEFAULTS] = { ...saved, since: 99 };
      let before: Map<string, string>;
      try {
        before = render();
      } finally {
        table[Feature.OMIT_ZERO_DEFAULTS] = saved;
      }
      const after = render();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-diff-zeros-'));
      for (const [side, files] of [['before', before], ['after', after]] as const) {
        for (const [file, text] of files) {
          fs.mkdirSync(path.dirname(path.join(dir, side, file)), { recursive: true });
          fs.writeFileSync(path.join(dir, side, file), text);
        }
      }
      expect([...after].some(([file, text]) => text !== before.get(file))).toBe(true);
      expect([...before.values()].join('\n')).toMatch(/initialDelaySeconds: 0/);
      const r = cli('diff', path.join(dir, 'before'), path.join(dir, 'after'), '--format', 'json', '--kubernetes-version', env.kubernetesVersion!);
      const result = JSON.parse(r.stdout) as { summary: { changed: number; unchanged: number }; consequences: unknown[]; changes: unknown[] };
      expect(r.code).toBe(0);
      expect(result.consequences).toEqual([]);
      expect(result.changes).toEqual([]);
      expect(result.summary.changed).toBe(0);
      expect(result.summary.unchanged).toBeGreaterThan(40);
      fs.rmSync(dir, { recursive: true, force: true });
    });
});
