import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the images family. */
export const ImagesRules = {
  IMAGE_NOT_PINNED: rule({
    id: 'SW-IMAGE-001',
    title: 'Images are pinned to a version tag or a digest',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    scanners: { checkov: ['CKV_K8S_14'], kubeLinter: ['latest-tag'], kubeScore: ['container-image-tag'], polaris: ['tagNotSpecified'] },
    rationale: 'An image without a tag, or tagged "latest", changes under a running Deployment: two Pods of one ReplicaSet can run different code and a rollback restores nothing.',
    fix: 'pin the image to a version tag (e.g. "ghcr.io/acme/api:1.4.2") or a digest (e.g. "ghcr.io/acme/api@sha256:…")',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-names`,
  }),
  IMAGE_INVALID: rule({
    id: 'SW-IMAGE-002',
    title: 'Image references are well-formed',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'A malformed image reference leaves Pods in ErrImagePull / InvalidImageName.',
    fix: 'use the form "[registry/]repository[:tag][@sha256:<64 hex>]" with a lowercase repository and no whitespace',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-names`,
  }),
  PULL_POLICY_NEVER: rule({
    id: 'SW-IMAGE-004',
    title: 'Images may be pulled',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With imagePullPolicy: Never the kubelet only uses an image already on the node: on any node without it the Pod stays in ErrImageNeverPull, and nothing pulls a new version.',
    fix: 'use IfNotPresent (digests) or Always (tags); keep Never only for images preloaded on every node, and waive the rule saying so',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-pull-policy`,
  }),
  PRIVATE_IMAGE_CACHED: rule({
    id: 'SW-IMAGE-005',
    title: 'Private images are pulled with their credentials every time',
    severity: Severity.WARNING,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'With IfNotPresent (the default for digests) the kubelet starts a container from a cached image without checking credentials, so once a Pod with imagePullSecrets has pulled a private image, any Pod on that node can run it without the secret (until the kubelet\'s KubeletEnsureSecretPulledImages check, alpha in 1.33, is on). Always makes the kubelet authenticate on every start; for a digest it only re-downloads layers it does not have.',
    fix: 'set imagePullPolicy: Always on containers of Pods that use imagePullSecrets (seaworthy\'s default when podOptions.imagePullSecrets is set)',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#ensureimagepullcredentialverification`,
  }),
  PULL_POLICY_IMPLICIT: rule({
    id: 'SW-IMAGE-003',
    title: 'imagePullPolicy is set deliberately',
    severity: Severity.WARNING,
    tier: 'availability',
    scope: 'object',
    wholeDeployment: false,
    scanners: { kubeScore: ['container-image-pull-policy'] },
    rationale: 'The implicit pull policy depends on the tag (Always for :latest, else IfNotPresent), so the same manifest behaves differently when the tag changes.',
    fix: 'set imagePullPolicy: IfNotPresent for digests, Always for tags and for any image pulled with imagePullSecrets',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/containers/images/#image-pull-policy`,
  }),
} as const;

/**
 * The pull policy seaworthy renders when none is given: IfNotPresent for digests (immutable),
 * Always for tags, and Always for any image of a Pod with imagePullSecrets (SW-IMAGE-005).
 */
export function defaultPullPolicy(digestPinned: boolean, pullSecrets: boolean): 'Always' | 'IfNotPresent' {
  return digestPinned && !pullSecrets ? 'IfNotPresent' : 'Always';
}

/** Why a container's (effective) pull policy lets Pods without the secret use a cached private image. */
export function cachedPrivateImageProblem(effectivePolicy: string | undefined, pullSecrets: boolean): string | undefined {
  return pullSecrets && effectivePolicy === 'IfNotPresent' ? 'is IfNotPresent while the Pod pulls with imagePullSecrets, so other Pods on the node can use the cached private image without them' : undefined;
}
