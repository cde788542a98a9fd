import { Rule } from './rule';
import { ApiVersionRules } from './families/api-versions';
import { AutoscalingRules } from './families/autoscaling';
import { AvailabilityRules } from './families/availability';
import { BatchRules } from './families/batch';
import { ConfigRules } from './families/config';
import { ContainersRules } from './families/containers';
import { DiffRules } from './families/diff';
import { EnvRules } from './families/env';
import { FrontDoorRules } from './families/front-doors';
import { HooksRules } from './families/hooks';
import { IdentityRules } from './families/identity';
import { ImagesRules } from './families/images';
import { LabelsRules } from './families/labels';
import { LifecycleRules } from './families/lifecycle';
import { MetaRules } from './families/meta';
import { MonitoringRules } from './families/monitoring';
import { NamespaceRules } from './families/namespace';
import { NetworkRules } from './families/network';
import { OutputRules } from './families/output';
import { PriorityRules } from './families/priority';
import { PodSecurityRules } from './families/pod-security';
import { PodRules } from './families/pods';
import { ProbesRules } from './families/probes';
import { ResourcesRules } from './families/resources';
import { RolloutRules } from './families/rollout';
import { SchedulingRules } from './families/scheduling';
import { SecurityRules } from './families/security';
import { StatefulsetRules } from './families/statefulset';
import { StorageRules } from './families/storage';
import { SysctlRules } from './families/sysctls';
import { TargetRules } from './families/target';
import { TracksRules } from './families/tracks';
import { VerticalScalingRules } from './families/vertical-scaling';

/**
 * Every rule, by stable key: one module per family under `families/`, merged here. Constructs
 * report violations by referring to these objects, and the audit engine runs the object-level
 * checks registered for them, so the id, severity and fix text live in exactly one place.
 */
export const Rules = {
  ...ApiVersionRules,
  ...AutoscalingRules,
  ...AvailabilityRules,
  ...BatchRules,
  ...ConfigRules,
  ...ContainersRules,
  ...DiffRules,
  ...EnvRules,
  ...FrontDoorRules,
  ...HooksRules,
  ...IdentityRules,
  ...ImagesRules,
  ...LabelsRules,
  ...LifecycleRules,
  ...MetaRules,
  ...MonitoringRules,
  ...NamespaceRules,
  ...NetworkRules,
  ...OutputRules,
  ...PriorityRules,
  ...PodRules,
  ...PodSecurityRules,
  ...ProbesRules,
  ...ResourcesRules,
  ...RolloutRules,
  ...SchedulingRules,
  ...SecurityRules,
  ...StatefulsetRules,
  ...StorageRules,
  ...SysctlRules,
  ...TargetRules,
  ...TracksRules,
  ...VerticalScalingRules,
} as const;

/** The rules, keyed by id. */
export const RULES_BY_ID: ReadonlyMap<string, Rule> = new Map(Object.values(Rules).map(r => [r.id, r]));

/** The rule ids (the ids a waiver may name). */
export const RULE_IDS: ReadonlySet<string> = new Set(RULES_BY_ID.keys());
