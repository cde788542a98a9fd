import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/findings';
import { isPinned, imageVersion, parseImage } from '../validation/image';
import { dns1035LabelProblem, envNameProblem } from '../validation/names';
import { Identity, resolveIdentity } from './labels';
import { PodProps } from './pod-props';
import { ResolvedPort, resolvePorts } from './ports';
import { describeProbeHandler, Probe, ProbeRole } from './probe';
import { DEFAULT_EPHEMERAL_STORAGE, formatBytes, qosClassOf, QosClass, resolveResources } from './resources';
import { ResolvedSecurity, resolveSecurity } from './security';
import { checkEntrypoint, ResolvedShutdown, resolveShutdown } from './shutdown';
import { checkSpread, topologySpread } from './spread';
import { Env } from './env';

/** Default size limit of the /tmp emptyDir. */
export const DEFAULT_TMP_SIZE = Size.mebibytes(64);

/** Rendered probes of the main container. */
interface RenderedProbes {
  readonly readiness?: k8s.Probe;
  readonly liveness?: k8s.Probe;
  readonly startup?: k8s.Probe;
}

/**
 * The shared Pod core: validates `PodProps` once, in the constructor, and turns them into a
 * hardened Pod template on top of a cdk8s-plus workload.
 *
 * cdk8s-plus renders the container and Pod basics (ports, env, volumes, security contexts,
 * lifecycle, grace period, affinity). The core renders what cdk8s-plus-28 cannot express, in
 * `finishTemplate()`: probes on named ports and every probe field, exact resource quantities
 * (cdk8s-plus only renders whole MiB/GiB), Pod-level seccomp, topology spread, and a template
 * without the path-derived `cdk8s.io/metadata.addr` label.
 */
export class PodCore {
  /** Name of the workload, of its main container and of its objects. */
  public readonly name: string;
  /** Declared container ports; the first is the main "http" port. */
  public readonly ports: readonly ResolvedPort[];
  /** Recommended labels, selector and annotations. */
  public readonly identity: Identity;
  /** Resource requirements of the main container. */
  public readonly resources: k8s.ResourceRequirements;
  /** Resolved shutdown sequence. */
  public readonly shutdown: ResolvedShutdown;
  /** Resolved security settings. */
  public readonly security: ResolvedSecurity;
  /** The image pull policy chosen. */
  public readonly imagePullPolicy: kplus.ImagePullPolicy;
  private readonly probes: RenderedProbes;

  constructor(private readonly props: PodProps, private readonly collector: FindingCollector) {
    const nameProblem = dns1035LabelProblem(props.name);
    if (nameProblem) collector.report(Rules.NAME_INVALID, 'name', props.name, nameProblem);
    this.name = props.name;

    const image = this.resolveImage();
    this.imagePullPolicy = props.imagePullPolicy ?? (image?.digest ? kplus.ImagePullPolicy.IF_NOT_PRESENT : kplus.ImagePullPolicy.ALWAYS);
    this.identity = resolveIdentity(props.name, props, image ? imageVersion(image) : undefined, collector);
    this.ports = resolvePorts(props.port, props.extraPorts, collector);
    this.resources = resolveResources(props.size, props.burst, collector);
    this.checkTmpSize();
    if (props.burst !== undefined && !collector.hasErrorAt('burst') && !collector.hasErrorAt('size')) {
      collector.report(Rules.NOT_GUARANTEED, 'burst', props.burst, 'limits above requests put the Pod in the Burstable QoS class');
    }
    this.shutdown = resolveShutdown(props.shutdown, collector);
    this.security = resolveSecurity(props.security, collector);
    this.checkEnv();
    this.checkCommandLine();
    if (Array.isArray(props.command)) checkEntrypoint(props.command, collector);
    checkSpread(props.spread, collector);
    this.probes = this.resolveProbes();
  }

  /** The QoS class the Pods will get. */
  public get qosClass(): QosClass {
    return qosClassOf({ containers: [{ name: this.name, resources: this.resources }] });
  }

  /** The main port number. */
  public get mainPort(): number {
    return this.props.port;
  }

  /**
   * The cdk8s-plus workload props this core decides. `scope` owns the reference constructs
   * (ConfigMaps, Secrets, the /tmp volume).
   */
  public workloadProps(scope: Construct): kplus.WorkloadProps & { readonly containers: kplus.ContainerProps[] } {
    const tmp = kplus.Volume.fromEmptyDir(scope, 'TmpVolume', 'tmp', { sizeLimit: this.props.tmpSize ?? DEFAULT_TMP_SIZE });
    const envVariables: Record<string, kplus.EnvValue> = {};
    for (const [key, value] of Object.entries(this.props.env ?? {})) {
      envVariables[key] = value._bind(scope, `Env-${key}`);
    }
    return {
      select: false,
      podMetadata: { labels: { ...this.identity.labels }, annotations: { ...this.identity.annotations } },
      securityContext: this.security.pod,
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(this.shutdown.gracePeriodSeconds),
      containers: [{
        name: this.name,
        image: this.props.image,
        imagePullPolicy: this.imagePullPolicy,
        ports: this.ports.map(p => ({ name: p.name, number: p.number, protocol: p.protocol })),
        command: this.props.command,
        args: this.props.args,
        envVariables,
        // Rendered by finishTemplate(); an explicit empty value stops cdk8s-plus's Burstable defaults.
        resources: {},
        securityContext: this.security.container,
        lifecycle: { preStop: this.shutdown.preStop._handler(this.props.port) },
        volumeMounts: [{ path: '/tmp', volume: tmp }],
      }],
    };
  }

  /**
   * Adds what the core owns to a cdk8s-plus workload after construction: its selector and the
   * preferred anti-affinity on hostname.
   */
  public attach(workload: kplus.Workload): void {
    workload.select(kplus.LabelSelector.of({ labels: this.identity.selector }));
    workload.scheduling.separate(kplus.Pods.select(workload, 'Replicas', { labels: this.identity.selector }), {
      weight: 100,
      topology: kplus.Topology.HOSTNAME,
    });
  }

  /** Completes a Pod template rendered by cdk8s-plus (see the class comment). */
  public finishTemplate(template: k8s.PodTemplateSpec): k8s.PodTemplateSpec {
    const labels = { ...template.metadata?.labels };
    delete labels[kplus.Pod.ADDRESS_LABEL];
    const spec = template.spec!;
    return {
      metadata: { ...template.metadata, labels },
      spec: {
        ...spec,
        securityContext: { ...spec.securityContext, seccompProfile: { type: 'RuntimeDefault' } },
        topologySpreadConstraints: [...(spec.topologySpreadConstraints ?? []), ...topologySpread(this.identity.selector, this.props.spread)],
        containers: spec.containers.map(c => (c.name !== this.name ? c : {
          ...c,
          resources: this.resources,
          readinessProbe: this.probes.readiness,
          livenessProbe: this.probes.liveness,
          startupProbe: this.probes.startup,
        })),
      },
    };
  }

  private resolveImage() {
    const { image } = this.props;
    const ref = typeof image === 'string' ? parseImage(image) : undefined;
    if (!ref) {
      this.collector.report(Rules.IMAGE_INVALID, 'image', image, 'is not a valid image reference');
      return undefined;
    }
    if (!isPinned(ref)) {
      this.collector.report(Rules.IMAGE_NOT_PINNED, 'image', image, ref.tag === 'latest' ? 'the tag "latest" moves' : 'has no tag or digest, so it means "latest"');
    }
    return ref;
  }

  private checkTmpSize(): void {
    const tmp = this.props.tmpSize ?? DEFAULT_TMP_SIZE;
    const rendered = formatBytes(tmp);
    if (rendered === undefined || !/(Mi|Gi)$/.test(rendered)) {
      this.collector.report(Rules.SIZE_INVALID, 'tmpSize', rendered ?? tmp, 'must be a positive whole number of MiB');
      return;
    }
    const storage = formatBytes(this.props.size?.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE);
    if (storage !== undefined && tmp.toKibibytes() > (this.props.size?.ephemeralStorage ?? DEFAULT_EPHEMERAL_STORAGE).toKibibytes()) {
      this.collector.report(Rules.TMP_EXCEEDS_EPHEMERAL, 'tmpSize', rendered, `exceeds the ephemeral-storage limit (${storage})`);
    }
  }

  private checkEnv(): void {
    const env: unknown = this.props.env;
    if (env === undefined || env === null) return;
    if (typeof env !== 'object' || Array.isArray(env)) {
      this.collector.report(Rules.PROPS_INVALID, 'env', env, 'must be an object mapping names to Env values');
      return;
    }
    for (const [key, value] of Object.entries(env)) {
      const problem = envNameProblem(key);
      if (problem) this.collector.report(Rules.ENV_NAME_INVALID, `env.${key}`, key, problem);
      if (!(value instanceof Env)) this.collector.report(Rules.ENV_VALUE_INVALID, `env.${key}`, value, 'is not an Env value');
    }
  }

  private checkCommandLine(): void {
    for (const field of ['command', 'args'] as const) {
      const value: unknown = this.props[field];
      if (value !== undefined && !(Array.isArray(value) && value.every(v => typeof v === 'string'))) {
        this.collector.report(Rules.PROPS_INVALID, field, value, 'must be a list of strings (exec form)');
      }
    }
  }

  private resolveProbes(): RenderedProbes {
    const { readiness, liveness, startup } = this.props;
    const render = (probe: Probe | undefined, role: ProbeRole) => {
      if (probe === undefined) return undefined;
      if (!(probe instanceof Probe)) {
        this.collector.report(Rules.PROBE_FIELD_INVALID, role, probe, 'must be created with Probe.http(), Probe.tcp(), Probe.exec() or Probe.grpc()');
        return undefined;
      }
      return probe._resolve({ ports: this.ports, collector: this.collector, field: role, role });
    };
    if (readiness === undefined) {
      this.collector.report(Rules.PROBE_READINESS_MISSING, 'readiness', readiness, 'a serving workload needs a readiness probe');
    }
    const rendered = {
      readiness: render(readiness, ProbeRole.READINESS),
      liveness: render(liveness, ProbeRole.LIVENESS),
      startup: render(startup, ProbeRole.STARTUP),
    };
    if (rendered.readiness && rendered.liveness) {
      const liveness = describeProbeHandler(rendered.liveness, this.ports);
      if (liveness === describeProbeHandler(rendered.readiness, this.ports)) {
        this.collector.report(Rules.PROBE_IDENTICAL, 'liveness', liveness, 'checks exactly what readiness checks');
      }
    }
    return rendered;
  }
}
