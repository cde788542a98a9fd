import { Duration } from 'cdk8s';
import { audit, Env, Findings, Probe, Rules, SeaworthyError, Severity, WebService } from '../src';
import { envNameFinding } from '../src/rules/families/env';
import { apiProps } from './support/props';
import { newChart } from './support/synth';

/** Rule texts that claimed what Kubernetes does not do, and the findings that followed from them (issue 12, item 7). */

const deployment = (container: object, extra: object = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'a:1', ...container }] } }, ...extra },
});

describe('SW-ENV-001 / SW-ENV-006: env names', () => {
  test('the API server accepts "-" and "."; the reason no longer claims Kubernetes drops them', () => {
    expect(Rules.ENV_NAME_INVALID.rationale).not.toMatch(/drops|silently/);
    expect(envNameFinding('LOG_LEVEL')).toBeUndefined();
    expect(envNameFinding('LOG-LEVEL')?.rule.id).toBe('SW-ENV-006');
    expect(envNameFinding('spring.profiles.active')?.rule.id).toBe('SW-ENV-006');
    expect(envNameFinding('1LEVEL')?.rule.id).toBe('SW-ENV-001');
    expect(envNameFinding('A B')?.rule.id).toBe('SW-ENV-001');
    expect(envNameFinding('')?.rule.id).toBe('SW-ENV-001');
  });

  test('construct path: "LOG-LEVEL" is a warning (before: an error that stopped synthesis)', () => {
    const { chart } = newChart();
    const api = new WebService(chart, 'api', apiProps({ env: { 'LOG-LEVEL': Env.value('info') } }));
    expect(Findings.of(api).filter(f => f.rule.id.startsWith('SW-ENV')).map(f => [f.rule.id, f.severity, f.field])).toEqual([['SW-ENV-006', Severity.WARNING, 'env.LOG-LEVEL']]);
    expect(() => new WebService(chart, 'web', apiProps({ name: 'web', env: { '1LEVEL': Env.value('x') } }))).toThrow(/SW-ENV-001 \[test\/web\] env.1LEVEL = "1LEVEL": is rejected by the API server/);
  });

  test('audit: the same split', () => {
    const found = audit([{ object: deployment({ env: [{ name: 'LOG-LEVEL', value: 'x' }, { name: '1X', value: 'y' }] }) }])
      .filter(f => f.rule.id.startsWith('SW-ENV-00')).map(f => [f.rule.id, f.severity, f.value]);
    expect(found).toEqual([['SW-ENV-006', Severity.WARNING, '"LOG-LEVEL"'], ['SW-ENV-001', Severity.ERROR, '"1X"']]);
  });
});

describe('texts that were not true of the Kubernetes versions seaworthy targets', () => {
  test('CronJobs: no burst of missed runs and no stop after 100 misses (controller v2)', () => {
    expect(Rules.CRON_NO_DEADLINE.rationale).not.toMatch(/burst|stops scheduling/);
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c', namespace: 'n' }, spec: { schedule: '0 2 * * *', jobTemplate: { spec: { backoffLimit: 1, template: { spec: { containers: [{ name: 'c', image: 'a:1' }] } } } } } };
    expect(audit([{ object: cron }]).find(f => f.rule.id === 'SW-CRON-003')?.problem).toBe('a missed run starts however late it is');
  });

  test('progressDeadlineSeconds <= minReadySeconds is rejected by the API server, not "reported as failed"', () => {
    expect(Rules.ROLLOUT_DEADLINE.rationale).toMatch(/API server rejects/);
  });

  test('SW-NS-003: baseline does not forbid root; SW-NAME-001 names both naming rules', () => {
    expect(Rules.NAMESPACE_PSS_MISMATCH.rationale).not.toMatch(/hostPath, host namespaces or root in a namespace enforcing "baseline"/);
    expect(Rules.NAME_INVALID.title).toMatch(/DNS-1123 subdomains/);
  });

  test('probe fields of 0 are defaulted by the API server, so the audit does not report them; the construct still refuses a 0 period', () => {
    const probe = { tcpSocket: { port: 8080 }, periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0, successThreshold: 0 };
    const found = audit([{ object: deployment({ ports: [{ containerPort: 8080 }], readinessProbe: probe }) }]).filter(f => f.rule.id === 'SW-PROBE-004');
    expect(found).toEqual([]);
    expect(audit([{ object: deployment({ ports: [{ containerPort: 8080 }], readinessProbe: { ...probe, periodSeconds: -1 } }) }]).filter(f => f.rule.id === 'SW-PROBE-004').map(f => f.field)).toEqual(['spec.template.spec.containers[0].readinessProbe.periodSeconds']);
    const { chart } = newChart();
    expect(() => new WebService(chart, 'api', apiProps({ readiness: Probe.http('/ready', { period: Duration.seconds(0) }) }))).toThrow(SeaworthyError);
  });

  test('SW-HPA-003: a target above 100% is valid for Pods whose limits exceed their requests; refused for Guaranteed ones', () => {
    const hpa = (u: number) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'n' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, minReplicas: 2, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: u } } }] } });
    const burstable = deployment({ resources: { requests: { cpu: '100m' }, limits: { cpu: '400m' } } });
    const guaranteed = deployment({ resources: { requests: { cpu: '100m' }, limits: { cpu: '100m' } } });
    const hpa3 = (objects: object[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === 'SW-HPA-003').map(f => f.problem);
    expect(hpa3([burstable, hpa(150)])).toEqual([]);
    expect(hpa3([guaranteed, hpa(150)])).toEqual(['is above 100, which Pods whose limits equal their requests can never reach']);
    expect(hpa3([guaranteed, hpa(100)])).toEqual([]);
    expect(hpa3([guaranteed, hpa(0)])).toEqual(['must be a whole percentage of at least 1']);
  });

  test('every rationale of the catalog avoids the claims found untrue', () => {
    for (const r of Object.values(Rules)) expect(`${r.id} ${r.rationale}`).not.toMatch(/silently drops|stops scheduling|for hours|always runs out/);
  });
});
