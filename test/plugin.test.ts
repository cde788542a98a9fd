import * as path from 'path';
import { SeaworthyValidation } from '../src';

function context(manifests: string[]) {
  const violations: Array<{ ruleName: string; violatingResources: Array<{ resourceName: string; locations: string[] }> }> = [];
  let status: string | undefined;
  return {
    ctx: { manifests, report: { addViolation: (v: typeof violations[number]) => violations.push(v), submit: (s: string) => { status = s; } } },
    violations,
    status: () => status,
  };
}

describe('cdk8s validation plugin', () => {
  test('fails synthesis on errors, grouping resources per rule', async () => {
    const c = context([path.join(__dirname, 'fixtures', 'bad', 'batch.yaml')]);
    await new SeaworthyValidation().validate(c.ctx as never);
    expect(c.status()).toBe('failure');
    const cron = c.violations.find(v => v.ruleName.startsWith('SW-CRON-001'))!;
    expect(cron.violatingResources).toEqual([expect.objectContaining({ resourceName: 'CronJob/jobs/report', locations: ['spec.schedule'] })]);
  });

  test('passes on the reference app; fails it under failOn: warning', async () => {
    const dist = ['hello', 'shop', 'logging'].map(c => path.join(__dirname, '..', 'dist', 'prod', `${c}.k8s.yaml`));
    const ok = context(dist);
    await new SeaworthyValidation({ profile: 'production' }).validate(ok.ctx as never);
    expect(ok.status()).toBe('success');
    const strict = context(dist);
    await new SeaworthyValidation({ failOn: 'warning' }).validate(strict.ctx as never);
    expect(strict.status()).toBe('failure');
  });

  test('rejects an unknown profile', () => {
    expect(() => new SeaworthyValidation({ profile: 'prod' })).toThrow('unknown profile "prod"');
  });
});

test('relates objects per directory, as the CLI does (one folder per environment)', async () => {
  const all = ['dev', 'staging', 'prod'].flatMap(env => ['hello', 'shop', 'logging'].map(c => path.join(__dirname, '..', 'dist', env, `${c}.k8s.yaml`)));
  const c = context(all);
  await new SeaworthyValidation().validate(c.ctx as never);
  expect(c.status()).toBe('success');
  expect(c.violations.map(v => v.ruleName.split(' ')[0])).toEqual(['SW-REPLICAS-002']);
});
