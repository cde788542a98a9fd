import { Duration } from 'cdk8s';
import { reportPeerProblems } from '../network/isolation';
import { Peer } from '../network/peer';
import { ResolvedPort } from '../pod/ports';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { describeDuration, durationSeconds } from '../validation/duration';
import { kindOf } from '../validation/names';
import { checkEnum, checkUnknownProps } from '../validation/props';
import { labelMapProblems } from '../validation/selectors';
import { AlertSettings, AlertSeverity, DefaultAlert } from './alerts';
import { Prometheus } from './prometheus';

/** The default alerts of a monitored workload (a PrometheusRule `<name>-alerts`). */
export interface AlertsOptions {
  /**
   * Render the PrometheusRule with the default alerts.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * How long a Pod may stay not ready before `PodNotReady` fires.
   * @default Duration.minutes(15)
   */
  readonly notReadyFor?: Duration;
  /**
   * Default alerts to leave out.
   * @default - none: every alert that applies to the workload kind
   */
  readonly disable?: DefaultAlert[];
  /**
   * Labels on every alert, for Alertmanager's routing (e.g. `{ team: 'shop' }`): Prometheus label
   * names, not `severity`, `namespace`, `workload` or `workload_kind`, which seaworthy sets.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * The `severity` label of every alert.
   * @default - AlertSeverity.CRITICAL for BelowDisruptionBudget, AlertSeverity.WARNING for the others
   */
  readonly severity?: AlertSeverity;
}

/**
 * Monitoring of a workload by the Prometheus Operator: a ServiceMonitor (workloads with a
 * Service) or a PodMonitor scraping its metrics port, the NetworkPolicy opened to the Prometheus
 * Pods on that port, and a PrometheusRule with the default alerts.
 */
export interface MonitoringOptions {
  /**
   * Name of the container port Prometheus scrapes (declared with `extraPorts`, or a sidecar's port).
   * @default "metrics"
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Endpoint
   */
  readonly port?: string;
  /**
   * HTTP path of the metrics (`path` of the endpoint).
   * @default - the workload's `metricsPath`, else "/metrics"
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Endpoint
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes (`interval` of the endpoint; a whole number of seconds).
   * @default - the Prometheus' global scrape interval
   * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.Endpoint
   */
  readonly interval?: Duration;
  /**
   * Render the ServiceMonitor or PodMonitor. Without it, only the alerts (which read
   * kube-state-metrics, not the app) are rendered.
   * @default - true; false for BatchJob and CronTask (their short-lived Pods are rarely there to be scraped)
   */
  readonly scrape?: boolean;
  /**
   * The Prometheus that scrapes: its Pods are admitted by the NetworkPolicy, its selector labels
   * put on the monitor and the rule.
   * @default - the Tenant's `prometheus`, else Prometheus.DEFAULT
   */
  readonly prometheus?: Prometheus;
  /**
   * The default alerts.
   * @default - every alert that applies to the workload kind
   */
  readonly alerts?: AlertsOptions;
}

/** Props of workloads that can be monitored. */
export interface MonitoredProps {
  /**
   * Monitoring by the Prometheus Operator (ServiceMonitor or PodMonitor, NetworkPolicy opening,
   * PrometheusRule with the default alerts); `addMonitor()` does the same later. The Pods then
   * carry no `prometheus.io/*` scrape annotations: the monitor is their one scrape declaration.
   * @default - not monitored (a port named "metrics" gets the prometheus.io/* annotations)
   */
  readonly monitoring?: MonitoringOptions;
}

/** Validated monitoring settings. @internal */
export interface ResolvedMonitoring {
  readonly scrape: boolean;
  readonly port?: ResolvedPort;
  readonly path: string;
  readonly intervalSeconds?: number;
  readonly prometheus: Prometheus;
  readonly alerts?: AlertSettings;
}

/** Label names seaworthy sets on every alert. */
const ALERT_LABELS = ['severity', 'namespace', 'workload', 'workload_kind', 'alertname'];
const PROM_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Validates monitoring options against the workload's ports, reporting into `collector`
 * (field names under `prefix`, e.g. "monitoring."). @internal
 */
export function resolveMonitoring(options: MonitoringOptions, ports: readonly ResolvedPort[], ctx: { readonly scrapeByDefault: boolean; readonly metricsPath?: string; readonly namespace?: string; readonly prometheus: Prometheus }, collector: FindingCollector, prefix: string): ResolvedMonitoring | undefined {
  const report = (rule: typeof Rules[keyof typeof Rules], field: string, value: unknown, problem: string) => collector.report(rule, field ? `${prefix}${field}` : prefix.replace(/\.$/, '') || 'monitoring', value, problem);
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    report(Rules.PROPS_INVALID, '', options, `must be an object (use {} for the defaults), got ${kindOf(options)}`);
    return undefined;
  }
  if (!ctx.namespace) report(Rules.MONITORING_INVALID, '', 'the chart has no namespace', 'alerts select the workload by namespace and name, and a monitor lives beside the workload: put the workload in a chart with a namespace (a Tenant)');
  for (const field of ['scrape'] as const) {
    if (options[field] !== undefined && typeof options[field] !== 'boolean') report(Rules.PROPS_INVALID, field, options[field], 'must be true or false');
  }
  const scrape = options.scrape ?? ctx.scrapeByDefault;
  let port: ResolvedPort | undefined;
  if (scrape) {
    const name = options.port ?? 'metrics';
    port = ports.find(p => p.name === name);
    if (typeof name !== 'string') report(Rules.PROPS_INVALID, 'port', name, 'must be the name of a declared container port');
    else if (!port) report(Rules.MONITOR_PORT_MISSING, 'port', name, `is not a port of the workload's containers (${ports.map(p => p.name).join(', ') || 'none'}); declare it, e.g. extraPorts: [{ name: "metrics", port: 9090 }]`);
  } else {
    for (const field of ['port', 'path', 'interval'] as const) {
      if (options[field] !== undefined) report(Rules.MONITORING_INVALID, field, field === 'interval' ? describeDuration(options.interval) : options[field], 'has no effect without scraping; set scrape: true or leave it out');
    }
  }
  const path = options.path ?? ctx.metricsPath ?? '/metrics';
  if (typeof path !== 'string' || !path.startsWith('/') || /\s/.test(path)) report(Rules.MONITORING_INVALID, 'path', path, 'must be an absolute HTTP path without whitespace, such as "/metrics"');
  let intervalSeconds: number | undefined;
  if (options.interval !== undefined) {
    intervalSeconds = durationSeconds(options.interval);
    if (intervalSeconds === undefined || intervalSeconds < 1) report(Rules.MONITORING_INVALID, 'interval', describeDuration(options.interval), 'must be a whole number of seconds, at least 1s');
  }
  const prometheus = options.prometheus ?? ctx.prometheus;
  if (!(prometheus instanceof Prometheus)) report(Rules.PROPS_INVALID, 'prometheus', prometheus, 'must be Prometheus.DEFAULT or created with Prometheus.of()');
  else checkPrometheus(prometheus, collector, `${prefix}prometheus`);
  const alerts = resolveAlerts(options.alerts, report);
  return { scrape, port, path, intervalSeconds, prometheus, alerts };
}

/** Reports what is wrong in a Prometheus' Pods and selector labels, under `field`. @internal */
export function checkPrometheus(prometheus: Prometheus, collector: FindingCollector, field: string): void {
  const given = prometheus._given as { pods?: unknown; selectorLabels?: unknown } | undefined;
  if (given !== undefined && (given === null || typeof given !== 'object')) {
    collector.report(Rules.PROPS_INVALID, field, given, 'Prometheus.of() takes an object');
    return;
  }
  checkUnknownProps(collector, 'PrometheusProps', given, `${field}.`);
  if (given?.pods !== undefined && !(given.pods instanceof Peer)) collector.report(Rules.PROPS_INVALID, `${field}.pods`, given.pods, 'must be created with Peer.pods(), Peer.namespace() or Peer.namespaces()');
  else reportPeerProblems(collector, `${field}.pods`, prometheus.pods);
  if (given?.selectorLabels !== undefined && (given.selectorLabels === null || typeof given.selectorLabels !== 'object' || Array.isArray(given.selectorLabels))) {
    collector.report(Rules.PROPS_INVALID, `${field}.selectorLabels`, given.selectorLabels, 'must be an object of label keys to values');
  } else {
    for (const l of labelMapProblems(prometheus.selectorLabels)) collector.report(Rules.PROPS_INVALID, `${field}.selectorLabels${l.at ? `.${l.at}` : ''}`, l.value, l.problem);
  }
}

function resolveAlerts(options: AlertsOptions | undefined, report: (rule: typeof Rules[keyof typeof Rules], field: string, value: unknown, problem: string) => void): AlertSettings | undefined {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    report(Rules.PROPS_INVALID, 'alerts', options, `must be an object (leave it unset for the defaults), got ${kindOf(options)}`);
    return undefined;
  }
  const o = options ?? {};
  if (o.enabled !== undefined && typeof o.enabled !== 'boolean') report(Rules.PROPS_INVALID, 'alerts.enabled', o.enabled, 'must be true or false');
  const notReady = o.notReadyFor ?? Duration.minutes(15);
  const notReadySeconds = durationSeconds(notReady);
  if (notReadySeconds === undefined || notReadySeconds < 1) report(Rules.MONITORING_INVALID, 'alerts.notReadyFor', describeDuration(notReady), 'must be a whole number of seconds, at least 1s');
  const disabled: DefaultAlert[] = [];
  if (o.disable !== undefined) {
    if (!Array.isArray(o.disable)) report(Rules.PROPS_INVALID, 'alerts.disable', o.disable, 'must be a list of DefaultAlert values');
    else {
      o.disable.forEach((a, i) => {
        if (!Object.values(DefaultAlert).includes(a)) report(Rules.MONITORING_INVALID, `alerts.disable[${i}]`, a, `is not a default alert (${Object.values(DefaultAlert).join(', ')})`);
        else disabled.push(a);
      });
    }
  }
  const labels: Record<string, string> = {};
  if (o.labels !== undefined) {
    if (o.labels === null || typeof o.labels !== 'object' || Array.isArray(o.labels)) report(Rules.PROPS_INVALID, 'alerts.labels', o.labels, 'must be an object of label names to string values');
    else {
      for (const [k, v] of Object.entries(o.labels)) {
        if (!PROM_LABEL_NAME.test(k) || k.startsWith('__')) report(Rules.MONITORING_INVALID, `alerts.labels.${k}`, k, 'must be a Prometheus label name: letters, digits and "_", not starting with a digit or "__"');
        else if (ALERT_LABELS.includes(k)) report(Rules.MONITORING_INVALID, `alerts.labels.${k}`, k, `is set by seaworthy${k === 'severity' ? ' (use alerts.severity)' : ''}`);
        else if (typeof v !== 'string') report(Rules.PROPS_INVALID, `alerts.labels.${k}`, v, 'must be a string');
        else labels[k] = v;
      }
    }
  }
  checkEnumReport(o.severity, report);
  if (o.enabled === false) return undefined;
  return { notReadySeconds: notReadySeconds ?? 900, disabled, labels, severity: o.severity };
}

function checkEnumReport(severity: unknown, report: (rule: typeof Rules[keyof typeof Rules], field: string, value: unknown, problem: string) => void): void {
  checkEnum({ report: (rule, field, value, problem) => report(rule, field, value, problem) }, 'alerts.severity', severity, AlertSeverity);
}

/**
 * Refuses `prometheus.io/*` annotations of your own on monitored Pods: with the monitor they
 * would have Prometheus scrape the Pods twice (rule SW-LABEL-004). @internal
 */
export function checkScrapeAnnotations(podAnnotations: Record<string, string>, collector: FindingCollector): void {
  for (const key of Object.keys(podAnnotations)) {
    if (key.startsWith('prometheus.io/')) collector.report(Rules.LABEL_RESERVED, `podAnnotations.${key}`, key, 'is left out of monitored Pods: the ServiceMonitor or PodMonitor is their one scrape declaration, and a Prometheus honouring both would scrape them twice');
  }
}
