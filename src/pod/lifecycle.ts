import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Rules } from '../rules/catalog';
import { shellScriptArgsProblem } from '../rules/families/containers';
import { FindingCollector } from '../rules/collector';
import { Feature } from '../target/capabilities';
import { KubernetesTarget } from '../target/target';
import { describeDuration, durationSeconds } from '../validation/duration';
import { secretArgs } from '../validation/secrets';
import { PreStop } from './shutdown';

/** Options of an HTTP postStart hook. */
export interface HttpPostStartOptions {
  /**
   * Container port the hook calls.
   * @default - the Pod's main port
   */
  readonly port?: number;
}

/**
 * What runs right after a container is created, alongside its entrypoint (there is no ordering
 * guarantee between the two). The container is not Running, and its probes do not start, until
 * the hook returns; a failing hook kills the container (PostStartHookError) and it restarts per
 * the restart policy. Use it for work that must be done in the container's own environment
 * (registering with a discovery service, warming a cache); preparation that does not need the
 * app's environment belongs in an init container.
 *
 * @see https://kubernetes.io/docs/concepts/containers/container-lifecycle-hooks/
 */
export class PostStart {
  /** Run a command in the container (exec form); the image must ship it. */
  public static exec(command: string[]): PostStart {
    return new PostStart('exec', { command });
  }

  /** Call an HTTP endpoint of the container (on the Pod IP). */
  public static httpGet(path: string, options: HttpPostStartOptions = {}): PostStart {
    return new PostStart('httpGet', { path, port: options?.port });
  }

  /**
   * Pause for `duration` with the kubelet's own sleep action (no `sleep` binary needed). Only
   * where the Kubernetes target has the sleep action (`Feature.PRESTOP_SLEEP_ACTION`, 1.30 and
   * later); on older targets it is an error (rule SW-TARGET-003): use `PostStart.exec(['sleep', 'N'])`.
   */
  public static sleep(duration: Duration): PostStart {
    return new PostStart('sleep', { duration });
  }

  private constructor(
    /** The action: "exec", "httpGet" or "sleep". */
    public readonly kind: string,
    /** @internal */ public readonly _spec: { readonly command?: unknown; readonly path?: unknown; readonly port?: unknown; readonly duration?: unknown },
  ) {}

  /** Seconds of a `PostStart.sleep()`, rendered by the Pod core as the sleep action. @internal */
  public get _sleepSeconds(): number | undefined {
    return this.kind === 'sleep' ? durationSeconds(this._spec.duration) : undefined;
  }

  /**
   * The cdk8s-plus handler. A sleep renders as an exec placeholder that the Pod core replaces
   * with the sleep action (cdk8s-plus-28 has none).
   * @internal
   */
  public _handler(mainPort: number | undefined): kplus.Handler {
    if (this.kind === 'exec') return kplus.Handler.fromCommand([...this._spec.command as string[]]);
    if (this.kind === 'httpGet') return kplus.Handler.fromHttpGet(this._spec.path as string, { port: (this._spec.port as number | undefined) ?? mainPort });
    return kplus.Handler.fromCommand(['sleep', String(this._sleepSeconds ?? 0)]);
  }
}

/**
 * Validates one container's lifecycle hooks (rule SW-HOOK-001 for malformed hooks, SW-TARGET-003
 * for a sleep the target lacks, SW-SECRET-002 for credentials in a hook command). `prefix` is the
 * container's prop path ("" or "sidecars[0]."); `preStopField` where its preStop was given.
 * @internal
 */
export function checkHooks(postStart: unknown, preStop: unknown, prefix: string, preStopField: string, hasMainPort: boolean, target: KubernetesTarget, collector: FindingCollector): void {
  if (postStart !== undefined) {
    const field = `${prefix}postStart`;
    if (!(postStart instanceof PostStart)) {
      collector.report(Rules.HOOK_INVALID, field, postStart, 'must be created with PostStart.exec(), PostStart.httpGet() or PostStart.sleep()');
    } else if (postStart.kind === 'exec') {
      checkCommand(postStart._spec.command, `${field}.command`, collector);
    } else if (postStart.kind === 'httpGet') {
      const { path, port } = postStart._spec;
      if (typeof path !== 'string' || !path.startsWith('/')) collector.report(Rules.HOOK_INVALID, `${field}.path`, path, 'must be an absolute HTTP path such as "/warmup"');
      if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535)) {
        collector.report(Rules.HOOK_INVALID, `${field}.port`, port, 'must be a port number from 1 to 65535');
      } else if (port === undefined && !hasMainPort) {
        collector.report(Rules.HOOK_INVALID, `${field}.port`, undefined, 'is required: the Pod has no main port to default to');
      }
    } else {
      const seconds = durationSeconds(postStart._spec.duration);
      if (seconds === undefined || seconds < 1) {
        collector.report(Rules.HOOK_INVALID, `${field}.duration`, describeDuration(postStart._spec.duration), 'must be a whole number of seconds, at least 1');
      } else if (!target.has(Feature.PRESTOP_SLEEP_ACTION)) {
        collector.report(Rules.FEATURE_NOT_ON_TARGET, `${field}.sleep`, seconds, `${target} (the target) has no sleep lifecycle action; use PostStart.exec(['sleep', '${seconds}']) (the image needs a sleep binary)`);
      }
    }
  }
  // The main container's preStop length is checked with the other shutdown durations
  // (SW-SHUTDOWN-003); a sidecar's only here. A missing `takes` is always this rule's.
  const delayChecked = preStopField === 'shutdown.preStop';
  if (preStop instanceof PreStop && preStop._command !== undefined) {
    checkCommand(preStop._command, `${preStopField}.command`, collector);
    if (durationSeconds(preStop.delay) === undefined && (preStop.delay === undefined || !delayChecked)) {
      collector.report(Rules.HOOK_INVALID, `${preStopField}.takes`, describeDuration(preStop.delay), 'must say how long the command may run, as whole seconds: PreStop.exec([...], { takes: Duration.seconds(20) })');
    }
  } else if (preStop instanceof PreStop && !delayChecked && durationSeconds(preStop.delay) === undefined) {
    collector.report(Rules.HOOK_INVALID, `${preStopField}.delay`, describeDuration(preStop.delay), 'must be a whole, non-negative number of seconds, e.g. Duration.seconds(5)');
  } else if (preStop !== undefined && !(preStop instanceof PreStop)) {
    collector.report(Rules.HOOK_INVALID, preStopField, preStop, 'must be created with PreStop.sleep(), PreStop.exec(), PreStop.httpGet() or PreStop.none()');
  }
}

function checkCommand(command: unknown, field: string, collector: FindingCollector): void {
  if (!Array.isArray(command) || command.length === 0 || command.some(a => typeof a !== 'string') || (command[0] as string).length === 0) {
    collector.report(Rules.HOOK_INVALID, field, command, 'must be a non-empty list of strings (exec form), starting with the program');
    return;
  }
  for (const [i, why] of secretArgs(command)) collector.report(Rules.SECRET_IN_MANIFEST, `${field}[${i}]`, '(redacted)', `${why}; read it from an env var set from a Secret`);
  const shellArgs = shellScriptArgsProblem(command);
  if (shellArgs) collector.report(Rules.SHELL_SCRIPT_ARGS, field, command, shellArgs);
}
