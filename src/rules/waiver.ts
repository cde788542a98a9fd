import { compareCodeUnits } from '../util/compare';

/** Options of `Waiver.of()`. */
export interface WaiverOptions {
  /**
   * Waive the rule for this container of the Pod only (e.g. an init container that must run as
   * root), instead of the whole construct. Privileges given to one init container
   * (`initContainers[].security`) are waived only by a waiver naming it.
   * @default - the whole construct
   */
  readonly container?: string;
}

/**
 * A recorded, reasoned exception to one rule for one construct: the finding is kept (as info,
 * marked waived) instead of stopping synthesis, and the waiver is rendered into the output as
 * the `seaworthy.dev/waivers` annotation so every later audit sees it.
 */
export class Waiver {
  /**
   * Waives rule `ruleId` (e.g. "SW-SEC-004") for the construct it is given to, or for one of its
   * containers (`{ container: 'fix-perms' }`); `reason` is required.
   */
  public static of(ruleId: string, reason: string, options: WaiverOptions = {}): Waiver {
    return new Waiver(ruleId, reason, options?.container);
  }

  private constructor(
    /** The waived rule's id. */
    public readonly ruleId: string,
    /** Why the rule does not apply here; rendered into the output. */
    public readonly reason: string,
    /** The container the waiver is limited to, if any. */
    public readonly container?: string,
  ) {}
}

/** The annotation carrying a construct's waivers, as a JSON list of `{ rule, reason }` (plus `container` for one limited to a container). */
export const WAIVERS_ANNOTATION = 'seaworthy.dev/waivers';

/**
 * The prefix of the one-annotation-per-rule form of a waiver, `waiver.seaworthy.dev/<RULE-ID>:
 * <reason>`, which admission policies read (CEL cannot parse the JSON list).
 */
export const WAIVER_ANNOTATION_PREFIX = 'waiver.seaworthy.dev/';

/**
 * What joins a container name and a rule id in the container-scoped form,
 * `<container>.waiver.seaworthy.dev/<RULE-ID>: <reason>` (a container name is a DNS label, so the
 * key is always a valid annotation key).
 */
export const CONTAINER_WAIVER_INFIX = `.${WAIVER_ANNOTATION_PREFIX}`;

/** The annotation key of a waiver of `ruleId`, for `container` only when given. */
export function waiverAnnotationKey(ruleId: string, container?: string): string {
  return container === undefined ? `${WAIVER_ANNOTATION_PREFIX}${ruleId}` : `${container}${CONTAINER_WAIVER_INFIX}${ruleId}`;
}

/**
 * The annotations for `waivers`: the JSON list (`seaworthy.dev/waivers`) and, beside it, one
 * annotation per waiver (`waiver.seaworthy.dev/<RULE-ID>`, `<container>.waiver.seaworthy.dev/<RULE-ID>`);
 * empty when there are none.
 */
export function waiversAnnotation(waivers: readonly Waiver[]): Record<string, string> {
  if (waivers.length === 0) return {};
  const perRule = Object.fromEntries([...waivers].map(w => [waiverAnnotationKey(w.ruleId, w.container), w.reason] as const)
    .sort((a, b) => compareCodeUnits(a[0], b[0])));
  return { [WAIVERS_ANNOTATION]: jsonList(waivers), ...perRule };
}

function jsonList(waivers: readonly Waiver[]): string {
  const list = [...waivers].sort((a, b) => compareCodeUnits(a.ruleId, b.ruleId) || compareCodeUnits(a.container ?? '', b.container ?? ''))
    .map(w => (w.container === undefined ? { rule: w.ruleId, reason: w.reason } : { rule: w.ruleId, reason: w.reason, container: w.container }));
  return JSON.stringify(list);
}
