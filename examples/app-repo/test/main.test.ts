import { App, Testing } from 'cdk8s';
import { audit, KubernetesTarget, synthesize } from 'seaworthy';
import { build, ENVIRONMENTS } from '../main';

function appFor(version: '1.28' | '1.35'): App {
  const app = Testing.app();
  KubernetesTarget.set(app, version, { asOf: new Date('2024-01-01') });
  return build(app);
}

test('the checkout services synthesize to the reviewed YAML', () => {
  const [manifest] = synthesize(appFor('1.35'));
  expect(manifest.file).toBe('checkout.k8s.yaml');
  expect(manifest.yaml).toMatchSnapshot();
});

test('the on-premises 1.28 cluster gets the YAML reviewed before targets existed', () => {
  const [manifest] = synthesize(appFor('1.28'));
  expect(manifest.yaml).toMatchSnapshot();
});

test('they pass every production rule, judged for each environment\'s minor', () => {
  for (const env of ENVIRONMENTS) {
    const version = env.kubernetesVersion === '1.28' ? '1.28' : '1.35';
    const objects = synthesize(appFor(version)).flatMap(m => m.objects.map(object => ({ object })));
    expect(audit(objects, { kubernetesVersion: version }).filter(f => f.severity === 'error').map(f => f.message)).toEqual([]);
  }
});
