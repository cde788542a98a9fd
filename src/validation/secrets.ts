/** Names of environment variables that conventionally hold credentials. */
const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;

/** Whether an env var named `name` looks like it holds a credential (and so must come from a Secret). */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}
