import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Profile } from '../rules/profile';
import { KubernetesTarget } from '../target/target';
import { clusterScoped } from '../util/cluster-scoped';
import { admissionPolicies } from './policies';

/** Props of `AdmissionPolicies`. */
export interface AdmissionPoliciesProps {
  /**
   * The profile of namespaces without the `seaworthy.dev/profile` label (or with a value that
   * is not a profile). Labelled namespaces get the profile their label names; kube-system,
   * kube-public and kube-node-lease get none.
   * @default Profile.PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * Only the policies of these rule ids (e.g. `['SW-SEC-006', 'SW-SEC-011']`).
   * @default - every rule judged at admission
   */
  readonly rules?: readonly string[];
}

/**
 * The rules judged at the cluster's door: one ValidatingAdmissionPolicy per rule decidable from
 * one object (named `seaworthy-<rule id>`), with bindings per profile (error: Deny + Audit, with
 * a sibling Warn binding; warning: Warn + Audit; info: Audit). Rendered for the chart's
 * Kubernetes target: `admissionregistration.k8s.io/v1` from 1.30, `v1beta1` on 1.28 and 1.29,
 * which need the ValidatingAdmissionPolicy feature gate. Put it in the platform team's chart.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export class AdmissionPolicies extends Construct {
  /** The names of the generated policies. */
  public readonly policyNames: readonly string[];

  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps = {}) {
    super(scope, id);
    let objects: ReturnType<typeof admissionPolicies>;
    try {
      objects = admissionPolicies(KubernetesTarget.of(this), { unlabelled: props.profile, rules: props.rules });
    } catch (e) {
      throw new Error(`[${this.node.path}] ${(e as Error).message}`);
    }
    const names: string[] = [];
    for (const o of objects) {
      const { apiVersion, kind, metadata, ...rest } = o as { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string> } };
      clusterScoped(new ApiObject(this, metadata.name, { apiVersion, kind, metadata, ...rest }));
      if (kind === 'ValidatingAdmissionPolicy') names.push(metadata.name);
    }
    this.policyNames = names;
  }
}
