import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, Severity, Tenant } from '../src';
import { limitRangeItemProblems, limitRangeViolations } from '../src/tenancy/quota-arithmetic';

/** SW-NS-001: LimitRange items of every type, their consistency, and containers checked as the LimitRanger does (issue 12, item 2). */

type Obj = Record<string, unknown>;
const lr = (limits: Obj[]): Obj => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'n' }, spec: { limits } });
const pod = (containers: Obj[], initContainers?: Obj[]): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { containers, initContainers } });
const ns1 = (objects: Obj[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-NS-001').map(f => [f.field, f.problem]);
const c = (name: string, resources: Obj = {}): Obj => ({ name, image: 'a:1', resources });

describe('consistency: min <= defaultRequest <= default <= max, ratio >= default/defaultRequest', () => {
  test('the family predicate', () => {
    expect(limitRangeItemProblems({ type: 'Container', min: { cpu: '500m' }, default: { cpu: '250m' } }, 'i').map(p => p.field)).toEqual(['i.min.cpu']);
    expect(limitRangeItemProblems({ type: 'Container', defaultRequest: { memory: '1Gi' }, default: { memory: '512Mi' } }, 'i').map(p => p.field)).toEqual(['i.defaultRequest.memory']);
    expect(limitRangeItemProblems({ type: 'Container', default: { cpu: '2' }, max: { cpu: '1' } }, 'i').map(p => p.field)).toEqual(['i.default.cpu']);
    expect(limitRangeItemProblems({ type: 'Container', default: { cpu: '1' }, defaultRequest: { cpu: '250m' }, maxLimitRequestRatio: { cpu: '2' } }, 'i').map(p => p.field)).toEqual(['i.maxLimitRequestRatio.cpu']);
    expect(limitRangeItemProblems({ type: 'Pod', default: { cpu: '1' } }, 'i').map(p => p.field)).toEqual(['i.default']);
    expect(limitRangeItemProblems({ type: 'Container', min: { cpu: '100m' }, defaultRequest: { cpu: '100m' }, default: { cpu: '200m' }, max: { cpu: '200m' }, maxLimitRequestRatio: { cpu: '2' } }, 'i')).toEqual([]);
  });

  test('construct path: an inconsistent Tenant LimitRange stops synthesis (before: rendered, then rejected by the API server)', () => {
    const app = Testing.app();
    expect(() => new Tenant(app, 'shop', { name: 'shop', limits: { minCpu: kplus.Cpu.millis(500) } })).toThrow(/SW-NS-001 \[shop\] limits.minCpu = "500m": is above default.cpu \(250m\)/);
    expect(() => new Tenant(Testing.app(), 'shop', { name: 'shop', limits: { maxMemory: Size.mebibytes(128) } })).toThrow(/SW-NS-001 \[shop\] limits.defaultMemory/);
  });

  test('audit: the LimitRange object itself', () => {
    expect(ns1([lr([{ type: 'Container', min: { cpu: '500m' }, default: { cpu: '250m' } }])]).map(f => f[0])).toEqual(['spec.limits[0].min.cpu']);
  });
});

describe('containers and Pods, defaults applied first', () => {
  test('a container without limits takes the default and fits max (before: the audit did not check LimitRanges at all)', () => {
    const range = lr([{ type: 'Container', default: { cpu: '500m' }, max: { cpu: '1' } }]);
    expect(ns1([range, pod([c('a')])])).toEqual([]);
    expect(ns1([range, pod([c('a', { limits: { cpu: '2' } })])])).toEqual([['spec.containers[0].resources.limits.cpu', 'limits cpu to 2000m, above the LimitRange maximum 1000m']]);
  });

  test('min with no default request becomes the default request (API defaulting of the LimitRange); below min fails', () => {
    const range = lr([{ type: 'Container', min: { memory: '64Mi' } }]);
    expect(ns1([range, pod([c('a')])])).toEqual([]);
    expect(ns1([range, pod([c('a', { requests: { memory: '32Mi' } })])]).map(f => f[1])).toEqual(['requests 32Mi memory, below the LimitRange minimum 64Mi']);
  });

  test('the ratio branch: at the ratio passes, above it fails', () => {
    const range = lr([{ type: 'Container', maxLimitRequestRatio: { cpu: '2' } }]);
    expect(ns1([range, pod([c('a', { requests: { cpu: '100m' }, limits: { cpu: '200m' } })])])).toEqual([]);
    expect(ns1([range, pod([c('a', { requests: { cpu: '100m' }, limits: { cpu: '201m' } })])]).map(f => f[0])).toEqual(['spec.containers[0].resources.limits.cpu']);
  });

  test('an extended resource whose name holds dots: the finding shows the container\'s value (before: "(unset)")', () => {
    const range = lr([{ type: 'Container', max: { 'example.com/gpu': '1' } }]);
    const found = audit([range, pod([c('a', { requests: { 'example.com/gpu': '2' }, limits: { 'example.com/gpu': '2' } })])].map(object => ({ object }))).filter(f => f.rule.id === 'SW-NS-001');
    expect(found.map(f => [f.field, f.value])).toEqual([['spec.containers[0].resources.limits.example.com/gpu', '"2"']]);
  });

  test('Pod items bound the Pod total: app containers summed, the largest init container when more', () => {
    const range = lr([{ type: 'Pod', max: { cpu: '1' } }]);
    const sized = (cpu: string) => ({ requests: { cpu }, limits: { cpu } });
    expect(ns1([range, pod([c('a', sized('500m')), c('b', sized('500m'))])])).toEqual([]);
    expect(ns1([range, pod([c('a', sized('500m')), c('b', sized('600m'))])])).toEqual([['spec (Pod limits.cpu)', 'limits cpu to 1100m, above the LimitRange maximum 1000m']]);
    expect(ns1([range, pod([c('a', sized('500m'))], [c('init', sized('1500m'))])]).map(f => f[1])).toEqual(['limits cpu to 1500m, above the LimitRange maximum 1000m']);
  });

  test('PersistentVolumeClaim items bound claims and StatefulSet claim templates', () => {
    const range = lr([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]);
    const pvc = (storage: string): Obj => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'd', namespace: 'n' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
    expect(ns1([range, pvc('5Gi')])).toEqual([]);
    expect(ns1([range, pvc('20Gi')]).map(f => f[0])).toEqual(['spec.resources.requests.storage']);
    expect(ns1([range, pvc('512Mi')]).map(f => f[1])).toEqual(['requests 512Mi, below the LimitRange minimum 1024Mi']);
    const sts: Obj = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's', namespace: 'n' }, spec: { replicas: 1, serviceName: 's', selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [c('a')] } }, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '20Gi' } } } }] } };
    expect(ns1([range, sts]).map(f => f[0])).toEqual(['spec.volumeClaimTemplates[0].spec.resources.requests.storage']);
  });

  test('findings are errors, and the predicate is the one the Tenant uses', () => {
    expect(audit([lr([{ type: 'Container', max: { cpu: '1' } }]), pod([c('a', { limits: { cpu: '2' } })])].map(object => ({ object }))).find(f => f.rule.id === 'SW-NS-001')?.severity).toBe(Severity.ERROR);
    expect(limitRangeViolations([{ type: 'Container', max: { cpu: '1' } }], [{ name: 'a', init: false, requests: {}, limits: { cpu: 2 } }]).map(v => v.key)).toEqual(['limits.cpu']);
  });
});
