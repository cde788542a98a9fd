import { recordedSafeSysctls } from './server-record';
import { KubeObject, podSpecOf } from './synth';

/**
 * Independent checks of synthesized Pods, written from the Kubernetes documentation rather than
 * from the library's code, so the tests do not grade the library with its own logic.
 */

export { podSpecOf } from './synth';

const ALLOWED_VOLUME_TYPES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/**
 * Violations of the Pod Security Standards "restricted" profile (baseline included) of policy
 * version `minor` (default 1.35, the default target): the safe sysctls grow with the version.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function pssRestrictedViolations(spec: KubeObject, where = 'pod', minor = 35): string[] {
  const safeSysctls = recordedSafeSysctls(minor);
  const out: string[] = [];
  const containers: KubeObject[] = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  const podSc = spec.securityContext ?? {};
  for (const f of ['hostNetwork', 'hostPID', 'hostIPC']) if (spec[f]) out.push(`${where}: ${f}`);
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find(k => k !== 'name');
    if (!type || !ALLOWED_VOLUME_TYPES.has(type)) out.push(`${where}: volume ${v.name} of type ${type}`);
  }
  for (const s of podSc.sysctls ?? []) if (!safeSysctls.has(s.name)) out.push(`${where}: sysctl ${s.name}`);
  const seccompOk = (p: KubeObject | undefined) => p?.type === 'RuntimeDefault' || p?.type === 'Localhost';
  const selinuxOk = (o: KubeObject | undefined) => !o || ((o.type === undefined || ['container_t', 'container_init_t', 'container_kvm_t'].includes(o.type)) && !o.user && !o.role);
  if (!selinuxOk(podSc.seLinuxOptions)) out.push(`${where}: pod seLinuxOptions`);
  if (podSc.runAsUser === 0) out.push(`${where}: pod runAsUser 0`);
  if (podSc.seccompProfile && !seccompOk(podSc.seccompProfile)) out.push(`${where}: pod seccompProfile ${podSc.seccompProfile.type}`);
  for (const c of containers) {
    const sc = c.securityContext ?? {};
    const at = `${where}/${c.name}`;
    if (sc.privileged) out.push(`${at}: privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${at}: allowPrivilegeEscalation not false`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) out.push(`${at}: capabilities do not drop ALL`);
    for (const cap of sc.capabilities?.add ?? []) if (cap !== 'NET_BIND_SERVICE') out.push(`${at}: adds capability ${cap}`);
    if (!(sc.runAsNonRoot === true || (sc.runAsNonRoot === undefined && podSc.runAsNonRoot === true))) out.push(`${at}: runAsNonRoot not true`);
    if (sc.runAsUser === 0) out.push(`${at}: runAsUser 0`);
    if (!(seccompOk(sc.seccompProfile) || (sc.seccompProfile === undefined && seccompOk(podSc.seccompProfile)))) out.push(`${at}: seccomp not RuntimeDefault/Localhost`);
    if (sc.procMount && sc.procMount !== 'Default') out.push(`${at}: procMount ${sc.procMount}`);
    if (!selinuxOk(sc.seLinuxOptions)) out.push(`${at}: seLinuxOptions`);
    for (const p of c.ports ?? []) if (p.hostPort) out.push(`${at}: hostPort ${p.hostPort}`);
  }
  return out;
}

function quantity(v: string | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(v);
  if (!m) throw new Error(`unparseable quantity ${v}`);
  const f: Record<string, number> = { '': 1, 'm': 1e-3, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'Ki': 1024, 'Mi': 1024 ** 2, 'Gi': 1024 ** 3, 'Ti': 1024 ** 4 };
  return Number(m[1]) * f[m[2] ?? ''];
}

/** The QoS class per https://kubernetes.io/docs/concepts/workloads/pods/pod-qos/ . */
export function qosOf(spec: KubeObject): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers: KubeObject[] = [...(spec.initContainers ?? []), ...spec.containers];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    for (const r of ['cpu', 'memory']) {
      const limit = quantity(c.resources?.limits?.[r]);
      const request = quantity(c.resources?.requests?.[r]) ?? limit;
      if (limit !== undefined || request !== undefined) any = true;
      if (limit === undefined || request !== limit) guaranteed = false;
    }
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Whether `labels` satisfy a LabelSelector (matchLabels and matchExpressions); an absent selector selects nothing. */
export function selects(selector: KubeObject | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const ml: Record<string, string> = selector.matchLabels ?? {};
  if (!Object.entries(ml).every(([k, v]) => labels[k] === v)) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    if (e.operator === 'In' && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  // An empty selector ({}) selects every Pod (NetworkPolicy podSelector, PDB in policy/v1).
  return true;
}

/**
 * Cross-object wiring problems: Services whose selector matches no Pod template or whose
 * targetPort no selected container declares; PDBs and NetworkPolicies that select no Pods.
 */
export function wiringProblems(objects: KubeObject[]): string[] {
  const out: string[] = [];
  const workloads = objects.filter(o => podSpecOf(o) !== undefined);
  const templateLabels = (w: KubeObject): Record<string, string> => (w.spec.template ?? w.spec.jobTemplate?.spec?.template)?.metadata?.labels ?? {};
  const sameNs = (a: KubeObject, b: KubeObject) => (a.metadata?.namespace ?? '') === (b.metadata?.namespace ?? '');
  for (const svc of objects.filter(o => o.kind === 'Service' && o.spec?.selector)) {
    const targets = workloads.filter(w => sameNs(w, svc) && selects({ matchLabels: svc.spec.selector }, templateLabels(w)));
    if (targets.length === 0) out.push(`Service/${svc.metadata.name} selects no Pods`);
    for (const port of svc.spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const declared = targets.some(w => podSpecOf(w)!.containers.some((c: KubeObject) => (c.ports ?? []).some((p: KubeObject) => p.containerPort === target || p.name === target)));
      if (!declared) out.push(`Service/${svc.metadata.name} targetPort ${target} is not a declared container port`);
    }
  }
  for (const pdb of objects.filter(o => o.kind === 'PodDisruptionBudget')) {
    if (!workloads.some(w => sameNs(w, pdb) && selects(pdb.spec.selector, templateLabels(w)))) out.push(`PodDisruptionBudget/${pdb.metadata.name} selects no Pods`);
  }
  // A namespace-wide policy (empty podSelector) covers Pods yet to come, and a policy that waives
  // SW-NETPOL-004 selects Pods the manifests do not hold (a Gateway's data plane).
  const podsElsewhere = (np: KubeObject) => Object.keys(np.spec.podSelector ?? {}).length === 0 || (np.metadata.annotations?.['seaworthy.dev/waivers'] ?? '').includes('SW-NETPOL-004');
  for (const np of objects.filter(o => o.kind === 'NetworkPolicy' && !podsElsewhere(o))) {
    if (!workloads.some(w => sameNs(w, np) && selects(np.spec.podSelector, templateLabels(w)))) out.push(`NetworkPolicy/${np.metadata.name} selects no Pods`);
  }
  for (const w of workloads.filter(o => o.spec?.selector)) {
    if (!selects(w.spec.selector, templateLabels(w))) out.push(`${w.kind}/${w.metadata.name} selector does not match its own template`);
  }
  return out;
}
