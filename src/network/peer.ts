import { createHash } from 'crypto';
import * as net from 'net';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { dns1123LabelProblem, kindOf, objectKeyProblem, portNumberProblem } from '../validation/names';
import { labelMapProblems } from '../validation/selectors';

/** A port a peer may be reached on. */
export interface PeerPort {
  /** Port number. */
  readonly port: number;
  /** Protocol. */
  readonly protocol: kplus.Protocol;
}

type PeerFactory = (scope: Construct, id: string) => kplus.INetworkPolicyPeer;

/**
 * What a peer selects, as plain data: the reachability check (at synthesis and in the audit)
 * matches it against NetworkPolicy rules. Unset fields select everything of their kind.
 */
export interface PeerSelector {
  /**
   * Name of the peer's namespace.
   * @default - the namespaces carrying `namespaceLabels`
   */
  readonly namespace?: string;
  /**
   * Labels of the peer's namespaces.
   * @default - none
   */
  readonly namespaceLabels?: Record<string, string>;
  /**
   * Labels of the peer's Pods.
   * @default - every Pod of the namespace(s)
   */
  readonly podLabels?: Record<string, string>;
  /**
   * An address block (for peers outside the Pod network).
   * @default - none
   */
  readonly cidr?: string;
}

/**
 * The other side of a NetworkPolicy rule: `Peer.namespace('ingress-nginx')`,
 * `Peer.pods({ app: 'web' })`, `Peer.ipBlock('10.0.0.0/8')`, optionally narrowed to ports with
 * `.tcp(5432)` / `.udp(53)`.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class Peer {
  /** Every Pod in the namespace named `name`. */
  public static namespace(name: string): Peer {
    return new Peer(`namespace ${name}`, (scope, id) => kplus.Namespaces.select(scope, id, { names: [name] }), [], { namespace: name });
  }

  /** Every Pod in the namespaces carrying `labels`. */
  public static namespaces(labels: Record<string, string>): Peer {
    return new Peer(`namespaces ${JSON.stringify(labels)}`, (scope, id) => kplus.Namespaces.select(scope, id, { labels }), [], { namespaceLabels: { ...labels } });
  }

  /** Pods carrying `labels`, in the policy's own namespace or in the namespace `namespace`. */
  public static pods(labels: Record<string, string>, namespace?: string): Peer {
    return new Peer(`pods ${JSON.stringify(labels)}${namespace ? ` in ${namespace}` : ''}`, (scope, id) => kplus.Pods.select(scope, id, {
      labels,
      namespaces: namespace === undefined ? undefined : kplus.Namespaces.select(scope, `${id}-ns`, { names: [namespace] }),
    }), [], { namespace, podLabels: { ...labels } });
  }

  /** Addresses in a CIDR block (IPv4 or IPv6), minus `except`. */
  public static ipBlock(cidr: string, except?: string[]): Peer {
    return new Peer(`ipBlock ${cidr}`, (scope, id) => (cidr.includes(':')
      ? kplus.NetworkPolicyIpBlock.ipv6(scope, id, cidr, except)
      : kplus.NetworkPolicyIpBlock.ipv4(scope, id, cidr, except)), [], { cidr });
  }

  private constructor(
    /** Human-readable description, used in messages. */
    public readonly description: string,
    private readonly factory: PeerFactory,
    /** Ports the rule is narrowed to; empty means the workload's declared ports (ingress) or all ports (egress). */
    public readonly ports: readonly PeerPort[],
    /**
     * What the peer selects, as data. For `Peer.pods()` without a namespace, `namespace` is
     * unset: the policy's own namespace.
     */
    public readonly selector: PeerSelector,
  ) {}

  /** The same peer, narrowed to these TCP ports. */
  public tcp(...ports: number[]): Peer {
    return new Peer(this.description, this.factory, [...this.ports, ...ports.map(port => ({ port, protocol: kplus.Protocol.TCP }))], this.selector);
  }

  /** The same peer, narrowed to these UDP ports. */
  public udp(...ports: number[]): Peer {
    return new Peer(this.description, this.factory, [...this.ports, ...ports.map(port => ({ port, protocol: kplus.Protocol.UDP }))], this.selector);
  }

  /**
   * The cdk8s-plus peer, created once per chart and shared by every policy in it (peers render
   * no objects of their own, so where they live in the tree does not change the output).
   * @internal
   */
  public _bind(scope: Construct): kplus.INetworkPolicyPeer {
    const chart = Chart.of(scope);
    let id = PEER_IDS.get(this.description);
    if (id === undefined) PEER_IDS.set(this.description, id = `Peer-${createHash('sha1').update(this.description).digest('hex').slice(0, 12)}`);
    return (chart.node.tryFindChild(id) as kplus.INetworkPolicyPeer | undefined) ?? this.factory(chart, id);
  }
}

/** Each peer's construct id, by description: every workload binds the same few (DNS, its clients), and the hash was the dear part. */
const PEER_IDS = new Map<string, string>();

/** The cluster DNS Pods (kube-dns / CoreDNS), reached on TCP and UDP 53. */
export const CLUSTER_DNS = Peer.pods({ 'k8s-app': 'kube-dns' }, 'kube-system').udp(53).tcp(53);

/** One problem of a peer's selector, as the API server would see it in the NetworkPolicy. @internal */
export interface PeerProblem {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * What the API server (or cdk8s-plus, for keys named like Object.prototype members) would refuse
 * in a peer: namespace names, label keys and values, CIDR blocks, port numbers.
 * @internal
 */
export function peerProblems(peer: Peer): PeerProblem[] {
  const out: PeerProblem[] = [];
  const s = peer.selector;
  if (s.namespace !== undefined) {
    const problem = dns1123LabelProblem(s.namespace);
    if (problem) out.push({ field: 'namespace', value: s.namespace, problem });
  }
  for (const [which, labels] of [['namespaceLabels', s.namespaceLabels], ['podLabels', s.podLabels]] as const) {
    if (labels === undefined) continue;
    for (const l of labelMapProblems(labels)) out.push({ field: l.at ? `${which}.${l.at}` : which, value: l.value, problem: l.problem });
    // Peers are built by factories, out of reach of the props walk that refuses these keys elsewhere.
    for (const k of Object.keys(labels ?? {})) {
      const problem = objectKeyProblem(k);
      if (problem) out.push({ field: `${which}.${k}`, value: k, problem: `the key ${problem}` });
    }
  }
  if (s.cidr !== undefined) {
    const problem = cidrProblem(s.cidr);
    if (problem) out.push({ field: 'cidr', value: s.cidr, problem });
  }
  for (const p of peer.ports) {
    const problem = portNumberProblem(p.port);
    if (problem) out.push({ field: 'ports', value: p.port, problem });
  }
  return out;
}

/** Why `cidr` is not an IPv4 or IPv6 CIDR block ("10.0.0.0/8", "fd00::/8"), or undefined. @internal */
export function cidrProblem(cidr: unknown): string | undefined {
  if (typeof cidr !== 'string') return `expected a string, got ${kindOf(cidr)}`;
  const [ip, bits, extra] = cidr.split('/');
  const family = net.isIP(ip);
  const max = family === 6 ? 128 : 32;
  if (family === 0 || extra !== undefined || bits === undefined || !/^[0-9]{1,3}$/.test(bits) || Number(bits) > max) return 'must be an IPv4 or IPv6 CIDR block, such as "10.0.0.0/8" or "fd00::/8"';
  return undefined;
}
