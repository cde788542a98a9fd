import { createHash } from 'crypto';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SeaworthyError } from '../errors';
import { Env, EnvKeyRefOptions } from './env';
import { EnvFrom, EnvFromOptions } from './env-from';
import { LabelKeys, MANAGED_BY } from './labels';
import { KeyedVolumeOptions, PodVolume } from './volumes';
import { Rules } from '../rules/catalog';
import { configMapSizeProblem } from '../rules/families/config';
import { makeFinding } from '../rules/finding';
import { FindingCollector } from '../rules/collector';
import { carriedMap, givenKey } from '../synth/own-keys';
import { compareCodeUnits } from '../util/compare';
import { configKeyProblem, dns1123LabelProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { secretNameReason, secretValueReason } from '../validation/secrets';

/** Props of an `AppConfig`. */
export interface AppConfigProps {
  /** Name of the ConfigMap (a DNS-1123 label). */
  readonly name: string;
  /**
   * Configuration entries: environment values or whole files. Never secrets: reference
   * existing Secrets with `Env.fromSecret()` / `PodVolume.secret()` instead. Every valid ConfigMap
   * key reaches the YAML as given, names of JavaScript object members such as `constructor` or
   * `__proto__` included (which `configMap.addData()` of cdk8s-plus alone refuses).
   * @default - empty
   */
  readonly data?: Record<string, string>;
  /**
   * Binary entries, base64-encoded as Kubernetes writes `binaryData`, e.g.
   * `{ 'logo.png': fs.readFileSync('logo.png').toString('base64') }`; mounted files hold the
   * decoded bytes. Keys must differ from the `data` keys. `data` and `binaryData` together hold at
   * most 1 MiB, counted decoded (rule SW-CONFIG-004). Part of the content hash, so a change rolls
   * the Pods; the way to give an immutable config binary content.
   * (`configMap.addFile()` of cdk8s-plus reads a file as UTF-8 text into `data`: not for binary files.)
   * @default - none
   * @see https://kubernetes.io/docs/concepts/configuration/configmap/#configmap-object
   */
  readonly binaryData?: Record<string, string>;
  /**
   * Mark the ConfigMap immutable: the kubelet stops watching it (less API server load) and
   * nobody can edit it in place. Because an immutable ConfigMap can never be updated, its name
   * becomes `<name>-<first 10 hex digits of the content hash>`, so a content change creates a
   * new ConfigMap (and rolls the Pods) instead of an update the API server refuses (SW-DIFF-007).
   * All data must then be given here (rule SW-CONFIG-003). The previous ConfigMap leaves the
   * output with the change, so a GitOps tool that prunes (Argo CD with `prune: true`) deletes it
   * while the old ReplicaSet still names it: a rollback (`kubectl rollout undo`) or a restart of
   * an old Pod mid-rollout then fails with CreateContainerConfigError. Roll back through Git
   * (the old commit renders the old ConfigMap again), as with kustomize's hashed names.
   * @default false
   */
  readonly immutable?: boolean;
}

/** Hex digits of the content hash in the name of an immutable AppConfig. */
const NAME_HASH_LENGTH = 10;

/**
 * SHA-256 of ConfigMap content, as hex: the keys as given (see `givenKey`), sorted by UTF-16 code
 * units, so the order entries were added in never matters, each key and value JSON-encoded, so no
 * two contents collide. `binaryData` (the `binaryData` prop, or the ConfigMap's `addBinaryData()`
 * or `addFile()`) is appended only when present, so data-only hashes, and the names of immutable
 * configs built on them, are those of earlier releases.
 */
function hashOf(data: Readonly<Record<string, string>>, binaryData: Readonly<Record<string, string>> = {}): string {
  const sorted = (record: Readonly<Record<string, string>>) => Object.keys(record).map(k => [givenKey(k), record[k]] as const).sort(([x], [y]) => compareCodeUnits(x, y));
  const hash = createHash('sha256').update(JSON.stringify(sorted(data)));
  if (Object.keys(binaryData).length > 0) hash.update(`\0binaryData${JSON.stringify(sorted(binaryData))}`);
  return hash.digest('hex');
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
  /** Name of the ConfigMap: `name`, with the content hash appended when immutable. */
  public readonly name: string;
  /** Whether the ConfigMap is immutable (and named after its content). */
  public readonly immutable: boolean;
  private readonly baseName: string;

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
    checkBinaryData(props?.binaryData, props?.data ?? {}, collector);
    if (props.immutable !== undefined && typeof props.immutable !== 'boolean') collector.report(Rules.PROPS_INVALID, 'immutable', props.immutable, 'must be true or false');
    const size = configMapSizeProblem(props.data, props.binaryData);
    if (size) collector.report(Rules.CONFIG_TOO_LARGE, props.binaryData ? 'data, binaryData' : 'data', `${size.total} bytes`, size.problem);
    collector.commit();
    const suffix = props.immutable === true ? `-${hashOf(props.data ?? {}, props.binaryData ?? {}).slice(0, NAME_HASH_LENGTH)}` : '';
    this.name = `${props.name}${suffix}`;
    this.baseName = props.name;
    this.immutable = props.immutable === true;
    this.configMap = new kplus.ConfigMap(this, 'Resource', {
      metadata: { name: this.name, labels: { [LabelKeys.MANAGED_BY]: MANAGED_BY } },
      // Keys named like Object.prototype members ("constructor", "__proto__") are valid ConfigMap
      // keys that cdk8s-plus refuses as "already used": they travel marked (see carriedMap).
      data: carriedMap(this, props.data),
      binaryData: carriedMap(this, props.binaryData),
      immutable: props.immutable,
    });
    // Content added later through the ConfigMap (addData, addBinaryData) must fit too.
    this.node.addValidation({
      validate: () => {
        const late = configMapSizeProblem(this.configMap.data, this.configMap.binaryData);
        if (!late) return [];
        throw new SeaworthyError([makeFinding(Rules.CONFIG_TOO_LARGE, this.node.path, 'data, binaryData', `${late.total} bytes`, `${late.problem} (content added through the ConfigMap counts too)`)]);
      },
    });
    if (this.immutable) {
      this.node.addValidation({
        validate: () => {
          if (`${props.name}-${this.contentHash().slice(0, NAME_HASH_LENGTH)}` === this.name) return [];
          throw new SeaworthyError([makeFinding(Rules.IMMUTABLE_CONFIG_CHANGED, this.node.path, 'data', this.keys,
            `the data changed after the immutable ConfigMap "${this.name}" was named after its content; the API server would refuse the update`)]);
        },
      });
    }
  }

  /** The keys currently defined, as given. */
  public get keys(): string[] {
    return Object.keys(this.configMap.data).map(givenKey);
  }

  /** SHA-256 of the current content, `data` and `binaryData` (keys sorted), as hex. */
  public contentHash(): string {
    return hashOf(this.configMap.data, this.configMap.binaryData);
  }

  /** The value of `key` as an environment variable (rule SW-CONFIG-001 checks that it exists). */
  public env(key: string, options: EnvKeyRefOptions = {}): Env {
    return Env._fromConfig(this, key, options);
  }

  /**
   * Every key of the config as an environment variable (`envFrom`), optionally prefixed; the
   * Pods roll when the config changes. Keys that are not variable names are reported (SW-ENV-008).
   */
  public envFrom(options: EnvFromOptions = {}): EnvFrom {
    return EnvFrom._fromConfig(this, options);
  }

  /**
   * The config as a volume named `volumeName` (default: the `name` given in the props, without the
   * content hash of an immutable config, so the volume name stays put), to mount whole or by subPath.
   */
  public volume(options: KeyedVolumeOptions & { readonly volumeName?: string } = {}): PodVolume {
    return PodVolume._fromConfig(options.volumeName ?? this.baseName, this, options);
  }
}

/** Base64 as the API server decodes `binaryData` (standard alphabet, padded); the keys as ConfigMap keys, none also in `data`. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkBinaryData(binaryData: unknown, data: Record<string, string>, collector: FindingCollector): void {
  if (binaryData === undefined) return;
  if (binaryData === null || typeof binaryData !== 'object' || Array.isArray(binaryData)) {
    collector.report(Rules.PROPS_INVALID, 'binaryData', binaryData, 'must be an object of keys to base64-encoded content');
    return;
  }
  for (const [key, value] of Object.entries(binaryData)) {
    const keyProblem = configKeyProblem(key);
    if (keyProblem) collector.report(Rules.CONFIG_KEY_MISSING, `binaryData.${key}`, key, `is not a valid ConfigMap key: it ${keyProblem}`);
    if (Object.prototype.hasOwnProperty.call(data, key)) collector.report(Rules.PROPS_INVALID, `binaryData.${key}`, key, 'is also a key of data; the API server refuses a key in both');
    if (typeof value !== 'string' || !BASE64.test(value)) collector.report(Rules.PROPS_INVALID, `binaryData.${key}`, typeof value === 'string' && value.length > 16 ? `${value.slice(0, 16)}…` : value, 'must be base64 (standard alphabet, padded), e.g. buffer.toString(\'base64\')');
    const secret = secretNameReason(key);
    if (secret) collector.report(Rules.SECRET_IN_MANIFEST, `binaryData.${key}`, '(redacted)', `${secret}; ConfigMaps are not for credentials`);
  }
}
