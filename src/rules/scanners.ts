import { IConstruct } from 'constructs';
import { Rules } from './catalog';
import { ScannerChecks } from './rule';
import { Waiver } from './waiver';

/** Rule id to the matching checks of each scanner, from the rules' declarations (docs/rules.md renders it). */
export const SCANNER_CHECKS: Readonly<Record<string, ScannerChecks>> = Object.fromEntries(
  Object.values(Rules).flatMap(r => (r.scanners ? [[r.id, r.scanners]] : [])),
);

const DISABLED = new WeakSet<IConstruct>();

/**
 * Whether waivers are also rendered as the exemption annotations of Checkov, kube-linter,
 * kube-score and Polaris (on by default; off per app or chart).
 */
export class ScannerAnnotations {
  /** Stops rendering other scanners' exemption annotations for `scope` and everything below it. */
  public static disable(scope: IConstruct): void {
    DISABLED.add(scope);
  }

  /** Whether the annotations are rendered at `scope`. */
  public static enabledAt(scope: IConstruct): boolean {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) if (DISABLED.has(c)) return false;
    return true;
  }

  private constructor() {}
}

/**
 * The exemption annotations of the other scanners for `waivers`: Checkov
 * `checkov.io/skip<N>: CKV_K8S_xx=<reason>`, kube-linter
 * `ignore-check.kube-linter.io/<check>: <reason>`, kube-score `kube-score/ignore: <checks>` and
 * Polaris `polaris.fairwinds.com/<check>-exempt: "true"`. A waiver naming one container is left
 * out: those scanners exempt whole objects, which would stop them checking the other containers.
 */
export function scannerAnnotations(waivers: readonly Waiver[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (waivers.length === 0) return out;
  const checkov: string[] = [];
  const kubeScore = new Set<string>();
  for (const w of [...waivers].filter(x => x.container === undefined).sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))) {
    const checks = SCANNER_CHECKS[w.ruleId];
    if (!checks) continue;
    const reason = `${w.ruleId}: ${w.reason}`;
    for (const id of checks.checkov ?? []) if (!checkov.some(c => c.startsWith(`${id}=`))) checkov.push(`${id}=${reason}`);
    for (const id of checks.kubeLinter ?? []) out[`ignore-check.kube-linter.io/${id}`] ??= reason;
    for (const id of checks.kubeScore ?? []) kubeScore.add(id);
    for (const id of checks.polaris ?? []) out[`polaris.fairwinds.com/${id}-exempt`] = 'true';
  }
  checkov.forEach((skip, i) => { out[`checkov.io/skip${i + 1}`] = skip; });
  if (kubeScore.size > 0) out['kube-score/ignore'] = [...kubeScore].join(',');
  return out;
}
