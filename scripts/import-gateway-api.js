#!/usr/bin/env node
/**
 * Regenerates imports/gateway-api.ts, the Gateway API L1 classes, offline, from the CRD files of
 * ../shared/crds/gateway-api-v1.6.1/ (standard channel): Gateway, GatewayClass, HTTPRoute,
 * GRPCRoute and ReferenceGrant, served version v1 only (the v1beta1 versions are left out so the
 * module holds one class per kind). Usage: `node scripts/import-gateway-api.js [crd-dir]`.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const yaml = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const CRD_DIR = path.resolve(process.argv[2] ?? path.join(ROOT, '..', 'shared', 'crds', 'gateway-api-v1.6.1'));
const KINDS = ['gateways', 'gatewayclasses', 'httproutes', 'grpcroutes', 'referencegrants'];
const VERSION = 'v1';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-api-import-'));
try {
  const docs = KINDS.map(kind => {
    const crd = yaml.parse(fs.readFileSync(path.join(CRD_DIR, `${kind}.yaml`), 'utf8'));
    crd.spec.versions = crd.spec.versions.filter(v => v.name === VERSION);
    if (crd.spec.versions.length !== 1) throw new Error(`${kind}.yaml has no version ${VERSION}`);
    return yaml.stringify(crd);
  });
  fs.writeFileSync(path.join(work, 'gateway-api.yaml'), docs.join('---\n'));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', 'gateway-api.yaml', '--language', 'typescript', '--output', 'imports'], {
    cwd: work, stdio: 'inherit', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  // The file-wide eslint-disable below makes the generator's per-line directives redundant (eslint warns on those).
  const generated = fs.readFileSync(path.join(work, 'imports', 'gateway.networking.k8s.io.ts'), 'utf8').replace(/^[ \t]*(\/\/ eslint-disable-next-line.*|\/\* eslint-(disable|enable) [^*]*\*\/)\n/gm, '');
  const bundle = yaml.parse(fs.readFileSync(path.join(CRD_DIR, `${KINDS[0]}.yaml`), 'utf8')).metadata.annotations['gateway.networking.k8s.io/bundle-version'];
  const header = [
    `// Gateway API ${bundle} (standard channel) L1 classes, version ${VERSION}: ${KINDS.join(', ')}.`,
    '//',
    '// Generated with `cdk8s import` from the local CRD files, offline; never edit by hand.',
    '// Regenerate: node scripts/import-gateway-api.js [../shared/crds/gateway-api-v1.6.1]',
    '/* eslint-disable */',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'imports', 'gateway-api.ts'), header + generated);
  console.log(`wrote imports/gateway-api.ts (${generated.length} characters) from ${CRD_DIR}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
