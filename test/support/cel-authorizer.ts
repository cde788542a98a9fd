import { celMethod, CelScalar } from '@bufbuild/cel';

/**
 * The Kubernetes CEL authorizer library (`authorizer.group(g).resource(r).namespace(ns)
 * .name(n).check(verb).allowed()`), offline: the chain builds a request, and `allowed()` asks
 * the requester the test gives (`withRequester`). The values are strings standing for the
 * library's Authorizer, GroupCheck, ResourceCheck and Decision types; only the calls the
 * generated policies make are provided.
 */

/** One authorization question, as a SubjectAccessReview would ask it. */
export interface AuthzCheck {
  readonly group: string;
  readonly resource: string;
  /** '' for a cluster-wide check. */
  readonly namespace: string;
  readonly name: string;
  readonly verb: string;
}

/** Who sends the request to the API server, and what they may do. */
export interface Requester {
  readonly username: string;
  /** What the requester is allowed. @default nothing */
  readonly may?: (check: AuthzCheck) => boolean;
}

/** The value of the `authorizer` variable. */
export const AUTHORIZER = 'authz';

let current: Requester = { username: 'alice' };

/** Runs `f` with `requester` answering the authorizer's checks. */
export function withRequester<T>(requester: Requester, f: () => T): T {
  const before = current;
  current = requester;
  try {
    return f();
  } finally {
    current = before;
  }
}

const SEP = '\u0000';
function parts(s: string): AuthzCheck & { readonly kind: string } {
  const [kind, group = '', resource = '', namespace = '', name = '', verb = ''] = s.split(SEP);
  return { kind, group, resource, namespace, name, verb };
}
function encode(c: AuthzCheck & { readonly kind: string }): string {
  return [c.kind, c.group, c.resource, c.namespace, c.name, c.verb].join(SEP);
}
function step(expected: string, next: string, set: (c: AuthzCheck & { readonly kind: string }, v: string) => AuthzCheck & { readonly kind: string }) {
  return function (this: string, v: string): string {
    const c = parts(this);
    if (c.kind !== expected) throw new Error(`authorizer: ${next} called on ${c.kind}`);
    return encode({ ...set(c, v), kind: next });
  };
}

/** The authorizer calls, for the CEL environment. */
export const AUTHZ_CEL_FUNCS = [
  celMethod('group', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, step(AUTHORIZER, 'groupCheck', (c, group) => ({ ...c, group }))),
  celMethod('resource', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, step('groupCheck', 'resourceCheck', (c, resource) => ({ ...c, resource }))),
  celMethod('namespace', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, step('resourceCheck', 'resourceCheck', (c, namespace) => ({ ...c, namespace }))),
  celMethod('name', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, step('resourceCheck', 'resourceCheck', (c, name) => ({ ...c, name }))),
  celMethod('check', CelScalar.STRING, [CelScalar.STRING], CelScalar.STRING, step('resourceCheck', 'decision', (c, verb) => ({ ...c, verb }))),
  celMethod('allowed', CelScalar.STRING, [], CelScalar.BOOL, function (this: string) {
    const c = parts(this);
    if (c.kind !== 'decision') throw new Error(`authorizer: allowed() called on ${c.kind}`);
    const { kind: _kind, ...check } = c;
    return current.may?.(check) === true;
  }),
];

/** The `request` variable of an admission request by the current requester in `namespace`. */
export function requestOf(namespace: string): Record<string, unknown> {
  return { userInfo: { username: current.username }, namespace };
}
