import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { MonitorTarget } from '../monitoring/monitor';
import { MonitoredProps } from '../monitoring/monitoring';
import { IsolationProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Toleration } from '../pod/scheduling';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { HardenedDaemonSet } from './hardened';
import { Workload } from './workload';

/** Props of a `NodeAgent`. */
export interface NodeAgentProps extends PodProps, IsolationProps, MonitoredProps {
  /**
   * Nodes whose agent may be down at once during an update.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * Run on every node, whatever its taints (control plane, dedicated and NotReady nodes included).
   * @default false
   */
  readonly tolerateAllTaints?: boolean;
  /**
   * Share the node's network namespace. Breaks Pod Security "baseline": needs
   * `Waiver.of('SW-SEC-005', reason)` and a namespace whose Pod Security level is privileged.
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * minReadySeconds.
   * @default 10
   */
  readonly minReadySeconds?: number;
}

/**
 * One Pod per node (log shippers, metrics exporters): a DaemonSet with a bounded rolling
 * update. Host access (read-only hostPath volumes, the host network, root) is possible only
 * through explicit waivers of the rules it breaks, which are rendered into the output; such an
 * agent belongs in a namespace whose Pod Security level allows it (see `Tenant`).
 */
export class NodeAgent extends Workload {
  /** The DaemonSet. */
  public readonly daemonSet: kplus.DaemonSet;

  constructor(scope: Construct, id: string, props: NodeAgentProps) {
    const maxUnavailable = props?.maxUnavailable ?? 1;
    super(scope, id, props, (collector: FindingCollector) => {
      if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1) {
        collector.report(Rules.ROLLOUT_NO_PROGRESS, 'maxUnavailable', maxUnavailable, 'must be a whole number of at least 1');
      }
      return new PodCore(props, collector, {
        component: 'agent',
        requirePort: false, requireReadiness: false, requireLiveness: false, gracefulStop: false, spread: false,
        maxPods: undefined, surges: false, restartPolicy: kplus.RestartPolicy.ALWAYS,
        extraTolerations: props.tolerateAllTaints ? [Toleration.all()] : [],
        hostNetwork: props.hostNetwork ?? false,
      });
    });
    this.daemonSet = new HardenedDaemonSet(this, 'DaemonSet', {
      ...this.pod.workloadProps(this),
      metadata: this.metadata(),
      serviceAccount: this.serviceAccount,
      minReadySeconds: props.minReadySeconds ?? 10,
    }, this.pod, {
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: k8s.IntOrString.fromNumber(maxUnavailable), maxSurge: k8s.IntOrString.fromNumber(0) } },
      revisionHistoryLimit: 5,
    });
    if (props.monitoring !== undefined) this.addMonitor(props.monitoring);
  }

  /** @internal */
  protected override monitorTarget(): MonitorTarget {
    return { alerts: { kind: 'DaemonSet', name: this.pod.name } };
  }

  /** One per node: unknown at synthesis. */
  public get peakPods(): undefined {
    return undefined;
  }

  /** The QoS class the kubelet will give the Pods. */
  public get qosClass(): QosClass {
    return qosClassOf((this.daemonSet as HardenedDaemonSet)._toKube().template.spec!);
  }

  /** Whether the agent uses host access under waivers (and so needs a privileged namespace). */
  public get usesHostAccess(): boolean {
    return this.pod.waivers.some(w => ['SW-SEC-004', 'SW-SEC-005', 'SW-SEC-001', 'SW-SEC-002'].includes(w.ruleId));
  }
}
