import * as net from 'net';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { dns1123SubdomainProblem } from '../validation/names';

/** DNS policy of a Pod. */
export enum DnsPolicy {
  /** Cluster DNS first, then the node's upstream. */
  CLUSTER_FIRST = 'ClusterFirst',
  /** Cluster DNS for Pods on the host network. */
  CLUSTER_FIRST_WITH_HOST_NET = 'ClusterFirstWithHostNet',
  /** The node's resolv.conf. */
  DEFAULT = 'Default',
  /** Only `dnsConfig`. */
  NONE = 'None',
}

/** Extra DNS settings merged into the Pod's resolv.conf. */
export interface DnsConfig {
  /**
   * Name servers.
   * @default - none
   */
  readonly nameservers?: string[];
  /**
   * Search domains.
   * @default - none
   */
  readonly searches?: string[];
  /**
   * Resolver options, e.g. `{ ndots: '2' }` to cut lookups of external names.
   * @default - none
   */
  readonly options?: Record<string, string>;
}

/** An /etc/hosts entry. */
export interface HostAlias {
  /** IP address. */
  readonly ip: string;
  /** Host names for it. */
  readonly hostnames: string[];
}

/** Less common Pod settings. */
export interface PodOptions {
  /**
   * Entries added to /etc/hosts.
   * @default - none
   */
  readonly hostAliases?: HostAlias[];
  /**
   * DNS policy.
   * @default DnsPolicy.CLUSTER_FIRST (ClusterFirstWithHostNet on the host network)
   */
  readonly dnsPolicy?: DnsPolicy;
  /**
   * Extra resolver settings.
   * @default - none
   */
  readonly dnsConfig?: DnsConfig;
  /**
   * Containers see each other's processes (e.g. to signal a reloader sidecar).
   * @default false
   */
  readonly shareProcessNamespace?: boolean;
  /**
   * Extra Pod conditions, set by an external controller, that must be true before the Pod
   * counts as ready.
   * @default - none
   */
  readonly readinessGates?: string[];
  /**
   * Secrets holding registry credentials for private images.
   * @default - none
   */
  readonly imagePullSecrets?: string[];
}

/** Reports Pod option references the API server would refuse: host alias IPs and hostnames, image pull Secret names. */
export function checkPodOptions(o: PodOptions | undefined, collector: FindingCollector): void {
  (Array.isArray(o?.hostAliases) ? o.hostAliases : []).forEach((h, i) => {
    if (net.isIP(String(h?.ip)) === 0) collector.report(Rules.PROPS_INVALID, `podOptions.hostAliases[${i}].ip`, h?.ip, 'must be an IPv4 or IPv6 address');
    (Array.isArray(h?.hostnames) ? h.hostnames : [h?.hostnames]).forEach((n: unknown, j: number) => {
      const problem = dns1123SubdomainProblem(n);
      if (problem) collector.report(Rules.PROPS_INVALID, `podOptions.hostAliases[${i}].hostnames[${j}]`, n, problem);
    });
  });
  (Array.isArray(o?.imagePullSecrets) ? o.imagePullSecrets : []).forEach((n, i) => {
    const problem = dns1123SubdomainProblem(n);
    if (problem) collector.report(Rules.PROPS_INVALID, `podOptions.imagePullSecrets[${i}]`, n, `is not a Secret name: it ${problem}`);
  });
}

/** Renders Pod options into Pod spec fields. */
export function renderPodOptions(o: PodOptions | undefined, hostNetwork: boolean): Partial<k8s.PodSpec> {
  return {
    hostAliases: o?.hostAliases?.map(h => ({ ip: h.ip, hostnames: [...h.hostnames] })),
    dnsPolicy: o?.dnsPolicy ?? (hostNetwork ? DnsPolicy.CLUSTER_FIRST_WITH_HOST_NET : DnsPolicy.CLUSTER_FIRST),
    dnsConfig: o?.dnsConfig && {
      nameservers: o.dnsConfig.nameservers,
      searches: o.dnsConfig.searches,
      options: o.dnsConfig.options && Object.entries(o.dnsConfig.options).map(([name, value]) => ({ name, value })),
    },
    shareProcessNamespace: o?.shareProcessNamespace || undefined,
    readinessGates: o?.readinessGates?.map(conditionType => ({ conditionType })),
    imagePullSecrets: o?.imagePullSecrets?.map(name => ({ name })),
  };
}
