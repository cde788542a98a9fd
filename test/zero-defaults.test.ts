import * as fs from 'fs';
import { App, Chart, Size, Testing } from 'cdk8s';
import { Env, KubernetesTarget, KubernetesVersion, PodVolume, synthesize, WebService } from '../src';
import { EXAMPLES } from '../src/construct-examples';
import { buildApp, PRODUCTION } from '../src/main';
import { Feature } from '../src/target/capabilities';
import { hasZeroDefaults, withoutZeroDefaults, ZERO_DEFAULTS } from '../src/target/zero-defaults';
import { schemaPath, SCHEMA_VERSIONS } from './support/k8s-schema';
import { podSpecOf } from './support/pod-checks';
import { apiProps } from './support/props';
import { KubeObject, only, synthValid } from './support/synth';

/**
 * Zero values the API server drops (Go `omitempty` on non-pointer fields) are left out from
 * the first target whose output may change (`Feature.OMIT_ZERO_DEFAULTS`); meaningful zeros stay.
 */

const LONG_AGO = new Date('2024-01-01');
const LATER = KubernetesTarget.SUPPORTED_VERSIONS.filter(v => KubernetesTarget.version(v).has(Feature.OMIT_ZERO_DEFAULTS));

type Definitions = Record<string, { properties?: Record<string, { type?: string; format?: string; items?: { type?: string } }>; required?: string[] }>;
const definitions = new Map<string, Definitions>(SCHEMA_VERSIONS.map(v => [v, (JSON.parse(fs.readFileSync(schemaPath(v), 'utf8')) as { definitions: Definitions }).definitions]));

/** "core/v1 Probe.initialDelaySeconds" → the OpenAPI definition name, the JSON field. */
function openApiOf(field: string): { definition: string; json: string } {
  const m = /^(\w+)\/(\w+) (\w+)\.(\w+)$/.exec(field);
  if (!m) throw new Error(`not "<group>/<version> <Struct>.<field>": ${field}`);
  return { definition: `io.k8s.api.${m[1]}.${m[2]}.${m[3]}`, json: m[4] };
}

const SCHEMA_TYPE: Readonly<Record<string, string>> = { int32: 'integer', int64: 'integer', bool: 'boolean', string: 'string' };

describe('the table of zero values the API server drops', () => {
  test.each(ZERO_DEFAULTS.map(e => [e.field, e] as const))('%s: omitempty, not a pointer, optional in every minor\'s OpenAPI', (_field, entry) => {
    // The Go declaration: `Name []?type \`json:"name,omitempty"\``, never `*type`.
    const go = /^(\w+) (\[\])?(\w+) `json:"(\w+),omitempty"`$/.exec(entry.go);
    expect(go).not.toBeNull();
    const [, , list, type, json] = go!;
    const { definition, json: field } = openApiOf(entry.field);
    expect(json).toBe(field);
    expect(entry.zero).toEqual(list ? [] : { int32: 0, int64: 0, bool: false, string: '' }[type]);
    // Where it is rendered: every path ends with the field.
    for (const p of entry.paths) expect(p).toMatch(new RegExp(`[.:]${field}$`));
    // Optional (not "required") in every minor's OpenAPI: the generator marks a field required only without omitempty.
    for (const [version, defs] of definitions) {
      const def = defs[definition];
      expect([version, def?.properties?.[field] ? 'present' : 'missing']).toEqual([version, 'present']);
      expect([version, def.required ?? []]).toEqual([version, expect.not.arrayContaining([field])]);
      const schema = def.properties![field];
      expect([version, list ? `array of ${schema.items?.type}` : schema.type]).toEqual([version, list ? `array of ${SCHEMA_TYPE[type]}` : SCHEMA_TYPE[type]]);
    }
  });

  test.each(ZERO_DEFAULTS.flatMap(e => e.paths.flatMap(p => objectsAt(p).map(o => [`${o.kind} ${p}`, e.zero, o] as const))))('%s: the zero is dropped, any other value kept', (_label, zero, at) => {
    const object = at.build(zero);
    const stored = withoutZeroDefaults(object);
    expect(at.read(stored)).toBeUndefined();
    expect(at.read(object)).toEqual(zero); // a copy: the input is left alone
    const other = at.build(typeof zero === 'number' ? 5 : typeof zero === 'boolean' ? true : typeof zero === 'string' ? 'x' : ['192.0.2.1']);
    expect(withoutZeroDefaults(other)).toBe(other);
  });

  // The zeros that mean something (pointer fields: the zero is stored and read back) or that the
  // API server does not drop; none may be left out.
  const deployment = (spec: object, pod: object, container: object): KubeObject => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a' },
    spec: { ...spec, template: { spec: { ...pod, containers: [{ name: 'a', image: 'a:1', ...container }], initContainers: [{ name: 'i', image: 'a:1', ...container }] } } },
  });
  const probe = (fields: object) => deployment({}, {}, { livenessProbe: { tcpSocket: { port: 80 }, ...fields }, readinessProbe: { tcpSocket: { port: 80 }, ...fields } });
  const KEPT: ReadonlyArray<readonly [string, KubeObject]> = [
    ['Deployment replicas: 0 (*int32: scaled to zero)', deployment({ replicas: 0 }, {}, {})],
    ['maxUnavailable: 0 (*IntOrString: the zero-downtime rollout)', deployment({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } }, {}, {})],
    ['minReadySeconds: 0 (int32 without omitempty)', deployment({ minReadySeconds: 0 }, {}, {})],
    ['runAsUser / runAsGroup: 0 (*int64: root)', deployment({}, { securityContext: { runAsUser: 0, runAsGroup: 0, fsGroup: 0 } }, { securityContext: { runAsUser: 0, runAsGroup: 0 } })],
    ['allowPrivilegeEscalation: false (*bool)', deployment({}, {}, { securityContext: { allowPrivilegeEscalation: false } })],
    ['readOnlyRootFilesystem: false (*bool)', deployment({}, {}, { securityContext: { readOnlyRootFilesystem: false } })],
    ['privileged / runAsNonRoot: false (*bool)', deployment({}, { securityContext: { runAsNonRoot: false } }, { securityContext: { privileged: false, runAsNonRoot: false } })],
    ['Pod automountServiceAccountToken: false (*bool: no token)', deployment({}, { automountServiceAccountToken: false }, {})],
    ['ServiceAccount automountServiceAccountToken: false (*bool)', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a' }, automountServiceAccountToken: false }],
    ['Pod terminationGracePeriodSeconds: 0 (*int64: kill at once)', deployment({}, { terminationGracePeriodSeconds: 0, activeDeadlineSeconds: 0 }, {})],
    ['probe terminationGracePeriodSeconds: 0 (*int64)', probe({ terminationGracePeriodSeconds: 0 })],
    ['probe successThreshold / periodSeconds / timeoutSeconds / failureThreshold: 0 (omitempty, but defaulted to 1, 10, 1, 3: read back, not omitted)', probe({ successThreshold: 0, periodSeconds: 0, timeoutSeconds: 0, failureThreshold: 0 })],
    ['env valueFrom optional: false (*bool)', deployment({}, {}, { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k', optional: false } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: false } } }] })],
    ['setHostnameAsFQDN / shareProcessNamespace / hostUsers: false (*bool)', deployment({}, { setHostnameAsFQDN: false, shareProcessNamespace: false, hostUsers: false }, {})],
    ['emptyDir: {} (*EmptyDirVolumeSource: the volume itself)', deployment({}, { volumes: [{ name: 'tmp', emptyDir: {} }] }, {})],
    ['StatefulSet partition: 0 (*int32)', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'a' }, spec: { updateStrategy: { rollingUpdate: { partition: 0, maxUnavailable: 1 } } } }],
    ['DaemonSet maxSurge: 0 (*IntOrString)', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'a' }, spec: { updateStrategy: { rollingUpdate: { maxSurge: 0 } } } }],
    ['CronJob suspend: false (*bool)', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'a' }, spec: { suspend: false, jobTemplate: { spec: { backoffLimit: 0, template: { spec: { containers: [] } } } } } }],
    ['Job backoffLimit: 0 (*int32: no retry)', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'a' }, spec: { backoffLimit: 0, template: { spec: { containers: [] } } } }],
    ['Job podFailurePolicy onPodConditions: [] (no omitempty: stored as sent)', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'a' }, spec: { podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [42] }, onPodConditions: [] }] } } }],
    ['HPA stabilizationWindowSeconds: 0 (*int32: scale up at once)', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a' }, spec: { behavior: { scaleUp: { stabilizationWindowSeconds: 0 } } } }],
    ['PersistentVolumeClaim storageClassName: "" (*string: no dynamic provisioning)', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'a' }, spec: { storageClassName: '' } }],
    ['ConfigMap immutable: false (*bool); data value "" (a key set to the empty string)', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, immutable: false, data: { A: '' } }],
    ['NetworkPolicy podSelector: {} (every Pod), ingress [{}] (allow all)', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a' }, spec: { podSelector: {}, ingress: [{}], egress: [{ to: [{ podSelector: {} }] }] } }],
    ['PodDisruptionBudget maxUnavailable: 0 (*IntOrString)', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'a' }, spec: { maxUnavailable: 0 } }],
    ['a custom resource named like a built-in kind (stored as sent)', { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 'a' }, spec: { externalIPs: [] } }],
  ];
  test.each(KEPT)('%s is kept', (_label, object) => {
    expect(hasZeroDefaults(object)).toBe(false);
    expect(withoutZeroDefaults(object)).toBe(object);
  });
});

/** Builders of one kind's object holding a value at `path` ("pod:…" in each kind with a Pod spec). */
function objectsAt(path: string): Array<{ kind: string; build: (value: unknown) => KubeObject; read: (o: KubeObject) => unknown }> {
  const [where, rest] = [path.slice(0, path.indexOf(':')), path.slice(path.indexOf(':') + 1)];
  const api: Record<string, string> = { Pod: 'v1', Service: 'v1', Deployment: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1', Job: 'batch/v1', CronJob: 'batch/v1', PriorityClass: 'scheduling.k8s.io/v1' };
  const podSpec: Record<string, string> = { Pod: 'spec', Deployment: 'spec.template.spec', StatefulSet: 'spec.template.spec', DaemonSet: 'spec.template.spec', Job: 'spec.template.spec', CronJob: 'spec.jobTemplate.spec.template.spec' };
  const targets = where === 'pod' ? Object.entries(podSpec).map(([kind, spec]) => [kind, `${spec}.${rest}`]) : [[where, rest]];
  return targets.map(([kind, full]) => {
    const steps = full.split('.');
    return {
      kind,
      build: value => {
        const root: KubeObject = { apiVersion: api[kind], kind, metadata: { name: 'a' } };
        let node = root;
        steps.forEach((step, i) => {
          const last = i === steps.length - 1;
          const key = step.replace(/\[\]$/, '');
          if (last) node[key] = value;
          else if (step.endsWith('[]')) node = (node[key] = [{ name: 'a' }])[0];
          else node = node[key] = {};
        });
        return root;
      },
      read: o => steps.reduce<unknown>((n, step) => {
        const v = (n as KubeObject | undefined)?.[step.replace(/\[\]$/, '')];
        return step.endsWith('[]') ? (v as unknown[] | undefined)?.[0] : v;
      }, o),
    };
  });
}

/** Every zero value (0, false, "", [], {}) in `value`, as "<path> = <zero>" with list indexes folded. */
function zeros(value: unknown, at = ''): string[] {
  const zero = value === 0 || value === false || value === '' || (Array.isArray(value) && value.length === 0)
    || (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
  if (zero) return [`${at} = ${JSON.stringify(value)}`];
  if (Array.isArray(value)) return value.flatMap(v => zeros(v, `${at}[]`));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => zeros(v, at ? `${at}.${k}` : k));
  return [];
}

/**
 * Every zero value seaworthy renders and why the server keeps it, by the field's name ("[]" for a
 * list item). A zero of another field fails the test below: add it to ZERO_DEFAULTS when the
 * server drops it, here when it does not.
 */
const KEPT_ZEROS: Readonly<Record<string, string>> = {
  automountServiceAccountToken: '*bool (Pod, ServiceAccount)',
  allowPrivilegeEscalation: '*bool', privileged: '*bool', runAsNonRoot: '*bool', runAsUser: '*int64', runAsGroup: '*int64',
  optional: '*bool (configMapKeyRef, secretKeyRef)', setHostnameAsFQDN: '*bool', suspend: '*bool (CronJob)', immutable: '*bool (ConfigMap)',
  maxSurge: '*IntOrString', maxUnavailable: '*IntOrString', partition: '*int32', stabilizationWindowSeconds: '*int32',
  storageClassName: '*string', onPodConditions: 'no omitempty (batch/v1 PodFailurePolicyRule)',
  spec: 'NamespaceSpec, a struct: never omitted', podSelector: 'LabelSelector: selects every Pod',
  '[]': 'a list item: an empty NetworkPolicy rule (allow all), the core API group ""',
  allowEmpty: 'Argo CD Application (custom resource: stored as sent)', group: 'Gateway API ReferenceGrant (custom resource: the core group "")',
};

function unexplainedZeros(objects: readonly KubeObject[]): string[] {
  const unexplained = objects.flatMap(o => zeros(o).filter(z => {
    const path = z.split(' = ')[0];
    return !((path.endsWith('[]') ? '[]' : path.split('.').pop()!) in KEPT_ZEROS);
  }).map(z => `${o.kind} ${z}`));
  return [...new Set(unexplained)];
}

function referenceApp(version: KubernetesVersion): KubeObject[] {
  const app = new App({ outdir: '/nonexistent' });
  KubernetesTarget.set(app, version, { asOf: LONG_AGO });
  buildApp(app, { ...PRODUCTION, kubernetesVersion: version });
  return synthesize(app).flatMap(m => m.objects as KubeObject[]);
}

function examples(version: KubernetesVersion): KubeObject[] {
  return EXAMPLES.flatMap(e => {
    const app = Testing.app();
    KubernetesTarget.set(app, version, { asOf: LONG_AGO });
    const chart = new Chart(app, 'demo', { namespace: 'demo' });
    e.build(chart);
    return chart.toJson() as KubeObject[];
  });
}

describe('what seaworthy renders', () => {
  test('the zeros are left out from 1.29 on, the first target whose output may change', () => {
    expect(LATER[0]).toBe('1.29');
    expect(KubernetesTarget.version('1.28').has(Feature.OMIT_ZERO_DEFAULTS)).toBe(false);
  });

  test.each(LATER)('on %s the reference app and every construct example hold no dropped zero, and every zero they hold means something', version => {
    const objects = [...referenceApp(version), ...examples(version)];
    expect(objects.filter(o => hasZeroDefaults(o)).map(o => `${o.kind}/${o.metadata.name}`)).toEqual([]);
    expect(unexplainedZeros(objects)).toEqual([]);
    // The meaningful zeros are still there.
    const all = objects.flatMap(o => zeros(o));
    for (const kept of ['automountServiceAccountToken = false', 'allowPrivilegeEscalation = false', 'maxUnavailable = 0']) expect(all.some(z => z.endsWith(kept))).toBe(true);
  });

  test('an empty env literal and an explicit read-write mount: left out from 1.29, kept on 1.28', () => {
    const render = (version: KubernetesVersion) => {
      const app = Testing.app();
      KubernetesTarget.set(app, version, { asOf: LONG_AGO });
      const chart = new Chart(app, 'test', { namespace: 'shop' });
      const cache = PodVolume.emptyDir('cache', { sizeLimit: Size.mebibytes(32) });
      new WebService(chart, 'api', apiProps({ env: { FEATURES: Env.value(''), MODE: Env.value('fast') }, mounts: [{ volume: cache, path: '/cache', readOnly: false }] }));
      return podSpecOf(only(synthValid(chart), 'Deployment'))!.containers[0] as KubeObject;
    };
    const now = render('1.35');
    expect(now.env).toEqual([{ name: 'FEATURES' }, { name: 'MODE', value: 'fast' }]);
    expect(now.volumeMounts).toContainEqual({ name: 'cache', mountPath: '/cache' });
    const old = render('1.28');
    expect(old.env).toEqual([{ name: 'FEATURES', value: '' }, { name: 'MODE', value: 'fast' }]);
    expect(old.volumeMounts).toContainEqual({ name: 'cache', mountPath: '/cache', readOnly: false });
  });

  test('on 1.28 the output keeps them, byte for byte as before (the WebService snapshot holds the YAML)', () => {
    const objects = [...referenceApp('1.28'), ...examples('1.28')];
    const all = objects.flatMap(o => zeros(o).map(z => `${o.kind} ${z}`));
    expect(all).toEqual(expect.arrayContaining([
      'Deployment spec.template.spec.containers[].readinessProbe.initialDelaySeconds = 0',
      'Service spec.externalIPs = []',
      'PriorityClass globalDefault = false',
    ]));
  });
});
