/**
 * The admission request the offline evaluators bind as `request`: who sends it (by default a
 * user, `alice`), the operation and the namespace; set the sender for one evaluation with
 * `withRequester`.
 */

/** Who sends the request to the API server. */
export interface Requester {
  readonly username: string;
}

let current: Requester = { username: 'alice' };

/** Runs `f` with `requester` sending the requests it evaluates. */
export function withRequester<T>(requester: Requester, f: () => T): T {
  const before = current;
  current = requester;
  try {
    return f();
  } finally {
    current = before;
  }
}

/** The `request` variable of an admission request by the current requester. */
export function requestOf(operation: string, namespace: string): Record<string, unknown> {
  return { userInfo: { username: current.username }, operation, namespace };
}
