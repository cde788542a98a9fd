import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names } from 'cdk8s';
import { IConstruct } from 'constructs';
import { stringifyManifests } from './yaml-emitter';

/** One chart's output file. */
export interface Manifest {
  /** File name, as `App.synth()` names it: `<chart>.k8s.yaml`, or `0000-<chart>.k8s.yaml` when charts depend on each other. */
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
  // Resolves implicit dependencies and validates the whole app, once.
  const firstObjects = first.toJson();
  const charts = app.charts;
  const dependent = charts.some(c => c.node.dependencies.some(d => Chart.isChart(d)));
  return charts.map((chart, index) => {
    const objects = chart === first ? firstObjects : chartObjects(chart);
    const name = Names.toDnsLabel(chart);
    const file = `${dependent ? `${index.toString().padStart(4, '0')}-` : ''}${name}${app.outputFileExtension}`;
    return lazyManifest(file, objects);
  });
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
 * Writes the synthesized manifests into `outdir` (default: the app's outdir) atomically, for
 * GitOps controllers that apply whatever the directory holds: everything is synthesized first
 * (a validation error leaves the previous directory untouched), written into a sibling temporary
 * directory, and swapped in with renames, so the directory holds exactly this app's files (no
 * stale file of a removed chart) and is never empty or half-written. Returns the files written.
 */
export function writeManifests(app: App, outdir: string = app.outdir): string[] {
  const manifests = synthesize(app);
  writeTreeAtomically(new Map(manifests.map(m => [m.file, m.yaml])), outdir);
  return manifests.map(m => m.file);
}

/**
 * Replaces `outdir` with exactly `files` (relative path to content): written into a sibling
 * staging directory first, then swapped in with renames.
 */
export function writeTreeAtomically(files: ReadonlyMap<string, string>, outdir: string): void {
  const target = path.resolve(outdir);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(`${target}.staging-`);
  try {
    for (const [file, content] of files) {
      fs.mkdirSync(path.dirname(path.join(staging, file)), { recursive: true });
      fs.writeFileSync(path.join(staging, file), content);
    }
    const previous = staging.replace('.staging-', '.previous-');
    const hadPrevious = fs.existsSync(target);
    if (hadPrevious) fs.renameSync(target, previous);
    fs.renameSync(staging, target);
    if (hadPrevious) fs.rmSync(previous, { recursive: true, force: true });
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}
