import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { AppConfig, Env, SeaworthyError } from '../src';
import { secretArgs, secretNameReason, secretValueReason } from '../src/validation/secrets';
import { WORKLOADS } from './support/adversarial';
import { cli, file } from './support/cli-capture';

const constructs = WORKLOADS;

/** Inputs per class, counted as each describe block is collected. */
const corpus: Record<string, number> = {};

/* ------------------------------------------------------------------------------------------ */
/* Secrets never slip through silently: one detector, every place.                           */
/* ------------------------------------------------------------------------------------------ */

// Credentials built at run time so this file holds no literal that scanners flag.
const SECRET_VALUES_BY_SHAPE: Array<[string, string]> = [
  ['a URL with a password', ['postgres://app:', 's3cr3t-pw', '@db.internal:5432/app'].join('')],
  ['a redis URL with a password', ['redis://:', 'hunter2hunter2', '@cache:6379/0'].join('')],
  ['an amqp URL', ['amqp://user:', 'pa55word', '@mq/vhost'].join('')],
  ['a PEM RSA key', ['-----BEGIN RSA ', 'PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----'].join('')],
  ['a PEM key', ['-----BEGIN ', 'PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----'].join('')],
  ['an OpenSSH key', ['-----BEGIN OPENSSH ', 'PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----'].join('')],
  ['an EC key', ['-----BEGIN EC ', 'PRIVATE KEY-----\nMHc\n-----END EC PRIVATE KEY-----'].join('')],
  ['an AWS access key id', ['AKIA', 'IOSFODNN7EXAMPLE'].join('')],
  ['an AWS STS key id', ['ASIA', 'Y34FZKBOKMUTVV7A'].join('')],
  ['a JWT', ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.')],
  ['a GitHub token', ['ghp_', 'a'.repeat(36)].join('')],
  ['a GitLab token', ['glpat-', 'x'.repeat(20)].join('')],
  ['a Slack token', ['xoxb-', '1234567890-abcdefghij'].join('')],
  ['a Google API key', ['AIza', 'S'.repeat(35)].join('')],
  ['a Stripe key', ['sk_live_', '4eC39HqLyjWDarjtT1zdp7dc'].join('')],
  ['a bearer header value', ['Bearer ', 'abcdef0123456789'].join('')],
  ['a basic header value', ['Basic ', 'dXNlcjpwYXNzd29yZA=='].join('')],
  ['a --password= flag', ['--password=', 'hunter22'].join('')],
  ['a --db-password= flag', ['--db-password=', 'hunter22'].join('')],
  ['a --api-key= flag', ['--api-key=', 'k3yk3yk3y'].join('')],
  ['a -token= flag', ['-token=', 'abcd1234'].join('')],
  ['a password= assignment', ['host=db user=app password=', 'hunter22'].join('')],
  ['a JDBC password', ['jdbc:mysql://db/app?user=app&password=', 'hunter22'].join('')],
  ['an ini secret', ['[db]\nsecret = ', 'hunter22hunter'].join('')],
  ['a service-account key', ['{"type": "service_account", "private_key": "', 'x', '"}'].join('')],
];
const NOT_SECRETS = ['postgres://db.internal:5432/app', 'https://user@example.com/path', 'http://example.com:8080/a@b', 'info', 'ghcr.io/acme/api:1.4.2', '--password-file=/run/secrets/db', '--token-ttl=1h', 'Bearer', 'password=$(DB_PASSWORD)',
  'password=${DB_PASSWORD}', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----', 'AKIA-not-a-key', 'eyJhbGciOiJIUzI1NiJ9', '0123456789abcdef', 'a=b', 'secret-name', '/etc/passwd', 'SELECT 1'];
const SECRET_NAMES = ['DB_PASSWORD', 'PASS', 'DB_PASS', 'PASSWD', 'MYSQL_PWD', 'GPG_PASSPHRASE', 'CLIENT_SECRET', 'SECRET', 'AUTH_TOKEN', 'API_KEY', 'APIKEY', 'apiKey', 'stripeApiKey', 'PRIVATE_KEY', 'privateKey',
  'ENCRYPTION_KEY', 'SIGNING_KEY', 'SSH_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY', 'GOOGLE_APPLICATION_CREDENTIALS_JSON', 'CREDENTIALS', 'BASIC_AUTH', 'AUTH', 'SENTRY_DSN', 'DSN', 'db.password', 'smtp-password', 'session_key', 'COOKIE_SECRET'];
const INNOCENT_NAMES = ['LOG_LEVEL', 'PORT', 'DB_HOST', 'PASSWORD_FILE', 'TOKEN_PATH', 'SECRET_NAME', 'AUTH_URL', 'AUTH_ENABLED', 'OAUTH_ISSUER', 'API_KEY_ID', 'KEYCLOAK_REALM', 'PASSTHROUGH', 'COMPASS', 'BYPASS_CACHE', 'TOKENIZER', 'AUTHOR', 'KEY_NAME', 'MONKEY', 'SECRETARY_EMAIL', 'DSN_HOST'];

describe('the secret detector', () => {
  corpus.detector = SECRET_VALUES_BY_SHAPE.length + NOT_SECRETS.length + SECRET_NAMES.length + INNOCENT_NAMES.length + 5;
  test.each(SECRET_VALUES_BY_SHAPE)('catches %s by its shape', (_what, value) => {
    expect(secretValueReason(value)).toBeDefined();
  });
  test.each(NOT_SECRETS.map(v => [JSON.stringify(v), v]))('leaves %s alone', (_shown, value) => {
    expect(secretValueReason(value)).toBeUndefined();
  });
  test.each(SECRET_NAMES)('catches the name %s', name => {
    expect(secretNameReason(name)).toBeDefined();
  });
  test.each(INNOCENT_NAMES)('leaves the name %s alone', name => {
    expect(secretNameReason(name)).toBeUndefined();
  });
  test.each([[['--password', 'hunter22'], 1], [['-p', 'x', '--token', 'abc123'], 3], [['--password', '$(DB_PASSWORD)'], -1], [['--password-file', '/run/pw'], -1], [['--api-key', '--verbose'], -1]] as Array<[string[], number]>)('args %j: the secret is at index %i', (args, at) => {
    expect(secretArgs(args).map(([i]) => i)).toEqual(at < 0 ? [] : [at]);
  });
});

describe('the audit finds secrets wherever a manifest puts them, and never prints them (SW-SECRET-002)', () => {
  const places: Array<[string, (v: string) => string]> = [
    ['a ConfigMap value', v => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata:\n  app.conf: ${JSON.stringify(v)}\n`],
    ['an annotation value', v => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: a\n  annotations: {note: ${JSON.stringify(v)}}\n`],
    ['an env value under an innocent name', v => pod(`env: [{name: DB_URL, value: ${JSON.stringify(v)}}]`)],
    ['an arg', v => pod(`args: [serve, ${JSON.stringify(v)}]`)],
    ['a command', v => pod(`command: [/app, ${JSON.stringify(v)}]`)],
    ['a probe header', v => pod(`readinessProbe: {httpGet: {path: /, port: 80, httpHeaders: [{name: X-Check, value: ${JSON.stringify(v)}}]}}`)],
    ['a custom resource field', v => `apiVersion: example.com/v1\nkind: Database\nmetadata: {name: d, namespace: a}\nspec:\n  connection: ${JSON.stringify(v)}\n`],
    ['a List item', v => `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c, namespace: a}\n    data: {x: ${JSON.stringify(v)}}\n`],
  ];
  function pod(container: string): string {
    return `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n    - name: c\n      image: a/b:1\n      ${container}\n`;
  }
  const cases = places.flatMap(([where, make]) => SECRET_VALUES_BY_SHAPE.filter(([what]) => !/flag|assignment/.test(what) || where !== 'a probe header').map(([what, v]) => [where, what, make, v] as const));
  corpus.auditSecrets = cases.length + 8 + 12 + 4;
  test.each(cases)('%s holding %s', (_where, _what, make, value) => {
    const f = file(make(value));
    for (const format of ['table', 'json', 'sarif', 'junit']) {
      const r = cli(['audit', '--format', format, f]);
      expect(r.stdout).toContain('SW-SECRET-002');
      expect(r.stdout).not.toContain(value);
      for (const line of value.split('\n').filter(l => l.length >= 8)) expect(r.stdout).not.toContain(line);
    }
  });

  test.each(INNOCENT_NAMES.slice(0, 8))('a ConfigMap key %s with an ordinary value is fine', name => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {${name}: "https://example.com"}\n`)]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).not.toContain('SW-SECRET-002');
  });

  test.each(SECRET_NAMES.slice(0, 12))('a ConfigMap key %s with a literal value is reported', name => {
    const r = cli(['audit', '--format', 'json', file(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata: {${JSON.stringify(name)}: "plain-looking-value"}\n`)]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).toContain('SW-SECRET-002');
    expect(r.stdout).not.toContain('plain-looking-value');
  });

  test.each(['Authorization', 'Proxy-Authorization', 'X-Api-Key', 'X-Auth-Token'])('a probe header %s with a literal value is reported', header => {
    const r = cli(['audit', '--format', 'json', file(pod(`livenessProbe: {httpGet: {path: /, port: 80, httpHeaders: [{name: ${header}, value: "opaque-value-123"}]}}`))]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).toContain('SW-SECRET-002');
    expect(r.stdout).not.toContain('opaque-value-123');
  });

  test('the reference app has none', () => {
    const r = cli(['audit', '--format', 'json', path.join(__dirname, '..', 'dist')]);
    expect(JSON.parse(r.stdout).findings.map((x: { rule: string }) => x.rule)).not.toContain('SW-SECRET-002');
  });
});

describe('the constructs ask the same detector at synth', () => {
  corpus.synthSecrets = 19 + 3 + 3;
  test.each(SECRET_VALUES_BY_SHAPE.filter(([what]) => !/PEM|OpenSSH|EC key|service-account|ini/.test(what)))('an env literal holding %s', (_what, value) => {
    const { make, base } = constructs.WebService;
    let error: unknown;
    try {
      make(new Chart(Testing.app(), 'c'), { ...base(), env: { DB_URL: Env.value(value) } });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).ruleIds).toContain('SW-SECRET-002');
    expect((error as SeaworthyError).message).not.toContain(value);
  });
  test.each([[['--password=hunter22x']], [['--token', 'abcdef123']], [['serve', '--db-url', 'postgres://u:pw123456@db/x']]])('args %j', args => {
    const { make, base } = constructs.Worker;
    let error: unknown;
    try {
      make(new Chart(Testing.app(), 'c'), { ...base(), args });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).ruleIds).toContain('SW-SECRET-002');
  });
  test.each([['DB_PASSWORD', 'x'], ['settings.ini', 'password = hunter22hunter'], ['url', 'postgres://u:pw123456@db/x']])('AppConfig data %s', (key, value) => {
    let error: unknown;
    try {
      new AppConfig(new Chart(Testing.app(), 'c'), 'x', { name: 'cfg', data: { [key]: value } });
    } catch (e) {
      error = e;
    }
    expect((error as SeaworthyError).ruleIds).toContain('SW-SECRET-002');
    expect((error as SeaworthyError).message).not.toContain(value.length > 1 ? value : '\u0000');
  });
});

test('the secret corpus holds at least 342 inputs', () => {
  // Counted per class as each describe block is collected; 342 when the corpus was split by
  // concept (with invalid-props.test.ts and the other two, 700 hostile inputs), and it only grows.
  expect(Object.values(corpus).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(342);
});
