import { IConstruct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { sysctlFindings } from '../rules/families/sysctls';
import { FindingCollector } from '../rules/collector';
import { Waiver } from '../rules/waiver';
import { KubernetesTarget } from '../target/target';

/** The Pod Security level of the Tenant a construct is in ("privileged", …), or undefined outside a Tenant. */
function enclosingPodSecurity(scope: IConstruct): string | undefined {
  // A Tenant is the innermost scope with a `podSecurity` level (read by shape: the tenancy layer
  // sits above the Pod core, which must not import it).
  for (const s of [...scope.node.scopes].reverse()) {
    const level = (s as { podSecurity?: unknown }).podSecurity;
    if (typeof level === 'string') return level;
  }
  return undefined;
}

/**
 * Validates `security.sysctls` and returns them for `spec.securityContext.sysctls`, in the given
 * order. Safe sysctls (the target's safe set) are allowed; an unsafe one is SW-SEC-013 unless
 * waived, and then the workload must be in a privileged Tenant (SW-SYSCTL-003).
 */
export function resolveSysctls(value: unknown, target: KubernetesTarget, hostNetwork: boolean, waivers: readonly Waiver[], collector: FindingCollector): k8s.Sysctl[] | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    collector.report(Rules.PROPS_INVALID, 'security.sysctls', value, 'must be an object mapping sysctl names to values, e.g. { \'net.ipv4.ip_local_port_range\': \'1024 65000\' }');
    return undefined;
  }
  const list = Object.entries(value as Record<string, unknown>).map(([name, v]) => ({ name, value: v }));
  const findings = sysctlFindings(list, target, { network: hostNetwork, ipc: false });
  for (const f of findings) {
    const name = list[f.index].name;
    collector.report(f.rule, `security.sysctls.${name}`, f.part === 'value' ? f.value : name, f.part === 'value' ? `(the value) ${f.problem}` : f.problem);
  }
  const unsafe = findings.filter(f => f.rule === Rules.UNSAFE_SYSCTL).map(f => list[f.index].name);
  if (unsafe.length > 0 && waivers.some(w => w.ruleId === Rules.UNSAFE_SYSCTL.id)) {
    const level = enclosingPodSecurity(collector.scope);
    if (level !== 'privileged') {
      collector.report(Rules.SYSCTL_TENANT_NOT_PRIVILEGED, 'security.sysctls', unsafe,
        level === undefined ? 'the waived unsafe sysctls need a namespace enforcing Pod Security "privileged", but the workload is in no Tenant' : `the waived unsafe sysctls need Pod Security "privileged", but the Tenant enforces "${level}"`);
    }
  }
  return list.length > 0 ? list.map(s => ({ name: s.name, value: String(s.value) })) : undefined;
}
