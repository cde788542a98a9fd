import { Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { audit, DisruptionBudget, Findings, PreStop, Probe, Rules, SeaworthyError, Severity, Tenant, WebService, Worker } from '../src';
import { selects } from '../src/audit/kube';
import { checkEntrypoint } from '../src/pod/shutdown';
import { SecurityRules } from '../src/rules/families/security';
import { Reporter } from '../src/rules/finding';
import { Rule } from '../src/rules/rule';
import { apiProps } from './support/props';
import { newChart, only, synthValid } from './support/synth';

/** The edges of every numeric rule, and the conditions a mutation of the code went unnoticed on (issue 12, item 10). */

type Obj = Record<string, unknown>;
const deployment = (spec: Obj = {}, podSpec: Obj = {}, container: Obj = {}): Obj => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'n' },
  spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'a:1', ...container }], ...podSpec } }, ...spec },
});
const ruleFindings = (id: string, objects: Obj[]) => audit(objects.map(object => ({ object }))).filter(f => f.rule.id === id);

describe('SW-SHUTDOWN-001: grace period at needed - 1 and needed', () => {
  test('construct: preStop 5s + drain 15s + margin 5s = 25s', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'a', apiProps({ name: 'a', shutdown: { gracePeriod: Duration.seconds(24) } }))).toThrow(/SW-SHUTDOWN-001 .*"24s"/);
    expect(() => new WebService(chart, 'b', apiProps({ name: 'b', shutdown: { gracePeriod: Duration.seconds(25) } }))).not.toThrow();
    expect(() => new WebService(chart, 'c', apiProps({ name: 'c', shutdown: { preStop: PreStop.sleep(Duration.seconds(10)), drainTime: Duration.seconds(0), gracePeriod: Duration.seconds(14) } }))).toThrow(/SW-SHUTDOWN-001/);
    expect(() => new WebService(chart, 'e', apiProps({ name: 'e', shutdown: { preStop: PreStop.sleep(Duration.seconds(10)), drainTime: Duration.seconds(0), gracePeriod: Duration.seconds(15) } }))).not.toThrow();
  });

  test('audit: preStop sleep 5 + margin 5 = 10s', () => {
    const pod = (grace: number) => deployment({}, { terminationGracePeriodSeconds: grace }, { lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } } });
    expect(ruleFindings('SW-SHUTDOWN-001', [pod(9)]).map(f => f.value)).toEqual(['9']);
    expect(ruleFindings('SW-SHUTDOWN-001', [pod(10)])).toEqual([]);
  });
});

describe('SW-PDB-001: percentages rounded as the disruption controller rounds them (up)', () => {
  test('construct: maxUnavailable 25% at 2 replicas allows one disruption; minAvailable 60% at 2 allows none', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'a', apiProps({ name: 'a', replicas: 2, disruptionBudget: DisruptionBudget.maxUnavailablePercent(25) }))).not.toThrow();
    expect(() => new WebService(chart, 'b', apiProps({ name: 'b', replicas: 2, disruptionBudget: DisruptionBudget.minAvailablePercent(60) }))).toThrow(/SW-PDB-001 .*disruptionBudget.minAvailable = "60%"/);
    expect(() => new WebService(chart, 'c', apiProps({ name: 'c', replicas: 2, disruptionBudget: DisruptionBudget.minAvailablePercent(50) }))).not.toThrow();
  });

  test('audit: the same roundings', () => {
    const pdb = (budget: Obj): Obj => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'n' }, spec: { selector: { matchLabels: { app: 'd' } }, ...budget } });
    expect(ruleFindings('SW-PDB-001', [deployment(), pdb({ maxUnavailable: '25%' })])).toEqual([]);
    expect(ruleFindings('SW-PDB-001', [deployment(), pdb({ minAvailable: '60%' })]).map(f => f.value)).toEqual(['"60%"']);
    expect(ruleFindings('SW-PDB-001', [deployment(), pdb({ minAvailable: '50%' })])).toEqual([]);
    expect(ruleFindings('SW-PDB-001', [deployment(), pdb({ maxUnavailable: 0 })]).map(f => f.value)).toEqual(['0']);
  });
});

describe('label selectors with matchExpressions, as the audit matches them', () => {
  const labels = { app: 'd', tier: 'web' };
  test.each([
    ['In (match)', { key: 'tier', operator: 'In', values: ['web', 'api'] }, true],
    ['In (no match)', { key: 'tier', operator: 'In', values: ['api'] }, false],
    ['In (label absent)', { key: 'zone', operator: 'In', values: ['a'] }, false],
    ['NotIn (match)', { key: 'tier', operator: 'NotIn', values: ['api'] }, true],
    ['NotIn (excluded)', { key: 'tier', operator: 'NotIn', values: ['web'] }, false],
    ['NotIn (label absent)', { key: 'zone', operator: 'NotIn', values: ['a'] }, true],
    ['Exists', { key: 'tier', operator: 'Exists' }, true],
    ['Exists (absent)', { key: 'zone', operator: 'Exists' }, false],
    ['DoesNotExist', { key: 'zone', operator: 'DoesNotExist' }, true],
    ['DoesNotExist (present)', { key: 'tier', operator: 'DoesNotExist' }, false],
  ])('%s', (_what, expression, expected) => {
    expect(selects({ matchExpressions: [expression] }, labels)).toBe(expected);
  });

  test('a PDB selecting by matchExpressions covers the Deployment (SW-PDB-003 / SW-PDB-004)', () => {
    const pdb = (operator: string, values?: string[]): Obj => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'n' }, spec: { maxUnavailable: 1, selector: { matchExpressions: [{ key: 'app', operator, values }] } } });
    expect(ruleFindings('SW-PDB-003', [deployment(), pdb('In', ['d'])])).toEqual([]);
    expect(ruleFindings('SW-PDB-004', [deployment(), pdb('NotIn', ['d'])])).toHaveLength(1);
    expect(ruleFindings('SW-PDB-004', [deployment(), pdb('Exists')])).toEqual([]);
    expect(ruleFindings('SW-PDB-004', [deployment(), pdb('DoesNotExist')])).toHaveLength(1);
  });
});

describe('SW-SHUTDOWN-002: shell entrypoints in every form', () => {
  const shell = (command: string[]) => {
    const found: string[] = [];
    const reporter: Reporter = { report: (rule: Rule) => found.push(rule.id) };
    checkEntrypoint(command, 'command', reporter);
    return found;
  };
  test.each([['sh', '-c', 'app'], ['sh', '-ec', 'app'], ['bash', '-lc', 'app'], ['/bin/sh', '-c', 'app'], ['/bin/bash', '-c', 'app'], ['dash', '-xc', 'app']])('%s %s is a shell entrypoint', (...command) => {
    expect(shell(command)).toEqual(['SW-SHUTDOWN-002']);
  });
  test.each([['/app/server', '-c', 'config.yaml'], ['sh', 'script.sh'], ['sh'], ['python', '-c', 'print(1)']])('%s %s is not', (...command) => {
    expect(shell(command)).toEqual([]);
  });
});

describe('SW-NS-001: the LimitRange bounds at their edges, ratio included', () => {
  const run = (limits: ConstructorParameters<typeof Tenant>[2]['limits'], size: { cpu: number; memory: number }, burstCpu?: number) => {
    const app = Testing.app();
    const t = new Tenant(app, 'shop', { name: 'shop', limits });
    new Worker(t, 'w', { name: 'w', image: 'a:1', size: { cpu: kplus.Cpu.millis(size.cpu), memory: Size.mebibytes(size.memory) }, burst: burstCpu ? { cpu: kplus.Cpu.millis(burstCpu) } : undefined, liveness: Probe.exec(['true']) });
    try {
      synthValid(t);
      return [];
    } catch (e) {
      return (e as SeaworthyError).findings?.map(f => f.field) ?? [String(e)];
    }
  };
  test('min and max are inclusive', () => {
    expect(run({ minCpu: kplus.Cpu.millis(200) }, { cpu: 200, memory: 128 })).toEqual([]);
    expect(run({ minCpu: kplus.Cpu.millis(200) }, { cpu: 199, memory: 128 })).toEqual(['size.cpu']);
    expect(run({ maxMemory: Size.mebibytes(256) }, { cpu: 100, memory: 256 })).toEqual([]);
    expect(run({ maxMemory: Size.mebibytes(256) }, { cpu: 100, memory: 257 })).toEqual(['size.memory']);
  });
  test('the limit/request ratio: at the ratio passes, above it fails', () => {
    expect(run({ maxLimitRequestRatio: { cpu: 2 } }, { cpu: 100, memory: 128 }, 200)).toEqual([]);
    expect(run({ maxLimitRequestRatio: { cpu: 2 } }, { cpu: 100, memory: 128 }, 201)).toEqual(['burst.cpu']);
  });
});

describe('ports declared expose: false stay closed', () => {
  test('the NetworkPolicy ingress and the Service carry only the exposed ports', () => {
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps({ extraPorts: [{ name: 'metrics', port: 9090, expose: false }, { name: 'grpc', port: 9000 }] }));
    const objects = synthValid(chart);
    const ingressPorts = only(objects, 'NetworkPolicy').spec.ingress.flatMap((r: { ports?: Array<{ port: number }> }) => (r.ports ?? []).map(p => p.port));
    expect(ingressPorts).toContain(8080);
    expect(ingressPorts).toContain(9000);
    expect(ingressPorts).not.toContain(9090);
    expect(only(objects, 'Service').spec.ports.map((p: { targetPort: unknown }) => p.targetPort)).not.toContain(9090);
  });
});

describe('a Deployment with no strategy (Kubernetes defaults maxSurge 25%, maxUnavailable 25%) in the audit', () => {
  test('SW-ROLLOUT-003: 25% rounds down, so below 4 replicas no Pod is taken down (before: warned at any count)', () => {
    expect(ruleFindings('SW-ROLLOUT-003', [deployment({ replicas: 3 })])).toEqual([]);
    expect(ruleFindings('SW-ROLLOUT-003', [deployment({ replicas: 4 })]).map(f => f.value)).toEqual(['"(default: maxSurge 25%, maxUnavailable 25%)"']);
    expect(ruleFindings('SW-ROLLOUT-003', [deployment({ replicas: 2, strategy: { type: 'Recreate' } })])).toHaveLength(1);
  });
  test('SW-NS-002: the default maxSurge 25% rounds up (4 replicas -> 5 Pods at the peak)', () => {
    const rq = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'n' }, spec: { hard: { pods: '4' } } };
    expect(ruleFindings('SW-NS-002', [deployment({ replicas: 4 }), rq]).map(f => f.problem)).toEqual(['the peak of the namespace\'s workloads needs 5 of pods (Deployment/n/d: 5 Pods)']);
    expect(ruleFindings('SW-NS-002', [deployment({ replicas: 3 }), rq])).toEqual([]);
  });
});

describe('boundaries of the other numeric rules', () => {
  test('SW-HPA-001 (min 2), SW-HPA-002 (max > min), SW-HPA-003 (1..100)', () => {
    const { chart } = newChart();
    const ok = (name: string, autoscaling: object) => () => new WebService(chart, name, apiProps({ name, replicas: undefined, autoscaling: autoscaling as never }));
    expect(ok('a', { minReplicas: 1, maxReplicas: 3 })).toThrow(/SW-HPA-001/);
    expect(ok('b', { minReplicas: 2, maxReplicas: 3 })).not.toThrow();
    expect(ok('c', { minReplicas: 3, maxReplicas: 3 })).toThrow(/SW-HPA-002/);
    expect(ok('e', { minReplicas: 3, maxReplicas: 4, cpuUtilization: 100 })).not.toThrow();
    expect(ok('f', { minReplicas: 3, maxReplicas: 4, cpuUtilization: 101 })).toThrow(/SW-HPA-003/);
    expect(ok('g', { minReplicas: 3, maxReplicas: 4, cpuUtilization: 1 })).not.toThrow();
    expect(ok('h', { minReplicas: 3, maxReplicas: 4, cpuUtilization: 0 })).toThrow(/SW-HPA-003/);
  });

  test('SW-PROBE-007: a liveness initialDelaySeconds of 30 is fine, 31 stands in for a startup probe (audit)', () => {
    const probe = (delay: number) => deployment({}, {}, { ports: [{ containerPort: 8080 }], livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: delay } });
    expect(ruleFindings('SW-PROBE-007', [probe(30)])).toEqual([]);
    expect(ruleFindings('SW-PROBE-007', [probe(31)]).map(f => f.value)).toEqual(['31']);
  });

  test('SW-SEC-001 / SW-SEC-003: UID 0 is root, 10000 is low, 10001 is fine', () => {
    const uid = (u: number) => ruleFindings(u === 0 ? 'SW-SEC-001' : 'SW-SEC-003', [deployment({}, { securityContext: { runAsUser: u } })]).length;
    expect(uid(0)).toBe(1);
    expect(uid(10000)).toBe(1);
    expect(uid(10001)).toBe(0);
  });

  test('SW-PORT-002: 1 and 65535 are ports, 0 and 65536 are not', () => {
    const port = (p: number) => ruleFindings('SW-PORT-002', [deployment({}, {}, { ports: [{ name: 'p', containerPort: p }] })]).length;
    expect([port(0), port(1), port(65535), port(65536)]).toEqual([1, 0, 0, 1]);
  });

  test('SW-SPREAD-001: maxSkew 0 is invalid, 1 is valid', () => {
    const skew = (n: number) => ruleFindings('SW-SPREAD-001', [deployment({}, { topologySpreadConstraints: [{ maxSkew: n, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' }] })]).length;
    expect([skew(0), skew(1)]).toEqual([1, 0]);
  });

  test('SW-ROLLOUT-002: progressDeadlineSeconds equal to minReadySeconds is refused, one more passes', () => {
    const d = (deadline: number) => ruleFindings('SW-ROLLOUT-002', [deployment({ minReadySeconds: 30, progressDeadlineSeconds: deadline })]).length;
    expect([d(30), d(31)]).toEqual([1, 0]);
  });

  test('SW-REPLICAS-002: 1 replica warns, 2 do not', () => {
    expect(ruleFindings('SW-REPLICAS-002', [deployment({ replicas: 1 })])).toHaveLength(1);
    expect(ruleFindings('SW-REPLICAS-002', [deployment({ replicas: 2 })])).toEqual([]);
  });

  test('SW-VOL-003: a memory emptyDir equal to the memory limit fits, one byte more does not', () => {
    const vol = (size: string) => ruleFindings('SW-VOL-003', [deployment({}, { volumes: [{ name: 'm', emptyDir: { medium: 'Memory', sizeLimit: size } }] }, { resources: { limits: { memory: '64Mi' } }, volumeMounts: [{ name: 'm', mountPath: '/m' }] })]).length;
    expect([vol('64Mi'), vol(String(64 * 2 ** 20 + 1))]).toEqual([0, 1]);
  });
});

describe('the severity of every security rule, asserted by behaviour', () => {
  // A downgrade from error to warning must fail here, not only in the generated docs comparison.
  const expected: Record<string, Severity> = {
    'SW-SEC-001': Severity.ERROR, 'SW-SEC-002': Severity.ERROR, 'SW-SEC-003': Severity.WARNING, 'SW-SEC-004': Severity.ERROR,
    'SW-SEC-005': Severity.ERROR, 'SW-SEC-006': Severity.ERROR, 'SW-SEC-007': Severity.ERROR, 'SW-SEC-008': Severity.ERROR,
    'SW-SEC-009': Severity.ERROR, 'SW-SEC-010': Severity.ERROR, 'SW-SEC-011': Severity.ERROR, 'SW-SEC-012': Severity.WARNING,
    'SW-SEC-013': Severity.ERROR, 'SW-SEC-014': Severity.ERROR, 'SW-SEC-015': Severity.ERROR, 'SW-SEC-016': Severity.ERROR,
    'SW-SEC-017': Severity.ERROR, 'SW-SEC-018': Severity.ERROR, 'SW-SA-001': Severity.WARNING, 'SW-SECRET-001': Severity.ERROR, 'SW-RBAC-001': Severity.ERROR,
  };

  test('a Pod that breaks every security rule gets each finding at its severity', () => {
    const pod: Obj = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n', annotations: { 'container.apparmor.security.beta.kubernetes.io/c': 'unconfined' } },
      spec: {
        hostPID: true,
        securityContext: { runAsUser: 0, sysctls: [{ name: 'kernel.msgmax', value: '1' }], seccompProfile: { type: 'Unconfined' }, seLinuxOptions: { user: 'root' } },
        volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'n', nfs: { server: 's', path: '/' } }],
        containers: [{
          name: 'c', image: 'a:1', ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { privileged: true, runAsUser: 500, capabilities: { add: ['SYS_ADMIN'] }, procMount: 'Unmasked' },
          livenessProbe: { tcpSocket: { port: 80, host: '169.254.169.254' } },
        }, { name: 'root', image: 'a:1' }],
      },
    };
    const secret: Obj = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { k: 'dg==' } };
    const role: Obj = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r', namespace: 'n' }, rules: [{ apiGroups: [''], resources: ['*'], verbs: ['*'] }] };
    const found = new Map<string, Severity>();
    for (const f of audit([pod, secret, role].map(object => ({ object })))) if (!found.has(f.rule.id) || f.severity === Severity.ERROR) found.set(f.rule.id, f.severity);
    const got = Object.fromEntries(Object.keys(expected).map(id => [id, found.get(id)]));
    expect(got).toEqual(expected);
  });

  test('the catalog agrees, and every security rule is covered above', () => {
    const security = Object.values(SecurityRules).map(r => r.id).sort();
    expect(security.filter(id => !(id in expected))).toEqual([]);
    for (const r of Object.values(Rules)) if (r.id in expected) expect([r.id, r.severity]).toEqual([r.id, expected[r.id]]);
  });

  test('construct path: root stops synthesis, a low UID only warns', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'a', apiProps({ name: 'a', security: { user: 0 } }))).toThrow(/SW-SEC-001/);
    const w = new WebService(chart, 'b', apiProps({ name: 'b', security: { user: 5000 } }));
    expect(Findings.of(w).filter(f => f.rule.id === 'SW-SEC-003').map(f => f.severity)).toEqual([Severity.WARNING]);
  });
});
