import { ALL_KINDS, defineRule as rule, Severity } from '../rule';

/** Rules of the meta family. */
export const MetaRules = {
  PROPS_INVALID: rule({
    id: 'SW-PROPS-001',
    title: 'Props have the documented types',
    severity: Severity.ERROR,
    rationale: 'Callers from plain JavaScript (or YAML-driven generators) can pass values of the wrong type; they must fail with a clear message instead of a TypeError or a silently wrong manifest.',
    fix: 'pass the value with the type the prop documents',
    kinds: [],
    see: 'https://cdk8s.io/docs/latest/',
  }),
  WAIVER_INVALID: rule({
    id: 'SW-WAIVER-001',
    title: 'Waivers name a known rule and give a reason',
    severity: Severity.ERROR,
    rationale: 'A waiver without a reason cannot be reviewed, and one naming an unknown rule silently waives nothing.',
    fix: 'use Waiver.of("<rule id from the catalog>", "<why the rule does not apply here>")',
    kinds: ALL_KINDS,
    see: 'https://github.com/seaworthy-dev/seaworthy#rules',
  }),
} as const;
