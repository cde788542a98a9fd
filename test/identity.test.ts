import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { audit, renderEnvironments, SeaworthyError, StatefulService, synthesize, Tenant, WebService, Probe } from '../src';
import { parseManifests } from '../src/manifests/load';
import { apiProps } from './support/props';

/** Names that become paths or objects (item 3) and duplicate objects (item 4). */

function thrown(f: () => unknown): SeaworthyError {
  try {
    f();
  } catch (e) {
    if (e instanceof SeaworthyError) return e;
    throw e;
  }
  throw new Error('expected a SeaworthyError');
}

const build = (app: App) => {
  new WebService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', apiProps());
};

describe('names that become paths (SW-OUTPUT-003, SW-GITOPS-002, SW-GITOPS-003)', () => {
  const badIds = ['..', '.', 'Shop', 'a.b', 'ünï', 'x\u0000y', 'a\u2028b', 'tab\tid', '-x', 'x-', 'a'.repeat(64), 'a_b', 'a b', 'a\u001bb', ' '];
  test.each(badIds.map(id => [JSON.stringify(id), id]))('chart id %s is refused', (_shown, id) => {
    const app = Testing.app();
    new WebService(new Chart(app, id, { namespace: 'shop' }), 'api', apiProps());
    const e = thrown(() => synthesize(app));
    expect(e.ruleIds).toEqual(['SW-OUTPUT-003']);
    expect(e.findings[0].field).toBe('id');
  });

  test('a valid chart id is accepted', () => {
    const app = Testing.app();
    build(app);
    expect(synthesize(app).map(m => m.file)).toEqual(['shop.k8s.yaml']);
  });

  const badEnvs: unknown[] = ['', '..', '../etc', 'a/b', 'Prod', 'dev\u0000', 'dév', 'dev\n', 'x'.repeat(64), null, 42, 'argocd', 'a\u2029', '.hidden'];
  test.each(badEnvs.map(n => [JSON.stringify(n), n]))('environment name %s is refused', (_shown, name) => {
    const e = thrown(() => renderEnvironments({ environments: [{ name: name as string }], build, argoCd: { appName: 'shop', repoURL: 'https://git.example.com/x.git' } }));
    expect(e.ruleIds).toEqual(['SW-GITOPS-002']);
  });

  test('two environments of one name are refused', () => {
    expect(thrown(() => renderEnvironments({ environments: [{ name: 'dev' }, { name: 'dev' }], build })).ruleIds).toEqual(['SW-GITOPS-002']);
  });

  test('an environment making the Application name longer than 63 characters is refused', () => {
    expect(thrown(() => renderEnvironments({ environments: [{ name: 'e'.repeat(40) }], build, argoCd: { appName: 'a'.repeat(30), repoURL: 'https://x/y.git' } })).ruleIds).toEqual(['SW-GITOPS-002']);
  });

  const badArgo: Array<[string, string, unknown]> = [
    ['appName', 'appName', '../x'], ['appName', 'appName', 'a/b'], ['appName', 'appName', 'Shop'], ['appName', 'appName', ''], ['appName', 'appName', 'shop\u0000'], ['appName', 'appName', 'shöp'],
    ['project', 'project', '../default'], ['project', 'project', 'a/b'], ['project', 'project', 'Team A'], ['project', 'project', ''],
    ['namespace', 'namespace', 'argo cd'], ['namespace', 'namespace', '..'],
    ['path', 'path', '/abs'], ['path', 'path', '../up'], ['path', 'path', 'a/../b'], ['path', 'path', 'a//b'], ['path', 'path', 'dist/'], ['path', 'path', ''], ['path', 'path', 'dist\u0000'], ['path', 'path', 'dïst'], ['path', 'path', './dist'],
    ['repoURL', 'repoURL', ''], ['repoURL', 'repoURL', 'https://x/y z.git'], ['repoURL', 'repoURL', 'https://x/\u001b[2J'],
  ];
  test.each(badArgo.map(([what, field, v]) => [what, JSON.stringify(v), field, v]))('Argo CD %s %s is refused', (_what, _shown, field, value) => {
    const e = thrown(() => renderEnvironments({ environments: [{ name: 'dev' }], build, argoCd: { appName: 'shop', repoURL: 'https://git.example.com/x.git', [field as string]: value } }));
    expect(e.ruleIds).toContain('SW-GITOPS-003');
    expect(e.findings.map(f => f.field)).toContain(field);
  });

  test('valid Argo CD names are accepted', () => {
    const files = renderEnvironments({ environments: [{ name: 'dev' }], build, argoCd: { appName: 'shop', repoURL: 'https://git.example.com/x.git', project: 'team-a', namespace: 'argocd', path: 'deploy/rendered' } });
    expect([...files.keys()]).toEqual(['dev/shop.k8s.yaml', 'argocd/shop-dev.yaml']);
  });
});

describe('no duplicate objects at synth (SW-OBJECT-001)', () => {
  const size = apiProps().size;
  const cases: Array<[string, (app: App) => void, string[]]> = [
    ['the same name twice in a chart', app => {
      const c = new Chart(app, 'a', { namespace: 'a' });
      new WebService(c, 'api', apiProps());
      new WebService(c, 'api2', apiProps());
    }, ['a/api', 'a/api2']],
    ['the same name in two charts on one namespace', app => {
      new WebService(new Chart(app, 'a', { namespace: 'shop' }), 'api', apiProps());
      new WebService(new Chart(app, 'b', { namespace: 'shop' }), 'api', apiProps());
    }, ['a/api', 'b/api']],
    ['two Tenants of one name', app => {
      new Tenant(app, 't1', { name: 'team' });
      new Tenant(app, 't2', { name: 'team' });
    }, ['t1', 't2']],
    ['a generated -headless name colliding with a user\'s Service', app => {
      const c = new Chart(app, 'a', { namespace: 'a' });
      new StatefulService(c, 'db', { name: 'db', image: 'a/b:1.0', port: 5432, size, readiness: Probe.tcp() });
      new WebService(c, 'web', apiProps({ name: 'db-headless' }));
    }, ['a/db', 'a/web']],
    ['a generated -pdb name colliding with a raw object', app => {
      const c = new Chart(app, 'a', { namespace: 'a' });
      new WebService(c, 'api', apiProps());
      new ApiObject(c, 'raw', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'api-pdb' } });
    }, ['a/api', 'a/raw']],
  ];
  test.each(cases)('%s is an error naming both construct paths', (_what, make, paths) => {
    const app = Testing.app();
    make(app);
    const e = thrown(() => synthesize(app));
    expect(e.ruleIds.every(id => id === 'SW-OBJECT-001')).toBe(true);
    for (const p of paths) expect(e.message).toContain(p);
  });

  test('the same name in two namespaces, or two kinds of one name, is fine', () => {
    const app = Testing.app();
    new WebService(new Chart(app, 'a', { namespace: 'a' }), 'api', apiProps());
    new WebService(new Chart(app, 'b', { namespace: 'b' }), 'api', apiProps());
    expect(synthesize(app)).toHaveLength(2);
  });
});

describe('the audit reports duplicates in any YAML set (SW-OBJECT-001)', () => {
  const doc = (kind: string, name: string, ns?: string, apiVersion = 'v1') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;
  const dupIds = (text: string) => {
    const { inputs } = parseManifests('set.yaml', text);
    return audit(inputs).filter(f => f.rule.id === 'SW-OBJECT-001');
  };

  test('two documents of one object: reported on the second, naming the first\'s line', () => {
    const found = dupIds(`${doc('ConfigMap', 'cfg', 'a')}---\n${doc('ConfigMap', 'cfg', 'a')}`);
    expect(found).toHaveLength(1);
    expect(found[0].line).toBe(7);
    expect(found[0].message).toContain('set.yaml:1');
  });

  test('one inside a List, one outside', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: { name: cfg, namespace: a }\n---\n${doc('ConfigMap', 'cfg', 'a')}`;
    expect(dupIds(text)).toHaveLength(1);
  });

  test('one API group under two versions is one object', () => {
    expect(dupIds(`${doc('Deployment', 'x', 'a', 'apps/v1')}---\n${doc('Deployment', 'x', 'a', 'apps/v1beta2')}`)).toHaveLength(1);
  });

  test('other namespaces, kinds or groups are distinct', () => {
    expect(dupIds([doc('ConfigMap', 'cfg', 'a'), doc('ConfigMap', 'cfg', 'b'), doc('Secret', 'cfg', 'a'), doc('Thing', 'cfg', 'a', 'x.io/v1'), doc('Thing', 'cfg', 'a', 'y.io/v1')].join('---\n'))).toHaveLength(0);
  });
});
