import * as kplus from 'cdk8s-plus-28';
import { audit, Findings, Severity, WebService } from '../src';
import { podSpecOf } from './support/pod-checks';
import { apiProps } from './support/props';
import { newChart, only, synthValid } from './support/synth';

/** SW-IMAGE-005: images of Pods with imagePullSecrets are pulled Always (issue 12, item 6). */

const DIGEST = 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64);

describe('construct path', () => {
  test('a digest-pinned image with pull secrets defaults to Always (before: IfNotPresent); without secrets IfNotPresent', () => {
    const withSecrets = newChart();
    new WebService(withSecrets.chart, 'api', apiProps({ image: DIGEST, podOptions: { imagePullSecrets: ['ghcr'] } }));
    expect(podSpecOf(only(synthValid(withSecrets.chart), 'Deployment'))!.containers[0].imagePullPolicy).toBe('Always');
    const plain = newChart();
    new WebService(plain.chart, 'api', apiProps({ image: DIGEST }));
    expect(podSpecOf(only(synthValid(plain.chart), 'Deployment'))!.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  test('an explicit IfNotPresent with pull secrets is reported as a warning', () => {
    const { chart } = newChart();
    const api = new WebService(chart, 'api', apiProps({ image: DIGEST, imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT, podOptions: { imagePullSecrets: ['ghcr'] } }));
    expect(Findings.of(api).filter(f => f.rule.id === 'SW-IMAGE-005').map(f => [f.field, f.severity])).toEqual([['imagePullPolicy', Severity.WARNING]]);
  });
});

describe('audit', () => {
  const pod = (container: object, secrets: boolean) => ({ object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'n' }, spec: { imagePullSecrets: secrets ? [{ name: 'ghcr' }] : undefined, containers: [{ name: 'c', ...container }] } } });
  const found = (container: object, secrets: boolean) => audit([pod(container, secrets)]).filter(f => f.rule.id === 'SW-IMAGE-005').map(f => f.value);
  test('digest or version tag with the implicit or explicit IfNotPresent and pull secrets', () => {
    expect(found({ image: DIGEST }, true)).toEqual(['"(default: IfNotPresent)"']);
    expect(found({ image: 'ghcr.io/acme/api:1.0', imagePullPolicy: 'IfNotPresent' }, true)).toEqual(['"IfNotPresent"']);
  });
  test('no finding with Always, without pull secrets, or for :latest (defaults to Always)', () => {
    expect(found({ image: DIGEST, imagePullPolicy: 'Always' }, true)).toEqual([]);
    expect(found({ image: DIGEST }, false)).toEqual([]);
    expect(found({ image: 'ghcr.io/acme/api:latest' }, true)).toEqual([]);
  });
});
