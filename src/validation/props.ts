import { Reporter } from '../rules/finding';
import { Rules } from '../rules/catalog';
import { KNOWN_PROPS } from './known-props';
import { objectKeyProblem } from './names';

/** Reports `value` unless it is unset or one of the enum's values. */
export function checkEnum(reporter: Reporter, field: string, value: unknown, allowed: Record<string, string>): void {
  if (value === undefined) return;
  const values = Object.values(allowed);
  if (!values.includes(value as string)) reporter.report(Rules.PROPS_INVALID, field, value, `must be one of ${values.map(v => JSON.stringify(v)).join(', ')}`);
}

/** Reports each of `fields` of `props` that is set but not an object (null included). */
export function checkObjects(reporter: Reporter, props: object, fields: readonly string[]): void {
  for (const field of fields) {
    const value: unknown = (props as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) reporter.report(Rules.PROPS_INVALID, field, value, 'must be an object (leave it unset for the default)');
  }
}

/** Nested props objects whose keys are checked too, by the interface that declares them. */
const NESTED: Readonly<Record<string, string>> = {
  shutdown: 'ShutdownProps', security: 'SecurityProps', spread: 'SpreadProps', scheduling: 'SchedulingProps',
  rollout: 'RolloutProps', autoscaling: 'AutoscalingProps', vertical: 'VerticalScalingProps', monitoring: 'MonitoringOptions', alerts: 'AlertsOptions',
};

/** The maps of the Pod props that carry keys named like Object.prototype members to the YAML. */
const POD_MAPS: readonly RegExp[] = [
  /^((sidecars|initContainers)\[\d+\]\.)?env$/, /^(labels|annotations|podLabels|podAnnotations)$/,
  /^scheduling\.nodeSelector$/, /^security\.sysctls$/, /^podOptions\.dnsConfig\.options$/,
];

/**
 * Maps, by props interface and path, whose keys reach the YAML exactly as given, Object.prototype
 * member names included (env names, labels, ConfigMap keys; see `carriedMap` in
 * synth/own-keys.ts), or are only read with own-property lookups (Argo CD servers per
 * environment). Every other map refuses such keys (`checkObjectKeys`).
 */
const CARRIED_MAPS: Readonly<Record<string, readonly RegExp[]>> = {
  WebServiceProps: POD_MAPS, WorkerProps: POD_MAPS, StatefulServiceProps: POD_MAPS, NodeAgentProps: POD_MAPS,
  BatchJobProps: POD_MAPS, CronTaskProps: POD_MAPS, BarePodProps: POD_MAPS,
  CanaryProps: [/^env$/],
  AppConfigProps: [/^data$/],
  // Keyed by environment name and read with own-property lookups: any environment name is fine.
  ArgoCdProps: [/^servers$/],
};

/**
 * Reports every key of `props` that `interfaceName` does not declare (a typo such as `replica`
 * would otherwise be ignored silently), naming the closest known prop; nested props objects of
 * known interfaces are checked the same way.
 */
export function checkUnknownProps(reporter: Reporter, interfaceName: string, props: unknown, prefix = ''): void {
  checkObjectKeys(reporter, props, prefix, CARRIED_MAPS[interfaceName] ?? []);
  checkKnownProps(reporter, interfaceName, props, prefix);
}

/** KNOWN_PROPS as sets, made on first use: every construct checks its props against one. */
const KNOWN_SETS = new Map<string, ReadonlySet<string>>();

function checkKnownProps(reporter: Reporter, interfaceName: string, props: unknown, prefix: string): void {
  const known = KNOWN_PROPS[interfaceName];
  if (!known || props === null || typeof props !== 'object' || Array.isArray(props)) return;
  let knownSet = KNOWN_SETS.get(interfaceName);
  if (!knownSet) KNOWN_SETS.set(interfaceName, knownSet = new Set(known));
  for (const key of Object.keys(props)) {
    const value: unknown = (props as Record<string, unknown>)[key];
    if (!knownSet.has(key)) {
      const closest = closestName(key, known);
      reporter.report(Rules.PROPS_UNKNOWN, `${prefix}${key}`, value, `is not a prop of ${interfaceName}${closest ? ` (the closest one is "${closest}")` : ''}`);
    } else if (NESTED[key]) {
      checkKnownProps(reporter, NESTED[key], value, `${prefix}${key}.`);
    }
  }
}

/**
 * Reports every key named like an Object.prototype member (see `objectKeyProblem`) in the
 * plain objects and arrays of `props`, at any depth — StorageClass parameters, volume attributes,
 * claim selectors and whatever maps props grow next — except in the `carried` maps (paths below
 * `prefix`), which render them. Class instances (Env, Probe, constructs) are not entered: their
 * factories check what they take.
 */
export function checkObjectKeys(reporter: Reporter, props: unknown, prefix = '', carried: readonly RegExp[] = []): void {
  const seen = new Set<object>();
  const relative = (at: string) => at.slice(prefix.length);
  const walk = (value: unknown, at: string, depth: number): void => {
    if (value === null || typeof value !== 'object' || seen.has(value) || depth > 32) return;
    seen.add(value);
    // Paths are built only for what is reported or entered: most values are not objects.
    if (Array.isArray(value)) {
      value.forEach((v, i) => {
        if (v !== null && typeof v === 'object') walk(v, `${at}[${i}]`, depth + 1);
      });
      return;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return;
    const carries = carried.some(c => c.test(relative(at)));
    for (const key of Object.keys(value)) {
      const problem = carries ? undefined : objectKeyProblem(key);
      if (problem) {
        reporter.report(Rules.PROPS_INVALID, at ? `${at}.${key}` : key, key, problem);
        continue;
      }
      const v: unknown = (value as Record<string, unknown>)[key];
      if (v !== null && typeof v === 'object') walk(v, at ? `${at}.${key}` : key, depth + 1);
    }
  };
  walk(props, prefix.replace(/\.$/, ''), 0);
}

/** The known name nearest to `name` (edit distance, case-insensitive), if it is near enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const a = name.toLowerCase();
  for (const k of known) {
    const d = editDistance(a, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (bestDistance <= 2) return best;
  // A prefix ("podManagement") or an extension ("livenessProbe") of a known prop.
  const related = a.length >= 4 ? known.find(k => k.toLowerCase().startsWith(a) || a.startsWith(k.toLowerCase())) : undefined;
  return related ?? (bestDistance <= Math.floor(name.length / 3) ? best : undefined);
}

function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
