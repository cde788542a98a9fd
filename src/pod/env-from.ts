import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { envFromKeyFindings } from '../rules/families/env';
import { FindingCollector } from '../rules/collector';
import { dns1123SubdomainProblem } from '../validation/names';
import { ConfigSource } from './volumes';

/** Options of an `envFrom` source. */
export interface EnvFromOptions {
  /**
   * Put before every key to make the variable name, e.g. "CONFIG_". Must itself be a valid
   * environment variable name (rule SW-ENV-001).
   * @default - none: the keys are the names
   */
  readonly prefix?: string;
  /**
   * Start the container even when the ConfigMap or Secret is missing.
   * @default false - a missing object keeps the Pod in CreateContainerConfigError, the safe failure
   */
  readonly optional?: boolean;
}

/**
 * Every key of a ConfigMap or Secret as an environment variable (`envFrom`), optionally with a
 * prefix. Variables set in `env` win over these. Keys that are not valid variable names are
 * skipped by the kubelet (rule SW-ENV-008 when the keys are known, i.e. for an AppConfig).
 *
 * From an AppConfig (`appConfig.envFrom()`), the config's content hash is stamped on the Pod
 * template, so a config change rolls the Pods: env values never change in a running container.
 *
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables
 */
export class EnvFrom {
  /** Every key of the existing ConfigMap `configMapName`. */
  public static configMap(configMapName: string, options: EnvFromOptions = {}): EnvFrom {
    return new EnvFrom('configMap', configMapName, options ?? {});
  }

  /** Every key of the existing Secret `secretName` (referenced by name: no secret data in the output). */
  public static secret(secretName: string, options: EnvFromOptions = {}): EnvFrom {
    return new EnvFrom('secret', secretName, options ?? {});
  }

  /** Every key of an AppConfig, which also rolls the Pods when it changes. @internal */
  public static _fromConfig(config: ConfigSource, options: EnvFromOptions = {}): EnvFrom {
    return new EnvFrom('configMap', config.name, options ?? {}, config);
  }

  private constructor(
    /** "configMap" or "secret". */
    public readonly source: string,
    /** Name of the ConfigMap or Secret. */
    public readonly name: string,
    /** The options. */
    public readonly options: EnvFromOptions,
    /** @internal */ public readonly _config?: ConfigSource,
  ) {}

  /** @internal */
  public get _kube(): k8s.EnvFromSource {
    const ref = { name: this.name, optional: this.options.optional || undefined };
    return {
      prefix: this.options.prefix || undefined,
      configMapRef: this.source === 'configMap' ? ref : undefined,
      secretRef: this.source === 'secret' ? ref : undefined,
    };
  }
}

/**
 * Validates a container's `envFrom` list (prop path `field`) and returns the valid sources:
 * SW-ENV-007 for what is not an EnvFrom or names no valid object, the env name rules for the
 * prefix, and for AppConfig sources each key's variable name (SW-ENV-008 skipped, SW-ENV-006 not
 * readable from a shell, SW-ENV-003 secret-looking with a literal value: ConfigMap values are literals).
 * @internal
 */
export function checkEnvFrom(value: unknown, field: string, collector: FindingCollector): EnvFrom[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    collector.report(Rules.ENV_FROM_INVALID, field, value, 'must be a list of EnvFrom.configMap(), EnvFrom.secret() or appConfig.envFrom()');
    return [];
  }
  const out: EnvFrom[] = [];
  value.forEach((e: unknown, i: number) => {
    const at = `${field}[${i}]`;
    if (!(e instanceof EnvFrom)) {
      collector.report(Rules.ENV_FROM_INVALID, at, e, 'must be created with EnvFrom.configMap(), EnvFrom.secret() or appConfig.envFrom()');
      return;
    }
    const problem = dns1123SubdomainProblem(e.name);
    if (problem) collector.report(Rules.ENV_FROM_INVALID, `${at}.name`, e.name, `is not a ${e.source === 'secret' ? 'Secret' : 'ConfigMap'} name: it ${problem}`);
    const prefix: unknown = e.options.prefix;
    if (prefix !== undefined && typeof prefix !== 'string') {
      collector.report(Rules.ENV_FROM_INVALID, `${at}.prefix`, prefix, 'must be a string');
      return;
    }
    for (const f of envFromKeyFindings(prefix ?? '', e._config?.keys ?? [])) {
      collector.report(f.rule, f.key === undefined ? `${at}.prefix` : `${at} (key "${f.key}")`, f.key === undefined ? prefix : f.name, f.problem);
    }
    out.push(e);
  });
  return out;
}
