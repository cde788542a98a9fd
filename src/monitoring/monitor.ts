import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as po from '../../imports/prometheus-operator';
import { SCRAPER_ANNOTATION, analyzeMonitor } from '../audit/monitors';
import { registerFrontDoor } from '../network/front-door-registry';
import { peerJson } from '../network/gateway';
import { admitPeer } from '../network/isolation';
import { AlertRule, AlertTarget, defaultAlerts, promDuration } from './alerts';
import { ResolvedMonitoring } from './monitoring';

/**
 * The workload a Monitor is created in (any `Workload`): its Pods' selector labels and the
 * NetworkPolicy opened to the scraper. Declared here so that monitoring does not import the
 * workloads, which import it. @internal
 */
export interface MonitoredWorkload extends Construct {
  /** Labels that select the workload's Pods. */
  readonly selectorLabels: Record<string, string>;
  /** The NetworkPolicy isolating the workload's Pods. */
  readonly networkPolicy: kplus.NetworkPolicy;
}

/** What a workload offers to be monitored. @internal */
export interface MonitorTarget {
  /** What its alerts are about. */
  readonly alerts: Omit<AlertTarget, 'namespace'>;
  /**
   * The Service a ServiceMonitor scrapes through, with its port names; a PodMonitor when unset.
   * `only`: the selector also matches other Services of the workload (a headless one), so the
   * endpoint keeps just this one.
   */
  readonly service?: { readonly name: string; readonly portNames: readonly string[]; readonly only: boolean };
}

/**
 * How a workload is monitored by the Prometheus Operator: a ServiceMonitor (or PodMonitor) named
 * like the workload scraping its metrics port, the workload's NetworkPolicy opened to the
 * Prometheus Pods on that port, and a PrometheusRule `<name>-alerts` with the default alerts.
 * Created by the `monitoring` prop or `addMonitor()`.
 */
export class Monitor extends Construct {
  /** The ServiceMonitor, for workloads with a Service. */
  public readonly serviceMonitor?: po.ServiceMonitor;
  /** The PodMonitor, for workloads without a Service. */
  public readonly podMonitor?: po.PodMonitor;
  /** The PrometheusRule, unless alerts are disabled. */
  public readonly prometheusRule?: po.PrometheusRule;
  /** The alerts rendered. */
  public readonly alerts: readonly AlertRule[];

  /** @internal */
  constructor(workload: MonitoredWorkload, id: string, settings: ResolvedMonitoring, target: MonitorTarget, metadata: { readonly name: string; readonly labels: Record<string, string>; readonly annotations: Record<string, string> }) {
    super(workload, id);
    const namespace = Chart.of(workload).namespace ?? '';
    const labels = { ...metadata.labels, ...settings.prometheus.selectorLabels };
    const port = settings.port;
    if (settings.scrape && port) {
      const annotations = { ...metadata.annotations, [SCRAPER_ANNOTATION]: peerJson(settings.prometheus.pods.selector, namespace) };
      const common = { path: settings.path, interval: settings.intervalSeconds === undefined ? undefined : promDuration(settings.intervalSeconds) };
      const selector = { matchLabels: { ...workload.selectorLabels } };
      const svc = target.service;
      if (svc) {
        this.serviceMonitor = new po.ServiceMonitor(this, 'Resource', {
          metadata: { name: metadata.name, labels, annotations },
          spec: {
            selector,
            endpoints: [{
              // A port on the Service by name; one the Service does not expose through the Pods' container port.
              ...(svc.portNames.includes(port.name) ? { port: port.name } : { targetPort: po.ServiceMonitorSpecEndpointsTargetPort.fromString(port.name) }),
              ...common,
              relabelings: svc.only ? [{ sourceLabels: ['__meta_kubernetes_service_name'], regex: svc.name, action: po.ServiceMonitorSpecEndpointsRelabelingsAction.KEEP }] : undefined,
            }],
          },
        });
      } else {
        this.podMonitor = new po.PodMonitor(this, 'Resource', {
          metadata: { name: metadata.name, labels, annotations },
          spec: { selector, podMetricsEndpoints: [{ port: port.name, ...common }] },
        });
      }
      admitPeer(workload, settings.prometheus.pods, port.number);
      registerFrontDoor(this, (this.serviceMonitor ?? this.podMonitor)!, analyzeMonitor);
    }
    this.alerts = settings.alerts ? defaultAlerts({ ...target.alerts, namespace }, settings.alerts) : [];
    if (this.alerts.length > 0) {
      this.prometheusRule = new po.PrometheusRule(this, 'Rule', {
        metadata: { name: `${metadata.name}-alerts`, labels, annotations: metadata.annotations },
        spec: {
          groups: [{
            name: `${namespace}.${metadata.name}`,
            rules: this.alerts.map(a => ({ alert: a.alert, expr: po.PrometheusRuleSpecGroupsRulesExpr.fromString(a.expr), for: a.for, labels: a.labels, annotations: a.annotations })),
          }],
        },
      });
    }
  }
}
