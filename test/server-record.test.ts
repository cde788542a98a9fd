import { Chart, Testing } from 'cdk8s';
import * as jsyaml from 'js-yaml';
import { audit, KubernetesTarget, KubernetesVersion, PodSecurityLevel, Probe, synthesize, Tenant, WebService } from '../src';
import { EXAMPLES } from '../src/construct-examples';
import { podSecurityViolations } from '../src/rules/families/pod-security';
import { CAPABILITIES } from '../src/target/capabilities';
import { SMALL } from './support/fixtures';
import { buildBarePods, buildJobPolicies, buildRootInitContainer } from './support/job-and-pod-sets';
import { pssRestrictedViolations } from './support/pod-checks';
import { GATED_FIELDS, LAST_SERVER_RUN, podSpecsOf, PSS_PROBE_HOST_SINCE, PSS_SAFE_SYSCTLS, recordedSafeSysctls, REFUSED_UPDATES } from './support/server-record';
import { KubeObject } from './support/synth';

/**
 * What only the API-server suites used to catch, checked offline against the answers the servers
 * gave last time (test/support/server-record.ts): the capability table's first minors, the fields
 * each minor's server refuses or silently drops, and Pod Security's safe sysctls and probe hosts
 * per policy version. Each test fails when one condition of the code is changed on its own.
 */

const MINORS = KubernetesTarget.SUPPORTED_VERSIONS.map(v => Number(v.split('.')[1]));
const version = (minor: number) => `1.${minor}` as KubernetesVersion;

describe(`the record of the last real-server run (${LAST_SERVER_RUN.date}, ${LAST_SERVER_RUN.servers.join(' and ')})`, () => {
  test('the capability table opens each feature at the minor whose API server first keeps its field', () => {
    const wrong = GATED_FIELDS.filter(g => CAPABILITIES[g.feature].since !== g.keptFrom)
      .map(g => `${g.feature}: capability since 1.${CAPABILITIES[g.feature].since}, but ${g.field} is kept from 1.${g.keptFrom} (${g.source})`);
    for (const s of PSS_SAFE_SYSCTLS) {
      if (s.feature && CAPABILITIES[s.feature].since !== s.since) wrong.push(`${s.feature}: capability since 1.${CAPABILITIES[s.feature].since}, but Pod Security allows ${s.names.join(', ')} from 1.${s.since}`);
    }
    if (CAPABILITIES[PSS_PROBE_HOST_SINCE.feature].since !== PSS_PROBE_HOST_SINCE.since) wrong.push(`${PSS_PROBE_HOST_SINCE.feature}: capability since 1.${CAPABILITIES[PSS_PROBE_HOST_SINCE.feature].since}, the control exists from 1.${PSS_PROBE_HOST_SINCE.since}`);
    for (const r of REFUSED_UPDATES) {
      const since = CAPABILITIES[r.feature].since;
      if (!(since > r.refusedOn && since <= r.acceptedOn)) wrong.push(`${r.feature}: capability since 1.${since}, but the 1.${r.refusedOn} server refused ${r.change} and the 1.${r.acceptedOn} server accepted it`);
    }
    expect(wrong).toEqual([]);
  });

  test('every target\'s safe sysctls are the ones its Pod Security policy version allows', () => {
    const wrong = MINORS.flatMap(minor => {
      const ours = [...KubernetesTarget.of(targetApp(minor)).safeSysctls].sort();
      const recorded = [...recordedSafeSysctls(minor)].sort();
      return JSON.stringify(ours) === JSON.stringify(recorded) ? [] : [`1.${minor}: ${ours.join(',')} vs recorded ${recorded.join(',')}`];
    });
    expect(wrong).toEqual([]);
  });
});

function targetApp(minor: number) {
  const app = Testing.app();
  KubernetesTarget.set(app, version(minor));
  return app;
}

/** Everything the API-server suite rendered for each server's own minor, rendered for `minor`. */
function renderedFor(minor: number): KubeObject[] {
  const builds: Array<(app: ReturnType<typeof targetApp>) => void> = [
    app => EXAMPLES.forEach((e, i) => e.build(new Chart(app, `example-${i}`, { namespace: `demo-${i}` }))),
    buildJobPolicies, buildBarePods, buildRootInitContainer,
  ];
  return builds.flatMap(build => {
    const app = targetApp(minor);
    build(app);
    return synthesize(app).flatMap(m => jsyaml.loadAll(m.yaml) as KubeObject[]).filter(o => o);
  });
}

describe('no target\'s output carries a field its API server refuses or drops', () => {
  const rendered = new Map(MINORS.map(minor => [minor, renderedFor(minor)]));

  test.each(MINORS)('1.%s', minor => {
    const objects = rendered.get(minor)!;
    const early = GATED_FIELDS.filter(g => g.keptFrom > minor);
    const found = objects.flatMap(o => early.filter(g => g.setIn(o)).map(g => `${o.kind}/${o.metadata?.name}: ${g.field} (kept only from 1.${g.keptFrom}: ${g.source})`));
    expect(found).toEqual([]);
  });

  test('from the minor that keeps it, seaworthy does use each field it renders (so the check above is not vacuous)', () => {
    const rendersIt = GATED_FIELDS.filter(g => !g.field.includes('appArmorProfile'));
    const unused = rendersIt.flatMap(g => MINORS.filter(m => m >= g.keptFrom).filter(m => !rendered.get(m)!.some(o => g.setIn(o))).map(m => `1.${m}: ${g.field}`));
    expect(unused).toEqual([]);
  });
});

describe('the audit judges a gated field as the servers did', () => {
  const pod = (spec: KubeObject): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec });
  const container = { name: 'app', image: 'ghcr.io/acme/app:1.0.0' };
  const job = (spec: KubeObject): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', namespace: 'ns' }, spec: { completionMode: 'Indexed', completions: 3, parallelism: 1, ...spec, template: { spec: { restartPolicy: 'Never', containers: [container] } } } });
  const samples: Record<string, KubeObject> = {
    'Job spec.backoffLimitPerIndex': job({ backoffLimitPerIndex: 1 }),
    'Job spec.maxFailedIndexes': job({ backoffLimitPerIndex: 1, maxFailedIndexes: 1 }),
    'Job spec.podReplacementPolicy': job({ podReplacementPolicy: 'Failed' }),
    'Job spec.successPolicy': job({ successPolicy: { rules: [{ succeededIndexes: '0' }] } }),
    'securityContext.appArmorProfile': pod({ securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [container] }),
    'lifecycle.preStop.sleep / postStart.sleep': pod({ containers: [{ ...container, lifecycle: { preStop: { sleep: { seconds: 5 } } } }] }),
  };
  const mentions = (minor: number, obj: KubeObject, field: string) => audit([{ object: obj }], { kubernetesVersion: version(minor) })
    .filter(f => f.rule.id.startsWith('SW-TARGET-') && f.field.includes(field));

  test.each(Object.keys(samples))('%s: flagged on every minor whose server refuses or drops it, never on the others', name => {
    const gated = GATED_FIELDS.find(g => g.field === name)!;
    expect(gated.setIn(samples[name])).toBe(true);
    const leaf = name.startsWith('Job spec.') ? name.slice('Job spec.'.length) : name.includes('sleep') ? 'sleep' : 'appArmorProfile';
    const wrong = MINORS.flatMap(minor => {
      const flagged = mentions(minor, samples[name], leaf).length > 0;
      return flagged === (minor < gated.keptFrom) ? [] : [`1.${minor}: ${flagged ? 'flagged, but the server keeps it' : `not flagged, but the 1.${minor} server refuses or drops it`}`];
    });
    expect(wrong).toEqual([]);
  });
});

describe('Pod Security per policy version, as the servers admitted it', () => {
  const SMALL_WEB = { image: 'ghcr.io/acme/web:1.0.0', port: 8080, size: SMALL, readiness: Probe.http('/ready') };
  const gated = PSS_SAFE_SYSCTLS.filter(s => s.since > 28).flatMap(s => s.names.map(name => ({ name, since: s.since })));

  test.each(gated)('sysctl $name: a restricted workload may set it from 1.$since, and is refused before', ({ name, since }) => {
    const wrong = MINORS.flatMap(minor => {
      const app = targetApp(minor);
      const tenant = new Tenant(app, 'shop', { name: 'shop', podSecurity: PodSecurityLevel.RESTRICTED });
      let error: string | undefined;
      try {
        new WebService(tenant, 'web', { ...SMALL_WEB, name: 'web', security: { sysctls: { [name]: name.endsWith('mem') ? '4096 87380 6291456' : '30' } } });
      } catch (e) {
        error = (e as Error).message;
      }
      const admitted = minor >= since;
      if (admitted && error) return [`1.${minor}: refused, but Pod Security ${minor} admits it: ${error.split('\n')[0]}`];
      if (!admitted && !error) return [`1.${minor}: synthesized, but Pod Security ${minor} rejects it`];
      if (!admitted && !/SW-SEC-013/.test(error!)) return [`1.${minor}: refused for another reason: ${error}`];
      // The independent check of the tests agrees.
      const spec = { securityContext: { sysctls: [{ name, value: '30' }] }, containers: [] };
      const independent = pssRestrictedViolations(spec, 'pod', minor).length === 0;
      const audited = podSecurityViolations(spec, 'baseline', KubernetesTarget.of(app)).length === 0;
      return independent === admitted && audited === admitted ? [] : [`1.${minor}: independent check ${independent}, audit ${audited}, recorded ${admitted}`];
    });
    expect(wrong).toEqual([]);
  });

  test(`a probe host other than the Pod's own: the audit says "baseline" rejects the Pod from 1.${PSS_PROBE_HOST_SINCE.since} (${PSS_PROBE_HOST_SINCE.source})`, () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'app', image: 'ghcr.io/acme/app:1.0.0', readinessProbe: { httpGet: { host: '10.0.0.7', path: '/ready', port: 8080 } } }] } };
    const wrong = MINORS.flatMap(minor => {
      const findings = audit([{ object: pod }], { kubernetesVersion: version(minor) }).filter(f => f.field.endsWith('readinessProbe.httpGet.host'));
      if (findings.length === 0) return [`1.${minor}: the probe host is not reported`];
      const rejected = findings.some(f => /Pod Security "baseline" of [^;]* \(the target\) rejects the Pod/.test(f.problem));
      return rejected === (minor >= PSS_PROBE_HOST_SINCE.since) ? [] : [`1.${minor}: ${rejected ? 'said to be rejected' : 'not said to be rejected'}`];
    });
    expect(wrong).toEqual([]);
  });

  test('every rendered Pod in a "restricted" namespace passes the independent Pod Security check of its target\'s own minor (as both servers admitted them)', () => {
    let checked = 0;
    const wrong = MINORS.flatMap(minor => {
      const objects = renderedFor(minor);
      const level = new Map(objects.filter(o => o.kind === 'Namespace').map(o => [o.metadata.name, o.metadata.labels?.['pod-security.kubernetes.io/enforce']]));
      return objects.flatMap(o => {
        // Namespaces seaworthy does not render (the examples' "demo-N") hold its defaults, restricted,
        // except for workloads that waive a rule (node agents, a root init container).
        if ((level.get(o.metadata?.namespace) ?? 'restricted') !== 'restricted' || o.metadata?.annotations?.['seaworthy.dev/waivers']) return [];
        return podSpecsOf(o).flatMap(s => {
          checked++;
          return pssRestrictedViolations(s, `1.${minor} ${o.kind}/${o.metadata?.namespace}/${o.metadata?.name}`, minor);
        });
      });
    });
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(MINORS.length * 20);
  });
});
