/**
 * Container image references: parsing, pinning and the version they carry.
 */

/** The parts of an image reference. */
export interface ImageReference {
  /** Registry host and repository path, e.g. `ghcr.io/acme/api`. */
  readonly repository: string;
  /** The tag, when given, e.g. `1.4.2`. */
  readonly tag?: string;
  /** The digest, when given, e.g. `sha256:…`. */
  readonly digest?: string;
}

const REPO_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$|^sha512:[a-f0-9]{128}$/;

/** Parses a reference the way container runtimes do; undefined when it is malformed. */
export function parseImage(image: string): ImageReference | undefined {
  if (image.length === 0 || /\s/.test(image)) return undefined;
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  const first = parts[0];
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost && !HOST.test(first)) return undefined;
  const path = hasHost ? parts.slice(1) : parts;
  if (path.length === 0 || !path.every(p => REPO_COMPONENT.test(p))) return undefined;
  return { repository: rest, tag, digest };
}

/** Whether the reference names one immutable build: a digest, or a tag other than `latest`. */
export function isPinned(ref: ImageReference): boolean {
  return ref.digest !== undefined || (ref.tag !== undefined && ref.tag !== 'latest');
}

/**
 * The version an image carries, usable as a label value: its tag, else the first 12 hex digits
 * of its digest. Undefined when neither gives a valid label value.
 */
export function imageVersion(ref: ImageReference): string | undefined {
  const candidate = ref.tag ?? (ref.digest ? ref.digest.split(':')[1].slice(0, 12) : undefined);
  if (candidate === undefined) return undefined;
  const trimmed = candidate.slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return trimmed.length > 0 ? trimmed : undefined;
}
