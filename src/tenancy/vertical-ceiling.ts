import { QuotaContainer } from './quota-arithmetic';
import { verticalControlOf } from '../rules/families/vertical-scaling';

/**
 * The most a VerticalPodAutoscaler may set a container's requests and limits to: what the quota
 * must hold for a vertically scaled workload (SW-NS-002, SW-NS-005), at synthesis (the Tenant)
 * and in the audit alike.
 */

/** A loosely typed VerticalPodAutoscaler, as rendered or read from YAML. */
type Loose = { readonly [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A container's requests and limits at their ceiling, with what decided it. */
export interface VerticalCeiling {
  readonly requests: Readonly<Partial<Record<string, number>>>;
  readonly limits: Readonly<Partial<Record<string, number>>>;
  /** Resources raised to the VPA's maxAllowed. */
  readonly raised: readonly string[];
  /** Resources the VPA controls without a maxAllowed (kept at their declared size: the ceiling is unknown). */
  readonly unbounded: readonly string[];
}

/**
 * Container `name`'s requests and limits (cores, bytes) at the most `vpa` may set them to: each
 * resource the VPA controls goes to its maxAllowed where that is more than declared (a Pod created
 * before the first recommendation keeps its declared size, so the larger of the two). With
 * RequestsAndLimits the limit follows in proportion (the VPA keeps the limit/request ratio, so a
 * Guaranteed container stays at limit = request); with RequestsOnly the limit stays and caps the
 * request. Containers the VPA leaves alone (updateMode Off, mode Off) and init containers (which
 * the VPA does not resize) keep their size.
 */
export function verticalCeilingOf(name: string, requests: Readonly<Partial<Record<string, number>>>, limits: Readonly<Partial<Record<string, number>>>, vpa: Loose | undefined): VerticalCeiling {
  const control = verticalControlOf(vpa, name);
  const req = { ...requests };
  const lim = { ...limits };
  const raised: string[] = [];
  const unbounded: string[] = [];
  for (const r of control?.resources ?? []) {
    const max = control!.maxAllowed[r];
    if (max === undefined) {
      unbounded.push(r);
      continue;
    }
    const declared = requests[r] ?? limits[r];
    const ceiling = Math.max(declared ?? 0, control!.minAllowed[r] ?? 0, max);
    if (declared !== undefined && ceiling <= declared) continue;
    const limit = limits[r];
    if (control!.values === 'RequestsOnly') {
      req[r] = limit === undefined ? ceiling : Math.max(declared ?? 0, Math.min(ceiling, limit));
    } else {
      req[r] = ceiling;
      if (limit !== undefined) lim[r] = Math.max(limit, ceiling * (declared ? limit / declared : 1));
    }
    if (req[r] !== declared) raised.push(r);
  }
  return { requests: req, limits: lim, raised, unbounded };
}

/** The containers of a Pod as the quota counts them at the VPA's ceiling (see `verticalCeilingOf`). */
export function verticalQuotaContainers(containers: readonly QuotaContainer[], vpa: Loose | undefined): QuotaContainer[] {
  if (!vpa) return [...containers];
  return containers.map(c => {
    if (c.init) return c;
    const ceiling = verticalCeilingOf(c.name, c.requests, c.limits, vpa);
    return { ...c, requests: ceiling.requests, limits: ceiling.limits };
  });
}

/** Whether `vpa` raises any container of `containers` above its declared size. */
export function raisesAny(containers: readonly QuotaContainer[], vpa: Loose | undefined): boolean {
  return vpa !== undefined && containers.some(c => !c.init && verticalCeilingOf(c.name, c.requests, c.limits, vpa).raised.length > 0);
}
