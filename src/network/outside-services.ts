import { Construct } from 'constructs';
import * as k8s from '../../imports/k8s';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { dns1035LabelProblem, portNumberProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { Peer } from './peer';

/** Props of an `ExternalService`. */
export interface ExternalServiceProps {
  /** Service name in the cluster, e.g. "payments". */
  readonly name: string;
  /** DNS name it resolves to (a CNAME), e.g. "payments.example.com". */
  readonly externalName: string;
}

const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * An outside dependency under a stable in-cluster name: a Service of type ExternalName, so
 * workloads use `payments` and only this object knows where it really lives.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#externalname
 */
export class ExternalService extends Construct {
  /** The Service. */
  public readonly service: k8s.KubeService;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'ExternalServiceProps', props);
    const problem = dns1035LabelProblem(props?.name);
    if (problem) collector.report(Rules.NAME_INVALID, 'name', props?.name, problem);
    if (typeof props?.externalName !== 'string' || !DNS_NAME.test(props.externalName)) {
      collector.report(Rules.SERVICE_INVALID, 'externalName', props?.externalName, 'must be a lowercase DNS name such as "payments.example.com"');
    }
    collector.commit();
    this.service = new k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name, labels: { [LabelKeys.MANAGED_BY]: MANAGED_BY } },
      spec: { type: 'ExternalName', externalName: props.externalName },
    });
  }
}

/** A port of a `FixedEndpointsService`. */
export interface FixedPort {
  /** Port name. */
  readonly name: string;
  /** Port number, on the Service and on the addresses. */
  readonly port: number;
}

/** Props of a `FixedEndpointsService`. */
export interface FixedEndpointsServiceProps {
  /** Service name in the cluster. */
  readonly name: string;
  /** IP addresses outside the cluster (e.g. a managed database). */
  readonly addresses: string[];
  /** Ports. */
  readonly ports: FixedPort[];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * Fixed outside IPs under a stable in-cluster name: a Service without selector plus its
 * Endpoints, named alike so the endpoints controller leaves them alone. `peer` is the matching
 * NetworkPolicy peer (the same addresses as /32 blocks).
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
 */
export class FixedEndpointsService extends Construct {
  /** The selector-less Service. */
  public readonly service: k8s.KubeService;
  /** The Endpoints. */
  public readonly endpoints: k8s.KubeEndpoints;
  private readonly props: FixedEndpointsServiceProps;

  constructor(scope: Construct, id: string, props: FixedEndpointsServiceProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'FixedEndpointsServiceProps', props);
    const problem = dns1035LabelProblem(props?.name);
    if (problem) collector.report(Rules.NAME_INVALID, 'name', props?.name, problem);
    (props?.addresses ?? []).forEach((ip, i) => {
      if (!IPV4.test(ip) && !(ip.includes(':') && /^[0-9a-fA-F:]+$/.test(ip))) collector.report(Rules.SERVICE_INVALID, `addresses[${i}]`, ip, 'is not an IPv4 or IPv6 address');
    });
    if (!props?.addresses?.length) collector.report(Rules.SERVICE_INVALID, 'addresses', props?.addresses, 'needs at least one address');
    (props?.ports ?? []).forEach((p, i) => {
      const portProblem = portNumberProblem(p.port);
      if (portProblem) collector.report(Rules.PORT_INVALID, `ports[${i}].port`, p.port, portProblem);
    });
    collector.commit();
    this.props = props;
    const metadata = { name: props.name, labels: { [LabelKeys.MANAGED_BY]: MANAGED_BY } };
    this.service = new k8s.KubeService(this, 'Resource', {
      metadata,
      spec: { ports: props.ports.map(p => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromNumber(p.port), protocol: 'TCP' })) },
    });
    this.endpoints = new k8s.KubeEndpoints(this, 'Endpoints', {
      metadata,
      subsets: [{ addresses: props.addresses.map(ip => ({ ip })), ports: props.ports.map(p => ({ name: p.name, port: p.port, protocol: 'TCP' })) }],
    });
  }

  /** NetworkPolicy peers for the addresses, on the declared ports. */
  public get peers(): Peer[] {
    return this.props.addresses.map(ip => Peer.ipBlock(ip.includes(':') ? `${ip}/128` : `${ip}/32`).tcp(...this.props.ports.map(p => p.port)));
  }
}
