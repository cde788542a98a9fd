import { RuleFixture } from './fixture';
import { CLUSTER_FIXTURES } from './cluster';
import { CONSTRUCT_FIXTURES } from './constructs';
import { CONTAINER_FIXTURES } from './containers';
import { DIFF_FIXTURES } from './diff';
import { NETWORK_FIXTURES } from './network';
import { POD_SECURITY_FIXTURES } from './pod-security';
import { WORKLOAD_FIXTURES } from './workloads';

/** Every rule's fixture pair. */
export const RULE_FIXTURES: readonly RuleFixture[] = [
  ...CLUSTER_FIXTURES,
  ...CONSTRUCT_FIXTURES,
  ...CONTAINER_FIXTURES,
  ...DIFF_FIXTURES,
  ...NETWORK_FIXTURES,
  ...POD_SECURITY_FIXTURES,
  ...WORKLOAD_FIXTURES,
];
