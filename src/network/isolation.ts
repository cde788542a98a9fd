import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ResolvedPort } from '../pod/ports';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { CLUSTER_DNS, Peer, PeerPort, peerProblems } from './peer';

/** Whom a workload's Pods may talk to. */
export interface EgressProps {
  /**
   * Peers the Pods may connect to, on the ports each peer is narrowed to (all ports when not
   * narrowed). Everything else except cluster DNS is denied.
   * @default - DNS only
   */
  readonly allowTo?: Peer[];
  /**
   * Allow egress to the cluster DNS (kube-dns in kube-system, UDP and TCP 53). Without it,
   * restricted egress means no name resolves.
   * @default true
   */
  readonly allowDns?: boolean;
}

/** Who may talk to a workload's Pods, and whom they may talk to. */
export interface IsolationProps extends EgressProps {
  /**
   * Peers allowed to connect, on the workload's exposed ports (or on the ports a peer is
   * narrowed to with `.tcp()`/`.udp()`). Everything else is denied.
   * @default - no ingress at all
   */
  readonly allowFrom?: Peer[];
}

/** Checks that ingress ports narrowed on peers are ports the workload declares. */
export function checkIsolation(props: IsolationProps, ports: readonly ResolvedPort[], collector: FindingCollector): void {
  (props.allowFrom ?? []).forEach((peer, i) => {
    if (!(peer instanceof Peer)) {
      collector.report(Rules.NETPOL_PORT_UNDECLARED, `allowFrom[${i}]`, peer, 'must be created with Peer.namespace(), Peer.pods(), Peer.namespaces() or Peer.ipBlock()');
      return;
    }
    reportPeerProblems(collector, `allowFrom[${i}]`, peer);
    for (const p of peer.ports) {
      if (!ports.some(d => d.number === p.port && d.protocol === p.protocol)) {
        collector.report(Rules.NETPOL_PORT_UNDECLARED, `allowFrom[${i}]`, `${p.port}/${p.protocol}`, `is not a declared container port of this workload (${ports.map(d => `${d.number}/${d.protocol}`).join(', ') || 'none'})`);
      }
    }
  });
  (props.allowTo ?? []).forEach((peer, i) => {
    if (!(peer instanceof Peer)) {
      collector.report(Rules.NETPOL_PORT_UNDECLARED, `allowTo[${i}]`, peer, 'must be created with Peer.namespace(), Peer.pods(), Peer.namespaces() or Peer.ipBlock()');
      return;
    }
    reportPeerProblems(collector, `allowTo[${i}]`, peer);
  });
}

/**
 * A NetworkPolicy isolating the Pods selected by `selector` for both ingress and egress, then
 * allowing the declared peers (and DNS).
 */
export function isolate(scope: Construct, metadata: kplus.NetworkPolicyProps['metadata'], selector: Record<string, string>, ports: readonly ResolvedPort[], props: IsolationProps): kplus.NetworkPolicy {
  const policy = new kplus.NetworkPolicy(scope, 'NetworkPolicy', {
    metadata,
    // The policy reads its selector once, here: a selector standing for the workload spares a construct per workload.
    selector: { node: scope.node, with: (...mixins) => scope.with(...mixins), toPodSelectorConfig: () => ({ labelSelector: kplus.LabelSelector.of({ labels: selector }) }) },
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const exposed: PeerPort[] = ports.filter(p => p.expose).map(p => ({ port: p.number, protocol: p.protocol }));
  (props.allowFrom ?? []).forEach(peer => {
    policy.addIngressRule(peer._bind(policy), toPolicyPorts(peer.ports.length > 0 ? peer.ports : exposed));
  });
  const egress = [...(props.allowDns ?? true ? [CLUSTER_DNS] : []), ...(props.allowTo ?? [])];
  egress.forEach(peer => {
    policy.addEgressRule(peer._bind(policy), peer.ports.length > 0 ? toPolicyPorts(peer.ports) : undefined);
  });
  return policy;
}

/** cdk8s-plus NetworkPolicy ports for peer ports. */
export function toPolicyPorts(ports: readonly PeerPort[]): kplus.NetworkPolicyPort[] {
  return ports.map(p => kplus.NetworkPolicyPort.of({ port: p.port, protocol: NETWORK_PROTOCOL[p.protocol] }));
}

const NETWORK_PROTOCOL: Record<kplus.Protocol, kplus.NetworkProtocol> = {
  [kplus.Protocol.TCP]: kplus.NetworkProtocol.TCP,
  [kplus.Protocol.UDP]: kplus.NetworkProtocol.UDP,
  [kplus.Protocol.SCTP]: kplus.NetworkProtocol.SCTP,
};

/** Reports what the API server would refuse in `peer`'s selector, under `field`. @internal */
export function reportPeerProblems(collector: FindingCollector, field: string, peer: Peer): void {
  for (const p of peerProblems(peer)) collector.report(Rules.PROPS_INVALID, `${field}.${p.field}`, p.value, p.problem);
}

const opened = new WeakMap<object, Set<string>>();

/**
 * Admits `peer` to the Pods of `workload` on `port` (TCP) with an ingress rule on its
 * NetworkPolicy, once per peer and port: a front door's proxies, the Prometheus that scrapes.
 * @internal
 */
export function admitPeer(workload: { readonly networkPolicy: kplus.NetworkPolicy }, peer: Peer, port: number): void {
  const key = `${peer.description}\0${port}`;
  let done = opened.get(workload);
  if (!done) opened.set(workload, done = new Set());
  if (done.has(key)) return;
  done.add(key);
  workload.networkPolicy.addIngressRule(peer._bind(workload.networkPolicy), toPolicyPorts([{ port, protocol: kplus.Protocol.TCP }]));
}
