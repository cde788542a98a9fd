import { App, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Environment, Peer, Probe, Tenant, WebService, Worker, writeEnvironments } from 'seaworthy';

/** The checkout team's services, in their own namespace. */
export function build(app: App): App {
  const shop = new Tenant(app, 'checkout', {
    name: 'checkout',
    quota: { cpu: Cpu.units(8), memory: Size.gibibytes(16) },
  });

  const api = new WebService(shop, 'api', {
    name: 'checkout-api',
    image: 'ghcr.io/acme/checkout-api:3.2.1',
    port: 8080,
    size: { cpu: Cpu.millis(500), memory: Size.mebibytes(512) },
    autoscaling: { minReplicas: 3, maxReplicas: 10 },
    readiness: Probe.http('/ready'),
    liveness: Probe.http('/healthz'),
    shutdown: { drainTime: Duration.seconds(20) },
    allowFrom: [Peer.namespace('ingress-nginx')],
  });
  api.addIngress({ host: 'checkout.acme.example', ingressClassName: 'nginx', tlsSecretName: 'checkout-tls' });

  const worker = new Worker(shop, 'worker', {
    name: 'checkout-worker',
    image: 'ghcr.io/acme/checkout-api:3.2.1',
    args: ['worker'],
    size: { cpu: Cpu.millis(250), memory: Size.mebibytes(256) },
    liveness: Probe.exec(['/app/healthcheck']),
  });
  api.allowFrom(worker);
  return app;
}

/**
 * Where the services run: the cloud cluster on a current minor, and the on-premises cluster that
 * is still on 1.28 (its sidecars and preStop render the 1.28 way until it is upgraded).
 */
export const ENVIRONMENTS: Environment[] = [
  { name: 'cloud', kubernetesVersion: '1.35' },
  { name: 'onprem', kubernetesVersion: '1.28' },
];

if (require.main === module) writeEnvironments({ environments: ENVIRONMENTS, build }, process.env.CDK8S_OUTDIR ?? 'dist');
