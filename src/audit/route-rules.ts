import { KubeObject } from './kube';

/** A value of a route that the Gateway API CRD's validation refuses (SW-ROUTE-005). */
export interface RouteRuleProblem {
  /** Path into the route, e.g. "spec.rules[0].matches[1].path.value". */
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/** A Gateway API duration (GEP-2257), as the CRD's pattern accepts it. */
const DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** Milliseconds of a Gateway API duration, or undefined when it is not one. */
export function gatewayDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !DURATION.test(value)) return undefined;
  let total = 0;
  for (const m of value.matchAll(/([0-9]+)(h|ms|m|s)/g)) total += Number(m[1]) * UNIT_MS[m[2]];
  return total;
}

/** What an Exact or PathPrefix path value must not hold, as the CRD's CEL rules say it. */
const PATH_RULES: ReadonlyArray<[(v: string) => boolean, string]> = [
  [v => !v.startsWith('/'), 'must be an absolute path and start with "/"'],
  [v => v.includes('//'), 'must not contain "//"'],
  [v => v.includes('/./'), 'must not contain "/./"'],
  [v => v.includes('/../'), 'must not contain "/../"'],
  [v => v.includes('%2f') || v.includes('%2F'), 'must not contain "%2f"'],
  [v => v.includes('#'), 'must not contain "#"'],
  [v => v.endsWith('/..'), 'must not end with "/.."'],
  [v => v.endsWith('/.'), 'must not end with "/."'],
];

/**
 * The path matches, timeouts and backend weights of an HTTPRoute or GRPCRoute that the API
 * server refuses (the Gateway API v1 CRD's schema and CEL rules): the same checks the route
 * constructs make on their props.
 */
export function routeRuleProblems(route: KubeObject): RouteRuleProblem[] {
  const out: RouteRuleProblem[] = [];
  const rules: unknown[] = Array.isArray(route?.spec?.rules) ? route.spec.rules : [];
  rules.forEach((rule, i) => {
    if (!rule || typeof rule !== 'object') return;
    const r = rule as KubeObject;
    const at = `spec.rules[${i}]`;
    if (route.kind === 'HTTPRoute') {
      (Array.isArray(r.matches) ? r.matches : []).forEach((m: KubeObject, j: number) => {
        const path = m?.path;
        if (!path || typeof path !== 'object') return;
        const type = path.type ?? 'PathPrefix';
        const value = path.value ?? '/';
        if ((type !== 'Exact' && type !== 'PathPrefix') || typeof value !== 'string') return;
        const broken = PATH_RULES.find(([bad]) => bad(value));
        if (broken) out.push({ field: `${at}.matches[${j}].path.value`, value, problem: `${broken[1]} when type is ${type}` });
      });
      const timeouts = r.timeouts;
      if (timeouts && typeof timeouts === 'object') {
        const ms: Record<string, number | undefined> = {};
        for (const key of ['request', 'backendRequest']) {
          if (timeouts[key] === undefined) continue;
          ms[key] = gatewayDurationMs(timeouts[key]);
          if (ms[key] === undefined) out.push({ field: `${at}.timeouts.${key}`, value: timeouts[key], problem: 'is not a Gateway API duration (e.g. "10s", "1500ms", "1h30m")' });
        }
        if (ms.request !== undefined && ms.backendRequest !== undefined && ms.request !== 0 && ms.backendRequest > ms.request) {
          out.push({ field: `${at}.timeouts.backendRequest`, value: timeouts.backendRequest, problem: `must not be longer than the request timeout (${timeouts.request})` });
        }
      }
    }
    (Array.isArray(r.backendRefs) ? r.backendRefs : []).forEach((b: KubeObject, j: number) => {
      const w = b?.weight;
      if (w !== undefined && (!Number.isInteger(w) || w < 0 || w > 1_000_000)) out.push({ field: `${at}.backendRefs[${j}].weight`, value: w, problem: 'must be a whole number from 0 to 1000000' });
    });
  });
  return out;
}
