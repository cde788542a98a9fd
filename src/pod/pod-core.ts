import { createHash } from 'crypto';
import { ApiObject, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { RULE_IDS, Rules } from '../rules/catalog';
import { podTotal, QuotaContainer } from '../tenancy/quota-arithmetic';
import { FindingCollector } from '../rules/collector';
import { Waiver, waiversAnnotation } from '../rules/waiver';
import { Feature } from '../target/capabilities';
import { carriedMap } from '../synth/own-keys';
import { KubernetesTarget } from '../target/target';
import { omitZeroDefaults } from '../target/zero-defaults';
import { compareCodeUnits } from '../util/compare';
import { durationSeconds } from '../validation/duration';
import { dns1035LabelProblem } from '../validation/names';
import { checkObjects } from '../validation/props';
import { parseQuantity } from '../validation/quantity';
import { ContainerProps } from './container';
import { ContainerKind, ResolvedContainer, resolveContainer, toKplusContainer } from './container-core';
import { containerSecurityContext, ResolvedContainerSecurity, resolveContainerSecurity } from './container-security';
import { Env } from './env';
import { Identity, resolveIdentity } from './labels';
import { checkHooks, PostStart } from './lifecycle';
import { checkPodOptions, renderPodOptions } from './pod-options';
import { PodProps } from './pod-props';
import { MAIN_PORT_NAME, PortDeclaration, ResolvedPort, resolvePorts } from './ports';
import { formatBytes, qosClassOf, QosClass } from './resources';
import { RenderedScheduling, resolveScheduling, Toleration } from './scheduling';
import { ResolvedSecurity, resolveSecurity } from './security';
import { PreStop, ResolvedShutdown, resolveShutdown } from './shutdown';
import { checkSpread, topologySpread } from './spread';
import { resolveSysctls } from './sysctls';
import { checkVolumes, ownsTmp, TMP_VOLUME_NAME, tmpVolume } from './volume-checks';
import { ConfigSource, PodVolume } from './volumes';
import { wrapRendering } from '../synth/fast-render';
import { merged, omitted } from '../util/merge';

/** A port with this name gets the Prometheus scrape annotations. */
export const METRICS_PORT_NAME = 'metrics';

/** Default size limit of the /tmp emptyDir. */
export const DEFAULT_TMP_SIZE = Size.mebibytes(64);

/** The annotation whose value changes whenever a referenced AppConfig's content changes. */
export const CONFIG_HASH_ANNOTATION = 'seaworthy.dev/config-hash';

/** What a workload kind requires of and decides for its Pods. @internal */
export interface PodCoreOptions {
  /** Default `app.kubernetes.io/component` label. */
  readonly component: string;
  /** A main port is required (serving workloads). */
  readonly requirePort: boolean;
  /** A readiness probe is required (serving workloads). */
  readonly requireReadiness: boolean;
  /** A liveness probe is required (workers). */
  readonly requireLiveness: boolean;
  /** Add the default preStop sleep (workloads behind a Service). */
  readonly gracefulStop: boolean;
  /** Spread replicas over nodes and zones (replicated workloads). */
  readonly spread: boolean;
  /** Most Pods of the workload that can run at once; undefined when unbounded (one per node). */
  readonly maxPods?: number;
  /** Whether an update starts a new Pod before the old one has stopped. */
  readonly surges: boolean;
  /**
   * The controllers whose Pods share this Pod's claims when there are several (a workload and its
   * release tracks), named by SW-VOL-004; `maxPods` and `surges` then cover all of them.
   */
  readonly volumeSharers?: readonly string[];
  /** Restart policy of the Pods. */
  readonly restartPolicy: kplus.RestartPolicy;
  /** Tolerations the workload kind adds. */
  readonly extraTolerations?: readonly Toleration[];
  /** Run on the host network (node agents, under a waiver). */
  readonly hostNetwork?: boolean;
  /** Mounts of the main container beyond its `mounts` (StatefulSet volume claims). */
  readonly extraMainMounts?: readonly k8s.VolumeMount[];
  /** Release track of the Pods (`seaworthy.dev/track`), part of their labels and selector. */
  readonly track?: string;
  /**
   * `resizePolicy` of the main container, when a VerticalPodAutoscaler resizes it in place
   * (only on targets with in-place resize: older API servers drop the field).
   */
  readonly resizePolicy?: readonly k8s.ContainerResizePolicy[];
}

/**
 * The shared Pod core: validates `PodProps` once, in the constructor, and turns them into a
 * hardened Pod template on top of a cdk8s-plus workload.
 *
 * cdk8s-plus renders the container basics (image, ports, command, env, security context,
 * lifecycle), the Pod security context, service account and grace period. The core renders what
 * cdk8s-plus-28 cannot express, in `finishTemplate()`: probes on named ports with every field,
 * exact resource quantities (cdk8s-plus renders only whole MiB/GiB), volumes it lacks
 * (projected, downwardAPI) and exact sizeLimits, scheduling, Pod options, Pod-level seccomp,
 * topology spread, the config hash, and a template without the path-derived
 * `cdk8s.io/metadata.addr` label.
 */
export class PodCore {
  /** Name of the workload, of its main container and of its objects. */
  public readonly name: string;
  /** Declared container ports of the app containers; the main "http" port first when there is one. */
  public readonly ports: readonly ResolvedPort[];
  /** Recommended labels, selector and annotations. */
  public readonly identity: Identity;
  /** Resolved shutdown sequence. */
  public readonly shutdown: ResolvedShutdown;
  /** Resolved security settings. */
  public readonly security: ResolvedSecurity;
  /** The accepted waivers. */
  public readonly waivers: readonly Waiver[];
  /**
   * The waivers as annotations (`seaworthy.dev/waivers` and one per waiver), for the workload's
   * objects and its Pod template; empty when there are none.
   */
  public readonly waiverAnnotations: Readonly<Record<string, string>>;
  /** The main container, sidecars and init containers, validated. */
  public readonly containers: readonly ResolvedContainer[];
  /** The Kubernetes minor the Pods are rendered for. */
  public readonly target: KubernetesTarget;
  private readonly volumes: readonly PodVolume[];
  private tokenMounted = false;
  private scrapedByMonitor = false;
  private readonly scheduling: RenderedScheduling;
  private readonly configs: readonly ConfigSource[];
  private readonly sysctls: k8s.Sysctl[] | undefined;
  /** Init containers with privileges of their own, by name. */
  private readonly containerSecurity: ReadonlyMap<string, ResolvedContainerSecurity>;

  constructor(private readonly props: PodProps, collector: FindingCollector, private readonly options: PodCoreOptions) {
    this.waivers = collector.waive(props.waivers, RULE_IDS);
    this.waiverAnnotations = waiversAnnotation(this.waivers);
    this.target = KubernetesTarget.of(collector.scope);
    checkObjects(collector, props, ['burst', 'shutdown', 'security', 'spread', 'scheduling', 'podOptions']);
    if (props.podOptions && typeof props.podOptions === 'object') checkPodOptions(props.podOptions, collector);
    const nameProblem = dns1035LabelProblem(props.name);
    if (nameProblem) collector.report(Rules.NAME_INVALID, 'name', props.name, nameProblem);
    this.name = props.name;

    if (options.requirePort && props.port === undefined) {
      collector.report(Rules.PORT_INVALID, 'port', undefined, 'a serving workload needs a main port');
    }
    const mainPortName = props.portName ?? MAIN_PORT_NAME;
    const main: ContainerProps = merged(props, { ports: props.port === undefined ? props.extraPorts : [{ name: mainPortName, port: props.port }, ...(props.extraPorts ?? [])], preStop: undefined, security: undefined });
    const sidecars = listOf(props.sidecars, 'sidecars', collector);
    const inits = listOf(props.initContainers, 'initContainers', collector);
    const declarations: PortDeclaration[] = [
      ...(props.port === undefined ? [] : [{ field: 'port', bare: true, container: props.name, spec: { name: mainPortName, port: props.port } }]),
      ...(props.extraPorts ?? []).map((spec, i) => ({ field: `extraPorts[${i}]`, container: props.name, spec })),
      ...sidecars.flatMap((s, i) => (s.ports ?? []).map((spec, j) => ({ field: `sidecars[${i}].ports[${j}]`, container: s.name, spec }))),
    ];
    inits.forEach((c, i) => {
      if (c.ports !== undefined && c.ports.length > 0) collector.report(Rules.INIT_CONTAINER_HOOKS, `initContainers[${i}].ports`, c.ports.map(p => p.port), 'serves nothing: an init container has exited before the app starts (a serving helper is a sidecar)');
    });
    this.ports = resolvePorts(declarations, collector);
    const portsOf = (name: string) => this.ports.filter(p => p.container === name);

    const pullSecrets = Array.isArray(props.podOptions?.imagePullSecrets) && props.podOptions.imagePullSecrets.length > 0;
    this.containers = [
      resolveContainer(main, ContainerKind.MAIN, '', portsOf(props.name), collector, pullSecrets),
      ...sidecars.map((c, i) => resolveContainer(c, ContainerKind.SIDECAR, `sidecars[${i}].`, portsOf(c.name), collector, pullSecrets)),
      ...inits.map((c, i) => resolveContainer(c, ContainerKind.INIT, `initContainers[${i}].`, [], collector, pullSecrets)),
    ];
    const seen = new Map<string, string>();
    for (const c of this.containers) {
      const before = seen.get(c.name);
      if (before !== undefined) collector.report(Rules.CONTAINER_NAME_DUPLICATE, `${c.prefix}name`, c.name, `is already the name of ${before || 'the main container'}`);
      seen.set(c.name, c.prefix.replace(/\.$/, ''));
    }
    this.containerSecurity = resolvePrivileges(this.containers, this.waivers, collector);
    const mainContainer = this.containers[0];
    for (const c of this.containers) {
      if (c.kind === ContainerKind.INIT) continue;
      const main = c.kind === ContainerKind.MAIN;
      checkHooks(main ? props.postStart : c.props.postStart, main ? props.shutdown?.preStop : c.props.preStop, c.prefix, main ? 'shutdown.preStop' : `${c.prefix}preStop`, props.port !== undefined, this.target, collector);
    }
    if (!this.nativeSidecars) {
      sidecars.forEach((c, i) => collector.report(Rules.SIDECAR_NOT_NATIVE, `sidecars[${i}]`, c.name,
        options.restartPolicy === kplus.RestartPolicy.ALWAYS
          ? `${this.target} has no native sidecars, so "${c.name}" gets SIGTERM with the app and stops while it still drains`
          : `${this.target} has no native sidecars, so "${c.name}" keeps the Pod running after the app exits and the Job never completes`));
    }
    if (options.requireReadiness && props.readiness === undefined) {
      collector.report(Rules.PROBE_READINESS_MISSING, 'readiness', undefined, 'a serving workload needs a readiness probe');
    }
    if (options.requireLiveness && props.liveness === undefined) {
      collector.report(Rules.PROBE_LIVENESS_MISSING, 'liveness', undefined, 'a worker needs a liveness probe');
    }
    this.identity = resolveIdentity(props.name, props, mainContainer.imageVersion, options.component, collector, {
      metricsPort: this.ports.some(p => p.name === METRICS_PORT_NAME), track: options.track,
    });
    // Native sidecars get SIGTERM (after their own preStop) only once the app containers exit.
    const sidecarStop = this.nativeSidecars ? Math.max(0, ...sidecars.map(s => (s.preStop instanceof PreStop ? durationSeconds(s.preStop.delay) ?? 0 : 0))) : 0;
    this.shutdown = resolveShutdown(props.shutdown, options.gracefulStop ? undefined : PreStop.none(), collector, sidecarStop);
    this.security = resolveSecurity(props.security, collector);
    this.sysctls = resolveSysctls(props.security?.sysctls, this.target, options.hostNetwork ?? false, this.waivers, collector);
    checkSpread(props.spread, collector);
    if (options.hostNetwork) {
      collector.report(Rules.HOST_NAMESPACES, 'hostNetwork', true, 'the Pod shares the node\'s network namespace');
    }
    let tmpSize = props.tmpSize ?? DEFAULT_TMP_SIZE;
    if (formatBytes(tmpSize) === undefined) {
      collector.report(Rules.SIZE_INVALID, 'tmpSize', tmpSize, 'must be a positive size such as Size.mebibytes(64)');
      tmpSize = DEFAULT_TMP_SIZE;
    }
    const tmp = tmpVolume(tmpSize);
    this.volumes = checkVolumes(this.containers, tmp, { maxPods: options.maxPods, surges: options.surges, sharers: options.volumeSharers }, collector, props.tmpSize !== undefined);
    this.scheduling = resolveScheduling(props.scheduling, options.spread ? this.identity.selector : undefined, options.extraTolerations ?? [], collector);
    this.configs = [...new Map(this.containers.flatMap(c => c.configs).map(c => [c.name, c])).values()];
  }

  /** Whether sidecars render as native sidecars (init containers with `restartPolicy: Always`). */
  public get nativeSidecars(): boolean {
    return this.target.has(Feature.NATIVE_SIDECARS);
  }

  /** The QoS class the Pods will get. */
  public get qosClass(): QosClass {
    const render = (init: boolean) => this.containers.filter(c => this.rendersAsInit(c) === init).map(c => ({ name: c.name, resources: c.resources }));
    return qosClassOf({ containers: render(false), initContainers: render(true) });
  }

  /**
   * What the scheduler reserves per Pod, in cores and bytes: the app containers and native
   * sidecars together, or an init container plus the sidecars started before it if that is more
   * (regular init containers run one at a time, before the app).
   */
  public get podRequests(): { readonly cpu: number; readonly memory: number } {
    const containers = this.quotaContainers;
    const total = (r: string) => podTotal(containers.map(c => ({ amount: c.requests[r] ?? 0, init: c.init, sidecar: c.sidecar })));
    return { cpu: total('cpu'), memory: total('memory') };
  }

  /**
   * The containers as the quota and the LimitRanger see them, in Pod order: requests and limits
   * in cores and bytes, native sidecars among the init containers.
   */
  public get quotaContainers(): QuotaContainer[] {
    const numbers = (list: Record<string, k8s.Quantity> | undefined) => {
      const out: Partial<Record<string, number>> = {};
      for (const [k, v] of Object.entries(list ?? {})) {
        const n = parseQuantity(v.value);
        if (n !== undefined) out[k] = n;
      }
      return out;
    };
    return this.containers.map(c => ({
      name: c.name,
      init: this.rendersAsInit(c),
      sidecar: c.kind === ContainerKind.SIDECAR && this.nativeSidecars,
      requests: numbers(c.resources.requests),
      limits: numbers(c.resources.limits),
    }));
  }

  /** Whether `c` is rendered among the init containers (init containers and native sidecars). */
  private rendersAsInit(c: ResolvedContainer): boolean {
    return c.kind === ContainerKind.INIT || (c.kind === ContainerKind.SIDECAR && this.nativeSidecars);
  }

  /** The Pods' priorityClassName, when set (quota scopes match on it). */
  public get priorityClassName(): string | undefined {
    return this.scheduling.priorityClassName;
  }

  /** The main port number, when there is one. */
  public get mainPort(): number | undefined {
    return this.props.port;
  }

  /** Annotations for the workload object itself (ownership, waivers). */
  public get objectAnnotations(): Record<string, string> {
    return merged(this.identity.annotations, this.waiverAnnotations);
  }

  /**
   * The cdk8s-plus workload props this core decides. `scope` owns the reference constructs
   * created for env values (ConfigMaps, Secrets).
   */
  public workloadProps(scope: Construct): kplus.WorkloadProps & { readonly containers: kplus.ContainerProps[]; readonly initContainers: kplus.ContainerProps[] } {
    const bind = (c: ResolvedContainer) => (env: Env, key: string) => env._bind(scope, `Env-${c.name}-${key}`);
    const toKplus = (c: ResolvedContainer): kplus.ContainerProps => {
      const own = this.containerSecurity.get(c.name);
      const base = toKplusContainer(c, this.ports, this.security, this.preStopOf(c), this.props.port, bind(c));
      const rendered = own ? merged(base, { securityContext: containerSecurityContext(this.security, own) }) : base;
      return c.kind === ContainerKind.SIDECAR && this.nativeSidecars ? merged(rendered, { restartPolicy: kplus.ContainerRestartPolicy.ALWAYS }) : rendered;
    };
    return {
      select: false,
      podMetadata: { labels: carriedMap(scope, this.identity.podLabels), annotations: carriedMap(scope, this.identity.podAnnotations) },
      securityContext: this.security.pod,
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(this.shutdown.gracePeriodSeconds),
      restartPolicy: this.options.restartPolicy,
      containers: this.containers.filter(c => !this.rendersAsInit(c)).map(toKplus),
      initContainers: this.containers.filter(c => this.rendersAsInit(c)).map(toKplus),
    };
  }

  private preStopOf(c: ResolvedContainer): PreStop | undefined {
    return c.kind === ContainerKind.MAIN ? this.shutdown.preStop : c.props.preStop instanceof PreStop ? c.props.preStop : undefined;
  }

  /**
   * Finishes the rendered object for the target: adds the Pod fields that the cdk8s-plus-28
   * (Kubernetes 1.28) classes cannot carry and drop when they render (the preStop and postStart
   * `sleep` action), then leaves out the zero values the API server drops (`omitZeroDefaults`).
   * `templateOf` finds the Pod template (or Pod) in the object's JSON.
   */
  public finishApiObject(apiObject: ApiObject, templateOf: (json: JsonObject) => JsonObject | undefined): void {
    this.addSleepActions(apiObject, templateOf);
    omitZeroDefaults(apiObject);
  }

  private addSleepActions(apiObject: ApiObject, templateOf: (json: JsonObject) => JsonObject | undefined): void {
    if (!this.target.has(Feature.PRESTOP_SLEEP_ACTION)) return;
    const sleeps = new Map<string, { preStop?: number; postStart?: number }>();
    for (const c of this.containers) {
      const preStop = this.preStopOf(c)?._sleepSeconds;
      const postStart = c.kind !== ContainerKind.INIT && c.props.postStart instanceof PostStart ? c.props.postStart._sleepSeconds : undefined;
      if (preStop !== undefined || postStart !== undefined) sleeps.set(c.name, { preStop, postStart });
    }
    if (sleeps.size === 0) return;
    wrapRendering(apiObject, render => {
      const json = render() as JsonObject;
      const spec = templateOf(json)?.spec as JsonObject | undefined;
      for (const key of ['initContainers', 'containers']) {
        for (const c of (spec?.[key] ?? []) as JsonObject[]) {
          const seconds = sleeps.get(c.name as string);
          const lifecycle = c.lifecycle as JsonObject | undefined;
          if (seconds === undefined || lifecycle === undefined) continue;
          // Replaces the exec form in place, so the key order stays as cdk8s-plus renders it.
          const out = merged(lifecycle);
          for (const hook of ['preStop', 'postStart'] as const) {
            if (seconds[hook] !== undefined && out[hook]) out[hook] = { sleep: { seconds: seconds[hook] } };
          }
          c.lifecycle = out;
        }
      }
      return json;
    });
  }

  /** Mounts the ServiceAccount token into the Pods (for workloads granted API access). */
  public mountServiceAccountToken(): void {
    this.tokenMounted = true;
  }

  /** Whether the Pods get the ServiceAccount token. */
  public get serviceAccountTokenMounted(): boolean {
    return this.tokenMounted;
  }

  /** Adds the core's selector to a cdk8s-plus workload. */
  public attach(workload: kplus.Workload): void {
    workload.select(kplus.LabelSelector.of({ labels: this.identity.selector }));
  }

  /** Completes a Pod template rendered by cdk8s-plus (see the class comment). */
  public finishTemplate(template: k8s.PodTemplateSpec): k8s.PodTemplateSpec {
    const labels = omitted(template.metadata?.labels ?? {}, kplus.Pod.ADDRESS_LABEL);
    // Waivers ride on the Pod template too, so the Pods a waived controller makes pass admission.
    const annotations = merged(template.metadata?.annotations, this.scrapeAnnotations(), this.configHashAnnotation(), this.waiverAnnotations);
    const spec = template.spec!;
    return {
      metadata: merged(template.metadata, { labels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined }),
      spec: merged(spec, this.renderContainers(spec), this.scheduling, renderPodOptions(this.props.podOptions, this.options.hostNetwork ?? false), {
        hostNetwork: this.options.hostNetwork || undefined,
        automountServiceAccountToken: this.tokenMounted,
        securityContext: merged(podSecurityContext(spec.securityContext, [...this.containerSecurity.values()].some(s => s.runAsRoot)), { sysctls: this.sysctls }),
        topologySpreadConstraints: this.options.spread ? topologySpread(this.identity.selector, this.props.spread) : undefined,
        volumes: this.volumes.map(v => v._kube),
      } satisfies Partial<k8s.PodSpec>),
    };
  }

  private renderContainers(spec: k8s.PodSpec): Pick<k8s.PodSpec, 'containers' | 'initContainers'> {
    const finish = (kind: 'app' | 'init') => (rendered: k8s.Container[] | undefined): k8s.Container[] | undefined => {
      const own = this.containers.filter(c => this.rendersAsInit(c) === (kind === 'init'));
      const byName = new Map((rendered ?? []).map(r => [r.name, r]));
      const out = [
        ...own.map(c => merged(byName.get(c.name) ?? { name: c.name }, {
          envFrom: c.envFrom.length > 0 ? c.envFrom.map(e => e._kube) : undefined,
          resources: c.resources,
          resizePolicy: c.kind === ContainerKind.MAIN && this.options.resizePolicy ? [...this.options.resizePolicy] : undefined,
        } satisfies Partial<k8s.Container>, c.probes, {
          terminationMessagePolicy: c.terminationMessagePolicy,
          volumeMounts: [
            // The built-in writable /tmp, unless the container mounts a volume of its own there.
            ...(ownsTmp(c) ? [] : [{ name: TMP_VOLUME_NAME, mountPath: '/tmp' }]),
            ...c.mounts.map(m => ({ name: m.volume.name, mountPath: m.path, readOnly: m.readOnly ?? (m.volume.type === 'hostPath' ? true : undefined), subPath: m.subPath })),
            ...(c.kind === ContainerKind.MAIN ? this.options.extraMainMounts ?? [] : []),
          ],
        } satisfies Partial<k8s.Container>)),
        // Containers added later through the cdk8s-plus API stay as cdk8s-plus rendered them.
        ...(rendered ?? []).filter(r => !own.some(c => c.name === r.name)),
      ];
      return out.length > 0 ? out : undefined;
    };
    return { containers: finish('app')(spec.containers)!, initContainers: finish('init')(spec.initContainers) };
  }

  /** The HTTP path of the metrics, when `metricsPath` is set. */
  public get metricsPath(): string | undefined {
    return this.props.metricsPath;
  }

  /**
   * Leaves scraping to a ServiceMonitor or PodMonitor: the Pods get no `prometheus.io/*`
   * annotations, so a Prometheus honouring both does not scrape them twice.
   * @internal
   */
  public leaveScrapeToMonitor(): void {
    this.scrapedByMonitor = true;
  }

  /** Prometheus scrape annotations for a declared "metrics" port, unless a monitor scrapes the Pods. */
  private scrapeAnnotations(): Record<string, string> {
    const metrics = this.ports.find(p => p.name === METRICS_PORT_NAME);
    if (!metrics || this.scrapedByMonitor) return {};
    return {
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(metrics.number),
      'prometheus.io/path': this.props.metricsPath ?? '/metrics',
    };
  }

  private configHashAnnotation(): Record<string, string> {
    if (this.configs.length === 0) return {};
    const hash = createHash('sha256');
    for (const c of [...this.configs].sort((a, b) => compareCodeUnits(a.name, b.name))) hash.update(`${c.name}\0${c.contentHash()}\0`);
    return { [CONFIG_HASH_ANNOTATION]: hash.digest('hex').slice(0, 16) };
  }
}

/** A rendered object, loosely typed. */
type JsonObject = Record<string, unknown>;

/**
 * The Pod security context with the RuntimeDefault seccomp profile. With an init container running
 * as root, runAsNonRoot is left to each container (the others keep `runAsNonRoot: true`): the
 * kubelet takes the container's own setting over the Pod's, and a Pod-wide statement would be false.
 */
function podSecurityContext(sc: k8s.PodSecurityContext | undefined, rootInit: boolean): k8s.PodSecurityContext {
  const out: k8s.PodSecurityContext = merged(sc, { seccompProfile: { type: 'RuntimeDefault' } });
  return rootInit ? omitted(out, 'runAsNonRoot') : out;
}

/**
 * Resolves the privileges of the containers that have their own (`security`), and reports
 * container-scoped waivers naming no container of the Pod.
 */
function resolvePrivileges(containers: readonly ResolvedContainer[], waivers: readonly Waiver[], collector: FindingCollector): ReadonlyMap<string, ResolvedContainerSecurity> {
  const out = new Map<string, ResolvedContainerSecurity>();
  for (const c of containers) {
    const own = resolveContainerSecurity(c.props.security, c.prefix, c.name, c.kind === ContainerKind.INIT, collector);
    if (own) out.set(c.name, own);
  }
  waivers.forEach(w => {
    if (w.container !== undefined && !containers.some(c => c.name === w.container)) {
      collector.report(Rules.WAIVER_INVALID, 'waivers', `${w.ruleId} for container ${w.container}`, `names no container of the Pod (${containers.map(c => c.name).join(', ')})`);
    }
  });
  return out;
}

function listOf(value: ContainerProps[] | undefined, field: string, collector: FindingCollector): ContainerProps[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some(v => v === null || typeof v !== 'object')) {
    collector.report(Rules.PROPS_INVALID, field, value, 'must be a list of container props');
    return [];
  }
  return value;
}
