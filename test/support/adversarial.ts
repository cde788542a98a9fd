import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { BarePod, BatchJob, CronTask, NodeAgent, Probe, SeaworthyError, StatefulService, WebService, Worker } from '../../src';

/** Builds one construct from plain-JavaScript props, as an untyped caller would. */
export type Factory = (scope: Construct, props: Record<string, unknown>) => unknown;

/** A small size every adversarial case shares. */
export const SIZE = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };

/** Every workload construct with minimal valid props, for corpora that try one bad prop on each. */
export const WORKLOADS: Record<string, { make: Factory; base: () => Record<string, unknown> }> = {
  WebService: { make: (s, p) => new WebService(s, 'x', p as never), base: () => ({ name: 'api', image: 'a/b:1.0', port: 8080, size: SIZE, readiness: Probe.http('/ready') }) },
  Worker: { make: (s, p) => new Worker(s, 'x', p as never), base: () => ({ name: 'worker', image: 'a/b:1.0', size: SIZE, liveness: Probe.exec(['true']) }) },
  StatefulService: { make: (s, p) => new StatefulService(s, 'x', p as never), base: () => ({ name: 'db', image: 'a/b:1.0', port: 5432, size: SIZE, readiness: Probe.tcp() }) },
  NodeAgent: { make: (s, p) => new NodeAgent(s, 'x', p as never), base: () => ({ name: 'agent', image: 'a/b:1.0', size: SIZE }) },
  BatchJob: { make: (s, p) => new BatchJob(s, 'x', p as never), base: () => ({ name: 'job', image: 'a/b:1.0', size: SIZE }) },
  CronTask: { make: (s, p) => new CronTask(s, 'x', p as never), base: () => ({ name: 'cron', image: 'a/b:1.0', size: SIZE, schedule: '0 3 * * *' }) },
  BarePod: { make: (s, p) => new BarePod(s, 'x', p as never), base: () => ({ name: 'pod', image: 'a/b:1.0', size: SIZE }) },
};

/**
 * Runs `build` and asserts what every adversarial case must give: a SeaworthyError with a rule
 * id, a finding on `field` (or, with `nested`, on a field below it), and a message without
 * "[object Object]" or "undefined".
 */
export function expectSeaworthyError(build: () => unknown, field: string, options: { nested?: boolean } = {}): SeaworthyError {
  let error: unknown;
  try {
    build();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(SeaworthyError);
  const sw = error as SeaworthyError;
  expect(sw.ruleIds.length).toBeGreaterThan(0);
  if (options.nested) expect(sw.findings.some(f => f.field === field || f.field.startsWith(`${field}.`))).toBe(true);
  else expect(sw.findings.map(f => f.field)).toContain(field);
  expect(sw.message).not.toContain('[object Object]');
  expect(sw.message.replace(/\(unset\)/g, '')).not.toMatch(/\bundefined\b/);
  return sw;
}
