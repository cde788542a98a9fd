import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { IsolationProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/findings';
import { Workload } from './workload';

/** A cdk8s-plus Pod finished by the Pod core. */
class HardenedPod extends kplus.Pod {
  constructor(scope: Construct, id: string, props: kplus.PodProps, private readonly core: PodCore) {
    super(scope, id, props);
    // The construct-path label cdk8s-plus puts on bare Pods would change when the construct moves.
    ApiObject.of(this).addJsonPatch(JsonPatch.remove(`/metadata/labels/${kplus.Pod.ADDRESS_LABEL.replace('/', '~1')}`));
    core.finishApiObject(ApiObject.of(this), json => json);
  }

  /** @internal */
  public override _toKube(): k8s.PodSpec {
    return this.core.finishTemplate({ metadata: {}, spec: super._toKube() }).spec!;
  }
}

/** Props of a `BarePod`. */
export interface BarePodProps extends PodProps, IsolationProps {}

/**
 * A Pod with no controller, hardened like every other workload: for static-pod directories
 * and one-off debugging. Always reported (warning SW-POD-001): nothing recreates it when it
 * fails, its node dies or is drained.
 */
export class BarePod extends Workload {
  /** The Pod. */
  public readonly podResource: kplus.Pod;

  constructor(scope: Construct, id: string, props: BarePodProps) {
    super(scope, id, props, (collector: FindingCollector) => {
      collector.report(Rules.BARE_POD, 'name', props.name, 'no controller will restart or reschedule this Pod');
      return new PodCore(props, collector, {
        component: 'debug',
        requirePort: false, requireReadiness: false, requireLiveness: false, gracefulStop: false, spread: false,
        maxPods: 1, surges: false, restartPolicy: kplus.RestartPolicy.ALWAYS,
      });
    });
    const { select: _select, podMetadata, ...podProps } = this.pod.workloadProps(this);
    this.podResource = new HardenedPod(this, 'Pod', {
      ...podProps,
      metadata: { ...this.metadata(), labels: { ...this.labels, ...podMetadata?.labels }, annotations: { ...this.metadata().annotations, ...podMetadata?.annotations } },
      serviceAccount: this.serviceAccount,
    }, this.pod);
  }

  /** One Pod. */
  public get peakPods(): number {
    return 1;
  }

  /** The QoS class the kubelet will give the Pod. */
  public get qosClass(): QosClass {
    return qosClassOf((this.podResource as HardenedPod)._toKube());
  }
}
