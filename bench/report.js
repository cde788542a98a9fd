'use strict';
// seaworthy report: size and generation time of the HTML page for N WebServices (default 1000)
// in one namespace: every tenth is reached from ingress-nginx, and each calls up to four others
// (a call tree a few levels deep, both sides' NetworkPolicies open), as real platforms are wired.
// Prints one line per phase; `node bench/report.js 100` for a quick look. Build first (npm run build).
const { performance } = require('perf_hooks');
const { App, Chart, Size, Yaml } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const sw = require('../lib/src');
const { parseManifests } = require('../lib/src/cli/load');

function manifests(services) {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  const all = [];
  for (let i = 0; i < services; i++) {
    all.push(new sw.WebService(chart, `svc${i}`, {
      name: `svc-${i}`, image: `ghcr.io/acme/svc-${i}:1.0.${i}`, port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: i % 2 === 0 ? undefined : 3, autoscaling: i % 2 === 0 ? { minReplicas: 3, maxReplicas: 6 } : undefined,
      readiness: sw.Probe.http('/ready'), liveness: sw.Probe.http('/healthz'), allowFrom: i % 10 === 0 ? [sw.Peer.namespace('ingress-nginx')] : [],
    }));
    if (i > 0) all[i].allowFrom(all[Math.floor((i - 1) / 4)]);
  }
  return Yaml.stringify(...chart.toJson());
}

async function main() {
  const n = Number(process.argv[2] || 1000);
  const text = manifests(n);
  const { inputs } = parseManifests('bench.yaml', text);
  const t0 = performance.now();
  const html = await sw.explainReport(inputs);
  const ms = performance.now() - t0;
  console.log(`report: ${n} services, ${inputs.length} objects → ${(Buffer.byteLength(html) / 2 ** 20).toFixed(2)} MiB HTML in ${(ms / 1000).toFixed(1)} s`);
}

main().catch(e => { console.error(e); process.exitCode = 1; });
