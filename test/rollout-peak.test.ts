import { Replacement, rolloutPeak, RolloutTimeline } from '../src';
import { readySecondsOf } from '../src/tenancy/rollout-peak';

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
  });

  test('time to ready from the probes: initial delays, successThreshold, native sidecars starting first', () => {
    expect(readySecondsOf([{ sidecar: false }])).toBe(0);
    // Readiness waits for the startup probe: max(20, 5) + (3 - 1) x 10.
    expect(readySecondsOf([{ sidecar: false, startup: { initialDelaySeconds: 20 }, readiness: { initialDelaySeconds: 5, successThreshold: 3, periodSeconds: 10 } }])).toBe(40);
    // The app starts after the sidecar's startup probe: 15 + 5.
    expect(readySecondsOf([{ sidecar: true, startup: { initialDelaySeconds: 15 } }, { sidecar: false, readiness: { initialDelaySeconds: 5 } }])).toBe(20);
  });
});
