import * as path from 'path';
import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, explain, Findings, Probe, Replacement, rolloutPeak, RolloutTimeline, StatefulService, Tenant, WebService } from '../src';
import { rolloutPeakOf } from '../src/audit/quota-usage';
import { loadManifests } from '../src/manifests/load';
import { buildApp, ENVIRONMENTS, PRODUCTION } from '../src/main';
import { quotaBar } from '../src/report/timeline';
import { readySecondsOf } from '../src/tenancy/rollout-peak';
import { apiProps } from './support/props';

/**
 * The rollout peak a ResourceQuota must hold: running new + running old + old Pods still
 * terminating (they count until they are gone, and the Deployment controller does not wait for
 * them). One model for the Tenant, the audit, explain and the report.
 */

const deploymentTimeline = (over: Partial<RolloutTimeline> = {}): RolloutTimeline => ({
  kind: 'Deployment', replicas: 4, maxSurge: 1, maxUnavailable: 0, gracePeriodSeconds: 60, readySeconds: 10, minReadySeconds: 0,
  replacement: Replacement.ON_TERMINATION_START, ...over,
});

describe('the model', () => {
  test('4 replicas, maxSurge 1, maxUnavailable 0, grace 60s, ready in 10s: 8 Pods = 4 + 1 + 3 still terminating', () => {
    // t=0   surge Pod created                          4 old + 1 new                = 5
    // t=10  it is available: 1 old deleted, 1 new      3 old + 2 new + 1 terminating = 6
    // t=20                                             2 old + 3 new + 2 terminating = 7
    // t=30                                             1 old + 4 new + 3 terminating = 8  <- first worst instant
    // t=40  the last old Pod deleted, the surge ends   0 old + 4 new + 4 terminating = 8
    // t=70  the first old Pod's grace period ends, and the count falls.
    // ceil(60 / 10) = 6 steps overlap, bounded by the 4 Pods replaced; 4 + 1 + 4 = 9 would count
    // the surge on the last step, which has none.
    const p = rolloutPeak(deploymentTimeline());
    expect(p).toMatchObject({ pods: 8, withoutOverlap: 5, running: 5, terminating: 3, addedByTerminating: 3, atSeconds: 30, stepSeconds: 10, perStep: 1, overlappingSteps: 6 });
    // At 500m a Pod that is 4000m of requests; replicas + maxSurge said 2500m.
    expect(p.pods * 0.5).toBe(4);
  });

  test('boundaries: grace == step leaves only the current step terminating; one second more overlaps the previous one', () => {
    // A Pod deleted exactly one grace period ago is gone (ceil(10 / 10) = 1).
    expect(rolloutPeak(deploymentTimeline({ gracePeriodSeconds: 10 }))).toMatchObject({ pods: 6, terminating: 1, overlappingSteps: 1 });
    expect(rolloutPeak(deploymentTimeline({ gracePeriodSeconds: 9 }))).toMatchObject({ pods: 6, terminating: 1, overlappingSteps: 1 });
    expect(rolloutPeak(deploymentTimeline({ gracePeriodSeconds: 11 }))).toMatchObject({ pods: 7, terminating: 2, overlappingSteps: 2 });
    expect(rolloutPeak(deploymentTimeline({ gracePeriodSeconds: 20 }))).toMatchObject({ pods: 7, terminating: 2, overlappingSteps: 2 });
    // Even a short grace period overlaps its own step: the replacement is created as the old Pod starts terminating.
    expect(rolloutPeak(deploymentTimeline({ gracePeriodSeconds: 1 }))).toMatchObject({ pods: 6, addedByTerminating: 1 });
    // Only a grace period of 0 has no overlap at all.
    expect(rolloutPeak(deploymentTimeline({ gracePeriodSeconds: 0 }))).toMatchObject({ pods: 5, terminating: 0, addedByTerminating: 0 });
  });

  test('a step of 0s (no probe delay, no minReadySeconds): every old Pod may terminate at once, 2 x replicas', () => {
    expect(rolloutPeak(deploymentTimeline({ readySeconds: 0 }))).toMatchObject({ pods: 8, overlappingSteps: undefined, stepSeconds: 0 });
    expect(rolloutPeak(deploymentTimeline({ replicas: 1000, readySeconds: 0 })).pods).toBe(2000);
  });

  test('minReadySeconds lengthens the step: grace 60s, ready 10s + minReady 20s = 30s steps, 2 overlap', () => {
    expect(rolloutPeak(deploymentTimeline({ minReadySeconds: 20 }))).toMatchObject({ pods: 7, stepSeconds: 30, overlappingSteps: 2, terminating: 2 });
  });

  test('maxUnavailable deletes old Pods from t=0, and each step deletes maxSurge + maxUnavailable', () => {
    // 4 replicas, maxSurge 1, maxUnavailable 1: t=0 1 old deleted, 2 new; t=10 2 more old deleted:
    // 1 old + 4 new running + 3 terminating = 8.
    expect(rolloutPeak(deploymentTimeline({ maxUnavailable: 1 }))).toMatchObject({ pods: 8, withoutOverlap: 5, running: 5, terminating: 3, atSeconds: 10, perStep: 2 });
    // maxSurge 0: no surge, replacements only as old Pods are deleted.
    expect(rolloutPeak(deploymentTimeline({ maxSurge: 0, maxUnavailable: 1 }))).toMatchObject({ pods: 8, withoutOverlap: 4 });
    // Both 0 never happens in the API; the controller's fencepost then takes one Pod at a time.
    expect(rolloutPeak(deploymentTimeline({ maxSurge: 0, maxUnavailable: 0, gracePeriodSeconds: 10 })).pods).toBe(5);
  });

  test('a million replicas cost no time (closed form), and the numbers hold: 1M + 1 + 6', () => {
    expect(rolloutPeak(deploymentTimeline({ replicas: 1_000_000 })).pods).toBe(1_000_007);
  });

  test('StatefulSets never overlap: the replacement of an ordinal waits until the old Pod is gone (OrderedReady and Parallel alike)', () => {
    const sts = (over: Partial<RolloutTimeline> = {}) => rolloutPeak(deploymentTimeline({ kind: 'StatefulSet', replicas: 3, maxSurge: 0, maxUnavailable: 1, gracePeriodSeconds: 70, replacement: Replacement.ON_TERMINATION_COMPLETE, ...over }));
    expect(sts()).toMatchObject({ pods: 3, terminating: 0 });
    expect(sts({ maxUnavailable: 2 }).pods).toBe(3);
    const manifest = (policy: string, maxUnavailable?: number) => ({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'q' },
      spec: { replicas: 3, podManagementPolicy: policy, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable } }, serviceName: 'db', selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { terminationGracePeriodSeconds: 70, containers: [{ name: 'db', image: 'db:1' }] } } },
    });
    expect(rolloutPeakOf(manifest('OrderedReady'), undefined, true)).toMatchObject({ pods: 3, terminating: 0 });
    expect(rolloutPeakOf(manifest('Parallel', 2), undefined, true)).toMatchObject({ pods: 3, terminating: 0 });
  });

  test('DaemonSets, per node: with maxSurge the old Pod terminates beside the new one (10 nodes: 10 + 1 + 3); without surge, no overlap', () => {
    const ds = (rollingUpdate: object) => ({
      apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'q' },
      spec: { minReadySeconds: 10, updateStrategy: { type: 'RollingUpdate', rollingUpdate }, selector: { matchLabels: { app: 'agent' } },
        template: { metadata: { labels: { app: 'agent' } }, spec: { terminationGracePeriodSeconds: 30, containers: [{ name: 'a', image: 'a:1' }] } } },
    });
    // A step is 0s to ready + minReadySeconds 10 = 10s; grace 30s: ceil(30 / 10) = 3 nodes' old Pods terminate at once.
    expect(rolloutPeakOf(ds({ maxSurge: 1, maxUnavailable: 0 }), undefined, true, 10)).toMatchObject({ pods: 14, withoutOverlap: 11, terminating: 3 });
    // maxUnavailable: the controller creates a node's new Pod only once the old one is gone.
    expect(rolloutPeakOf(ds({ maxUnavailable: 1 }), undefined, true, 10)).toMatchObject({ pods: 10, terminating: 0 });
    // The node count is not in the manifest: no peak without it, and the quota check leaves DaemonSets out as before.
    expect(rolloutPeakOf(ds({ maxSurge: 1, maxUnavailable: 0 }), undefined, true)).toBeUndefined();
    const text = explain([{ object: ds({ maxSurge: 1, maxUnavailable: 0 }) }])[0].rollout;
    expect(text).toContain('ceil(30 / 10) = 3 steps overlap, so N nodes count up to N + 1 surge + 1 x 3 terminating Pods against a quota');
    expect(explain([{ object: ds({ maxUnavailable: 1 }) }])[0].rollout).toContain('a node\'s new Pod is created only once its old Pod is gone');
  });

  test('time to ready from the probes: initial delays, successThreshold, native sidecars starting first', () => {
    expect(readySecondsOf([{ sidecar: false }])).toBe(0);
    // Readiness waits for the startup probe: max(20, 5) + (3 - 1) x 10.
    expect(readySecondsOf([{ sidecar: false, startup: { initialDelaySeconds: 20 }, readiness: { initialDelaySeconds: 5, successThreshold: 3, periodSeconds: 10 } }])).toBe(40);
    // The app starts after the sidecar's startup probe: 15 + 5.
    expect(readySecondsOf([{ sidecar: true, startup: { initialDelaySeconds: 15 } }, { sidecar: false, readiness: { initialDelaySeconds: 5 } }])).toBe(20);
  });
});

const deployment = (name: string, cpu: string, extra: { replicas?: number; grace?: number; readyDelay?: number; minReady?: number } = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'q' },
  spec: {
    replicas: extra.replicas ?? 4, minReadySeconds: extra.minReady ?? 0,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        terminationGracePeriodSeconds: extra.grace ?? 60,
        containers: [{ name: 'c', image: 'a:1', resources: { requests: { cpu, memory: '128Mi' }, limits: { cpu, memory: '128Mi' } }, readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: extra.readyDelay ?? 10 } }],
      },
    },
  },
});
const rq = (cpu: string) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'rq', namespace: 'q' }, spec: { hard: { 'requests.cpu': cpu } } });
const quotaFindings = (objects: object[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith('SW-NS-00')).map(f => [f.rule.id, f.severity, f.problem]);

describe('SW-NS-005 in the audit: a quota that fits only once terminations finish slows rollouts', () => {
  test('fits even with the overlap (4000m): nothing', () => {
    expect(quotaFindings([deployment('api', '500m'), rq('4000m')])).toEqual([]);
  });

  test('fits only without it (2500m ... 3999m): a warning that says slowed, not stuck', () => {
    expect(quotaFindings([deployment('api', '500m'), rq('2500m')])).toEqual([['SW-NS-005', 'warning',
      'the rollout peak of the namespace\'s workloads needs 4000m of requests.cpu while old Pods are still terminating (Deployment/q/api: 8 Pods x 500m (5 + 3 while old Pods terminate)), 2500m once they are gone: new Pods are refused until terminations finish, so rollouts are slowed, not stuck (the ReplicaSet controller retries)']]);
    expect(quotaFindings([deployment('api', '500m'), rq('3999m')]).map(f => f[0])).toEqual(['SW-NS-005']);
  });

  test('short even without the overlap (2499m): the error alone', () => {
    expect(quotaFindings([deployment('api', '500m'), rq('2499m')])).toEqual([['SW-NS-002', 'error', 'the peak of the namespace\'s workloads needs 2500m of requests.cpu (Deployment/q/api: 5 Pods x 500m)']]);
  });

  test('a longer minReadySeconds shortens the overlap: 30s steps under a 60s grace period overlap 2 steps, 3500m', () => {
    expect(quotaFindings([deployment('api', '500m', { minReady: 20 }), rq('3500m')])).toEqual([]);
    expect(quotaFindings([deployment('api', '500m', { minReady: 20 }), rq('3499m')]).map(f => f[0])).toEqual(['SW-NS-005']);
  });

  test('boundary: grace == step (10s) adds only the current step\'s old Pod: 6 Pods = 3000m', () => {
    expect(quotaFindings([deployment('api', '500m', { grace: 10 }), rq('3000m')])).toEqual([]);
    expect(quotaFindings([deployment('api', '500m', { grace: 10 }), rq('2999m')]).map(f => f[0])).toEqual(['SW-NS-005']);
    expect(quotaFindings([deployment('api', '500m', { grace: 11 }), rq('3000m')]).map(f => f[0])).toEqual(['SW-NS-005']);
  });
});

describe('the reference app: the shop namespace on the 1.35 control plane', () => {
  const SHOP = path.join(__dirname, '..', 'dist', 'prod', 'shop.k8s.yaml');

  test('the modeled peak of the rolled workloads is 10.7 cores, as measured (replicas + maxSurge said 8.15)', () => {
    // api: 8 (HPA max) + 1 surge + 3 terminating (grace 25s, 10s steps: ceil(25 / 10)) = 12 x 600m (with the otel sidecar) = 7200m
    // web: 3 + 1 + 2 = 6 x 250m = 1500m; orders-worker: 2 + 1 + 1 = 4 x 250m = 1000m (grace 50s); postgres: 1 x 1000m.
    const workloads = explain(loadManifests([SHOP]).inputs, { kubernetesVersion: '1.35' }).filter(w => ['Deployment', 'StatefulSet'].includes(w.facts.kind));
    const cpu = (pick: (w: typeof workloads[number]) => number | undefined) => Math.round(workloads.reduce((sum, w) => sum + (pick(w) ?? 0), 0) * 1000);
    expect(workloads.map(w => [w.ref, w.facts.peak?.pods])).toEqual([['StatefulSet/shop/postgres', 1], ['Deployment/shop/api', 12], ['Deployment/shop/web', 6], ['Deployment/shop/orders-worker', 4]]);
    expect(cpu(w => w.facts.peak?.cpu)).toBe(10700);
    expect(cpu(w => w.facts.peakWithoutOverlap?.cpu)).toBe(8150);
    expect(workloads.find(w => w.ref === 'Deployment/shop/api')!.rollout).toContain('peak 12 Pods = 7200m cpu, 7680Mi memory requested: 9 Pods running + 3 old still terminating at t=60s: a step takes at least 10s (ready after ≥0s + minReadySeconds 10s), and an old Pod counts against the quota until it is gone, up to its 25s grace period, so the old Pods of 3 steps of 1 Pod overlap (ceil(25 / 10)); 9 Pods once terminations finish');
    // The quota (12 cores) holds it with the Job and the CronJob: 10.7 + 0.25 + 0.35 = 11.3.
    const q = workloads[1].facts.quotas.find(x => x.key === 'requests.cpu')!;
    expect([q.hard, Math.round(q.namespace * 1000), Math.round(q.namespaceWithoutOverlap * 1000)]).toEqual([12, 11300, 8750]);
  });

  test('the constructs count alike: the Tenant\'s workloads give the same peaks, and no environment\'s quota slows a rollout', () => {
    const app = buildApp(Testing.app(), PRODUCTION);
    const shop = app.node.findChild('shop') as Tenant;
    const peaks = Object.fromEntries(shop.workloads.map(w => [w.node.id, w.rolloutPeaks.map(p => `${p.withoutOverlap}+${p.addedByTerminating}`)]));
    expect(peaks).toEqual({ Postgres: ['1+0'], Api: ['9+3'], Web: ['4+2'], OrdersWorker: ['3+1'], Migrate: [], NightlyReport: [] });
    // replicas + maxSurge, as `peakPods` says, for every workload that is rolled out.
    for (const w of shop.workloads.filter(x => x.rolloutPeaks.length > 0)) expect(w.rolloutPeaks.reduce((sum, p) => sum + p.withoutOverlap, 0)).toBe(w.peakPods);
    app.synth();
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-NS-005')).toEqual([]);
    // Every environment's committed output, judged under the production profile.
    for (const env of ENVIRONMENTS) {
      const dir = path.join(__dirname, '..', 'dist', env.name);
      expect([env.name, audit(loadManifests([dir]).inputs, { kubernetesVersion: env.kubernetesVersion }).filter(f => f.rule.id === 'SW-NS-002' || f.rule.id === 'SW-NS-005')]).toEqual([env.name, []]);
    }
  });
});

describe('SW-NS-005 in the Tenant at synthesis', () => {
  function shop(cpu: number) {
    const app = Testing.app();
    const t = new Tenant(app, 'shop', { name: 'shop', quota: { cpu: kplus.Cpu.millis(cpu), memory: Size.gibibytes(64) } });
    // 3 replicas + 1 surge; grace 25s (preStop 5s + drain 15s + 5s), steps of 10s (minReady): 3 + 1 + 2 terminating = 6 Pods x 500m.
    const api = new WebService(t, 'api', apiProps());
    return { app, t, api };
  }

  test('the workload reports its timeline: 6 Pods, 4 once terminations finish', () => {
    const { api } = shop(3000);
    expect(api.rolloutPeaks.map(p => [p.pods, p.withoutOverlap, p.timeline.gracePeriodSeconds, p.stepSeconds])).toEqual([[6, 4, 25, 10]]);
  });

  test('3000m fits: no finding; 2000m fits only without the overlap: a warning, recorded once however often it synthesizes; 1999m: SW-NS-002', () => {
    const fits = shop(3000);
    Testing.synth(fits.t);
    expect(Findings.of(fits.t).filter(f => f.rule.id.startsWith('SW-NS'))).toEqual([]);
    const slowed = shop(2000);
    Testing.synth(slowed.t);
    Testing.synth(slowed.t);
    const warnings = Findings.of(slowed.t).filter(f => f.rule.id === 'SW-NS-005');
    expect(warnings.map(f => [f.severity, f.field])).toEqual([['warning', 'quota.requests.cpu'], ['warning', 'quota.limits.cpu']]);
    expect(warnings[0].problem).toBe('the rollout peak of the namespace\'s workloads needs 3000m of requests.cpu while old Pods are still terminating (shop/api: 6 Pods x 500m (4 + 2 while old Pods terminate)), 2000m once they are gone: new Pods are refused until terminations finish, so rollouts are slowed, not stuck (the ReplicaSet controller retries)');
    expect(() => Testing.synth(shop(1999).t)).toThrow(/SW-NS-002 \[shop\] quota.requests.cpu = "1999m"/);
  });

  test('a StatefulSet never adds terminating Pods: its quota holds replicas', () => {
    const app = Testing.app();
    const t = new Tenant(app, 'db', { name: 'db', quota: { cpu: kplus.Cpu.millis(1500), memory: Size.gibibytes(64) } });
    const db = new StatefulService(t, 'db', { name: 'db', image: 'postgres:16.4', port: 5432, size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) }, replicas: 3, readiness: Probe.tcp(), shutdown: { drainTime: Duration.seconds(60) } });
    Testing.synth(t);
    expect(db.rolloutPeaks.map(p => [p.pods, p.terminating])).toEqual([[3, 0]]);
    expect(Findings.of(t).filter(f => f.rule.id.startsWith('SW-NS'))).toEqual([]);
  });
});

describe('the report', () => {
  test('the quota bar says slowed when the quota fits only without the overlap, exceeded when not even then', () => {
    const bar = (namespace: number, namespaceWithoutOverlap: number) => quotaBar({ quota: 'ResourceQuota/q/rq', key: 'requests.cpu', hard: 3, workload: namespace, namespace, namespaceWithoutOverlap });
    expect(bar(4, 2.5)).toContain('class="quota slowed"');
    expect(bar(4, 2.5)).toContain('fits only once old Pods finish terminating</strong> (2500m cpu without them): rollouts are slowed');
    expect(bar(4, 3.5)).toContain('class="quota over"');
    expect(bar(3, 2.5)).toContain('class="quota"');
  });
});
