import { ApiResponse, ApiServer } from './apiserver';
import { resolveResource } from './apply';

/**
 * Server-side apply, as `kubectl apply --server-side --force-conflicts` (and Argo CD with
 * ServerSideApply=true) sends it: PATCH with `application/apply-patch+yaml`, one field manager,
 * strict field validation; optionally as a dry run. A field the manager applied before and now
 * leaves out is removed, which is how a later version of a manifest replaces an earlier one.
 */

/** An object to apply. */
export interface Applied {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string };
}

/** The field manager of every apply (one manager, as one GitOps tool owns the manifests). */
export const FIELD_MANAGER = 'seaworthy-diff-test';

/** The URL of `obj` (`/apis/apps/v1/namespaces/x/deployments/api`). */
export async function objectPath(server: ApiServer, obj: Applied): Promise<string> {
  const resource = await resolveResource(server, obj.apiVersion, obj.kind);
  const base = obj.apiVersion.includes('/') ? `/apis/${obj.apiVersion}` : `/api/${obj.apiVersion}`;
  const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? 'default')}` : '';
  return `${base}${ns}/${resource.name}/${encodeURIComponent(obj.metadata.name)}`;
}

/** Applies `obj` (JSON is YAML) with the test's field manager; `dryRun` validates and admits without storing. */
export async function serverSideApply(server: ApiServer, obj: Applied, dryRun: boolean): Promise<ApiResponse> {
  const query = `?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict${dryRun ? '&dryRun=All' : ''}`;
  return server.request('PATCH', `${await objectPath(server, obj)}${query}`, JSON.stringify(obj), 'application/apply-patch+yaml');
}

/** The message of a failed answer. */
export function messageOf(res: ApiResponse): string {
  try {
    const status = JSON.parse(res.body) as { message?: string };
    if (status.message) return status.message;
  } catch {
    // not JSON
  }
  return res.body.trim().slice(0, 300);
}
