import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  BarePod, BatchJob, ClaimRetention, CronTask, Findings, JobRestartPolicy, NodeAgent, PodVolume, Probe, SeaworthyError,
  StatefulService, Waiver, Worker,
} from '../src';
import { SMALL } from './support/fixtures';
import { podSpecOf, pssRestrictedViolations, qosOf, wiringProblems } from './support/pod-checks';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

function errorIds(build: () => unknown): string[] {
  const e = thrownBy(build);
  expect(e).toBeInstanceOf(SeaworthyError);
  return (e as SeaworthyError).ruleIds;
}

describe('Worker', () => {
  const props = { name: 'consumer', image: 'ghcr.io/acme/consumer:2.0.1', size: SMALL, liveness: Probe.exec(['/app/healthcheck']) };

  test('a Deployment with PDB, NetworkPolicy with no ingress, ServiceAccount, and no Service', () => {
    const { chart } = newChart('q');
    const w = new Worker(chart, 'w', props);
    const objects = synthValid(chart);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual(['Deployment/consumer', 'NetworkPolicy/consumer-netpol', 'PodDisruptionBudget/consumer-pdb', 'ServiceAccount/consumer']);
    const np = only(objects, 'NetworkPolicy');
    expect(np.spec.ingress).toBeUndefined();
    expect(np.spec.policyTypes).toContain('Ingress');
    const pod = podSpecOf(only(objects, 'Deployment'))!;
    expect(pod.containers[0].livenessProbe.exec.command).toEqual(['/app/healthcheck']);
    expect(pod.containers[0].lifecycle).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBe(20);
    expect(qosOf(pod)).toBe('Guaranteed');
    expect(w.qosClass).toBe('Guaranteed');
    expect(pssRestrictedViolations(pod)).toEqual([]);
    expect(only(objects, 'Deployment').metadata.labels['app.kubernetes.io/component']).toBe('worker');
    expect(wiringProblems(objects)).toEqual([]);
  });

  test('autoscaling on queue length through an External metric', () => {
    const { chart } = newChart('q');
    new Worker(chart, 'w', { ...props, autoscaling: { maxReplicas: 20, metrics: [kplus.Metric.external({ name: 'queue_messages_ready', target: kplus.MetricTarget.averageValue(30) })] } });
    const hpa = only(synthValid(chart), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics).toEqual([{ type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '30' } } }]);
  });

  test('SW-PROBE-005: a worker without liveness fails; with it, passes', () => {
    const { chart } = newChart();
    expect(errorIds(() => new Worker(chart, 'w', { ...props, liveness: undefined as unknown as Probe }))).toEqual(['SW-PROBE-005']);
  });
});

describe('StatefulService', () => {
  const props = {
    name: 'db', image: 'postgres:16.2', port: 5432, portName: 'postgres', size: SMALL,
    readiness: Probe.exec(['pg_isready', '-U', 'postgres']),
    liveness: Probe.tcp(),
    volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: Size.gibibytes(20), storageClassName: 'fast-retain' }],
  };

  test('StatefulSet with claims, headless and client Services, PDB, longer node-failure tolerance', () => {
    const { chart } = newChart('data');
    const db = new StatefulService(chart, 'db', props);
    const objects = synthValid(chart);
    expect(objects.map(o => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'NetworkPolicy/db-netpol', 'PodDisruptionBudget/db-pdb', 'Service/db', 'Service/db-headless', 'ServiceAccount/db', 'StatefulSet/db',
    ]);
    const sts = only(objects, 'StatefulSet');
    expect(sts.spec).toMatchObject({
      replicas: 3, serviceName: 'db-headless', podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    expect(sts.spec.volumeClaimTemplates).toEqual([{
      metadata: { name: 'data', labels: db.selectorLabels },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast-retain', resources: { requests: { storage: '20Gi' } } },
    }]);
    const pod = podSpecOf(sts)!;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(pod.containers[0].ports).toEqual([{ name: 'postgres', containerPort: 5432, protocol: 'TCP' }]);
    expect(pod.containers[0].livenessProbe.tcpSocket.port).toBe('postgres');
    expect(pod.tolerations).toEqual([
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 600 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 600 },
    ]);
    expect(pod.topologySpreadConstraints).toHaveLength(2);
    const headless = only(objects, 'Service', 'db-headless');
    expect(headless.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: db.selectorLabels });
    expect(only(objects, 'Service', 'db').spec.ports).toEqual([{ name: 'postgres', port: 5432, targetPort: 5432, protocol: 'TCP' }]);
    expect(sts.spec.selector.matchLabels).toEqual(db.selectorLabels);
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io');
    expect(pssRestrictedViolations(pod)).toEqual([]);
    expect(wiringProblems(objects)).toEqual([]);
  });

  test('partition, Parallel management, Delete retention, no client Service', () => {
    const { chart } = newChart();
    new StatefulService(chart, 'db', { ...props, replicas: 5, partition: 3, podManagementPolicy: kplus.PodManagementPolicy.PARALLEL, claimRetention: ClaimRetention.DELETE, clientService: false, nodeFailureTolerance: Duration.minutes(30) });
    const objects = synthValid(chart);
    const sts = only(objects, 'StatefulSet');
    expect(sts.spec).toMatchObject({ replicas: 5, podManagementPolicy: 'Parallel', updateStrategy: { rollingUpdate: { partition: 3 } }, persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } });
    expect(objects.filter(o => o.kind === 'Service').map(o => o.metadata.name)).toEqual(['db-headless']);
    expect(podSpecOf(sts)!.tolerations[0].tolerationSeconds).toBe(1800);
  });

  test('SW-STS-001: bad claims and partition', () => {
    const { chart } = newChart();
    expect(errorIds(() => new StatefulService(chart, 'db', { ...props, partition: 4, volumeClaims: [{ name: 'Data', mountPath: 'data', size: Size.gibibytes(0) }] })).sort())
      .toEqual(['SW-STS-001', 'SW-STS-001', 'SW-STS-001', 'SW-STS-001']);
  });
});

describe('NodeAgent', () => {
  const props = { name: 'node-exporter', image: 'quay.io/prometheus/node-exporter:v1.8.0', size: SMALL, extraPorts: [{ name: 'metrics', port: 9100 }] };

  test('a DaemonSet with a bounded rolling update and no spread; PSS restricted without host access', () => {
    const { chart } = newChart('monitoring');
    new NodeAgent(chart, 'agent', props);
    const objects = synthValid(chart);
    const ds = only(objects, 'DaemonSet');
    expect(ds.spec.updateStrategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    const pod = podSpecOf(ds)!;
    expect(pod.topologySpreadConstraints).toBeUndefined();
    expect(pod.affinity).toBeUndefined();
    expect(ds.spec.template.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100', 'prometheus.io/path': '/metrics' });
    expect(pssRestrictedViolations(pod)).toEqual([]);
  });

  test('host access only under recorded waivers, tolerating all taints', () => {
    const { app, chart } = newChart('logging');
    const agent = new NodeAgent(chart, 'agent', {
      ...props,
      tolerateAllTaints: true,
      hostNetwork: true,
      mounts: [{ volume: PodVolume.hostPath('proc', '/proc'), path: '/host/proc' }],
      waivers: [Waiver.of('SW-SEC-004', 'reads /proc of the node for host metrics'), Waiver.of('SW-SEC-005', 'exposes node metrics on the node IP')],
    });
    const objects = synthValid(chart);
    const ds = only(objects, 'DaemonSet');
    const pod = podSpecOf(ds)!;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.dnsPolicy).toBe('ClusterFirstWithHostNet');
    expect(pod.tolerations).toEqual([{ operator: 'Exists' }]);
    expect(pod.volumes).toContainEqual({ name: 'proc', hostPath: { path: '/proc' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'proc', mountPath: '/host/proc', readOnly: true });
    expect(JSON.parse(ds.metadata.annotations['seaworthy.dev/waivers'])).toEqual([
      { rule: 'SW-SEC-004', reason: 'reads /proc of the node for host metrics' },
      { rule: 'SW-SEC-005', reason: 'exposes node metrics on the node IP' },
    ]);
    // The audit's manifest rules run at synth too: a DaemonSet without a liveness probe (SW-PROBE-006).
    expect(Findings.of(app).map(f => `${f.rule.id} ${f.severity}`)).toEqual(['SW-SEC-005 info', 'SW-SEC-004 info', 'SW-PROBE-006 warning']);
    expect(agent.usesHostAccess).toBe(true);
    expect(pssRestrictedViolations(pod).sort()).toEqual(['pod: hostNetwork', 'pod: volume proc of type hostPath']);
  });

  test('SW-SEC-004 and SW-SEC-005 without waivers', () => {
    const { chart } = newChart();
    expect(errorIds(() => new NodeAgent(chart, 'a', { ...props, hostNetwork: true, mounts: [{ volume: PodVolume.hostPath('logs', '/var/log'), path: '/var/log' }] })).sort())
      .toEqual(['SW-SEC-004', 'SW-SEC-005']);
  });

  test('SW-WAIVER-001: a waiver without a reason or for an unknown rule', () => {
    const { chart } = newChart();
    expect(errorIds(() => new NodeAgent(chart, 'a', { ...props, waivers: [Waiver.of('SW-SEC-004', ' '), Waiver.of('SW-NOPE-001', 'x')] })))
      .toEqual(['SW-WAIVER-001', 'SW-WAIVER-001']);
  });
});

describe('BatchJob', () => {
  test('a bounded Job: completions, parallelism, backoff, deadline, TTL; no selector, no probes required', () => {
    const { chart } = newChart('jobs');
    const job = new BatchJob(chart, 'migrate', {
      name: 'migrate', image: 'ghcr.io/acme/migrate:3.1.0', size: SMALL,
      completions: 4, parallelism: 2, backoffLimit: 1, activeDeadline: Duration.minutes(30), ttlAfterFinished: Duration.hours(6), restartPolicy: JobRestartPolicy.ON_FAILURE,
    });
    const objects = synthValid(chart);
    const spec = only(objects, 'Job').spec;
    expect(spec).toMatchObject({ completions: 4, parallelism: 2, backoffLimit: 1, activeDeadlineSeconds: 1800, ttlSecondsAfterFinished: 21600 });
    expect(spec.selector).toBeUndefined();
    expect(spec.template.spec.restartPolicy).toBe('OnFailure');
    expect(spec.template.spec.affinity).toBeUndefined();
    expect(job.peakPods).toBe(2);
    expect(pssRestrictedViolations(spec.template.spec)).toEqual([]);
    expect(objects.map(o => o.kind).sort()).toEqual(['Job', 'NetworkPolicy', 'ServiceAccount']);
  });

  test('defaults: 1 completion, 3 retries, 1 hour deadline, 1 day TTL, restartPolicy Never', () => {
    const { chart } = newChart();
    new BatchJob(chart, 'j', { name: 'j', image: 'a:1', size: SMALL });
    expect(only(synthValid(chart), 'Job').spec).toMatchObject({ completions: 1, parallelism: 1, backoffLimit: 3, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400, template: { spec: { restartPolicy: 'Never' } } });
  });

  test('SW-JOB-001: invalid counts and durations', () => {
    const { chart } = newChart();
    expect(errorIds(() => new BatchJob(chart, 'j', { name: 'j', image: 'a:1', size: SMALL, completions: 0, parallelism: 1.5, backoffLimit: -1, ttlAfterFinished: Duration.millis(10) })))
      .toEqual(['SW-JOB-001', 'SW-JOB-001', 'SW-JOB-001', 'SW-JOB-001']);
  });
});

describe('CronTask', () => {
  const props = { name: 'nightly', image: 'ghcr.io/acme/report:1.0.0', size: SMALL, schedule: '30 2 * * 1-5' };

  test('Forbid concurrency, a starting deadline and an explicit time zone by default', () => {
    const { chart } = newChart('jobs');
    new CronTask(chart, 'c', props);
    const cron = only(synthValid(chart), 'CronJob');
    expect(cron.spec).toMatchObject({
      schedule: '30 2 * * 1-5', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 300,
      successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 3, suspend: false,
      jobTemplate: { spec: { backoffLimit: 3, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400 } },
    });
    expect(pssRestrictedViolations(cron.spec.jobTemplate.spec.template.spec)).toEqual([]);
    expect(qosOf(cron.spec.jobTemplate.spec.template.spec)).toBe('Guaranteed');
  });

  test('macros, time zones, suspend and history limits', () => {
    const { chart } = newChart();
    new CronTask(chart, 'c', { ...props, schedule: '@weekly', timeZone: 'Europe/Berlin', suspend: true, successfulJobsHistory: 1, failedJobsHistory: 5, concurrencyPolicy: kplus.ConcurrencyPolicy.REPLACE });
    expect(only(synthValid(chart), 'CronJob').spec).toMatchObject({ schedule: '@weekly', timeZone: 'Europe/Berlin', suspend: true, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5, concurrencyPolicy: 'Replace' });
  });

  test.each(['* * * *', '60 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', '5-1 * * * *', 'CRON_TZ=UTC 0 0 * * *', '@often', '*/0 * * * *'])('SW-CRON-001: "%s"', schedule => {
    const { chart } = newChart();
    expect(errorIds(() => new CronTask(chart, 'c', { ...props, schedule }))).toEqual(['SW-CRON-001']);
  });

  test.each(['0 0 * * *', '*/15 9-17 * * MON-FRI', '0 0 1,15 JAN,JUL *', '0 12 * * 7', '@hourly'])('accepts "%s"', schedule => {
    const { chart } = newChart();
    new CronTask(chart, 'c', { ...props, schedule });
    expect(only(synthValid(chart), 'CronJob').spec.schedule).toBe(schedule);
  });

  test('SW-CRON-002: unknown time zone', () => {
    const { chart } = newChart();
    expect(errorIds(() => new CronTask(chart, 'c', { ...props, timeZone: 'Mars/Olympus' }))).toEqual(['SW-CRON-002']);
  });

  test.each([['utc', 'UTC'], ['etc/utc', 'Etc/UTC'], ['europe/berlin', 'Europe/Berlin']])('SW-CRON-002: "%s" is spelled "%s" (the API server matches case)', (zone, spelled) => {
    const { chart } = newChart();
    expect(() => new CronTask(chart, 'c', { ...props, timeZone: zone })).toThrow(`SW-CRON-002 [test/c] timeZone = "${zone}": is spelled "${spelled}" in the tz database`);
  });

  test.each(['UTC', 'US/Pacific', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires'])('accepts time zone "%s"', timeZone => {
    const { chart } = newChart();
    new CronTask(chart, 'c', { ...props, timeZone });
    expect(only(synthValid(chart), 'CronJob').spec.timeZone).toBe(timeZone);
  });
});

describe('BarePod', () => {
  test('hardened, without the construct-path label, with warning SW-POD-001', () => {
    const { app, chart } = newChart('debug');
    new BarePod(chart, 'p', { name: 'debug-shell', image: 'busybox:1.36', size: SMALL, command: ['sleep', '3600'] });
    const pod = only(synthValid(chart), 'Pod');
    expect(pod.metadata.labels).not.toHaveProperty(['cdk8s.io/metadata.addr']);
    expect(pod.metadata.labels['app.kubernetes.io/name']).toBe('debug-shell');
    expect(pssRestrictedViolations(pod.spec)).toEqual([]);
    expect(qosOf(pod.spec)).toBe('Guaranteed');
    expect(Findings.of(app).map(f => f.rule.id)).toEqual(['SW-POD-001']);
  });
});

describe('every workload kind', () => {
  test('all objects validate and every pod is Guaranteed and PSS restricted', () => {
    const { chart } = newChart('all');
    new Worker(chart, 'w', { name: 'w', image: 'a:1', size: SMALL, liveness: Probe.exec(['true']) });
    new StatefulService(chart, 's', { name: 's', image: 'a:1', port: 6379, size: SMALL, readiness: Probe.tcp() });
    new NodeAgent(chart, 'n', { name: 'n', image: 'a:1', size: SMALL });
    new BatchJob(chart, 'b', { name: 'b', image: 'a:1', size: SMALL });
    new CronTask(chart, 'c', { name: 'c', image: 'a:1', size: SMALL, schedule: '@daily' });
    const objects = synthValid(chart);
    const pods = objects.map(o => podSpecOf(o)).filter((p): p is KubeObject => p !== undefined);
    expect(pods).toHaveLength(5);
    for (const p of pods) {
      expect(qosOf(p)).toBe('Guaranteed');
      expect(pssRestrictedViolations(p)).toEqual([]);
    }
    expect(wiringProblems(objects)).toEqual([]);
  });
});
