import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the network family. */
export const NetworkRules = {
  PORT_DUPLICATE: rule({
    id: 'SW-PORT-001',
    title: 'Container ports and port names are unique within a Pod',
    severity: Severity.ERROR,
    rationale: 'Containers of a Pod share one network namespace: two listeners on one port crash with "address already in use", and duplicate port names make named targets ambiguous.',
    fix: 'give every declared port a distinct number (per protocol) and a distinct name',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/#pod-networking`,
  }),
  PORT_INVALID: rule({
    id: 'SW-PORT-002',
    title: 'Ports and port names are valid',
    severity: Severity.ERROR,
    rationale: 'Port numbers outside 1–65535 and names that are not IANA service names (at most 15 lowercase alphanumerics or "-", with a letter) are rejected by the API server.',
    fix: 'use a port between 1 and 65535 and a name such as "http" or "metrics"',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/reference/kubernetes-api/workload-resources/pod-v1/#ports`,
  }),
  SERVICE_INVALID: rule({
    id: 'SW-SVC-001',
    title: 'Service settings fit the Service type',
    severity: Severity.ERROR,
    rationale: 'externalTrafficPolicy only applies to NodePort and LoadBalancer Services; the API server rejects it elsewhere. An ExternalName must be a DNS name, and fixed endpoints need valid IPs.',
    fix: 'set serviceType to NodePort or LoadBalancer, or drop externalTrafficPolicy; use a DNS name for ExternalName and IPv4/IPv6 addresses for endpoints',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/`,
  }),
  NETPOL_PORT_UNDECLARED: rule({
    id: 'SW-NETPOL-001',
    title: 'NetworkPolicy ingress ports are declared container ports',
    severity: Severity.ERROR,
    rationale: 'An ingress rule on a port no container listens on opens nothing useful and hides the intended port.',
    fix: 'restrict peers to ports declared with "port" or "extraPorts"',
    kinds: [],
    see: `${K8S}/concepts/services-networking/network-policies/`,
  }),
  INGRESS_NOT_ISOLATED: rule({
    id: 'SW-NETPOL-002',
    title: 'Every Pod is isolated for ingress',
    severity: Severity.WARNING,
    rationale: 'A Pod no NetworkPolicy selects for Ingress accepts connections from every Pod in the cluster.',
    fix: 'add a NetworkPolicy (or a namespace default-deny) with policyTypes Ingress selecting the Pods',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic`,
  }),
  EGRESS_NOT_ISOLATED: rule({
    id: 'SW-NETPOL-003',
    title: 'Every Pod is isolated for egress',
    severity: Severity.WARNING,
    rationale: 'A Pod no NetworkPolicy selects for Egress can reach everything, which turns one compromise into many.',
    fix: 'add a NetworkPolicy with policyTypes Egress allowing DNS and the declared peers',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/services-networking/network-policies/#default-deny-all-egress-traffic`,
  }),
  NETPOL_SELECTS_NOTHING: rule({
    id: 'SW-NETPOL-004',
    title: 'NetworkPolicies select Pods',
    severity: Severity.WARNING,
    rationale: 'A policy whose podSelector matches no Pod template of the set is probably a leftover or a typo.',
    fix: 'use the selector labels of the workload it isolates',
    kinds: ['NetworkPolicy'],
    see: `${K8S}/concepts/services-networking/network-policies/`,
  }),
  SERVICE_SELECTS_NOTHING: rule({
    id: 'SW-SVC-002',
    title: 'Services select Pods',
    severity: Severity.ERROR,
    rationale: 'A Service whose selector matches no Pod template has no endpoints: every request fails.',
    fix: 'use the selector labels of the workload behind it',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/`,
  }),
  SERVICE_TARGET_PORT: rule({
    id: 'SW-SVC-003',
    title: 'Service targetPorts are declared container ports',
    severity: Severity.ERROR,
    rationale: 'A targetPort that no selected container declares (by number or name) routes to nothing.',
    fix: 'set targetPort to a containerPort (or its name) of the selected Pods',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/#defining-a-service`,
  }),
  NODE_PORT_RANGE: rule({
    id: 'SW-SVC-005',
    title: 'nodePorts are in the node port range',
    severity: Severity.WARNING,
    rationale: 'The API server allocates and accepts nodePorts only from --service-node-port-range (30000-32767 unless the cluster changes it); a Service with a nodePort outside it is rejected.',
    fix: 'remove nodePort to let Kubernetes allocate one, or pick a port from 30000-32767 (or the cluster\'s configured range)',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/#type-nodeport`,
  }),
  SERVICE_NODE_PORT: rule({
    id: 'SW-SVC-004',
    title: 'Services are not NodePorts',
    severity: Severity.WARNING,
    rationale: 'A NodePort opens the port on every node\'s IP, reachable from outside the cluster and bypassing ingress controllers; with the default externalTrafficPolicy Cluster, clients are SNATed, so NetworkPolicies see node IPs instead of theirs.',
    fix: 'use ClusterIP behind an Ingress, or a LoadBalancer',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/#type-nodeport`,
  }),
  INGRESS_BACKEND_MISSING: rule({
    id: 'SW-INGRESS-001',
    title: 'Ingress backends are Services of the set',
    severity: Severity.ERROR,
    rationale: 'A backend naming a Service (or port) that does not exist answers 503.',
    fix: 'point the backend at a Service and port of the same namespace',
    kinds: ['Ingress'],
    see: `${K8S}/concepts/services-networking/ingress/`,
  }),
  INGRESS_NO_TLS: rule({
    id: 'SW-INGRESS-002',
    title: 'Ingresses terminate TLS',
    severity: Severity.WARNING,
    rationale: 'Without tls, traffic (and credentials) cross the network in clear text.',
    fix: 'add spec.tls with the host and a certificate Secret',
    kinds: ['Ingress'],
    see: `${K8S}/concepts/services-networking/ingress/#tls`,
  }),
} as const;

/** Why `policy` does not fit a Service of `type` (externalTrafficPolicy only applies to NodePort and LoadBalancer). */
export function externalTrafficPolicyProblem(type: string | undefined, policy: unknown): string | undefined {
  return policy === undefined || type === 'NodePort' || type === 'LoadBalancer' ? undefined : 'only applies to NodePort and LoadBalancer Services';
}

/** Why `port` is not in the default node port range 30000-32767. */
export function nodePortProblem(port: unknown): string | undefined {
  if (port === undefined || port === null) return undefined;
  return Number.isInteger(port) && (port as number) >= 30000 && (port as number) <= 32767 ? undefined : 'is outside the default node port range 30000-32767';
}
