import { audit } from '../src';
import { parseManifests } from '../src/manifests/load';
import { isPlaceholder, secretNameReason, secretValueReason } from '../src/validation/secrets';

/**
 * The secret detector reports credentials, not the places they will be put: a Secret whose
 * values a controller fills in, a key with no value on its line, a placeholder header, a setting
 * of an AUTH feature. The credentials themselves are still caught.
 */

/** "<rule> <field>" of the SW-SECRET and SW-ENV-003 errors of a YAML text. */
function secretErrors(yaml: string): string[] {
  return audit(parseManifests('m.yaml', yaml).inputs).filter(f => /^SW-SECRET-|^SW-ENV-003$/.test(f.rule.id)).map(f => `${f.rule.id} ${f.field}`);
}

const secret = (body: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: a}\ntype: Opaque\n${body}\n`;

describe('Secrets (SW-SECRET-001)', () => {
  test.each([
    ['no data', ''],
    ['empty data', 'data: {}'],
    ['keys with empty values', 'data: {token: "", ca.crt: ""}'],
    ['stringData keys with no value', 'stringData:\n  password:\n  username: ""'],
  ])('%s, filled in by a controller: no error', (_what, body) => {
    expect(secretErrors(secret(body))).toEqual([]);
  });
  test('a value, among empty ones, is still an error naming only the keys with values', () => {
    const found = audit(parseManifests('m.yaml', secret('stringData: {password: hunter2, username: ""}')).inputs).filter(f => f.rule.id === 'SW-SECRET-001');
    expect(found.map(f => `${f.field} ${f.value}`)).toEqual(['stringData ["password"]']);
  });
});

describe('patterns never cross a line break', () => {
  const configMap = (text: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata:\n  config.yaml: |\n${text.split('\n').map(l => `    ${l}`).join('\n')}\n`;
  test('nested client_secret: / session_token: keys with no value on their line', () => {
    expect(secretErrors(configMap('oauth:\n  client_secret:\n    file: /etc/oauth/secret\n  session_token:\n    signing_key: abcdefgh12345678'))).toEqual([]);
    expect(secretValueReason('login_token:\n  signing_key: CHANGEME00000000')).toBeUndefined();
  });
  test('a value on the same line is still a credential', () => {
    expect(secretErrors(configMap('oauth:\n  client_secret: s3cr3tvalue99'))).toEqual(['SW-SECRET-002 data.config.yaml']);
  });
  test('an Authorization scheme and its token on separate lines is not a header value', () => {
    expect(secretValueReason('Bearer\nabcdef0123456789')).toBeUndefined();
    expect(secretValueReason('Bearer abcdef0123456789')).toBeDefined();
  });
  test('a service-account key file still spans lines, and needs a private key', () => {
    expect(secretValueReason('{\n  "type": "service_account",\n  "private_key": "x"\n}')).toBeDefined();
    expect(secretValueReason('{\n  "type": "service_account",\n  "private_key": ""\n}')).toBeUndefined();
  });
});

describe('probe headers (SW-SECRET-002)', () => {
  const pod = (name: string, value: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n    - name: c\n      image: a/b:1\n      readinessProbe: {httpGet: {path: /, port: 80, httpHeaders: [{name: ${name}, value: ${JSON.stringify(value)}}]}}\n`;
  const header = 'spec.containers[0].readinessProbe.httpGet.httpHeaders[0].value';
  test.each(['Bearer <token>', '${API_TOKEN}', '$(API_TOKEN)', '{{ .Values.token }}', 'xxxxxxxx', '********', 'changeme', 'REDACTED', 'your-api-token'])('a placeholder %j is not a credential', value => {
    expect(isPlaceholder(value)).toBe(true);
    expect(secretErrors(pod('Authorization', value))).toEqual([]);
    expect(secretErrors(pod('X-Api-Token', value))).toEqual([]);
  });
  test.each(['Bearer s3cr3t-t0ken', 'hunter22'])('a literal %j is', value => {
    expect(isPlaceholder(value)).toBe(false);
    expect(secretErrors(pod('X-Api-Token', value))).toEqual([`SW-SECRET-002 ${header}`]);
  });
});

describe('AUTH settings are not credentials (SW-ENV-003)', () => {
  const env = (name: string, value: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: a}\nspec:\n  containers:\n    - name: c\n      image: a/b:1\n      env: [{name: ${name}, value: ${JSON.stringify(value)}}]\n`;
  test.each([['GF_AUTH_ANONYMOUS_ORG_ROLE', 'Admin'], ['AUTH_ROLES', 'viewer,editor'], ['OAUTH_STRATEGY', 'oidc']])('%s=%s: a role or a mode', (name, value) => {
    expect(secretNameReason(name)).toBeUndefined();
    expect(secretErrors(env(name, value))).toEqual([]);
  });
  test.each([['GF_SECURITY_ADMIN_PASSWORD', 'admin'], ['REDIS_AUTH', 's3cr3t'], ['BASIC_AUTH', 'user:pass']])('%s with a literal value is still an error', (name, value) => {
    expect(secretErrors(env(name, value))).toEqual(['SW-ENV-003 spec.containers[0].env[0].value']);
  });
});

test('private keys and tokens in literals are still caught', () => {
  const pem = ['-----BEGIN ', 'PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----'].join('');
  expect(secretErrors(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\ndata:\n  key.pem: ${JSON.stringify(pem)}\n  app.ini: "[db]\\npassword = hunter22hunter"\n`)).toEqual(['SW-SECRET-002 data.key.pem', 'SW-SECRET-002 data.app.ini']);
});
