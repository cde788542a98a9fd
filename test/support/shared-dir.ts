import * as path from 'path';

/**
 * The shared material the tests read in place (schemas, CRDs, third-party YAML):
 * `$SEAWORTHY_SHARED_DIR`, else `../shared` next to the repository.
 */
export function sharedDir(): string {
  return path.resolve(path.join(__dirname, '..', '..'), process.env.SEAWORTHY_SHARED_DIR || path.join('..', 'shared'));
}
