import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, Findings, Probe, SeaworthyError, Severity, WebService, Worker } from '../src';
import { behaviorProblems } from '../src/rules/families/autoscaling';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

const queue = kplus.Metric.external({ name: 'queue_messages_ready', target: kplus.MetricTarget.averageValue(30) });
const rps = kplus.Metric.pods({ name: 'http_requests_per_second', target: kplus.MetricTarget.averageValue(100) });

function hpaOf(autoscaling: object): { hpa: KubeObject; chart: ReturnType<typeof newChart>['chart']; app: ReturnType<typeof newChart>['app'] } {
  const { app, chart } = newChart('shop');
  new WebService(chart, 'api', apiProps({ replicas: undefined, autoscaling: autoscaling as never }));
  return { hpa: only(synthValid(chart), 'HorizontalPodAutoscaler'), chart, app };
}

function errorsOf(autoscaling: object): Array<[string, string, unknown]> {
  const { chart } = newChart('shop');
  const e = thrownBy(() => new WebService(chart, 'api', apiProps({ replicas: undefined, autoscaling: autoscaling as never })));
  expect(e).toBeInstanceOf(SeaworthyError);
  return (e as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.value]);
}

describe('autoscaling metrics', () => {
  test('without metrics, cpu at 70% stays the default', () => {
    const { hpa } = hpaOf({ maxReplicas: 6 });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }]);
  });

  test('custom metrics alone replace the cpu default (requests per second per Pod)', () => {
    const { hpa } = hpaOf({ maxReplicas: 6, metrics: [rps] });
    expect(hpa.spec.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'http_requests_per_second' }, target: { type: 'AverageValue', averageValue: '100' } } }]);
  });

  test('an explicit cpuUtilization is kept next to custom metrics', () => {
    const { hpa } = hpaOf({ maxReplicas: 6, cpuUtilization: 80, metrics: [queue] });
    expect(hpa.spec.metrics.map((m: KubeObject) => m.type)).toEqual(['Resource', 'External']);
    expect(hpa.spec.metrics[0].resource.target.averageUtilization).toBe(80);
  });

  test('a Worker scales on queue length alone (the External metric of the notes)', () => {
    const { chart } = newChart('jobs');
    new Worker(chart, 'w', { name: 'worker', image: 'ghcr.io/acme/worker:1.0', size: { cpu: kplus.Cpu.millis(200), memory: Size.mebibytes(256) }, liveness: Probe.exec(['/bin/healthy']), autoscaling: { maxReplicas: 20, metrics: [queue] } });
    const hpa = only(synthValid(chart), 'HorizontalPodAutoscaler');
    expect(hpa.spec.metrics).toEqual([{ type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '30' } } }]);
  });

  test('SW-PROPS-001: metrics that are not Metric objects are refused, naming the index', () => {
    expect(errorsOf({ maxReplicas: 6, metrics: [{ type: 'External' }] })).toEqual([['SW-PROPS-001', 'autoscaling.metrics[0]', '{"type":"External"}']]);
    expect(errorsOf({ maxReplicas: 6, metrics: 'rps' })).toEqual([['SW-PROPS-001', 'autoscaling.metrics', '"rps"']]);
  });
});

describe('autoscaling behaviour (SW-HPA-006, SW-HPA-007)', () => {
  test('safe defaults: no faster than 4 Pods or 200% a minute up, 300s stabilisation down', () => {
    const { hpa } = hpaOf({ maxReplicas: 6 });
    expect(hpa.spec.behavior.scaleUp).toEqual({ policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 200, periodSeconds: 60 }], selectPolicy: 'Max', stabilizationWindowSeconds: 0 });
    expect(hpa.spec.behavior.scaleDown).toEqual({ policies: [{ type: 'Pods', value: 2, periodSeconds: 300 }], selectPolicy: 'Max', stabilizationWindowSeconds: 300 });
    expect(audit([{ object: hpa }]).filter(f => f.rule.id.startsWith('SW-HPA-00') && ['SW-HPA-006', 'SW-HPA-007'].includes(f.rule.id))).toEqual([]);
  });

  test('custom policies and windows render as given', () => {
    const { hpa, app } = hpaOf({
      maxReplicas: 30,
      scaleUp: { policies: [{ replicas: kplus.Replicas.percent(50), duration: Duration.seconds(30) }], stabilizationWindow: Duration.seconds(30) },
      scaleDown: { policies: [{ replicas: kplus.Replicas.absolute(1), duration: Duration.minutes(2) }], strategy: kplus.ScalingStrategy.MIN_CHANGE, stabilizationWindow: Duration.minutes(10) },
    });
    expect(hpa.spec.behavior).toEqual({
      scaleUp: { policies: [{ type: 'Percent', value: 50, periodSeconds: 30 }], selectPolicy: 'Max', stabilizationWindowSeconds: 30 },
      scaleDown: { policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }], selectPolicy: 'Min', stabilizationWindowSeconds: 600 },
    });
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-HPA'))).toEqual([]);
  });

  test('SW-HPA-006: out-of-range windows, periods and values fail with SeaworthyError naming the prop', () => {
    expect(errorsOf({ maxReplicas: 6, scaleUp: { stabilizationWindow: Duration.hours(2) } })).toEqual([['SW-HPA-006', 'autoscaling.scaleUp.stabilizationWindow', '7200']]);
    expect(errorsOf({ maxReplicas: 6, scaleDown: { policies: [{ replicas: kplus.Replicas.absolute(0), duration: Duration.hours(1) }] } })).toEqual([
      ['SW-HPA-006', 'autoscaling.scaleDown.policies[0].replicas', '0'],
      ['SW-HPA-006', 'autoscaling.scaleDown.policies[0].duration', '3600'],
    ]);
    expect(errorsOf({ maxReplicas: 6, scaleUp: { strategy: 'Fastest' } })).toEqual([['SW-HPA-006', 'autoscaling.scaleUp.strategy', '"Fastest"']]);
    expect(errorsOf({ maxReplicas: 6, scaleUp: { policies: [{ replicas: kplus.Replicas.percent(10), duration: Duration.millis(1500) }] } })).toEqual([['SW-HPA-006', 'autoscaling.scaleUp.policies[0].duration', '"1500ms"']]);
    expect(errorsOf({ maxReplicas: 6, scaleDown: 'slow' })).toEqual([['SW-HPA-006', 'autoscaling.scaleDown', '"slow"']]);
  });

  test('SW-HPA-007: a scale-down window under a minute is a warning; 60s passes', () => {
    const { app } = hpaOf({ maxReplicas: 6, scaleDown: { stabilizationWindow: Duration.seconds(10) } });
    expect(Findings.of(app).filter(f => f.rule.id === 'SW-HPA-007').map(f => [f.field, f.value, f.severity])).toEqual([['autoscaling.scaleDown.stabilizationWindow', '10', Severity.WARNING]]);
    const { app: ok } = hpaOf({ maxReplicas: 6, scaleDown: { stabilizationWindow: Duration.seconds(60) } });
    expect(Findings.of(ok).filter(f => f.rule.id === 'SW-HPA-007')).toEqual([]);
  });

  test('the audit runs the same predicate on any HPA YAML', () => {
    const hpa = (behavior: object) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'n' }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd' }, minReplicas: 2, maxReplicas: 5, behavior } });
    const found = (behavior: object) => audit([{ object: hpa(behavior) }]).filter(f => ['SW-HPA-006', 'SW-HPA-007'].includes(f.rule.id)).map(f => [f.rule.id, f.field, f.value]);
    expect(found({ scaleUp: { policies: [{ type: 'Replicas', value: 2, periodSeconds: 2000 }], selectPolicy: 'Max' } })).toEqual([
      ['SW-HPA-006', 'spec.behavior.scaleUp.policies[0].type', '"Replicas"'],
      ['SW-HPA-006', 'spec.behavior.scaleUp.policies[0].periodSeconds', '2000'],
    ]);
    expect(found({ scaleDown: { stabilizationWindowSeconds: 0 } })).toEqual([['SW-HPA-007', 'spec.behavior.scaleDown.stabilizationWindowSeconds', '0']]);
    // Scale-down disabled never flaps; omitted fields take the Kubernetes defaults.
    expect(found({ scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Disabled' } })).toEqual([]);
    expect(found({})).toEqual([]);
    expect(behaviorProblems(undefined)).toEqual([]);
  });
});
