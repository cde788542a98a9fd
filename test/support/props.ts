import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Peer, Probe, WebServiceProps } from '../../src';

/** The ten-line example, as props; tests override one field at a time. */
export function apiProps(overrides: Partial<WebServiceProps> = {}): WebServiceProps {
  return {
    name: 'api',
    image: 'ghcr.io/acme/api:1.4.2',
    port: 8080,
    size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512) },
    replicas: 3,
    readiness: Probe.http('/ready'),
    liveness: Probe.http('/healthz'),
    allowFrom: [Peer.namespace('ingress-nginx')],
    ...overrides,
  };
}
