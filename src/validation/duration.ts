import { Duration } from 'cdk8s';

/** Whole seconds of a duration, or undefined when it is not a whole, finite, non-negative number of seconds. */
export function durationSeconds(d: unknown): number | undefined {
  if (!(d instanceof Duration)) return undefined;
  const ms = d.toMilliseconds();
  if (!Number.isFinite(ms) || ms < 0 || ms % 1000 !== 0) return undefined;
  return ms / 1000;
}
