import { NS, web } from './base';
import { RuleFixture } from './fixture';
import { onManifests, onWeb } from './manifest';

/** The namespace of the bases, enforcing Pod Security "restricted". */
const RESTRICTED = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } };

/** Container and Pod security: SW-SEC-*, SW-SA-001. */
export const POD_SECURITY_FIXTURES: readonly RuleFixture[] = [
  onWeb('SW-SEC-001', s => { s.c.securityContext.runAsUser = 0; s.pod.securityContext.runAsUser = 0; }),
  onWeb('SW-SEC-002', s => { s.c.securityContext.capabilities.add = ['NET_ADMIN']; }, s => { s.c.securityContext.capabilities.add = ['NET_BIND_SERVICE']; }),
  onWeb('SW-SEC-003', s => { s.c.securityContext.runAsUser = 1000; s.pod.securityContext.runAsUser = 1000; }, s => { s.c.securityContext.runAsUser = 10001; }),
  onWeb('SW-SEC-004', s => { s.pod.volumes.push({ name: 'host', hostPath: { path: '/var/log' } }); }),
  onWeb('SW-SEC-005', s => { s.pod.hostPID = true; }, s => { s.pod.hostPID = false; }),
  onWeb('SW-SEC-006', s => { s.c.securityContext.privileged = true; }),
  onWeb('SW-SEC-007', s => { s.c.securityContext.capabilities.drop = ['NET_RAW']; }),
  onWeb('SW-SEC-008', s => { s.c.ports[0].hostPort = 8080; }),
  onWeb('SW-SEC-009', s => { delete s.c.securityContext.seccompProfile; delete s.pod.securityContext.seccompProfile; }, s => { delete s.c.securityContext.seccompProfile; }),
  onWeb('SW-SEC-010', s => { delete s.c.securityContext.runAsNonRoot; delete s.pod.securityContext.runAsNonRoot; }, s => { delete s.c.securityContext.runAsNonRoot; }),
  onWeb('SW-SEC-011', s => { s.c.securityContext.allowPrivilegeEscalation = true; }),
  onWeb('SW-SEC-012', s => { s.c.securityContext.readOnlyRootFilesystem = false; }),
  onWeb('SW-SEC-013', s => { s.pod.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]; }, s => { s.pod.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]; }),
  onWeb('SW-SEC-014', s => { s.c.securityContext.procMount = 'Unmasked'; }, s => { s.c.securityContext.procMount = 'Default'; }),
  onWeb('SW-SEC-015', s => { s.c.securityContext.appArmorProfile = { type: 'Unconfined' }; }, s => { s.c.securityContext.appArmorProfile = { type: 'RuntimeDefault' }; }),
  onWeb('SW-SEC-016', s => { s.c.securityContext.seLinuxOptions = { type: 'spc_t' }; }, s => { s.c.securityContext.seLinuxOptions = { type: 'container_t' }; }),
  onWeb('SW-SEC-017', s => { s.pod.volumes.push({ name: 'nfs', nfs: { server: 'nfs.internal', path: '/exports' } }); s.c.volumeMounts.push({ name: 'nfs', mountPath: '/data' }); },
    s => { s.pod.volumes.push({ name: 'cfg', configMap: { name: 'api-config' } }); }),
  onWeb('SW-SEC-018', s => { s.c.readinessProbe.httpGet.host = '10.0.0.1'; }),
  onManifests('SW-SEC-020', web(s => { s.pod.hostNetwork = true; }, [RESTRICTED]), web(() => undefined, [RESTRICTED])),
  onWeb('SW-SA-001', s => { s.pod.automountServiceAccountToken = true; s.sa.automountServiceAccountToken = true; }),
];
