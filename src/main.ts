import { ApiObject, App, Chart, ChartProps, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Findings } from './rules/findings';
import { Env, Peer, Probe, WebService } from './index';

/**
 * The reference app: the "graceful HTTP server" the domain notes end with. Graceful start
 * (startup + readiness probes), graceful stop (preStop delay, drain, computed grace period),
 * Guaranteed QoS, liveness separate from readiness, and the log level as configuration kept
 * apart from the code in a ConfigMap.
 */
export class HelloChart extends Chart {
  /** The service. */
  public readonly web: WebService;

  constructor(scope: Construct, id: string, props: ChartProps = {}) {
    const namespace = props.namespace ?? 'hello';
    super(scope, id, { ...props, namespace });

    const ns = new kplus.Namespace(this, 'Namespace', {
      metadata: {
        name: namespace,
        labels: {
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'v1.28',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/audit': 'restricted',
        },
      },
    });
    // The chart's namespace is stamped on every object; a Namespace itself is cluster-scoped.
    ApiObject.of(ns).addJsonPatch(JsonPatch.remove('/metadata/namespace'));

    const config = new kplus.ConfigMap(this, 'Config', {
      metadata: { name: 'hello-config' },
      data: { LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: '20' },
    });

    this.web = new WebService(this, 'Hello', {
      name: 'hello',
      image: 'ghcr.io/seaworthy-dev/hello-http:1.2.0',
      port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: 3,
      startup: Probe.http('/ready', { period: Duration.seconds(2), failureThreshold: 30 }),
      readiness: Probe.http('/ready', { period: Duration.seconds(5) }),
      liveness: Probe.http('/healthz', { period: Duration.seconds(10), timeout: Duration.seconds(2) }),
      shutdown: { drainTime: Duration.seconds(20) },
      env: {
        LOG_LEVEL: Env.fromConfigMap(config.name, 'LOG_LEVEL'),
        SHUTDOWN_DRAIN_SECONDS: Env.fromConfigMap(config.name, 'SHUTDOWN_DRAIN_SECONDS'),
        POD_NAME: Env.fromField(kplus.EnvFieldPaths.POD_NAME),
      },
      allowFrom: [Peer.namespace('ingress-nginx')],
      owner: 'platform-team',
      description: 'Reference graceful HTTP server',
    });
  }
}

/** Builds the reference app into `app`. */
export function buildApp(app: App): App {
  new HelloChart(app, 'hello');
  return app;
}

if (require.main === module) {
  const app = buildApp(new App());
  app.synth();
  Findings.print(app);
}
