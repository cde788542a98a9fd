import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the network family. */
export const NetworkRules = {
  PORT_DUPLICATE: rule({
    id: 'SW-PORT-001',
    title: 'Container ports and port names are unique within a Pod',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Containers of a Pod share one network namespace: two listeners on one port crash with "address already in use", and duplicate port names make named targets ambiguous.',
    fix: 'give every declared port a distinct number (per protocol) and a distinct name',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/workloads/pods/#pod-networking`,
  }),
  PORT_INVALID: rule({
    id: 'SW-PORT-002',
    title: 'Ports and port names are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Port numbers outside 1–65535 and names that are not IANA service names (at most 15 lowercase alphanumerics or "-", with a letter) are rejected by the API server.',
    fix: 'use a port between 1 and 65535 and a name such as "http" or "metrics"',
    kinds: [...WORKLOAD_KINDS, 'Service'],
    see: `${K8S}/reference/kubernetes-api/workload-resources/pod-v1/#ports`,
  }),
  SERVICE_INVALID: rule({
    id: 'SW-SVC-001',
    title: 'Service settings fit the Service type',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'externalTrafficPolicy only applies to NodePort and LoadBalancer Services; the API server rejects it elsewhere. An ExternalName must be a DNS name, and fixed endpoints need valid IPs.',
    fix: 'set serviceType to NodePort or LoadBalancer, or drop externalTrafficPolicy; use a DNS name for ExternalName and IPv4/IPv6 addresses for endpoints',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/`,
  }),
  NETPOL_PORT_UNDECLARED: rule({
    id: 'SW-NETPOL-001',
    title: 'NetworkPolicy ingress ports are declared container ports',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'An ingress rule on a port no container listens on opens nothing useful and hides the intended port.',
    fix: 'restrict peers to ports declared with "port" or "extraPorts"',
    kinds: [],
    see: `${K8S}/concepts/services-networking/network-policies/`,
  }),
  INGRESS_NOT_ISOLATED: rule({
    id: 'SW-NETPOL-002',
    title: 'Every Pod is isolated for ingress',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'objects',
    wholeDeployment: true,
    scanners: { kubeScore: ['pod-networkpolicy'] },
    rationale: 'A Pod no NetworkPolicy selects for Ingress accepts connections from every Pod in the cluster.',
    fix: 'add a NetworkPolicy (or a namespace default-deny) with policyTypes Ingress selecting the Pods',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/services-networking/network-policies/#default-deny-all-ingress-traffic`,
  }),
  EGRESS_NOT_ISOLATED: rule({
    id: 'SW-NETPOL-003',
    title: 'Every Pod is isolated for egress',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'objects',
    wholeDeployment: true,
    rationale: 'A Pod no NetworkPolicy selects for Egress can reach everything, which turns one compromise into many.',
    fix: 'add a NetworkPolicy with policyTypes Egress allowing DNS and the declared peers',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/services-networking/network-policies/#default-deny-all-egress-traffic`,
  }),
  NETPOL_SELECTS_NOTHING: rule({
    id: 'SW-NETPOL-004',
    title: 'NetworkPolicies select Pods',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    unseen: 'the Pods a NetworkPolicy selects',
    rationale: 'A policy whose podSelector matches no Pod template of the set is probably a leftover or a typo.',
    fix: 'use the selector labels of the workload it isolates',
    kinds: ['NetworkPolicy'],
    see: `${K8S}/concepts/services-networking/network-policies/`,
  }),
  SERVICE_SELECTS_NOTHING: rule({
    id: 'SW-SVC-002',
    title: 'Services select Pods',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    unseen: 'the Pods a Service selects (Pods an operator creates from a custom resource included)',
    rationale: 'A Service whose selector matches no Pod template has no endpoints: every request fails.',
    fix: 'use the selector labels of the workload behind it',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/`,
  }),
  SERVICE_TARGET_PORT: rule({
    id: 'SW-SVC-003',
    title: 'Service targetPorts are declared container ports',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    rationale: 'A targetPort name that no selected container declares cannot resolve: the Service has no endpoint for that port and every request to it fails. A port number need not be declared (Kubernetes documents a container\'s ports list as informational) and is not reported.',
    fix: 'set targetPort to a containerPort (or its name) of the selected Pods',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/#defining-a-service`,
  }),
  NODE_PORT_RANGE: rule({
    id: 'SW-SVC-005',
    title: 'nodePorts are in the node port range',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server allocates and accepts nodePorts only from --service-node-port-range (30000-32767 unless the cluster changes it); a Service with a nodePort outside it is rejected. The audit cannot see the cluster\'s flags, so a port within 1-65535 but outside the default range is a warning, not an error (outside 1-65535 it is SW-PORT-002).',
    fix: 'remove nodePort to let Kubernetes allocate one, or pick a port from 30000-32767 (or the cluster\'s configured range)',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/#type-nodeport`,
  }),
  NODE_PORT_DEFAULT_RANGE: rule({
    id: 'SW-SVC-006',
    title: 'A typed nodePort is in the default node port range 30000-32767',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'The API server accepts a nodePort only from its --service-node-port-range, 30000-32767 unless the cluster sets another; a Service asking for a port outside it is refused. A construct cannot see the cluster\'s flags, so it holds the default; the audit of YAML written by others only warns (SW-SVC-005) and errs only outside 1-65535 (SW-PORT-002).',
    fix: 'leave nodePort unset to let Kubernetes allocate one, or pick a port from 30000-32767; on a cluster with another range, waive SW-SVC-006 (and the audit\'s SW-SVC-005) naming the range, e.g. Waiver.of(\'SW-SVC-006\', \'cluster node port range 20000-22767\')',
    kinds: [],
    see: `${K8S}/concepts/services-networking/service/#type-nodeport`,
  }),
  NODE_PORT_DUPLICATE: rule({
    id: 'SW-SVC-007',
    title: 'A nodePort is allocated once',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'A node port is opened on every node for one Service: the API server refuses a second Service asking for a port already allocated ("provided port is already allocated"), whatever its protocol or namespace, and a Service listing the same nodePort twice for one protocol. Constructs are checked across the app, the audit across the objects audited together (one deploy group).',
    fix: 'give each Service its own nodePort, or leave nodePort unset to let Kubernetes allocate one',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/#nodeport-custom-port`,
  }),
  SERVICE_NODE_PORT: rule({
    id: 'SW-SVC-004',
    title: 'Services are not NodePorts',
    severity: Severity.WARNING,
    tier: 'hardening',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A NodePort opens the port on every node\'s IP, reachable from outside the cluster and bypassing ingress controllers; with the default externalTrafficPolicy Cluster, clients are SNATed, so NetworkPolicies see node IPs instead of theirs.',
    fix: 'use ClusterIP behind an Ingress, or a LoadBalancer',
    kinds: ['Service'],
    see: `${K8S}/concepts/services-networking/service/#type-nodeport`,
  }),
  INGRESS_BACKEND_MISSING: rule({
    id: 'SW-INGRESS-001',
    title: 'Ingress backends are Services of the set',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    unseen: 'the Service an Ingress backend names (a port missing from a Service in view is judged in both)',
    rationale: 'A backend naming a Service (or port) that does not exist answers 503.',
    fix: 'point the backend at a Service and port of the same namespace',
    kinds: ['Ingress'],
    see: `${K8S}/concepts/services-networking/ingress/`,
  }),
  INGRESS_NO_TLS: rule({
    id: 'SW-INGRESS-002',
    title: 'Ingresses terminate TLS',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
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

/** The node port range of the API server unless the cluster sets --service-node-port-range. */
export const DEFAULT_NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/**
 * What is wrong with a nodePort: `invalid` (SW-PORT-002) when it is no port number at all, which
 * every API server refuses; `range` when it is outside the default range 30000-32767, which only
 * a cluster configured with another range accepts (SW-SVC-006 on props, the SW-SVC-005 warning
 * in the audit).
 */
export function nodePortProblem(port: unknown): { readonly kind: 'invalid' | 'range'; readonly problem: string } | undefined {
  if (port === undefined || port === null) return undefined;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) return { kind: 'invalid', problem: 'must be a whole number from 1 to 65535' };
  return port >= DEFAULT_NODE_PORT_RANGE.min && port <= DEFAULT_NODE_PORT_RANGE.max ? undefined
    : { kind: 'range', problem: `is outside the default node port range ${DEFAULT_NODE_PORT_RANGE.min}-${DEFAULT_NODE_PORT_RANGE.max}` };
}

/** One nodePort of a Service: the Service (as findings name it), the port's index and protocol. */
export interface NodePortUse {
  readonly service: string;
  readonly index: number;
  readonly protocol: string;
  readonly nodePort: number;
}

/**
 * The one SW-SVC-007 predicate: for each use of a nodePort already used before it, why the API
 * server refuses it (the same port and protocol twice in one Service, or a port another Service
 * has allocated).
 */
export function duplicateNodePorts(uses: readonly NodePortUse[]): Array<{ readonly use: NodePortUse; readonly problem: string }> {
  const out: Array<{ use: NodePortUse; problem: string }> = [];
  uses.forEach((use, i) => {
    const earlier = uses.slice(0, i).find(u => u.nodePort === use.nodePort && (u.service !== use.service || u.protocol === use.protocol));
    if (!earlier) return;
    out.push({
      use,
      problem: earlier.service === use.service
        ? `is listed twice for ${use.protocol} in this Service (ports[${earlier.index}] and ports[${use.index}]); the API server refuses the Service`
        : `is already the nodePort of ${earlier.service}; a node port belongs to one Service in the whole cluster, so the API server refuses the second`,
    });
  });
  return out;
}
