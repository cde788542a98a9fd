import * as path from 'path';
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import {
  audit, ControlledValues, DisruptionBudget, explain, Findings, KubernetesTarget, Probe, SeaworthyError, Severity, Tenant, VerticalResource, VerticalScalingProps, VerticalUpdateMode,
  Profile, WebService, Worker, WorkerProps,
} from '../src';
import { loadManifests } from '../src/manifests/load';
import { apiProps } from './support/props';
import { schemaErrors } from './support/k8s-schema';
import { sharedDir } from './support/shared-dir';
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

/** Manifests as others write them. */
const docs = (text: string) => (yaml.loadAll(text) as KubeObject[]).filter(Boolean).map(object => ({ object, file: 'others.yaml' }));
const deployment = (resources: string, extra = '') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: team }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
          resources: ${resources}
${extra}`;
const GUARANTEED = '{ requests: { cpu: 500m, memory: 512Mi }, limits: { cpu: 500m, memory: 512Mi } }';
const vpaYaml = (spec: string) => `
---
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: { name: web, namespace: team }
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
${spec}`;
const BOUNDED = `  resourcePolicy:
    containerPolicies:
      - containerName: '*'
        maxAllowed: { cpu: 2, memory: 2Gi }
`;
const PDB = `
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: web, namespace: team }
spec: { maxUnavailable: 1, selector: { matchLabels: { app: web } } }
`;
const hpaYaml = (metric: string) => `
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: { name: web, namespace: team }
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: web }
  minReplicas: 2
  maxReplicas: 6
  metrics: [${metric}]
`;
const CPU_UTILIZATION = '{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }';
const vpaFindings = (text: string) => audit(docs(text)).filter(f => f.rule.id.startsWith('SW-VPA-'));

describe('the audit of VerticalPodAutoscalers', () => {
  test('SW-VPA-001: a VPA and an HPA on cpu utilisation for one Deployment', () => {
    const found = vpaFindings(deployment(GUARANTEED) + vpaYaml(BOUNDED) + PDB + hpaYaml(CPU_UTILIZATION));
    expect(found.map(f => [f.rule.id, f.severity, f.object, f.field])).toEqual([['SW-VPA-001', Severity.ERROR, 'VerticalPodAutoscaler/team/web', 'spec.targetRef']]);
    expect(found[0].problem).toMatch(/^is also scaled by HorizontalPodAutoscaler\/team\/web \(others.yaml\) on cpu utilisation \(spec.metrics\[0\]\)/);
  });

  test('passing SW-VPA-001: a VPA that only recommends (Goldilocks), an HPA on an absolute value or an external metric, a VPA on memory only', () => {
    const off = `  updatePolicy: { updateMode: "Off" }\n${BOUNDED}`;
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml(off) + PDB + hpaYaml(CPU_UTILIZATION))).toEqual([]);
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml(BOUNDED) + PDB + hpaYaml('{ type: Resource, resource: { name: cpu, target: { type: AverageValue, averageValue: 300m } } }'))).toEqual([]);
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml(BOUNDED) + PDB + hpaYaml('{ type: External, external: { metric: { name: queue_depth }, target: { type: AverageValue, averageValue: "30" } } }'))).toEqual([]);
    const memory = "  resourcePolicy:\n    containerPolicies:\n      - { containerName: '*', controlledResources: [memory], maxAllowed: { memory: 2Gi } }\n";
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml(memory) + PDB + hpaYaml(CPU_UTILIZATION))).toEqual([]);
  });

  test('SW-VPA-002: RequestsOnly on a Guaranteed Deployment; passing on a Burstable one', () => {
    const requestsOnly = '  resourcePolicy:\n    containerPolicies:\n      - { containerName: web, controlledValues: RequestsOnly, maxAllowed: { cpu: 2, memory: 2Gi } }\n';
    const found = vpaFindings(deployment(GUARANTEED) + vpaYaml(requestsOnly) + PDB);
    expect(found.map(f => [f.rule.id, f.field, f.value])).toEqual([['SW-VPA-002', 'spec.resourcePolicy.containerPolicies[0].controlledValues', '"RequestsOnly"']]);
    expect(vpaFindings(deployment('{ requests: { cpu: 100m, memory: 50Mi } }') + vpaYaml(requestsOnly) + PDB)).toEqual([]);
  });

  test('SW-VPA-003: no budget, or a budget allowing nothing, is a warning; none for Initial or Off, or when the target is elsewhere', () => {
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml(BOUNDED)).map(f => [f.rule.id, f.severity, f.value])).toEqual([['SW-VPA-003', Severity.WARNING, '"(default: Recreate)"']]);
    const zero = PDB.replace('maxUnavailable: 1', 'minAvailable: 3');
    const blocked = vpaFindings(deployment(GUARANTEED) + vpaYaml(`  updatePolicy: { updateMode: InPlaceOrRecreate }\n${BOUNDED}`) + zero);
    expect(blocked.map(f => f.rule.id)).toEqual(['SW-VPA-003']);
    expect(blocked[0].problem).toMatch(/PodDisruptionBudget\/team\/web allows no disruption/);
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml(`  updatePolicy: { updateMode: Initial }\n${BOUNDED}`))).toEqual([]);
    expect(vpaFindings(vpaYaml(BOUNDED))).toEqual([]);
  });

  test('SW-VPA-004 (min above max) is an error; SW-VPA-005 (no maxAllowed) a warning', () => {
    const inverted = "  resourcePolicy:\n    containerPolicies:\n      - { containerName: '*', minAllowed: { cpu: '3' }, maxAllowed: { cpu: 2, memory: 2Gi } }\n";
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml(inverted) + PDB).map(f => [f.rule.id, f.severity, f.field, f.value])).toEqual([['SW-VPA-004', Severity.ERROR, 'spec.resourcePolicy.containerPolicies[0].minAllowed.cpu', '"3"']]);
    expect(vpaFindings(deployment(GUARANTEED) + vpaYaml('') + PDB).map(f => [f.rule.id, f.severity, f.field])).toEqual([
      ['SW-VPA-005', Severity.WARNING, 'spec.resourcePolicy'], ['SW-VPA-005', Severity.WARNING, 'spec.resourcePolicy'],
    ]);
  });
});

describe('never an error on correct YAML written by others', () => {
  test('third-party manifests (../shared/outside-yaml): no finding of the vertical scaling rules, and the quota rules as before', () => {
    const { inputs } = loadManifests([path.join(sharedDir(), 'outside-yaml')]);
    expect(inputs.length).toBeGreaterThan(100);
    expect(audit(inputs).filter(f => f.rule.id.startsWith('SW-VPA-')).map(f => f.message)).toEqual([]);
  });

  test('the VPA project\'s own example (hamster.yaml, autoscaling.k8s.io/v1) and a recommend-only VPA beside a cpu HPA: no errors of the family', () => {
    // kubernetes/autoscaler vertical-pod-autoscaler/examples/hamster.yaml: a Burstable Deployment, bounds on '*', default mode.
    const hamster = `
apiVersion: autoscaling.k8s.io/v1
kind: VerticalPodAutoscaler
metadata: { name: hamster-vpa }
spec:
  targetRef: { apiVersion: apps/v1, kind: Deployment, name: hamster }
  resourcePolicy:
    containerPolicies:
      - containerName: '*'
        minAllowed: { cpu: 100m, memory: 50Mi }
        maxAllowed: { cpu: 1, memory: 500Mi }
        controlledResources: [cpu, memory]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: hamster }
spec:
  selector: { matchLabels: { app: hamster } }
  replicas: 2
  template:
    metadata: { labels: { app: hamster } }
    spec:
      securityContext: { runAsNonRoot: true, runAsUser: 65534 }
      containers:
        - name: hamster
          image: registry.k8s.io/ubuntu-slim:0.14
          resources: { requests: { cpu: 100m, memory: 50Mi } }
          command: [/bin/sh]
          args: [-c, 'while true; do timeout 0.5s yes >/dev/null; sleep 0.5s; done']
`;
    const found = vpaFindings(hamster);
    expect(found.filter(f => f.severity === Severity.ERROR)).toEqual([]);
    // The example ships no PodDisruptionBudget: the evictions are unbounded (a warning, as SW-PDB-003 says too).
    expect(found.map(f => f.rule.id)).toEqual(['SW-VPA-003']);
    const goldilocks = deployment(GUARANTEED) + vpaYaml('  updatePolicy: { updateMode: "Off" }\n') + PDB + hpaYaml(CPU_UTILIZATION);
    expect(vpaFindings(goldilocks).filter(f => f.severity === Severity.ERROR)).toEqual([]);
  });
});

describe('the rollout-peak quota counts a vertically scaled workload at maxAllowed (SW-NS-002)', () => {
  // 3 replicas + 1 surge = 4 Pods: 4 x 500m = 2 cores at the size, 4 x 1 core = 4 cores at maxAllowed.
  const vertical = { maxAllowed: { cpu: kplus.Cpu.units(1), memory: Size.mebibytes(512) } };
  function tenant(cpu: number, withVpa: boolean) {
    const app = Testing.app();
    const t = new Tenant(app, 'shop', { name: 'shop', quota: { cpu: kplus.Cpu.units(cpu), memory: Size.gibibytes(8) } });
    new WebService(t, 'api', apiProps({ autoscaling: withVpa ? { vertical } : undefined }));
    return t;
  }

  test('in the Tenant: a quota that fits the size but not maxAllowed is refused, naming the VPA', () => {
    expect(() => synthValid(tenant(3, false))).not.toThrow();
    const e = thrownBy(() => synthValid(tenant(3, true))) as SeaworthyError;
    expect(e.findings.map(f => [f.rule.id, f.field])).toEqual([['SW-NS-002', 'quota.requests.cpu'], ['SW-NS-002', 'quota.limits.cpu']]);
    expect(e.findings[0].problem).toBe('the peak of the namespace\'s workloads needs 4000m of requests.cpu (shop/api (at the maxAllowed of VerticalPodAutoscaler/shop/api): 4 Pods x 1000m)');
    expect(() => synthValid(tenant(4, true))).not.toThrow();
  });

  test('in the audit: the same quota on YAML, with the VPA read from its object', () => {
    const quota = '\n---\napiVersion: v1\nkind: ResourceQuota\nmetadata: { name: q, namespace: team }\nspec: { hard: { requests.cpu: "3" } }\n';
    const strategy = '  strategy: { type: RollingUpdate, rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } }';
    const base = deployment(GUARANTEED, strategy) + PDB + quota;
    const ns2 = (text: string) => audit(docs(text)).filter(f => f.rule.id === 'SW-NS-002');
    const oneCore = "  resourcePolicy:\n    containerPolicies:\n      - { containerName: '*', maxAllowed: { cpu: 1, memory: 512Mi } }\n";
    expect(ns2(base)).toEqual([]);
    const found = ns2(base + vpaYaml(oneCore));
    expect(found.map(f => [f.object, f.field])).toEqual([['ResourceQuota/team/q', 'spec.hard.requests.cpu']]);
    expect(found[0].problem).toBe('the peak of the namespace\'s workloads needs 4000m of requests.cpu (Deployment/team/web (at the maxAllowed of VerticalPodAutoscaler/team/web): 4 Pods x 1000m)');
    // A VPA that only recommends changes no Pod.
    expect(ns2(base + vpaYaml(`  updatePolicy: { updateMode: "Off" }\n${oneCore}`))).toEqual([]);
    // explain counts alike: its quota facts and its Rollout line are at maxAllowed (6 Pods with
    // the old ones still terminating: a 30s grace period and no minReadySeconds; 4 without).
    const web = explain(docs(base + vpaYaml(oneCore))).find(w => w.ref === 'Deployment/team/web')!;
    expect(web.facts.quotas.find(q => q.key === 'requests.cpu')).toMatchObject({ hard: 3, workload: 6, namespaceWithoutOverlap: 4 });
    expect(web.rollout).toContain('peak 6 Pods = 6000m cpu, 3072Mi memory requested at the maxAllowed of VerticalPodAutoscaler/team/web');
  });
});
