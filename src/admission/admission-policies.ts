import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Profile } from '../rules/profile';
import { KubernetesTarget } from '../target/target';
import { clusterScoped } from '../util/cluster-scoped';
import { mutatingPolicies } from './mutating';
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
  /**
   * Also the MutatingAdmissionPolicies of the defaults no one has to choose (seccomp
   * `RuntimeDefault` on the Pod for SW-SEC-009, `allowPrivilegeEscalation: false` for
   * SW-SEC-011), filling in what is unset so that the rule's policy passes; waived objects and
   * containers are left alone. Needs a target with MutatingAdmissionPolicy: `v1` on 1.36,
   * `v1beta1` on 1.34 and 1.35 (behind the MutatingAdmissionPolicy feature gate); refused on
   * older targets.
   * @default false
   */
  readonly mutating?: boolean;
  /**
   * Namespaces no binding applies to, beside kube-system, kube-public and kube-node-lease: those
   * of platform components installed by their own operators (e.g. `calico-system`).
   * @default - the system namespaces only
   */
  readonly excludeNamespaces?: readonly string[];
}

/**
 * The rules judged at the cluster's door: one ValidatingAdmissionPolicy per rule decidable from
 * one object (named `seaworthy-<rule id>`), with bindings per profile (error: Deny + Audit, with
 * a sibling Warn binding; warning: Warn + Audit; info: Audit). Rendered for the chart's
 * Kubernetes target: `admissionregistration.k8s.io/v1` from 1.30, `v1beta1` on 1.28 and 1.29,
 * which need the ValidatingAdmissionPolicy feature gate. With `mutating`, also the
 * MutatingAdmissionPolicies of the choice-free defaults. Put it in the platform team's chart.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/validating-admission-policy/
 */
export class AdmissionPolicies extends Construct {
  /** The names of the generated ValidatingAdmissionPolicies. */
  public readonly policyNames: readonly string[];
  /** The names of the generated MutatingAdmissionPolicies (none unless `mutating`). */
  public readonly mutatingPolicyNames: readonly string[];

  constructor(scope: Construct, id: string, props: AdmissionPoliciesProps = {}) {
    super(scope, id);
    let objects: ReturnType<typeof admissionPolicies>;
    try {
      const target = KubernetesTarget.of(this);
      objects = [
        ...admissionPolicies(target, { unlabelled: props.profile, rules: props.rules, excludeNamespaces: props.excludeNamespaces }),
        ...(props.mutating === true ? mutatingPolicies(target, { unlabelled: props.profile, rules: props.rules, excludeNamespaces: props.excludeNamespaces }) : []),
      ];
    } catch (e) {
      throw new Error(`[${this.node.path}] ${(e as Error).message}`);
    }
    const names: string[] = [];
    const mutatingNames: string[] = [];
    for (const o of objects) {
      const { apiVersion, kind, metadata, ...rest } = o as { apiVersion: string; kind: string; metadata: { name: string; labels: Record<string, string> } };
      clusterScoped(new ApiObject(this, metadata.name, { apiVersion, kind, metadata, ...rest }));
      if (kind === 'ValidatingAdmissionPolicy') names.push(metadata.name);
      if (kind === 'MutatingAdmissionPolicy') mutatingNames.push(metadata.name);
    }
    this.policyNames = names;
    this.mutatingPolicyNames = mutatingNames;
  }
}
