import { ApiObject } from 'cdk8s';
import { wrapRendering } from '../synth/fast-render';

/**
 * Leaves `metadata.namespace` out of a cluster-scoped object (the chart stamps its namespace on
 * every object it holds). @internal
 */
export function clusterScoped(apiObject: ApiObject): void {
  wrapRendering(apiObject, withoutNamespace);
}

function withoutNamespace(render: ApiObject['toJson']): unknown {
  const json = render() as { metadata?: Record<string, unknown> };
  if (json.metadata) delete json.metadata.namespace;
  return json;
}

