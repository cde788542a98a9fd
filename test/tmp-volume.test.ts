import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { AccessMode, EmptyDirMedium, PodVolume, SeaworthyError, WebService } from '../src';
import { apiProps } from './support/props';
import { KubeObject, newChart, only, synthValid, thrownBy } from './support/synth';

/** A volume of your own at /tmp replaces the built-in writable /tmp instead of being refused (issue 27, item 5). */

const podOf = (objects: KubeObject[]) => only(objects, 'Deployment').spec.template.spec;
const errorsOf = (build: () => unknown) => (thrownBy(build) as SeaworthyError).findings.map(f => [f.rule.id, f.field, f.problem]);
const scratch = PodVolume.emptyDir('scratch', { sizeLimit: Size.gibibytes(2) });

test('a larger emptyDir at /tmp replaces the built-in one (before: "is already a mount path of this container"); the root stays read-only', () => {
  const { chart } = newChart('shop');
  new WebService(chart, 'api', apiProps({ size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512), ephemeralStorage: Size.gibibytes(4) }, mounts: [{ volume: scratch, path: '/tmp' }] }));
  const spec = podOf(synthValid(chart));
  expect(spec.volumes).toEqual([{ name: 'scratch', emptyDir: { sizeLimit: '2Gi' } }]);
  expect(spec.containers[0].volumeMounts).toEqual([{ name: 'scratch', mountPath: '/tmp' }]);
  expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
});

test('only the container that mounts its own /tmp loses the built-in one; a memory-backed /tmp counts against that container\'s memory', () => {
  const { chart } = newChart('shop');
  const ram = PodVolume.emptyDir('ram-tmp', { sizeLimit: Size.mebibytes(128), medium: EmptyDirMedium.MEMORY });
  new WebService(chart, 'api', apiProps({
    mounts: [{ volume: ram, path: '/tmp/' }],
    sidecars: [{ name: 'log', image: 'ghcr.io/acme/log:1.0.0', size: { cpu: kplus.Cpu.millis(50), memory: Size.mebibytes(64) } }],
  }));
  const spec = podOf(synthValid(chart));
  expect(spec.volumes.map((v: KubeObject) => v.name)).toEqual(['tmp', 'ram-tmp']);
  const mounts = Object.fromEntries([...spec.containers, ...(spec.initContainers ?? [])].map((c: KubeObject) => [c.name, c.volumeMounts]));
  expect(mounts).toEqual({ api: [{ name: 'ram-tmp', mountPath: '/tmp/' }], log: [{ name: 'tmp', mountPath: '/tmp' }] });
  const { chart: small } = newChart('shop');
  expect(errorsOf(() => new WebService(small, 'api', apiProps({ size: { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(64) }, mounts: [{ volume: ram, path: '/tmp' }] }))).map(f => f[0])).toEqual(['SW-VOL-003']);
});

test('SW-VOL-005: a /tmp that would be read-only says why', () => {
  const build = (mount: object) => () => new WebService(newChart('shop').chart, 'api', apiProps({ mounts: [mount as never] }));
  expect(errorsOf(build({ volume: PodVolume.configMap('tmp-files', 'tmp-files'), path: '/tmp' }))).toEqual([
    ['SW-VOL-005', 'mounts[0].path', 'replaces the built-in writable /tmp of "api", but volume "tmp-files" is a configMap volume, which the kubelet always mounts read-only: with the read-only root filesystem the container has nowhere to write temporary files'],
  ]);
  expect(errorsOf(build({ volume: PodVolume.emptyDir('scratch', { sizeLimit: Size.mebibytes(256) }), path: '/tmp', readOnly: true })).map(f => f[2])).toEqual([
    'replaces the built-in writable /tmp of "api", but volume "scratch" is mounted readOnly: with the read-only root filesystem the container has nowhere to write temporary files',
  ]);
  expect(errorsOf(build({ volume: PodVolume.persistentVolumeClaim('cache', 'cache', { readOnly: true, accessMode: AccessMode.READ_ONLY_MANY }), path: '/tmp' })).map(f => f[0])).toEqual(['SW-VOL-005']);
});

test('tmpSize with no container keeping the built-in /tmp is refused (it would size nothing)', () => {
  const { chart } = newChart('shop');
  const size = { cpu: kplus.Cpu.millis(500), memory: Size.mebibytes(512), ephemeralStorage: Size.gibibytes(4) };
  expect(errorsOf(() => new WebService(chart, 'api', apiProps({ size, tmpSize: Size.mebibytes(128), mounts: [{ volume: scratch, path: '/tmp' }] })))).toEqual([
    ['SW-VOL-001', 'tmpSize', 'sizes the built-in /tmp, which every container replaces with a volume of its own: size that volume instead'],
  ]);
});

test('SW-RES-003 names the mounts, not tmpSize, when no container keeps the built-in /tmp', () => {
  const { chart } = newChart('shop');
  expect(errorsOf(() => new WebService(chart, 'api', apiProps({ mounts: [{ volume: scratch, path: '/tmp' }] })))).toEqual([
    ['SW-RES-003', 'mounts', 'disk-backed emptyDirs (2Gi in all) exceed the Pod\'s ephemeral-storage limit (1Gi)'],
  ]);
});
