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
  PROPS_UNKNOWN: rule({
    id: 'SW-PROPS-002',
    title: 'Props are ones the construct declares',
    severity: Severity.ERROR,
    rationale: 'A misspelt prop ("replica" for "replicas") from plain JavaScript or a generator is ignored silently, and the default it meant to change ships.',
    fix: 'use the prop name the construct declares (the message names the closest one), or remove it',
    kinds: [],
    see: 'https://github.com/seaworthy-dev/seaworthy#each-construct-and-the-yaml-it-produces',
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
  GITOPS_EMPTY_SOURCE: rule({
    id: 'SW-GITOPS-001',
    title: 'Argo CD Applications point at folders with manifests',
    severity: Severity.ERROR,
    rationale: 'An automated, pruning Application whose source folder is empty deletes everything it deployed.',
    fix: 'make the environment render at least one object, or do not generate an Application for it',
    kinds: [],
    see: 'https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/#automatic-pruning',
  }),
  ENVIRONMENT_INVALID: rule({
    id: 'SW-GITOPS-002',
    title: 'Environments have unique DNS-label names',
    severity: Severity.ERROR,
    rationale: 'Environment names become folder and Application names; duplicates would overwrite each other.',
    fix: 'give each environment a unique lowercase name such as "dev", "staging", "prod"',
    kinds: [],
    see: 'https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/',
  }),
  ARGOCD_NAME_INVALID: rule({
    id: 'SW-GITOPS-003',
    title: 'Argo CD application names, projects and repository paths are valid',
    severity: Severity.ERROR,
    rationale: 'The application name becomes a file name and an object name, the path a folder Argo CD reads; "/", "..", NUL, control or non-ASCII characters write outside the output directory or produce Applications the API server rejects.',
    fix: 'use lowercase DNS-1123 labels for appName, project and namespace, and a relative path such as "dist"',
    kinds: [],
    see: 'https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/',
  }),
} as const;
