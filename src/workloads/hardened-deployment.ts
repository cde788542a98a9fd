import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { PodCore } from '../pod/pod-core';

/** Props of a `HardenedDeployment`. */
export interface HardenedDeploymentProps extends kplus.DeploymentProps {
  /** The Pod core that finishes the template. */
  readonly core: PodCore;
  /** Old ReplicaSets kept for rollback (cdk8s-plus-28 has no such prop). */
  readonly revisionHistoryLimit: number;
}

/**
 * A cdk8s-plus Deployment whose rendered spec passes through the Pod core, so later mutations
 * through the cdk8s-plus API (`addContainer`, `addVolume`, …) still reach the YAML.
 */
export class HardenedDeployment extends kplus.Deployment {
  private readonly core: PodCore;
  private readonly revisionHistoryLimit: number;

  constructor(scope: Construct, id: string, props: HardenedDeploymentProps) {
    const { core, revisionHistoryLimit, ...deploymentProps } = props;
    super(scope, id, deploymentProps);
    this.core = core;
    this.revisionHistoryLimit = revisionHistoryLimit;
    core.attach(this);
  }

  /** @internal */
  public override _toKube(): k8s.DeploymentSpec {
    const spec = super._toKube();
    return { ...spec, revisionHistoryLimit: this.revisionHistoryLimit, template: this.core.finishTemplate(spec.template) };
  }
}
