/** Types of scripts/envtest-assets.js (plain node, so CI can run it without a build). */

/** `$SEAWORTHY_SHARED_DIR`, else `../shared` next to the repository. */
export function sharedDir(): string;
/** The versions the shared folder holds (`1.28.15`, …), oldest first. */
export function availableVersions(shared?: string): string[];
/** Uncompresses each version's kube-apiserver and etcd (when not up to date) and returns the asset folders. */
export function prepareAssets(versions?: readonly string[], shared?: string, cache?: string): string[];
