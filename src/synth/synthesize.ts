import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { duplicateObjects } from './duplicates';
import { renderingOnce } from './render-once';
import { StaticPods } from './static-pods';
import { FileContent, WriteOptions, writeTree } from './write-tree';
import { stringifyDocument, stringifyManifests } from './yaml-emitter';
import { SeaworthyError } from '../errors';
import { Rules } from '../rules/catalog';
import { Finding, makeFinding } from '../rules/finding';
import { enforceManifestRules, Findings } from '../rules/findings-reader';
import { dns1123LabelProblem } from '../validation/names';

/** One chart's output file (or one static Pod's). */
export interface Manifest {
  /**
   * File name, as `App.synth()` names it: `<chart>.k8s.yaml`, or `0000-<chart>.k8s.yaml` when
   * charts depend on each other; `static-pods/<name>.yaml` for a static Pod (see `StaticPods`).
   */
  readonly file: string;
  /** The chart's objects, in dependency order. */
  readonly objects: readonly object[];
  /** The YAML text, byte-identical to what `App.synth()` writes (rendered on first read). */
  readonly yaml: string;
}

/** Options of `synthesize()`. */
export interface SynthesizeOptions {
  /**
   * Receives the app's findings, read from this synthesis's own rendering and audit: what
   * `Findings.of(app)` returns once the app has validated (findings recorded at validation, such
   * as a Tenant's SW-NS-005, included). Called once the synthesis succeeded, before
   * `synthesize()` returns. `Findings.of(app)` called before `synthesize(app)` renders every
   * object once more (nothing else tells whether the app changed in between); this does not.
   */
  readonly findings?: (findings: Finding[]) => void;
}

/**
 * Synthesizes every chart of `app`, running validation and dependency resolution once for the
 * whole app. `App.synth()` and `App.synthYaml()` run both once more per chart (through
 * `Chart.toJson()`), which costs O(charts × constructs). Throws cdk8s's validation error, with
 * every rule violation — the manifest rules' errors included, as `Findings.of(app)` reports them —
 * before anything is returned.
 */
export function synthesize(app: App, options: SynthesizeOptions = {}): Manifest[] {
  const before = walkApp(app);
  const first = before.charts[0];
  if (!first) return [];
  checkChartIds(chartOrder(app, before));
  // The manifest rules' errors stop synthesis too, in the same validation pass (objects render once).
  enforceManifestRules(app);
  // Validation reads rendered objects too: each object renders once for both.
  const { tree, charts, objectsOf, findings } = renderingOnce(() => {
    // Resolves implicit dependencies and validates the whole app, once.
    const { objects: firstObjects, tree: after } = validated(app, () => validateRendering(app, before, first));
    const ordered = chartOrder(app, after);
    return {
      tree: after,
      charts: ordered,
      objectsOf: ordered.map(chart => (chart === first ? firstObjects : chartObjects(chart, after))),
      // Within the session: the objects' renderings and the audit of the validation, reused.
      findings: options.findings ? Findings.of(app) : undefined,
    };
  });
  const dependent = charts.some(c => c.node.dependencies.some(d => Chart.isChart(d)));
  checkDuplicates(charts, objectsOf, tree);
  const statics = charts.map((chart, i) => splitStaticPods(tree.apiObjects.get(chart) ?? [], objectsOf[i]));
  const files = new Map<string, Chart>();
  const collisions: Finding[] = [];
  const manifests = charts.map((chart, index) => {
    const name = Names.toDnsLabel(chart);
    const file = `${dependent ? `${index.toString().padStart(4, '0')}-` : ''}${name}${app.outputFileExtension}`;
    const other = files.get(file);
    if (other) collisions.push(makeFinding(Rules.OUTPUT_NAME_INVALID, chart.node.path, 'file', file, `is also the file of chart ${other.node.path}; one would overwrite the other`));
    files.set(file, chart);
    return lazyManifest(file, statics[index].rest);
  });
  for (const [index, chart] of charts.entries()) {
    for (const pod of statics[index].pods) {
      const file = `${StaticPods.FOLDER}/${pod.name}.yaml`;
      const other = files.get(file);
      if (other) collisions.push(makeFinding(Rules.OUTPUT_NAME_INVALID, chart.node.path, 'file', file, `is also the file of the static Pod of chart ${other.node.path}; one would overwrite the other`));
      files.set(file, chart);
      manifests.push(lazyManifest(file, [pod.object]));
    }
  }
  if (collisions.length > 0) throw new SeaworthyError(collisions);
  if (findings) options.findings?.(findings);
  return manifests;
}

/** What one walk of the construct tree tells synthesis. */
interface AppTree {
  /** The charts, in tree order (pre-order, as `findAll()` lists them). */
  readonly charts: Chart[];
  /** Each chart's own API objects (not those of charts nested in it), in tree order. */
  readonly apiObjects: Map<Chart, ApiObject[]>;
  /** Charts in whose subtree some construct declares a dependency. */
  readonly withDependencies: Set<Chart>;
  /** Whether any construct of the app declares a dependency. */
  readonly anyDependency: boolean;
  /** Whether some chart is nested in another. */
  readonly nestedCharts: boolean;
}

/**
 * One pre-order walk of the app: its charts, each chart's API objects and where dependencies
 * are declared. Replaces a `findAll()` per question (and `Chart.of()` per object).
 */
function walkApp(app: App): AppTree {
  const charts: Chart[] = [];
  const apiObjects = new Map<Chart, ApiObject[]>();
  const withDependencies = new Set<Chart>();
  let anyDependency = false;
  let nestedCharts = false;
  const visit = (c: IConstruct, chart: Chart | undefined, enclosing: readonly Chart[]): void => {
    let own = chart;
    let scopes = enclosing;
    if (Chart.isChart(c)) {
      nestedCharts ||= enclosing.length > 0;
      charts.push(c);
      apiObjects.set(c, []);
      own = c;
      scopes = [...enclosing, c];
    } else if (c instanceof ApiObject && chart) {
      apiObjects.get(chart)!.push(c);
    }
    if (c.node.dependencies.length > 0) {
      anyDependency = true;
      for (const s of scopes) withDependencies.add(s);
    }
    for (const child of c.node.children) visit(child, own, scopes);
  };
  visit(app, undefined, []);
  return { charts, apiObjects, withDependencies, anyDependency, nestedCharts };
}

/**
 * The first chart's objects, rendered once the app is validated — what `Chart.toJson()` does:
 * cdk8s resolves the implicit dependencies, runs every construct's validations (failing in its own
 * words) and orders the chart's objects by a dependency graph of every construct in it. When no
 * construct declares a dependency and no chart nests another, resolving adds none and the order is
 * the tree's, so the validations run here and the graph is not built; a validation that declares
 * a dependency sends the app back to cdk8s. Also returns the app's tree as validation left it.
 */
function validateRendering(app: App, tree: AppTree, first: Chart): { objects: object[]; tree: AppTree } {
  if (!tree.anyDependency && !tree.nestedCharts) {
    const errors: string[] = [];
    for (const c of app.node.findAll()) {
      for (const error of c.node.validate()) errors.push(`[${c.node.path}] ${error}`);
    }
    if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
    const after = walkApp(app);
    if (!after.anyDependency) return { objects: chartObjects(first, after), tree: after };
  }
  const objects = first.toJson();
  return { objects, tree: walkApp(app) };
}

/** An array index as a property key ("0", "17"): such keys come first in an object's key order. */
function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * The charts in the order of `app.charts` (cdk8s's dependency order), without building its
 * dependency graph of every construct when no construct declares a dependency: the graph then
 * has no edges, and its order is that of its vertices, keyed by construct path (tree order, with
 * array-index paths — top-level charts named "0", "1", … — first, in numeric order).
 */
function chartOrder(app: App, tree: AppTree): Chart[] {
  if (tree.anyDependency) return app.charts;
  const indexed = tree.charts.filter(c => isArrayIndex(c.node.path)).sort((a, b) => Number(a.node.path) - Number(b.node.path));
  return [...indexed, ...tree.charts.filter(c => !isArrayIndex(c.node.path))];
}

/** The chart's static Pods (by name) and its other objects. */
function splitStaticPods(apiObjects: readonly ApiObject[], objects: object[]): { pods: Array<{ name: string; object: object }>; rest: object[] } {
  const marked = apiObjects.filter(x => StaticPods.isStatic(x));
  if (marked.length === 0) return { pods: [], rest: objects };
  const keys = new Set(marked.map(o => `${o.metadata.namespace ?? ''}\0${o.name}`));
  const pods: Array<{ name: string; object: object }> = [];
  const rest: object[] = [];
  for (const object of objects) {
    const m = object as { kind?: string; metadata?: { name?: string; namespace?: string } };
    if (m.kind === 'Pod' && keys.has(`${m.metadata?.namespace ?? ''}\0${m.metadata?.name}`)) pods.push({ name: m.metadata?.name ?? '', object });
    else rest.push(object);
  }
  return { pods, rest };
}

/** Chart ids become file names: DNS-1123 labels only (no "/", "..", NUL, control or non-ASCII characters). */
function checkChartIds(charts: readonly Chart[]): void {
  const findings = charts.flatMap(chart => {
    const problem = dns1123LabelProblem(chart.node.id);
    return problem ? [makeFinding(Rules.OUTPUT_NAME_INVALID, chart.node.path, 'id', chart.node.id, `chart ids become file names and ${problem}`)] : [];
  });
  if (findings.length > 0) throw new SeaworthyError(findings);
}

/** Two ApiObjects rendering the same group/kind/namespace/name are an error naming both construct paths. */
function checkDuplicates(charts: readonly Chart[], objectsOf: readonly object[][], tree: AppTree): void {
  const dups = duplicateObjects(objectsOf.flat());
  if (dups.length === 0) return;
  // Construct paths are looked up only when there is something to report.
  const entries = charts.flatMap((chart, i) => {
    const byObject = new Map<string, string>();
    for (const o of tree.apiObjects.get(chart) ?? []) byObject.set(`${o.apiVersion}\0${o.kind}\0${o.metadata.namespace ?? ''}\0${o.name}`, o.node.path);
    return objectsOf[i].map(object => {
      const m = object as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
      return { object, path: byObject.get(`${m.apiVersion}\0${m.kind}\0${m.metadata?.namespace ?? ''}\0${m.metadata?.name}`) ?? chart.node.path };
    });
  });
  throw new SeaworthyError(dups.map(([a, b]) => makeFinding(Rules.OBJECT_DUPLICATE, entries[b].path, 'metadata.name', (entries[b].object as { metadata?: { name?: string } }).metadata?.name,
    `${describe(entries[b].object)} is also defined by ${entries[a].path}; one would silently replace the other`)));
}

/**
 * `synth()` (which validates the app), except that when validation fails because two objects
 * share a name, SW-OBJECT-001 naming both construct paths is thrown instead: the other rules
 * judged a set of objects the cluster would never hold (one replaces the other), so their errors
 * follow from the duplicate. Objects are rendered for that on the failure path only.
 */
function validated<T>(app: App, synth: () => T): T {
  try {
    return synth();
  } catch (e) {
    let tree: AppTree;
    let objectsOf: object[][];
    try {
      tree = walkApp(app);
      objectsOf = tree.charts.map(chart => (tree.apiObjects.get(chart) ?? []).map(o => o.toJson()));
    } catch {
      throw e; // An object that cannot render: the validation error says more.
    }
    checkDuplicates(tree.charts, objectsOf, tree);
    throw e;
  }
}

function describe(object: object): string {
  const m = object as { kind?: string; metadata?: { name?: string; namespace?: string } };
  return `${m.kind}/${m.metadata?.namespace ? `${m.metadata.namespace}/` : ''}${m.metadata?.name}`;
}

/**
 * A manifest whose YAML is rendered on first read, so callers that post-process the objects
 * never pay for it. Built outside `synthesize()` on purpose: a getter closing over that scope
 * would keep the whole construct tree alive for as long as the manifests live.
 */
function lazyManifest(file: string, objects: object[]): Manifest {
  let yaml: string | undefined;
  return { file, objects, get yaml() { return yaml ??= stringifyManifests(...objects); } };
}

/**
 * The chart's own API objects in dependency order, rendered (what cdk8s's chartToKube does). With
 * no dependency declared in the chart, that order is the tree order.
 */
function chartObjects(chart: Chart, tree: AppTree): object[] {
  const objects = tree.withDependencies.has(chart)
    ? new DependencyGraph(chart.node).topology().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
    : tree.apiObjects.get(chart) ?? [];
  return objects.map(o => o.toJson());
}

/**
 * Writes the synthesized manifests into `outdir` (default: the app's outdir) for GitOps
 * controllers that apply whatever the directory holds. Everything is synthesized first (a
 * validation error leaves the previous directory untouched); the output directory must be a
 * dedicated one (never empty, ".", an ancestor of the current directory, a project root or a
 * file: SW-OUTPUT-001) holding only files seaworthy wrote (SW-OUTPUT-002; see
 * `WriteOptions.adopt`); the files are written into a sibling staging directory and swapped in,
 * so the directory holds exactly this app's files and a failure leaves the previous tree in
 * place. Returns the files written.
 */
export function writeManifests(app: App, outdir: string = app.outdir, options: WriteOptions = {}): string[] {
  // Each file's YAML is rendered while it is written, in chunks: the text of all files (or of one
  // large chart) is never in memory at once, and a file's objects are released once it is written.
  const files = new Map<string, FileContent>();
  for (const m of synthesize(app)) files.set(m.file, yamlChunks(m.objects));
  writeTree(files, outdir, options);
  return [...files.keys()];
}

/** How much YAML `yamlChunks` gives at a time (characters). */
const YAML_CHUNK = 1 << 20;

/**
 * The YAML of `objects` — `stringifyManifests(...objects)`, byte for byte — in chunks of about
 * 1 MiB, once: the objects are released when it is called.
 */
function yamlChunks(objects: readonly object[]): () => Iterable<string> {
  let pending: readonly object[] | undefined = objects;
  return function* chunks(): Iterable<string> {
    const docs = pending ?? [];
    pending = undefined;
    let chunk = '';
    for (let i = 0; i < docs.length; i++) {
      chunk += `${i > 0 ? '---\n' : ''}${stringifyDocument(docs[i])}`;
      if (chunk.length >= YAML_CHUNK) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk.length > 0) yield chunk;
  };
}

/**
 * Replaces `outdir` with exactly `files` (relative path to content), with the guarantees of
 * `writeManifests()`.
 */
export function writeTreeAtomically(files: ReadonlyMap<string, string>, outdir: string, options: WriteOptions = {}): void {
  writeTree(files, outdir, options);
}
