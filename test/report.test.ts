import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { explain, explainReport, reportModel, toDot, trafficGraph } from '../src';
import { loadManifests } from '../src/manifests/load';
import { foldGraph, TrafficEdge, TrafficGraph, TrafficNode } from '../src/report/graph';
import { runAsync } from '../src/cli/main';

const ROOT = path.join(__dirname, '..');
const SHOP = path.join(ROOT, 'dist', 'prod', 'shop.k8s.yaml');
const FRONT = path.join(__dirname, 'fixtures', 'report', 'front-doors.yaml');

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAsync(args, { stdout: t => { stdout += t; }, stderr: t => { stderr += t; }, isTty: false });
  return { code, stdout, stderr };
}

describe('explain(): the facts behind the text, as data', () => {
  test('the shutdown timeline has a lane per running container; the native sidecar has its own from 1.29 on', () => {
    const { inputs } = loadManifests([SHOP]);
    const api = explain(inputs, { kubernetesVersion: '1.35' }).find(w => w.ref === 'Deployment/shop/api')!;
    expect(api.facts.shutdown).toEqual({
      gracePeriodSeconds: 25,
      lanes: [
        { container: 'api', role: 'app', preStop: 'sleep', preStopSeconds: 5, sigtermAt: 5 },
        { container: 'otel-agent', role: 'sidecar', preStop: undefined, preStopSeconds: undefined, sigtermAt: undefined },
      ],
    });
    expect(api.facts.autoscaler).toEqual({ ref: 'HorizontalPodAutoscaler/shop/api', min: 3, max: 8 });
    expect(api.facts.rollout).toEqual({ strategy: 'RollingUpdate', desired: 8, maxSurge: 1, maxUnavailable: 0 });
    // 8 + 1 surge + 3 old Pods still terminating = 12 Pods × (500m + the sidecar's 100m), as the text says; 9 once they are gone.
    expect(api.facts.peak).toEqual({ pods: 12, cpu: expect.closeTo(7.2, 9), memory: 12 * 640 * 2 ** 20 });
    expect(api.facts.peakWithoutOverlap).toEqual({ pods: 9, cpu: expect.closeTo(5.4, 9), memory: 9 * 640 * 2 ** 20 });
    expect(api.facts.rolloutPeak).toMatchObject({ pods: 12, withoutOverlap: 9, terminating: 3, stepSeconds: 10, overlappingSteps: 3, timeline: { gracePeriodSeconds: 25, readySeconds: 0, minReadySeconds: 10 } });
    const cpu = api.facts.quotas.find(q => q.key === 'requests.cpu')!;
    expect(cpu).toMatchObject({ quota: 'ResourceQuota/shop/shop-quota', hard: 12, workload: expect.closeTo(7.2, 9) });
    expect(cpu.namespace).toBeGreaterThan(cpu.workload);
    expect(api.facts.probes.map(p => `${p.container} ${p.type} ${p.check}`)).toContain('api readiness GET /ready on http');
    expect(api.facts.disruptionBudgets).toEqual(['PodDisruptionBudget/shop/api-pdb']);
    expect(api.facts.file).toBe(SHOP);
    expect(api.facts.line).toBeGreaterThan(1);
    // On 1.28 the sidecar is an init container that never exits: no lane of its own.
    const old = explain(inputs, { kubernetesVersion: '1.28' }).find(w => w.ref === 'Deployment/shop/api')!;
    expect(old.facts.shutdown.lanes.map(l => l.role)).toEqual(['app']);
  });
});

describe('the report model and traffic graph', () => {
  test('front doors: reachable routes of the reference app, and unreachable Ingresses with the reason', () => {
    const shop = reportModel(loadManifests([SHOP]).inputs);
    const route = (name: string, match: string) => expect.objectContaining({
      ref: `HTTPRoute/shop/${name}`, via: 'Gateway infra/public/https', tls: false,
      routes: [{ match, service: `Service/shop/${name}`, port: '80', workloads: [`Deployment/shop/${name}`], unreachable: undefined }],
    });
    // The shop file alone: the Gateway (in infra) is not there to say its listener is HTTPS.
    expect(shop.frontDoors).toEqual([route('api', 'shop.example.com /api'), route('web', 'shop.example.com /')]);
    const prod = reportModel(loadManifests([path.dirname(SHOP)]).inputs);
    expect(prod.frontDoors.filter(d => d.namespace === 'shop').map(d => [d.ref, d.tls])).toEqual([['HTTPRoute/shop/api', true], ['HTTPRoute/shop/web', true]]);
    expect(shop.namespaces.find(n => n.name === 'shop')).toMatchObject({ defaultDenyIngress: true, defaultDenyEgress: true });

    const model = reportModel(loadManifests([FRONT]).inputs);
    const front = model.frontDoors.find(d => d.name === 'front')!;
    expect(front.routes[0].workloads).toEqual(['Deployment/edge/front']);
    // The one reachability analysis (SW-REACH-*) gives every missing link.
    expect(front.routes[0].unreachable).toBe('Service edge/front port "http" (80) sends traffic to container "front" of Deployment/edge/front, which has no readiness probe; Service edge/front port "http" (80): no NetworkPolicy admits an ingress controller outside the namespace (none declared) to Deployment/edge/front on port 8080 ("http") (isolated by front)');
    expect(model.frontDoors.find(d => d.name === 'ghost')!.routes[0].unreachable).toBe('names no Service edge/missing among the objects');

    const anchors = new Map<string, string>();
    const graph = trafficGraph(model, anchors);
    expect(graph.edges.filter(e => e.status === 'unreachable').map(e => `${e.from}->${e.to}`).sort()).toEqual(['Ingress/edge/front->Deployment/edge/front', 'Ingress/edge/ghost->Service/edge/missing']);
    // caller → db: caller's egress allows it, db's ingress does not.
    expect(graph.edges.find(e => e.from === 'Deployment/edge/caller' && e.to === 'Deployment/edge/db')).toMatchObject({ status: 'one-sided', labels: ['5432/TCP'], note: 'ingress of Deployment/edge/db does not allow it' });
    // caller → front: front's ingress names caller, caller's egress does not allow it.
    expect(graph.edges.find(e => e.from === 'Deployment/edge/caller' && e.to === 'Deployment/edge/front')).toMatchObject({ status: 'one-sided', note: 'egress of Deployment/edge/caller does not allow it' });
    const dot = toDot(model, graph);
    expect(dot).toContain('"Ingress/edge/front" -> "Deployment/edge/front" [label="front.example.com/ (Prefix) → front:http\\nUNREACHABLE"');
  });

  test('the page: unreachable front doors in red and in words, sections plug in on top, the target is named', async () => {
    const { inputs } = loadManifests([FRONT]);
    const html = await explainReport(inputs, {
      kubernetesVersion: '1.33',
      title: 'edge',
      sections: [{ id: 'diff', title: 'What this change does', html: '<p>consequences</p>', placement: 'top' }],
    });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<title>edge</title>');
    expect(html).toMatch(/<strong id="target">Kubernetes 1\.33 \(upstream support (until|ended) 2026-06-28\)<\/strong>/);
    expect(html.indexOf('<section id="diff"')).toBeLessThan(html.indexOf('<section id="traffic"'));
    expect(html).toContain('<article class="door unreachable"');
    expect(html).toContain('✖ UNREACHABLE');
    // Nothing is fetched: no external script, style, font or image, and a CSP that forbids them.
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
    expect(html).toContain('default-src \'none\'');
    // The graph is inline SVG with real text.
    expect(html).toMatch(/<svg [^>]*class="traffic fit"/);
    expect(html).toMatch(/<text[^>]*>Deployment<\/text>/);
  });
});

describe('folding the traffic graph for layout', () => {
  const model = { groups: [''], namespaces: [{ group: '', name: 'big', defaultDenyIngress: true, defaultDenyEgress: false }] };
  const workload = (ns: string, i: number): TrafficNode => ({ key: `Deployment/${ns}/svc-${i}`, kind: 'workload', group: '', namespace: ns, label: `svc-${i}`, href: `#card-${ns}-${i}`, alert: ns === 'big' && i === 3 });
  const edge = (from: string, to: string, label: string, status: TrafficEdge['status'] = 'allowed'): TrafficEdge => ({ from, to, labels: [label], status });
  // "big" (40 workloads, a call chain), "small" (5), and a peer reaching both namespaces' first workload.
  const graph: TrafficGraph = {
    nodes: [
      { key: 'anyone', kind: 'peer', group: '', namespace: '', label: 'anyone' },
      ...Array.from({ length: 40 }, (_, i) => workload('big', i)),
      ...Array.from({ length: 5 }, (_, i) => workload('small', i)),
    ],
    edges: [
      edge('anyone', 'Deployment/big/svc-0', '8080/TCP'),
      edge('anyone', 'Deployment/small/svc-0', '8080/TCP'),
      ...Array.from({ length: 39 }, (_, i) => edge(`Deployment/big/svc-${i}`, `Deployment/big/svc-${i + 1}`, '8080/TCP')),
      edge('Deployment/small/svc-1', 'Deployment/big/svc-7', '9090/TCP'),
      edge('Deployment/small/svc-2', 'Deployment/big/svc-8', '9091/TCP', 'one-sided'),
    ],
  };

  test('a graph within the limits is laid out as it is', () => {
    expect(foldGraph(model, graph, 46)).toEqual({ ...graph, folds: [] });
    expect(foldGraph(model, graph, 46, 2).folds).toEqual([]);
  });

  test('over the node limit, the largest namespace folds into one node; edges merge, keep the worst status and count their paths', () => {
    const layout = foldGraph(model, graph, 20);
    expect(layout.folds).toHaveLength(1);
    const [fold] = layout.folds;
    expect(fold).toMatchObject({ key: 'Namespace/big', namespace: 'big', href: '#ns-0', inside: 39 });
    expect(fold.members.map(m => m.key)).toEqual(graph.nodes.slice(1, 41).map(n => n.key));
    expect(layout.nodes.map(n => n.key)).toEqual(['anyone', 'Namespace/big', ...graph.nodes.slice(41).map(n => n.key)]);
    expect(layout.nodes[1]).toMatchObject({ kind: 'namespace', href: '#ns-0', alert: true, label: 'namespace big\n40 workloads\ndefault-deny ingress\n1 with errors\n(folded: see its card)' });
    expect(layout.edges).toContainEqual({ from: 'anyone', to: 'Namespace/big', labels: ['8080/TCP'], status: 'allowed', note: undefined, paths: 1 });
    expect(layout.edges).toContainEqual({ from: 'Deployment/small/svc-1', to: 'Namespace/big', labels: ['9090/TCP'], status: 'allowed', note: undefined, paths: 1 });
    expect(layout.edges).toContainEqual({ from: 'Deployment/small/svc-2', to: 'Namespace/big', labels: ['9091/TCP'], status: 'one-sided', note: undefined, paths: 1 });
    // Edges between unfolded nodes are unchanged (no path count).
    expect(layout.edges).toContainEqual(graph.edges[1]);
    expect(layout.edges).toHaveLength(4);
  });

  test('folding continues, largest first, until the limits hold; over the cluster limit too', () => {
    const both = foldGraph(model, graph, 3);
    expect(both.folds.map(f => f.namespace)).toEqual(['big', 'small']);
    expect(both.nodes.map(n => n.key)).toEqual(['anyone', 'Namespace/big', 'Namespace/small']);
    // Two paths from small to big become one edge: both ports, the worst status, two paths.
    expect(both.edges).toContainEqual({ from: 'Namespace/small', to: 'Namespace/big', labels: ['9090/TCP', '9091/TCP'], status: 'one-sided', note: undefined, paths: 2 });
    expect(both.folds[1].inside).toBe(0);
    // Within the node limit but over one cluster: the largest namespace folds.
    expect(foldGraph(model, graph, 100, 1).folds.map(f => f.namespace)).toEqual(['big']);
    // Deterministic: the same graph folds the same way.
    expect(foldGraph(model, graph, 3)).toEqual(both);
  });

  test('the page: 260 namespaces are too many nodes even folded, so the graph is not drawn and each namespace has its card', async () => {
    const inputs = Array.from({ length: 260 }, (_, i) => ({
      object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'app', namespace: `ns-${i}` }, spec: { replicas: 2, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0' }] } } } },
    }));
    const html = await explainReport(inputs);
    expect(html).not.toContain('<svg role="img"');
    expect(html).toContain('<p class="too-large">Not drawn: even with every namespace folded, 262 nodes are too many to lay out.');
    expect(html).toContain('(260 namespaces folded into one node each — 262 nodes, 520 edges not drawn; their cards list every workload and path)');
    expect(html.match(/<article class="ns-card"/g)).toHaveLength(260);
    expect(html).toContain('<tr data-key="Deployment/ns-259/app" data-kind="workload">');
    expect(html.match(/<article class="card/g)).toHaveLength(260);
  });
});

describe('seaworthy report', () => {
  test('-o replaces a page it wrote, in one step; a file it did not write stays as it was, with exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-report-cli-'));
    try {
      const out = path.join(dir, 'r.html');
      expect((await cli('report', SHOP, '-o', out, '--title', 'first')).code).toBe(0);
      expect((await cli('report', SHOP, '-o', out, '--title', 'second')).code).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toContain('<title>second</title>');
      expect(fs.readdirSync(dir)).toEqual(['r.html']);
      const mine = path.join(dir, 'notes.html');
      fs.writeFileSync(mine, '<p>my notes</p>\n');
      const r = await cli('report', SHOP, '-o', mine);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`refusing to replace ${mine}: it is not a report seaworthy wrote`);
      expect(fs.readFileSync(mine, 'utf8')).toBe('<p>my notes</p>\n');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('writes the page to -o, judged for --kubernetes-version, and says where', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-report-cli-'));
    try {
      const out = path.join(dir, 'nested', 'r.html');
      const r = await cli('report', SHOP, '-o', out, '--kubernetes-version', '1.29', '--title', 'shop');
      expect(r.code).toBe(0);
      const objects = loadManifests([SHOP]).inputs.length;
      expect(objects).toBeGreaterThan(30);
      expect(r.stdout).toMatch(new RegExp(`^wrote .*r\\.html \\(\\d+ KiB, ${objects} objects\\) in \\d+ ms\\n$`));
      const html = fs.readFileSync(out, 'utf8');
      expect(html).toContain('Kubernetes 1.29');
      // Locations link relative to where the page is written.
      expect(html).toContain(`href="${path.relative(path.dirname(out), SHOP)}"`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('usage errors and help', async () => {
    expect((await cli('report')).code).toBe(2);
    expect((await cli('report')).stderr).toContain('report needs at least one file or directory');
    expect((await cli('report', SHOP, '--kubernetes-version', '1.99')).stderr).toContain('SW-TARGET-001');
    expect((await cli('report', SHOP, '-o')).stderr).toContain('-o needs a value');
    expect((await cli('report', '--help')).stdout).toContain('-o, --output FILE');
    expect((await cli('--help')).stdout).toContain('seaworthy report <files|dirs...>');
  });

  test('--base puts what the change does on top: the diff\'s consequences, with links to the after files', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-report-base-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' }).toString();
    const cwd = process.cwd();
    try {
      fs.mkdirSync(path.join(repo, 'dist'));
      const shop = fs.readFileSync(SHOP, 'utf8');
      fs.writeFileSync(path.join(repo, 'dist', 'shop.k8s.yaml'), shop);
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'one');
      // The web frontend drops to one replica: an availability regression (SW-DIFF-031).
      const changed = shop.replace(/(\n {2}name: web\n {2}namespace: shop\nspec:\n(?: {2}\w+: \S+\n)*? {2}replicas: )\d+/, '$11');
      expect(changed).not.toBe(shop);
      fs.writeFileSync(path.join(repo, 'dist', 'shop.k8s.yaml'), changed);
      process.chdir(repo);
      const out = path.join(repo, 'report.html');
      const r = await cli('report', 'dist', '--base', 'HEAD', '-o', out);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const html = fs.readFileSync(out, 'utf8');
      const top = html.indexOf('What this change does (since HEAD)');
      expect(top).toBeGreaterThan(0);
      expect(top).toBeLessThan(html.indexOf('<svg'));
      expect(html).toMatch(/<td>SW-DIFF-031<\/td><td><a href="dist\/shop\.k8s\.yaml">Deployment\/shop\/web<\/a>/);
      expect((await cli('report', 'dist', 'other', '--base', 'HEAD')).code).toBe(2);
      expect((await cli('report', 'dist', '--base', 'no-such-ref', '-o', out)).stderr).toMatch(/no-such-ref/);
    } finally {
      process.chdir(cwd);
    }
  });

  test('--base: a file unreadable at the revision exits 2 as one in the working tree does, each problem said once', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-report-base-'));
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, stdio: 'pipe' }).toString();
    const cwd = process.cwd();
    try {
      fs.mkdirSync(path.join(repo, 'dist'));
      fs.writeFileSync(path.join(repo, 'dist', 'shop.k8s.yaml'), fs.readFileSync(SHOP, 'utf8'));
      fs.writeFileSync(path.join(repo, 'dist', 'broken.yaml'), 'kind: [\n');
      git('init', '-q');
      git('add', '.');
      git('commit', '-qm', 'one');
      process.chdir(repo);
      const out = path.join(repo, 'report.html');
      // Broken in both: the working tree's problem is said once, though the diff reads it again.
      const both = await cli('report', 'dist', '--base', 'HEAD', '-o', out);
      expect(both.code).toBe(2);
      expect(both.stderr.split('\n').filter(l => l.startsWith('error: '))).toEqual([
        expect.stringMatching(/^error: dist\/broken\.yaml:\d+: /),
        expect.stringMatching(/^error: HEAD:dist\/broken\.yaml:\d+: /),
      ]);
      // Fixed in the working tree, broken only at the revision: still unreadable input.
      fs.rmSync(path.join(repo, 'dist', 'broken.yaml'));
      const revision = await cli('report', 'dist', '--base', 'HEAD', '-o', out);
      expect(revision.stderr).toMatch(/^error: HEAD:dist\/broken\.yaml:\d+: /);
      expect(revision.code).toBe(2);
    } finally {
      process.chdir(cwd);
    }
  });
});
