import { Rules } from '../../rules/catalog';
import { CheckContext, ObjectCheck } from '../check';
import { KubeObject, selects } from '../kube';
import { namespaceOf } from '../object-index';
import { unmatchedHostnames } from '../hostnames';
import { analyzeFrontDoor, GATEWAY_GROUP, hostnameProblem, parentRefsOf } from '../reachability';
import { routeRuleProblems } from '../route-rules';

/** Checks of front doors: reachability of every backend, and the route kinds' own rules. */

function reachability(obj: KubeObject, ctx: CheckContext): void {
  // Missing Ingress backends are reported by the Ingress check (SW-INGRESS-001).
  const door = analyzeFrontDoor(obj, ctx.index, { ingressBackends: false });
  for (const b of door.backends) for (const i of b.issues) ctx.reporter.report(i.rule, i.field, i.value, i.problem);
}

const NAME_LABEL = 'kubernetes.io/metadata.name';

/** Route kinds a listener admits by default, by protocol. */
const DEFAULT_KINDS: Record<string, readonly string[]> = { HTTP: ['HTTPRoute', 'GRPCRoute'], HTTPS: ['HTTPRoute', 'GRPCRoute'], TLS: ['TLSRoute'], TCP: ['TCPRoute'], UDP: ['UDPRoute'] };

function route(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const ns = namespaceOf(obj);
  (Array.isArray(obj.spec?.hostnames) ? obj.spec.hostnames : []).forEach((h: unknown, i: number) => {
    const problem = hostnameProblem(h);
    if (problem) r.report(Rules.ROUTE_HOSTNAME_INVALID, `spec.hostnames[${i}]`, h, problem);
  });
  for (const p of routeRuleProblems(obj)) r.report(Rules.ROUTE_INVALID, p.field, p.value, p.problem);
  for (const p of parentRefsOf(obj)) {
    const gwNs = p.namespace ?? ns;
    const gw = ctx.index.get('Gateway', gwNs, p.name);
    if (!gw) continue;
    const field = `spec.parentRefs[${p.index}]`;
    const listeners: KubeObject[] = (Array.isArray(gw.spec?.listeners) ? gw.spec.listeners : []).filter((l: unknown) => l && typeof l === 'object');
    if (p.sectionName === undefined && p.port === undefined && listeners.length > 1) {
      r.report(Rules.ROUTE_PARENT_AMBIGUOUS, field, `${gwNs}/${p.name}`, `attaches to all ${listeners.length} listeners of Gateway ${gwNs}/${p.name} (${listeners.map(l => l.name).join(', ')})`);
    }
    const chosen = listeners.filter(l => (p.sectionName === undefined || l.name === p.sectionName) && (p.port === undefined || l.port === p.port));
    if (chosen.length === 0) {
      r.report(Rules.ROUTE_NOT_ADMITTED, field, p.sectionName ?? p.port, `Gateway ${gwNs}/${p.name} has no such listener (${listeners.map(l => `${l.name}:${l.port}`).join(', ') || 'none'})`);
      continue;
    }
    const admission = chosen.map(l => ({ l, admits: listenerAdmits(l, gwNs, ns, obj.kind, ctx) }));
    if (admission.every(a => a.admits === 'no')) {
      r.report(Rules.ROUTE_NOT_ADMITTED, field, `${gwNs}/${p.name}${p.sectionName ? `/${p.sectionName}` : ''}`, `no listener of Gateway ${gwNs}/${p.name} admits ${obj.kind}s from namespace ${ns || '(none)'} (spec.listeners[].allowedRoutes)`);
      continue;
    }
    // Listeners that may admit the route (those whose namespace selector cannot be judged
    // included): the route attaches through this parentRef when its hostnames meet one of them.
    const candidates = admission.filter(a => a.admits !== 'no').map(a => ({ name: String(a.l.name), hostname: a.l.hostname }));
    for (const u of unmatchedHostnames(obj.spec?.hostnames, `${gwNs}/${p.name}`, candidates, field)) {
      r.report(Rules.ROUTE_HOSTNAME_UNMATCHED, `spec.hostnames[${u.index}]`, u.hostname, u.problem);
    }
  }
}

/**
 * Whether a listener admits routes of `kind` from `routeNs`: "unknown" when its namespace
 * selector needs labels of a Namespace that is not in view (never an error on what cannot be seen).
 */
function listenerAdmits(l: KubeObject, gwNs: string, routeNs: string, kind: string, ctx: CheckContext): 'yes' | 'no' | 'unknown' {
  const allowed = l.allowedRoutes ?? {};
  const kinds: KubeObject[] | undefined = Array.isArray(allowed.kinds) && allowed.kinds.length > 0 ? allowed.kinds : undefined;
  const kindOk = kinds ? kinds.some(k => k?.kind === kind && (k.group ?? GATEWAY_GROUP) === GATEWAY_GROUP) : (DEFAULT_KINDS[l.protocol] ?? []).includes(kind);
  if (!kindOk) return 'no';
  const from = allowed.namespaces?.from ?? 'Same';
  if (from === 'All') return 'yes';
  if (from === 'Same') return gwNs === routeNs ? 'yes' : 'no';
  if (from === 'Selector') {
    const namespace = ctx.index.get('Namespace', '', routeNs);
    const selector = allowed.namespaces?.selector;
    if (selects(selector, { ...namespace?.metadata?.labels ?? {}, [NAME_LABEL]: routeNs })) return 'yes';
    // Without the Namespace, only a selector on the name label (set by the API server) can be judged.
    const keys = [...Object.keys(selector?.matchLabels ?? {}), ...(Array.isArray(selector?.matchExpressions) ? selector.matchExpressions : []).map((e: KubeObject) => e?.key)];
    return namespace || keys.every(k => k === NAME_LABEL) ? 'no' : 'unknown';
  }
  return 'no';
}

/** The front-door checks. */
export const FRONT_DOOR_CHECKS: ObjectCheck[] = [
  { rules: [Rules.REACH_BACKEND_MISSING, Rules.REACH_NO_PODS, Rules.REACH_NOT_PROBED, Rules.REACH_NO_POLICY_PATH, Rules.REACH_NOT_GRANTED], run: reachability },
  { rules: [Rules.ROUTE_HOSTNAME_INVALID, Rules.ROUTE_PARENT_AMBIGUOUS, Rules.ROUTE_NOT_ADMITTED, Rules.ROUTE_HOSTNAME_UNMATCHED, Rules.ROUTE_INVALID], run: route },
];
