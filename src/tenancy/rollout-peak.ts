/**
 * The quota peak of a rollout, from the workload's own timeline.
 *
 * A terminating Pod counts against its namespace's ResourceQuota until it is gone, and the
 * Deployment controller does not wait for it: it scales the old ReplicaSet down (the Pod starts
 * its grace period) and the new one up in the same breath. When the grace period is longer than
 * a rollout step, the old Pods of several steps are still terminating at once, on top of
 * replicas + maxSurge. Measured on a 1.35 control plane: the reference app's shop namespace
 * peaked at 10.7 cores of requests where replicas + maxSurge predicted 8.15; this model gives
 * 10.7.
 *
 * Used by the Tenant at synthesis, by the audit (SW-NS-002, SW-NS-005), and by `explain` and
 * the report, so all of them count alike.
 */

/** How a controller replaces a Pod, as far as the quota sees it. */
export enum Replacement {
  /**
   * The replacement is created as soon as the old Pod starts terminating (Deployments, and
   * DaemonSets that surge): old Pods still in their grace period overlap the new ones.
   */
  ON_TERMINATION_START = 'onTerminationStart',
  /**
   * The replacement is created only once the old Pod is gone: StatefulSets (a new Pod takes the
   * old one's name), DaemonSets without surge, Recreate Deployments. No overlap.
   */
  ON_TERMINATION_COMPLETE = 'onTerminationComplete',
}

/** The inputs of the model: what the manifest says about one controller's rollout. */
export interface RolloutTimeline {
  /** "Deployment", "StatefulSet" or "DaemonSet". */
  readonly kind: string;
  /** Pods the rollout replaces: replicas (the autoscaler's maximum when autoscaled), or nodes for a DaemonSet. */
  readonly replicas: number;
  /** Pods above `replicas` a step may create (maxSurge, resolved; 0 without surge). */
  readonly maxSurge: number;
  /** Pods below `replicas` a step may take down (maxUnavailable, resolved). */
  readonly maxUnavailable: number;
  /** terminationGracePeriodSeconds: the longest an old Pod counts after it is deleted. */
  readonly gracePeriodSeconds: number;
  /** The fewest seconds a new Pod takes to become ready (probe initial delays; 0 when unknown). */
  readonly readySeconds: number;
  /** minReadySeconds: how long a ready Pod waits before it counts as available. */
  readonly minReadySeconds: number;
  readonly replacement: Replacement;
}

/** The model's answer, with the numbers that derive it. */
export interface RolloutPeak {
  readonly timeline: RolloutTimeline;
  /** Pods counted at the worst instant: running new + running old + old still terminating. */
  readonly pods: number;
  /** The peak if every old Pod were gone at once: replicas + maxSurge (the new ReplicaSet never exceeds replicas). */
  readonly withoutOverlap: number;
  /** Running Pods (old and new) at the worst instant. */
  readonly running: number;
  /** Old Pods still terminating at the worst instant. */
  readonly terminating: number;
  /**
   * What the old Pods still terminating add to the peak: pods - withoutOverlap (at most
   * `terminating`: at the last step the surge is over).
   */
  readonly addedByTerminating: number;
  /** Seconds into the rollout of the worst instant (a multiple of `stepSeconds`). */
  readonly atSeconds: number;
  /** The fewest seconds one step takes: readySeconds + minReadySeconds. */
  readonly stepSeconds: number;
  /** Old Pods one step deletes: maxSurge + maxUnavailable. */
  readonly perStep: number;
  /**
   * Steps whose old Pods terminate at once, the current one included: ceil(grace / step);
   * undefined when a step takes no time (every old Pod may be terminating at once).
   */
  readonly overlappingSteps?: number;
}

/**
 * The worst instant of a rollout, stepping through it as the Deployment controller does: at
 * t = 0 the new ReplicaSet surges and `maxUnavailable` old Pods are deleted; each step later
 * (a new Pod ready and available: at least `readySeconds` + `minReadySeconds`) the old
 * ReplicaSet loses maxSurge + maxUnavailable more and the new one grows to replace them. Old
 * Pods deleted at step j still count at step k while (k - j) x step < grace, so
 * ceil(grace / step) steps overlap (a Pod deleted exactly one grace period ago is gone: with
 * grace == step only the current step's Pods are terminating). Running Pods are
 * replicas + min(maxSurge, old Pods left) (the surge ends with the last old Pod).
 *
 * Closed form, so a million replicas cost nothing: the terminating window grows while full
 * steps enter it, and the surge ends only on the last step, so the worst instant is one of the
 * last three steps.
 */
export function rolloutPeak(t: RolloutTimeline): RolloutPeak {
  const n = wholeAtLeast0(t.replicas);
  const s = wholeAtLeast0(t.maxSurge);
  const grace = Math.max(0, t.gracePeriodSeconds);
  const step = Math.max(0, t.readySeconds) + Math.max(0, t.minReadySeconds);
  const withoutOverlap = n + Math.min(s, n);
  if (t.replacement === Replacement.ON_TERMINATION_COMPLETE || n === 0) {
    return { timeline: t, pods: withoutOverlap, withoutOverlap, running: withoutOverlap, terminating: 0, addedByTerminating: 0, atSeconds: 0, stepSeconds: step, perStep: s + wholeAtLeast0(t.maxUnavailable), overlappingSteps: undefined };
  }
  // Both 0 cannot progress; the controller then takes one Pod down at a time (its fencepost rule).
  const u = s === 0 && wholeAtLeast0(t.maxUnavailable) === 0 ? 1 : wholeAtLeast0(t.maxUnavailable);
  const perStep = s + u;
  const first = Math.min(u, n);
  const rest = n - first;
  const steps = Math.ceil(rest / perStep);
  const overlapping = step > 0 ? Math.ceil(grace / step) : undefined;
  // Old Pods deleted by the end of step k (step 0 deletes `first`), and those left running.
  const deleted = (k: number) => (k < 0 ? 0 : first + Math.min(k * perStep, rest));
  const left = (k: number) => n - deleted(k);
  // Before step 0 deletes anything the surge already runs beside every old Pod.
  let best = { pods: withoutOverlap, running: withoutOverlap, terminating: 0, at: 0 };
  for (const k of new Set([0, steps - 2, steps - 1, steps].filter(x => x >= 0))) {
    const terminating = overlapping === undefined ? deleted(k) : deleted(k) - deleted(k - overlapping);
    const running = n + Math.min(s, left(k));
    if (running + terminating > best.pods) best = { pods: running + terminating, running, terminating, at: k * step };
  }
  return { timeline: t, pods: best.pods, withoutOverlap, running: best.running, terminating: best.terminating, addedByTerminating: best.pods - withoutOverlap, atSeconds: best.at, stepSeconds: step, perStep, overlappingSteps: overlapping };
}

/** Probe timings that bound how soon a container can be ready (Kubernetes defaults when unset). */
export interface ProbeTimings {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly successThreshold?: number;
}

/** One running container of a Pod, for `readySecondsOf`. */
export interface StartingContainer {
  /** A native sidecar: it starts before the app containers, which wait for its startup probe. */
  readonly sidecar: boolean;
  readonly startup?: ProbeTimings;
  readonly readiness?: ProbeTimings;
}

/**
 * The fewest seconds after its containers start that a Pod can be ready, from its probes: the
 * kubelet runs no probe before its initialDelaySeconds, readiness only after the startup probe
 * succeeded, and needs successThreshold successes periodSeconds apart; native sidecars start in
 * order, each after the previous one's startup probe. Image pulls and start-up work are unknown
 * and count as 0, so this is a lower bound: a faster step means more overlap, never less.
 */
export function readySecondsOf(containers: readonly StartingContainer[]): number {
  const num = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt);
  const own = (c: StartingContainer) => {
    const startup = c.startup ? num(c.startup.initialDelaySeconds, 0) : 0;
    if (!c.readiness) return startup;
    const r = c.readiness;
    return Math.max(startup, num(r.initialDelaySeconds, 0)) + (Math.max(num(r.successThreshold, 1), 1) - 1) * Math.max(num(r.periodSeconds, 10), 1);
  };
  let started = 0;
  let ready = 0;
  for (const c of containers.filter(x => x.sidecar)) {
    ready = Math.max(ready, started + own(c));
    started += c.startup ? num(c.startup.initialDelaySeconds, 0) : 0;
  }
  for (const c of containers.filter(x => !x.sidecar)) ready = Math.max(ready, started + own(c));
  return ready;
}

/** How the peak was reached, in words, with the timeline's numbers (for `explain` and the report). */
export function describeRolloutPeak(p: RolloutPeak): string {
  const t = p.timeline;
  const pods = (n: number) => `${n} Pod${n === 1 ? '' : 's'}`;
  if (t.replacement === Replacement.ON_TERMINATION_COMPLETE) {
    const why = t.kind === 'StatefulSet' ? 'a replacement takes the old Pod\'s name, so it is created only once the old Pod is gone'
      : t.kind === 'DaemonSet' ? 'without surge a node\'s new Pod is created only once its old Pod is gone'
        : 'Recreate starts new Pods only once every old one is gone';
    return `no overlap: ${why}`;
  }
  if (p.terminating === 0) return `${pods(p.running)} running, none still terminating (a ${t.gracePeriodSeconds}s grace period ends before the next step)`;
  const step = `a step takes at least ${p.stepSeconds}s (ready after ≥${t.readySeconds}s + minReadySeconds ${t.minReadySeconds}s)`;
  const span = p.overlappingSteps === undefined ? 'so every old Pod may still be terminating at once'
    : `so the old Pods of ${p.overlappingSteps} step${p.overlappingSteps === 1 ? '' : 's'} of ${pods(p.perStep)} overlap (ceil(${t.gracePeriodSeconds} / ${p.stepSeconds}))`;
  return `${pods(p.running)} running + ${p.terminating} old still terminating at t=${p.atSeconds}s: ${step}, and an old Pod counts against the quota until it is gone, up to its ${t.gracePeriodSeconds}s grace period, ${span}; ${pods(p.withoutOverlap)} once terminations finish`;
}

function wholeAtLeast0(n: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}
