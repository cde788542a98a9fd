import { kindOf } from './names';

/** Cron schedules and time zones as the CronJob controller accepts them (robfig/cron, standard parser). */

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const FIELDS: Array<{ name: string; min: number; max: number; names?: string[] }> = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 6, names: DAYS },
];

/** Why `schedule` is not a valid CronJob schedule, or undefined when it is one. */
export function cronScheduleProblem(schedule: unknown): string | undefined {
  if (typeof schedule !== 'string') return `expected a string, got ${kindOf(schedule)}`;
  const s = schedule.trim();
  if (/^(CRON_)?TZ=/.test(s)) return 'time zones inside the schedule are rejected since Kubernetes 1.27; use "timeZone"';
  if (s.startsWith('@')) return MACROS.has(s) ? undefined : `unknown macro ${s}`;
  const parts = s.split(/\s+/);
  if (parts.length !== 5) return `has ${parts.length} fields; five are required (minute hour day-of-month month day-of-week)`;
  for (let i = 0; i < 5; i++) {
    const problem = fieldProblem(parts[i], FIELDS[i]);
    if (problem) return `${FIELDS[i].name} "${parts[i]}": ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, spec: typeof FIELDS[number]): string | undefined {
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined) return 'more than one "/"';
    if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return `step "${step}" must be a positive number`;
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `range "${range}" has more than one "-"`;
    const values = bounds.map(b => valueOf(b, spec));
    if (values.some(v => v === undefined)) return `"${range}" is not a value from ${spec.min} to ${spec.max}${spec.names ? ` or ${spec.names[0]}…${spec.names[spec.names.length - 1]}` : ''}`;
    if (values.length === 2 && values[0]! > values[1]!) return `range "${range}" is backwards`;
  }
  return undefined;
}

function valueOf(token: string, spec: typeof FIELDS[number]): number | undefined {
  const byName = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (byName >= 0) return byName + (spec.min === 1 ? 1 : 0);
  if (!/^\d+$/.test(token)) return undefined;
  const n = Number(token);
  // Day of week also accepts 7 for Sunday.
  const max = spec.name === 'day of week' ? 7 : spec.max;
  return n >= spec.min && n <= max ? n : undefined;
}

/** Why `zone` is not an IANA time zone the runtime knows, or undefined when it is one. */
export function timeZoneProblem(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || zone.length === 0) return 'must be a non-empty string';
  const { exact, byLowerCase } = knownZoneNames();
  if (!exact.has(zone)) {
    // ICU matches zone names case-insensitively; the API server (Go's time.LoadLocation) does not.
    const spelled = byLowerCase.get(zone.toLowerCase());
    if (spelled !== undefined) return `is spelled "${spelled}" in the tz database, and the API server matches case`;
    if (!formatterAccepts(zone)) return 'is not a known IANA time zone';
  }
  // The API server's own check: parts of [A-Za-z0-9._+-], at most 14 characters, no leading "-".
  return /^[A-Za-z]{1,14}(\/[A-Za-z0-9_+][A-Za-z0-9_+-]{0,13})*$/.test(zone) ? undefined : 'is not an IANA zone name such as "Europe/Berlin"';
}

let zoneNames: { exact: ReadonlySet<string>; byLowerCase: ReadonlyMap<string, string> } | undefined;

/**
 * Canonical zones come from a list (1 ms), plus UTC and Etc/UTC (our default), which the list
 * leaves out. Other aliases such as US/Pacific fall back to constructing a formatter, whose first
 * use costs ~17 ms of ICU loading — once per process, which is why the common case avoids it.
 */
function knownZoneNames(): { exact: ReadonlySet<string>; byLowerCase: ReadonlyMap<string, string> } {
  if (!zoneNames) {
    // Node 18+ has Intl.supportedValuesOf; the ES2020 lib we compile against does not declare it.
    const canonical = (Intl as unknown as { supportedValuesOf(key: 'timeZone'): string[] }).supportedValuesOf('timeZone');
    const names = [...canonical, 'UTC', 'Etc/UTC'];
    zoneNames = { exact: new Set(names), byLowerCase: new Map(names.map(n => [n.toLowerCase(), n])) };
  }
  return zoneNames;
}

function formatterAccepts(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
