/**
 * Kubernetes naming rules, as the API server applies them
 * (k8s.io/apimachinery/pkg/util/validation).
 */

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** The type of a value, in words ("nothing" for undefined, so messages never print "undefined"). */
export function kindOf(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  return Array.isArray(v) ? 'a list' : `a ${typeof v}`;
}

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `name` is not a DNS-1035 label (Service names), or undefined when it is one. */
export function dns1035LabelProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a string, got ${kindOf(name)}`;
  if (name.length === 0) return 'must not be empty';
  if (name.length > 63) return `is ${name.length} characters long; at most 63 are allowed`;
  if (!DNS1035_LABEL.test(name)) return 'must consist of lowercase alphanumerics or "-", start with a letter and end with an alphanumeric';
  return undefined;
}

/** Why `name` is not a DNS-1123 label (container and volume names), or undefined when it is one. */
export function dns1123LabelProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a string, got ${kindOf(name)}`;
  if (name.length === 0) return 'must not be empty';
  if (name.length > 63) return `is ${name.length} characters long; at most 63 are allowed`;
  if (!DNS1123_LABEL.test(name)) return 'must consist of lowercase alphanumerics or "-", and start and end with an alphanumeric';
  return undefined;
}

/** Why `value` is not a valid label value, or undefined when it is one. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `expected a string, got ${kindOf(value)}`;
  if (value.length > 63) return `is ${value.length} characters long; at most 63 are allowed`;
  if (!LABEL_VALUE.test(value)) return 'must consist of alphanumerics, "-", "_" or ".", and begin and end with an alphanumeric';
  return undefined;
}

/**
 * Why `name` is not a C identifier (a shell-readable environment variable name), or undefined
 * when it is one. See `envNameFinding` in the env rule family for what the API server accepts.
 */
export function envNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (!C_IDENTIFIER.test(name)) return 'must consist of letters, digits and "_", and not start with a digit';
  return undefined;
}

/** Why `name` is not an IANA service name (container port names), or undefined when it is one. */
export function portNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a string, got ${kindOf(name)}`;
  if (name.length === 0 || name.length > 15) return 'must be 1 to 15 characters long';
  if (!IANA_SVC_NAME.test(name) || name.includes('--')) return 'must consist of lowercase alphanumerics or "-", without "--", beginning and ending with an alphanumeric';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  return undefined;
}

/** Why `port` is not a valid port number, or undefined when it is one. */
export function portNumberProblem(port: unknown): string | undefined {
  if (typeof port !== 'number' || !Number.isInteger(port)) return 'must be a whole number';
  if (port < 1 || port > 65535) return 'must be between 1 and 65535';
  return undefined;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why `name` is not a DNS-1123 subdomain (Secret, ConfigMap, PriorityClass names), or undefined. */
export function dns1123SubdomainProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `expected a string, got ${kindOf(name)}`;
  if (name.length === 0) return 'must not be empty';
  if (name.length > 253) return `is ${name.length} characters long; at most 253 are allowed`;
  if (!DNS1123_SUBDOMAIN.test(name)) return 'must consist of lowercase alphanumerics, "-" or ".", and start and end with an alphanumeric';
  return undefined;
}

/** `labelKeyProblem()`'s answers by key: the audit asks for every label of every object, and keys repeat. */
const labelKeyProblems = new Map<string, string | undefined>();
const LABEL_KEY_PROBLEMS_LIMIT = 10_000;

/** Why `key` is not a label key (`[prefix/]name`, as nodeSelector keys are), or undefined. */
export function labelKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `expected a string, got ${kindOf(key)}`;
  const known = labelKeyProblems.get(key);
  if (known !== undefined || labelKeyProblems.has(key)) return known;
  const problem = stringLabelKeyProblem(key);
  if (labelKeyProblems.size >= LABEL_KEY_PROBLEMS_LIMIT) labelKeyProblems.clear();
  labelKeyProblems.set(key, problem);
  return problem;
}

function stringLabelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    const problem = dns1123SubdomainProblem(prefix);
    if (problem) return `its prefix "${prefix}" ${problem}`;
  }
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return 'must be an optional DNS prefix and "/", then 1 to 63 alphanumerics, "-", "_" or ".", beginning and ending with an alphanumeric';
  return undefined;
}

/** Names of Object.prototype's members ("constructor", "toString", "__proto__", …). */
export const PROTOTYPE_MEMBERS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Why `key` cannot be a key of this map, or undefined: for the maps that do not carry keys named
 * like Object.prototype's members to the YAML. Such keys are valid Kubernetes keys, but cdk8s
 * renders maps through plain objects ("constructor" makes it throw, an own "__proto__" is lost)
 * and cdk8s-plus-28 refuses some as "already used". Env, labels, annotations, nodeSelector,
 * sysctls, DNS options, pod affinity labels and AppConfig data carry them (`carriedMap` in
 * synth/own-keys.ts); the other maps refuse them with this problem rather than lose them.
 */
export function objectKeyProblem(key: string): string | undefined {
  if (!PROTOTYPE_MEMBERS.has(key)) return undefined;
  return 'is a valid Kubernetes key, but the name of a built-in JavaScript object member, which this map cannot carry to the YAML (env, labels, annotations, nodeSelector, sysctls and AppConfig data can); rename the key';
}

/** Why `key` is not a ConfigMap or Secret key (the API server's IsConfigMapKey), or undefined. */
export function configKeyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return `expected a string, got ${kindOf(key)}`;
  if (key.length === 0 || key.length > 253) return 'must be 1 to 253 characters long';
  if (!/^[-._a-zA-Z0-9]+$/.test(key)) return 'must consist of alphanumerics, "-", "_" or "."';
  if (key === '.' || key === '..' || key.startsWith('..')) return 'must not be "." or "..", nor start with ".."';
  return undefined;
}
