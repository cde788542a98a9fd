import * as k8s from '../../imports/k8s';

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
