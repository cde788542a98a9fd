import { allowedDisruptions } from '../../disruption/disruption-budget';
import { Rules } from '../../rules/catalog';
import { hpaMinProblem, hpaRangeProblem, utilizationProblem } from '../../rules/families/autoscaling';
import { quotaShortfalls } from '../../rules/families/namespace';
import { externalTrafficPolicyProblem } from '../../rules/families/network';
import { deadlineProblem, noProgressProblem, rolloutPods } from '../../rules/families/rollout';
import { ALL_KINDS, WORKLOAD_KINDS } from '../../rules/rule';
import { WAIVERS_ANNOTATION } from '../../rules/waiver';
import { checkGrant } from '../../security/grants';
import { cronScheduleProblem, timeZoneProblem } from '../../validation/cron';
import { dns1035LabelProblem, labelValueProblem } from '../../validation/names';
import { CheckContext, ObjectCheck } from '../engine';
import { Feature } from '../../target/capabilities';
import { containersOf, KubeObject, podRequestOf, podTemplateOf, replicasOf, selects } from '../kube';
import { namespaceOf, ObjectIndex } from '../object-index';

/** Checks of single objects and of the relations between objects. */

const RECOMMENDED = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function every(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const api = typeof obj.apiVersion === 'string' ? ctx.target.apiVersionStatus(obj.apiVersion, obj.kind) : undefined;
  if (api?.removed) {
    r.report(Rules.API_REMOVED, 'apiVersion', obj.apiVersion, `${obj.kind} in ${obj.apiVersion} is not served by ${ctx.target} (the target; removed in 1.${api.change.removed}); use ${api.change.replacement}`);
  } else if (api) {
    r.report(Rules.API_DEPRECATED, 'apiVersion', obj.apiVersion, `${obj.kind} in ${obj.apiVersion} is deprecated in ${ctx.target} (the target)${api.change.removed ? ` and removed in 1.${api.change.removed}` : ''}; use ${api.change.replacement}`);
  }
  const name = obj.metadata?.name;
  const nameProblem = obj.kind === 'Service' ? dns1035LabelProblem(name) : typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name) ? 'must be a lowercase DNS-1123 subdomain of at most 253 characters' : undefined;
  if (nameProblem && !['List'].includes(obj.kind)) r.report(Rules.NAME_INVALID, 'metadata.name', name, nameProblem);
  const labels = (o: KubeObject | undefined, at: string) => {
    for (const [k, v] of Object.entries(o ?? {})) {
      const problem = labelValueProblem(v);
      if (problem) r.report(Rules.LABEL_VALUE_INVALID, `${at}.${k}`, v, `it ${problem}`);
    }
  };
  labels(obj.metadata?.labels, 'metadata.labels');
  const raw = obj.metadata?.annotations?.[WAIVERS_ANNOTATION];
  if (raw !== undefined) {
    let ok = false;
    try {
      const list = JSON.parse(raw);
      ok = Array.isArray(list) && list.every(w => typeof w?.rule === 'string' && typeof w?.reason === 'string' && w.reason.trim().length > 0);
    } catch {
      ok = false;
    }
    if (!ok) r.report(Rules.WAIVER_INVALID, `metadata.annotations.${WAIVERS_ANNOTATION}`, raw, 'must be a JSON list of { "rule": "<id>", "reason": "<why>" } with non-empty reasons');
  }
}

function workload(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const t = podTemplateOf(obj);
  if (!t) return;
  const missing = RECOMMENDED.filter(k => !(k in t.labels));
  if (missing.length > 0) r.report(Rules.RECOMMENDED_LABELS, `${t.path.replace(/\.spec$/, '.metadata.labels')}`, missing, 'recommended labels are missing');
  const ns = namespaceOf(obj);
  const policies = ctx.index.ofKind('NetworkPolicy').filter(p => namespaceOf(p) === ns && selects(p.spec?.podSelector, t.labels));
  const types = (p: KubeObject): string[] => p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  if (!policies.some(p => types(p).includes('Ingress'))) r.report(Rules.INGRESS_NOT_ISOLATED, 'metadata.name', obj.metadata?.name, 'no NetworkPolicy isolates these Pods for ingress');
  if (!policies.some(p => types(p).includes('Egress'))) r.report(Rules.EGRESS_NOT_ISOLATED, 'metadata.name', obj.metadata?.name, 'no NetworkPolicy isolates these Pods for egress');
  if (obj.kind === 'Pod' && !(obj.metadata?.ownerReferences?.length)) r.report(Rules.BARE_POD, 'metadata.name', obj.metadata?.name, 'no controller will restart or reschedule this Pod');
}

function replicated(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const t = podTemplateOf(obj)!;
  const ns = namespaceOf(obj);
  const hpa = ctx.index.ofKind('HorizontalPodAutoscaler').find(h => namespaceOf(h) === ns && h.spec?.scaleTargetRef?.kind === obj.kind && h.spec?.scaleTargetRef?.name === obj.metadata?.name);
  const replicas = hpa ? hpa.spec?.minReplicas ?? 1 : replicasOf(obj) ?? 1;
  if (replicas < 2) r.report(Rules.REPLICAS_TOO_FEW, hpa ? 'spec (HPA minReplicas)' : 'spec.replicas', replicas, 'a single replica cannot survive a node drain');
  if (replicas >= 2 && !(t.spec.topologySpreadConstraints?.length) && !t.spec.affinity?.podAntiAffinity) {
    r.report(Rules.SPREAD_MISSING, `${t.path}.topologySpreadConstraints`, undefined, 'nothing keeps the replicas off one node or zone');
  }
  const pdbs = ctx.index.ofKind('PodDisruptionBudget').filter(p => namespaceOf(p) === ns && selects(p.spec?.selector, t.labels));
  if (replicas >= 2 && pdbs.length === 0) r.report(Rules.PDB_MISSING, 'metadata.name', obj.metadata?.name, 'no PodDisruptionBudget covers these Pods');
  for (const pdb of pdbs) {
    const field = pdb.spec?.maxUnavailable !== undefined ? 'maxUnavailable' : 'minAvailable';
    const allowed = allowedDisruptions(field, pdb.spec?.[field], replicas);
    if (allowed === 0) ctx.reportOn(pdb, Rules.PDB_ZERO_DISRUPTIONS, `spec.${field}`, pdb.spec?.[field], `allows no disruption of ${obj.kind}/${obj.metadata?.name} at ${replicas} replica${replicas === 1 ? '' : 's'}, so node drains would block forever`);
  }
  if (obj.kind === 'Deployment') {
    const s = obj.spec?.strategy;
    const ru = s?.rollingUpdate ?? {};
    const zero = (v: unknown) => v === 0 || v === '0%';
    const stuck = s?.type === 'RollingUpdate' ? noProgressProblem(zero(ru.maxSurge), zero(ru.maxUnavailable)) : undefined;
    if (stuck) r.report(Rules.ROLLOUT_NO_PROGRESS, 'spec.strategy.rollingUpdate.maxSurge', ru.maxSurge, stuck);
    else if (replicas >= 2 && (s?.type === 'Recreate' || (ru.maxUnavailable !== undefined && !zero(ru.maxUnavailable)) || s === undefined)) {
      r.report(Rules.ROLLOUT_CAPACITY_LOSS, 'spec.strategy', s ?? '(default: maxUnavailable 25%)', 'takes Pods down before their replacements are ready');
    }
    const minReady = obj.spec?.minReadySeconds ?? 0;
    const deadline = obj.spec?.progressDeadlineSeconds ?? 600;
    const late = deadlineProblem(minReady, deadline);
    if (late) r.report(Rules.ROLLOUT_DEADLINE, 'spec.progressDeadlineSeconds', deadline, late);
  }
  if (hpa && obj.spec?.replicas !== undefined) r.report(Rules.HPA_WITH_REPLICAS, 'spec.replicas', obj.spec.replicas, `is set while HorizontalPodAutoscaler/${hpa.metadata?.name} manages the replica count`);
  if (obj.kind === 'StatefulSet') {
    const svc = ctx.index.get('Service', ns, obj.spec?.serviceName);
    if (!svc || svc.spec?.clusterIP !== 'None') r.report(Rules.STS_SERVICE, 'spec.serviceName', obj.spec?.serviceName, svc ? 'names a Service that is not headless' : 'names no Service among the audited objects');
  }
}

function pdb(obj: KubeObject, ctx: CheckContext): void {
  if (ctx.index.workloadsSelectedBy(namespaceOf(obj), obj.spec?.selector).length === 0) ctx.reporter.report(Rules.PDB_SELECTS_NOTHING, 'spec.selector', obj.spec?.selector, 'matches no Pod template of the audited objects');
  if (obj.spec?.unhealthyPodEvictionPolicy !== 'AlwaysAllow') ctx.reporter.report(Rules.PDB_UNHEALTHY_POLICY, 'spec.unhealthyPodEvictionPolicy', obj.spec?.unhealthyPodEvictionPolicy, 'Pods that are not ready still block drains');
}

function hpa(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const ref = obj.spec?.scaleTargetRef ?? {};
  if (!ctx.index.get(ref.kind, namespaceOf(obj), ref.name)) r.report(Rules.HPA_TARGET_MISSING, 'spec.scaleTargetRef', `${ref.kind}/${ref.name}`, 'is not among the audited objects');
  const min = obj.spec?.minReplicas ?? 1;
  const minProblem = hpaMinProblem(min);
  if (minProblem) r.report(Rules.HPA_MIN_TOO_LOW, 'spec.minReplicas', min, minProblem);
  const rangeProblem = hpaRangeProblem(min, obj.spec?.maxReplicas);
  if (rangeProblem) r.report(Rules.HPA_RANGE_INVALID, 'spec.maxReplicas', obj.spec?.maxReplicas, rangeProblem);
  (obj.spec?.metrics ?? []).forEach((m: KubeObject, i: number) => {
    const u = m?.resource?.target?.averageUtilization;
    const problem = u === undefined ? undefined : utilizationProblem(u);
    if (problem) r.report(Rules.HPA_TARGET_INVALID, `spec.metrics[${i}].resource.target.averageUtilization`, u, problem);
  });
}

function networkPolicy(obj: KubeObject, ctx: CheckContext): void {
  if (ctx.index.workloadsSelectedBy(namespaceOf(obj), obj.spec?.podSelector).length === 0) {
    ctx.reporter.report(Rules.NETPOL_SELECTS_NOTHING, 'spec.podSelector', obj.spec?.podSelector, 'matches no Pod template of the audited objects');
  }
}

function service(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  if (obj.spec?.type === 'NodePort') r.report(Rules.SERVICE_NODE_PORT, 'spec.type', 'NodePort', 'opens the port on every node');
  const etp = externalTrafficPolicyProblem(obj.spec?.type, obj.spec?.externalTrafficPolicy);
  if (etp) r.report(Rules.SERVICE_INVALID, 'spec.externalTrafficPolicy', obj.spec.externalTrafficPolicy, etp);
  if (!obj.spec?.selector || obj.spec?.type === 'ExternalName') return;
  const targets = ctx.index.workloadsSelectedBy(namespaceOf(obj), { matchLabels: obj.spec.selector });
  if (targets.length === 0) {
    r.report(Rules.SERVICE_SELECTS_NOTHING, 'spec.selector', obj.spec.selector, 'matches no Pod template of the audited objects');
    return;
  }
  (obj.spec.ports ?? []).forEach((p: KubeObject, i: number) => {
    const target = p.targetPort ?? p.port;
    const declared = targets.some(w => containersOf(w.template).some(c => !c.init && (c.container.ports ?? []).some((cp: KubeObject) => cp.containerPort === target || cp.name === target)));
    if (!declared) r.report(Rules.SERVICE_TARGET_PORT, `spec.ports[${i}].targetPort`, target, 'no selected container declares it');
  });
}

function ingress(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const ns = namespaceOf(obj);
  const backends: Array<{ field: string; svc: KubeObject }> = [];
  if (obj.spec?.defaultBackend?.service) backends.push({ field: 'spec.defaultBackend', svc: obj.spec.defaultBackend.service });
  (obj.spec?.rules ?? []).forEach((rule: KubeObject, i: number) => (rule.http?.paths ?? []).forEach((p: KubeObject, j: number) => {
    if (p.backend?.service) backends.push({ field: `spec.rules[${i}].http.paths[${j}].backend.service`, svc: p.backend.service });
  }));
  for (const b of backends) {
    const svc = ctx.index.get('Service', ns, b.svc.name);
    const port = b.svc.port?.number ?? b.svc.port?.name;
    if (!svc) r.report(Rules.INGRESS_BACKEND_MISSING, b.field, b.svc.name, 'names no Service among the audited objects');
    else if (port !== undefined && !(svc.spec?.ports ?? []).some((sp: KubeObject) => sp.port === port || sp.name === port)) r.report(Rules.INGRESS_BACKEND_MISSING, `${b.field}.port`, port, `is not a port of Service "${b.svc.name}"`);
  }
  if (!(obj.spec?.tls?.length)) r.report(Rules.INGRESS_NO_TLS, 'spec.tls', undefined, 'traffic is not encrypted');
}

function batch(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const job = obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec ?? {} : obj.spec ?? {};
  const at = obj.kind === 'CronJob' ? 'spec.jobTemplate.spec' : 'spec';
  if (job.ttlSecondsAfterFinished === undefined && obj.kind === 'Job') r.report(Rules.JOB_NO_TTL, `${at}.ttlSecondsAfterFinished`, undefined, 'finished Jobs are never removed');
  if (job.backoffLimit === undefined) r.report(Rules.JOB_NO_BACKOFF, `${at}.backoffLimit`, undefined, 'retries default to 6 with exponential backoff');
  if (obj.kind !== 'CronJob') return;
  const schedule = cronScheduleProblem(obj.spec?.schedule);
  if (schedule) r.report(Rules.CRON_SCHEDULE_INVALID, 'spec.schedule', obj.spec?.schedule, schedule);
  if (obj.spec?.timeZone !== undefined) {
    const zone = timeZoneProblem(obj.spec.timeZone);
    if (zone) r.report(Rules.CRON_TIMEZONE_INVALID, 'spec.timeZone', obj.spec.timeZone, zone);
  }
  if (obj.spec?.startingDeadlineSeconds === undefined) r.report(Rules.CRON_NO_DEADLINE, 'spec.startingDeadlineSeconds', undefined, 'missed runs may start in a burst');
  if ((obj.spec?.concurrencyPolicy ?? 'Allow') === 'Allow') r.report(Rules.CRON_CONCURRENCY, 'spec.concurrencyPolicy', obj.spec?.concurrencyPolicy ?? '(default: Allow)', 'runs may overlap');
}

function role(obj: KubeObject, ctx: CheckContext): void {
  (obj.rules ?? []).forEach((rule: KubeObject, i: number) => {
    for (const apiGroup of rule.apiGroups ?? ['']) {
      checkGrant({ apiGroup, resources: rule.resources ?? [], verbs: rule.verbs ?? [], resourceNames: rule.resourceNames }, ctx.reporter, `rules[${i}]`);
    }
  });
}

function namespace(obj: KubeObject, ctx: CheckContext): void {
  if (!obj.metadata?.labels?.['pod-security.kubernetes.io/enforce']) ctx.reporter.report(Rules.PSA_LABELS, 'metadata.labels', obj.metadata?.labels, 'no pod-security.kubernetes.io/enforce label');
}

/** The rollout peak of every workload in the quota's namespace must fit it. */
function quota(obj: KubeObject, ctx: CheckContext): void {
  const ns = namespaceOf(obj);
  const hard: Record<string, string> = obj.spec?.hard ?? {};
  let cpu = 0;
  let memory = 0;
  let pods = 0;
  for (const w of ctx.index.workloadsIn(ns)) {
    const peak = peakPods(w.obj, ctx.index);
    if (peak === undefined) continue;
    const native = ctx.target.has(Feature.NATIVE_SIDECARS);
    cpu += peak * podRequestOf(w.template, 'cpu', native);
    memory += peak * podRequestOf(w.template, 'memory', native);
    pods += peak;
  }
  for (const { key, needs } of quotaShortfalls(hard, { cpu, memory, pods })) {
    ctx.reporter.report(Rules.QUOTA_EXCEEDED, `spec.hard.${key}`, hard[key], `the rollout peak of the namespace's workloads needs ${needs}`);
  }
}

/** Most Pods of a workload running at once during a rollout (the ResourceQuota's view). */
export function peakPods(obj: KubeObject, index: ObjectIndex): number | undefined {
  const ns = namespaceOf(obj);
  const hpa = index.ofKind('HorizontalPodAutoscaler').find(h => namespaceOf(h) === ns && h.spec?.scaleTargetRef?.name === obj.metadata?.name && h.spec?.scaleTargetRef?.kind === obj.kind);
  switch (obj.kind) {
    case 'Deployment': {
      const replicas = hpa?.spec?.maxReplicas ?? obj.spec?.replicas ?? 1;
      const surge = obj.spec?.strategy?.type === 'Recreate' ? 0 : obj.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%';
      return replicas + rolloutPods(replicas, surge, true);
    }
    case 'StatefulSet':
    case 'ReplicaSet':
      return hpa?.spec?.maxReplicas ?? obj.spec?.replicas ?? 1;
    case 'Job':
      return obj.spec?.parallelism ?? 1;
    case 'CronJob':
      return obj.spec?.jobTemplate?.spec?.parallelism ?? 1;
    case 'Pod':
      return 1;
    default:
      return undefined;
  }
}

function secret(obj: KubeObject, ctx: CheckContext): void {
  for (const field of ['data', 'stringData']) {
    const keys = Object.keys(obj[field] ?? {});
    if (keys.length > 0) ctx.reporter.report(Rules.SECRET_DATA, field, keys, 'holds secret values in the manifest (values not shown)');
  }
}

/** The object-level and cross-object checks. */
export const OBJECT_CHECKS: ObjectCheck[] = [
  { kinds: ALL_KINDS, run: every },
  { kinds: WORKLOAD_KINDS, run: workload },
  { kinds: ['Deployment', 'StatefulSet'], run: replicated },
  { kinds: ['PodDisruptionBudget'], run: pdb },
  { kinds: ['HorizontalPodAutoscaler'], run: hpa },
  { kinds: ['NetworkPolicy'], run: networkPolicy },
  { kinds: ['Service'], run: service },
  { kinds: ['Ingress'], run: ingress },
  { kinds: ['Job', 'CronJob'], run: batch },
  { kinds: ['Role', 'ClusterRole'], run: role },
  { kinds: ['Namespace'], run: namespace },
  { kinds: ['ResourceQuota'], run: quota },
  { kinds: ['Secret'], run: secret },
];
