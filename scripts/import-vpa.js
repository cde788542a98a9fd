#!/usr/bin/env node
/**
 * Regenerates imports/vpa.ts, the VerticalPodAutoscaler L1 class, offline, from the CRD file of
 * ../shared/crds/vertical-pod-autoscaler/ (`vpa-v1-crd-gen.yaml`, read in place): the
 * VerticalPodAutoscaler kind only (its checkpoints are the recommender's internal state, never
 * written by an app), served version v1 only (v1beta2 is neither served nor stored).
 * Usage: `node scripts/import-vpa.js [crd-dir]`.
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const yaml = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const CRD_DIR = path.resolve(process.argv[2] ?? path.join(ROOT, '..', 'shared', 'crds', 'vertical-pod-autoscaler'));
const FILE = 'vpa-v1-crd-gen.yaml';
const CRD_NAME = 'verticalpodautoscalers.autoscaling.k8s.io';
const VERSION = 'v1';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vpa-import-'));
try {
  const crd = yaml.parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, FILE), 'utf8')).map(d => d.toJS()).find(d => d?.metadata?.name === CRD_NAME);
  if (!crd) throw new Error(`${FILE} defines no ${CRD_NAME}`);
  crd.spec.versions = crd.spec.versions.filter(v => v.name === VERSION);
  if (crd.spec.versions.length !== 1) throw new Error(`${CRD_NAME} has no version ${VERSION}`);
  fs.writeFileSync(path.join(work, 'vpa.yaml'), yaml.stringify(crd));
  execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', 'vpa.yaml', '--language', 'typescript', '--output', 'imports'], {
    cwd: work, stdio: 'inherit', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
  // The file-wide eslint-disable below makes the generator's per-line directives redundant (eslint warns on those).
  const generated = fs.readFileSync(path.join(work, 'imports', 'autoscaling.k8s.io.ts'), 'utf8').replace(/^[ \t]*(\/\/ eslint-disable-next-line.*|\/\* eslint-(disable|enable) [^*]*\*\/)\n/gm, '');
  const header = [
    `// Vertical Pod Autoscaler L1 class, version ${VERSION}: VerticalPodAutoscaler (autoscaling.k8s.io).`,
    '//',
    `// Generated with \`cdk8s import\` from the local CRD file (${FILE}, kubernetes/autoscaler; see its SOURCES.md), offline; never edit by hand.`,
    '// Regenerate: node scripts/import-vpa.js [../shared/crds/vertical-pod-autoscaler]',
    '/* eslint-disable */',
    '',
  ].join('\n');
  fs.writeFileSync(path.join(ROOT, 'imports', 'vpa.ts'), header + generated);
  console.log(`wrote imports/vpa.ts (${generated.length} characters) from ${CRD_DIR}`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
