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
} as const;
