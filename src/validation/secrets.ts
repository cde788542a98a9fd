/**
 * The one secret detector: construct props checks (env, AppConfig data) and the audit's manifest
 * checks (env, args, probe headers, ConfigMap data, annotations) all ask it. It reports why a
 * name or value looks secret, never the value itself.
 *
 * What it catches: names whose words say they hold a credential (see SECRET_WORDS), and values
 * that carry one by their shape (SECRET_VALUES). What it cannot catch: a credential under an
 * innocent name with no recognisable shape ("DB_PW2 = hunter2" is caught by name only if a word
 * matches; "X = hunter2" is not), base64- or otherwise encoded credentials, and secrets split
 * over several values.
 */

/** Words of a name that say it holds a credential. */
const SECRET_WORDS = new Set(['PASS', 'PASSWD', 'PASSWORD', 'PASSWORDS', 'PWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'TOKENS', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'AUTH', 'DSN', 'APIKEY', 'PRIVATEKEY', 'AUTHORIZATION', 'COOKIE']);
/** Word pairs that say it: API_KEY, PRIVATE_KEY, ENCRYPTION_KEY, SIGNING_KEY, SSH_KEY, ACCESS_KEY, … */
const KEY_QUALIFIERS = new Set(['API', 'PRIVATE', 'ENCRYPTION', 'SIGNING', 'SSH', 'ACCESS', 'MASTER', 'SESSION', 'HMAC', 'CLIENT', 'SECRET', 'LICENSE', 'GPG', 'PGP', 'TLS']);
/** Last words that make the name about the credential, not the credential: TOKEN_FILE, SECRET_NAME, AUTH_URL. */
const NOT_THE_VALUE = new Set(['FILE', 'PATH', 'DIR', 'NAME', 'REF', 'URL', 'URI', 'HOST', 'PORT', 'ENDPOINT', 'DOMAIN', 'ENABLED', 'DISABLED', 'MODE', 'TYPE', 'USER', 'USERNAME', 'HEADER', 'ISSUER', 'AUDIENCE', 'TTL', 'TIMEOUT', 'EXPIRY', 'LENGTH', 'KEY_ID', 'ID', 'PROVIDER', 'METHOD', 'SCOPE', 'SCOPES', 'REALM', 'VERSION', 'ALGORITHM', 'FORMAT', 'LOCATION', 'REGION', 'KIND', 'POLICY', 'ROLE', 'ROLES', 'STRATEGY']);

/** The words of a name: split at "_", "-", ".", "/", spaces and camelCase humps, upper-cased. */
function words(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').split(/[^A-Za-z0-9]+/).filter(w => w.length > 0).map(w => w.toUpperCase());
}

/** Why a name (env var, ConfigMap key, annotation, header) looks like it holds a credential, or undefined. */
export function secretNameReason(name: string): string | undefined {
  if (typeof name !== 'string' || name.length > 256) return undefined;
  const w = words(name);
  if (w.length === 0 || NOT_THE_VALUE.has(w[w.length - 1])) return undefined;
  for (let i = 0; i < w.length; i++) {
    if (SECRET_WORDS.has(w[i])) return `its name contains "${w[i]}"`;
    if (w[i] === 'KEY' && i > 0 && KEY_QUALIFIERS.has(w[i - 1])) return `its name contains "${w[i - 1]}_KEY"`;
    if (w[i] === 'KEY' && w.length === 1) return 'its name is "KEY"';
  }
  return undefined;
}

/** Whether an env var named `name` looks like it holds a credential (and so must come from a Secret). */
/**
 * Why the annotation `key: value` looks like a plain-text credential: a literal value under a
 * credential-like name (the key's last segment, "example.com/api-token" → "api-token").
 */
export function annotationSecretReason(key: string, value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || REFERENCE.test(value)) return undefined;
  return secretNameReason(key.slice(key.lastIndexOf('/') + 1));
}

/**
 * A value that names something rather than holding it: a Secret name or namespace/name
 * (`nginx.ingress.kubernetes.io/auth-secret: basic-auth`), a Vault path
 * (`vault.hashicorp.com/agent-inject-secret-db: database/creds/app`). Annotations under
 * credential-like names are mostly such references; a password that happens to look like one
 * is missed (docs/secrets.md: what the detector does not catch).
 */
const REFERENCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?(\/[A-Za-z0-9]([-A-Za-z0-9._]*[A-Za-z0-9])?)*$/;

export function looksSecret(name: string): boolean {
  return secretNameReason(name) !== undefined;
}

/** The flag pattern's words (password, passwd, passphrase, pwd, secret, token, …key, credential, auth), as its gate. */
const FLAG_WORDS = /p(?:ass|wd)|secret|token|key|credential|auth/i;
/** The assignment pattern's words (password, passwd, passphrase, pwd, secret, token, apikey, api_key), as its gate. */
const ASSIGNMENT_WORDS = /p(?:ass|wd)|secret|token|api_?key/i;

/**
 * Shapes of values that are credentials whatever they are called, each with a gate: what its
 * pattern cannot match without (a literal, or one of its keywords), tested first. Long values
 * (scripts, configuration files in ConfigMaps, descriptions) have the spaces and colons that let
 * them past MAY_HOLD_SECRET, and the keyword patterns were the dearest part of reading them. A
 * gate only skips a pattern that cannot match, so what is detected is the same.
 */
const SECRET_VALUES: ReadonlyArray<readonly [(text: string) => boolean, RegExp, string]> = [
  [t => t.includes('PRIVATE KEY'), /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/, 'a PEM private key'],
  [t => t.includes('://') && t.includes('@'), /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@[^\s/]/i, 'a URL with a password in its userinfo'],
  [() => true, /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/, 'an AWS access key id'],
  [t => t.includes('eyJ'), /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, 'a JSON Web Token'],
  [t => t.includes('gh') || t.includes('github_pat_'), /\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{60,}\b/, 'a GitHub token'],
  [t => t.includes('glpat-'), /\bglpat-[A-Za-z0-9_-]{20,}\b/, 'a GitLab token'],
  [t => t.includes('xox'), /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/, 'a Slack token'],
  [t => t.includes('AIza'), /\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [t => t.includes('_live_'), /\bsk_live_[0-9A-Za-z]{16,}\b|\brk_live_[0-9A-Za-z]{16,}\b/, 'a Stripe secret key'],
  // The one pattern that spans lines: a service-account key file is a JSON document.
  [t => t.includes('service_account'), /"type"\s*:\s*"service_account"[\s\S]*"private_key"[ \t]*:[ \t]*"[^"]/, 'a Google service-account key'],
  [() => true, /^[ \t]*(?:Bearer|Basic|Token)[ \t]+[A-Za-z0-9._~+/=-]{8,}[ \t]*$/i, 'an Authorization header value'],
  [t => t.includes('=') && FLAG_WORDS.test(t), /(?:^|\s)--?(?:[a-z0-9]+[-_])*(?:password|passwd|pwd|passphrase|secret|token|api[-_]?key|private[-_]?key|access[-_]?key|credentials?|auth)=(?!\s|$)\S+/i, 'a secret passed as a command-line flag'],
  [t => ASSIGNMENT_WORDS.test(t), /(?:^|[\s;&?])(?:[A-Za-z0-9]+[_-])*(?:password|passwd|pwd|passphrase|secret|token|apikey|api_key)[ \t]*[:=][ \t]*(?!\$\{|\$\(|<|\{\{)[^\s;&'"]{4,}/i, 'a "password=…"-style assignment'],
];

/**
 * What every pattern of SECRET_VALUES needs somewhere in the value, ignoring case: one of their
 * keywords (password, token, key, auth, Bearer, …), '://' (a URL), 'service_account', or the
 * literal start of a token shape. Most values (names, labels, paths, images, scripts and
 * configuration without such words) have none, and are cleared by this one scan; a value that
 * has one goes through every pattern (each behind its own gate), so what is detected is the
 * same. A new pattern must be covered here.
 */
const MAY_HOLD_SECRET = /:\/\/|p(?:ass|wd)|secret|token|key|credential|auth|bearer|basic|service_account|A(?:KIA|SIA|GPA|IDA|ROA|NPA|NVA|IPA|Iza)|eyJ|gh[pousr]_|github_pat_|glpat-|xox|_live_/i;

/**
 * Whether a value stands in for a credential rather than holding one: empty, a template or
 * variable (`<token>`, `\${TOKEN}`, `$(TOKEN)`, `{{ .token }}`), a mask (`xxxx`, `****`) or a word
 * that says so (changeme, placeholder, redacted, …), after an optional Bearer, Basic or Token scheme.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim().replace(/^(?:Bearer|Basic|Token)[ \t]+/i, '');
  return v === '' || /^(?:<[^<>]*>|\$\{[^{}]*\}|\$\([^()]*\)|\{\{.*\}\}|([xX*.#_-])\1*|change[-_ ]?me|placeholder|redacted|replace[-_ ]?me|to[-_ ]?do|tbd|none|null|dummy|example|your[-_ ]?[a-z]*[-_ ]?(?:token|key|secret|password))$/i.test(v);
}

/** The most characters of a value the detector reads (a credential sits near the start of a longer text often enough; megabytes are not scanned). */
const MAX_SCAN = 1 << 20;

/** The fewest characters of a value `secretValueReason` reads: shorter ones hold no credential it finds. @internal */
export const MIN_SECRET_LENGTH = 8;

/** Why a value looks like a credential by its shape, or undefined. */
export function secretValueReason(value: string): string | undefined {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return undefined;
  const text = value.length > MAX_SCAN ? value.slice(0, MAX_SCAN) : value;
  if (!MAY_HOLD_SECRET.test(text)) return undefined;
  for (const [gate, re, reason] of SECRET_VALUES) if (gate(text) && re.test(text)) return `it holds ${reason}`;
  return undefined;
}

/**
 * Indexes of args that carry a secret: `--password=x` (by value shape) and `--password x`
 * (a secret-looking flag followed by a separate value), with the reason.
 */
export function secretArgs(args: readonly unknown[]): Array<[number, string]> {
  const hits: Array<[number, string]> = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string') continue;
    const byValue = secretValueReason(a);
    if (byValue) {
      hits.push([i, byValue]);
      continue;
    }
    const flag = /^--?([A-Za-z0-9_-]+)$/.exec(a);
    const next = args[i + 1];
    if (flag && typeof next === 'string' && next.length > 0 && !next.startsWith('-') && !/^\$\(|^\$\{/.test(next) && secretNameReason(flag[1]) && !/-(file|path)$/i.test(flag[1])) {
      hits.push([i + 1, `it follows the flag "${a}"`]);
      i++;
    }
  }
  return hits;
}
