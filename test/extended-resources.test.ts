import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, explain, HugePageSize, renderExplanation, PodVolume, Probe, SeaworthyError, Severity, Tenant, WebService, Worker } from '../src';
import { podSpecOf, qosOf } from './support/pod-checks';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

const gpuWorker = {
  name: 'trainer',
  image: 'ghcr.io/acme/trainer:3.1.0',
  size: { cpu: kplus.Cpu.units(4), memory: Size.gibibytes(16), extended: { 'nvidia.com/gpu': 1 } },
  liveness: Probe.exec(['/bin/healthy']),
  // GKE-style GPU pool: taint nvidia.com/gpu=present, label cloud.google.com/gke-accelerator.
  scheduling: { dedicatedNodes: { key: 'nvidia.com/gpu', value: 'present', labelKey: 'cloud.google.com/gke-accelerator', labelValue: 'nvidia-l4' } },
};

const auditIds = (objects: object[], prefix = 'SW-RES-00') => audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith(prefix) && Number(f.rule.id.slice(-1)) >= 6).map(f => [f.rule.id, f.field, f.value, f.severity]);

function errorsOf(build: () => unknown): Array<[string, string, unknown]> {
  const e = thrownBy(build);
  expect(e).toBeInstanceOf(SeaworthyError);
  return (e as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.value]);
}

describe('extended resources in size (a GPU from the notes\' dedicated-node example)', () => {
  test('request = limit, QoS stays Guaranteed, the GPU pool is tolerated and selected, the audit agrees', () => {
    const { chart } = newChart('ml');
    new Worker(chart, 'trainer', gpuWorker);
    const objects = synthValid(chart);
    const pod = podSpecOf(only(objects, 'Deployment'))!;
    expect(pod.containers[0].resources).toEqual({
      requests: { 'cpu': '4', 'memory': '16Gi', 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '1' },
      limits: { 'cpu': '4', 'memory': '16Gi', 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '1' },
    });
    expect(qosOf(pod)).toBe('Guaranteed');
    expect(pod.nodeSelector).toEqual({ 'cloud.google.com/gke-accelerator': 'nvidia-l4' });
    expect(pod.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(auditIds(objects)).toEqual([]);
  });

  test('SW-RES-006: unqualified, reserved, fractional and zero amounts are refused, naming the resource', () => {
    const size = (extended: unknown) => () => new Worker(newChart().chart, 'w', { ...gpuWorker, size: { ...gpuWorker.size, extended: extended as never } });
    expect(errorsOf(size({ gpu: 1 }))).toEqual([['SW-RES-006', 'size.extended.gpu', '1']]);
    expect(errorsOf(size({ 'kubernetes.io/gpu': 1 }))).toEqual([['SW-RES-006', 'size.extended.kubernetes.io/gpu', '1']]);
    expect(errorsOf(size({ 'nvidia.com/gpu': 0.5 }))).toEqual([['SW-RES-006', 'size.extended.nvidia.com/gpu', '0.5']]);
    expect(errorsOf(size({ 'amd.com/gpu': 0 }))).toEqual([['SW-RES-006', 'size.extended.amd.com/gpu', '0']]);
    expect(errorsOf(size('nvidia.com/gpu=1'))).toEqual([['SW-RES-006', 'size.extended', '"nvidia.com/gpu=1"']]);
  });

  test('the audit: a GPU request without a limit, a request unlike its limit, fractions and native-looking names', () => {
    const deployment = (resources: object) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'a:1', resources }] } } },
    });
    const base = { cpu: '1', memory: '1Gi' };
    const at = 'spec.template.spec.containers[0].resources';
    expect(auditIds([deployment({ requests: { ...base, 'nvidia.com/gpu': 1 }, limits: base })])).toEqual([['SW-RES-006', `${at}.limits.nvidia.com/gpu`, '(unset)', Severity.ERROR]]);
    expect(auditIds([deployment({ requests: { ...base, 'nvidia.com/gpu': 1 }, limits: { ...base, 'nvidia.com/gpu': 2 } })])).toEqual([['SW-RES-006', `${at}.requests.nvidia.com/gpu`, '1', Severity.ERROR]]);
    expect(auditIds([deployment({ limits: { ...base, 'nvidia.com/gpu': '500m' } })])).toEqual([['SW-RES-006', `${at}.limits.nvidia.com/gpu`, '"500m"', Severity.ERROR]]);
    expect(auditIds([deployment({ limits: { ...base, gpu: 1 } })])).toEqual([['SW-RES-006', `${at}.limits.gpu`, '"gpu"', Severity.ERROR]]);
    // A limit alone is fine: the API server copies it to the request.
    expect(auditIds([deployment({ requests: base, limits: { ...base, 'nvidia.com/gpu': 1 } })])).toEqual([]);
  });
});

describe('huge pages', () => {
  test('size.hugepages2Mi with a huge-page volume renders request = limit and medium HugePages-2Mi', () => {
    const { chart } = newChart('shop');
    const pages = PodVolume.hugePages('hugepages');
    new WebService(chart, 'api', apiProps({ size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512), hugepages2Mi: Size.mebibytes(256) }, mounts: [{ volume: pages, path: '/hugepages' }] }));
    const objects = synthValid(chart);
    const pod = podSpecOf(only(objects, 'Deployment'))!;
    expect(pod.containers[0].resources.requests['hugepages-2Mi']).toBe('256Mi');
    expect(pod.containers[0].resources.limits['hugepages-2Mi']).toBe('256Mi');
    expect(pod.volumes.find((v: KubeObject) => v.name === 'hugepages')).toEqual({ name: 'hugepages', emptyDir: { medium: 'HugePages-2Mi' } });
    expect(qosOf(pod)).toBe('Guaranteed');
    expect(audit(objects.map(object => ({ object }))).filter(f => ['SW-RES-006', 'SW-RES-007', 'SW-RES-008', 'SW-VOL-002'].includes(f.rule.id))).toEqual([]);
  });

  test('SW-RES-008: a huge-page volume without huge pages of its size is refused', () => {
    const build = (size: object, pageSize?: HugePageSize) => () => new WebService(newChart().chart, 'api', apiProps({ size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512), ...size }, mounts: [{ volume: PodVolume.hugePages('pages', pageSize), path: '/hugepages' }] }));
    expect(errorsOf(build({}))).toEqual([['SW-RES-008', 'volumes.pages', '"HugePages-2Mi"']]);
    expect(errorsOf(build({ hugepages2Mi: Size.mebibytes(64) }, HugePageSize.ONE_GI))).toEqual([['SW-RES-008', 'volumes.pages', '"HugePages-1Gi"']]);
  });

  test('SW-RES-007: a malformed huge-page size is refused', () => {
    expect(errorsOf(() => new WebService(newChart().chart, 'api', apiProps({ size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512), hugepages1Gi: Size.gibibytes(0) } })))).toEqual([['SW-RES-007', 'size.hugepages1Gi', '"0Ki"']]);
    // 3Mi is not a whole number of 2Mi pages: the API server would reject it.
    expect(errorsOf(() => new WebService(newChart().chart, 'api', apiProps({ size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512), hugepages2Mi: Size.mebibytes(3) } })))).toEqual([['SW-RES-007', 'size.hugepages2Mi', '"3Mi"']]);
  });

  test('the audit: huge pages without cpu or memory, request unlike limit, and HugePages volumes', () => {
    const pod = (resources: object, volumes: object[] = []) => ({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'a:1', resources }], volumes } } },
    });
    const at = 'spec.template.spec.containers[0].resources';
    expect(auditIds([pod({ limits: { 'hugepages-2Mi': '100Mi' } })])).toEqual([['SW-RES-007', `${at}.requests`, '["hugepages-2Mi"]', Severity.ERROR]]);
    expect(auditIds([pod({ requests: { 'memory': '1Gi', 'hugepages-2Mi': '100Mi' }, limits: { 'memory': '1Gi', 'hugepages-2Mi': '200Mi' } })])).toEqual([['SW-RES-007', `${at}.requests.hugepages-2Mi`, '"100Mi"', Severity.ERROR]]);
    expect(auditIds([pod({ limits: { 'memory': '1Gi', 'hugepages-1Gi': '1536Mi' } })])).toEqual([['SW-RES-007', `${at}.limits.hugepages-1Gi`, '"1536Mi"', Severity.ERROR]]);
    const both = { 'memory': '1Gi', 'hugepages-2Mi': '100Mi', 'hugepages-1Gi': '2Gi' };
    expect(auditIds([pod({ limits: both }, [{ name: 'h', emptyDir: { medium: 'HugePages' } }])])).toEqual([['SW-RES-008', 'spec.template.spec.volumes[0].emptyDir.medium', '"HugePages"', Severity.ERROR]]);
    expect(auditIds([pod({ limits: both }, [{ name: 'h', emptyDir: { medium: 'HugePages-1Gi' } }])])).toEqual([]);
    expect(auditIds([pod({ limits: { memory: '1Gi' } }, [{ name: 'h', emptyDir: { medium: 'HugePages' } }])])).toEqual([['SW-RES-008', 'spec.template.spec.volumes[0].emptyDir.medium', '"HugePages"', Severity.ERROR]]);
    // A huge-page emptyDir needs no sizeLimit: the huge-page limits bound it.
    expect(audit([{ object: pod({ limits: both }, [{ name: 'h', emptyDir: { medium: 'HugePages-2Mi' } }]) }]).filter(f => f.rule.id === 'SW-VOL-002')).toEqual([]);
  });
});

describe('quotas count GPUs and huge pages', () => {
  test('a Tenant quota of 2 GPUs refuses a 2-replica GPU Deployment whose rollout peak needs 3 (SW-NS-002)', () => {
    const app = Testing.app();
    const t = new Tenant(app, 'ml', { name: 'ml', quota: { cpu: kplus.Cpu.units(64), memory: Size.gibibytes(256), extended: { 'nvidia.com/gpu': 2 }, hugepages2Mi: Size.gibibytes(1) } });
    expect(only(synthValid(t), 'ResourceQuota').spec.hard).toMatchObject({ 'requests.nvidia.com/gpu': '2', 'requests.hugepages-2Mi': '1Gi' });
    new Worker(t, 'trainer', { ...gpuWorker, replicas: 2 });
    const e = thrownBy(() => synthValid(t)) as SeaworthyError;
    expect(e.ruleIds).toEqual(['SW-NS-002']);
    expect(e.findings[0].message).toContain('quota.requests.nvidia.com/gpu = "2": the peak of the namespace\'s workloads needs 3 of requests.nvidia.com/gpu (ml/trainer: 3 Pods x 1)');
  });

  test('the audit counts requests.<extended> and hugepages-<size> against any ResourceQuota', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
      spec: {
        replicas: 2, strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }, selector: { matchLabels: { app: 'd' } },
        template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'a:1', resources: { limits: { 'cpu': '1', 'memory': '1Gi', 'amd.com/gpu': 1, 'hugepages-2Mi': '256Mi' } } }] } },
      },
    };
    const quota = (hard: object) => ({ apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'n' }, spec: { hard } });
    const ns2 = (hard: object) => audit([deployment, quota(hard)].map(object => ({ object }))).filter(f => f.rule.id === 'SW-NS-002').map(f => f.problem);
    expect(ns2({ 'requests.amd.com/gpu': 2 })).toEqual([expect.stringContaining('needs 3 of requests.amd.com/gpu (Deployment/n/d: 3 Pods x 1)')]);
    expect(ns2({ 'hugepages-2Mi': '512Mi' })).toEqual([expect.stringContaining('needs 768Mi of hugepages-2Mi')]);
    expect(ns2({ 'requests.amd.com/gpu': 3, 'requests.hugepages-2Mi': '1Gi' })).toEqual([]);
  });

  test('SW-RES-006 in the Tenant quota', () => {
    expect(errorsOf(() => new Tenant(Testing.app(), 't', { name: 't', quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), extended: { gpu: 1 } } }))).toEqual([['SW-RES-006', 'quota.extended.gpu', '1']]);
  });
});

describe('explain shows what a Pod holds beyond cpu and memory', () => {
  test('a Devices row and quota facts for the GPU key', () => {
    const { chart } = newChart('ml');
    new Worker(chart, 'trainer', { ...gpuWorker, size: { ...gpuWorker.size, hugepages2Mi: Size.mebibytes(512) } });
    const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'ml' }, spec: { hard: { 'requests.nvidia.com/gpu': 8 } } };
    const [w] = explain([...synthValid(chart), quota].map(object => ({ object })));
    expect(w.devices).toBe('per Pod 512Mi hugepages-2Mi, 1 nvidia.com/gpu (request = limit: cannot be overcommitted; not part of the QoS class)');
    expect(w.facts.podDevices).toEqual({ 'hugepages-2Mi': 512 * 2 ** 20, 'nvidia.com/gpu': 1 });
    // 2 replicas + 1 surge Pod at the rollout peak, + 1 old Pod still terminating (holding its GPU) as the next step starts.
    expect(w.facts.quotas.find(q => q.key === 'requests.nvidia.com/gpu')).toEqual({ quota: 'ResourceQuota/ml/q', key: 'requests.nvidia.com/gpu', hard: 8, workload: 4, namespace: 4, namespaceWithoutOverlap: 3 });
    expect(renderExplanation([w], false)).toContain('  Devices      per Pod 512Mi hugepages-2Mi, 1 nvidia.com/gpu');
  });

  test('no Devices row for workloads without them', () => {
    const { chart } = newChart('shop');
    new WebService(chart, 'api', apiProps());
    const [w] = explain(synthValid(chart).map(object => ({ object })));
    expect(w.devices).toBeUndefined();
    expect(renderExplanation([w], false)).not.toContain('Devices');
  });
});
