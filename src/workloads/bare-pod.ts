import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { IsolationProps } from '../network/isolation';
import { PodCore } from '../pod/pod-core';
import { PodProps } from '../pod/pod-props';
import { qosClassOf, QosClass } from '../pod/resources';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { Profile, Profiles } from '../rules/profile';
import { Grant } from '../security/grants';
import { carriedMap } from '../synth/own-keys';
import { StaticPods } from '../synth/static-pods';
import { checkEnum } from '../validation/props';
import { staticPodReferences } from './static-pod-checks';
import { Workload } from './workload';

/** A cdk8s-plus Pod finished by the Pod core. */
class HardenedPod extends kplus.Pod {
  constructor(scope: Construct, id: string, props: kplus.PodProps, private readonly core: PodCore, private readonly terminal: { readonly stdin?: boolean; readonly tty?: boolean }) {
    super(scope, id, props);
    // The construct-path label cdk8s-plus puts on bare Pods would change when the construct moves.
    ApiObject.of(this).addJsonPatch(JsonPatch.remove(`/metadata/labels/${kplus.Pod.ADDRESS_LABEL.replace('/', '~1')}`));
    core.finishApiObject(ApiObject.of(this), json => json);
  }

  /** @internal */
  public override _toKube(): k8s.PodSpec {
    const spec = this.core.finishTemplate({ metadata: {}, spec: super._toKube() }).spec!;
    if (!this.terminal.stdin && !this.terminal.tty) return spec;
    // cdk8s-plus-28 has no stdin/tty props: set on the main container (named after the Pod).
    return { ...spec, containers: spec.containers.map(c => (c.name === this.core.name ? { ...c, stdin: this.terminal.stdin, tty: this.terminal.tty } : c)) };
  }
}

/** Props of a `BarePod`. */
export interface BarePodProps extends PodProps, IsolationProps {
  /**
   * A static Pod, run by the kubelet from its manifest directory (`staticPodPath`): written to its
   * own file, `static-pods/<name>.yaml` (`dist/<env>/static-pods/` with environments), not to
   * the chart's file; no ServiceAccount, NetworkPolicy or other companion object; and no
   * reference to a ServiceAccount, ConfigMap, Secret, PersistentVolumeClaim or image pull Secret
   * (rule SW-POD-002).
   * @default false
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/
   */
  readonly static?: boolean;
  /**
   * What the kubelet does when a container exits: Always (a static Pod or a long-running debug
   * Pod), OnFailure or Never (a one-off task or test run whose exit status is kept).
   * @default kplus.RestartPolicy.ALWAYS
   */
  readonly restartPolicy?: kplus.RestartPolicy;
  /**
   * Keep stdin of the main container open, for `kubectl attach -it` (debugging Pods only: an error,
   * SW-POD-003, outside the development profile).
   * @default false
   */
  readonly stdin?: boolean;
  /**
   * Allocate a terminal for the main container (needs `stdin`; development profile only, SW-POD-003).
   * @default false
   */
  readonly tty?: boolean;
}

/**
 * A Pod with no controller, hardened like every other workload: for static-pod directories
 * (`static: true`), one-off tasks (`restartPolicy: Never`) and debugging (`stdin`/`tty`, in the
 * development profile). Always reported (warning SW-POD-001): nothing recreates it when it
 * fails, its node dies or is drained.
 */
export class BarePod extends Workload {
  /** The Pod. */
  public readonly podResource: kplus.Pod;
  /** Whether this is a static Pod (no companion objects; written to `static-pods/<name>.yaml`). */
  public readonly isStatic: boolean;

  constructor(scope: Construct, id: string, props: BarePodProps) {
    super(scope, id, props, (collector: FindingCollector) => {
      collector.report(Rules.BARE_POD, 'name', props.name, 'no controller will restart or reschedule this Pod');
      checkEnum(collector, 'restartPolicy', props.restartPolicy, kplus.RestartPolicy);
      for (const field of ['static', 'stdin', 'tty'] as const) {
        if (props[field] !== undefined && typeof props[field] !== 'boolean') collector.report(Rules.PROPS_INVALID, field, props[field], 'must be true or false');
      }
      if (props.tty === true && props.stdin !== true) collector.report(Rules.PROPS_INVALID, 'tty', true, 'needs stdin: true (a terminal without input cannot be attached to)');
      const profile = props.profile ?? Profiles.of(scope);
      for (const field of ['stdin', 'tty'] as const) {
        if (props[field] === true && profile !== Profile.DEVELOPMENT) collector.report(Rules.DEBUG_TERMINAL, field, true, `makes this a debugging Pod, which the ${profile} profile refuses`);
      }
      if (props.static === true && props.serviceAccount !== undefined) {
        collector.report(Rules.STATIC_POD_REFERENCE, 'serviceAccount', props.serviceAccount, 'names a ServiceAccount, which the kubelet cannot give a static Pod (it runs without one)');
      }
      if (props.static === true && (props.allowFrom?.length || props.allowTo?.length)) {
        collector.report(Rules.STATIC_POD_REFERENCE, props.allowFrom?.length ? 'allowFrom' : 'allowTo', (props.allowFrom?.length ? props.allowFrom : props.allowTo)?.length, 'needs a NetworkPolicy, which a static Pod does not get');
      }
      return new PodCore(props, collector, {
        component: 'debug',
        requirePort: false, requireReadiness: false, requireLiveness: false, gracefulStop: false, spread: false,
        maxPods: 1, surges: false, restartPolicy: props.restartPolicy ?? kplus.RestartPolicy.ALWAYS,
      });
    });
    this.isStatic = props.static === true;
    const { select: _select, podMetadata, ...podProps } = this.pod.workloadProps(this);
    this.podResource = new HardenedPod(this, 'Pod', {
      ...podProps,
      metadata: { ...this.metadata(), labels: carriedMap(this, { ...this.labels, ...podMetadata?.labels }), annotations: { ...this.metadata().annotations, ...podMetadata?.annotations } },
      serviceAccount: this.isStatic ? undefined : this.serviceAccount,
    }, this.pod, { stdin: props.stdin || undefined, tty: props.tty || undefined });
    if (this.isStatic) {
      // No companions: the kubelet reads only the Pod's file, and nothing in the API would use them.
      this.node.tryRemoveChild(this.serviceAccount.node.id);
      this.node.tryRemoveChild(this.networkPolicy.node.id);
      StaticPods.mark(ApiObject.of(this.podResource));
      const collector = new FindingCollector(this, props.profile);
      for (const r of staticPodReferences((this.podResource as HardenedPod)._toKube())) collector.report(Rules.STATIC_POD_REFERENCE, r.field, r.value, r.problem);
      collector.commit();
    }
  }

  /** One Pod. */
  public get peakPods(): number {
    return 1;
  }

  /** The QoS class the kubelet will give the Pod. */
  public get qosClass(): QosClass {
    return qosClassOf((this.podResource as HardenedPod)._toKube());
  }

  /** Grants API access (refused for a static Pod: it has no ServiceAccount, SW-POD-002). */
  public override grant(grant: Grant): void {
    this.refuseIfStatic('grant', 'has no ServiceAccount to grant to');
    super.grant(grant);
  }

  /** Grants API access in every namespace (refused for a static Pod: it has no ServiceAccount, SW-POD-002). */
  public override grantClusterWide(grant: Grant): void {
    this.refuseIfStatic('grantClusterWide', 'has no ServiceAccount to grant to');
    super.grantClusterWide(grant);
  }

  /** Opens this Pod to `client` (refused for a static Pod: it has no NetworkPolicy, SW-POD-002). */
  public override allowFrom(client: Workload, ...ports: number[]): void {
    this.refuseIfStatic('allowFrom', 'has no NetworkPolicy to open');
    super.allowFrom(client, ...ports);
  }

  private refuseIfStatic(field: string, problem: string): void {
    if (!this.isStatic) return;
    const collector = new FindingCollector(this);
    collector.report(Rules.STATIC_POD_REFERENCE, field, this.pod.name, `a static Pod ${problem}`);
    collector.commit();
  }
}
