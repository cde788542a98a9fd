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
