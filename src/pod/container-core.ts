import * as kplus from 'cdk8s-plus-28';
import * as k8s from '../../imports/k8s';
import { Rules } from '../rules/catalog';
import { commandLineShellProblem } from '../rules/families/containers';
import { envNameFinding } from '../rules/families/env';
import { cachedPrivateImageProblem, defaultPullPolicy } from '../rules/families/images';
import { identicalProbes, longInitialDelayProblem } from '../rules/families/probes';
import { FindingCollector } from '../rules/collector';
import { setOwn } from '../util/set-own';
import { imageVersion, isPinned, parseImage } from '../validation/image';
import { dns1123LabelProblem } from '../validation/names';
import { checkEnum } from '../validation/props';
import { looksSecret, secretArgs, secretValueReason } from '../validation/secrets';
import { ContainerProps, TerminationMessagePolicy } from './container';
import { Env } from './env';
import { checkEnvFrom, EnvFrom } from './env-from';
import { PostStart } from './lifecycle';
import { Probe, ProbeRole } from './probe';
import { ResolvedPort } from './ports';
import { resolveResources } from './resources';
import { resolveRuntime } from './runtime';
import { ResolvedSecurity } from './security';
import { checkEntrypoint, PreStop } from './shutdown';
import { ConfigSource, PodVolume, VolumeMount } from './volumes';

/** Whether the container is the main one, a sidecar, or an init container. */
export enum ContainerKind {
  MAIN = 'main',
  SIDECAR = 'sidecar',
  INIT = 'init',
}

/** One container after validation: what cdk8s-plus renders and what the core renders itself. */
export interface ResolvedContainer {
  readonly kind: ContainerKind;
  readonly name: string;
  /** Prop path prefix, e.g. "" for the main container or "sidecars[0]." */
  readonly prefix: string;
  readonly imageVersion?: string;
  readonly resources: k8s.ResourceRequirements;
  readonly probes: Pick<k8s.Container, 'readinessProbe' | 'livenessProbe' | 'startupProbe'>;
  readonly mounts: readonly VolumeMount[];
  readonly configs: readonly ConfigSource[];
  /** The valid envFrom sources. */
  readonly envFrom: readonly EnvFrom[];
  readonly terminationMessagePolicy: TerminationMessagePolicy;
  readonly props: ContainerProps;
  readonly imagePullPolicy: kplus.ImagePullPolicy;
  /** Environment variables set by `runtime` (GOMAXPROCS, JAVA_TOOL_OPTIONS). */
  readonly runtimeEnv: Readonly<Record<string, Env>>;
}

/**
 * Validates one container's own props (everything but its ports, which are checked across the
 * Pod); probes are rendered against `ports`, the ports this container declares.
 */
export function resolveContainer(
  props: ContainerProps,
  kind: ContainerKind,
  prefix: string,
  ports: readonly ResolvedPort[],
  collector: FindingCollector,
  pullSecrets = false,
): ResolvedContainer {
  const nameProblem = kind === ContainerKind.MAIN ? undefined : dns1123LabelProblem(props.name);
  if (nameProblem) collector.report(Rules.CONTAINER_NAME_DUPLICATE, `${prefix}name`, props.name, nameProblem);

  const image = checkImage(props.image, `${prefix}image`, collector);
  checkEnum(collector, `${prefix}imagePullPolicy`, props.imagePullPolicy, kplus.ImagePullPolicy);
  checkCommandLine(props, prefix, kind, collector);
  checkEnv(props.env, prefix, collector);
  const envFrom = checkEnvFrom(props.envFrom, `${prefix}envFrom`, collector);
  const runtimeEnv = resolveRuntime(props.runtime, props.env, envFrom, prefix, collector);

  if (kind === ContainerKind.INIT) {
    for (const field of ['readiness', 'liveness', 'startup', 'preStop', 'postStart'] as const) {
      if (props[field] !== undefined) collector.report(Rules.INIT_CONTAINER_HOOKS, `${prefix}${field}`, describe(props[field]), 'is not allowed on an init container');
    }
  }
  const render = (probe: Probe | undefined, role: ProbeRole) => {
    if (probe === undefined || kind === ContainerKind.INIT) return undefined;
    if (!(probe instanceof Probe)) {
      collector.report(Rules.PROBE_FIELD_INVALID, `${prefix}${role}`, probe, 'must be created with Probe.http(), Probe.tcp(), Probe.exec() or Probe.grpc()');
      return undefined;
    }
    return probe._resolve({ ports, collector, field: `${prefix}${role}`, role });
  };
  const probes = {
    readinessProbe: render(props.readiness, ProbeRole.READINESS),
    livenessProbe: render(props.liveness, ProbeRole.LIVENESS),
    startupProbe: render(props.startup, ProbeRole.STARTUP),
  };
  const delay = longInitialDelayProblem(probes.livenessProbe, probes.startupProbe !== undefined);
  if (delay) collector.report(Rules.STARTUP_PROBE_MISSING, `${prefix}liveness.initialDelay`, probes.livenessProbe?.initialDelaySeconds, delay);
  const cached = cachedPrivateImageProblem(props.imagePullPolicy, pullSecrets);
  if (cached) collector.report(Rules.PRIVATE_IMAGE_CACHED, `${prefix}imagePullPolicy`, props.imagePullPolicy, cached);
  if (props.imagePullPolicy === kplus.ImagePullPolicy.NEVER) collector.report(Rules.PULL_POLICY_NEVER, `${prefix}imagePullPolicy`, props.imagePullPolicy, 'the Pod only starts on nodes that already have the image');
  const same = identicalProbes(probes.readinessProbe, probes.livenessProbe, ports);
  if (same) collector.report(same.rule, `${prefix}liveness`, same.handler, same.problem);

  const mounts = Array.isArray(props.mounts) ? props.mounts : [];
  if (props.mounts !== undefined && !Array.isArray(props.mounts)) collector.report(Rules.PROPS_INVALID, `${prefix}mounts`, props.mounts, 'must be a list of mounts');
  const configs = [
    ...Object.values(props.env ?? {}).flatMap(e => (e instanceof Env && e._config ? [e._config.config] : [])),
    ...mounts.flatMap(m => (m?.volume instanceof PodVolume && m.volume._facts.config ? [m.volume._facts.config] : [])),
    ...envFrom.flatMap(e => (e._config ? [e._config] : [])),
  ];
  const resources = resolveResources(props.size, props.burst, collector, prefix);
  if (props.burst !== undefined && !collector.hasErrorAt(`${prefix}burst`) && !collector.hasErrorAt(`${prefix}size`)) {
    collector.report(Rules.NOT_GUARANTEED, `${prefix}burst`, props.burst, 'limits above requests put the Pod in the Burstable QoS class');
  }
  return {
    kind,
    name: props.name,
    prefix,
    imageVersion: image ? imageVersion(image) : undefined,
    resources,
    probes,
    mounts,
    configs,
    envFrom,
    terminationMessagePolicy: props.terminationMessagePolicy ?? TerminationMessagePolicy.FALLBACK_TO_LOGS_ON_ERROR,
    props,
    runtimeEnv,
    imagePullPolicy: props.imagePullPolicy ?? (defaultPullPolicy(image?.digest !== undefined, pullSecrets) === 'Always' ? kplus.ImagePullPolicy.ALWAYS : kplus.ImagePullPolicy.IF_NOT_PRESENT),
  };
}

/**
 * The cdk8s-plus props of a resolved container: what cdk8s-plus renders (image, ports, command,
 * env, security context, lifecycle). Resources, probes and mounts are rendered by the core.
 */
export function toKplusContainer(c: ResolvedContainer, ports: readonly ResolvedPort[], security: ResolvedSecurity, preStop: PreStop | undefined, mainPort: number | undefined, bind: (env: Env, key: string) => kplus.EnvValue): kplus.ContainerProps {
  // Env is rendered as a list of names, so every name reaches the YAML; setOwn keeps "__proto__".
  const envVariables: Record<string, kplus.EnvValue> = {};
  for (const [key, value] of Object.entries(c.props.env ?? {})) setOwn(envVariables, key, bind(value, key));
  for (const [key, value] of Object.entries(c.runtimeEnv)) if (!Object.prototype.hasOwnProperty.call(envVariables, key)) setOwn(envVariables, key, bind(value, key));
  const handler = preStop?._handler(mainPort);
  const postStart = c.kind !== ContainerKind.INIT && c.props.postStart instanceof PostStart ? c.props.postStart._handler(mainPort) : undefined;
  return {
    name: c.name,
    image: c.props.image,
    imagePullPolicy: c.imagePullPolicy,
    ports: ports.filter(p => p.container === c.name).map(p => ({ name: p.name, number: p.number, protocol: p.protocol })),
    command: c.props.command,
    args: c.props.args,
    workingDir: c.props.workingDir,
    envVariables,
    // Rendered by the core; an explicit empty value stops cdk8s-plus's Burstable defaults.
    resources: {},
    securityContext: security.container,
    lifecycle: handler || postStart ? { preStop: handler, postStart } : undefined,
  };
}

function checkImage(image: unknown, field: string, collector: FindingCollector) {
  const ref = typeof image === 'string' ? parseImage(image) : undefined;
  if (!ref) {
    collector.report(Rules.IMAGE_INVALID, field, image, 'is not a valid image reference');
    return undefined;
  }
  if (!isPinned(ref)) {
    collector.report(Rules.IMAGE_NOT_PINNED, field, image, ref.tag === 'latest' ? 'the tag "latest" moves' : 'has no tag or digest, so it means "latest"');
  }
  return ref;
}

function checkCommandLine(props: ContainerProps, prefix: string, kind: ContainerKind, collector: FindingCollector): void {
  for (const field of ['command', 'args'] as const) {
    const value: unknown = props[field];
    if (value !== undefined && !(Array.isArray(value) && value.every(v => typeof v === 'string'))) {
      collector.report(Rules.PROPS_INVALID, `${prefix}${field}`, value, 'must be a list of strings (exec form)');
    } else if (Array.isArray(value)) {
      for (const [i, why] of secretArgs(value)) collector.report(Rules.SECRET_IN_MANIFEST, `${prefix}${field}[${i}]`, '(redacted)', `${why}; pass it through an env var from a Secret ("$(VAR)")`);
    }
  }
  const shellArgs = commandLineShellProblem(props.command, props.args);
  if (shellArgs) collector.report(Rules.SHELL_SCRIPT_ARGS, `${prefix}${shellArgs.field}`, shellArgs.value, shellArgs.problem);
  // Init containers run to completion and are never sent SIGTERM on a normal rollout.
  if (kind !== ContainerKind.INIT) checkEntrypoint(Array.isArray(props.command) ? props.command : undefined, `${prefix}command`, collector, { value: Array.isArray(props.args) ? props.args : undefined, field: `${prefix}args` });
}

function checkEnv(env: unknown, prefix: string, collector: FindingCollector): void {
  if (env === undefined || env === null) return;
  if (typeof env !== 'object' || Array.isArray(env)) {
    collector.report(Rules.PROPS_INVALID, `${prefix}env`, env, 'must be an object mapping names to Env values');
    return;
  }
  for (const [key, value] of Object.entries(env)) {
    const bad = envNameFinding(key);
    if (bad) collector.report(bad.rule, `${prefix}env.${key}`, key, bad.problem);
    if (!(value instanceof Env)) {
      collector.report(Rules.ENV_VALUE_INVALID, `${prefix}env.${key}`, value, 'is not an Env value');
    } else if (value._problem()) {
      collector.report(Rules.ENV_VALUE_INVALID, `${prefix}env.${key}`, value.reference, value._problem() as string);
    } else if (value.source === 'value' && looksSecret(key)) {
      collector.report(Rules.SECRET_LITERAL, `${prefix}env.${key}`, '(redacted)', `"${key}" looks like a secret but has a literal value`);
    } else if (value.source === 'value' && typeof value.reference === 'string' && secretValueReason(value.reference)) {
      collector.report(Rules.SECRET_IN_MANIFEST, `${prefix}env.${key}`, '(redacted)', `${secretValueReason(value.reference)}, as a literal value`);
    } else if (value._config && !value._config.config.keys.includes(value._config.key)) {
      collector.report(Rules.CONFIG_KEY_MISSING, `${prefix}env.${key}`, value._config.key, `is not a key of config "${value._config.config.name}" (keys: ${value._config.config.keys.join(', ') || 'none'})`);
    }
  }
}

function describe(v: unknown): unknown {
  return v instanceof Probe ? v.kind : v instanceof PreStop ? 'preStop' : v instanceof PostStart ? `postStart ${v.kind}` : v;
}
