/**
 * The Kubernetes minors seaworthy renders for, and their upstream support windows.
 *
 * End-of-life dates are upstream's (kubernetes.io/releases): a minor is supported for about
 * 14 months after its release. Managed services (EKS, GKE, AKS) support minors longer, with
 * extended-support fees, which is why seaworthy still renders for them.
 */

/** A Kubernetes minor seaworthy can render for, as "1.NN". */
export type KubernetesVersion = '1.28' | '1.29' | '1.30' | '1.31' | '1.32' | '1.33' | '1.34' | '1.35' | '1.36';

/** Every supported target, oldest first. */
export const SUPPORTED_VERSIONS: readonly KubernetesVersion[] = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'];

/**
 * The target when none is set: 1.35, the oldest minor still in upstream support at this release
 * (December 2026; upstream supports 1.35–1.37) and one every major managed service offers in
 * standard support. Output for it runs on any cluster of 1.35 or newer. It has native sidecars
 * and the preStop sleep action.
 */
export const DEFAULT_VERSION: KubernetesVersion = '1.35';

/** Upstream end of life (end of patch releases) of each minor, as an ISO date. */
export const END_OF_LIFE: Readonly<Record<KubernetesVersion, string>> = {
  '1.28': '2024-10-28',
  '1.29': '2025-02-28',
  '1.30': '2025-06-28',
  '1.31': '2025-10-28',
  '1.32': '2026-02-28',
  '1.33': '2026-06-28',
  '1.34': '2026-10-27',
  '1.35': '2027-02-28',
  '1.36': '2027-06-28',
};

/** The minor number of a version ("1.35" → 35). */
export function minorOf(version: KubernetesVersion): number {
  return Number(version.slice(2));
}

/** Why `value` is not a supported target, or undefined when it is one. */
export function versionProblem(value: unknown): string | undefined {
  const range = `${SUPPORTED_VERSIONS[0]} to ${SUPPORTED_VERSIONS[SUPPORTED_VERSIONS.length - 1]}`;
  if (typeof value !== 'string') return `must be a Kubernetes minor as a string, "${range.replace(' to ', '" to "')}"`;
  if ((SUPPORTED_VERSIONS as readonly string[]).includes(value)) return undefined;
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(value);
  if (m && m[1] === '1' && (SUPPORTED_VERSIONS as readonly string[]).includes(`1.${Number(m[2])}`)) {
    return `must be written as the minor alone, "1.${Number(m[2])}"`;
  }
  return `is not a supported Kubernetes minor: seaworthy renders for ${range}`;
}

/**
 * Whether `value` is a supported target exactly as `KubernetesVersion` spells it ("1.35"): a type
 * guard for strings read at run time. "v1.35" and "1.35.2" are not (use
 * `KubernetesTarget.parseVersion()` to accept and normalise them).
 *
 * @example
 * const v = process.env.K8S_VERSION;
 * if (v !== undefined && isKubernetesVersion(v)) KubernetesTarget.set(app, v);
 */
export function isKubernetesVersion(value: unknown): value is KubernetesVersion {
  return typeof value === 'string' && (SUPPORTED_VERSIONS as readonly string[]).includes(value);
}

/** Normalises "v1.35", "1.35.6" or "1.35" to a supported version, or undefined. */
export function normaliseVersion(value: string): KubernetesVersion | undefined {
  const m = /^v?1\.(\d+)(?:\.\d+)?$/.exec(value.trim());
  const v = m ? `1.${Number(m[1])}` : undefined;
  return v !== undefined && (SUPPORTED_VERSIONS as readonly string[]).includes(v) ? v as KubernetesVersion : undefined;
}
