import { IConstruct } from 'constructs';
import { Rule, Severity } from './rule';

/**
 * How strictly the rules apply. `production` (the default) uses each rule's own severity;
 * `staging` turns availability and capacity rules into warnings; `development` keeps only
 * the rules whose violation breaks the manifest or the Pod outright.
 */
export enum Profile {
  /** Each rule's own severity. */
  PRODUCTION = 'production',
  /** Availability and capacity rules are warnings. */
  STAGING = 'staging',
  /** Only correctness rules; hardening and availability rules are off. */
  DEVELOPMENT = 'development',
}

/**
 * The severity of `rule` under `profile`, or undefined when the rule is off: production uses the
 * rule's own severity; availability rules are warnings under staging and off under development;
 * hardening rules keep their severity under staging and are warnings under development.
 */
export function severityUnder(rule: Rule, profile: Profile): Severity | undefined {
  if (profile === Profile.PRODUCTION || rule.tier === 'correctness') return rule.severity;
  if (rule.tier === 'availability') return profile === Profile.STAGING ? downgrade(rule.severity) : undefined;
  return profile === Profile.STAGING ? rule.severity : downgrade(rule.severity);
}

/**
 * The effective severity of a violation of `rule`: its severity under `profile`, or info when the
 * violation is waived (`waiver` is the waiver's reason); undefined when the profile turns the rule
 * off, waived or not. The one grading function of construct findings, the audit, `Findings.of(app)`
 * and the diff.
 */
export function grade(rule: Rule, profile: Profile, waiver?: string): Severity | undefined {
  const severity = severityUnder(rule, profile);
  if (severity === undefined) return undefined;
  return waiver === undefined ? severity : Severity.INFO;
}

function downgrade(s: Severity): Severity {
  return s === Severity.ERROR ? Severity.WARNING : s;
}

/**
 * The namespace label naming the profile of a namespace (`production`, `staging`, `development`):
 * Tenants put it on their Namespace, and the admission policies' bindings pick the profile by it.
 */
export const PROFILE_LABEL = 'seaworthy.dev/profile';

const PROFILES = new WeakMap<IConstruct, Profile>();

/** Profiles set on an App, a Chart or any construct, inherited by everything below it. */
export class Profiles {
  /** Sets the profile of `scope` and everything constructed below it. */
  public static set(scope: IConstruct, profile: Profile): void {
    PROFILES.set(scope, profile);
  }

  /** The profile in force at `scope`: its own, else its nearest ancestor's, else production. */
  public static of(scope: IConstruct): Profile {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      const p = PROFILES.get(c);
      if (p) return p;
    }
    return Profile.PRODUCTION;
  }

  private constructor() {}
}
