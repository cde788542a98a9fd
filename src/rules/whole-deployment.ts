/**
 * The rules that need the whole deployment in view: each reports the absence of an object (a
 * selector that matches no Pod template, a reference to an object not in the set). In a set known
 * to be complete (`Findings.of(app)`, a dist/ written by seaworthy, `seaworthy audit --complete`)
 * they report at their severity; in an open set, what is absent may be deployed by another chart
 * or an operator, so they report an info saying it is not seen. Keyed by rule id, with what is
 * not seen.
 */
export const WHOLE_DEPLOYMENT_RULES: Readonly<Record<string, string>> = {
  'SW-ENV-005': 'a ConfigMap an env var or envFrom refers to',
  'SW-HPA-005': 'the scale target of a HorizontalPodAutoscaler',
  'SW-INGRESS-001': 'the Service an Ingress backend names (a port missing from a Service in view is judged in both)',
  'SW-NETPOL-004': 'the Pods a NetworkPolicy selects',
  'SW-PDB-004': 'the Pods a PodDisruptionBudget selects',
  'SW-STS-002': 'the Service a StatefulSet names (one in view that is not headless is judged in both)',
  'SW-SVC-002': 'the Pods a Service selects (Pods an operator creates from a custom resource included)',
};
