import { Testing } from 'cdk8s';
import { audit, synthesize } from 'seaworthy';
import { build } from '../main';

test('the checkout services synthesize to the reviewed YAML', () => {
  const [manifest] = synthesize(build(Testing.app()));
  expect(manifest.file).toBe('checkout.k8s.yaml');
  expect(manifest.yaml).toMatchSnapshot();
});

test('they pass every production rule', () => {
  const objects = synthesize(build(Testing.app())).flatMap(m => m.objects.map(object => ({ object })));
  expect(audit(objects).filter(f => f.severity === 'error').map(f => f.message)).toEqual([]);
});
