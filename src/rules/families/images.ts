import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the images family. */
export const ImagesRules = {
  IMAGE_NOT_PINNED: rule({
    id: 'SW-IMAGE-001',
    title: 'Images are pinned to a version tag or a digest',
    severity: Severity.ERROR,
    rationale: 'An image without a tag, or tagged "latest", changes under a running Deployment: two Pods of one ReplicaSet can run different code and a rollback restores nothing.',
    fix: 'pin the image to a version tag (e.g. "ghcr.io/acme/api:1.4.2") or a digest (e.g. "ghcr.io/acme/api@sha256:…")',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-names`,
  }),
  IMAGE_INVALID: rule({
    id: 'SW-IMAGE-002',
    title: 'Image references are well-formed',
    severity: Severity.ERROR,
    rationale: 'A malformed image reference leaves Pods in ErrImagePull / InvalidImageName.',
    fix: 'use the form "[registry/]repository[:tag][@sha256:<64 hex>]" with a lowercase repository and no whitespace',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-names`,
  }),
  PULL_POLICY_NEVER: rule({
    id: 'SW-IMAGE-004',
    title: 'Images may be pulled',
    severity: Severity.WARNING,
    rationale: 'With imagePullPolicy: Never the kubelet only uses an image already on the node: on any node without it the Pod stays in ErrImageNeverPull, and nothing pulls a new version.',
    fix: 'use IfNotPresent (digests) or Always (tags); keep Never only for images preloaded on every node, and waive the rule saying so',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-pull-policy`,
  }),
  PULL_POLICY_IMPLICIT: rule({
    id: 'SW-IMAGE-003',
    title: 'imagePullPolicy is set deliberately',
    severity: Severity.WARNING,
    rationale: 'The implicit pull policy depends on the tag (Always for :latest, else IfNotPresent), so the same manifest behaves differently when the tag changes.',
    fix: 'set imagePullPolicy: IfNotPresent for digests, Always for tags',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-pull-policy`,
  }),
} as const;
