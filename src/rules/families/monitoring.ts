import { defineRule as rule, Severity } from '../rule';

const PO = 'https://prometheus-operator.dev/docs/api-reference/api/';
const MONITORS = ['ServiceMonitor', 'PodMonitor'];

/**
 * Rules of the monitoring family: ServiceMonitors and PodMonitors of the Prometheus Operator
 * scrape a port that exists, through NetworkPolicies that admit the scraper.
 */
export const MonitoringRules = {
  MONITOR_PORT_MISSING: rule({
    id: 'SW-MON-001',
    title: 'A monitor scrapes a port its Service or Pods declare',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    rationale: 'A ServiceMonitor endpoint names a Service port (or, with targetPort, a container port) and a PodMonitor a container port; when none of the selected Services or Pods has it, Prometheus discovers no target and the workload is silently unmonitored: no metrics, and no alert says so.',
    fix: 'name the metrics port the workload declares (monitoring.port, default "metrics"; declare it with extraPorts: [{ name: "metrics", port: 9090 }]); in YAML, set endpoints[].port to a port name of the selected Service, or podMetricsEndpoints[].port to a containerPort name of the selected Pods',
    kinds: MONITORS,
    see: `${PO}#monitoring.coreos.com/v1.Endpoint`,
  }),
  MONITOR_NOT_ADMITTED: rule({
    id: 'SW-MON-002',
    title: 'NetworkPolicies admit the scraper to the scraped port',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'When the Pods are isolated for ingress and no NetworkPolicy rule admits the Prometheus Pods on the metrics port, every scrape times out: the target is down, the metrics stop and the alerts built on them go quiet.',
    fix: 'declare the Prometheus Pods once (monitoring.prometheus, or the Tenant\'s prometheus) so seaworthy opens the port; in YAML, add an ingress rule from the Prometheus Pods on the metrics port, and name them on the monitor with the seaworthy.dev/scraper annotation so the audit can check the path',
    kinds: MONITORS,
    see: 'https://kubernetes.io/docs/concepts/services-networking/network-policies/',
  }),
  MONITORING_INVALID: rule({
    id: 'SW-MON-003',
    title: 'Monitoring settings are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A scrape interval or path the Prometheus Operator rejects, alert timings that are not whole seconds, or a workload outside a namespace (its alerts would select every namespace) make the monitor or its PrometheusRule invalid or wrong.',
    fix: 'use an absolute path such as "/metrics", a whole number of seconds for interval and the alert timings, alert names from DefaultAlert, and put the workload in a chart with a namespace (a Tenant)',
    kinds: [],
    see: `${PO}#monitoring.coreos.com/v1.PrometheusRule`,
  }),
} as const;
