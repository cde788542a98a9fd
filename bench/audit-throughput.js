'use strict';
// seaworthy audit throughput: objects per second over 10,000 objects (the reference shapes of
// `npm run bench`, repeated), median of `reps` runs of the CLI's load + audit path in memory.
const { performance } = require('perf_hooks');
const { App, Chart, Size, Yaml } = require('cdk8s');
const kplus = require('cdk8s-plus-28');
const sw = require('../lib/src');
const { parseManifests } = require('../lib/src/cli/load');

function manifests(services) {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'bench', { namespace: 'bench' });
  for (let i = 0; i < services; i++) {
    new sw.WebService(chart, `svc${i}`, {
      name: `svc-${i}`, image: `ghcr.io/acme/svc-${i}:1.0.${i}`, port: 8080,
      size: { cpu: kplus.Cpu.millis(250), memory: Size.mebibytes(256) },
      replicas: i % 2 === 0 ? undefined : 3, autoscaling: i % 2 === 0 ? { minReplicas: 3, maxReplicas: 6 } : undefined,
      readiness: sw.Probe.http('/ready'), liveness: sw.Probe.http('/healthz'), allowFrom: [sw.Peer.namespace('ingress-nginx')],
    });
  }
  return Yaml.stringify(...chart.toJson());
}

/** Median objects per second of parse + audit of 10,000 objects. */
exports.objectsPerSecond = function objectsPerSecond(reps = 3) {
  const text = manifests(Math.ceil(10000 / 5.5));
  const rates = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const { inputs } = parseManifests('bench.yaml', text);
    sw.audit(inputs);
    const s = (performance.now() - t0) / 1000;
    rates.push(inputs.length / s);
  }
  return rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)];
};

if (require.main === module) {
  console.log(`audit: ${exports.objectsPerSecond(Number(process.env.BENCH_REPS || 3)).toFixed(0)} objects/s`);
}
