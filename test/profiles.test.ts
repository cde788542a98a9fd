import { DisruptionBudget, Findings, Profile, Profiles, SeaworthyError, WebService } from '../src';
import { apiProps } from './support/props';
import { newChart, synthValid, thrownBy } from './support/synth';

const blocking = () => apiProps({ replicas: 2, disruptionBudget: DisruptionBudget.minAvailable(2) });

describe('profiles on constructs', () => {
  test('production (the default): a budget blocking drains is an error', () => {
    const { chart } = newChart();
    expect((thrownBy(() => new WebService(chart, 'api', blocking())) as SeaworthyError).ruleIds).toEqual(['SW-PDB-001']);
  });

  test('staging, set on the chart: availability errors become warnings', () => {
    const { app, chart } = newChart();
    Profiles.set(chart, Profile.STAGING);
    new WebService(chart, 'api', blocking());
    expect(synthValid(chart).length).toBeGreaterThan(0);
    expect(Findings.of(app).map(f => `${f.rule.id} ${f.severity}`)).toEqual(['SW-PDB-001 warning']);
  });

  test('development, set on the app: availability rules are off, correctness rules stay errors', () => {
    const { app, chart } = newChart();
    Profiles.set(app, Profile.DEVELOPMENT);
    new WebService(chart, 'api', apiProps({ replicas: 1 }));
    expect(Findings.of(app)).toEqual([]);
    expect(() => new WebService(chart, 'bad', apiProps({ name: 'bad', image: 'nginx:latest' }))).toThrow(/SW-IMAGE-001/);
  });

  test('a construct overrides the inherited profile', () => {
    const { app, chart } = newChart();
    Profiles.set(app, Profile.DEVELOPMENT);
    expect(() => new WebService(chart, 'api', { ...blocking(), profile: Profile.PRODUCTION })).toThrow(/SW-PDB-001/);
    expect(Profiles.of(chart)).toBe(Profile.DEVELOPMENT);
  });
});
