import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { LabelKeys } from '../pod/labels';
import { PodCore } from '../pod/pod-core';
import { merged } from '../util/merge';

/**
 * cdk8s-plus workloads whose rendered spec passes through the Pod core, so later mutations
 * through the cdk8s-plus API (`addContainer`, `addVolume`, …) still reach the YAML, and whose
 * pod selector (used by `Service.select()`, `connections`, HPAs) is the stable
 * `name` + `instance` selector instead of the construct-path label.
 */

/** Extra fields of the workload spec that cdk8s-plus-28 has no props for. */
type SpecExtras<T> = Partial<T>;

/**
 * The stable selector, read from the Pod template labels: cdk8s-plus calls this from inside its
 * constructors (e.g. StatefulSet selecting its Service), before subclass fields are set.
 */
function selectorConfig(workload: kplus.Workload): kplus.PodSelectorConfig {
  const labels: Record<string, string> = {};
  for (const key of [LabelKeys.NAME, LabelKeys.INSTANCE]) labels[key] = workload.podMetadata.getLabel(key)!;
  return { labelSelector: kplus.LabelSelector.of({ labels }) };
}

type JsonObject = Record<string, unknown>;

function child(json: JsonObject | undefined, key: string): JsonObject | undefined {
  return json?.[key] as JsonObject | undefined;
}

/** The Pod template of a rendered Deployment, StatefulSet, DaemonSet or Job. */
function templateOf(json: JsonObject): JsonObject | undefined {
  return child(child(json, 'spec'), 'template');
}

/** A Deployment finished by the Pod core. */
export class HardenedDeployment extends kplus.Deployment {
  constructor(scope: Construct, id: string, props: kplus.DeploymentProps, private readonly core: PodCore, private readonly extras: SpecExtras<k8s.DeploymentSpec>) {
    super(scope, id, props);
    core.attach(this);
    core.finishApiObject(this.apiObject, templateOf);
  }

  /** @internal */
  public override _toKube(): k8s.DeploymentSpec {
    const spec = super._toKube();
    return merged(spec, this.extras, { template: this.core.finishTemplate(spec.template) });
  }

  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return selectorConfig(this);
  }
}

/** A StatefulSet finished by the Pod core. */
export class HardenedStatefulSet extends kplus.StatefulSet {
  constructor(scope: Construct, id: string, props: kplus.StatefulSetProps, private readonly core: PodCore, private readonly extras: SpecExtras<k8s.StatefulSetSpec>) {
    super(scope, id, props);
    core.attach(this);
    core.finishApiObject(this.apiObject, templateOf);
  }

  /** @internal */
  public override _toKube(): k8s.StatefulSetSpec {
    const spec = super._toKube();
    return merged(spec, this.extras, { template: this.core.finishTemplate(spec.template) });
  }

  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return selectorConfig(this);
  }
}

/** A DaemonSet finished by the Pod core. */
export class HardenedDaemonSet extends kplus.DaemonSet {
  constructor(scope: Construct, id: string, props: kplus.DaemonSetProps, private readonly core: PodCore, private readonly extras: SpecExtras<k8s.DaemonSetSpec>) {
    super(scope, id, props);
    core.attach(this);
    core.finishApiObject(this.apiObject, templateOf);
  }

  /** @internal */
  public override _toKube(): k8s.DaemonSetSpec {
    const spec = super._toKube();
    return merged(spec, this.extras, { template: this.core.finishTemplate(spec.template) });
  }

  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return selectorConfig(this);
  }
}

/**
 * A Job finished by the Pod core. Jobs get no explicit selector: the Job controller generates
 * a unique one (`controller-uid`), and a hand-written one could adopt another Job's Pods.
 */
export class HardenedJob extends kplus.Job {
  constructor(scope: Construct, id: string, props: kplus.JobProps, private readonly core: PodCore, private readonly extras: SpecExtras<k8s.JobSpec>) {
    super(scope, id, props);
    core.finishApiObject(this.apiObject, templateOf);
  }

  /** @internal */
  public override _toKube(): k8s.JobSpec {
    const spec = super._toKube();
    return merged(spec, this.extras, { template: this.core.finishTemplate(spec.template) });
  }

  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return selectorConfig(this);
  }
}

/** A CronJob finished by the Pod core. */
export class HardenedCronJob extends kplus.CronJob {
  constructor(scope: Construct, id: string, props: kplus.CronJobProps, private readonly core: PodCore, private readonly jobExtras: SpecExtras<k8s.JobSpec>) {
    super(scope, id, props);
    core.finishApiObject(this.apiObject, json => child(child(child(json, 'spec'), 'jobTemplate'), 'spec')?.template as JsonObject | undefined);
  }

  /** @internal */
  public override _toKube(): k8s.CronJobSpec {
    const spec = super._toKube();
    const job = spec.jobTemplate.spec!;
    return merged(spec, { jobTemplate: merged(spec.jobTemplate, { spec: merged(job, this.jobExtras, { template: this.core.finishTemplate(job.template) }) }) });
  }

  public override toPodSelectorConfig(): kplus.PodSelectorConfig {
    return selectorConfig(this);
  }
}
