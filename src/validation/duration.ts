import { Duration } from 'cdk8s';

/** Whole seconds of a duration, or undefined when it is not a whole, finite, non-negative number of seconds. */
export function durationSeconds(d: unknown): number | undefined {
  const ms = durationMillis(d);
  if (ms === undefined || ms < 0 || ms % 1000 !== 0) return undefined;
  return ms / 1000;
}

/** Milliseconds of a duration, or undefined when it is not a finite Duration (cdk8s throws on NaN and Infinity). */
export function durationMillis(d: unknown): number | undefined {
  if (!(d instanceof Duration)) return undefined;
  try {
    const ms = d.toMilliseconds();
    return Number.isFinite(ms) ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** A duration for a message, never throwing: "1500ms", "a non-finite Duration", or the value itself. */
export function describeDuration(d: unknown): unknown {
  const ms = durationMillis(d);
  if (ms !== undefined) return `${ms}ms`;
  return d instanceof Duration ? 'a non-finite Duration' : d;
}
