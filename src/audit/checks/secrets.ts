import { Rules } from '../../rules/catalog';
import { annotationSecretReason, isPlaceholder, secretArgs, secretNameReason, secretValueReason } from '../../validation/secrets';
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
  // Values shaped like credentials, anywhere (iterative, each shared subtree once).
  if (obj.kind === 'Secret') return;
  const seen = new Set<object>();
  const stack: Array<[unknown, string]> = [[obj, '']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      const why = secretValueReason(v);
      if (why) report(at, why);
      continue;
    }
    if (!v || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      if (/(^|\.)(args|command)$/.test(at)) {
        for (const [i, why] of secretArgs(v)) report(`${at}[${i}]`, why);
      }
      if (/\.httpHeaders$/.test(at)) {
        v.forEach((h: KubeObject, i: number) => {
          const why = typeof h?.name === 'string' && typeof h?.value === 'string' && !isPlaceholder(h.value) ? (/^(proxy-)?authorization$/i.test(h.name) ? 'it is an Authorization header' : secretNameReason(h.name)) : undefined;
          if (why) report(`${at}[${i}].value`, `HTTP header "${h.name}" has a literal value and ${why}`);
        });
      }
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}[${i}]`]);
    } else {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i][1], at ? `${at}.${entries[i][0]}` : entries[i][0]]);
    }
  }
}

/** The secret checks. */
export const SECRET_CHECKS: ObjectCheck[] = [{ rules: [Rules.SECRET_IN_MANIFEST], run: secrets }];
