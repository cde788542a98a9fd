import { ApiObject, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KubeObject } from '../audit/kube';
import { rolloutPeakOf } from '../audit/quota-usage';
import { Monitor, MonitorTarget } from '../monitoring/monitor';
import { checkScrapeAnnotations, MonitoredProps, MonitoringOptions, ResolvedMonitoring, resolveMonitoring } from '../monitoring/monitoring';
import { prometheusOf } from '../monitoring/prometheus';
import { checkIsolation, isolate, IsolationProps, toPolicyPorts } from '../network/isolation';
import { Peer } from '../network/peer';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { scannerAnnotations, ScannerAnnotations } from '../rules/scanners';
import { checkClusterGrant, ClusterPermissions } from '../security/cluster-grants';
import { checkGrant, Grant, Permissions, readConfigMaps, readSecrets } from '../security/grants';
import { checkServiceAccountRef } from '../security/service-account';
import { carriedMap } from '../synth/own-keys';
import { renderOnce } from '../synth/render-once';
import { Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { RolloutPeak } from '../tenancy/rollout-peak';
import { KNOWN_PROPS } from '../validation/known-props';
import { checkUnknownProps } from '../validation/props';
import { merged } from '../util/merge';

/** Metadata of one object of a workload. */
export interface ObjectMetadata {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * What every seaworthy workload has: a validated Pod core, its own ServiceAccount (token not
 * mounted) and a NetworkPolicy isolating its Pods. Subclasses add the controller and the
 * objects around it.
 */
export abstract class Workload extends Construct {
  /** The resolved Pod settings. */
  public readonly pod: PodCore;
  /** The ServiceAccount the Pods run as: the workload's own, or the existing one of `serviceAccount`. */
  public readonly serviceAccount: kplus.IServiceAccount;
  /** The NetworkPolicy isolating the Pods for ingress and egress. */
  public readonly networkPolicy: kplus.NetworkPolicy;
  /** Labels on every object. */
  public readonly labels: Record<string, string>;
  /** The labels every selector of the workload uses (`name` + `instance`). */
  public readonly selectorLabels: Record<string, string>;
  /** terminationGracePeriodSeconds of the Pods. */
  public readonly terminationGracePeriodSeconds: number;
  private permissions?: Permissions;
  private clusterPermissions?: ClusterPermissions;
  private monitoring?: Monitor;
  private scannerWaivers?: Record<string, string>;

  /**
   * `resolve` validates the subclass's own props and builds the Pod core; every error found
   * by it and by the core is thrown together before any object is created.
   */
  protected constructor(scope: Construct, id: string, props: PodProps & IsolationProps, resolve: (collector: FindingCollector) => PodCore) {
    super(scope, id);
    const collector = new FindingCollector(this, props?.profile);
    if (props === null || typeof props !== 'object') {
      collector.report(Rules.PROPS_INVALID, 'props', props, 'must be an object with at least name, image and size');
      collector.commit();
    }
    checkUnknownProps(collector, propsInterfaceOf(new.target), props);
    const pod = resolve(collector);
    checkIsolation(props, pod.ports, collector);
    checkServiceAccountRef(collector, props?.serviceAccount);
    const monitoring = (props as MonitoredProps | undefined)?.monitoring;
    // Checked with every other prop; rendered by the subclass once its objects exist (addMonitor).
    if (monitoring !== undefined) this.resolveMonitoring(monitoring, pod, collector);
    collector.commit();

    this.pod = pod;
    this.labels = pod.identity.labels;
    this.selectorLabels = pod.identity.selector;
    this.terminationGracePeriodSeconds = pod.shutdown.gracePeriodSeconds;
    this.serviceAccount = props.serviceAccount
      ? kplus.ServiceAccount.fromServiceAccountName(this, 'ServiceAccount', props.serviceAccount.name)
      : new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: this.metadata(), automountToken: false });
    this.networkPolicy = isolate(this, this.metadata('-netpol'), this.selectorLabels, pod.ports, props);
  }

  /**
   * Monitors the workload with the Prometheus Operator, as the `monitoring` prop does: a
   * ServiceMonitor (workloads with a Service) or a PodMonitor named like the workload scraping its
   * metrics port (`port`, default "metrics"), the NetworkPolicy opened to the Prometheus Pods on
   * that port, and a PrometheusRule `<name>-alerts` with the default alerts of the workload kind
   * (Pods not ready, crash loops, a stuck rollout, an unmet disruption budget, failed Jobs, missed
   * schedules). The Pods then carry no `prometheus.io/*` annotations. Once per workload.
   *
   * @example
   * api.addMonitor({ port: 'metrics', interval: Duration.seconds(30), alerts: { labels: { team: 'shop' } } });
   */
  public addMonitor(options: MonitoringOptions = {}): Monitor {
    const collector = new FindingCollector(this);
    if (this.monitoring) collector.report(Rules.MONITORING_INVALID, 'addMonitor', this.monitoring.node.path, 'the workload is already monitored (by the monitoring prop or an earlier addMonitor())');
    const target = this.monitorTarget();
    if (!target) collector.report(Rules.MONITORING_INVALID, 'addMonitor', this.node.path, 'a bare Pod has no controller whose Pods alerts could follow; run it under a workload (Worker, BatchJob) to monitor it');
    checkUnknownProps(collector, 'MonitoringOptions', options, 'monitoring.');
    const settings = this.resolveMonitoring(options, this.pod, collector);
    collector.commit();
    this.leaveScrapeToMonitor();
    this.monitoring = new Monitor(this, 'Monitor', settings!, target!, this.metadata());
    return this.monitoring;
  }

  /** The monitoring of `monitoring` or `addMonitor()`, if any. */
  public get monitor(): Monitor | undefined {
    return this.monitoring;
  }

  /** What the monitor scrapes and the alerts are about; undefined for workloads that cannot be monitored. @internal */
  protected monitorTarget(): MonitorTarget | undefined {
    return undefined;
  }

  /** Whether `monitoring` renders a ServiceMonitor/PodMonitor unless told (`scrape`). @internal */
  protected get scrapesByDefault(): boolean {
    return true;
  }

  /** Leaves scraping of every Pod template of the workload to its monitor. @internal */
  protected leaveScrapeToMonitor(): void {
    this.pod.leaveScrapeToMonitor();
  }

  private resolveMonitoring(options: MonitoringOptions, pod: PodCore, collector: FindingCollector): ResolvedMonitoring | undefined {
    checkScrapeAnnotations(pod.identity.podAnnotations, collector);
    return resolveMonitoring(options, pod.ports, {
      scrapeByDefault: this.scrapesByDefault,
      metricsPath: pod.metricsPath,
      namespace: Chart.of(this).namespace,
      prometheus: prometheusOf(this),
    }, collector, 'monitoring.');
  }

  /** The QoS class the kubelet will give the Pods, from the rendered template (containers added later included). */
  public abstract get qosClass(): QosClass;

  /**
   * Most Pods of this workload that run at once, rollouts included (e.g. replicas + maxSurge);
   * undefined when it depends on the cluster (one per node).
   */
  public abstract get peakPods(): number | undefined;

  /**
   * The rollout peak of each controller of the workload (its Deployment and each release track's,
   * or its StatefulSet), read from the rendered objects with the model the audit and the Tenant
   * use: replicas + maxSurge plus the old Pods still terminating at the worst instant, with the
   * timeline behind it (grace period, time to ready, minReadySeconds). Empty for Jobs and bare
   * Pods (not rolled out) and for DaemonSets (one Pod per node: the node count is not known here).
   */
  public get rolloutPeaks(): RolloutPeak[] {
    const rendered = this.node.findAll()
      .filter((o): o is ApiObject => o instanceof ApiObject && ['Deployment', 'StatefulSet', 'HorizontalPodAutoscaler'].includes(o.kind))
      .map(o => renderOnce(o) as KubeObject);
    const native = KubernetesTarget.of(this).has(Feature.NATIVE_SIDECARS);
    return rendered.flatMap(o => {
      const hpa = rendered.find(h => h.kind === 'HorizontalPodAutoscaler' && h.spec?.scaleTargetRef?.kind === o.kind && h.spec?.scaleTargetRef?.name === o.metadata?.name);
      const peak = rolloutPeakOf(o, hpa, native);
      return peak ? [peak] : [];
    });
  }

  /** A peer matching this workload's Pods, as seen from `from`'s namespace. */
  public asPeer(from?: Construct): Peer {
    const mine = Chart.of(this).namespace;
    const theirs = from ? Chart.of(from).namespace : mine;
    return Peer.pods(this.selectorLabels, mine !== theirs ? mine : undefined);
  }

  /**
   * Lets `client`'s Pods connect to this workload's exposed ports (or `ports`), rendering the
   * ingress rule on this NetworkPolicy and the egress rule on the client's: traffic is declared
   * once, for both sides.
   */
  public allowFrom(client: Workload, ...ports: number[]): void {
    const exposed = this.pod.ports.filter(p => p.expose && (ports.length === 0 || ports.includes(p.number)));
    const portsOf = (peer: Peer) => exposed.reduce((acc, p) => (p.protocol === kplus.Protocol.UDP ? acc.udp(p.number) : acc.tcp(p.number)), peer);
    const from = portsOf(client.asPeer(this));
    this.networkPolicy.addIngressRule(from._bind(this.networkPolicy), toPolicyPorts(from.ports));
    const to = portsOf(this.asPeer(client));
    client.networkPolicy.addEgressRule(to._bind(client.networkPolicy), toPolicyPorts(to.ports));
  }

  /**
   * Grants the workload's ServiceAccount `grant` through a Role and RoleBinding named like the
   * workload, and mounts the ServiceAccount token (it stays unmounted until a grant needs it).
   * Wildcards and write access to Secrets are refused (rule SW-RBAC-001).
   */
  public grant(grant: Grant): void {
    const collector = new FindingCollector(this);
    checkGrant(grant, collector);
    collector.commit();
    this.permissions ??= new Permissions(this, 'Permissions', this.metadata(), this.serviceAccount.name);
    this.permissions.add(grant);
    this.mountServiceAccountToken();
  }

  /**
   * Grants the workload's ServiceAccount `grant` in every namespace, through a ClusterRole and
   * ClusterRoleBinding named `<namespace>-<name>`, and mounts the ServiceAccount token: for node
   * agents and observers that read Pods or nodes cluster-wide (`readCluster(['pods', 'nodes'])`).
   * Besides the checks of `grant()`, the resources of built-in API groups must be known
   * (SW-RBAC-003) and Secrets are refused unless the workload waives SW-RBAC-004; the chart
   * needs a namespace (SW-RBAC-006).
   */
  public grantClusterWide(grant: Grant): void {
    const collector = new FindingCollector(this);
    collector.waive(this.pod.waivers, new Set(this.pod.waivers.map(w => w.ruleId)));
    checkGrant(grant, collector);
    checkClusterGrant(grant, collector);
    const namespace = Chart.of(this).namespace;
    if (!namespace) collector.report(Rules.RBAC_SUBJECT_NAMESPACE, 'grant', grant, 'the chart has no namespace, and a ClusterRoleBinding must name the ServiceAccount\'s');
    collector.commit();
    this.clusterPermissions ??= new ClusterPermissions(this, 'ClusterPermissions', this.metadata(), { name: this.serviceAccount.name, namespace: namespace! });
    this.clusterPermissions.add(grant);
    this.mountServiceAccountToken();
  }

  /**
   * Mounts the ServiceAccount token into every Pod the workload runs, once a grant needs it;
   * workloads with more than one Pod template (release tracks) mount it into each.
   */
  protected mountServiceAccountToken(): void {
    this.pod.mountServiceAccountToken();
  }

  /** Lets the workload read the named ConfigMaps through the API (e.g. to watch for reloads). */
  public grantReadConfigMaps(...names: string[]): void {
    this.grant(readConfigMaps(names));
  }

  /** Lets the workload get the named Secrets through the API. */
  public grantReadSecrets(...names: string[]): void {
    this.grant(readSecrets(names));
  }

  /**
   * Metadata for an object of this workload named `<name><suffix>`, to hand to cdk8s as it is:
   * every label and annotation key reaches the YAML as given, `constructor` included.
   */
  protected metadata(suffix = ''): ObjectMetadata {
    // The waivers are fixed once the core is resolved: the scanners' annotations are built once per workload.
    const scanners = ScannerAnnotations.enabledAt(this) ? this.scannerWaivers ??= scannerAnnotations(this.pod.waivers) : undefined;
    const annotations = merged(this.pod.objectAnnotations, scanners);
    return { name: `${this.pod.name}${suffix}`, labels: carriedMap(this, this.labels), annotations: carriedMap(this, annotations) };
  }
}

/** The props interface of a construct class: `<Class>Props` of the nearest seaworthy class it extends. */
export function propsInterfaceOf(cls: unknown): string {
  const cached = PROPS_INTERFACES.get(cls as object);
  if (cached !== undefined) return cached;
  let found = '';
  for (let c = cls as { name?: string } | null; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as { name?: string } | null) {
    if (c.name && KNOWN_PROPS[`${c.name}Props`]) {
      found = `${c.name}Props`;
      break;
    }
  }
  if (typeof cls === 'function') PROPS_INTERFACES.set(cls, found);
  return found;
}

/** `propsInterfaceOf()` by class: asked once per workload constructed. */
const PROPS_INTERFACES = new WeakMap<object, string>();
