import {
  audit, Findings, LabelRequirement, PodAffinityTerm, PreemptionPolicy, PriorityClass, SeaworthyError, Severity, TaintEffect, Waiver, WebService,
} from '../src';
import { podSpecOf } from './support/pod-checks';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

function podOf(overrides: Parameters<typeof apiProps>[0]): { pod: KubeObject; objects: KubeObject[]; app: ReturnType<typeof newChart>['app'] } {
  const { app, chart } = newChart('shop');
  new WebService(chart, 'api', apiProps(overrides));
  const objects = synthValid(chart);
  return { pod: podSpecOf(only(objects, 'Deployment'))!, objects, app };
}

function errorsOf(overrides: Parameters<typeof apiProps>[0]): Array<[string, string, unknown]> {
  const { chart } = newChart('shop');
  const e = thrownBy(() => new WebService(chart, 'api', apiProps(overrides)));
  expect(e).toBeInstanceOf(SeaworthyError);
  return (e as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.value]);
}

const auditOf = (objects: object[], id: string) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === id).map(f => [f.field, f.value, f.severity]);

describe('pod (anti-)affinity with matchExpressions', () => {
  test('the notes\' frontend-near-backend example: required affinity on a set of apps, preferred anti-affinity on a tier', () => {
    const { pod } = podOf({
      scheduling: {
        podAffinity: [PodAffinityTerm.matching([LabelRequirement.in('app.kubernetes.io/name', ['backend', 'cache'])])],
        podAntiAffinity: [PodAffinityTerm.matching([LabelRequirement.exists('batch'), LabelRequirement.notIn('tier', ['frontend'])], { weight: 50, topologyKey: 'topology.kubernetes.io/zone' })],
      },
    });
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{
      labelSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['backend', 'cache'] }] },
      topologyKey: 'kubernetes.io/hostname',
    }]);
    expect(pod.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[1]).toEqual({
      weight: 50,
      podAffinityTerm: {
        labelSelector: { matchExpressions: [{ key: 'batch', operator: 'Exists' }, { key: 'tier', operator: 'NotIn', values: ['frontend'] }] },
        topologyKey: 'topology.kubernetes.io/zone',
      },
    });
  });

  test('matchLabels terms render as before', () => {
    const { pod } = podOf({ scheduling: { podAffinity: [PodAffinityTerm.withLabels({ app: 'cache' })] } });
    expect(pod.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual([{ labelSelector: { matchLabels: { app: 'cache' } }, topologyKey: 'kubernetes.io/hostname' }]);
  });

  test('SW-SCHED-001: malformed requirements and terms name the term', () => {
    expect(errorsOf({ scheduling: { podAffinity: [PodAffinityTerm.matching([LabelRequirement.in('app', [])])] } }).map(e => e.slice(0, 2))).toEqual([['SW-SCHED-001', 'scheduling.podAffinity[0]']]);
    expect(errorsOf({ scheduling: { podAntiAffinity: [PodAffinityTerm.matching([LabelRequirement.exists('Bad Key')])] } }).map(e => e.slice(0, 2))).toEqual([['SW-SCHED-001', 'scheduling.podAntiAffinity[0]']]);
    expect(errorsOf({ scheduling: { podAffinity: [PodAffinityTerm.matching([])] } }).map(e => e.slice(0, 2))).toEqual([['SW-SCHED-001', 'scheduling.podAffinity[0]']]);
    expect(errorsOf({ scheduling: { podAffinity: [{ labels: { app: 'x' } } as never] } }).map(e => e.slice(0, 2))).toEqual([['SW-SCHED-001', 'scheduling.podAffinity[0]']]);
    expect(errorsOf({ scheduling: { podAffinity: [PodAffinityTerm.matching([LabelRequirement.in('app', ['not valid!'])])] } }).map(e => e.slice(0, 2))).toEqual([['SW-SCHED-001', 'scheduling.podAffinity[0]']]);
  });
});

describe('dedicated nodes', () => {
  test('the existing form: one key and value for taint and label', () => {
    const { pod } = podOf({ scheduling: { dedicatedNodes: { key: 'dedicated', value: 'ssd' } } });
    expect(pod.nodeSelector).toEqual({ dedicated: 'ssd' });
    expect(pod.tolerations).toEqual([{ key: 'dedicated', operator: 'Equal', value: 'ssd', effect: 'NoSchedule' }]);
  });

  test('the general form: a GPU pool whose taint and label differ', () => {
    const { pod } = podOf({ scheduling: { dedicatedNodes: { key: 'nvidia.com/gpu', value: 'present', labelKey: 'cloud.google.com/gke-accelerator', labelValue: 'nvidia-l4' } } });
    expect(pod.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
  });

  test('a PreferNoSchedule taint is tolerated with its own effect', () => {
    const { pod } = podOf({ scheduling: { dedicatedNodes: { key: 'special', value: 'true', taintEffect: TaintEffect.PREFER_NO_SCHEDULE } } });
    expect(pod.tolerations).toEqual([{ key: 'special', operator: 'Equal', value: 'true', effect: 'PreferNoSchedule' }]);
  });

  test('SW-SCHED-001: malformed keys, values and effects', () => {
    expect(errorsOf({ scheduling: { dedicatedNodes: { key: 'gpu nodes', value: 'x' } } })).toEqual([['SW-SCHED-001', 'scheduling.dedicatedNodes.key', '"gpu nodes"'], ['SW-SCHED-001', 'scheduling.dedicatedNodes.labelKey', '"gpu nodes"']]);
    expect(errorsOf({ scheduling: { dedicatedNodes: { key: 'gpu', value: 'x', labelValue: 'a b' } } })).toEqual([['SW-SCHED-001', 'scheduling.dedicatedNodes.labelValue', '"a b"']]);
    expect(errorsOf({ scheduling: { dedicatedNodes: { key: 'gpu', value: 'x', taintEffect: 'Evict' as never } } })).toEqual([['SW-SCHED-001', 'scheduling.dedicatedNodes.taintEffect', '"Evict"']]);
  });
});

describe('nodeName only under a waiver (SW-SCHED-002)', () => {
  test('without a waiver, nodeName is refused', () => {
    expect(errorsOf({ replicas: 1, scheduling: { nodeName: 'master' } })).toEqual([['SW-SCHED-002', 'scheduling.nodeName', '"master"']]);
  });

  test('with a waiver, it renders, the waiver is recorded, and the audit accepts the output', () => {
    const { pod, objects, app } = podOf({ replicas: 1, scheduling: { nodeName: 'master' }, waivers: [Waiver.of('SW-SCHED-002', 'the redis of the notes keeps its data on master\'s local disk')] });
    expect(pod.nodeName).toBe('master');
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-SCHED-002').map(f => f.severity)).toEqual([Severity.INFO]);
    expect(audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-SCHED-002').map(f => f.severity)).toEqual([Severity.INFO]);
  });

  test('a malformed node name is SW-SCHED-001', () => {
    expect(errorsOf({ scheduling: { nodeName: 'Node_1' } })).toEqual([['SW-SCHED-001', 'scheduling.nodeName', '"Node_1"']]);
  });
});

describe('PriorityClass', () => {
  test('non-preempting and not the global default by default; workloads name it', () => {
    const { app, chart } = newChart();
    const pc = new PriorityClass(chart, 'critical', { name: 'business-critical', value: 100000, description: 'Customer-facing APIs' });
    new WebService(chart, 'api', apiProps({ scheduling: { priorityClassName: pc.name } }));
    const objects = synthValid(chart);
    // globalDefault: false is left out, as the API server stores it (omitempty).
    expect(only(objects, 'PriorityClass')).toEqual({
      apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass',
      metadata: { name: 'business-critical', labels: { 'app.kubernetes.io/managed-by': 'seaworthy' } },
      value: 100000, preemptionPolicy: 'Never', description: 'Customer-facing APIs',
    });
    expect(pc.globalDefault).toBe(false);
    expect(podSpecOf(only(objects, 'Deployment'))!.priorityClassName).toBe('business-critical');
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-PRIO'))).toEqual([]);
    expect(audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith('SW-PRIO'))).toEqual([]);
  });

  test('SW-PRIO-003: preempting is an explicit choice, reported as info', () => {
    const { app, chart } = newChart();
    new PriorityClass(chart, 'p', { name: 'batch-urgent', value: 1000, preemptionPolicy: PreemptionPolicy.PREEMPT_LOWER_PRIORITY });
    expect(only(synthValid(chart), 'PriorityClass').preemptionPolicy).toBe('PreemptLowerPriority');
    expect(Findings.of(app).map(f => [f.rule.id, f.severity])).toEqual([['SW-PRIO-003', Severity.INFO]]);
  });

  test('SW-PRIO-001: reserved names, out-of-range values and unknown policies fail', () => {
    const fail = (props: object) => {
      const e = thrownBy(() => new PriorityClass(newChart().chart, 'p', props as never));
      expect(e).toBeInstanceOf(SeaworthyError);
      return (e as SeaworthyError).findings.map(f => [f.rule.id, f.field]);
    };
    expect(fail({ name: 'system-mine', value: 1 })).toEqual([['SW-PRIO-001', 'name']]);
    expect(fail({ name: 'Bad', value: 1 })).toEqual([['SW-PRIO-001', 'name']]);
    expect(fail({ name: 'x', value: 2_000_000_000 })).toEqual([['SW-PRIO-001', 'value']]);
    expect(fail({ name: 'x', value: 1.5 })).toEqual([['SW-PRIO-001', 'value']]);
    expect(fail({ name: 'x', value: 1, preemptionPolicy: 'Always' })).toEqual([['SW-PRIO-001', 'preemptionPolicy']]);
    expect(fail({ name: 'x', value: 1, globalDefault: 'yes' })).toEqual([['SW-PRIO-001', 'globalDefault']]);
  });

  test('the audit: SW-PRIO-001 on YAML, SW-PRIO-002 on a second global default, SW-PRIO-003 on the preempting default', () => {
    const pc = (name: string, extra: object) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value: 10, preemptionPolicy: 'Never', ...extra });
    expect(auditOf([pc('system-x', {})], 'SW-PRIO-001')).toEqual([['metadata.name', '"system-x"', Severity.ERROR]]);
    expect(auditOf([pc('x', { value: 1e10 })], 'SW-PRIO-001')).toEqual([['value', '10000000000', Severity.ERROR]]);
    expect(auditOf([pc('a', { globalDefault: true }), pc('b', { globalDefault: true })], 'SW-PRIO-002')).toEqual([['globalDefault', 'true', Severity.ERROR]]);
    expect(auditOf([pc('a', { globalDefault: true }), pc('b', { globalDefault: false })], 'SW-PRIO-002')).toEqual([]);
    expect(auditOf([pc('a', { preemptionPolicy: undefined })], 'SW-PRIO-003')).toEqual([['preemptionPolicy', '"(default: PreemptLowerPriority)"', Severity.INFO]]);
  });

  test('the notes\' nodeName example fails the audit without a waiver', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' }, spec: { replicas: 1, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { nodeName: 'master', containers: [{ name: 'c', image: 'redis:7.2' }] } } } };
    expect(auditOf([deployment], 'SW-SCHED-002')).toEqual([['spec.template.spec.nodeName', '"master"', Severity.ERROR]]);
  });
});
