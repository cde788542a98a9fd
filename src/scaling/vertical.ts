import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import * as vpa from '../../imports/vpa';
import { formatBytes, formatCpu } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { describeAmount } from '../rules/families/vertical-scaling';
import { Reporter } from '../rules/finding';
import { Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { checkEnum, closestName } from '../validation/props';
import { parseQuantity } from '../validation/quantity';

/**
 * How the VerticalPodAutoscaler applies its recommendations.
 * @see https://github.com/kubernetes/autoscaler/blob/master/vertical-pod-autoscaler/docs/quickstart.md#quick-start
 */
export enum VerticalUpdateMode {
  /** Recommends only (`kubectl describe vpa`); never changes a Pod. */
  OFF = 'Off',
  /** Sizes new Pods when they are created (rollouts, scale-ups, rescheduling); never touches running ones. */
  INITIAL = 'Initial',
  /** Sizes new Pods, and evicts running ones whose size is far from the recommendation. */
  RECREATE = 'Recreate',
  /**
   * Resizes running Pods in place (no restart for cpu), and evicts only when a resize cannot
   * happen in place (the node lacks room). Needs Kubernetes 1.33+ and VPA 1.4+ (GA in VPA 1.6).
   */
  IN_PLACE_OR_RECREATE = 'InPlaceOrRecreate',
}

/** Which values of a container the VerticalPodAutoscaler sets. */
export enum ControlledValues {
  /** Requests and limits, in proportion: a Guaranteed container (limit = request) stays Guaranteed. */
  REQUESTS_AND_LIMITS = 'RequestsAndLimits',
  /** Requests only; limits stay. On Guaranteed Pods the requests drift below the limits (rule SW-VPA-002). */
  REQUESTS_ONLY = 'RequestsOnly',
}

/** A resource the VerticalPodAutoscaler may scale. */
export enum VerticalResource {
  /** CPU requests (and limits, with RequestsAndLimits). */
  CPU = 'cpu',
  /** Memory requests (and limits, with RequestsAndLimits). */
  MEMORY = 'memory',
}

/** A bound of vertical scaling, per resource. */
export interface VerticalBounds {
  /**
   * CPU bound.
   * @default - `minAllowed`: the container's `size.cpu`; `maxAllowed`: none, which is an error while cpu is scaled
   */
  readonly cpu?: kplus.Cpu;
  /**
   * Memory bound.
   * @default - `minAllowed`: the container's `size.memory`; `maxAllowed`: none, which is an error while memory is scaled
   */
  readonly memory?: Size;
}

/**
 * Vertical autoscaling of the main container with a VerticalPodAutoscaler
 * (`autoscaling.k8s.io/v1`, which must be installed in the cluster): it learns the container's
 * usage and sets its cpu and memory between `minAllowed` and `maxAllowed`, requests and limits
 * together so the Pods stay Guaranteed. Sidecars and init containers keep their sizes. The
 * Tenant's quota check counts the workload at `maxAllowed` (rule SW-NS-002).
 * @see https://github.com/kubernetes/autoscaler/tree/master/vertical-pod-autoscaler
 */
export interface VerticalScalingProps {
  /**
   * The largest size the autoscaler may give the main container, for every scaled resource, at
   * or above `size` (rule SW-VPA-004). Required (rule SW-VPA-005 in the audit): how far one Pod
   * may grow is a capacity decision, and the namespace quota is checked against it.
   */
  readonly maxAllowed: VerticalBounds;
  /**
   * The smallest size the autoscaler may give the main container, at or below `size`.
   * @default - the container's `size`: the autoscaler only grows the Pods beyond what they were sized and tested for
   */
  readonly minAllowed?: VerticalBounds;
  /**
   * The resources it scales. Scale only memory to combine it with horizontal autoscaling on cpu
   * (rule SW-VPA-001).
   * @default [VerticalResource.CPU, VerticalResource.MEMORY]
   */
  readonly resources?: VerticalResource[];
  /**
   * How recommendations reach the Pods.
   * @default - VerticalUpdateMode.IN_PLACE_OR_RECREATE where the target resizes Pods in place (Kubernetes 1.33+), VerticalUpdateMode.RECREATE before
   */
  readonly updateMode?: VerticalUpdateMode;
  /**
   * Which values it sets. `REQUESTS_ONLY` on Guaranteed Pods is an error (rule SW-VPA-002).
   * @default ControlledValues.REQUESTS_AND_LIMITS
   */
  readonly controlledValues?: ControlledValues;
  /**
   * Whether an in-place memory resize restarts the main container (`resizePolicy` memory
   * `RestartContainer`); cpu is always resized without a restart (`NotRequired`). Most runtimes
   * size their heap once, at start (JVM, Node.js, Go's GOMEMLIMIT from the Downward API), so a
   * larger limit is unused until a restart and a smaller one can OOM-kill a running process; and
   * Kubernetes 1.33 refuses to lower a memory limit in place unless the container restarts. Set
   * false for a process that follows its cgroup limit live.
   * @default true
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/resize-container-resources/#container-resize-policies
   */
  readonly restartOnMemoryResize?: boolean;
}

/** Validated vertical scaling settings. */
export interface ResolvedVerticalScaling {
  /** The update mode, the target's default resolved. */
  readonly updateMode: VerticalUpdateMode;
  /** Which values the VPA sets. */
  readonly controlledValues: ControlledValues;
  /** The scaled resources, in the CRD's order. */
  readonly resources: readonly VerticalResource[];
  /** Rendered minAllowed quantities per scaled resource (the size when not given). */
  readonly minAllowed: Readonly<Record<string, string>>;
  /** Rendered maxAllowed quantities per scaled resource. */
  readonly maxAllowed: Readonly<Record<string, string>>;
  /** The main container's `resizePolicy`, when the Pods are resized in place. */
  readonly resizePolicy?: k8s.ContainerResizePolicy[];
}

const BOUND_KEYS = ['cpu', 'memory'];

/**
 * Validates `autoscaling.vertical` against the main container's `size`: bounds well-formed,
 * complete for every scaled resource and ordered min <= size <= max (rule SW-VPA-004).
 */
export function resolveVerticalScaling(props: VerticalScalingProps, size: { readonly cpu?: unknown; readonly memory?: unknown } | undefined, target: KubernetesTarget, reporter: Reporter): ResolvedVerticalScaling {
  const at = 'autoscaling.vertical';
  checkEnum(reporter, `${at}.updateMode`, props.updateMode, VerticalUpdateMode as unknown as Record<string, string>);
  checkEnum(reporter, `${at}.controlledValues`, props.controlledValues, ControlledValues as unknown as Record<string, string>);
  if (props.restartOnMemoryResize !== undefined && typeof props.restartOnMemoryResize !== 'boolean') reporter.report(Rules.PROPS_INVALID, `${at}.restartOnMemoryResize`, props.restartOnMemoryResize, 'must be true or false');
  const resources = resolveResources(props.resources, reporter);
  const inPlace = target.has(Feature.IN_PLACE_POD_RESIZE);
  const updateMode = props.updateMode ?? (inPlace ? VerticalUpdateMode.IN_PLACE_OR_RECREATE : VerticalUpdateMode.RECREATE);
  const declared: Record<string, string | undefined> = { cpu: formatCpu(size?.cpu), memory: formatBytes(size?.memory) };
  const max = bounds(props.maxAllowed, `${at}.maxAllowed`, resources, reporter, true);
  const min = bounds(props.minAllowed, `${at}.minAllowed`, resources, reporter, false);
  const minAllowed: Record<string, string> = {};
  const maxAllowed: Record<string, string> = {};
  const given = (r: string) => (props.maxAllowed !== null && typeof props.maxAllowed === 'object' ? (props.maxAllowed as unknown as Record<string, unknown>)[r] : undefined);
  const n = (v: string) => parseQuantity(v)!;
  for (const r of resources) {
    const own = declared[r];
    const hi = max[r];
    if (hi === undefined) {
      if (props.maxAllowed !== null && typeof props.maxAllowed === 'object' && given(r) === undefined) {
        reporter.report(Rules.PROPS_INVALID, `${at}.maxAllowed.${r}`, undefined, `is required while ${r} is scaled (autoscaling.vertical.resources): without it the VerticalPodAutoscaler may raise ${r} without bound, and the namespace quota cannot be checked (rule SW-VPA-005)`);
      }
      continue;
    }
    if (own !== undefined && n(hi) < n(own)) reporter.report(Rules.VPA_BOUNDS_INVALID, `${at}.maxAllowed.${r}`, hi, `is below size.${r} (${own}): the autoscaler would shrink every Pod below the size it was given and tested with`);
    const lo = min[r];
    if (lo !== undefined && own !== undefined && n(lo) > n(own)) reporter.report(Rules.VPA_BOUNDS_INVALID, `${at}.minAllowed.${r}`, lo, `is above size.${r} (${own}): raise the size instead, so new Pods start at it`);
    else if (lo !== undefined && n(lo) > n(hi)) reporter.report(Rules.VPA_BOUNDS_INVALID, `${at}.minAllowed.${r}`, lo, `is above maxAllowed.${r} (${describeAmount(r, n(hi))})`);
    const floor = lo ?? own;
    if (floor !== undefined) minAllowed[r] = floor;
    maxAllowed[r] = hi;
  }
  if (props.maxAllowed === undefined || props.maxAllowed === null) {
    reporter.report(Rules.PROPS_INVALID, `${at}.maxAllowed`, props.maxAllowed, `is required: how far one Pod may grow (${resources.join(', ')}) is what the namespace quota is checked against, e.g. { cpu: Cpu.units(2), memory: Size.gibibytes(2) }`);
  }
  const controlledValues = props.controlledValues ?? ControlledValues.REQUESTS_AND_LIMITS;
  const resizesInPlace = inPlace && updateMode === VerticalUpdateMode.IN_PLACE_OR_RECREATE;
  const resizePolicy: k8s.ContainerResizePolicy[] | undefined = resizesInPlace ? [
    { resourceName: 'cpu', restartPolicy: 'NotRequired' },
    { resourceName: 'memory', restartPolicy: props.restartOnMemoryResize === false ? 'NotRequired' : 'RestartContainer' },
  ] : undefined;
  return { updateMode, controlledValues, resources, minAllowed, maxAllowed, resizePolicy };
}

function resolveResources(value: VerticalResource[] | undefined, reporter: Reporter): VerticalResource[] {
  const all = [VerticalResource.CPU, VerticalResource.MEMORY];
  if (value === undefined) return all;
  const known = Object.values(VerticalResource) as string[];
  if (!Array.isArray(value) || value.length === 0 || value.some(v => !known.includes(v)) || new Set(value).size !== value.length) {
    reporter.report(Rules.PROPS_INVALID, 'autoscaling.vertical.resources', value, 'must list VerticalResource.CPU and/or VerticalResource.MEMORY, each once');
    return all;
  }
  // The CRD order (cpu, memory), whatever order they were given in.
  return all.filter(r => value.includes(r));
}

/** The rendered bounds of `value` (cpu, memory), reporting malformed ones and bounds of resources that are not scaled. */
function bounds(value: VerticalBounds | undefined, at: string, resources: readonly VerticalResource[], reporter: Reporter, required: boolean): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  if (value === undefined || (value === null && required)) return out;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    reporter.report(Rules.PROPS_INVALID, at, value, 'must be an object with cpu (a Cpu) and/or memory (a Size)');
    return out;
  }
  for (const key of Object.keys(value)) {
    if (BOUND_KEYS.includes(key)) continue;
    const closest = closestName(key, BOUND_KEYS);
    reporter.report(Rules.PROPS_UNKNOWN, `${at}.${key}`, (value as Record<string, unknown>)[key], `is not a prop of VerticalBounds${closest ? ` (the closest one is "${closest}")` : ''}`);
  }
  const rendered: Record<string, string | undefined> = { cpu: value.cpu === undefined ? undefined : formatCpu(value.cpu), memory: value.memory === undefined ? undefined : formatBytes(value.memory) };
  for (const r of BOUND_KEYS) {
    const given = (value as Record<string, unknown>)[r];
    if (given === undefined) continue;
    if (!resources.includes(r as VerticalResource)) {
      reporter.report(Rules.PROPS_INVALID, `${at}.${r}`, describe(given), `bounds ${r}, which is not scaled (autoscaling.vertical.resources: ${resources.join(', ')}); remove it`);
    } else if (rendered[r] === undefined) {
      reporter.report(Rules.SIZE_INVALID, `${at}.${r}`, describe(given), r === 'cpu' ? 'must be a positive Cpu of whole millicores, e.g. Cpu.units(2)' : 'must be a positive Size of whole bytes, e.g. Size.gibibytes(2)');
    } else {
      out[r] = rendered[r];
    }
  }
  return out;
}

function describe(value: unknown): unknown {
  if (value instanceof kplus.Cpu) return value.amount;
  if (value instanceof Size) return formatBytes(value) ?? 'an invalid Size';
  return value;
}

/** What the VerticalPodAutoscaler of a workload scales: its controller and main container. */
export interface VerticalTarget {
  /** The controller's kind, e.g. "Deployment". */
  readonly kind: string;
  /** The controller's name. */
  readonly name: string;
  /** The main container's name. */
  readonly container: string;
}

/**
 * The VerticalPodAutoscaler's props for `target`: the main container scaled within its bounds,
 * every other container (sidecars in the template, and sidecars injected at admission such as a
 * mesh proxy) left at its size by a `*` policy with mode Off.
 */
export function verticalAutoscalerProps(metadata: { readonly name: string; readonly labels: Record<string, string>; readonly annotations: Record<string, string> }, target: VerticalTarget, resolved: ResolvedVerticalScaling): vpa.VerticalPodAutoscalerProps {
  const list = <T>(from: Readonly<Record<string, string>>, make: (v: string) => T) => (Object.keys(from).length === 0 ? undefined : Object.fromEntries(Object.entries(from).map(([k, v]) => [k, make(v)])));
  return {
    metadata: { name: metadata.name, labels: { ...metadata.labels }, annotations: Object.keys(metadata.annotations).length > 0 ? { ...metadata.annotations } : undefined },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: target.kind, name: target.name },
      updatePolicy: { updateMode: resolved.updateMode as unknown as vpa.VerticalPodAutoscalerSpecUpdatePolicyUpdateMode },
      resourcePolicy: {
        containerPolicies: [
          {
            containerName: target.container,
            controlledResources: [...resolved.resources],
            controlledValues: resolved.controlledValues as unknown as vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesControlledValues,
            minAllowed: list(resolved.minAllowed, v => vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMinAllowed.fromString(v)),
            maxAllowed: list(resolved.maxAllowed, v => vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMaxAllowed.fromString(v)),
          },
          { containerName: '*', mode: vpa.VerticalPodAutoscalerSpecResourcePolicyContainerPoliciesMode.OFF },
        ],
      },
    },
  };
}

/** The VerticalPodAutoscaler of a workload, named like it. */
export function createVerticalAutoscaler(scope: Construct, props: vpa.VerticalPodAutoscalerProps): vpa.VerticalPodAutoscaler {
  return new vpa.VerticalPodAutoscaler(scope, 'VerticalAutoscaler', props);
}
