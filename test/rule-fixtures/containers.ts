import { web } from './base';
import { also, RuleFixture } from './fixture';
import { onManifests, onWeb } from './manifest';

const configMap = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'shop' }, data });

/** Rules on one container or Pod spec: images, env, ports, probes, resources, volumes, hooks, scheduling, labels. */
export const CONTAINER_FIXTURES: readonly RuleFixture[] = [
  // Images
  onWeb('SW-IMAGE-001', s => { s.c.image = 'ghcr.io/acme/api:latest'; }, s => { s.c.image = `ghcr.io/acme/api@sha256:${'a'.repeat(64)}`; s.c.imagePullPolicy = 'IfNotPresent'; }),
  onWeb('SW-IMAGE-002', s => { s.c.image = 'ghcr.io/Acme/api:1.0.0'; }),
  onWeb('SW-IMAGE-003', s => { delete s.c.imagePullPolicy; }),
  onWeb('SW-IMAGE-004', s => { s.c.imagePullPolicy = 'Never'; }),
  onWeb('SW-IMAGE-005', s => { s.pod.imagePullSecrets = [{ name: 'regcred' }]; s.c.imagePullPolicy = 'IfNotPresent'; }, s => { s.pod.imagePullSecrets = [{ name: 'regcred' }]; }),
  // Containers and ports
  onWeb('SW-CONTAINER-001', s => { s.pod.containers.push({ ...s.c, ports: [], readinessProbe: undefined, livenessProbe: { exec: { command: ['/bin/true'] } }, lifecycle: undefined }); },
    s => { s.pod.containers.push({ ...s.c, name: 'sidecar', ports: [], readinessProbe: undefined, livenessProbe: { exec: { command: ['/bin/true'] } }, lifecycle: undefined }); }),
  also('a name that is no DNS-1123 label', onWeb('SW-CONTAINER-001', s => { s.c.name = 'api_server'; }, s => { s.c.name = 'api-server'; })),
  onWeb('SW-CONTAINER-002', s => { s.c.command = ['sh', '-c', 'test', '-e', '/tmp/ready']; }, s => { s.c.command = ['/app/server']; }),
  onWeb('SW-PORT-001', s => { s.c.ports.push({ containerPort: 8080, name: 'http2', protocol: 'TCP' }); }, s => { s.c.ports.push({ containerPort: 9090, name: 'metrics', protocol: 'TCP' }); }),
  onWeb('SW-PORT-002', s => { s.c.ports[0].containerPort = 70000; }),
  onWeb('SW-INIT-001', s => { s.pod.initContainers = [{ name: 'prep', image: 'ghcr.io/acme/prep:1.0.0', imagePullPolicy: 'Always', resources: s.c.resources, securityContext: s.c.securityContext, readinessProbe: { exec: { command: ['true'] } } }]; },
    s => { s.pod.initContainers = [{ name: 'prep', image: 'ghcr.io/acme/prep:1.0.0', imagePullPolicy: 'Always', resources: s.c.resources, securityContext: s.c.securityContext }]; }),
  // Environment
  onWeb('SW-ENV-001', s => { s.c.env = [{ name: 'LOG-LEVEL=1', value: 'debug' }]; }, s => { s.c.env = [{ name: 'LOG_LEVEL', value: 'debug' }]; }),
  onWeb('SW-ENV-003', s => { s.c.env = [{ name: 'DB_PASSWORD', value: 'hunter2-hunter2' }]; }, s => { s.c.env = [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]; }),
  onWeb('SW-ENV-004', s => { s.c.env = [{ name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }]; }, s => { s.c.env = [{ name: 'MODE', value: 'a' }]; }),
  onManifests('SW-ENV-005', web(s => { s.c.env = [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }]; }),
    web(s => { s.c.env = [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'settings', key: 'mode' } } }]; }, [configMap('settings', { mode: 'fast' })])),
  onWeb('SW-ENV-006', s => { s.c.env = [{ name: 'log.level', value: 'debug' }]; }),
  onManifests('SW-ENV-008', web(s => { s.c.envFrom = [{ configMapRef: { name: 'settings' } }]; }, [configMap('settings', { '1mode': 'fast' })]),
    web(s => { s.c.envFrom = [{ configMapRef: { name: 'settings' } }]; }, [configMap('settings', { mode: 'fast' })])),
  onManifests('SW-CONFIG-002', web(s => { s.pod.volumes.push({ name: 'cfg', configMap: { name: 'settings', items: [{ key: 'mode', path: '../mode' }] } }); }, [configMap('settings', { mode: 'fast' })]),
    web(s => { s.pod.volumes.push({ name: 'cfg', configMap: { name: 'settings', items: [{ key: 'mode', path: 'conf/mode' }] } }); }, [configMap('settings', { mode: 'fast' })])),
  // Probes
  onWeb('SW-PROBE-001', s => { delete s.c.readinessProbe; }),
  onWeb('SW-PROBE-002', s => { s.c.livenessProbe = { ...s.c.readinessProbe }; }),
  onWeb('SW-PROBE-003', s => { s.c.readinessProbe.httpGet.port = 'admin'; }, s => { s.c.readinessProbe.httpGet.port = 9999; }),
  onWeb('SW-PROBE-004', s => { s.c.readinessProbe.periodSeconds = -5; }, s => { s.c.readinessProbe.periodSeconds = 0; }),
  onWeb('SW-PROBE-006', s => { delete s.c.livenessProbe; }),
  onWeb('SW-PROBE-007', s => { s.c.livenessProbe.initialDelaySeconds = 120; }, s => { s.c.livenessProbe.initialDelaySeconds = 30; }),
  onWeb('SW-PROBE-008', s => { s.c.readinessProbe = { tcpSocket: { port: 'http' }, periodSeconds: 10 }; s.c.livenessProbe = { tcpSocket: { port: 'http' }, periodSeconds: 10 }; },
    s => { s.c.readinessProbe = { tcpSocket: { port: 'http' }, periodSeconds: 10 }; }),
  // Resources
  onWeb('SW-RES-001', s => { s.c.resources.limits.memory = '256Mi'; }),
  also('a negative quantity', onWeb('SW-RES-001', s => { s.c.resources.limits.memory = '-512Mi'; s.c.resources.requests.memory = '-512Mi'; })),
  onWeb('SW-RES-002', s => { s.c.resources.limits.cpu = '1'; }),
  onWeb('SW-RES-004', s => { delete s.c.resources.limits.memory; }),
  onWeb('SW-RES-005', s => { delete s.c.resources.limits['ephemeral-storage']; delete s.c.resources.requests['ephemeral-storage']; }),
  onWeb('SW-RES-006', s => { s.c.resources.limits.gpu = '1'; s.c.resources.requests.gpu = '1'; }, s => { s.c.resources.limits['nvidia.com/gpu'] = '1'; s.c.resources.requests['nvidia.com/gpu'] = '1'; }),
  onWeb('SW-RES-007', s => { s.c.resources.limits['hugepages-2Mi'] = '3Mi'; s.c.resources.requests['hugepages-2Mi'] = '3Mi'; }, s => { s.c.resources.limits['hugepages-2Mi'] = '4Mi'; s.c.resources.requests['hugepages-2Mi'] = '4Mi'; }),
  onWeb('SW-RES-008', s => { s.pod.volumes.push({ name: 'huge', emptyDir: { medium: 'HugePages' } }); s.c.volumeMounts.push({ name: 'huge', mountPath: '/huge' }); },
    s => { s.pod.volumes.push({ name: 'huge', emptyDir: { medium: 'HugePages' } }); s.c.volumeMounts.push({ name: 'huge', mountPath: '/huge' }); s.c.resources.limits['hugepages-2Mi'] = '4Mi'; s.c.resources.requests['hugepages-2Mi'] = '4Mi'; }),
  // Volumes
  onWeb('SW-VOL-002', s => { delete s.pod.volumes[0].emptyDir.sizeLimit; }),
  onWeb('SW-VOL-003', s => { s.pod.volumes[0].emptyDir = { medium: 'Memory', sizeLimit: '1Gi' }; }, s => { s.pod.volumes[0].emptyDir = { medium: 'Memory', sizeLimit: '64Mi' }; }),
  // Shutdown
  onWeb('SW-SHUTDOWN-001', s => { s.c.lifecycle.preStop.sleep.seconds = 30; s.pod.terminationGracePeriodSeconds = 20; }, s => { s.c.lifecycle.preStop.sleep.seconds = 30; s.pod.terminationGracePeriodSeconds = 40; }),
  onWeb('SW-SHUTDOWN-002', s => { s.c.command = ['sh', '-c', '/app/server --port 8080 | tee /tmp/log']; }, s => { s.c.command = ['/app/server', '--port', '8080']; }),
  // Sysctls and scheduling
  onWeb('SW-SYSCTL-001', s => { s.pod.securityContext.sysctls = [{ name: 'net..ipv4', value: '1' }]; }),
  onWeb('SW-SYSCTL-002', s => { s.pod.securityContext.sysctls = [{ name: 'vm.swappiness', value: '10' }]; }),
  onWeb('SW-SYSCTL-004', s => { s.deployment.spec.template.metadata.annotations = { 'security.alpha.kubernetes.io/sysctls': 'net.ipv4.ip_unprivileged_port_start=0' }; }),
  onWeb('SW-SCHED-001', s => { s.pod.tolerations = [{ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 60 }]; }, s => { s.pod.tolerations = [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }]; }),
  onWeb('SW-SCHED-002', s => { s.pod.nodeName = 'node-1'; }),
  onWeb('SW-TARGET-003', s => { s.c.lifecycle.preStop = { sleep: { seconds: 5 } }; }, s => { s.c.lifecycle.preStop = { exec: { command: ['sleep', '5'] } }; }, '1.28'),
  // Names, labels and annotations
  onWeb('SW-NAME-001', s => { s.service.metadata.name = '1api'; }),
  onWeb('SW-LABEL-001', s => { s.deployment.metadata.labels.team = 'payments team'; }, s => { s.deployment.metadata.labels.team = 'payments'; }),
  onWeb('SW-LABEL-002', s => { s.deployment.spec.template.metadata.labels = { app: 'api', ...s.deployment.spec.template.metadata.labels, 'app.kubernetes.io/instance': undefined }; s.deployment.spec.selector.matchLabels = { app: 'api' }; }),
  onWeb('SW-LABEL-003', s => { s.deployment.metadata.annotations = { 'a/b/c': 'x' }; }, s => { s.deployment.metadata.annotations = { 'example.com/owner': 'x' }; }),
  onWeb('SW-LABEL-005', s => { s.service.metadata.annotations = { 'example.com/blob': 'x'.repeat(300 * 1024) }; }, s => { s.service.metadata.annotations = { 'example.com/blob': 'x'.repeat(200 * 1024) }; }),
  onWeb('SW-WAIVER-001', s => { s.deployment.metadata.annotations = { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-SEC-012', reason: ' ' }]) }; },
    s => { s.deployment.metadata.annotations = { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-SEC-012', reason: 'writes its cache to /' }]) }; s.deployment.spec.template.metadata.annotations = { 'waiver.seaworthy.dev/SW-SEC-012': 'writes its cache to /' }; }),
  also('a waiver of a rule the catalog does not have', onWeb('SW-WAIVER-001', s => { s.deployment.metadata.annotations = { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-SEC-999', reason: 'x' }]) }; },
    s => { s.deployment.metadata.annotations = { 'seaworthy.dev/waivers': JSON.stringify([{ rule: 'SW-SEC-012', reason: 'writes its cache to /' }]) }; s.deployment.spec.template.metadata.annotations = { 'waiver.seaworthy.dev/SW-SEC-012': 'writes its cache to /' }; })),
  onWeb('SW-WAIVER-002', s => { s.deployment.metadata.annotations = { 'waiver.seaworthy.dev/SW-SEC-012': 'writes its cache to /' }; },
    s => {
      s.deployment.metadata.annotations = { 'waiver.seaworthy.dev/SW-SEC-012': 'writes its cache to /' };
      s.deployment.spec.template.metadata.annotations = { 'waiver.seaworthy.dev/SW-SEC-012': 'writes its cache to /' };
    }),
  // Network isolation
  onWeb('SW-NETPOL-002', s => { s.netpol.spec.policyTypes = ['Egress']; delete s.netpol.spec.ingress; }),
  onWeb('SW-NETPOL-003', s => { s.netpol.spec.policyTypes = ['Ingress']; delete s.netpol.spec.egress; }),
];
