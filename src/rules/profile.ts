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

/** Rule id prefixes that are about availability and capacity, not correctness. */
const AVAILABILITY = ['SW-PDB-', 'SW-REPLICAS-002', 'SW-SPREAD-002', 'SW-HPA-001', 'SW-RES-002', 'SW-RES-005', 'SW-PROBE-005', 'SW-PROBE-006', 'SW-PROBE-007', 'SW-ROLLOUT-003', 'SW-NS-002', 'SW-NS-005', 'SW-NETPOL-002', 'SW-NETPOL-003', 'SW-INGRESS-002', 'SW-CRON-003', 'SW-CRON-004', 'SW-JOB-002', 'SW-JOB-003', 'SW-LABEL-002', 'SW-IMAGE-003', 'SW-SA-001', 'SW-DIFF-021', 'SW-DIFF-030', 'SW-DIFF-031', 'SW-DIFF-032', 'SW-DIFF-033', 'SW-DIFF-034', 'SW-DIFF-035', 'SW-JOB-005', 'SW-VPA-003', 'SW-VPA-005'];
/** Hardening rules that development clusters may skip. */
const HARDENING = ['SW-SEC-003', 'SW-SEC-012', 'SW-RES-004', 'SW-PROBE-001', 'SW-ENV-003', 'SW-NS-004', 'SW-SVC-004', 'SW-VPA-002'];

const matches = (id: string, list: readonly string[]) => list.some(p => id === p || (p.endsWith('-') && id.startsWith(p)));

/** The severity of `rule` under `profile`, or undefined when the rule is off. */
export function severityUnder(rule: Rule, profile: Profile): Severity | undefined {
  if (profile === Profile.PRODUCTION) return rule.severity;
  if (matches(rule.id, AVAILABILITY)) return profile === Profile.STAGING ? downgrade(rule.severity) : undefined;
  if (matches(rule.id, HARDENING)) return profile === Profile.STAGING ? rule.severity : downgrade(rule.severity);
  return rule.severity;
}

function downgrade(s: Severity): Severity {
  return s === Severity.ERROR ? Severity.WARNING : s;
}

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
