import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Page } from 'playwright-core';
import { explain, WorkloadExplanation } from '../src';
import { loadManifests } from '../src/manifests/load';
import { runAsync } from '../src/cli/main';
import { findChromium, INSTALL_HINT, launchChromium } from './support/chromium';

// The report of the reference app, opened in a real headless Chromium (Debian's package, driven
// by playwright-core; never a downloaded browser). The only acceptable skip: no Chromium outside CI.
const ROOT = path.join(__dirname, '..');
// Relative paths, as a user would type them: the page (and the README's screenshot) then names
// dist/prod, not the folder the repository happens to be cloned in.
const DIST = path.relative(process.cwd(), path.join(ROOT, 'dist')) || 'dist';
const ARTIFACTS = path.join(ROOT, 'artifacts');
const chromiumPath = findChromium();
if (!chromiumPath) {
  if (process.env.CI === 'true') throw new Error(`no Chromium found for the report's browser test under CI: ${INSTALL_HINT}`);
  console.warn(`report-browser.test.ts skipped: no Chromium found; ${INSTALL_HINT}`);
}
const describeBrowser = chromiumPath ? describe : describe.skip;
jest.setTimeout(180_000);

interface Opened {
  readonly page: Page;
  readonly consoleErrors: string[];
  readonly requests: string[];
  readonly failed: string[];
}

async function writeReport(dir: string, paths: string[], name: string): Promise<string> {
  const out = path.join(dir, name);
  const code = await runAsync(['report', ...paths, '-o', out], { stdout: () => undefined, stderr: t => { throw new Error(t); }, isTty: false });
  expect(code).toBe(0);
  return out;
}

/** The graph keys the report uses: the ref, prefixed by the group when several directories are read. */
function keyOf(groups: number, w: { facts: { group: string } }, ref: string): string {
  return groups > 1 ? `${w.facts.group}: ${ref}` : ref;
}

/** Every allowed path the NetworkPolicies give, computed from explain(): each must be an edge. */
function expectedEdges(items: readonly WorkloadExplanation[], groups: number): string[] {
  const edges = new Set<string>();
  for (const w of items) {
    const self = keyOf(groups, w, w.ref);
    if (w.ingress === 'anyone') edges.add(`${keyOf(groups, w, 'anyone')}->${self}`);
    else for (const f of w.ingress) edges.add(`${keyOf(groups, w, f.peer)}->${self}`);
    if (w.egress === 'anywhere') edges.add(`${self}->${keyOf(groups, w, 'anywhere')}`);
    else for (const f of w.egress) edges.add(`${self}->${keyOf(groups, w, f.peer)}`);
  }
  return [...edges].sort();
}

/**
 * `count` services as plain manifests (Deployment, Service, NetworkPolicy each), as one file per
 * namespace: `sizes` says how many go in each. In each namespace the services form a call tree
 * (service i is reached from service (i - 1) / 4 on 8080), its root from ingress-nginx.
 */
function manyServices(dir: string, sizes: Readonly<Record<string, number>>): void {
  for (const [ns, count] of Object.entries(sizes)) {
    const docs: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const name = `svc-${i}`;
      const labels = { app: name };
      docs.push(
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns, labels }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `ghcr.io/acme/${name}:1.0.${i}`, ports: [{ containerPort: 8080 }] }] } } } },
        { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } },
        {
          apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns },
          spec: {
            podSelector: { matchLabels: labels }, policyTypes: ['Ingress'],
            ingress: [{ from: [i === 0 ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } } : { podSelector: { matchLabels: { app: `svc-${Math.floor((i - 1) / 4)}` } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
          },
        },
      );
    }
    // JSON is YAML: one document per object.
    fs.writeFileSync(path.join(dir, `${ns}.yaml`), docs.map(d => JSON.stringify(d)).join('\n---\n'));
  }
}

describeBrowser('seaworthy report in headless Chromium', () => {
  let tmp: string;
  let close: () => Promise<void>;
  let open: (file: string) => Promise<Opened>;

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'seaworthy-report-'));
    const browser = await launchChromium(chromiumPath!);
    close = browser.close;
    open = async file => {
      const page = await browser.context.newPage();
      const opened: Opened = { page, consoleErrors: [], requests: [], failed: [] };
      page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') opened.consoleErrors.push(m.text()); });
      page.on('pageerror', e => opened.consoleErrors.push(e.message));
      page.on('request', r => opened.requests.push(r.url()));
      page.on('requestfailed', r => opened.failed.push(r.url()));
      const url = `file://${file}`;
      await page.goto(url, { waitUntil: 'load' });
      return opened;
    };
  });

  afterAll(async () => {
    await close?.();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test.each([
    ['the whole dist/ (every environment)', [DIST]],
    ['one environment (dist/prod)', [path.join(DIST, 'prod')]],
  ])('%s: no console error, no request, every workload has its node and card, every allowed path is an edge', async (_name, paths) => {
    const file = await writeReport(tmp, paths, `${path.basename(paths[0])}.html`);
    const { page, consoleErrors, requests, failed } = await open(file);
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual([]);
    // The page itself is the only load: nothing fetched, not even from file://.
    expect(requests).toEqual([`file://${file}`]);

    const { inputs } = loadManifests(paths);
    const groups = new Set(inputs.map(i => i.group)).size;
    const items = explain(inputs);
    expect(items.length).toBeGreaterThanOrEqual(paths[0] === DIST ? 24 : 8);
    const nodeTitles = await page.locator('svg.traffic g.node > title').allTextContents();
    const edgeTitles = new Set(await page.locator('svg.traffic g.edge > title').allTextContents());
    for (const w of items) {
      expect(nodeTitles).toContain(keyOf(groups, w, w.ref));
      const card = page.locator(`article.card[data-ref="${w.ref}"][data-group="${w.facts.group}"]`);
      expect(await card.count()).toBe(1);
      // Each card draws the shutdown to scale and names the QoS class in text.
      expect(await card.locator('svg.timeline').count()).toBe(1);
      expect(await card.locator('dd').first().textContent()).toContain(w.qos);
    }
    for (const edge of expectedEdges(items, groups)) expect(edgeTitles).toContain(edge);

    // Real text in the SVG, and the target on the page.
    expect(await page.locator('svg.traffic text').count()).toBeGreaterThan(items.length);
    expect(await page.locator('#target').textContent()).toMatch(/^Kubernetes 1\.35 /);
    // The reference app's HTTPRoutes are reachable front doors, each with a card.
    const routes = inputs.filter(i => (i.object as { kind?: string }).kind === 'HTTPRoute').length;
    expect(routes).toBeGreaterThan(0);
    expect(await page.locator('article.door[data-ref^="HTTPRoute/"]').count()).toBe(routes);
    expect(await page.locator('article.door.unreachable').count()).toBe(0);

    // A node links to its card.
    const api = items.find(w => w.ref === 'Deployment/shop/api')!;
    await page.locator('svg.traffic g.node', { has: page.locator(`title:text-is("${keyOf(groups, api, api.ref)}")`) }).locator('a').click();
    expect(decodeURIComponent(new URL(page.url()).hash)).toMatch(/^#card-\d+$/);
    expect(await page.locator(`${new URL(page.url()).hash}`).getAttribute('data-ref')).toBe('Deployment/shop/api');

    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(`file://${file}`);
    await page.screenshot({ path: path.join(ARTIFACTS, `report-${path.basename(paths[0])}.png`), fullPage: true });
    const docsShot = process.env.SEAWORTHY_SCREENSHOT;
    if (docsShot && paths[0] !== DIST) {
      // The README's picture: the top of the page (header, traffic graph, findings) at a fixed size.
      await page.setViewportSize({ width: 1280, height: 1100 });
      await page.screenshot({ path: path.resolve(ROOT, docsShot), clip: { x: 0, y: 0, width: 1280, height: 1100 } });
    }
    await page.close();
  });

  test('1,000 services: the page opens and scrolls, the largest namespaces fold into one node with a drill-down card', async () => {
    // 600 services in one namespace, 50 in each of eight more: too many nodes for one layout.
    const sizes: Record<string, number> = { big: 600 };
    for (let t = 0; t < 8; t++) sizes[`team-${t}`] = 50;
    const dir = path.join(tmp, 'many');
    fs.mkdirSync(dir);
    manyServices(dir, sizes);
    const file = await writeReport(tmp, [dir], 'many.html');
    const { page, consoleErrors, requests, failed } = await open(file);
    expect(consoleErrors).toEqual([]);
    expect(failed).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    expect(await page.locator('article.card').count()).toBe(1000);

    // The traffic figure is there, laid out by Graphviz with the big namespace folded into one node.
    const nodeTitles = await page.locator('svg.traffic g.node > title').allTextContents();
    expect(nodeTitles).toContain('Namespace/big');
    expect(nodeTitles).not.toContain('Deployment/big/svc-0');
    expect(nodeTitles.length).toBeLessThanOrEqual(250);
    expect(await page.locator('#graph-title').textContent()).toMatch(/^Traffic graph: \d+ nodes, \d+ edges \(\d+ namespaces folded into one node each/);
    // Namespaces are folded largest first, only as many as needed: the last team is drawn in full.
    for (let i = 0; i < sizes['team-7']; i++) expect(nodeTitles).toContain(`Deployment/team-7/svc-${i}`);
    expect(nodeTitles).not.toContain('Namespace/team-7');

    // The folded namespace's card lists every one of its workloads, with its paths in and out.
    const card = page.locator('article.ns-card[data-namespace="big"]');
    expect(await card.count()).toBe(1);
    const keys = await card.locator('tbody tr[data-kind="workload"]').evaluateAll(rows => rows.map(r => r.getAttribute('data-key')));
    expect(keys).toHaveLength(600);
    expect(new Set(keys)).toEqual(new Set(Array.from({ length: 600 }, (_, i) => `Deployment/big/svc-${i}`)));
    const row = card.locator('tr[data-key="Deployment/big/svc-5"]');
    expect(await row.locator('td').nth(1).textContent()).toBe('Deployment/big/svc-1 on 8080/TCP');
    expect(await row.locator('td').nth(2).textContent()).toContain('Deployment/big/svc-21 on 8080/TCP');
    // A workload in the card links to its own card.
    const href = (await row.locator('td').first().locator('a').getAttribute('href'))!;
    expect(await page.locator(href).getAttribute('data-ref')).toBe('Deployment/big/svc-5');

    // The folded node links to the card.
    await page.locator('svg.traffic g.node', { has: page.locator('title:text-is("Namespace/big")') }).locator('a').click();
    expect(await page.locator(new URL(page.url()).hash).getAttribute('data-namespace')).toBe('big');

    // The page scrolls to the bottom, and the last workload card can be brought into view.
    // (Expressions as strings: the tests are type-checked without the DOM library.)
    await page.evaluate('window.scrollTo(0, 0)');
    const height = await page.evaluate<number>('document.documentElement.scrollHeight');
    expect(height).toBeGreaterThan(10 * 900);
    await page.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
    const scrolled = await page.evaluate<{ y: number; max: number }>('({ y: window.scrollY, max: document.documentElement.scrollHeight - window.innerHeight })');
    expect(scrolled.y).toBeGreaterThan(0);
    expect(scrolled.y).toBe(scrolled.max);
    const last = page.locator('article.card').last();
    await last.scrollIntoViewIfNeeded();
    expect(await last.isVisible()).toBe(true);
    const rect = await last.evaluate(e => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom }; });
    const box = { ...rect, viewport: page.viewportSize()!.height };
    expect(box.top).toBeLessThan(box.viewport);
    expect(box.bottom).toBeGreaterThan(0);
    await page.close();
  });

  test('the findings filters hide and show rows by severity and rule', async () => {
    const file = await writeReport(tmp, [path.relative(process.cwd(), path.join(ROOT, 'test', 'fixtures', 'bad'))], 'bad.html');
    const { page, consoleErrors, requests } = await open(file);
    expect(consoleErrors).toEqual([]);
    expect(requests).toHaveLength(1);
    const rows = page.locator('#findings-table tbody tr');
    const visible = page.locator('#findings-table tbody tr:not([hidden])');
    const total = await rows.count();
    const errors = await page.locator('#findings-table tbody tr[data-severity="error"]').count();
    const warnings = await page.locator('#findings-table tbody tr[data-severity="warning"]').count();
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(0);
    expect(await visible.count()).toBe(total);

    await page.locator('input[name=severity][value=warning]').uncheck();
    expect(await visible.count()).toBe(total - warnings);
    expect(await page.locator('#findings-table tbody tr[data-severity="warning"]:not([hidden])').count()).toBe(0);
    expect(await page.locator('#findings-count').textContent()).toBe(`${total - warnings} of ${total} findings shown`);

    const rule = (await rows.first().getAttribute('data-rule'))!;
    await page.locator('#rule-filter').selectOption(rule);
    const ofRule = await page.locator(`#findings-table tbody tr[data-rule="${rule}"]:not([data-severity="warning"])`).count();
    expect(await visible.count()).toBe(ofRule);
    for (const r of await visible.all()) expect(await r.getAttribute('data-rule')).toBe(rule);

    await page.locator('input[name=severity][value=warning]').check();
    await page.locator('#rule-filter').selectOption('');
    expect(await visible.count()).toBe(total);

    // Each row links to its object's card (workloads) and its file:line.
    const linked = page.locator('#findings-table tbody tr td:nth-child(3) a').first();
    const href = (await linked.getAttribute('href'))!;
    expect(await page.locator(href).count()).toBe(1);
    expect(await page.locator('#findings-table a.loc').first().textContent()).toMatch(/\.yaml:\d+$/);
    await page.close();
  });
});
