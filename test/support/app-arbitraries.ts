import { App, Chart, Duration, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import { AppConfig, BatchJob, ContainerProps, CronTask, Env, Gateway, KubernetesTarget, KubernetesVersion, NodeAgent, Peer, Probe, StatefulService, synthesize, Tenant, WebService, Worker } from '../../src';
import { KubeObject } from './synth';

/**
 * Generated valid apps for property-based tests: one chart `gen` (a Tenant or a plain Chart in
 * namespace `gen`) for a drawn Kubernetes target, with one to four workloads of every kind,
 * tricky env and config values.
 */

const ENV_NAMES = ['LOG_LEVEL', 'MODE', 'REGION', 'FEATURES', 'GREETING', 'PORT_HINT'];
const TRICKY = ['yes', 'no', 'on', 'off', '0755', '1e3', '~', 'null', '08', 'true', '', ' x ', 'ü', 'a: b', '#c', '- d', '12:30'];

const podArb = fc.record({
  cpuMillis: fc.integer({ min: 10, max: 4000 }),
  memoryMiB: fc.integer({ min: 32, max: 8192 }),
  tag: fc.tuple(fc.nat(20), fc.nat(50), fc.nat(99)).map(([a, b, c]) => `${a}.${b}.${c}`),
  port: fc.integer({ min: 1024, max: 9000 }),
  metrics: fc.boolean(),
  env: fc.dictionary(fc.constantFrom(...ENV_NAMES), fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 12 })), { maxKeys: 4 }),
  tcpReadiness: fc.boolean(),
  liveness: fc.boolean(),
  sidecar: fc.boolean(),
});

type PodSpecArb = fc.Arbitrary<{ cpuMillis: number; memoryMiB: number; tag: string; port: number; metrics: boolean; env: Record<string, string>; tcpReadiness: boolean; liveness: boolean; sidecar: boolean }>;
type Pod = PodSpecArb extends fc.Arbitrary<infer T> ? T : never;

/** How a web service is published: through one of two Gateways (an HTTPRoute or a GRPCRoute), or an Ingress. */
const frontArb = fc.oneof(
  fc.record({
    kind: fc.constant('http' as const),
    gateway: fc.constantFrom('public', 'internal'),
    hosts: fc.array(fc.tuple(fc.constantFrom('shop', 'api', 'www', '*'), fc.constantFrom('example.com', 'acme.example')).map(([a, b]) => `${a}.${b}`), { maxLength: 3 }),
    paths: fc.array(fc.constantFrom('/', '/api', '/v1/orders', '/static'), { minLength: 1, maxLength: 3 }),
    timeoutSeconds: fc.option(fc.integer({ min: 1, max: 120 }), { nil: undefined }),
    dataPlane: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('grpc' as const), gateway: fc.constantFrom('public', 'internal'), services: fc.array(fc.constantFrom('shop.v1.Orders', 'shop.v1.Carts'), { maxLength: 2 }) }),
  fc.record({ kind: fc.constant('ingress' as const), host: fc.constantFrom('shop.example.com', 'www.acme.example') }),
);
export type Front = typeof frontArb extends fc.Arbitrary<infer T> ? T : never;

const workloadArb = fc.oneof(
  fc.record({ kind: fc.constant('web' as const), pod: podArb, replicas: fc.integer({ min: 2, max: 8 }), hpa: fc.option(fc.integer({ min: 2, max: 5 }), { nil: undefined }), front: fc.option(frontArb, { nil: undefined }) }),
  fc.record({ kind: fc.constant('worker' as const), pod: podArb, replicas: fc.integer({ min: 2, max: 6 }) }),
  fc.record({ kind: fc.constant('stateful' as const), pod: podArb, replicas: fc.integer({ min: 1, max: 5 }), claimGiB: fc.integer({ min: 1, max: 500 }) }),
  fc.record({ kind: fc.constant('job' as const), pod: podArb, parallelism: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('cron' as const), pod: podArb, minute: fc.integer({ min: 0, max: 59 }), hour: fc.integer({ min: 0, max: 23 }) }),
  fc.record({ kind: fc.constant('agent' as const), pod: podArb, maxUnavailable: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('config' as const), pod: podArb, data: fc.dictionary(fc.constantFrom(...ENV_NAMES), fc.constantFrom(...TRICKY), { minKeys: 1, maxKeys: 4 }) }),
);
export const appArb = fc.record({
  tenant: fc.boolean(),
  target: fc.constantFrom(...KubernetesTarget.SUPPORTED_VERSIONS),
  workloads: fc.array(workloadArb, { minLength: 1, maxLength: 4 }),
});
export type Spec = typeof appArb extends fc.Arbitrary<infer T> ? T : never;

function common(name: string, pod: Pod) {
  return {
    name,
    image: `ghcr.io/acme/${name}:${pod.tag}`,
    size: { cpu: kplus.Cpu.millis(pod.cpuMillis), memory: Size.mebibytes(pod.memoryMiB) },
    env: Object.fromEntries(Object.entries(pod.env).map(([k, v]) => [k, Env.value(v)])),
    extraPorts: pod.metrics ? [{ name: 'metrics', port: pod.port + 1, expose: false }] : undefined,
    sidecars: pod.sidecar ? [sidecar(pod)] : undefined,
  };
}

/** A log shipper with its own health port: native on targets that have native sidecars. */
function sidecar(pod: Pod): ContainerProps {
  return {
    name: 'shipper',
    image: `ghcr.io/acme/shipper:${pod.tag}`,
    size: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(64) },
    ports: [{ name: 'shipper-health', port: pod.port + 2, expose: false }],
    readiness: Probe.http('/ready', { portName: 'shipper-health' }),
  };
}

/** A fixed day, so the target's support status (a warning) does not depend on the clock. */
const AS_OF = new Date('2026-12-01T00:00:00Z');

function build(scope: Construct, spec: Spec): void {
  spec.workloads.forEach((w, i) => {
    const name = `${w.kind}-${i}`;
    const base = common(name, w.pod);
    const readiness = w.pod.tcpReadiness ? Probe.tcp() : Probe.http('/ready');
    const liveness = w.pod.liveness ? Probe.http('/healthz') : undefined;
    switch (w.kind) {
      case 'web': {
        const web = new WebService(scope, name, { ...base, port: w.pod.port, readiness, liveness, replicas: w.hpa ? undefined : w.replicas, autoscaling: w.hpa ? { minReplicas: w.hpa, maxReplicas: w.hpa + 3 } : undefined, allowFrom: [Peer.namespace('monitoring')] });
        if (w.front) publish(web, w.front);
        break;
      }
      case 'worker': new Worker(scope, name, { ...base, liveness: Probe.exec(['/bin/healthy']), replicas: w.replicas }); break;
      case 'stateful': new StatefulService(scope, name, { ...base, port: w.pod.port, readiness, liveness, replicas: w.replicas, volumeClaims: [{ name: 'data', mountPath: '/data', size: Size.gibibytes(w.claimGiB) }] }); break;
      case 'job': new BatchJob(scope, name, { ...base, parallelism: w.parallelism, completions: w.parallelism }); break;
      case 'cron': new CronTask(scope, name, { ...base, schedule: `${w.minute} ${w.hour} * * *` }); break;
      case 'agent': new NodeAgent(scope, name, { ...base, maxUnavailable: w.maxUnavailable, liveness: w.pod.metrics ? Probe.http('/healthz', { portName: 'metrics' }) : Probe.exec(['/bin/alive']) }); break;
      case 'config': {
        const cfg = new AppConfig(scope, `${name}-cfg`, { name: `${name}-config`, data: w.data });
        const env = Object.fromEntries(Object.keys(w.data).map(k => [k, cfg.env(k)]));
        new WebService(scope, name, { ...base, env, port: w.pod.port, readiness, liveness, mounts: [{ volume: cfg.volume(), path: '/etc/app' }] });
        break;
      }
    }
  });
}

/** Publishes a generated web service. */
function publish(web: WebService, front: Front): void {
  switch (front.kind) {
    case 'http': {
      const dataPlane = front.dataPlane ? Peer.pods({ 'gateway.envoyproxy.io/owning-gateway-name': front.gateway }, 'envoy-gateway-system') : undefined;
      const gateway = Gateway.fromRef(dataPlane ? 'envoy-gateway-system' : 'infra', front.gateway, { sectionName: 'https', dataPlane });
      web.addRoute({ gateway, hostnames: front.hosts.length > 0 ? [...new Set(front.hosts)] : undefined, paths: [...new Set(front.paths)], timeout: front.timeoutSeconds === undefined ? undefined : Duration.seconds(front.timeoutSeconds) });
      break;
    }
    case 'grpc':
      web.addGrpcRoute({ gateway: Gateway.fromRef('infra', front.gateway, { sectionName: 'grpc' }), services: front.services.length > 0 ? [...new Set(front.services)] : undefined });
      break;
    case 'ingress':
      web.addIngress({ host: front.host, tlsSecretName: 'tls', controller: Peer.pods({ 'app.kubernetes.io/name': 'traefik' }, 'traefik') });
      break;
  }
}

/** Builds one generated app (`nest` moves the workloads deeper into the construct tree). */
export function buildGenerated(spec: Spec, nest = false): App {
  const app: App = Testing.app();
  KubernetesTarget.set(app, spec.target as KubernetesVersion, { asOf: AS_OF });
  const chart = spec.tenant ? new Tenant(app, 'gen', { name: 'gen' }) : new Chart(app, 'gen', { namespace: 'gen' });
  build(nest ? new Construct(new Construct(chart, 'team'), 'services') : chart, spec);
  return app;
}

/** Synthesizes one generated app (`nest` moves the workloads deeper into the construct tree). */
export function synthApp(spec: Spec, nest = false): { objects: KubeObject[]; yaml: string } {
  const [m] = synthesize(buildGenerated(spec, nest));
  return { objects: m.objects as KubeObject[], yaml: m.yaml };
}
