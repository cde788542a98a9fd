import { App, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Peer, Probe, Tenant, WebService, Worker, writeManifests } from 'seaworthy';

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

if (require.main === module) writeManifests(build(new App()));
