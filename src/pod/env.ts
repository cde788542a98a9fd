import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { configKeyProblem, dns1123SubdomainProblem, kindOf } from '../validation/names';
import { ConfigSource } from './volumes';

/** Options of a reference to a ConfigMap or Secret key. */
export interface EnvKeyRefOptions {
  /**
   * Start the container even when the key (or the object) is missing.
   * @default false - a missing key keeps the Pod in CreateContainerConfigError, which is the safe failure
   */
  readonly optional?: boolean;
}

/** Options of an env value taken from the container's own resources. */
export interface EnvResourceOptions {
  /**
   * Unit to express the value in, e.g. `1Mi` for memory in MiB or `1m` for millicores.
   * @default - "1" (cores, bytes)
   */
  readonly divisor?: string;
}

type Binder = (scope: Construct, id: string) => kplus.EnvValue;

/**
 * The value of one environment variable: a literal, a ConfigMap or Secret key, a Downward API
 * field, or one of the container's own resource requests/limits.
 *
 * Secrets are referenced by name and key, never embedded, so generated YAML can be committed.
 *
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
 */
export class Env {
  /** A literal value. Use `Env.fromSecret()` for anything secret: literals land in Git. */
  public static value(value: string): Env {
    return new Env('value', value, () => kplus.EnvValue.fromValue(value));
  }

  /** The value of `key` in the existing ConfigMap `configMapName`. */
  public static fromConfigMap(configMapName: string, key: string, options: EnvKeyRefOptions = {}): Env {
    return new Env('configMapKeyRef', { configMapName, key }, (scope, id) =>
      kplus.EnvValue.fromConfigMap(kplus.ConfigMap.fromConfigMapName(scope, id, configMapName), key, { optional: options.optional ?? false }));
  }

  /** The value of `key` in the existing Secret `secretName`. */
  public static fromSecret(secretName: string, key: string, options: EnvKeyRefOptions = {}): Env {
    return new Env('secretKeyRef', { secretName, key }, (scope, id) =>
      kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(scope, id, secretName), key }, { optional: options.optional ?? false }));
  }

  /** A Downward API field of the Pod, e.g. `EnvFieldPaths.POD_NAME` or `EnvFieldPaths.NODE_NAME`. */
  public static fromField(field: kplus.EnvFieldPaths): Env {
    return new Env('fieldRef', field, () => kplus.EnvValue.fromFieldRef(field));
  }

  /** One of the container's own requests or limits, e.g. `ResourceFieldPaths.MEMORY_LIMIT`. */
  public static fromResource(resource: kplus.ResourceFieldPaths, options: EnvResourceOptions = {}): Env {
    return new Env('resourceFieldRef', resource, () => kplus.EnvValue.fromResource(resource, { divisor: options.divisor }));
  }

  /** A key of an AppConfig, which also rolls the Pods when the config changes. @internal */
  public static _fromConfig(config: ConfigSource, key: string, options: EnvKeyRefOptions = {}): Env {
    const base = Env.fromConfigMap(config.name, key, options);
    return new Env(base.source, base.reference, base.bind, { config, key });
  }

  private constructor(
    /** Where the value comes from: value, configMapKeyRef, secretKeyRef, fieldRef or resourceFieldRef. */
    public readonly source: string,
    /** The literal, or what is referenced. */
    public readonly reference: unknown,
    private readonly bind: Binder,
    /** @internal */ public readonly _config?: { readonly config: ConfigSource; readonly key: string },
  ) {}

  /**
   * What the API server would refuse in this value: a literal that is not a string, or a
   * ConfigMap/Secret reference whose name is not a DNS-1123 subdomain or whose key is not a
   * ConfigMap key. @internal
   */
  public _problem(): string | undefined {
    if (this.source === 'value') return typeof this.reference === 'string' ? undefined : `the literal must be a string, got ${kindOf(this.reference)}`;
    if (this.source !== 'configMapKeyRef' && this.source !== 'secretKeyRef') return undefined;
    const ref = this.reference as { configMapName?: unknown; secretName?: unknown; key: unknown };
    const what = this.source === 'configMapKeyRef' ? 'ConfigMap' : 'Secret';
    const nameProblem = dns1123SubdomainProblem(ref.configMapName ?? ref.secretName);
    if (nameProblem) return `the ${what} name ${JSON.stringify(ref.configMapName ?? ref.secretName)} ${nameProblem}`;
    const keyProblem = configKeyProblem(ref.key);
    return keyProblem ? `the ${what} key ${JSON.stringify(ref.key)} ${keyProblem}` : undefined;
  }

  /**
   * The cdk8s-plus value; `scope`/`id` name the reference constructs for ConfigMaps and Secrets.
   * @internal
   */
  public _bind(scope: Construct, id: string): kplus.EnvValue {
    return this.bind(scope, id);
  }
}
