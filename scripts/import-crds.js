#!/usr/bin/env node
/**
 * Regenerates the L1 classes of the third-party CRDs seaworthy emits besides the Gateway API
 * (see import-gateway-api.js), offline, with `cdk8s import` from the CRD files under
 * ../shared/crds/ (read in place, never copied into the repository):
 *
 * - imports/prometheus-operator.ts: ServiceMonitor, PodMonitor and PrometheusRule
 *   (monitoring.coreos.com/v1), from ../shared/crds/prometheus-operator/;
 * - imports/flux.ts: Kustomization (kustomize.toolkit.fluxcd.io/v1), from ../shared/crds/flux/;
 * - imports/vpa.ts: VerticalPodAutoscaler (autoscaling.k8s.io/v1), from
 *   ../shared/crds/vertical-pod-autoscaler/ (its checkpoints are the recommender's internal state,
 *   never written by an app, so that file's other CRD is left out).
 *
 * Only the version seaworthy writes is imported, so each module holds one class per kind.
 *
 * Usage: `node scripts/import-crds.js [crds-dir]` (default ../shared/crds).
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const yaml = require('yaml');

const ROOT = path.resolve(__dirname, '..');
const CRDS = path.resolve(process.argv[2] ?? path.join(ROOT, '..', 'shared', 'crds'));

const SETS = [
  {
    out: 'prometheus-operator.ts', folder: 'prometheus-operator', group: 'monitoring.coreos.com', version: 'v1',
    files: ['0servicemonitorCustomResourceDefinition.yaml', '0podmonitorCustomResourceDefinition.yaml', '0prometheusruleCustomResourceDefinition.yaml'],
    title: crd => `Prometheus Operator ${crd.metadata.annotations['operator.prometheus.io/version']}`,
  },
  {
    out: 'flux.ts', folder: 'flux', group: 'kustomize.toolkit.fluxcd.io', version: 'v1',
    files: ['kustomize.toolkit.fluxcd.io_kustomizations.yaml'],
    title: () => 'Flux kustomize-controller',
  },
  {
    out: 'vpa.ts', folder: 'vertical-pod-autoscaler', group: 'autoscaling.k8s.io', version: 'v1',
    files: ['vpa-v1-crd-gen.yaml'], names: ['verticalpodautoscalers.autoscaling.k8s.io'],
    title: () => 'Vertical Pod Autoscaler',
  },
];

for (const set of SETS) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `${set.folder}-import-`));
  try {
    const crds = set.files
      .flatMap(f => yaml.parseAllDocuments(fs.readFileSync(path.join(CRDS, set.folder, f), 'utf8')).map(d => d.toJS()))
      .filter(c => c?.kind === 'CustomResourceDefinition' && (!set.names || set.names.includes(c.metadata.name)));
    if (crds.length !== (set.names ?? set.files).length) throw new Error(`${set.folder}: expected ${(set.names ?? set.files).join(', ')}`);
    for (const crd of crds) {
      crd.spec.versions = crd.spec.versions.filter(v => v.name === set.version);
      if (crd.spec.versions.length !== 1) throw new Error(`${crd.metadata.name} has no version ${set.version}`);
    }
    fs.writeFileSync(path.join(work, 'crds.yaml'), crds.map(c => yaml.stringify(c)).join('---\n'));
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', 'crds.yaml', '--language', 'typescript', '--output', 'imports'], {
      cwd: work, stdio: 'inherit', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
    });
    // The file-wide eslint-disable below makes the generator's per-line directives redundant (eslint warns on those).
    const generated = fs.readFileSync(path.join(work, 'imports', `${set.group}.ts`), 'utf8').replace(/^[ \t]*(\/\/ eslint-disable-next-line.*|\/\* eslint-(disable|enable) [^*]*\*\/)\n/gm, '');
    const kinds = crds.map(c => c.spec.names.kind).join(', ');
    const header = [
      `// ${set.title(crds[0])} L1 classes, ${set.group}/${set.version}: ${kinds}.`,
      '//',
      '// Generated with `cdk8s import` from the local CRD files, offline; never edit by hand.',
      `// Regenerate: node scripts/import-crds.js [../shared/crds] (reads ${set.folder}/)`,
      '/* eslint-disable */',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(ROOT, 'imports', set.out), header + generated);
    console.log(`wrote imports/${set.out} (${generated.length} characters) from ${path.join(CRDS, set.folder)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
