#!/usr/bin/env node
'use strict';
/**
 * Prepares envtest asset folders (kube-apiserver + etcd, the layout `setup-envtest` produces)
 * from the gzip-compressed copies in `$SEAWORTHY_SHARED_DIR/envtest/k8s/<ver>-linux-amd64/`
 * (default `../shared`), uncompressed into `node_modules/.cache/envtest/<ver>-linux-amd64/`.
 * Skips a binary that is already up to date. Prints the value for `SEAWORTHY_ENVTEST_ASSETS`
 * (the folders, `:`-separated) on stdout.
 *
 *   node scripts/envtest-assets.js                 # every version the shared folder holds
 *   node scripts/envtest-assets.js 1.28.15 1.35.6  # just these
 *
 * Plain node, no dependencies: the jest suite's globalSetup requires it too.
 */
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.resolve(__dirname, '..');
const BINARIES = ['kube-apiserver', 'etcd'];

/** `$SEAWORTHY_SHARED_DIR`, else `../shared` next to the repository. */
function sharedDir() {
  return path.resolve(ROOT, process.env.SEAWORTHY_SHARED_DIR || path.join('..', 'shared'));
}

/** The versions the shared folder holds (`1.28.15`, …), oldest first. */
function availableVersions(shared = sharedDir()) {
  const dir = path.join(shared, 'envtest', 'k8s');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir)
    .map(name => /^(\d+\.\d+\.\d+)-linux-amd64$/.exec(name))
    .filter(Boolean)
    .map(m => m[1])
    .sort((a, b) => a.split('.').map(Number).reduce((d, n, i) => d || n - Number(b.split('.')[i]), 0));
}

/**
 * Uncompresses each version's binaries (when missing or older than the source) and returns the
 * asset folders. Writes through a temporary file and a rename, so a concurrent reader never
 * sees a half-written binary.
 */
function prepareAssets(versions, shared = sharedDir(), cache = path.join(ROOT, 'node_modules', '.cache', 'envtest')) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the envtest binaries in ${shared}/envtest are for linux-amd64, not ${process.platform}-${process.arch}; use setup-envtest (setup-envtest use -p path 1.35.x)`);
  }
  const wanted = versions && versions.length > 0 ? versions : availableVersions(shared);
  if (wanted.length === 0) throw new Error(`no envtest versions in ${path.join(shared, 'envtest', 'k8s')}`);
  return wanted.map(version => {
    const name = `${version}-linux-amd64`;
    const from = path.join(shared, 'envtest', 'k8s', name);
    const to = path.join(cache, name);
    fs.mkdirSync(to, { recursive: true });
    for (const binary of BINARIES) {
      const source = path.join(from, `${binary}.gz`);
      if (!fs.existsSync(source)) throw new Error(`${source} does not exist (versions there: ${availableVersions(shared).join(', ') || 'none'})`);
      const target = path.join(to, binary);
      if (fs.existsSync(target) && fs.statSync(target).mtimeMs >= fs.statSync(source).mtimeMs) continue;
      const tmp = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, zlib.gunzipSync(fs.readFileSync(source)), { mode: 0o755 });
      fs.chmodSync(tmp, 0o755);
      fs.renameSync(tmp, target);
    }
    return to;
  });
}

module.exports = { availableVersions, prepareAssets, sharedDir };

if (require.main === module) {
  try {
    process.stdout.write(`${prepareAssets(process.argv.slice(2)).join(path.delimiter)}\n`);
  } catch (e) {
    process.stderr.write(`envtest-assets: ${e.message}\n`);
    process.exit(1);
  }
}
