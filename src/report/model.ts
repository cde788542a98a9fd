import { AuditFinding, AuditInput, AuditOptions } from '../audit/engine';
import { explainWithFindings, WorkloadExplanation } from '../audit/explain';
import { FRONT_DOOR_SOURCES, FrontDoorSource, ReportFrontDoor, reportFrontDoors } from '../audit/front-doors';
import { KubeObject } from '../audit/kube';
import { namespaceOf } from '../audit/object-index';
import { Profile } from '../rules/profile';
import { KubernetesTarget } from '../target/target';

/** A namespace of one group, and whether a default-deny policy isolates its Pods. */
export interface NamespaceFacts {
  readonly group: string;
  readonly name: string;
  /** A NetworkPolicy selecting every Pod of the namespace denies ingress (allowing only what others add). */
  readonly defaultDenyIngress: boolean;
  readonly defaultDenyEgress: boolean;
}

/** Everything the report shows, computed once by the audit, `explain()` and `reportFrontDoors()`. */
export interface ReportModel {
  readonly title: string;
  /** e.g. "Kubernetes 1.35 (upstream support until 2027-02-28)". */
  readonly target: string;
  readonly profile: string;
  /** Groups (directories) in the order read; one "" group for objects from memory. */
  readonly groups: readonly string[];
  readonly workloads: readonly WorkloadExplanation[];
  readonly findings: readonly AuditFinding[];
  readonly frontDoors: readonly ReportFrontDoor[];
  readonly namespaces: readonly NamespaceFacts[];
  readonly objects: number;
  /** Whether the manifests were judged as the whole deployment (see `AuditOptions.complete`). */
  readonly complete: boolean;
}

/** Options of the model: the audit's, plus a title and front-door sources. */
export interface ModelOptions extends AuditOptions {
  readonly title?: string;
  readonly frontDoorSources?: readonly FrontDoorSource[];
}

/** Builds the report's model from manifests (one audit, one `explain()`). */
export function reportModel(inputs: readonly AuditInput[], options: ModelOptions = {}): ReportModel {
  const target = options.kubernetesVersion === undefined ? KubernetesTarget.DEFAULT : KubernetesTarget.version(options.kubernetesVersion);
  const { workloads, findings } = explainWithFindings(inputs, options);
  const groups = [...new Set(inputs.map(i => i.group ?? ''))];
  const namespaces: NamespaceFacts[] = [];
  // Each group's objects, and its default-deny candidates (NetworkPolicies selecting every Pod) by
  // namespace, in one pass: not one pass over the objects per group and namespace.
  const byGroup = new Map<string, KubeObject[]>(groups.map(g => [g, []]));
  for (const i of inputs) byGroup.get(i.group ?? '')!.push(i.object as KubeObject);
  for (const group of groups) {
    const members = byGroup.get(group)!;
    const names = new Set<string>();
    const everyPod = new Map<string, KubeObject[]>();
    for (const o of members) {
      if (o?.kind === 'Namespace' && o.metadata?.name) names.add(String(o.metadata.name));
      else if (o?.metadata?.namespace) names.add(namespaceOf(o));
      if (o?.kind === 'NetworkPolicy' && Object.keys(o.spec?.podSelector ?? { x: 1 }).length === 0) everyPod.set(namespaceOf(o), [...everyPod.get(namespaceOf(o)) ?? [], o]);
    }
    for (const name of [...names].sort()) {
      const denies = everyPod.get(name) ?? [];
      const types = (p: KubeObject): string[] => p.spec?.policyTypes ?? (p.spec?.egress ? ['Ingress', 'Egress'] : ['Ingress']);
      namespaces.push({
        group,
        name,
        defaultDenyIngress: denies.some(p => types(p).includes('Ingress') && (p.spec?.ingress ?? []).length === 0),
        defaultDenyEgress: denies.some(p => types(p).includes('Egress') && !(p.spec?.egress ?? []).some((r: KubeObject) => (r.to ?? []).length === 0 && (r.ports ?? []).length === 0)),
      });
    }
  }
  return {
    title: options.title ?? 'seaworthy report',
    target: `${target} (upstream support ${target.supportedUpstream(new Date()) ? 'until' : 'ended'} ${target.endOfLife})`,
    profile: options.profile ?? Profile.PRODUCTION,
    groups,
    workloads,
    findings,
    frontDoors: reportFrontDoors(inputs, workloads, options.frontDoorSources ?? FRONT_DOOR_SOURCES),
    namespaces,
    objects: inputs.length,
    complete: options.complete === true,
  };
}

/** The name a workload, peer or front door has in the graph (and in its SVG `<title>`): its ref, prefixed by the group when there are several. */
export function graphKey(model: Pick<ReportModel, 'groups'>, group: string, ref: string): string {
  return model.groups.length > 1 ? `${group}: ${ref}` : ref;
}
