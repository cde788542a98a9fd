import { mutatingPolicies } from '../src/admission/mutating';
import { admissionPolicies } from '../src/admission/policies';
import { Feature } from '../src/target/capabilities';
import { KubernetesTarget } from '../src/target/target';
import { normaliseVersion } from '../src/target/versions';
import { goodPodSpec, wrap } from './support/admission-fixtures';
import { ApiServer, startApiServer } from './support/apiserver';
import { whenEnvtestAssets } from './support/envtest';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The mutating policies on a real kube-apiserver: created beside the validating policies of their
 * rules (the server compiles their CEL and apply configurations), then objects sent with
 * dryRun=All into an unlabelled namespace. An object missing the defaults comes back with them
 * and is admitted; an object with a value set (or waived) comes back as it was sent. Servers
 * whose MutatingAdmissionPolicy is beta need a feature gate the harness does not set: they are
 * skipped with a line.
 */

const NAMESPACE = 'sw-mutating';
const RULES = ['SW-SEC-009', 'SW-SEC-011'];

async function send(server: ApiServer, object: any): Promise<{ status: number; body: any }> {
  const group = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const plural = `${object.kind.toLowerCase()}s`;
  const res = await server.request('POST', `${group}/namespaces/${NAMESPACE}/${plural}?dryRun=All`, JSON.stringify({ ...object, metadata: { ...object.metadata, namespace: NAMESPACE } }));
  let body: any = res.body;
  try {
    body = JSON.parse(res.body);
  } catch {
    // the raw text
  }
  return { status: res.status, body };
}

const spec = (change: (s: any, c: any) => void) => {
  const s = goodPodSpec();
  change(s, s.containers[0]);
  return s;
};
const unset = (s: any, c: any) => {
  delete s.securityContext.seccompProfile;
  delete c.securityContext.allowPrivilegeEscalation;
};

whenEnvtestAssets('mutating admission policies on the API server', assets => {
  for (const a of assets) {
    const target = KubernetesTarget.version(normaliseVersion(`1.${a.minor}`) ?? '1.35');
    const run = target.has(Feature.MUTATING_ADMISSION_POLICY) ? describe : describe.skip;
    if (!target.has(Feature.MUTATING_ADMISSION_POLICY)) process.stderr.write(`mutating admission policies on ${a.version}: skipped, not served as v1 without a feature gate the harness does not set\n`);
    run(`kube-apiserver ${a.version}`, () => {
      let server: ApiServer;
      beforeAll(async () => {
        server = await startApiServer(a.dir);
        expect((await server.request('POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }))).status).toBe(201);
        const plurals: Record<string, string> = {
          ValidatingAdmissionPolicy: 'validatingadmissionpolicies', ValidatingAdmissionPolicyBinding: 'validatingadmissionpolicybindings',
          MutatingAdmissionPolicy: 'mutatingadmissionpolicies', MutatingAdmissionPolicyBinding: 'mutatingadmissionpolicybindings',
        };
        for (const o of [...admissionPolicies(target, { rules: RULES }), ...mutatingPolicies(target)] as any[]) {
          const res = await server.request('POST', `/apis/${o.apiVersion}/${plurals[o.kind]}`, JSON.stringify(o));
          if (res.status !== 201) throw new Error(`${o.kind} ${o.metadata.name}: ${res.status} ${res.body}`);
        }
        // Policies take effect once the server's informers have them: wait for a mutated answer.
        for (let i = 0; i < 60; i++) {
          const answer = await send(server, wrap('Deployment', spec(unset)));
          if (answer.status === 201 && answer.body.spec?.template?.spec?.securityContext?.seccompProfile?.type === 'RuntimeDefault') return;
          await new Promise(r => setTimeout(r, 500));
        }
        throw new Error('the mutating policies never took effect');
      }, 180_000);
      afterAll(async () => server?.stop());

      test('a Deployment and a Pod without the defaults get them and are admitted', async () => {
        for (const kind of ['Deployment', 'Pod']) {
          const answer = await send(server, wrap(kind, spec(unset)));
          expect(answer.status).toBe(201);
          const podSpec = kind === 'Pod' ? answer.body.spec : answer.body.spec.template.spec;
          expect(podSpec.securityContext.seccompProfile).toEqual({ type: 'RuntimeDefault' });
          expect(podSpec.containers[0].securityContext.allowPrivilegeEscalation).toBe(false);
          expect(podSpec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
        }
      });

      test('set values are kept (and judged); a waived object is left alone', async () => {
        const unconfined = await send(server, wrap('Deployment', spec((s, c) => { s.securityContext.seccompProfile = { type: 'Unconfined' }; delete c.securityContext.allowPrivilegeEscalation; })));
        expect(unconfined.status).toBe(422);
        // allowPrivilegeEscalation was filled in, so SW-SEC-009 alone refuses it.
        expect(String(unconfined.body.message)).toContain('SW-SEC-009');
        expect(String(unconfined.body.message)).not.toContain('SW-SEC-011');
        const waivers = { 'waiver.seaworthy.dev/SW-SEC-009': 'runs strace', 'waiver.seaworthy.dev/SW-SEC-011': 'sudo in the image' };
        const waived = await send(server, wrap('Deployment', spec(unset), waivers));
        expect(waived.status).toBe(201);
        expect(waived.body.spec.template.spec.securityContext.seccompProfile).toBeUndefined();
        expect(waived.body.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation).toBeUndefined();
      });
    });
  }
});
