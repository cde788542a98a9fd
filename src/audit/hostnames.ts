import { hostnameProblem } from './reachability';

/**
 * Gateway API hostname matching: whether a route's `spec.hostnames` and a listener's `hostname`
 * intersect, as the HTTPRoute and GRPCRoute `hostnames` and Gateway `listeners[].hostname`
 * descriptions of the Gateway API (v1.6.1) specify it. One algorithm for the constructs at
 * synthesis (a route to a `Gateway` of the app) and the audit (any route and Gateway in view).
 *
 * - A listener without a hostname matches every route hostname; a route without hostnames
 *   matches every listener.
 * - "*.example.com" matches every name with at least one more label ("foo.example.com",
 *   "foo.bar.example.com"), never "example.com" itself; a wildcard route hostname intersects a
 *   listener hostname it matches ("foo.example.com") or that is a narrower wildcard
 *   ("*.bar.example.com"), and the other way round.
 * - Otherwise names match exactly, label by label (the CRDs allow lowercase names only).
 */

/** A listener as hostname matching sees it. */
export interface ListenerHostname {
  /** Name of the listener. */
  readonly name: string;
  /** Its hostname; undefined (or null) serves every host name. */
  readonly hostname?: string | null;
}

/** One route hostname that no listener of a parentRef accepts. */
export interface UnmatchedHostname {
  /** Index in the route's hostnames. */
  readonly index: number;
  /** The hostname. */
  readonly hostname: string;
  /** What is wrong, naming the Gateway and its listeners with their hostnames. */
  readonly problem: string;
}

/** Whether the wildcard `*.<suffix>` matches `name` (a name or, for wildcard pairs, the suffix part of a wildcard). */
function covers(wildcard: string, name: string): boolean {
  return wildcard.startsWith('*.') && name.endsWith(wildcard.slice(1));
}

/**
 * Whether route hostname `route` and listener hostname `listener` have a host name in common
 * (`listener` undefined: the listener serves every name).
 */
export function hostnamesIntersect(route: string, listener: string | undefined | null): boolean {
  if (listener === undefined || listener === null) return true;
  return route === listener || covers(listener, route) || covers(route, listener);
}

/**
 * The hostnames of a route (`hostnames`, as found in the route) that keep it from attaching to
 * the `listeners` one of its parentRefs (`via`, for the message) selects on Gateway `gateway`
 * ("namespace/name"): every hostname, when none matches any listener; none when one does (the
 * Gateway ignores the others, as the Gateway API allows). Nothing is judged when the route has no
 * hostnames, a listener serves every name, there is no listener, or a hostname is not a valid
 * one (rule SW-ROUTE-002's, or refused by the CRD).
 */
export function unmatchedHostnames(hostnames: unknown, gateway: string, listeners: readonly ListenerHostname[], via = 'the route'): UnmatchedHostname[] {
  if (!Array.isArray(hostnames) || hostnames.length === 0 || listeners.length === 0) return [];
  if (hostnames.some(h => hostnameProblem(h) !== undefined)) return [];
  if (listeners.some(l => l.hostname === undefined || l.hostname === null || hostnameProblem(l.hostname) !== undefined)) return [];
  const names = hostnames as string[];
  if (names.some(h => listeners.some(l => hostnamesIntersect(h, l.hostname)))) return [];
  const which = `${listeners.length === 1 ? 'listener' : 'listeners'} ${via} attaches to on Gateway ${gateway}: ${listeners.map(l => `"${l.name}" (${l.hostname})`).join(', ')}`;
  const others = names.length > 1 ? ', and no other hostname of the route does' : '';
  return names.map((hostname, index) => ({
    index,
    hostname,
    problem: `matches no hostname of the ${which}${others}; the Gateway never attaches the route (Accepted=False, NoMatchingListenerHostname)`,
  }));
}
