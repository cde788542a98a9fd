import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Peer } from '../network/peer';

/** Props of `Prometheus.of()`. */
export interface PrometheusProps {
  /**
   * The Prometheus Pods that scrape: admitted by the NetworkPolicy of every monitored workload on
   * its metrics port.
   * @default Peer.pods({ 'app.kubernetes.io/name': 'prometheus' }, 'monitoring') (the Pods the Prometheus Operator runs for a `Prometheus`, in kube-prometheus' namespace)
   */
  readonly pods?: Peer;
  /**
   * Labels on every ServiceMonitor, PodMonitor and PrometheusRule, for the Prometheus' selectors
   * (`serviceMonitorSelector`, `podMonitorSelector`, `ruleSelector`); kube-prometheus-stack selects
   * `release: <helm release>` unless told otherwise.
   * @default - none (kube-prometheus selects every monitor and rule)
   * @see https://prometheus-operator.dev/docs/developer/troubleshooting/#troubleshooting-servicemonitor-changes
   */
  readonly selectorLabels?: Record<string, string>;
}

/**
 * The Prometheus (of the Prometheus Operator) that scrapes workloads and evaluates their alerts:
 * where its Pods run and which labels its selectors want. Declared once, on a Tenant
 * (`prometheus`) or per workload (`monitoring.prometheus`).
 */
export class Prometheus {
  /** Pods `app.kubernetes.io/name: prometheus` in namespace `monitoring`, no selector labels. */
  public static readonly DEFAULT = new Prometheus(Peer.pods({ 'app.kubernetes.io/name': 'prometheus' }, 'monitoring'), {});

  /** A Prometheus of your own: its Pods and the labels its selectors want. */
  public static of(props: PrometheusProps): Prometheus {
    return new Prometheus(props?.pods ?? Prometheus.DEFAULT.pods, { ...props?.selectorLabels }, props);
  }

  private constructor(
    /** The Prometheus Pods. */
    public readonly pods: Peer,
    /** Labels on monitors and rules. */
    public readonly selectorLabels: Record<string, string>,
    /** The props as given, checked when a workload uses them. @internal */
    public readonly _given?: unknown,
  ) {}
}

const defaults = new WeakMap<Chart, Prometheus>();

/** Records the Prometheus of a Tenant's chart (called by `Tenant`). @internal */
export function setPrometheusOf(chart: Chart, prometheus: Prometheus): void {
  defaults.set(chart, prometheus);
}

/** The Prometheus of the chart holding `scope`: its Tenant's, else `Prometheus.DEFAULT`. @internal */
export function prometheusOf(scope: IConstruct): Prometheus {
  return defaults.get(Chart.of(scope)) ?? Prometheus.DEFAULT;
}
