import { App, Chart, Testing } from 'cdk8s';
import { KubernetesTarget } from '../../src/target/target';
import { schemaErrors } from './k8s-schema';

/** A synthesized Kubernetes object, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = Record<string, any>;

/** The Pod template spec of a workload object, if it has one. */
export function podSpecOf(obj: KubeObject): KubeObject | undefined {
  return obj.spec?.template?.spec ?? obj.spec?.jobTemplate?.spec?.template?.spec;
}

/** A fresh app and chart for one test. */
export function newChart(namespace?: string): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', { namespace });
  return { app, chart };
}

/**
 * Synthesizes a chart and validates every object strictly against the schema of the chart's
 * Kubernetes target; throws with all schema errors if any object is invalid.
 */
export function synthValid(chart: Chart): KubeObject[] {
  const objects = Testing.synth(chart) as KubeObject[];
  const version = KubernetesTarget.of(chart).version;
  const errors = schemaErrors(objects, version);
  if (errors.length > 0) throw new Error(`objects violate the Kubernetes ${version} schema:\n  ${errors.join('\n  ')}`);
  return objects;
}

/** The single object of `kind` (and `name`, when given). */
export function only(objects: KubeObject[], kind: string, name?: string): KubeObject {
  const found = objects.filter(o => o.kind === kind && (name === undefined || o.metadata?.name === name));
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}${name ? `/${name}` : ''}, found ${found.length}`);
  return found[0];
}

/** Runs `build` and returns the error it throws (failing the test when it throws none). */
export function thrownBy(build: () => unknown): Error {
  try {
    build();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but none was thrown');
}
