import { App, Chart, Testing } from 'cdk8s';
import { NodeAgent, PodVolume, Rules, SCANNER_CHECKS, ScannerAnnotations, scannerAnnotations, Waiver, WebService } from '../src';
import { SMALL } from './support/fixtures';
import { apiProps } from './support/props';
import { only, synthValid } from './support/synth';

/** One waiver, every scanner (issue 12, item 9). */

const agentProps = {
  name: 'node-exporter', image: 'prom/node-exporter:1.8.1', size: SMALL,
  mounts: [{ volume: PodVolume.hostPath('proc', '/proc'), path: '/host/proc' }],
  waivers: [Waiver.of('SW-SEC-004', 'reads /proc of the node'), Waiver.of('SW-SEC-005', 'exposes node metrics on the node IP')],
  hostNetwork: true,
};

test('a waiver is rendered as the matching Checkov, kube-linter and Polaris exemptions (before: only seaworthy.dev/waivers)', () => {
  const app = Testing.app();
  const chart = new Chart(app, 'c', { namespace: 'monitoring' });
  new NodeAgent(chart, 'agent', agentProps as never);
  const ds = only(synthValid(chart), 'DaemonSet');
  expect(ds.metadata.annotations).toMatchObject({
    'checkov.io/skip1': 'CKV_K8S_17=SW-SEC-005: exposes node metrics on the node IP',
    'checkov.io/skip2': 'CKV_K8S_18=SW-SEC-005: exposes node metrics on the node IP',
    'checkov.io/skip3': 'CKV_K8S_19=SW-SEC-005: exposes node metrics on the node IP',
    'ignore-check.kube-linter.io/host-network': 'SW-SEC-005: exposes node metrics on the node IP',
    'polaris.fairwinds.com/hostNetworkSet-exempt': 'true',
  });
  expect(ds.metadata.annotations['kube-score/ignore']).toBeUndefined();
});

test('kube-score takes one comma-separated list; rules with no match render nothing', () => {
  const w = (id: string) => Waiver.of(id, 'why');
  expect(scannerAnnotations([w('SW-SEC-012'), w('SW-RES-005')])).toEqual({
    'checkov.io/skip1': 'CKV_K8S_22=SW-SEC-012: why',
    'ignore-check.kube-linter.io/no-read-only-root-fs': 'SW-SEC-012: why',
    'kube-score/ignore': 'container-ephemeral-storage-request-and-limit,container-security-context-readonlyrootfilesystem',
    'polaris.fairwinds.com/notReadOnlyRootFilesystem-exempt': 'true',
  });
  expect(scannerAnnotations([w('SW-VOL-002')])).toEqual({});
});

test('opt-out per app', () => {
  const app = new App({ outdir: '/nonexistent' });
  ScannerAnnotations.disable(app);
  const chart = new Chart(app, 'c', { namespace: 'monitoring' });
  new NodeAgent(chart, 'agent', agentProps as never);
  const ds = only(synthValid(chart), 'DaemonSet');
  expect(Object.keys(ds.metadata.annotations).filter(k => !k.startsWith('seaworthy.dev/') && !k.includes('waiver.seaworthy.dev/') && !k.startsWith('a8r.io/'))).toEqual([]);
  expect(ds.metadata.annotations['seaworthy.dev/waivers']).toBeDefined();
});

test('the mapping table names catalog rules only, and a WebService without waivers renders no exemption', () => {
  const ids = new Set(Object.values(Rules).map(r => r.id));
  expect(Object.keys(SCANNER_CHECKS).filter(id => !ids.has(id))).toEqual([]);
  const { chart } = { chart: new Chart(Testing.app(), 'w') };
  new WebService(chart, 'api', apiProps());
  const annotations = only(synthValid(chart), 'Deployment').metadata.annotations ?? {};
  expect(Object.keys(annotations).filter(k => /checkov|kube-linter|kube-score|polaris/.test(k))).toEqual([]);
});

test('a waiver naming one container renders no scanner exemption: those exempt the whole object, the app container included', () => {
  const perContainer = Waiver.of('SW-SEC-010', 'the fix-perms init container chowns the volume as root', { container: 'fix-perms' });
  expect(scannerAnnotations([perContainer])).toEqual({});
  expect(Object.keys(scannerAnnotations([perContainer, Waiver.of('SW-SEC-010', 'runs as root')])).length).toBeGreaterThan(0);
});
