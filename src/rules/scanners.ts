import { IConstruct } from 'constructs';
import { Waiver } from './waiver';

/**
 * The checks of other Kubernetes scanners that match a seaworthy rule, so one waiver exempts
 * the object from all of them: security teams run Checkov, kube-linter, kube-score and Polaris
 * on the same dist/. Only checks known to test the same condition are listed.
 */
export interface ScannerChecks {
  /** Checkov check ids (`CKV_K8S_<n>`). */
  readonly checkov?: readonly string[];
  /** kube-linter check names. */
  readonly kubeLinter?: readonly string[];
  /** kube-score check ids. */
  readonly kubeScore?: readonly string[];
  /** Polaris check ids. */
  readonly polaris?: readonly string[];
}

/** Rule id to the matching checks of each scanner: the one mapping table (docs/rules.md renders it). */
export const SCANNER_CHECKS: Readonly<Record<string, ScannerChecks>> = {
  'SW-IMAGE-001': { checkov: ['CKV_K8S_14'], kubeLinter: ['latest-tag'], kubeScore: ['container-image-tag'], polaris: ['tagNotSpecified'] },
  'SW-IMAGE-003': { kubeScore: ['container-image-pull-policy'] },
  'SW-PROBE-001': { checkov: ['CKV_K8S_9'], kubeLinter: ['no-readiness-probe'], polaris: ['readinessProbeMissing'] },
  'SW-PROBE-006': { checkov: ['CKV_K8S_8'], kubeLinter: ['no-liveness-probe'], polaris: ['livenessProbeMissing'] },
  'SW-RES-004': { checkov: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'], kubeLinter: ['unset-cpu-requirements', 'unset-memory-requirements'], kubeScore: ['container-resources'], polaris: ['cpuRequestsMissing', 'cpuLimitsMissing', 'memoryRequestsMissing', 'memoryLimitsMissing'] },
  'SW-RES-005': { kubeScore: ['container-ephemeral-storage-request-and-limit'] },
  'SW-SEC-001': { kubeScore: ['container-security-context-user-group-id'] },
  'SW-SEC-003': { checkov: ['CKV_K8S_40'], kubeScore: ['container-security-context-user-group-id'] },
  'SW-SEC-005': { checkov: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19'], kubeLinter: ['host-pid', 'host-ipc', 'host-network'], polaris: ['hostPIDSet', 'hostIPCSet', 'hostNetworkSet'] },
  'SW-SEC-006': { checkov: ['CKV_K8S_16'], kubeLinter: ['privileged-container'], kubeScore: ['container-security-context-privileged'], polaris: ['runAsPrivileged'] },
  'SW-SEC-008': { checkov: ['CKV_K8S_26'], polaris: ['hostPortSet'] },
  'SW-SEC-010': { checkov: ['CKV_K8S_23'], kubeLinter: ['run-as-non-root'], polaris: ['runAsRootAllowed'] },
  'SW-SEC-011': { checkov: ['CKV_K8S_20'], kubeLinter: ['privilege-escalation-container'], polaris: ['privilegeEscalationAllowed'] },
  'SW-SEC-012': { checkov: ['CKV_K8S_22'], kubeLinter: ['no-read-only-root-fs'], kubeScore: ['container-security-context-readonlyrootfilesystem'], polaris: ['notReadOnlyRootFilesystem'] },
  'SW-SEC-013': { kubeLinter: ['unsafe-sysctls'] },
  'SW-SA-001': { checkov: ['CKV_K8S_38'] },
  'SW-ENV-003': { kubeLinter: ['env-var-secret'] },
  'SW-NETPOL-002': { kubeScore: ['pod-networkpolicy'] },
  'SW-PDB-003': { kubeScore: ['deployment-has-poddisruptionbudget'] },
};

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
