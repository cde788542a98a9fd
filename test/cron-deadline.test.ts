import { Chart, Duration, Testing } from 'cdk8s';
import { audit, CronTask, SeaworthyError } from '../src';
import { SMALL } from './support/fixtures';
import { thrownBy } from './support/synth';

/** SW-CRON-005: a startingDeadlineSeconds under the CronJob controller's 10-second polling period may skip every run. */

const task = { name: 'report', image: 'ghcr.io/acme/report:1.0.0', size: SMALL, schedule: '0 2 * * *' };

function cronJob(startingDeadlineSeconds?: number): object {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report', namespace: 'batch' },
    spec: { schedule: '0 2 * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds, jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
  };
}

const idsOf = (deadline?: number) => audit([{ object: cronJob(deadline) }]).filter(f => f.rule.id === 'SW-CRON-005');

describe('SW-CRON-005 startingDeadlineSeconds under 10 seconds', () => {
  test('a CronTask with a 5-second deadline stops synthesis, naming the prop, the value and the fix', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'batch' });
    const e = thrownBy(() => new CronTask(chart, 'report', { ...task, startingDeadline: Duration.seconds(5) })) as SeaworthyError;
    expect(e).toBeInstanceOf(SeaworthyError);
    const f = e.findings.find(x => x.rule.id === 'SW-CRON-005');
    expect(f?.field).toBe('startingDeadline');
    expect(f?.message).toMatch(/SW-CRON-005 \[c\/report\] startingDeadline = "5s": is under the CronJob controller's 10-second polling period.*Fix: set startingDeadlineSeconds to at least 10/);
  });

  test('a CronTask at 10 seconds, or with the default, synthesizes', () => {
    const chart = new Chart(Testing.app(), 'c', { namespace: 'batch' });
    expect(() => new CronTask(chart, 'ten', { ...task, startingDeadline: Duration.seconds(10) })).not.toThrow();
    expect(() => new CronTask(chart, 'default', task)).not.toThrow();
  });

  test('the audit reports a CronJob at 0 and 9 seconds as an error on spec.startingDeadlineSeconds', () => {
    for (const seconds of [0, 9]) {
      const [f] = idsOf(seconds);
      expect(f).toMatchObject({ field: 'spec.startingDeadlineSeconds', value: String(seconds), severity: 'error', object: 'CronJob/batch/report' });
    }
  });

  test('the audit says nothing at 10 seconds or more, nor without a deadline (that is SW-CRON-003)', () => {
    expect(idsOf(10)).toEqual([]);
    expect(idsOf(300)).toEqual([]);
    expect(idsOf(undefined)).toEqual([]);
  });
});
