import { admissionPolicies } from '../src/admission/policies';
import { audit } from '../src/audit/engine';
import { KubernetesTarget } from '../src/target/target';
import { normaliseVersion } from '../src/target/versions';
import { goodPodSpec, MUTATIONS, wrap } from './support/admission-fixtures';
import { ApiServer, startApiServer } from './support/apiserver';
import { resolveResource } from './support/apply';
import { whenEnvtestAssets } from './support/envtest';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The generated policies on a real kube-apiserver: created (their CEL compiled by the server
 * itself), then every fixture of the differential test sent as a Deployment and as a Pod with
 * dryRun=All into an unlabelled namespace (the production profile): the server refuses exactly
 * the objects the audit finds an error in, with the rule's id in its answer. Servers before 1.30
 * need the v1beta1 feature gate, which the harness does not set: they are skipped with a line.
 */

const NAMESPACE = 'sw-admission';

/** Mutations the server's own validation refuses before admission (procMount needs user namespaces). */
const REFUSED_BY_VALIDATION = new Set(['procMount Unmasked']);

async function send(server: ApiServer, object: any): Promise<{ status: number; message: string }> {
  const resource = await resolveResource(server, object.apiVersion, object.kind);
  const group = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const res = await server.request('POST', `${group}/namespaces/${NAMESPACE}/${resource.name}?dryRun=All`, JSON.stringify({ ...object, metadata: { ...object.metadata, namespace: NAMESPACE } }));
  let message = '';
  try {
    message = (JSON.parse(res.body) as { message?: string }).message ?? '';
  } catch {
    message = res.body;
  }
  return { status: res.status, message };
}

whenEnvtestAssets('admission policies on the API server', assets => {
  for (const a of assets) {
    const run = a.minor >= 30 ? describe : describe.skip;
    if (a.minor < 30) process.stderr.write(`admission policies on ${a.version}: skipped, v1beta1 needs --feature-gates=ValidatingAdmissionPolicy=true, which the harness does not set\n`);
    run(`kube-apiserver ${a.version}`, () => {
      let server: ApiServer;
      beforeAll(async () => {
        server = await startApiServer(a.dir);
        const version = normaliseVersion(`1.${a.minor}`) ?? '1.35';
        const target = KubernetesTarget.version(version);
        expect((await server.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }))).status).toBe(201);
        for (const o of admissionPolicies(target) as any[]) {
          const plural = o.kind === 'ValidatingAdmissionPolicy' ? 'validatingadmissionpolicies' : 'validatingadmissionpolicybindings';
          const res = await server.request('POST', `/apis/${o.apiVersion}/${plural}`, JSON.stringify(o));
          if (res.status !== 201) throw new Error(`${o.kind} ${o.metadata.name}: ${res.status} ${res.body}`);
        }
        // Policies take effect once the server's informers have them: wait for a known denial.
        const privileged = goodPodSpec();
        privileged.containers[0].securityContext.privileged = true;
        for (let i = 0; i < 60; i++) {
          if ((await send(server, wrap('Deployment', privileged))).status === 422) return;
          await new Promise(r => setTimeout(r, 500));
        }
        throw new Error('the policies never took effect');
      }, 180_000);
      afterAll(async () => server?.stop());

      test('every mutation as a Deployment and a Pod: refused exactly when the audit finds an error', async () => {
        const disagreements: string[] = [];
        for (const m of MUTATIONS.filter(x => !REFUSED_BY_VALIDATION.has(x.name))) {
          for (const kind of ['Deployment', 'Pod']) {
            const spec = goodPodSpec();
            m.apply(spec, spec.containers[0]);
            const object = wrap(kind, spec);
            const errors = audit([{ object }]).filter(f => f.severity === 'error' && f.waived === undefined && (f.rule.id.startsWith('SW-SEC-') || ['SW-RES-004', 'SW-IMAGE-001', 'SW-VOL-002', 'SW-SCHED-002', 'SW-VOL-003'].includes(f.rule.id)));
            const answer = await send(server, object);
            const refused = answer.status === 422 || answer.status === 403;
            if (refused !== errors.length > 0 || (refused && !errors.some(f => answer.message.includes(f.rule.id)))) {
              disagreements.push(`${m.name} (${kind}): server ${answer.status} ${answer.message.slice(0, 200)}; audit ${errors.map(f => f.rule.id).join(', ') || 'none'}`);
            }
          }
        }
        expect(disagreements).toEqual([]);
      }, 600_000);
    });
  }
});
