import { Duration, Size, Testing, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { LabelRequirement, PodAffinityTerm, PodVolume, PriorityClass, Probe, Tenant, WebService, Worker } from '../src';
import { expectSeaworthyError } from './support/adversarial';

/**
 * Invalid input to the resource and scheduling props (extended resources and huge
 * pages, dedicated nodes, autoscaling metrics and behaviour, pod affinity expressions,
 * nodeName, PriorityClass), as plain-JavaScript callers may pass it: each must raise
 * SeaworthyError with a rule id and a finding at the field, never a TypeError, and never
 * "undefined" or "[object Object]" in the message.
 */

const size = { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(128) };
const web = (props: Record<string, unknown>) => () => new WebService(new Chart(Testing.app(), 'c'), 'x', { name: 'api', image: 'a/b:1.0', port: 8080, size, readiness: Probe.http('/ready'), ...props } as never);
const worker = (props: Record<string, unknown>) => () => new Worker(new Chart(Testing.app(), 'c'), 'x', { name: 'worker', image: 'a/b:1.0', size, liveness: Probe.exec(['true']), ...props } as never);
const autoscaled = (autoscaling: Record<string, unknown>) => web({ autoscaling: { maxReplicas: 5, ...autoscaling } });
const scheduled = (scheduling: Record<string, unknown>) => web({ scheduling });
const priorityClass = (props: Record<string, unknown>) => () => new PriorityClass(new Chart(Testing.app(), 'c'), 'p', { name: 'high', value: 1000, ...props } as never);
const quota = (extra: Record<string, unknown>) => () => new Tenant(Testing.app(), 't', { name: 't', quota: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1), ...extra } } as never);

const cases: Array<[string, () => unknown, string]> = [
  // Item 5: resources.
  ['size.extended unqualified', web({ size: { ...size, extended: { gpu: 1 } } }), 'size.extended.gpu'],
  ['size.extended kubernetes.io', web({ size: { ...size, extended: { 'kubernetes.io/batteries': 1 } } }), 'size.extended.kubernetes.io/batteries'],
  ['size.extended fraction', web({ size: { ...size, extended: { 'nvidia.com/gpu': 0.5 } } }), 'size.extended.nvidia.com/gpu'],
  ['size.extended string amount', web({ size: { ...size, extended: { 'nvidia.com/gpu': '1' } } }), 'size.extended.nvidia.com/gpu'],
  ['size.extended NaN', web({ size: { ...size, extended: { 'nvidia.com/gpu': NaN } } }), 'size.extended.nvidia.com/gpu'],
  ['size.extended list', web({ size: { ...size, extended: ['nvidia.com/gpu'] } }), 'size.extended'],
  ['size.extended null', web({ size: { ...size, extended: null } }), 'size.extended'],
  ['size.extended requests. prefix', web({ size: { ...size, extended: { 'requests.nvidia.com/gpu': 1 } } }), 'size.extended.requests.nvidia.com/gpu'],
  ['size.hugepages2Mi string', web({ size: { ...size, hugepages2Mi: '512Mi' } }), 'size.hugepages2Mi'],
  ['size.hugepages2Mi partial page', web({ size: { ...size, hugepages2Mi: Size.mebibytes(5) } }), 'size.hugepages2Mi'],
  ['size.hugepages1Gi zero', web({ size: { ...size, hugepages1Gi: Size.gibibytes(0) } }), 'size.hugepages1Gi'],
  ['sidecar size.extended', web({ sidecars: [{ name: 'proxy', image: 'a/p:1.0', size: { ...size, extended: { gpu: 1 } } }] }), 'sidecars[0].size.extended.gpu'],
  ['hugePages volume without pages', web({ mounts: [{ volume: PodVolume.hugePages('pages'), path: '/hugepages' }] }), 'volumes.pages'],
  ['Tenant quota extended', quota({ extended: { 'nvidia.com/gpu': -1 } }), 'quota.extended.nvidia.com/gpu'],
  ['Tenant quota extended unqualified', quota({ extended: { gpu: 1 } }), 'quota.extended.gpu'],
  ['Tenant quota extended type', quota({ extended: 4 }), 'quota.extended'],
  ['Tenant quota hugepages2Mi', quota({ hugepages2Mi: '1Gi' }), 'quota.hugepages2Mi'],
  ['dedicatedNodes type', scheduled({ dedicatedNodes: 'gpu' }), 'scheduling.dedicatedNodes'],
  ['dedicatedNodes key', scheduled({ dedicatedNodes: { key: '', value: 'gpu' } }), 'scheduling.dedicatedNodes.key'],
  ['dedicatedNodes value', scheduled({ dedicatedNodes: { key: 'dedicated', value: 7 } }), 'scheduling.dedicatedNodes.value'],
  ['dedicatedNodes labelKey', scheduled({ dedicatedNodes: { key: 'nvidia.com/gpu', value: 'present', labelKey: 'accelerator type' } }), 'scheduling.dedicatedNodes.labelKey'],
  ['dedicatedNodes labelValue', scheduled({ dedicatedNodes: { key: 'nvidia.com/gpu', value: 'present', labelValue: '-l4-' } }), 'scheduling.dedicatedNodes.labelValue'],
  ['dedicatedNodes taintEffect', scheduled({ dedicatedNodes: { key: 'gpu', value: 'yes', taintEffect: 'Evict' } }), 'scheduling.dedicatedNodes.taintEffect'],
  // Item 13: scheduling.
  ['podAffinity not a list', scheduled({ podAffinity: PodAffinityTerm.withLabels({ app: 'x' }) }), 'scheduling.podAffinity'],
  ['podAffinity plain object', scheduled({ podAffinity: [{ labelSelector: { matchLabels: { app: 'x' } } }] }), 'scheduling.podAffinity[0]'],
  ['podAntiAffinity In without values', scheduled({ podAntiAffinity: [PodAffinityTerm.matching([LabelRequirement.in('app', [])])] }), 'scheduling.podAntiAffinity[0]'],
  ['podAffinity bad key', scheduled({ podAffinity: [PodAffinityTerm.matching([LabelRequirement.exists('-app')])] }), 'scheduling.podAffinity[0]'],
  ['podAffinity plain requirement', scheduled({ podAffinity: [PodAffinityTerm.matching([{ key: 'app', operator: 'In', values: ['x'] }] as never)] }), 'scheduling.podAffinity[0]'],
  ['podAffinity empty', scheduled({ podAffinity: [PodAffinityTerm.matching([])] }), 'scheduling.podAffinity[0]'],
  ['podAffinity bad topologyKey', scheduled({ podAffinity: [PodAffinityTerm.withLabels({ app: 'x' }, { topologyKey: 'zone name' })] }), 'scheduling.podAffinity[0]'],
  ['podAffinity bad label value', scheduled({ podAffinity: [PodAffinityTerm.withLabels({ app: 'a b' })] }), 'scheduling.podAffinity[0]'],
  ['nodeName without waiver', scheduled({ nodeName: 'master' }), 'scheduling.nodeName'],
  ['nodeName malformed', scheduled({ nodeName: 'Node_1' }), 'scheduling.nodeName'],
  ['nodeName number', scheduled({ nodeName: 1 }), 'scheduling.nodeName'],
  ['PriorityClass reserved name', priorityClass({ name: 'system-high' }), 'name'],
  ['PriorityClass name', priorityClass({ name: 'High' }), 'name'],
  ['PriorityClass value too high', priorityClass({ value: 1e9 + 1 }), 'value'],
  ['PriorityClass value missing', priorityClass({ value: undefined }), 'value'],
  ['PriorityClass value string', priorityClass({ value: '1000' }), 'value'],
  ['PriorityClass globalDefault', priorityClass({ globalDefault: 'true' }), 'globalDefault'],
  ['PriorityClass preemptionPolicy', priorityClass({ preemptionPolicy: 'Always' }), 'preemptionPolicy'],
  ['PriorityClass description', priorityClass({ description: 42 }), 'description'],
  ['PriorityClass unknown prop', priorityClass({ preemption: 'Never' }), 'preemption'],
  // Item 10: autoscaling.
  ['autoscaling.metrics not a list', autoscaled({ metrics: 'rps' }), 'autoscaling.metrics'],
  ['autoscaling.metrics plain object', autoscaled({ metrics: [{ type: 'Pods' }] }), 'autoscaling.metrics[0]'],
  ['autoscaling.metrics null', autoscaled({ metrics: [null] }), 'autoscaling.metrics[0]'],
  ['autoscaling.scaleUp string', autoscaled({ scaleUp: 'fast' }), 'autoscaling.scaleUp'],
  ['autoscaling.scaleUp window', autoscaled({ scaleUp: { stabilizationWindow: Duration.hours(2) } }), 'autoscaling.scaleUp.stabilizationWindow'],
  ['autoscaling.scaleDown window string', autoscaled({ scaleDown: { stabilizationWindow: '300s' } }), 'autoscaling.scaleDown.stabilizationWindow'],
  ['autoscaling.scaleUp strategy', autoscaled({ scaleUp: { strategy: 'Fastest' } }), 'autoscaling.scaleUp.strategy'],
  ['autoscaling.scaleUp policies type', autoscaled({ scaleUp: { policies: { replicas: kplus.Replicas.absolute(1) } } }), 'autoscaling.scaleUp.policies'],
  ['autoscaling.scaleUp policy replicas', autoscaled({ scaleUp: { policies: [{ replicas: 4 }] } }), 'autoscaling.scaleUp.policies[0].replicas'],
  ['autoscaling.scaleUp policy zero', autoscaled({ scaleUp: { policies: [{ replicas: kplus.Replicas.percent(0) }] } }), 'autoscaling.scaleUp.policies[0].replicas'],
  ['autoscaling.scaleDown policy period', autoscaled({ scaleDown: { policies: [{ replicas: kplus.Replicas.absolute(1), duration: Duration.hours(1) }] } }), 'autoscaling.scaleDown.policies[0].duration'],
  ['autoscaling.scaleDown policy null', autoscaled({ scaleDown: { policies: [null] } }), 'autoscaling.scaleDown.policies[0].replicas'],
  ['Worker autoscaling.metrics', worker({ autoscaling: { maxReplicas: 5, metrics: [42] } }), 'autoscaling.metrics[0]'],
];

describe('invalid input to the resources, scheduling, autoscaling and PriorityClass props', () => {
  test.each(cases)('%s', (_what, build, field) => {
    expectSeaworthyError(build, field);
  });
});
