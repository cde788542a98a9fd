import { Rules } from '../../rules/catalog';
import { annotationSecretReason, isPlaceholder, MIN_SECRET_LENGTH, secretArgs, secretNameReason, secretValueReason } from '../../validation/secrets';
import { CheckContext, ObjectCheck } from '../check';
import { KubeObject } from '../kube';

/**
 * SW-SECRET-002 on manifests, with the one secret detector (src/validation/secrets.ts): values
 * shaped like credentials anywhere in any object (a Secret's own data is SW-SECRET-001), and
 * secret-looking names with literal values in ConfigMap data, annotations, container args and
 * probe or lifecycle HTTP headers. Values are never echoed.
 */
function secrets(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const reported = new Set<string>();
  const report = (field: string, problem: string) => {
    if (reported.has(field)) return;
    reported.add(field);
    r.report(Rules.SECRET_IN_MANIFEST, field, '(redacted)', problem);
  };
  // Names that say "credential" next to a literal value.
  const annotations = obj.metadata?.annotations;
  if (annotations && typeof annotations === 'object') {
    for (const [k, v] of Object.entries(annotations)) {
      const why = annotationSecretReason(k, v);
      if (why) report(`metadata.annotations.${k}`, `annotation "${k}" has a literal value and ${why}`);
    }
  }
  if (obj.kind === 'ConfigMap') {
    for (const field of ['data', 'binaryData']) {
      const data = obj[field];
      if (!data || typeof data !== 'object') continue;
      for (const [k, v] of Object.entries(data)) {
        const why = typeof v === 'string' && v.length > 0 ? secretNameReason(k) : undefined;
        if (why) report(`${field}.${k}`, `ConfigMap key "${k}" has a literal value and ${why}`);
      }
    }
  }
  // Values shaped like credentials, anywhere (iterative, each shared subtree once). A value's
  // path is spelled out only when it is reported or names a list the checks read (args,
  // command, httpHeaders): this walk visits every value of every object.
  if (obj.kind === 'Secret') return;
  const seen = new Set<object>();
  const stack: Step[] = [{ value: obj, parent: undefined, key: '' }];
  while (stack.length > 0) {
    const step = stack.pop()!;
    const v = step.value;
    if (typeof v === 'string') {
      const why = secretValueReason(v);
      if (why) report(pathOf(step), why);
      continue;
    }
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      const key = step.key;
      if (typeof key === 'string' && (key.endsWith('args') || key.endsWith('command') || key.endsWith('httpHeaders'))) {
        const at = pathOf(step);
        if (/(^|\.)(args|command)$/.test(at)) {
          for (const [i, why] of secretArgs(v)) report(`${at}[${i}]`, why);
        }
        if (/\.httpHeaders$/.test(at)) {
          v.forEach((h: KubeObject, i: number) => {
            const why = typeof h?.name === 'string' && typeof h?.value === 'string' && !isPlaceholder(h.value) ? (/^(proxy-)?authorization$/i.test(h.name) ? 'it is an Authorization header' : secretNameReason(h.name)) : undefined;
            if (why) report(`${at}[${i}].value`, `HTTP header "${h.name}" has a literal value and ${why}`);
          });
        }
      }
      for (let i = v.length - 1; i >= 0; i--) if (mayReport(v[i])) stack.push({ value: v[i], parent: step, key: i });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const child = (v as Record<string, unknown>)[keys[i]];
        if (mayReport(child)) stack.push({ value: child, parent: step, key: keys[i] });
      }
    }
  }
}

/**
 * Whether the walk of `secrets` needs to visit `value`: objects and arrays, and strings long
 * enough for `secretValueReason` to read (shorter ones, numbers, booleans and nulls report
 * nothing, so they are not stacked: most values of an object are such).
 */
function mayReport(value: unknown): boolean {
  return typeof value === 'string' ? value.length >= MIN_SECRET_LENGTH : value !== null && typeof value === 'object';
}

/** A value met by the walk of `secrets`: its parent's step and its key there (the object's own step has none). */
interface Step {
  readonly value: unknown;
  readonly parent: Step | undefined;
  readonly key: string | number;
}

/** The field path of a step: `a.b[2].c`. */
function pathOf(step: Step): string {
  if (step.parent === undefined) return '';
  const at = pathOf(step.parent);
  if (typeof step.key === 'number') return `${at}[${step.key}]`;
  return at ? `${at}.${step.key}` : step.key;
}

/** The secret checks. */
export const SECRET_CHECKS: ObjectCheck[] = [{ rules: [Rules.SECRET_IN_MANIFEST], run: secrets }];
