/**
 * Whole seconds as the compact duration text Go's `time.ParseDuration` and Prometheus both read
 * ("15m", "5m30s", "1h1m"; "0s" for zero): Flux and the Prometheus Operator take durations so.
 */
export function durationText(seconds: number): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join('') || '0s';
}
