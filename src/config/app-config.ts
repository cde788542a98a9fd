import { createHash } from 'crypto';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Env, EnvKeyRefOptions } from '../pod/env';
import { LabelKeys, MANAGED_BY } from '../pod/labels';
import { KeyedVolumeOptions, PodVolume } from '../pod/volumes';
import { Rules } from '../rules/catalog';
import { FindingCollector } from '../rules/findings';
import { configKeyProblem, dns1123LabelProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { secretNameReason, secretValueReason } from '../validation/secrets';

/** Props of an `AppConfig`. */
export interface AppConfigProps {
  /** Name of the ConfigMap (a DNS-1123 label). */
  readonly name: string;
  /**
   * Configuration entries: environment values or whole files. Never secrets: reference
   * existing Secrets with `Env.fromSecret()` / `PodVolume.secret()` instead.
   * @default - empty
   */
  readonly data?: Record<string, string>;
  /**
   * Mark the ConfigMap immutable (the kubelet stops watching it; a change needs a new name).
   * @default false
   */
  readonly immutable?: boolean;
}


/**
 * Application configuration kept apart from code: a ConfigMap whose content hash is stamped on
 * the Pod template of every workload that uses it (through `env()` or `volume()`), so a config
 * change rolls the Pods — env values and subPath mounts never change in a running container.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 */
export class AppConfig extends Construct {
  /** The ConfigMap. */
  public readonly configMap: kplus.ConfigMap;
  /** Name of the ConfigMap. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: AppConfigProps) {
    super(scope, id);
    const collector = new FindingCollector(this);
    checkUnknownProps(collector, 'AppConfigProps', props);
    const problem = dns1123LabelProblem(props?.name);
    if (problem) collector.report(Rules.NAME_INVALID, 'name', props?.name, problem);
    for (const key of Object.keys(props?.data ?? {})) {
      const keyProblem = configKeyProblem(key);
      if (keyProblem) collector.report(Rules.CONFIG_KEY_MISSING, `data.${key}`, key, `is not a valid ConfigMap key: it ${keyProblem}`);
      const value: unknown = (props.data as Record<string, unknown>)[key];
      if (typeof value !== 'string') collector.report(Rules.PROPS_INVALID, `data.${key}`, value, 'must be a string (ConfigMap data holds text; encode binary content as base64 text yourself, or mount it from elsewhere)');
      const secret = typeof value === 'string' && value.length > 0 ? secretNameReason(key) ?? secretValueReason(value) : undefined;
      if (secret) collector.report(Rules.SECRET_IN_MANIFEST, `data.${key}`, '(redacted)', `${secret}; ConfigMaps are not for credentials`);
    }
    collector.commit();
    this.name = props.name;
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: props.name, labels: { [LabelKeys.MANAGED_BY]: MANAGED_BY } },
      data: props.data,
      immutable: props.immutable,
    });
  }

  /** The keys currently defined. */
  public get keys(): string[] {
    return Object.keys(this.configMap.data);
  }

  /** SHA-256 of the current content (keys sorted), as hex. */
  public contentHash(): string {
    const data = this.configMap.data;
    const canonical = JSON.stringify(Object.keys(data).sort().map(k => [k, data[k]]));
    return createHash('sha256').update(canonical).digest('hex');
  }

  /** The value of `key` as an environment variable (rule SW-CONFIG-001 checks that it exists). */
  public env(key: string, options: EnvKeyRefOptions = {}): Env {
    return Env._fromConfig(this, key, options);
  }

  /** The config as a volume named `volumeName` (default: the config's name), to mount whole or by subPath. */
  public volume(options: KeyedVolumeOptions & { readonly volumeName?: string } = {}): PodVolume {
    return PodVolume._fromConfig(options.volumeName ?? this.name, this, options);
  }
}
