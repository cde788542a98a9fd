import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Rules } from '../rules/catalog';
import { SHELL_C_FLAG, SHELLS } from '../rules/families/containers';
import { Reporter } from '../rules/finding';
import { FindingCollector } from '../rules/collector';
import { describeDuration, durationSeconds } from '../validation/duration';

/** Options of an HTTP preStop hook. */
export interface HttpPreStopOptions {
  /**
   * Container port the hook calls.
   * @default - the container's main port
   */
  readonly port?: number;
  /**
   * How long the endpoint blocks before it returns (it should sleep, not start the shutdown);
   * counted into the computed grace period.
   * @default Duration.seconds(5)
   */
  readonly delay?: Duration;
}

/** Options of an exec preStop hook. */
export interface ExecPreStopOptions {
  /**
   * The longest the command may run before it returns (a drain script's worst case); counted
   * into the computed grace period like a sleep, so terminationGracePeriodSeconds stays at least
   * preStop + drain time + margin (rule SW-SHUTDOWN-001). Required: the library cannot know how
   * long a command runs. A command that runs longer than the grace period is killed with the app.
   */
  readonly takes: Duration;
}

/**
 * What runs before SIGTERM, while endpoints controllers, kube-proxy and ingress controllers
 * catch up with the Pod's removal from the Service.
 *
 * `PreStop.sleep()` renders as the kubelet's own `sleep` action where the Kubernetes target has
 * it (1.30 and later; see `Feature.PRESTOP_SLEEP_ACTION`), so images without a shell work; on
 * older targets it runs `sleep` in the container, and the image must ship a `sleep` binary
 * (distroless "static" images do not; use `PreStop.httpGet()` for those).
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class PreStop {
  /** Pause for `delay`: the kubelet's sleep action where the target has it, else exec `sleep`. */
  public static sleep(delay: Duration): PreStop {
    const s = durationSeconds(delay);
    return new PreStop(delay, () => kplus.Handler.fromCommand(['sleep', String(s)]), s);
  }

  /** Call an HTTP endpoint of the app that waits `delay` and then returns. */
  public static httpGet(path: string, options: HttpPreStopOptions = {}): PreStop {
    return new PreStop(options.delay ?? Duration.seconds(5), (port) => kplus.Handler.fromHttpGet(path, { port: options.port ?? port }));
  }

  /**
   * Run the app's own drain command (exec form, e.g. `['/app/drain']`), which may take up to
   * `options.takes`. The command runs in the container, so the image must ship it; it is not
   * PID 1, so a shell script is fine here. Its duration counts into the grace period; the audit of
   * plain YAML cannot know it and counts only the `sleep N` in a command (see docs/rules.md,
   * SW-SHUTDOWN-001).
   */
  public static exec(command: string[], options: ExecPreStopOptions): PreStop {
    return new PreStop(options?.takes, () => kplus.Handler.fromCommand([...command]), undefined, command);
  }

  /** No preStop hook. Only for workloads that take no traffic through a Service. */
  public static none(): PreStop {
    return new PreStop(Duration.seconds(0), () => undefined);
  }

  private constructor(
    /** How long the hook delays SIGTERM. */
    public readonly delay: Duration,
    private readonly handler: (mainPort: number | undefined) => kplus.Handler | undefined,
    private readonly sleepSeconds?: number,
    /** The command of `PreStop.exec()`, validated by the Pod core. @internal */
    public readonly _command?: unknown,
  ) {}

  /** Seconds of a `PreStop.sleep()`, which may render as the native sleep action. @internal */
  public get _sleepSeconds(): number | undefined {
    return this.sleepSeconds;
  }

  /** @internal */
  public _handler(mainPort: number | undefined): kplus.Handler | undefined {
    return this.handler(mainPort);
  }
}

/**
 * Graceful shutdown: preStop delay, then SIGTERM, then up to the grace period before SIGKILL.
 * @see https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
export interface ShutdownProps {
  /**
   * The preStop hook. Defaults to a short sleep so the Pod leaves every load balancer before the
   * app stops accepting connections (DOMAIN §4).
   * @default PreStop.sleep(Duration.seconds(5))
   */
  readonly preStop?: PreStop;
  /**
   * How long the app needs after SIGTERM to finish in-flight requests and exit. Long-lived
   * connections (websockets, streaming) need more.
   * @default Duration.seconds(15)
   */
  readonly drainTime?: Duration;
  /**
   * terminationGracePeriodSeconds. Counted from the start of preStop, it must cover the preStop
   * delay, the drain time, the longest preStop of the native sidecars (they stop only after the
   * app has exited) and a 5 second margin (rule SW-SHUTDOWN-001).
   * @default - preStop delay + drain time + sidecar preStop + 5s (25s with the other defaults)
   */
  readonly gracePeriod?: Duration;
}

/** Margin between the end of the drain and SIGKILL. */
export const GRACE_MARGIN_SECONDS = 5;

/** The resolved shutdown sequence. */
export interface ResolvedShutdown {
  readonly preStop: PreStop;
  readonly preStopSeconds: number;
  readonly drainSeconds: number;
  readonly gracePeriodSeconds: number;
}

/**
 * Resolves shutdown props to whole seconds, reporting inconsistent values. `sidecarStopSeconds`
 * is the longest preStop of the native sidecars, which run only after the app containers exit
 * and must fit in the same grace period.
 */
export function resolveShutdown(props: ShutdownProps | undefined, defaultPreStop: PreStop | undefined, collector: FindingCollector, sidecarStopSeconds = 0): ResolvedShutdown {
  const preStop = props?.preStop ?? defaultPreStop ?? PreStop.sleep(Duration.seconds(5));
  const seconds = (field: string, d: Duration | undefined, dflt: number): number => {
    if (d === undefined) return dflt;
    const s = durationSeconds(d);
    if (s === undefined) {
      collector.report(Rules.SHUTDOWN_FIELD_INVALID, field, describeDuration(d), 'must be a whole, non-negative number of seconds');
      return dflt;
    }
    return s;
  };
  const preStopSeconds = seconds('shutdown.preStop.delay', preStop.delay, 5);
  const drainSeconds = seconds('shutdown.drainTime', props?.drainTime, 15);
  const needed = preStopSeconds + drainSeconds + sidecarStopSeconds + GRACE_MARGIN_SECONDS;
  const given = props?.gracePeriod === undefined ? undefined : seconds('shutdown.gracePeriod', props.gracePeriod, needed);
  if (given !== undefined && given < needed) {
    const sidecars = sidecarStopSeconds > 0 ? ` + sidecar preStop (${sidecarStopSeconds}s)` : '';
    collector.report(Rules.GRACE_TOO_SHORT, 'shutdown.gracePeriod', `${given}s`,
      `is shorter than preStop delay (${preStopSeconds}s) + drain time (${drainSeconds}s)${sidecars} + margin (${GRACE_MARGIN_SECONDS}s) = ${needed}s`);
  }
  return { preStop, preStopSeconds, drainSeconds, gracePeriodSeconds: given ?? needed };
}

/** A shell script rather than an option value (`postgres -c config_file=…` is no shell). */
const SCRIPT = /[\s;&|$`]/;

/**
 * Reports a shell as PID 1, which does not forward SIGTERM to the app: `command` a shell with a
 * `-c` flag in the command or its `args` (`command: [sh]`, `args: [-c, …]`); with no command,
 * `args` that start with a shell and `-c` (images without an ENTRYPOINT run them as the
 * command) or with `-c` and a script (handed to an image entrypoint that is a shell; an option
 * value such as postgres's `-c config_file=…` is not a script). A script that
 * starts with `exec` replaces the shell with the app and is fine.
 */
export function checkEntrypoint(command: readonly string[] | undefined, field: string, collector: Reporter, args?: { readonly value: readonly unknown[] | undefined; readonly field: string }): void {
  const rest = Array.isArray(args?.value) ? args.value.filter((a): a is string => typeof a === 'string') : [];
  const shellWith = (line: readonly string[]) => {
    const binary = line[0]?.split('/').pop() ?? '';
    const flag = line.slice(1).findIndex(a => SHELL_C_FLAG.test(a));
    return SHELLS.has(binary) && flag >= 0 && !/^\s*exec\s/.test(line[flag + 2] ?? '');
  };
  if (command && command.length > 0) {
    if (shellWith([...command, ...rest])) {
      collector.report(Rules.SHELL_ENTRYPOINT, field, command, `"${command[0]} -c" runs as PID 1 and does not forward SIGTERM to the app`);
    }
    return;
  }
  if (!args || rest.length === 0) return;
  if (shellWith(rest)) {
    collector.report(Rules.SHELL_ENTRYPOINT, args.field, rest, `"${rest[0]} -c" (run as the command by images without an ENTRYPOINT) runs as PID 1 and does not forward SIGTERM to the app`);
  } else if (SHELL_C_FLAG.test(rest[0]) && SCRIPT.test(rest[1] ?? '') && !/^\s*exec\s/.test(rest[1] ?? '')) {
    collector.report(Rules.SHELL_ENTRYPOINT, args.field, rest, `"${rest[0]}" is handed to the image's entrypoint, a shell that then runs as PID 1 and does not forward SIGTERM to the app`);
  }
}
