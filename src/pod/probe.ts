import { Duration } from 'cdk8s';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { shellScriptArgsProblem } from '../rules/families/containers';
import { probeCountProblem, successThresholdProblem } from '../rules/families/probes';
import { checkHandlerHost } from '../rules/families/security';
import { FindingCollector } from '../rules/collector';
import { KubernetesTarget } from '../target/target';
import { durationSeconds } from '../validation/duration';
import { kindOf, portNameProblem, portNumberProblem } from '../validation/names';
import { merged } from '../util/merge';

/** URI scheme of an HTTP probe. */
export enum ProbeScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS; the kubelet does not verify the certificate. */
  HTTPS = 'HTTPS',
}

/**
 * Timing and thresholds shared by every probe. Unset fields render the Kubernetes defaults
 * explicitly, so the YAML shows exactly how the probe behaves.
 */
export interface ProbeTimingOptions {
  /**
   * Wait before the first probe.
   * @default Duration.seconds(0)
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#configure-probes
   */
  readonly initialDelay?: Duration;
  /**
   * How often to probe.
   * @default Duration.seconds(10)
   */
  readonly period?: Duration;
  /**
   * How long one probe may take before it counts as failed.
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
  /**
   * Consecutive successes after a failure to count as healthy again. Must be 1 for liveness and
   * startup probes.
   * @default 1
   */
  readonly successThreshold?: number;
  /**
   * Consecutive failures to count as unhealthy.
   * @default 3
   */
  readonly failureThreshold?: number;
  /**
   * Grace period for a container killed by this (liveness or startup) probe, overriding the Pod's.
   * @default - the Pod's terminationGracePeriodSeconds
   */
  readonly terminationGracePeriod?: Duration;
}

/** Options of probes that connect to a port. */
export interface PortProbeOptions extends ProbeTimingOptions {
  /**
   * Port number to probe; must be a declared container port. Give `port` or `portName`, not both.
   * @default - the container's main port ("http")
   */
  readonly port?: number;
  /**
   * Name of a declared container port to probe, e.g. "metrics".
   * @default - the container's main port ("http")
   */
  readonly portName?: string;
}

/** Options of an HTTP GET probe. */
export interface HttpProbeOptions extends PortProbeOptions {
  /**
   * Scheme to connect with.
   * @default ProbeScheme.HTTP
   */
  readonly scheme?: ProbeScheme;
  /**
   * Host to connect to instead of the Pod IP. Any host is an error (rule SW-SEC-018): Pod
   * Security "baseline" rejects it from Kubernetes 1.34, loopback included. To send a Host
   * header, use `headers: { Host: '…' }`.
   * @default - the Pod IP
   */
  readonly host?: string;
  /**
   * Extra request headers, rendered in the order given.
   * @default - none
   */
  readonly headers?: Record<string, string>;
}

/** Options of a gRPC health-checking probe. */
export interface GrpcProbeOptions extends ProbeTimingOptions {
  /**
   * Port number of the gRPC server (gRPC probes take numbers only); must be a declared port.
   * @default - the container's main port number
   */
  readonly port?: number;
  /**
   * Service name sent in the grpc.health.v1 HealthCheckRequest.
   * @default - the server's overall health
   */
  readonly service?: string;
}

/** Which probe of a container is being resolved; liveness and startup have stricter rules. */
export enum ProbeRole {
  READINESS = 'readiness',
  LIVENESS = 'liveness',
  STARTUP = 'startup',
}

/** A port a container declares, as probes and Services see it. */
export interface DeclaredPort {
  readonly name: string;
  readonly number: number;
}

/** What a probe needs to know about its container to render. @internal */
export interface ProbeContext {
  readonly ports: readonly DeclaredPort[];
  readonly collector: FindingCollector;
  readonly field: string;
  readonly role: ProbeRole;
}

type Handler = Pick<k8s.Probe, 'httpGet' | 'tcpSocket' | 'exec' | 'grpc'>;
type HandlerFactory = (port: k8s.IntOrString | undefined, mainPort: DeclaredPort | undefined) => Handler;

/**
 * A container health check: `Probe.http()`, `Probe.tcp()`, `Probe.exec()` or `Probe.grpc()`.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
 */
export class Probe {
  /** An HTTP GET that succeeds on a status from 200 to 399. */
  public static http(path: string, options: HttpProbeOptions = {}): Probe {
    return new Probe('http', { path }, options, (port) => ({
      httpGet: {
        path,
        port: port ?? k8s.IntOrString.fromString('http'),
        scheme: options.scheme ?? ProbeScheme.HTTP,
        host: options.host,
        httpHeaders: options.headers ? Object.entries(options.headers).map(([name, value]) => ({ name, value })) : undefined,
      },
    }));
  }

  /** A TCP connect that succeeds when the port accepts a connection. */
  public static tcp(options: PortProbeOptions = {}): Probe {
    return new Probe('tcp', {}, options, (port) => ({
      tcpSocket: { port: port ?? k8s.IntOrString.fromString('http') },
    }));
  }

  /** A command run inside the container that succeeds when it exits 0. */
  public static exec(command: string[], options: ProbeTimingOptions = {}): Probe {
    return new Probe('exec', { command }, options, () => ({ exec: { command: [...command] } }));
  }

  /** A gRPC health check (grpc.health.v1). */
  public static grpc(options: GrpcProbeOptions = {}): Probe {
    return new Probe('grpc', {}, options, (_port, main) => ({
      grpc: { port: options.port ?? main?.number ?? 0, service: options.service },
    }));
  }

  private constructor(
    /** The handler kind: http, tcp, exec or grpc. */
    public readonly kind: string,
    private readonly spec: { readonly path?: string; readonly command?: string[] },
    private readonly options: PortProbeOptions & { readonly service?: string },
    private readonly handler: HandlerFactory,
  ) {}

  /**
   * Validates the probe against its container and renders it; reports violations to the
   * context's collector.
   * @internal
   */
  public _resolve(ctx: ProbeContext): k8s.Probe {
    const { collector, field } = ctx;
    const o = this.options;
    this.checkHandler(ctx);
    const port = this.resolvePort(ctx);

    const seconds = (name: keyof ProbeTimingOptions, value: Duration | undefined, dflt: number, min: number): number => {
      if (value === undefined) return dflt;
      const s = durationSeconds(value);
      if (s === undefined || s < min || s > 2147483647) {
        collector.report(Rules.PROBE_FIELD_INVALID, `${field}.${name}`, s ?? value, `must be a whole number of seconds, at least ${min} and at most 2147483647 (a 32-bit integer in the API)`);
        return dflt;
      }
      return s;
    };
    const threshold = (name: keyof ProbeTimingOptions, value: number | undefined, dflt: number): number => {
      if (value === undefined) return dflt;
      const problem = probeCountProblem(value);
      if (problem) {
        collector.report(Rules.PROBE_FIELD_INVALID, `${field}.${name}`, value, problem);
        return dflt;
      }
      return value;
    };
    const successThreshold = threshold('successThreshold', o.successThreshold, 1);
    const success = successThresholdProblem(ctx.role, successThreshold);
    if (success) collector.report(Rules.PROBE_FIELD_INVALID, `${field}.successThreshold`, successThreshold, success);
    const grace = o.terminationGracePeriod === undefined ? undefined : seconds('terminationGracePeriod', o.terminationGracePeriod, 1, 1);
    if (grace !== undefined && ctx.role === ProbeRole.READINESS) {
      collector.report(Rules.PROBE_FIELD_INVALID, `${field}.terminationGracePeriod`, grace, 'is only allowed on liveness and startup probes');
    }

    return merged(this.handler(port, ctx.ports[0]), {
      initialDelaySeconds: seconds('initialDelay', o.initialDelay, 0, 0),
      periodSeconds: seconds('period', o.period, 10, 1),
      timeoutSeconds: seconds('timeout', o.timeout, 1, 1),
      successThreshold,
      failureThreshold: threshold('failureThreshold', o.failureThreshold, 3),
      terminationGracePeriodSeconds: ctx.role === ProbeRole.READINESS ? undefined : grace,
    });
  }

  private checkHandler(ctx: ProbeContext): void {
    const { collector, field } = ctx;
    if (this.kind === 'http' && (typeof this.spec.path !== 'string' || !this.spec.path.startsWith('/'))) {
      collector.report(Rules.PROBE_FIELD_INVALID, `${field}.path`, this.spec.path, 'must be an absolute path starting with "/"');
    }
    const host = (this.options as HttpProbeOptions).host;
    if (this.kind === 'http') checkHandlerHost(collector, `${field}.host`, host, KubernetesTarget.of(collector.scope));
    const headers = (this.options as HttpProbeOptions).headers;
    if (this.kind === 'http' && headers !== undefined) {
      if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
        collector.report(Rules.PROBE_FIELD_INVALID, `${field}.headers`, headers, 'must be an object of header names to values');
      } else {
        for (const [name, value] of Object.entries(headers)) {
          // The API server's IsHTTPHeaderName: letters, digits and "-".
          if (!/^[-A-Za-z0-9]+$/.test(name)) collector.report(Rules.PROBE_FIELD_INVALID, `${field}.headers.${name}`, name, 'must be an HTTP header name: letters, digits and "-"');
          else if (typeof value !== 'string') collector.report(Rules.PROBE_FIELD_INVALID, `${field}.headers.${name}`, value, `must be a string, got ${kindOf(value)}`);
        }
      }
    }
    if (this.kind === 'exec') {
      const cmd = this.spec.command;
      if (!Array.isArray(cmd) || cmd.length === 0 || cmd.some(c => typeof c !== 'string' || c.length === 0)) {
        collector.report(Rules.PROBE_FIELD_INVALID, `${field}.command`, cmd, 'must be a non-empty list of non-empty strings');
      } else {
        const shellArgs = shellScriptArgsProblem(cmd);
        if (shellArgs) collector.report(Rules.SHELL_SCRIPT_ARGS, `${field}.command`, cmd, `${shellArgs}: the probe never checks what it reads as`);
      }
    }
  }

  private resolvePort(ctx: ProbeContext): k8s.IntOrString | undefined {
    const { collector, field, ports } = ctx;
    const { port, portName } = this.options;
    if (this.kind === 'exec') return undefined;
    if (port !== undefined && portName !== undefined) {
      collector.report(Rules.PROBE_FIELD_INVALID, `${field}.port`, { port, portName }, 'give either "port" or "portName", not both');
      return undefined;
    }
    if (port !== undefined) {
      const problem = portNumberProblem(port);
      if (problem) {
        collector.report(Rules.PORT_INVALID, `${field}.port`, port, problem);
      } else if (!ports.some(p => p.number === port)) {
        collector.report(Rules.PROBE_PORT_UNDECLARED, `${field}.port`, port, `is not a declared container port (declared: ${describePorts(ports)})`);
      }
      return k8s.IntOrString.fromNumber(port);
    }
    if (portName !== undefined) {
      const problem = portNameProblem(portName);
      if (problem) {
        collector.report(Rules.PORT_INVALID, `${field}.portName`, portName, problem);
      } else if (!ports.some(p => p.name === portName)) {
        collector.report(Rules.PROBE_PORT_UNDECLARED, `${field}.portName`, portName, `is not a declared container port name (declared: ${describePorts(ports)})`);
      }
      return k8s.IntOrString.fromString(portName);
    }
    if (ports.length === 0) {
      collector.report(Rules.PROBE_PORT_UNDECLARED, `${field}.port`, undefined, 'the container declares no port to probe');
      return undefined;
    }
    return k8s.IntOrString.fromString(ports[0].name);
  }
}

/** What a probe checks, in words (kept here for callers of the public API). */
export { describeProbeHandler } from '../rules/families/probes';

function describePorts(ports: readonly DeclaredPort[]): string {
  return ports.length === 0 ? 'none' : ports.map(p => `${p.name}/${p.number}`).join(', ');
}
