import { Rules, RULES_BY_ID } from '../../rules/catalog';
import { behaviorProblems, hpaMinProblem, hpaRangeProblem, scaleTargetKindProblem, utilizationProblem } from '../../rules/families/autoscaling';
import { checkJobPolicies, startingDeadlineProblem } from '../../rules/families/batch';
import { configMapSizeProblem } from '../../rules/families/config';
import { claimLimitViolations, LimitRangeItemLike, limitRangeItemProblems, QuotaSpec, quotaShortfalls, quotaSpecProblems, QuotaUsage } from '../../tenancy/quota-arithmetic';
import { duplicateNodePorts, externalTrafficPolicyProblem, nodePortProblem, NodePortUse } from '../../rules/families/network';
import { deadlineProblem, noProgressProblem, rolloutPods, startupBudgetProblem } from '../../rules/families/rollout';
import { waiverAnnotationKey, WAIVERS_ANNOTATION } from '../../rules/waiver';
import { checkPolicyRule, PolicyRuleView, readsAnySecret } from '../../security/grants';
import { cronScheduleProblem, timeZoneProblem } from '../../validation/cron';
import { dns1035LabelProblem, labelValueProblem } from '../../validation/names';
import { parseQuantity } from '../../validation/quantity';
import { budgetCoverage } from '../budgets';
import { CheckContext, ObjectCheck } from '../check';
import { Feature } from '../../target/capabilities';
import { containersOf, KubeObject, objectRef, replicasOf } from '../kube';
import { hpaOf, namespaceOf, vpaOf } from '../object-index';
import { implicitNamespaceUsages, manifestObjectUsages, manifestPodUsage, peakPodsOf, rolloutPeakOf } from '../quota-usage';
import { backedByAnotherTrack } from './tracks';
import { waiverEntries } from '../waivers';

/** Checks of single objects and of the relations between objects. */

const RECOMMENDED = ['app.kubernetes.io/name', 'app.kubernetes.io/instance'];
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Kinds whose names the API server checks only as a path segment (RBAC: "system:aggregate-to-view",
 * "shop:readers" are valid), not as a DNS-1123 subdomain.
 */
const PATH_SEGMENT_NAMED = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']);

/** Why `name` is not a valid path-segment name (ValidatePathSegmentName), or undefined. */
function pathSegmentNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'must be a non-empty string';
  if (name === '.' || name === '..') return 'must not be "." or ".."';
  if (/[/%]/.test(name)) return 'must not contain "/" or "%"';
  return undefined;
}

function every(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const api = typeof obj.apiVersion === 'string' ? ctx.target.apiVersionStatus(obj.apiVersion, obj.kind) : undefined;
  if (api?.removed) {
    r.report(Rules.API_REMOVED, 'apiVersion', obj.apiVersion, `${obj.kind} in ${obj.apiVersion} is not served by ${ctx.target} (the target; removed in 1.${api.change.removed}); use ${api.change.replacement}`);
  } else if (api) {
    r.report(Rules.API_DEPRECATED, 'apiVersion', obj.apiVersion, `${obj.kind} in ${obj.apiVersion} is deprecated in ${ctx.target} (the target)${api.change.removed ? ` and removed in 1.${api.change.removed}` : ''}; use ${api.change.replacement}`);
  }
  const name = obj.metadata?.name;
  const nameProblem = obj.kind === 'Service' ? dns1035LabelProblem(name)
    : PATH_SEGMENT_NAMED.has(obj.kind) ? pathSegmentNameProblem(name)
      : typeof name !== 'string' || name.length > 253 || !DNS1123_SUBDOMAIN.test(name) ? 'must be a lowercase DNS-1123 subdomain of at most 253 characters' : undefined;
  if (nameProblem && !['List'].includes(obj.kind)) r.report(Rules.NAME_INVALID, 'metadata.name', name, nameProblem);
  const labels = (o: KubeObject | undefined, at: string) => {
    for (const [k, v] of Object.entries(o ?? {})) {
      const problem = labelValueProblem(v);
      if (problem) r.report(Rules.LABEL_VALUE_INVALID, `${at}.${k}`, v, `it ${problem}`);
    }
  };
  labels(obj.metadata?.labels, 'metadata.labels');
  const earlier = ctx.index.earlierDefinition(obj);
  if (earlier) {
    const at = ctx.where(earlier);
    r.report(Rules.OBJECT_DUPLICATE, 'metadata.name', name, `${obj.kind} "${name}"${obj.metadata?.namespace ? ` in namespace "${obj.metadata.namespace}"` : ''} is defined twice${at ? `; the other definition is at ${at}` : ''}, and one silently replaces the other`);
  }
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
    else {
      (JSON.parse(raw) as Array<{ rule: string }>).forEach((w, i) => {
        if (!RULES_BY_ID.has(w.rule)) r.report(Rules.WAIVER_INVALID, `metadata.annotations.${WAIVERS_ANNOTATION}[${i}].rule`, w.rule, 'is not a rule id of the catalog, so the waiver waives nothing');
      });
    }
  }
}

/** Waivers of Pod rules the controller carries and its Pod template does not: its Pods are not waived. */
function templateWaivers(obj: KubeObject, ctx: CheckContext): void {
  const template = ctx.index.templateOf(obj);
  if (!template) return;
  const onPods = template.annotations as Record<string, unknown>;
  for (const { rule, container } of waiverEntries(obj)) {
    if (!RULES_BY_ID.get(rule)?.kinds.includes('Pod')) continue;
    const key = waiverAnnotationKey(rule, container);
    const reason = onPods[key];
    if (typeof reason === 'string' && reason.trim() !== '') continue;
    const field = obj.kind === 'CronJob' ? 'spec.jobTemplate.spec.template.metadata.annotations' : 'spec.template.metadata.annotations';
    ctx.reporter.report(Rules.WAIVER_NOT_ON_PODS, field, key,
      `${obj.kind} "${obj.metadata?.name}" waives ${rule}${container ? ` for container "${container}"` : ''}, but its Pod template does not: the Pods it creates are not waived, and at the cluster's door the rule's admission policy refuses them`);
  }
}

function workload(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const t = ctx.index.templateOf(obj);
  if (!t) return;
  const missing = RECOMMENDED.filter(k => !(k in t.labels));
  if (missing.length > 0) r.report(Rules.RECOMMENDED_LABELS, `${t.path.replace(/\.spec$/, '.metadata.labels')}`, missing, 'recommended labels are missing');
  // A PodTemplate runs nothing by itself: no traffic to isolate.
  if (obj.kind === 'PodTemplate') return;
  const ns = namespaceOf(obj);
  const policies = ctx.index.policiesSelecting(ns, t.labels);
  const types = (p: KubeObject): string[] => p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
  if (!policies.some(p => types(p).includes('Ingress'))) r.report(Rules.INGRESS_NOT_ISOLATED, 'metadata.name', obj.metadata?.name, 'no NetworkPolicy isolates these Pods for ingress');
  if (!policies.some(p => types(p).includes('Egress'))) r.report(Rules.EGRESS_NOT_ISOLATED, 'metadata.name', obj.metadata?.name, 'no NetworkPolicy isolates these Pods for egress');
  if (obj.kind === 'Pod' && !(obj.metadata?.ownerReferences?.length)) r.report(Rules.BARE_POD, 'metadata.name', obj.metadata?.name, 'no controller will restart or reschedule this Pod');
}

function replicated(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const t = ctx.index.templateOf(obj);
  // Without a Pod template there is nothing to replicate (the API server rejects the object).
  if (!t) return;
  const ns = namespaceOf(obj);
  const hpa = hpaOf(obj, ctx.index);
  const replicas = hpa ? hpa.spec?.minReplicas ?? 1 : replicasOf(obj) ?? 1;
  // A single canary behind one Service with the stable track's replicas does not take the Service down.
  if (replicas < 2 && !backedByAnotherTrack(obj, ctx.index)) r.report(Rules.REPLICAS_TOO_FEW, hpa ? 'spec (HPA minReplicas)' : 'spec.replicas', replicas, 'a single replica cannot survive a node drain');
  if (replicas >= 2 && !(t.spec.topologySpreadConstraints?.length) && !t.spec.affinity?.podAntiAffinity) {
    r.report(Rules.SPREAD_MISSING, `${t.path}.topologySpreadConstraints`, undefined, 'nothing keeps the replicas off one node or zone');
  }
  const pdbs = ctx.index.budgetsCovering(ns, t.labels);
  if (replicas >= 2 && pdbs.length === 0) r.report(Rules.PDB_MISSING, 'metadata.name', obj.metadata?.name, 'no PodDisruptionBudget covers these Pods');
  if (obj.kind === 'Deployment') {
    const s = obj.spec?.strategy;
    const ru = s?.rollingUpdate ?? {};
    const zero = (v: unknown) => v === 0 || v === '0%';
    const stuck = s?.type === 'RollingUpdate' ? noProgressProblem(zero(ru.maxSurge), zero(ru.maxUnavailable)) : undefined;
    if (stuck) r.report(Rules.ROLLOUT_NO_PROGRESS, 'spec.strategy.rollingUpdate.maxSurge', ru.maxSurge, stuck);
    else {
      // maxUnavailable percentages round down: the default 25% takes no Pod down below 4 replicas.
      const most = hpa?.spec?.maxReplicas ?? replicas;
      const down = s?.type === 'Recreate' ? most : rolloutPods(most, ru.maxUnavailable ?? '25%', false);
      if (replicas >= 2 && down > 0) r.report(Rules.ROLLOUT_CAPACITY_LOSS, 'spec.strategy', s ?? '(default: maxSurge 25%, maxUnavailable 25%)', 'takes Pods down before their replacements are ready');
    }
    const minReady = obj.spec?.minReadySeconds ?? 0;
    const deadline = obj.spec?.progressDeadlineSeconds ?? 600;
    const late = deadlineProblem(minReady, deadline);
    if (late) r.report(Rules.ROLLOUT_DEADLINE, 'spec.progressDeadlineSeconds', deadline, late);
    for (const c of containersOf(t)) {
      const slow = c.init ? undefined : startupBudgetProblem(c.container.startupProbe, deadline);
      if (slow) r.report(Rules.STARTUP_BUDGET, 'spec.progressDeadlineSeconds', deadline, `${slow} of container "${c.container.name}"`);
    }
  }
  if (hpa && obj.spec?.replicas !== undefined) r.report(Rules.HPA_WITH_REPLICAS, 'spec.replicas', obj.spec.replicas, `is set while HorizontalPodAutoscaler/${hpa.metadata?.name} manages the replica count`);
  if (obj.kind === 'StatefulSet') {
    const svc = ctx.index.get('Service', ns, obj.spec?.serviceName);
    if (svc && svc.spec?.clusterIP !== 'None') r.report(Rules.STS_SERVICE, 'spec.serviceName', obj.spec?.serviceName, 'names a Service that is not headless');
    else if (!svc) ctx.notSeen(Rules.STS_SERVICE, 'spec.serviceName', obj.spec?.serviceName, 'names no Service among the audited objects');
  }
}

/**
 * A ReplicationController at two or more replicas is judged as a Deployment is on spread and
 * budget (SW-SPREAD-002, SW-PDB-001): its replicas serve together, and a drain takes them alike.
 */
function replicationController(obj: KubeObject, ctx: CheckContext): void {
  const t = ctx.index.templateOf(obj);
  if (!t) return;
  const hpa = hpaOf(obj, ctx.index);
  const replicas = hpa ? hpa.spec?.minReplicas ?? 1 : replicasOf(obj) ?? 1;
  if (replicas < 2) return;
  if (!(t.spec.topologySpreadConstraints?.length) && !t.spec.affinity?.podAntiAffinity) {
    ctx.reporter.report(Rules.SPREAD_MISSING, `${t.path}.topologySpreadConstraints`, undefined, 'nothing keeps the replicas off one node or zone');
  }
  if (ctx.index.budgetsCovering(namespaceOf(obj), t.labels).length === 0) ctx.reporter.report(Rules.PDB_MISSING, 'metadata.name', obj.metadata?.name, 'no PodDisruptionBudget covers these Pods');
}

function pdb(obj: KubeObject, ctx: CheckContext): void {
  const selected = ctx.index.workloadsSelectedBy(namespaceOf(obj), obj.spec?.selector);
  if (selected.length === 0) ctx.notSeen(Rules.PDB_SELECTS_NOTHING, 'spec.selector', obj.spec?.selector, 'matches no Pod template of the audited objects');
  // The eviction API counts every Pod the selector matches: a budget shared by a stable and a
  // canary Deployment is judged over both together, once.
  const coverage = budgetCoverage(obj, ctx.index);
  if (coverage?.allowed === 0) ctx.reporter.report(Rules.PDB_ZERO_DISRUPTIONS, `spec.${coverage.field}`, obj.spec?.[coverage.field], `allows no disruption of ${coverage.description}, so node drains would block forever`);
  if (obj.spec?.unhealthyPodEvictionPolicy !== 'AlwaysAllow') ctx.reporter.report(Rules.PDB_UNHEALTHY_POLICY, 'spec.unhealthyPodEvictionPolicy', obj.spec?.unhealthyPodEvictionPolicy, 'Pods that are not ready still block drains');
}

function hpa(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const ref = obj.spec?.scaleTargetRef ?? {};
  const unscalable = scaleTargetKindProblem(ref.kind);
  if (unscalable) r.report(Rules.HPA_TARGET_MISSING, 'spec.scaleTargetRef.kind', ref.kind, unscalable);
  else if (!ctx.index.get(ref.kind, namespaceOf(obj), ref.name)) ctx.notSeen(Rules.HPA_TARGET_MISSING, 'spec.scaleTargetRef', `${ref.kind}/${ref.name}`, 'is not among the audited objects');
  const min = obj.spec?.minReplicas ?? 1;
  const minProblem = hpaMinProblem(min);
  if (minProblem) r.report(Rules.HPA_MIN_TOO_LOW, 'spec.minReplicas', min, minProblem);
  const rangeProblem = hpaRangeProblem(min, obj.spec?.maxReplicas);
  if (rangeProblem) r.report(Rules.HPA_RANGE_INVALID, 'spec.maxReplicas', obj.spec?.maxReplicas, rangeProblem);
  const target = ctx.index.get(ref.kind, namespaceOf(obj), ref.name);
  const template = target ? ctx.index.templateOf(target) : undefined;
  (obj.spec?.metrics ?? []).forEach((m: KubeObject, i: number) => {
    const u = m?.resource?.target?.averageUtilization;
    // Above 100% is reachable when some container's limit (or no limit) exceeds its request.
    const resource = m?.resource?.name;
    const burstable = template === undefined || containersOf(template).some(c => {
      const req = c.container.resources?.requests?.[resource] ?? c.container.resources?.limits?.[resource];
      const lim = c.container.resources?.limits?.[resource];
      return lim === undefined || req === undefined || (parseQuantity(lim) ?? 0) > (parseQuantity(req) ?? 0);
    });
    const problem = u === undefined ? undefined : utilizationProblem(u, burstable);
    if (problem) r.report(Rules.HPA_TARGET_INVALID, `spec.metrics[${i}].resource.target.averageUtilization`, u, problem);
  });
  for (const b of behaviorProblems(obj.spec?.behavior)) {
    r.report(b.rule === 'invalid' ? Rules.HPA_BEHAVIOR_INVALID : Rules.HPA_SCALE_DOWN_FLAPPING, b.field ? `spec.behavior.${b.field}` : 'spec.behavior', b.value, b.problem);
  }
}

function networkPolicy(obj: KubeObject, ctx: CheckContext): void {
  // An empty podSelector selects every Pod of the namespace, present or future: a namespace
  // baseline such as default-deny, never a typo, even while the namespace runs no workload.
  const selector = obj.spec?.podSelector;
  const selectsAll = selector !== null && typeof selector === 'object' && Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  if (!selectsAll && ctx.index.workloadsSelectedBy(namespaceOf(obj), selector).length === 0) {
    ctx.notSeen(Rules.NETPOL_SELECTS_NOTHING, 'spec.podSelector', obj.spec?.podSelector, 'matches no Pod template of the audited objects');
  }
}

function service(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  if (obj.spec?.type === 'NodePort') r.report(Rules.SERVICE_NODE_PORT, 'spec.type', 'NodePort', 'opens the port on every node');
  (Array.isArray(obj.spec?.ports) ? obj.spec.ports : []).forEach((p: KubeObject, i: number) => {
    const problem = nodePortProblem(p?.nodePort);
    // The cluster may configure another node port range: outside the default one is a warning; no port at all is an error.
    if (problem) r.report(problem.kind === 'invalid' ? Rules.PORT_INVALID : Rules.NODE_PORT_RANGE, `spec.ports[${i}].nodePort`, p.nodePort, problem.problem);
    if (p?.nodePort !== undefined && (obj.spec?.type ?? 'ClusterIP') === 'ClusterIP') r.report(Rules.SERVICE_INVALID, `spec.ports[${i}].nodePort`, p.nodePort, 'may not be used when type is ClusterIP; the API server refuses the Service');
  });
  for (const d of nodePortDuplicates(ctx.index).get(obj) ?? []) r.report(Rules.NODE_PORT_DUPLICATE, `spec.ports[${d.use.index}].nodePort`, d.use.nodePort, d.problem);
  const etp = externalTrafficPolicyProblem(obj.spec?.type, obj.spec?.externalTrafficPolicy);
  if (etp) r.report(Rules.SERVICE_INVALID, 'spec.externalTrafficPolicy', obj.spec.externalTrafficPolicy, etp);
  if (!obj.spec?.selector || obj.spec?.type === 'ExternalName') return;
  const targets = ctx.index.workloadsSelectedBy(namespaceOf(obj), { matchLabels: obj.spec.selector });
  if (targets.length === 0) {
    ctx.notSeen(Rules.SERVICE_SELECTS_NOTHING, 'spec.selector', obj.spec.selector, 'matches no Pod template of the audited objects');
    return;
  }
  (obj.spec.ports ?? []).forEach((p: KubeObject, i: number) => {
    const target = p.targetPort ?? p.port;
    // A port number need not be declared (the list is informational); a name must resolve.
    if (typeof target !== 'string') return;
    const declared = targets.some(w => containersOf(w.template).some(c => (!c.init || c.container.restartPolicy === 'Always') && (c.container.ports ?? []).some((cp: KubeObject) => cp.name === target)));
    if (!declared) r.report(Rules.SERVICE_TARGET_PORT, `spec.ports[${i}].targetPort`, target, 'no selected container declares a port of that name, so the Service has no endpoint for it');
  });
}

const nodePortCache = new WeakMap<object, Map<KubeObject, ReturnType<typeof duplicateNodePorts>>>();

/** The SW-SVC-007 findings of every Service of the audited set (one deploy group), by Service. */
function nodePortDuplicates(index: CheckContext['index']): Map<KubeObject, ReturnType<typeof duplicateNodePorts>> {
  const cached = nodePortCache.get(index);
  if (cached) return cached;
  const services = index.ofKind('Service');
  const uses: NodePortUse[] = [];
  const owners = new Map<NodePortUse, KubeObject>();
  for (const svc of services) {
    (Array.isArray(svc.spec?.ports) ? svc.spec.ports : []).forEach((p: KubeObject, i: number) => {
      if (nodePortProblem(p?.nodePort)?.kind === 'invalid' || p?.nodePort === undefined) return;
      const use = { service: objectRef(svc), index: i, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP', nodePort: p.nodePort };
      uses.push(use);
      owners.set(use, svc);
    });
  }
  const out = new Map<KubeObject, ReturnType<typeof duplicateNodePorts>>();
  for (const d of duplicateNodePorts(uses)) {
    const svc = owners.get(d.use)!;
    out.set(svc, [...(out.get(svc) ?? []), d]);
  }
  nodePortCache.set(index, out);
  return out;
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
    if (!svc) ctx.notSeen(Rules.INGRESS_BACKEND_MISSING, b.field, b.svc.name, 'names no Service among the audited objects');
    else if (port !== undefined && !(svc.spec?.ports ?? []).some((sp: KubeObject) => sp.port === port || sp.name === port)) r.report(Rules.INGRESS_BACKEND_MISSING, `${b.field}.port`, port, `is not a port of Service "${b.svc.name}"`);
  }
  if (!(obj.spec?.tls?.length)) r.report(Rules.INGRESS_NO_TLS, 'spec.tls', undefined, 'traffic is not encrypted');
}

function batch(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const job = obj.kind === 'CronJob' ? obj.spec?.jobTemplate?.spec ?? {} : obj.spec ?? {};
  const at = obj.kind === 'CronJob' ? 'spec.jobTemplate.spec' : 'spec';
  if (job.ttlSecondsAfterFinished === undefined && obj.kind === 'Job') r.report(Rules.JOB_NO_TTL, `${at}.ttlSecondsAfterFinished`, undefined, 'finished Jobs are never removed');
  if (job.backoffLimit === undefined) r.report(Rules.JOB_NO_BACKOFF, `${at}.backoffLimit`, undefined, 'retries default to 6, with exponential backoff');
  checkJobPolicies(job, ctx.target, r, p => `${at}.${p}`);
  if (obj.kind !== 'CronJob') return;
  const schedule = cronScheduleProblem(obj.spec?.schedule);
  if (schedule) r.report(Rules.CRON_SCHEDULE_INVALID, 'spec.schedule', obj.spec?.schedule, schedule);
  if (obj.spec?.timeZone !== undefined) {
    const zone = timeZoneProblem(obj.spec.timeZone);
    if (zone) r.report(Rules.CRON_TIMEZONE_INVALID, 'spec.timeZone', obj.spec.timeZone, zone);
  }
  if (obj.spec?.startingDeadlineSeconds === undefined) r.report(Rules.CRON_NO_DEADLINE, 'spec.startingDeadlineSeconds', undefined, 'a missed run starts however late it is');
  const deadline = startingDeadlineProblem(obj.spec?.startingDeadlineSeconds);
  if (deadline) r.report(Rules.CRON_DEADLINE_TOO_SHORT, 'spec.startingDeadlineSeconds', obj.spec.startingDeadlineSeconds, deadline);
  if ((obj.spec?.concurrencyPolicy ?? 'Allow') === 'Allow') r.report(Rules.CRON_CONCURRENCY, 'spec.concurrencyPolicy', obj.spec?.concurrencyPolicy ?? '(default: Allow)', 'runs may overlap');
}

/** Each rule of a Role or ClusterRole judged once, knowing whether another rule of the role reads every Secret. */
function role(obj: KubeObject, ctx: CheckContext): void {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const rules: PolicyRuleView[] = list(obj.rules).map(x => {
    const r = (x ?? {}) as KubeObject;
    return { apiGroups: r.apiGroups === undefined ? [''] : list(r.apiGroups), resources: list(r.resources), verbs: list(r.verbs), resourceNames: list(r.resourceNames), nonResourceURLs: list(r.nonResourceURLs) };
  });
  const readsAny = rules.some(readsAnySecret);
  rules.forEach((rule, i) => checkPolicyRule(rule, ctx.reporter, `rules[${i}]`, { readsAnySecret: readsAny }));
}

function namespace(obj: KubeObject, ctx: CheckContext): void {
  if (!obj.metadata?.labels?.['pod-security.kubernetes.io/enforce']) ctx.reporter.report(Rules.PSA_LABELS, 'metadata.labels', obj.metadata?.labels, 'no pod-security.kubernetes.io/enforce label');
}

/** A LimitRange the API server accepts and that does not refuse the containers taking its defaults (SW-NS-001). */
function limitRange(obj: KubeObject, ctx: CheckContext): void {
  (Array.isArray(obj.spec?.limits) ? obj.spec.limits : []).forEach((item: KubeObject, i: number) => {
    for (const p of limitRangeItemProblems(item ?? {}, `spec.limits[${i}]`)) ctx.reporter.report(Rules.LIMIT_RANGE_VIOLATION, p.field, p.value, p.problem);
  });
}

/** Claims (and the claim templates of StatefulSets) within the LimitRange's PersistentVolumeClaim bounds (SW-NS-001). */
function claimLimits(obj: KubeObject, ctx: CheckContext): void {
  const ns = namespaceOf(obj);
  const items = ctx.index.limitRangeItemsIn(ns) as LimitRangeItemLike[];
  if (items.length === 0) return;
  const claims: Array<{ at: string; spec: KubeObject | undefined }> = obj.kind === 'PersistentVolumeClaim' ? [{ at: 'spec', spec: obj.spec }]
    : (Array.isArray(obj.spec?.volumeClaimTemplates) ? obj.spec.volumeClaimTemplates : []).map((c: KubeObject, i: number) => ({ at: `spec.volumeClaimTemplates[${i}].spec`, spec: c?.spec }));
  for (const c of claims) {
    const raw = c.spec?.resources?.requests?.storage;
    const storage = typeof raw === 'string' || typeof raw === 'number' ? parseQuantity(raw) : undefined;
    for (const v of claimLimitViolations(items, storage)) ctx.reporter.report(Rules.LIMIT_RANGE_VIOLATION, `${c.at}.resources.requests.storage`, raw, v.problem);
  }
}

/**
 * The rollout peak of every workload and the objects in the quota's namespace must fit it
 * (SW-NS-002), also while old Pods are still terminating (SW-NS-005); a workload sized by a
 * VerticalPodAutoscaler counts at the VPA's maxAllowed.
 */
function quota(obj: KubeObject, ctx: CheckContext): void {
  const spec: QuotaSpec = obj.spec ?? {};
  for (const p of quotaSpecProblems(spec, 'spec')) ctx.reporter.report(Rules.QUOTA_EXCEEDED, p.field, p.value, p.problem);
  for (const s of quotaShortfalls(spec, namespaceUsages(namespaceOf(obj), ctx))) {
    ctx.reporter.report(s.slowed ? Rules.QUOTA_SLOWED : Rules.QUOTA_EXCEEDED, `spec.hard.${s.key}`, s.quota, s.problem);
  }
}

/** What the objects of `ns` count against its quotas, computed once per namespace and audit. */
function namespaceUsages(ns: string, ctx: CheckContext): QuotaUsage[] {
  const cache = usageCache.get(ctx.index) ?? new Map<string, QuotaUsage[]>();
  usageCache.set(ctx.index, cache);
  const cached = cache.get(ns);
  if (cached) return cached;
  const limitRanges = ctx.index.ofKindIn('LimitRange', ns);
  const usages: QuotaUsage[] = [];
  for (const o of ctx.index.inNamespace(ns)) {
    const ref = objectRef(o);
    const hpa = hpaOf(o, ctx.index);
    const peak = peakPodsOf(o, hpa);
    const native = ctx.target.has(Feature.NATIVE_SIDECARS);
    const terminating = rolloutPeakOf(o, hpa, native)?.addedByTerminating ?? 0;
    const pods = peak === undefined ? undefined : manifestPodUsage(ref, o, peak, limitRanges, native, terminating, vpaOf(o, ctx.index));
    if (pods) usages.push(pods);
    usages.push(...manifestObjectUsages(ref, o, hpa?.spec?.maxReplicas));
  }
  usages.push(...implicitNamespaceUsages(ns, (kind, name) => ctx.index.get(kind, ns, name) !== undefined));
  cache.set(ns, usages);
  return usages;
}

const usageCache = new WeakMap<object, Map<string, QuotaUsage[]>>();

/** A ConfigMap within the API server's 1 MiB (SW-CONFIG-004). */
function configMap(obj: KubeObject, ctx: CheckContext): void {
  const size = configMapSizeProblem(obj.data, obj.binaryData);
  if (size) ctx.reporter.report(Rules.CONFIG_TOO_LARGE, obj.binaryData ? 'data, binaryData' : 'data', `${size.total} bytes`, size.problem);
}

/** A Secret holding values (SW-SECRET-001); keys with no value are filled in by a controller or an operator, not read from Git. */
function secret(obj: KubeObject, ctx: CheckContext): void {
  for (const field of ['data', 'stringData']) {
    const data = obj[field];
    if (!data || typeof data !== 'object') continue;
    const keys = Object.entries(data).filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k]) => k);
    if (keys.length > 0) ctx.reporter.report(Rules.SECRET_DATA, field, keys, 'holds secret values in the manifest (values not shown)');
  }
}

/** The object-level and cross-object checks. */
export const OBJECT_CHECKS: ObjectCheck[] = [
  { rules: [Rules.API_REMOVED, Rules.API_DEPRECATED, Rules.NAME_INVALID, Rules.LABEL_VALUE_INVALID, Rules.OBJECT_DUPLICATE, Rules.WAIVER_INVALID], run: every },
  { rules: [Rules.RECOMMENDED_LABELS, Rules.INGRESS_NOT_ISOLATED, Rules.EGRESS_NOT_ISOLATED, Rules.BARE_POD], run: workload },
  { rules: [Rules.WAIVER_NOT_ON_PODS], run: templateWaivers },
  { rules: [Rules.REPLICAS_TOO_FEW, Rules.SPREAD_MISSING, Rules.PDB_MISSING, Rules.ROLLOUT_NO_PROGRESS, Rules.ROLLOUT_CAPACITY_LOSS, Rules.ROLLOUT_DEADLINE, Rules.STARTUP_BUDGET, Rules.HPA_WITH_REPLICAS, Rules.STS_SERVICE], kinds: ['Deployment', 'StatefulSet'], run: replicated },
  { rules: [Rules.SPREAD_MISSING, Rules.PDB_MISSING], kinds: ['ReplicationController'], run: replicationController },
  { rules: [Rules.PDB_SELECTS_NOTHING, Rules.PDB_ZERO_DISRUPTIONS, Rules.PDB_UNHEALTHY_POLICY], run: pdb },
  { rules: [Rules.HPA_TARGET_MISSING, Rules.HPA_MIN_TOO_LOW, Rules.HPA_RANGE_INVALID, Rules.HPA_TARGET_INVALID, Rules.HPA_BEHAVIOR_INVALID, Rules.HPA_SCALE_DOWN_FLAPPING], run: hpa },
  { rules: [Rules.NETPOL_SELECTS_NOTHING], run: networkPolicy },
  { rules: [Rules.SERVICE_NODE_PORT, Rules.PORT_INVALID, Rules.NODE_PORT_RANGE, Rules.SERVICE_INVALID, Rules.NODE_PORT_DUPLICATE, Rules.SERVICE_SELECTS_NOTHING, Rules.SERVICE_TARGET_PORT], kinds: ['Service'], run: service },
  { rules: [Rules.INGRESS_BACKEND_MISSING, Rules.INGRESS_NO_TLS], run: ingress },
  { rules: [Rules.JOB_NO_TTL, Rules.JOB_NO_BACKOFF, Rules.JOB_POLICY_INVALID, Rules.JOB_DRAIN_COUNTS, Rules.FEATURE_NOT_ON_TARGET, Rules.CRON_SCHEDULE_INVALID, Rules.CRON_TIMEZONE_INVALID, Rules.CRON_NO_DEADLINE, Rules.CRON_DEADLINE_TOO_SHORT, Rules.CRON_CONCURRENCY], kinds: ['Job', 'CronJob'], run: batch },
  { rules: [Rules.RBAC_TOO_BROAD, Rules.RBAC_ESCALATION_VERB], run: role },
  { rules: [Rules.PSA_LABELS], run: namespace },
  { rules: [Rules.QUOTA_EXCEEDED, Rules.QUOTA_SLOWED], run: quota },
  { rules: [Rules.LIMIT_RANGE_VIOLATION], kinds: ['LimitRange'], run: limitRange },
  { rules: [Rules.LIMIT_RANGE_VIOLATION], kinds: ['PersistentVolumeClaim', 'StatefulSet'], run: claimLimits },
  { rules: [Rules.CONFIG_TOO_LARGE], run: configMap },
  { rules: [Rules.SECRET_DATA], run: secret },
];
