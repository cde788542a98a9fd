import * as kplus from 'cdk8s-plus-28';
import { ExternalService, ExternalTrafficPolicy, FixedEndpointsService, SessionAffinity, StorageClass, WebService } from '../src';
import { apiProps } from './support/props';
import { newChart, only, synthValid } from './support/synth';

describe('Service exposure', () => {
  test('LoadBalancer with externalTrafficPolicy Local and ClientIP affinity', () => {
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps({ serviceType: kplus.ServiceType.LOAD_BALANCER, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL, sessionAffinity: SessionAffinity.CLIENT_IP }));
    expect(only(synthValid(chart), 'Service').spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', sessionAffinity: 'ClientIP' });
  });

  test('NodePort', () => {
    const { chart } = newChart();
    new WebService(chart, 'api', apiProps({ serviceType: kplus.ServiceType.NODE_PORT }));
    expect(only(synthValid(chart), 'Service').spec.type).toBe('NodePort');
  });

  test('SW-SVC-001: externalTrafficPolicy on a ClusterIP Service', () => {
    const { chart } = newChart();
    expect(() => new WebService(chart, 'api', apiProps({ externalTrafficPolicy: ExternalTrafficPolicy.LOCAL }))).toThrow(/SW-SVC-001 \[test\/api\] externalTrafficPolicy = "Local"/);
  });

  test('an Ingress in one call, backend derived from the Service, TLS from a named Secret', () => {
    const { chart } = newChart();
    const api = new WebService(chart, 'api', apiProps());
    api.addIngress({ host: 'api.example.com', paths: ['/v1', '/v2'], ingressClassName: 'nginx', tlsSecretName: 'api-example-com-tls' });
    const ingress = only(synthValid(chart), 'Ingress');
    expect(ingress.metadata.name).toBe('api');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([{ hosts: ['api.example.com'], secretName: 'api-example-com-tls' }]);
    const backend = { service: { name: 'api', port: { number: 80 } } };
    expect(ingress.spec.rules).toEqual([{ host: 'api.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend }, { path: '/v2', pathType: 'Prefix', backend }] } }]);
  });
});

describe('outside dependencies', () => {
  test('ExternalName Service', () => {
    const { chart } = newChart();
    new ExternalService(chart, 'payments', { name: 'payments', externalName: 'payments.example.com' });
    expect(only(synthValid(chart), 'Service').spec).toEqual({ type: 'ExternalName', externalName: 'payments.example.com' });
    expect(() => new ExternalService(chart, 'bad', { name: 'bad', externalName: 'https://x' })).toThrow(/SW-SVC-001/);
  });

  test('selector-less Service with Endpoints, and matching egress peers', () => {
    const { chart } = newChart();
    const db = new FixedEndpointsService(chart, 'db', { name: 'legacy-db', addresses: ['10.20.0.5', '10.20.0.6'], ports: [{ name: 'postgres', port: 5432 }] });
    new WebService(chart, 'api', apiProps({ allowTo: db.peers }));
    const objects = synthValid(chart);
    const svc = only(objects, 'Service', 'legacy-db');
    expect(svc.spec.selector).toBeUndefined();
    expect(only(objects, 'Endpoints')).toMatchObject({ metadata: { name: 'legacy-db' }, subsets: [{ addresses: [{ ip: '10.20.0.5' }, { ip: '10.20.0.6' }], ports: [{ name: 'postgres', port: 5432, protocol: 'TCP' }] }] });
    expect(only(objects, 'NetworkPolicy').spec.egress.slice(1)).toEqual([
      { to: [{ ipBlock: { cidr: '10.20.0.5/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '10.20.0.6/32' } }], ports: [{ port: 5432, protocol: 'TCP' }] },
    ]);
    expect(() => new FixedEndpointsService(chart, 'bad', { name: 'bad', addresses: ['10.0.0.300'], ports: [] })).toThrow(/SW-SVC-001 \[test\/bad\] addresses\[0\]/);
  });
});

describe('StorageClass', () => {
  test('Retain and WaitForFirstConsumer by default', () => {
    const { chart } = newChart();
    new StorageClass(chart, 'sc', { name: 'fast-retain', provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' } });
    expect(only(synthValid(chart), 'StorageClass')).toMatchObject({
      metadata: { name: 'fast-retain' }, provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' },
      reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true,
    });
  });
});
