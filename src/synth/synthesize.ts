import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { duplicateObjects } from './duplicates';
import { StaticPods } from './static-pods';
import { WriteOptions, writeTree } from './write-tree';
import { stringifyManifests } from './yaml-emitter';
import { SeaworthyError } from '../errors';
import { Rules } from '../rules/catalog';
import { Finding, makeFinding } from '../rules/finding';
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

/**
 * Synthesizes every chart of `app`, running validation and dependency resolution once for the
 * whole app. `App.synth()` and `App.synthYaml()` run both once more per chart (through
 * `Chart.toJson()`), which costs O(charts × constructs). Throws cdk8s's validation error, with
 * every rule violation, before anything is returned.
 */
export function synthesize(app: App): Manifest[] {
  const first = app.node.findAll().find((c: IConstruct): c is Chart => Chart.isChart(c));
  if (!first) return [];
  checkChartIds(app.charts);
  // Resolves implicit dependencies and validates the whole app, once.
  const firstObjects = first.toJson();
  const charts = app.charts;
  const dependent = charts.some(c => c.node.dependencies.some(d => Chart.isChart(d)));
  const objectsOf = charts.map(chart => (chart === first ? firstObjects : chartObjects(chart)));
  checkDuplicates(charts, objectsOf);
  const statics = charts.map((chart, i) => splitStaticPods(chart, objectsOf[i]));
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
  return manifests;
}

/** The chart's static Pods (by name) and its other objects. */
function splitStaticPods(chart: Chart, objects: object[]): { pods: Array<{ name: string; object: object }>; rest: object[] } {
  const marked = chart.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart && StaticPods.isStatic(x));
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
function checkDuplicates(charts: readonly Chart[], objectsOf: readonly object[][]): void {
  const entries = charts.flatMap((chart, i) => {
    const apiObjects = chart.node.findAll().filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart);
    const byObject = new Map<string, string>();
    for (const o of apiObjects) byObject.set(`${o.apiVersion}\0${o.kind}\0${o.metadata.namespace ?? ''}\0${o.name}`, o.node.path);
    return objectsOf[i].map(object => {
      const m = object as { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string } };
      return { object, path: byObject.get(`${m.apiVersion}\0${m.kind}\0${m.metadata?.namespace ?? ''}\0${m.metadata?.name}`) ?? chart.node.path };
    });
  });
  const dups = duplicateObjects(entries.map(e => e.object));
  if (dups.length === 0) return;
  throw new SeaworthyError(dups.map(([a, b]) => makeFinding(Rules.OBJECT_DUPLICATE, entries[b].path, 'metadata.name', (entries[b].object as { metadata?: { name?: string } }).metadata?.name,
    `${describe(entries[b].object)} is also defined by ${entries[a].path}; one would silently replace the other`)));
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

/** The chart's own API objects in dependency order, rendered (what cdk8s's chartToKube does). */
function chartObjects(chart: Chart): object[] {
  return new DependencyGraph(chart.node).topology()
    .filter((x): x is ApiObject => x instanceof ApiObject && Chart.of(x) === chart)
    .map(o => o.toJson());
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
  const manifests = synthesize(app);
  writeTree(new Map(manifests.map(m => [m.file, m.yaml])), outdir, options);
  return manifests.map(m => m.file);
}

/**
 * Replaces `outdir` with exactly `files` (relative path to content), with the guarantees of
 * `writeManifests()`.
 */
export function writeTreeAtomically(files: ReadonlyMap<string, string>, outdir: string, options: WriteOptions = {}): void {
  writeTree(files, outdir, options);
}
