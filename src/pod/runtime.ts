import * as kplus from 'cdk8s-plus-28';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/collector';
import { checkUnknownProps } from '../validation/props';
import { Env } from './env';
import { EnvFrom } from './env-from';

/**
 * The JVM sized from the container's memory limit, through `JAVA_TOOL_OPTIONS` (read by every
 * JVM from 8u191 and 10 on, which size the heap from the cgroup memory limit).
 * @see https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html#advanced-garbage-collection-options-for-java
 */
export interface JvmOptions {
  /**
   * Largest heap as a percentage of the container's memory limit (`-XX:MaxRAMPercentage`);
   * the rest is left to metaspace, thread stacks, direct buffers and memory-backed emptyDirs.
   * More than 0 and at most 100. (The JVM's own default, 25, wastes most of a container.)
   * @default 75
   */
  readonly maxRamPercentage?: number;
}

/**
 * Runtime settings derived from the container's own limits, as environment variables. Neither
 * overwrites a variable the container sets itself: that is an error (rule SW-ENV-009).
 */
export interface RuntimeOptions {
  /**
   * Set `GOMAXPROCS` to the container's CPU limit, through the Downward API
   * (`resourceFieldRef: { resource: limits.cpu, divisor: 1 }`). The kubelet rounds the limit up
   * to a whole number of cores, so the value is always at least 1: 500m gives 1, 1 gives 1,
   * 1500m gives 2 (one thread more than the quota holds; prefer whole cores above one). Go
   * runtimes newer than 1.24 read the cgroup limit themselves (rounding up too, but never below 2) and follow
   * in-place resizes, which a variable set at start does not; set this for older Go, or to run
   * one thread under a limit below one core.
   * @default false
   * @see https://kubernetes.io/docs/tasks/inject-data-application/environment-variable-expose-pod-information/#use-container-fields-as-values-for-environment-variables
   */
  readonly goMaxProcs?: boolean;
  /**
   * Size the JVM's heap from the memory limit (`JAVA_TOOL_OPTIONS=-XX:MaxRAMPercentage=…`).
   * @default - JAVA_TOOL_OPTIONS not set
   */
  readonly jvm?: JvmOptions;
}

/** Default share of the memory limit the JVM heap may take. */
const DEFAULT_MAX_RAM_PERCENTAGE = 75;

/**
 * Validates `runtime` and returns the environment variables it sets, reporting one the container
 * sets itself, in `env` or through an AppConfig's `envFrom` (SW-ENV-009). `prefix` is the
 * container's prop path ("" or "sidecars[0].").
 */
export function resolveRuntime(runtime: unknown, env: unknown, envFrom: readonly EnvFrom[], prefix: string, collector: FindingCollector): Record<string, Env> {
  if (runtime === undefined) return {};
  const field = `${prefix}runtime`;
  if (runtime === null || typeof runtime !== 'object' || Array.isArray(runtime)) {
    collector.report(Rules.PROPS_INVALID, field, runtime, 'must be an object such as { goMaxProcs: true, jvm: { maxRamPercentage: 75 } }');
    return {};
  }
  checkUnknownProps(collector, 'RuntimeOptions', runtime, `${field}.`);
  const r = runtime as RuntimeOptions;
  const out: Record<string, Env> = {};
  if (r.goMaxProcs !== undefined && typeof r.goMaxProcs !== 'boolean') collector.report(Rules.PROPS_INVALID, `${field}.goMaxProcs`, r.goMaxProcs, 'must be true or false');
  if (r.goMaxProcs === true) out.GOMAXPROCS = Env.fromResource(kplus.ResourceFieldPaths.CPU_LIMIT, { divisor: '1' });
  if (r.jvm !== undefined) {
    if (r.jvm === null || typeof r.jvm !== 'object' || Array.isArray(r.jvm)) {
      collector.report(Rules.PROPS_INVALID, `${field}.jvm`, r.jvm, 'must be an object such as { maxRamPercentage: 75 }');
    } else {
      checkUnknownProps(collector, 'JvmOptions', r.jvm, `${field}.jvm.`);
      const percent = r.jvm.maxRamPercentage ?? DEFAULT_MAX_RAM_PERCENTAGE;
      if (typeof percent !== 'number' || !Number.isFinite(percent) || percent <= 0 || percent > 100) {
        collector.report(Rules.PROPS_INVALID, `${field}.jvm.maxRamPercentage`, percent, 'must be a number above 0 and at most 100 (percent of the memory limit)');
      } else {
        out.JAVA_TOOL_OPTIONS = Env.value(`-XX:MaxRAMPercentage=${Number.isInteger(percent) ? percent.toFixed(1) : String(percent)}`);
      }
    }
  }
  const own = env !== null && typeof env === 'object' && !Array.isArray(env) ? Object.keys(env) : [];
  for (const name of Object.keys(out)) {
    const setting = name === 'GOMAXPROCS' ? `${field}.goMaxProcs` : `${field}.jvm`;
    if (own.includes(name)) {
      collector.report(Rules.RUNTIME_ENV_CONFLICT, `${prefix}env.${name}`, name, `is set here and by ${setting}; the container must not get two values (drop one of them)`);
    }
    envFrom.forEach((e, i) => {
      const loaded = (e._config?.keys ?? []).some(k => `${e.options.prefix ?? ''}${k}` === name);
      if (loaded) collector.report(Rules.RUNTIME_ENV_CONFLICT, `${prefix}envFrom[${i}]`, e.name, `loads ${name} from config "${e.name}", which ${setting} would silently replace (env wins over envFrom); drop the key or the setting`);
    });
  }
  return out;
}
