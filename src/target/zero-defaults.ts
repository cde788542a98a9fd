import { ApiObject } from 'cdk8s';
import { Feature } from './capabilities';
import { KubernetesTarget } from './target';
import { wrapRendering } from '../synth/fast-render';
import { isMap } from '../util/is-map';
import { omitted, replaced } from '../util/merge';

/**
 * Zero values the API server leaves out when it stores an object. Go's `encoding/json` drops the
 * zero value of a field tagged `omitempty` that is not a pointer, so such a field reads back
 * absent, and absent means the zero value: sending it changes nothing in the cluster, but Argo CD
 * and `kubectl diff` compare the manifest with what they read back and show a change forever.
 *
 * Only fields that really are omitted are listed. A pointer field keeps its zero, and the zero
 * means something there (`replicas: 0`, `maxUnavailable: 0`, `runAsUser: 0`,
 * `allowPrivilegeEscalation: false`, `automountServiceAccountToken: false`,
 * `terminationGracePeriodSeconds: 0`); a field without `omitempty` is stored as sent
 * (`onPodConditions: []` of a Job's podFailurePolicy rule); a field whose zero the server
 * defaults to something else is not "omitted" either (a probe's `successThreshold: 0` becomes 1).
 * Types from k8s.io/api (`core/v1/types.go`, `scheduling/v1/types.go`), the same in every minor
 * seaworthy renders for; `test/zero-defaults.test.ts` checks each against the minors' OpenAPI.
 */

/** A field whose zero value the API server drops. */
export interface ZeroDefault {
  /** The k8s.io/api struct and the field's JSON name, e.g. "core/v1 Probe.initialDelaySeconds". */
  readonly field: string;
  /** The Go declaration of the field: its type (never a pointer) and its JSON tag (always `omitempty`). */
  readonly go: string;
  /** The zero value that is dropped. */
  readonly zero: number | boolean | string | readonly [];
  /**
   * Where the field occurs in the objects seaworthy renders: `<Kind>:<path>`, or `pod:<path>`
   * within the Pod spec of every kind that has one; `[]` steps into every item of a list.
   */
  readonly paths: readonly string[];
  /** Why leaving it out changes nothing. */
  readonly why: string;
}

const CONTAINER_LISTS = ['containers', 'initContainers'];
const inContainers = (field: string): string[] => CONTAINER_LISTS.map(list => `pod:${list}[].${field}`);

/** The zero values seaworthy leaves out (see `Feature.OMIT_ZERO_DEFAULTS`), one entry per field. */
export const ZERO_DEFAULTS: readonly ZeroDefault[] = [
  // Every probe seaworthy renders spells out its timing, initialDelaySeconds 0 included.
  {
    field: 'core/v1 Probe.initialDelaySeconds',
    go: 'InitialDelaySeconds int32 `json:"initialDelaySeconds,omitempty"`',
    zero: 0,
    paths: ['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap(p => inContainers(`${p}.initialDelaySeconds`)),
    why: 'the kubelet starts probing at once when there is no delay',
  },
  // An env literal that is the empty string (`env: { FEATURES: Env.value('') }`).
  {
    field: 'core/v1 EnvVar.value',
    go: 'Value string `json:"value,omitempty"`',
    zero: '',
    paths: inContainers('env[].value'),
    why: 'a variable with a name and no value is set to the empty string',
  },
  // A mount given `readOnly: false` explicitly.
  {
    field: 'core/v1 VolumeMount.readOnly',
    go: 'ReadOnly bool `json:"readOnly,omitempty"`',
    zero: false,
    paths: inContainers('volumeMounts[].readOnly'),
    why: 'a mount is read-write unless readOnly is true',
  },
  // cdk8s-plus writes `externalIPs: []` on every Service it renders.
  {
    field: 'core/v1 ServiceSpec.externalIPs',
    go: 'ExternalIPs []string `json:"externalIPs,omitempty"`',
    zero: [],
    paths: ['Service:spec.externalIPs'],
    why: 'no external IPs either way',
  },
  // seaworthy's PriorityClass writes `globalDefault: false` unless it is the default class.
  {
    field: 'scheduling/v1 PriorityClass.globalDefault',
    go: 'GlobalDefault bool `json:"globalDefault,omitempty"`',
    zero: false,
    paths: ['PriorityClass:globalDefault'],
    why: 'a PriorityClass is not the global default unless globalDefault is true',
  },
];

/** The API version of each built-in kind the table reaches (other groups' kinds of the same name are left alone). */
const API_VERSIONS: Readonly<Record<string, string>> = {
  Pod: 'v1', PodTemplate: 'v1', ReplicationController: 'v1', Service: 'v1',
  Deployment: 'apps/v1', ReplicaSet: 'apps/v1', StatefulSet: 'apps/v1', DaemonSet: 'apps/v1',
  Job: 'batch/v1', CronJob: 'batch/v1', PriorityClass: 'scheduling.k8s.io/v1',
};

/** Where each kind keeps its Pod spec. */
const POD_SPECS: Readonly<Record<string, string>> = {
  Pod: 'spec', PodTemplate: 'template.spec', ReplicationController: 'spec.template.spec',
  Deployment: 'spec.template.spec', ReplicaSet: 'spec.template.spec', StatefulSet: 'spec.template.spec', DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec', CronJob: 'spec.jobTemplate.spec.template.spec',
};

interface Compiled {
  readonly steps: readonly string[];
  readonly zero: ZeroDefault['zero'];
}

/** The table's paths for each kind, as steps from the object's root. */
const BY_KIND: ReadonlyMap<string, readonly Compiled[]> = (() => {
  const out = new Map<string, Compiled[]>();
  const add = (kind: string, path: string, zero: ZeroDefault['zero']) => {
    if (!out.has(kind)) out.set(kind, []);
    out.get(kind)!.push({ steps: path.split('.'), zero });
  };
  for (const entry of ZERO_DEFAULTS) {
    for (const p of entry.paths) {
      const [where, path] = [p.slice(0, p.indexOf(':')), p.slice(p.indexOf(':') + 1)];
      if (where === 'pod') for (const [kind, spec] of Object.entries(POD_SPECS)) add(kind, `${spec}.${path}`, entry.zero);
      else add(where, path, entry.zero);
    }
  }
  return out;
})();

function isZero(value: unknown, zero: ZeroDefault['zero']): boolean {
  return Array.isArray(zero) ? Array.isArray(value) && value.length === 0 : value === zero;
}

/**
 * `node` without the zero value at `steps`: the same node when it holds none, else a copy of each
 * map and list on the way (the rest shared). Copies rather than deletes, as rendered objects are
 * kept (see `omitted`).
 */
function withoutZeroAt(node: unknown, steps: readonly string[], at: number, zero: ZeroDefault['zero']): unknown {
  if (!isMap(node)) return node;
  const step = steps[at];
  if (at === steps.length - 1) return step in node && isZero(node[step], zero) ? omitted(node, step) : node;
  const key = step.endsWith('[]') ? step.slice(0, -2) : step;
  const value = node[key];
  let next: unknown = value;
  if (key !== step) {
    if (!Array.isArray(value)) return node;
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = withoutZeroAt(value[i], steps, at + 1, zero);
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    next = copy ?? value;
  } else {
    next = withoutZeroAt(value, steps, at + 1, zero);
  }
  return next === value ? node : replaced(node, key, next);
}

/** The table's paths for a built-in object's kind; none for other objects. */
function zeroPaths(object: unknown): readonly Compiled[] {
  if (!isMap(object) || typeof object.kind !== 'string' || API_VERSIONS[object.kind] !== object.apiVersion) return [];
  return BY_KIND.get(object.kind) ?? [];
}

/** Whether a rendered object holds a zero value of the table. */
export function hasZeroDefaults(object: unknown): boolean {
  return withoutZeroDefaults(object) !== object;
}

/**
 * `object` as the API server stores it: a copy without the zero values of `ZERO_DEFAULTS` (of the
 * maps and lists on the way to each; the rest is shared with `object`), or `object` itself when
 * it holds none (or is not a built-in kind the table covers).
 */
export function withoutZeroDefaults<T>(object: T): T {
  let out: unknown = object;
  for (const c of zeroPaths(object)) out = withoutZeroAt(out, c.steps, 0, c.zero);
  return out as T;
}

/**
 * Leaves the zero values of `ZERO_DEFAULTS` out of what `apiObject` renders, when the target in
 * force at it has `Feature.OMIT_ZERO_DEFAULTS`. Call it after the object's other finishers, so
 * it sees their output too. @internal
 */
export function omitZeroDefaults(apiObject: ApiObject): void {
  if (!KubernetesTarget.of(apiObject).has(Feature.OMIT_ZERO_DEFAULTS)) return;
  wrapRendering(apiObject, renderedWithoutZeroDefaults);
}

function renderedWithoutZeroDefaults(render: ApiObject['toJson']): unknown {
  return withoutZeroDefaults(render());
}
