import { ApiObject } from 'cdk8s';
import { wrapRendering } from '../synth/fast-render';

/**
 * What the Job controller does when a Pod failure matches a `PodFailureRule`.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
 */
export enum PodFailureAction {
  /** Mark the whole Job failed and stop its running Pods (a bug no retry will fix). */
  FAIL_JOB = 'FailJob',
  /** Mark only this Pod's index failed (Indexed Jobs with `backoffLimitPerIndex`). */
  FAIL_INDEX = 'FailIndex',
  /** Do not count the failure toward `backoffLimit`; a replacement Pod is created. */
  IGNORE = 'Ignore',
  /** Count the failure toward `backoffLimit` (the default handling, stated explicitly). */
  COUNT = 'Count',
}

/** How a Job's completions are counted. */
export enum CompletionMode {
  /** Any `completions` successful Pods complete the Job. */
  NON_INDEXED = 'NonIndexed',
  /** Each Pod gets an index 0 … completions-1 (`JOB_COMPLETION_INDEX`); each index must succeed once. */
  INDEXED = 'Indexed',
}

/** When the Job controller creates a replacement for a failing Pod. */
export enum PodReplacementPolicy {
  /** Only once the old Pod has fully terminated: never two Pods of one index at once. */
  FAILED = 'Failed',
  /** As soon as the old Pod starts terminating (the Kubernetes default without a podFailurePolicy). */
  TERMINATING_OR_FAILED = 'TerminatingOrFailed',
}

/** Options of a `PodFailureRule` matching exit codes. */
export interface ExitCodeRuleOptions {
  /**
   * Only exit codes of this container (an app or init container of the Pod) match.
   * @default - any container's exit code matches
   */
  readonly container?: string;
}

/**
 * One rule of a Job's pod failure policy: which Pod failures (exit codes or a Pod condition) lead
 * to which action. Rules are evaluated in order; the first match wins.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/#pod-failure-policy
 */
export class PodFailureRule {
  /**
   * A container exiting with one of `codes` (1–255; 0 means success and cannot be listed) triggers `action`.
   * E.g. `PodFailureRule.exitCodes(PodFailureAction.FAIL_JOB, [42])` for a "bad input" exit code.
   */
  public static exitCodes(action: PodFailureAction, codes: number[], options: ExitCodeRuleOptions = {}): PodFailureRule {
    return new PodFailureRule(action, { operator: 'In', values: codes, container: options.container });
  }

  /** A container exiting with a non-zero code other than `codes` triggers `action`. */
  public static exitCodesOtherThan(action: PodFailureAction, codes: number[], options: ExitCodeRuleOptions = {}): PodFailureRule {
    return new PodFailureRule(action, { operator: 'NotIn', values: codes, container: options.container });
  }

  /**
   * A Pod failing with condition `type` (status True) triggers `action`, e.g. `DisruptionTarget`
   * (preempted, evicted by a drain or the taint manager) or `ConfigIssue`.
   */
  public static podCondition(action: PodFailureAction, type: string): PodFailureRule {
    return new PodFailureRule(action, undefined, type);
  }

  private constructor(
    /** The action. */
    public readonly action: PodFailureAction,
    /** The exit codes matched, for an exit-code rule. @internal */
    public readonly _exitCodes?: { readonly operator: 'In' | 'NotIn'; readonly values: readonly number[]; readonly container?: string },
    /** The Pod condition type matched, for a condition rule. */
    public readonly podConditionType?: string,
  ) {}

  /**
   * The rendered `podFailurePolicy.rules[]` entry, exit codes sorted as the API server requires.
   * An exit-code rule carries an empty `onPodConditions`: the 1.28 API requires the field on every
   * rule (optional from 1.29, where an empty list means the same as none). @internal
   */
  public _toKube(): JobPodFailurePolicyRule {
    if (this._exitCodes) {
      const values = Array.isArray(this._exitCodes.values) ? [...new Set(this._exitCodes.values)].sort((a, b) => a - b) : this._exitCodes.values as number[];
      return { action: this.action, onExitCodes: { containerName: this._exitCodes.container, operator: this._exitCodes.operator, values }, onPodConditions: [] };
    }
    return { action: this.action, onPodConditions: [{ type: this.podConditionType ?? '', status: 'True' }] };
  }
}

/** One rule of a Job's success policy: the Job succeeds early once it holds. */
export interface JobSuccessRule {
  /**
   * These indexes must all have succeeded (each below `completions`); e.g. `[0]` for a leader index.
   * @default - any indexes (then `succeededCount` is required)
   */
  readonly succeededIndexes?: number[];
  /**
   * At least this many indexes (of `succeededIndexes`, when given) must have succeeded.
   * @default - all of `succeededIndexes`
   */
  readonly succeededCount?: number;
}

/** A rendered pod failure policy rule (batch/v1 PodFailurePolicyRule). */
export interface JobPodFailurePolicyRule {
  readonly action: string;
  readonly onExitCodes?: { readonly containerName?: string; readonly operator: string; readonly values: number[] };
  readonly onPodConditions: Array<{ readonly type: string; readonly status: string }>;
}

/** The Job spec fields of the policies seaworthy renders (those cdk8s-plus-28's types lack included). */
export interface JobPolicyFields {
  readonly completionMode?: string;
  readonly backoffLimitPerIndex?: number;
  readonly maxFailedIndexes?: number;
  readonly podFailurePolicy?: { readonly rules: JobPodFailurePolicyRule[] };
  readonly podReplacementPolicy?: string;
  readonly successPolicy?: { readonly rules: Array<{ readonly succeededIndexes?: string; readonly succeededCount?: number }> };
}

/** "0-2,5,7-8" for [0, 1, 2, 5, 7, 8]: the API's compact list of indexes. @internal */
export function formatIndexes(indexes: readonly number[]): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j === i ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j;
  }
  return parts.join(',');
}

/**
 * Puts `successPolicy` into the Job spec at `jobSpecOf` of the rendered object: cdk8s-plus-28's
 * L1 classes know no successPolicy (Kubernetes 1.31+) and drop it when they render.
 * @internal
 */
export function addSuccessPolicy(apiObject: ApiObject, jobSpecOf: (json: Record<string, unknown>) => Record<string, unknown> | undefined, successPolicy: JobPolicyFields['successPolicy']): void {
  if (!successPolicy) return;
  wrapRendering(apiObject, render => {
    const json = render() as Record<string, unknown>;
    const spec = jobSpecOf(json);
    if (spec) spec.successPolicy = successPolicy;
    return json;
  });
}
