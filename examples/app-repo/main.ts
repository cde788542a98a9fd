import { App, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import { Environment, Gateway, Probe, Tenant, WebService, Worker, writeEnvironments } from 'seaworthy';

/**
 * The platform team's public Gateway (HTTPS listener), owned and deployed in their namespace;
 * routes attach to it, and its proxies are admitted to the Pods they forward to.
 */
export const PUBLIC_GATEWAY = Gateway.fromRef('infra', 'public', { sectionName: 'https' });

/** The checkout team's services, in their own namespace. */
export function build(app: App): App {
  const shop = new Tenant(app, 'checkout', {
    name: 'checkout',
    quota: { cpu: Cpu.units(8), memory: Size.gibibytes(16) },
    gateways: [PUBLIC_GATEWAY],
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
  });
  api.addRoute({ hostnames: ['checkout.acme.example'], timeout: Duration.seconds(30) });

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
