import { Rules } from '../rules/catalog';
import { Reporter } from '../rules/finding';
import { dns1123SubdomainProblem } from '../validation/names';

/**
 * The ServiceAccount a workload's Pods run as: by default their own, created with the workload;
 * or an existing one managed by the platform team (`ServiceAccountRef.existing('ops-sa')`).
 * @see https://kubernetes.io/docs/concepts/security/service-accounts/
 */
export class ServiceAccountRef {
  /**
   * An existing ServiceAccount of the workload's namespace, managed elsewhere (by ops, with its
   * cloud IAM binding or its `imagePullSecrets`): no ServiceAccount object is rendered and the
   * Pods name it in `serviceAccountName`. The imagePullSecrets of that ServiceAccount apply to
   * the Pods (the admission controller copies them in), so private registries need nothing in
   * `podOptions`. The token stays unmounted (`automountServiceAccountToken: false` on the Pod)
   * unless the workload is granted API access. Never "default" (rule SW-SA-002).
   */
  public static existing(name: string): ServiceAccountRef {
    return new ServiceAccountRef(name);
  }

  private constructor(
    /** Name of the existing ServiceAccount. */
    public readonly name: string,
  ) {}
}

/** Reports a `serviceAccount` prop that is not a usable reference (SW-SA-002). @internal */
export function checkServiceAccountRef(reporter: Reporter, value: unknown): void {
  if (value === undefined) return;
  if (!(value instanceof ServiceAccountRef)) {
    reporter.report(Rules.SA_REF_INVALID, 'serviceAccount', value, 'must be created with ServiceAccountRef.existing(name)');
    return;
  }
  const problem = dns1123SubdomainProblem(value.name);
  if (problem) reporter.report(Rules.SA_REF_INVALID, 'serviceAccount', value.name, problem);
  else if (value.name === 'default') reporter.report(Rules.SA_REF_INVALID, 'serviceAccount', value.name, 'is the namespace\'s shared ServiceAccount of every Pod that names none');
}
