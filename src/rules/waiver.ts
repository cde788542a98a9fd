import { compareCodeUnits } from '../util/compare';

/**
 * A recorded, reasoned exception to one rule for one construct: the finding is kept (as info,
 * marked waived) instead of stopping synthesis, and the waiver is rendered into the output as
 * the `seaworthy.dev/waivers` annotation so every later audit sees it.
 */
export class Waiver {
  /** Waives rule `ruleId` (e.g. "SW-SEC-004") for the construct it is given to; `reason` is required. */
  public static of(ruleId: string, reason: string): Waiver {
    return new Waiver(ruleId, reason);
  }

  private constructor(
    /** The waived rule's id. */
    public readonly ruleId: string,
    /** Why the rule does not apply here; rendered into the output. */
    public readonly reason: string,
  ) {}
}

/** The annotation carrying a construct's waivers, as a JSON list of `{ rule, reason }`. */
export const WAIVERS_ANNOTATION = 'seaworthy.dev/waivers';

/** The annotation value for `waivers`, or undefined when there are none. */
export function waiversAnnotation(waivers: readonly Waiver[]): Record<string, string> {
  if (waivers.length === 0) return {};
  const list = [...waivers].sort((a, b) => compareCodeUnits(a.ruleId, b.ruleId)).map(w => ({ rule: w.ruleId, reason: w.reason }));
  return { [WAIVERS_ANNOTATION]: JSON.stringify(list) };
}
