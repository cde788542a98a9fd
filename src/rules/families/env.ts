import { secretNameReason } from '../../validation/secrets';
import { ALL_KINDS, defineRule as rule, Rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the env family. */
export const EnvRules = {
  ENV_NAME_INVALID: rule({
    id: 'SW-ENV-001',
    title: 'Environment variable names are valid',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server of Kubernetes 1.28 to 1.33 rejects env names that are empty, start with a digit or contain characters other than letters, digits, "_", "-" and "." (1.34 relaxes this to any printable ASCII but "="), so the Pod is never created.',
    fix: 'use letters, digits and "_", not starting with a digit, e.g. "LOG_LEVEL"',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/inject-data-application/define-environment-variable-container/`,
  }),
  ENV_NAME_NOT_PORTABLE: rule({
    id: 'SW-ENV-006',
    title: 'Environment variable names are shell identifiers',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server accepts "-" and "." in env names, but a shell cannot read them ($LOG-LEVEL is not a variable; POSIX sh and bash skip such names when they start), and many entrypoint scripts and runtimes never see them, so the app may start without that setting. Runtimes that read the environment directly (e.g. Java, Go) do see them.',
    fix: 'use letters, digits and "_", not starting with a digit, e.g. "LOG_LEVEL", or waive the rule when the app reads the name directly (e.g. Spring\'s "spring.profiles.active")',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/inject-data-application/define-environment-variable-container/`,
  }),
  ENV_VALUE_INVALID: rule({
    id: 'SW-ENV-002',
    title: 'Environment values are built with Env',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A bare string or object cannot say whether it is a literal or a reference, and a literal for a secret would land in Git.',
    fix: 'use Env.value("…"), Env.fromConfigMap(name, key), Env.fromSecret(name, key), Env.fromField(…) or Env.fromResource(…)',
    kinds: [],
    see: `${K8S}/tasks/inject-data-application/define-environment-variable-container/`,
  }),
  CONFIG_KEY_MISSING: rule({
    id: 'SW-CONFIG-001',
    title: 'Configuration references name existing keys',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'A Pod referencing a ConfigMap key that does not exist stays in CreateContainerConfigError.',
    fix: 'reference a key the AppConfig defines, or add it to the AppConfig data',
    kinds: [],
    see: `${K8S}/concepts/configuration/configmap/`,
  }),
  SECRET_LITERAL: rule({
    id: 'SW-ENV-003',
    title: 'Secret-looking env vars come from Secrets',
    severity: Severity.ERROR,
    tier: 'hardening',
    scope: 'object',
    wholeDeployment: false,
    scanners: { kubeLinter: ['env-var-secret'] },
    rationale: 'A literal value for a PASSWORD, TOKEN, API_KEY or SECRET variable puts the credential in Git and in every `kubectl get -o yaml`.',
    fix: 'use valueFrom.secretKeyRef (Env.fromSecret(name, key)), or waive the rule if the value is not secret',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/secret/#using-secrets-as-environment-variables`,
  }),
  ENV_DUPLICATE: rule({
    id: 'SW-ENV-004',
    title: 'Env var names are unique per container',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With a duplicated name only the last value is used, silently.',
    fix: 'remove or rename the duplicate',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/inject-data-application/define-environment-variable-container/`,
  }),
  ENV_REFERENCE_MISSING: rule({
    id: 'SW-ENV-005',
    title: 'Env references name ConfigMaps of the same set',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: true,
    unseen: 'a ConfigMap an env var or envFrom refers to',
    rationale: 'A reference to a ConfigMap that is not deployed keeps the Pod in CreateContainerConfigError. Secrets are not checked: they are provisioned outside Git (sealed or external secrets).',
    fix: 'deploy the referenced object with the workload, or mark the reference optional',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/configmap/`,
  }),
  SECRET_DATA: rule({
    id: 'SW-SECRET-001',
    title: 'No plaintext Secret data in manifests',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'GitOps repositories are read by many people and systems; a Secret with data or stringData puts the credential (base64 is not encryption) in Git history forever.',
    fix: 'reference existing Secrets by name and key (Env.fromSecret, PodVolume.secret) and provision them with sealed-secrets or external-secrets; waive only for non-secret test data',
    kinds: ['Secret'],
    see: `${K8S}/concepts/security/secrets-good-practices/`,
  }),
  SECRET_IN_MANIFEST: rule({
    id: 'SW-SECRET-002',
    title: 'No credentials in configuration, annotations, args or probe headers',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A password in a ConfigMap, an annotation, a command-line flag, a database URL or a probe\'s Authorization header is as public as the Git repository and every `kubectl get -o yaml`; only Secrets are meant to hold credentials (and those are provisioned outside Git).',
    fix: 'move the value into a Secret provisioned outside Git and reference it (Env.fromSecret, a Secret volume, $(VAR) in args); waive the rule if the value is not a credential',
    kinds: ALL_KINDS,
    see: `${K8S}/concepts/security/secrets-good-practices/`,
  }),
  ENV_FROM_INVALID: rule({
    id: 'SW-ENV-007',
    title: 'envFrom sources are well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'An envFrom entry must name one ConfigMap or Secret by a valid name; anything else is rejected by the API server or cannot be rendered.',
    fix: 'use EnvFrom.configMap(name, { prefix }), EnvFrom.secret(name, { prefix }) or appConfig.envFrom({ prefix })',
    kinds: [],
    see: `${K8S}/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables`,
  }),
  ENV_FROM_KEY_SKIPPED: rule({
    id: 'SW-ENV-008',
    title: 'Keys loaded with envFrom are valid variable names',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'objects',
    wholeDeployment: false,
    rationale: 'envFrom turns every key (after the prefix) into a variable; a key that is not a valid variable name (e.g. starting with a digit) is skipped by the kubelet of Kubernetes before 1.34 with only an event, and the app starts without it.',
    fix: 'rename the key (letters, digits and "_", not starting with a digit), give a prefix that makes it valid, or read it with Env.fromConfigMap under a valid name',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/tasks/configure-pod-container/configure-pod-configmap/#configure-all-key-value-pairs-in-a-configmap-as-container-environment-variables`,
  }),
  RUNTIME_ENV_CONFLICT: rule({
    id: 'SW-ENV-009',
    title: 'Runtime settings derived from the limits overwrite no variable the container sets',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: '`runtime.goMaxProcs` sets GOMAXPROCS and `runtime.jvm` sets JAVA_TOOL_OPTIONS. A container that also sets the variable itself would get two values, and since env wins over envFrom, a key loaded from an AppConfig would be replaced without a word: which one the app reads is then a surprise.',
    fix: 'drop the variable from env (or the key from the config), or drop the runtime setting and keep your own value',
    kinds: [],
    see: `${K8S}/tasks/inject-data-application/environment-variable-expose-pod-information/`,
  }),
} as const;

/** One finding of an envFrom source: of its prefix (`key` undefined) or of one key's variable `name`. */
export interface EnvFromKeyFinding {
  readonly rule: Rule;
  readonly key?: string;
  readonly name: string;
  readonly problem: string;
}

/**
 * The one implementation of the envFrom name checks, at synth (AppConfig sources) and in the
 * audit (ConfigMaps of the audited set): the prefix as an env name (SW-ENV-001 / SW-ENV-006),
 * then each `prefix + key` — skipped by the kubelet (SW-ENV-008), unreadable from a shell
 * (SW-ENV-006), or named like a credential though its value is a ConfigMap literal (SW-ENV-003;
 * a key that looks secret by itself is reported on the ConfigMap, SW-SECRET-002).
 */
export function envFromKeyFindings(prefix: string, keys: readonly string[]): EnvFromKeyFinding[] {
  const out: EnvFromKeyFinding[] = [];
  if (prefix !== '') {
    const bad = envNameFinding(prefix);
    if (bad) out.push({ rule: bad.rule, name: prefix, problem: `(the prefix) ${bad.problem}` });
    if (bad?.rule === EnvRules.ENV_NAME_INVALID) return out;
  }
  for (const key of keys) {
    const name = `${prefix}${key}`;
    const bad = envNameFinding(name);
    if (bad?.rule === EnvRules.ENV_NAME_INVALID) {
      out.push({ rule: EnvRules.ENV_FROM_KEY_SKIPPED, key, name, problem: `key "${key}" becomes "${name}", which the kubelet before Kubernetes 1.34 skips silently: a variable name is letters, digits and "_", not starting with a digit` });
    } else if (bad) {
      out.push({ rule: bad.rule, key, name, problem: `key "${key}" becomes "${name}", which ${bad.problem}` });
    }
    if (secretNameReason(name) && !secretNameReason(key)) {
      out.push({ rule: EnvRules.SECRET_LITERAL, key, name, problem: `"${name}" looks like a secret (${secretNameReason(name)}) but gets the literal value of ConfigMap key "${key}"` });
    }
  }
  return out;
}

const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** What the API server accepts in env names before 1.34 (k8s.io/apimachinery IsEnvVarName). */
const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * The one SW-ENV-001 / SW-ENV-006 predicate: an env name the API server rejects (error), or one
 * it accepts that a shell cannot read (warning).
 */
export function envNameFinding(name: string): { readonly rule: Rule; readonly problem: string } | undefined {
  if (C_IDENTIFIER.test(name)) return undefined;
  if (name.length === 0) return { rule: EnvRules.ENV_NAME_INVALID, problem: 'must not be empty' };
  if (!ENV_VAR_NAME.test(name)) return { rule: EnvRules.ENV_NAME_INVALID, problem: 'is rejected by the API server: use letters, digits, "_", "-" or ".", not starting with a digit' };
  return { rule: EnvRules.ENV_NAME_NOT_PORTABLE, problem: 'is accepted by Kubernetes, but "-" and "." make it unreadable from a shell' };
}
