import { batch, labelsOf, NS, podSpec, selectorOf, web } from './base';
import { Obj, RuleFixture } from './fixture';
import { onManifests, onWeb } from './manifest';

const hpa = (spec: Obj = {}): Obj => ({
  apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'api', namespace: NS },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, minReplicas: 3, maxReplicas: 6,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }], ...spec,
  },
});
/** The WebService base autoscaled by `hpa(spec)`: the Deployment leaves replicas to it. */
const autoscaled = (spec: Obj = {}, edit: Obj = {}): Obj[] => web(s => { delete s.deployment.spec.replicas; Object.assign(s.deployment.spec, edit); }, [hpa(spec)]);

const vpa = (spec: Obj = {}): Obj => ({
  apiVersion: 'autoscaling.k8s.io/v1', kind: 'VerticalPodAutoscaler', metadata: { name: 'api', namespace: NS },
  spec: {
    targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, updatePolicy: { updateMode: 'Recreate' },
    resourcePolicy: { containerPolicies: [{ containerName: '*', controlledValues: 'RequestsAndLimits', minAllowed: { cpu: '250m', memory: '256Mi' }, maxAllowed: { cpu: '2', memory: '2Gi' } }] }, ...spec,
  },
});
const policy = (p: Obj): Obj => ({ resourcePolicy: { containerPolicies: [{ containerName: '*', controlledValues: 'RequestsAndLimits', minAllowed: { cpu: '250m', memory: '256Mi' }, maxAllowed: { cpu: '2', memory: '2Gi' }, ...p }] } });

const statefulSet = (edit: (sts: Obj) => void = () => undefined, headless = true): Obj[] => {
  const sts: Obj = {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: NS, labels: labelsOf('db') },
    spec: { replicas: 3, serviceName: 'db-headless', selector: { matchLabels: selectorOf('db') }, template: { metadata: { labels: labelsOf('db') }, spec: podSpec('db', 5432) } },
  };
  edit(sts);
  const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db-headless', namespace: NS }, spec: { clusterIP: headless ? 'None' : undefined, selector: selectorOf('db'), ports: [{ name: 'pg', port: 5432, targetPort: 5432 }] } };
  const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db-pdb', namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf('db') }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } };
  const netpol = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'db', namespace: NS }, spec: { podSelector: { matchLabels: selectorOf('db') }, policyTypes: ['Ingress', 'Egress'] } };
  return JSON.parse(JSON.stringify([sts, service, pdb, netpol, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'db', namespace: NS }, automountServiceAccountToken: false }]));
};

const pod = (): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: NS, labels: labelsOf('api') }, spec: podSpec('api') });

/**
 * The WebService base plus a canary Deployment of the same app; with `tracked`, both select
 * their own track label, else the stable selector also takes the canary's Pods.
 */
const tracks = (tracked: boolean): Obj[] => {
  const track = (objects: Obj[], name: string): Obj => {
    const d = objects.find(o => o.kind === 'Deployment')!;
    d.metadata.name = name === 'stable' ? 'api' : `api-${name}`;
    d.spec.template.metadata.labels['seaworthy.dev/track'] = name;
    if (tracked) d.spec.selector.matchLabels['seaworthy.dev/track'] = name;
    return d;
  };
  const stable = web();
  return [...stable.filter(o => o.kind !== 'Deployment'), track(stable, 'stable'), track(web(), 'canary')];
};

/** Availability, rollouts, autoscaling, Jobs and CronJobs, StatefulSets, release tracks. */
export const WORKLOAD_FIXTURES: readonly RuleFixture[] = [
  // Availability
  onWeb('SW-PDB-001', s => { s.pdb.spec = { minAvailable: 3, selector: s.pdb.spec.selector }; }, s => { s.pdb.spec = { minAvailable: 2, selector: s.pdb.spec.selector }; }),
  onWeb('SW-PDB-003', s => { (s as { pdb?: Obj }).pdb = undefined; }),
  onWeb('SW-PDB-004', s => { s.pdb.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'apii' }; }),
  onWeb('SW-PDB-005', s => { delete s.pdb.spec.unhealthyPodEvictionPolicy; }),
  onWeb('SW-SPREAD-001', s => { s.pod.topologySpreadConstraints[0].maxSkew = 0; }),
  onWeb('SW-SPREAD-002', s => { delete s.pod.topologySpreadConstraints; delete s.pod.affinity; }),
  onWeb('SW-REPLICAS-002', s => { s.deployment.spec.replicas = 1; }, s => { s.deployment.spec.replicas = 2; }),
  onManifests('SW-POD-001', [...web(), pod()], web()),
  // Rollouts
  onWeb('SW-ROLLOUT-001', s => { s.deployment.spec.strategy.rollingUpdate = { maxSurge: 0, maxUnavailable: 0 }; }),
  onWeb('SW-ROLLOUT-002', s => { s.deployment.spec.minReadySeconds = 700; }),
  onWeb('SW-ROLLOUT-003', s => { s.deployment.spec.strategy = { type: 'Recreate' }; }),
  onWeb('SW-ROLLOUT-004', s => { s.c.startupProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10, failureThreshold: 90 }; },
    s => { s.c.startupProbe = { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 10, failureThreshold: 30 }; }),
  // Horizontal autoscaling
  onManifests('SW-HPA-001', autoscaled({ minReplicas: 1 }), autoscaled()),
  onManifests('SW-HPA-002', autoscaled({ minReplicas: 3, maxReplicas: 3 }), autoscaled()),
  onManifests('SW-HPA-003', autoscaled({ metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 170 } } }] }), autoscaled()),
  onManifests('SW-HPA-004', web(() => undefined, [hpa()]), autoscaled()),
  onManifests('SW-HPA-005', autoscaled({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'apii' } }), autoscaled()),
  onManifests('SW-HPA-006', autoscaled({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 0, periodSeconds: 60 }] } } }), autoscaled({ behavior: { scaleUp: { policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] } } })),
  onManifests('SW-HPA-007', autoscaled({ behavior: { scaleDown: { stabilizationWindowSeconds: 10 } } }), autoscaled({ behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } })),
  // Vertical autoscaling
  onManifests('SW-VPA-001', autoscaled({}, {}).concat([vpa()]), autoscaled({ metrics: [{ type: 'Pods', pods: { metric: { name: 'requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } }] }).concat([vpa()])),
  onManifests('SW-VPA-002', web(() => undefined, [vpa(policy({ controlledValues: 'RequestsOnly' }))]), web(() => undefined, [vpa()])),
  onManifests('SW-VPA-003', web(s => { s.pdb.spec = { maxUnavailable: 0, selector: s.pdb.spec.selector }; }, [vpa()]), web(() => undefined, [vpa()])),
  onManifests('SW-VPA-004', web(() => undefined, [vpa(policy({ minAllowed: { cpu: '4', memory: '256Mi' } }))]), web(() => undefined, [vpa()])),
  onManifests('SW-VPA-005', web(() => undefined, [vpa(policy({ maxAllowed: undefined }))]), web(() => undefined, [vpa()])),
  // Jobs and CronJobs
  onManifests('SW-CRON-001', batch('CronJob', j => { j.spec.schedule = '0 0 * * 8'; }), batch('CronJob')),
  onManifests('SW-CRON-002', batch('CronJob', j => { j.spec.timeZone = 'Mars/Olympus'; }), batch('CronJob', j => { j.spec.timeZone = 'Europe/Berlin'; })),
  onManifests('SW-CRON-003', batch('CronJob', j => { delete j.spec.startingDeadlineSeconds; }), batch('CronJob')),
  onManifests('SW-CRON-004', batch('CronJob', j => { j.spec.concurrencyPolicy = 'Allow'; }), batch('CronJob', j => { j.spec.concurrencyPolicy = 'Replace'; })),
  onManifests('SW-CRON-005', batch('CronJob', j => { j.spec.startingDeadlineSeconds = 5; }), batch('CronJob', j => { j.spec.startingDeadlineSeconds = 10; })),
  onManifests('SW-JOB-002', batch('Job', j => { delete j.spec.ttlSecondsAfterFinished; }), batch('Job')),
  onManifests('SW-JOB-003', batch('Job', j => { delete j.spec.backoffLimit; delete j.spec.activeDeadlineSeconds; }), batch('Job')),
  onManifests('SW-JOB-004', batch('Job', j => { j.spec.podFailurePolicy.rules.push({ action: 'FailJob', onExitCodes: { operator: 'In', values: [0] } }); }),
    batch('Job', j => { j.spec.podFailurePolicy.rules.push({ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] } }); })),
  onManifests('SW-JOB-005', batch('Job', j => { delete j.spec.podFailurePolicy; }), batch('Job')),
  // StatefulSets
  onManifests('SW-STS-002', statefulSet(() => undefined, false), statefulSet()),
  // Release tracks
  onManifests('SW-TRACK-001', tracks(false), tracks(true)),
  onManifests('SW-TRACK-002', web(s => {
    s.pdb.spec.selector.matchLabels = { 'app.kubernetes.io/name': 'api' };
  }, [{ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api-pdb-2', namespace: NS }, spec: { maxUnavailable: 1, selector: { matchLabels: selectorOf('api') }, unhealthyPodEvictionPolicy: 'AlwaysAllow' } }]), web()),
];
