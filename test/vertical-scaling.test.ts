import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  audit, ControlledValues, DisruptionBudget, Findings, KubernetesTarget, Probe, SeaworthyError, Severity, VerticalResource, VerticalScalingProps, VerticalUpdateMode,
  Profile, WebService, Worker, WorkerProps,
} from '../src';
import { apiProps } from './support/props';
import { schemaErrors } from './support/k8s-schema';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

/** Vertical autoscaling: the VerticalPodAutoscaler, its rules (SW-VPA-001…005) and the quota at maxAllowed. */

const BOUNDS = { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(2) };
const rps = kplus.Metric.pods({ name: 'http_requests_per_second', target: kplus.MetricTarget.averageValue(100) });
// Plain-JavaScript callers can pass anything; these casts model them.
const js = <T>(v: unknown): T => v as T;

function synthApi(vertical: VerticalScalingProps, extra: Parameters<typeof apiProps>[0] = {}, version?: '1.32' | '1.33'): { objects: KubeObject[]; web: WebService } {
  const { app, chart } = newChart('shop');
  if (version) KubernetesTarget.set(app, version);
  const web = new WebService(chart, 'api', apiProps({ autoscaling: { vertical }, ...extra }));
  return { objects: synthValid(chart), web };
}

function errorsOf(props: Parameters<typeof apiProps>[0]): Array<[string, string, string]> {
  const { chart } = newChart('shop');
  const e = thrownBy(() => new WebService(chart, 'api', apiProps(props)));
  expect(e).toBeInstanceOf(SeaworthyError);
  return (e as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.value]);
}

const mainContainer = (objects: KubeObject[]) => only(objects, 'Deployment').spec.template.spec.containers[0];

describe('the VerticalPodAutoscaler of a workload', () => {
  test('defaults: in place from 1.33, requests and limits together, minAllowed = the size, sidecars left alone', () => {
    const { objects, web } = synthApi({ maxAllowed: BOUNDS });
    const vpa = only(objects, 'VerticalPodAutoscaler');
    expect(vpa.apiVersion).toBe('autoscaling.k8s.io/v1');
    expect(vpa.metadata).toMatchObject({ name: 'api', namespace: 'shop' });
    expect(vpa.spec).toEqual({
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' },
      updatePolicy: { updateMode: 'InPlaceOrRecreate' },
      resourcePolicy: {
        containerPolicies: [
          { containerName: 'api', controlledResources: ['cpu', 'memory'], controlledValues: 'RequestsAndLimits', minAllowed: { cpu: '500m', memory: '512Mi' }, maxAllowed: { cpu: '2', memory: '2Gi' } },
          { containerName: '*', mode: 'Off' },
        ],
      },
    });
    // Vertical alone leaves the replica count to `replicas`, and no HPA.
    expect(only(objects, 'Deployment').spec.replicas).toBe(3);
    expect(objects.filter(o => o.kind === 'HorizontalPodAutoscaler')).toEqual([]);
    expect(mainContainer(objects).resizePolicy).toEqual([{ resourceName: 'cpu', restartPolicy: 'NotRequired' }, { resourceName: 'memory', restartPolicy: 'RestartContainer' }]);
    expect(web.qosClass).toBe('Guaranteed');
    expect(web.verticalAutoscaler?.kind).toBe('VerticalPodAutoscaler');
  });

  test('before 1.33 (no in-place resize) the mode is Recreate and no resizePolicy is written; 1.33 resizes in place', () => {
    const old = synthApi({ maxAllowed: BOUNDS }, {}, '1.32').objects;
    expect(only(old, 'VerticalPodAutoscaler').spec.updatePolicy).toEqual({ updateMode: 'Recreate' });
    expect(mainContainer(old).resizePolicy).toBeUndefined();
    const now = synthApi({ maxAllowed: BOUNDS }, {}, '1.33').objects;
    expect(only(now, 'VerticalPodAutoscaler').spec.updatePolicy).toEqual({ updateMode: 'InPlaceOrRecreate' });
    expect(mainContainer(now).resizePolicy).toHaveLength(2);
  });

  test('an explicit mode that does not resize in place writes no resizePolicy; memory may resize without a restart', () => {
    const recreate = synthApi({ maxAllowed: BOUNDS, updateMode: VerticalUpdateMode.RECREATE }).objects;
    expect(only(recreate, 'VerticalPodAutoscaler').spec.updatePolicy.updateMode).toBe('Recreate');
    expect(mainContainer(recreate).resizePolicy).toBeUndefined();
    const live = synthApi({ maxAllowed: BOUNDS, restartOnMemoryResize: false }).objects;
    expect(mainContainer(live).resizePolicy).toEqual([{ resourceName: 'cpu', restartPolicy: 'NotRequired' }, { resourceName: 'memory', restartPolicy: 'NotRequired' }]);
  });

  test('memory only, beside an HPA on cpu: both render, no conflict', () => {
    const { objects } = synthApi({ resources: [VerticalResource.MEMORY], maxAllowed: { memory: Size.gibibytes(1) } }, { replicas: undefined, autoscaling: { maxReplicas: 6, vertical: { resources: [VerticalResource.MEMORY], maxAllowed: { memory: Size.gibibytes(1) } } } });
    expect(only(objects, 'HorizontalPodAutoscaler').spec.metrics[0].resource.name).toBe('cpu');
    expect(only(objects, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0]).toEqual({ containerName: 'api', controlledResources: ['memory'], controlledValues: 'RequestsAndLimits', minAllowed: { memory: '512Mi' }, maxAllowed: { memory: '1Gi' } });
    expect(only(objects, 'Deployment').spec.replicas).toBeUndefined();
  });

  test('a Worker scales vertically too; its own audit finds nothing of the family', () => {
    const { app, chart } = newChart('jobs');
    const props: WorkerProps = { name: 'worker', image: 'ghcr.io/acme/worker:1.0', size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) }, liveness: Probe.exec(['/bin/healthy']), autoscaling: { vertical: { maxAllowed: { cpu: kplus.Cpu.units(1), memory: Size.gibibytes(1) } } } };
    const worker = new Worker(chart, 'w', props);
    const objects = synthValid(chart);
    expect(only(objects, 'VerticalPodAutoscaler').spec.targetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'worker' });
    expect(worker.verticalAutoscaler).toBeDefined();
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-VPA-'))).toEqual([]);
    expect(audit(objects.map(object => ({ object }))).filter(f => f.rule.id.startsWith('SW-VPA-'))).toEqual([]);
  });

  test('release tracks keep their size: the VPA targets the stable Deployment, only its Pods get resizePolicy', () => {
    const { chart } = newChart('shop');
    const web = new WebService(chart, 'api', apiProps({ releaseTracks: true, autoscaling: { vertical: { maxAllowed: BOUNDS } } }));
    web.addCanary({ image: 'ghcr.io/acme/api:1.5.0' });
    const objects = synthValid(chart);
    expect(only(objects, 'VerticalPodAutoscaler').spec.targetRef.name).toBe('api');
    expect(only(objects, 'Deployment', 'api').spec.template.spec.containers[0].resizePolicy).toHaveLength(2);
    expect(only(objects, 'Deployment', 'api-canary').spec.template.spec.containers[0].resizePolicy).toBeUndefined();
  });

  test('the rendered object is checked against the CRD: a wrong update mode would be caught', () => {
    const vpa = only(synthApi({ maxAllowed: BOUNDS }).objects, 'VerticalPodAutoscaler');
    expect(schemaErrors([vpa], '1.35')).toEqual([]);
    expect(schemaErrors([{ ...vpa, spec: { ...vpa.spec, updatePolicy: { updateMode: 'Sometimes' } } }], '1.35').join('\n')).toMatch(/updateMode/);
  });
});

describe('props of vertical scaling (plain JavaScript gets the same protection)', () => {
  test('maxAllowed is required, for every scaled resource', () => {
    expect(errorsOf({ autoscaling: { vertical: js({}) } })).toEqual([['SW-PROPS-001', 'autoscaling.vertical.maxAllowed', '(unset)']]);
    expect(errorsOf({ autoscaling: { vertical: { maxAllowed: { cpu: kplus.Cpu.units(2) } } } })).toEqual([['SW-PROPS-001', 'autoscaling.vertical.maxAllowed.memory', '(unset)']]);
    expect(errorsOf({ autoscaling: { vertical: js('2x') } })).toEqual([['SW-PROPS-001', 'autoscaling.vertical', '"2x"']]);
  });

  test('unknown keys, wrong types and bounds of resources that are not scaled are refused', () => {
    expect(errorsOf({ autoscaling: { vertical: js({ maxAllowed: BOUNDS, maxAllowd: BOUNDS }) } })).toEqual([['SW-PROPS-002', 'autoscaling.vertical.maxAllowd', expect.any(String)]]);
    expect(errorsOf({ autoscaling: { vertical: js({ maxAllowed: { cpu: kplus.Cpu.units(2), mem: Size.gibibytes(2) } }) } })).toEqual([
      ['SW-PROPS-002', 'autoscaling.vertical.maxAllowed.mem', expect.any(String)],
      ['SW-PROPS-001', 'autoscaling.vertical.maxAllowed.memory', '(unset)'],
    ]);
    expect(errorsOf({ autoscaling: { vertical: js({ maxAllowed: { cpu: '2', memory: Size.gibibytes(2) } }) } })).toEqual([['SW-RES-001', 'autoscaling.vertical.maxAllowed.cpu', '"2"']]);
    expect(errorsOf({ autoscaling: { vertical: { resources: [VerticalResource.MEMORY], maxAllowed: BOUNDS } } })).toEqual([['SW-PROPS-001', 'autoscaling.vertical.maxAllowed.cpu', '"2"']]);
    expect(errorsOf({ autoscaling: { vertical: { resources: [], maxAllowed: BOUNDS } } })).toEqual([['SW-PROPS-001', 'autoscaling.vertical.resources', '[]']]);
    expect(errorsOf({ autoscaling: { vertical: { updateMode: js('Auto'), maxAllowed: BOUNDS } } })).toEqual([['SW-PROPS-001', 'autoscaling.vertical.updateMode', '"Auto"']]);
  });

  test('horizontal props without maxReplicas are still refused (SW-HPA-002), and the message says how to scale only vertically', () => {
    const { chart } = newChart('shop');
    const e = thrownBy(() => new WebService(chart, 'api', apiProps({ replicas: undefined, autoscaling: { minReplicas: 3, vertical: { maxAllowed: BOUNDS } } }))) as SeaworthyError;
    // Horizontal on the default cpu target would also fight the VPA.
    expect(e.findings.map(f => [f.rule.id, f.field])).toEqual([['SW-HPA-002', 'autoscaling.maxReplicas'], ['SW-VPA-001', 'autoscaling.cpuUtilization']]);
    expect(e.findings[0].problem).toMatch(/to scale only vertically, give no prop but "vertical"/);
    expect(errorsOf({ replicas: undefined, autoscaling: {} })).toEqual([['SW-HPA-002', 'autoscaling.maxReplicas', '(unset)']]);
  });
});

describe('SW-VPA-001: no HPA on a resource the VPA controls', () => {
  test('the default cpu target of the HPA conflicts; naming it says it is the default', () => {
    const { chart } = newChart('shop');
    const e = thrownBy(() => new WebService(chart, 'api', apiProps({ replicas: undefined, autoscaling: { maxReplicas: 6, vertical: { maxAllowed: BOUNDS } } }))) as SeaworthyError;
    expect(e.findings.map(f => [f.rule.id, f.field, f.value])).toEqual([['SW-VPA-001', 'autoscaling.cpuUtilization', '70']]);
    expect(e.findings[0].message).toBe(`SW-VPA-001 [test/api] autoscaling.cpuUtilization = 70: scales replicas on cpu utilisation (the default when no metrics are given) while autoscaling.vertical changes the cpu requests of container "api", so the two autoscalers fight. Fix: ${e.findings[0].rule.fix}.`);
  });

  test('memory utilisation, and a cpu Metric among the custom metrics, conflict too', () => {
    expect(errorsOf({ replicas: undefined, autoscaling: { maxReplicas: 6, metrics: [rps], memoryUtilization: 80, vertical: { maxAllowed: BOUNDS } } })).toEqual([['SW-VPA-001', 'autoscaling.memoryUtilization', '80']]);
    const cpu = kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(60));
    expect(errorsOf({ replicas: undefined, autoscaling: { maxReplicas: 6, metrics: [cpu], vertical: { maxAllowed: BOUNDS } } })).toEqual([['SW-VPA-001', 'autoscaling.metrics[0]', expect.stringContaining('"cpu"')]]);
  });

  test('passing: horizontal on requests per second beside vertical on cpu and memory', () => {
    const { objects } = synthApi({ maxAllowed: BOUNDS }, { replicas: undefined, autoscaling: { maxReplicas: 6, metrics: [rps], vertical: { maxAllowed: BOUNDS } } });
    expect(only(objects, 'HorizontalPodAutoscaler').spec.metrics.map((m: KubeObject) => m.type)).toEqual(['Pods']);
    expect(only(objects, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0].controlledResources).toEqual(['cpu', 'memory']);
  });
});

describe('SW-VPA-002: Guaranteed Pods stay Guaranteed', () => {
  test('RequestsOnly on a Guaranteed workload is refused, naming the QoS change', () => {
    const { chart } = newChart('shop');
    const e = thrownBy(() => new WebService(chart, 'api', apiProps({ autoscaling: { vertical: { maxAllowed: BOUNDS, controlledValues: ControlledValues.REQUESTS_ONLY } } }))) as SeaworthyError;
    expect(e.findings.map(f => [f.rule.id, f.field, f.value])).toEqual([['SW-VPA-002', 'autoscaling.vertical.controlledValues', '"RequestsOnly"']]);
    expect(e.findings[0].problem).toMatch(/Guaranteed Pods become Burstable \(requests below limits\)/);
  });

  test('passing: a workload that is Burstable on purpose may let the VPA move only its requests', () => {
    const { objects, web } = synthApi({ maxAllowed: BOUNDS, controlledValues: ControlledValues.REQUESTS_ONLY }, { burst: { cpu: kplus.Cpu.units(2), memory: Size.gibibytes(2) } });
    expect(web.qosClass).toBe('Burstable');
    expect(only(objects, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0].controlledValues).toBe('RequestsOnly');
  });
});

describe('SW-VPA-003: an evicting VPA needs a budget that allows an eviction', () => {
  test('a budget allowing no disruption (a warning under the staging profile) is a warning for Recreate, none for Initial', () => {
    const blocked = { replicas: 3, disruptionBudget: DisruptionBudget.minAvailable(3), profile: Profile.STAGING };
    const { app, chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({ ...blocked, autoscaling: { vertical: { maxAllowed: BOUNDS, updateMode: VerticalUpdateMode.RECREATE } } }));
    const found = Findings.of(app).filter(f => f.rule.id === 'SW-VPA-003');
    expect(found.map(f => [f.severity, f.field, f.value])).toEqual([[Severity.WARNING, 'autoscaling.vertical.updateMode', '"Recreate"']]);
    expect(found[0].problem).toBe('evicts Pods to apply its recommendations (Recreate), but PodDisruptionBudget/api-pdb at 3 replicas allows no disruption, so every eviction is refused and no recommendation is applied');
    const initial = newChart('shop');
    new WebService(initial.chart, 'api', apiProps({ ...blocked, autoscaling: { vertical: { maxAllowed: BOUNDS, updateMode: VerticalUpdateMode.INITIAL } } }));
    expect(Findings.of(initial.app).filter(f => f.rule.id === 'SW-VPA-003')).toEqual([]);
  });

  test('passing: the default budget (maxUnavailable 1) allows the evictions', () => {
    const { app, chart } = newChart('shop');
    new WebService(chart, 'api', apiProps({ autoscaling: { vertical: { maxAllowed: BOUNDS } } }));
    expect(Findings.of(app).filter(f => f.rule.id.startsWith('SW-VPA-'))).toEqual([]);
  });
});

describe('SW-VPA-004: min <= size <= max', () => {
  test('maxAllowed below the size, and minAllowed above it, are refused', () => {
    expect(errorsOf({ autoscaling: { vertical: { maxAllowed: { cpu: kplus.Cpu.millis(250), memory: Size.gibibytes(2) } } } })).toEqual([['SW-VPA-004', 'autoscaling.vertical.maxAllowed.cpu', '"250m"']]);
    expect(errorsOf({ autoscaling: { vertical: { maxAllowed: BOUNDS, minAllowed: { memory: Size.gibibytes(1) } } } })).toEqual([['SW-VPA-004', 'autoscaling.vertical.minAllowed.memory', '"1Gi"']]);
  });

  test('passing: a minAllowed below the size lets the VPA shrink idle Pods', () => {
    const { objects } = synthApi({ maxAllowed: BOUNDS, minAllowed: { cpu: kplus.Cpu.millis(100), memory: Size.mebibytes(256) } });
    expect(only(objects, 'VerticalPodAutoscaler').spec.resourcePolicy.containerPolicies[0].minAllowed).toEqual({ cpu: '100m', memory: '256Mi' });
  });
});
