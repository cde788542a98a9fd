import { defineRule as rule, Severity, ALL_KINDS, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the labels family. */
export const LabelsRules = {
  NAME_INVALID: rule({
    id: 'SW-NAME-001',
    title: 'Object names are valid (DNS-1035 labels for Services, DNS-1123 subdomains otherwise)',
    severity: Severity.ERROR,
    rationale: 'Service names must be DNS-1035 labels (lowercase alphanumerics and "-", starting with a letter, at most 63 characters) and most other objects DNS-1123 subdomains (lowercase alphanumerics, "-" and ".", at most 253 characters); the API server rejects anything else at apply time.',
    fix: 'use a name such as "api" or "checkout-web": lowercase letters, digits and "-", starting with a letter and ending with a letter or digit, at most 63 characters',
    kinds: ALL_KINDS,
    see: `${K8S}/concepts/overview/working-with-objects/names/#rfc-1035-label-names`,
  }),
  LABEL_VALUE_INVALID: rule({
    id: 'SW-LABEL-001',
    title: 'Label values are valid',
    severity: Severity.ERROR,
    rationale: 'Label values longer than 63 characters or with characters other than alphanumerics, "-", "_" and "." are rejected by the API server.',
    fix: 'use at most 63 characters: alphanumerics, "-", "_" or ".", beginning and ending with an alphanumeric',
    kinds: ALL_KINDS,
    see: `${K8S}/concepts/overview/working-with-objects/labels/#syntax-and-character-set`,
  }),
  RECOMMENDED_LABELS: rule({
    id: 'SW-LABEL-002',
    title: 'Workloads carry the recommended labels',
    severity: Severity.INFO,
    rationale: 'app.kubernetes.io/name and instance let tools, dashboards and people find every object of an app.',
    fix: 'add app.kubernetes.io/name and app.kubernetes.io/instance (and version, component, part-of, managed-by)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/overview/working-with-objects/common-labels/`,
  }),
  LABEL_KEY_INVALID: rule({
    id: 'SW-LABEL-003',
    title: 'Label and annotation keys are valid',
    severity: Severity.ERROR,
    rationale: 'A label or annotation key is an optional DNS-subdomain prefix (at most 253 characters) and "/", then a name of 1 to 63 alphanumerics, "-", "_" or ".", beginning and ending with an alphanumeric; the API server rejects any other key, and with it the whole object.',
    fix: 'use a key such as "team" or "example.com/team"',
    kinds: ALL_KINDS,
    see: `${K8S}/concepts/overview/working-with-objects/labels/#syntax-and-character-set`,
  }),
  LABEL_RESERVED: rule({
    id: 'SW-LABEL-004',
    title: 'Labels and annotations of your own leave the keys seaworthy sets alone',
    severity: Severity.ERROR,
    rationale: 'seaworthy sets the app.kubernetes.io/* labels (two of them are the selectors, which are immutable), the seaworthy.dev/* labels and annotations (release track, waivers, config hash), the a8r.io ownership annotations and, for a "metrics" port, the prometheus.io/* scrape annotations; a key of your own with the same name would silently overwrite them, or be overwritten.',
    fix: 'use the prop that sets the key (instance, component, partOf, version, owner, description, metricsPath, addCanary), or a key under a prefix of your own',
    kinds: [],
    see: `${K8S}/concepts/overview/working-with-objects/common-labels/`,
  }),
  ANNOTATIONS_TOO_LARGE: rule({
    id: 'SW-LABEL-005',
    title: 'Annotations of one object stay under 256 KiB',
    severity: Severity.ERROR,
    rationale: 'The API server rejects an object whose annotations (keys and values together) exceed 256 KiB.',
    fix: 'keep large data in a ConfigMap and reference it from a short annotation',
    kinds: ALL_KINDS,
    see: `${K8S}/concepts/overview/working-with-objects/annotations/#syntax-and-character-set`,
  }),
} as const;
