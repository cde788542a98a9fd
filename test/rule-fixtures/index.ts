import { RuleFixture } from './fixture';
import { CLUSTER_FIXTURES } from './cluster';
import { CONTAINER_FIXTURES } from './containers';
import { DIFF_FIXTURES } from './diff';
import { NETWORK_FIXTURES } from './network';
import { POD_SECURITY_FIXTURES } from './pod-security';
import { WORKLOAD_FIXTURES } from './workloads';

/** Every rule's fixture pair. */
export const RULE_FIXTURES: readonly RuleFixture[] = [
  ...CLUSTER_FIXTURES,
  ...CONTAINER_FIXTURES,
  ...DIFF_FIXTURES,
  ...NETWORK_FIXTURES,
  ...POD_SECURITY_FIXTURES,
  ...WORKLOAD_FIXTURES,
];

/**
 * Rules that have no fixture pair yet. Only ever shrinks: a new rule comes with its fixtures,
 * and an id leaves this list when its pair is added.
 */
export const MISSING: readonly string[] = [
  'SW-CONFIG-001', 'SW-CONFIG-003', 'SW-ENV-002', 'SW-ENV-007', 'SW-ENV-009', 'SW-GITOPS-001', 'SW-GITOPS-002',
  'SW-GITOPS-003', 'SW-GITOPS-004', 'SW-GITOPS-005', 'SW-HOOK-001', 'SW-JOB-001', 'SW-LABEL-004', 'SW-MON-003',
  'SW-NETPOL-001', 'SW-NS-003', 'SW-OUTPUT-001', 'SW-OUTPUT-002', 'SW-OUTPUT-003', 'SW-OUTPUT-004', 'SW-PDB-002',
  'SW-POD-002', 'SW-POD-003', 'SW-PROBE-005', 'SW-PROPS-001', 'SW-PROPS-002', 'SW-PV-001', 'SW-RBAC-003',
  'SW-REPLICAS-001', 'SW-RES-003', 'SW-ROUTE-003', 'SW-ROUTE-005', 'SW-SA-002', 'SW-SEC-019', 'SW-SHUTDOWN-003',
  'SW-SIDECAR-001', 'SW-STS-001', 'SW-SVC-006', 'SW-SYSCTL-003', 'SW-TARGET-001', 'SW-TARGET-002', 'SW-TRACK-003',
  'SW-VOL-001', 'SW-VOL-005',
];
