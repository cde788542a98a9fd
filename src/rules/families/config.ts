import { defineRule as rule, Severity, WORKLOAD_KINDS } from '../rule';

const K8S = 'https://kubernetes.io/docs';

/** Rules of the configuration family (ConfigMap and Secret volumes, AppConfig). */
export const ConfigRules = {
  CONFIG_ITEM_INVALID: rule({
    id: 'SW-CONFIG-002',
    title: 'ConfigMap and Secret volume items name a key and a relative path',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'Each item of a ConfigMap, Secret or projected volume writes one key to a file under the mount; the API server rejects an empty key, an absolute path, a ".." element or a path starting with ".." (the kubelet\'s own "..data" link lives there), so the Pod is never created.',
    fix: 'give items as { key: "app.conf", path: "conf/app.conf" }: a relative path without ".."',
    kinds: WORKLOAD_KINDS,
    see: `${K8S}/concepts/configuration/configmap/#using-configmaps-as-files-from-a-pod`,
  }),
  IMMUTABLE_CONFIG_CHANGED: rule({
    id: 'SW-CONFIG-003',
    title: 'An immutable AppConfig keeps the content its name was made from',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'props',
    wholeDeployment: false,
    rationale: 'An immutable ConfigMap cannot be updated (SW-DIFF-007), so an immutable AppConfig is named after its content hash and a change makes a new ConfigMap; data added after construction would go out under the old name and be refused.',
    fix: 'give all the data in the AppConfig props, not through configMap.addData() afterwards',
    kinds: [],
    see: `${K8S}/concepts/configuration/configmap/#configmap-immutable`,
  }),
  CONFIG_TOO_LARGE: rule({
    id: 'SW-CONFIG-004',
    title: 'A ConfigMap holds at most 1 MiB of data and binaryData',
    severity: Severity.ERROR,
    tier: 'correctness',
    scope: 'object',
    wholeDeployment: false,
    rationale: 'The API server refuses a ConfigMap whose values (data as UTF-8 bytes, binaryData decoded from base64; keys not counted) add up to more than 1 MiB (1048576 bytes), so the Pods that mount it never start. Client-side `kubectl apply` also copies the whole object into the last-applied-configuration annotation, which is limited to 256 KiB.',
    fix: 'split the content over several ConfigMaps, or ship large files in the image or a volume; for ConfigMaps over 256 KiB use server-side apply (Argo CD: ServerSideApply=true)',
    kinds: ['ConfigMap'],
    see: `${K8S}/concepts/configuration/configmap/#motivation`,
  }),
} as const;

/** Most bytes of a ConfigMap's values, data and binaryData together (core.MaxSecretSize, also the ConfigMap limit). */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** Bytes a ConfigMap's values count as the API server counts them: data values as UTF-8, binaryData values decoded. */
export function configMapBytes(data: unknown, binaryData: unknown): { readonly data: number; readonly binaryData: number } {
  const values = (record: unknown) => (record !== null && typeof record === 'object' && !Array.isArray(record) ? Object.values(record).filter((v): v is string => typeof v === 'string') : []);
  return {
    data: values(data).reduce((sum, v) => sum + Buffer.byteLength(v, 'utf8'), 0),
    binaryData: values(binaryData).reduce((sum, v) => sum + Buffer.from(v, 'base64').length, 0),
  };
}

/** The one SW-CONFIG-004 predicate, for AppConfig and the audit: why the content is too large, or undefined. */
export function configMapSizeProblem(data: unknown, binaryData: unknown): { readonly total: number; readonly problem: string } | undefined {
  const bytes = configMapBytes(data, binaryData);
  const total = bytes.data + bytes.binaryData;
  if (total <= MAX_CONFIG_MAP_BYTES) return undefined;
  const parts = bytes.binaryData > 0 ? ` (data ${bytes.data} + binaryData ${bytes.binaryData})` : '';
  return { total, problem: `holds ${total} bytes${parts}, more than the 1 MiB (${MAX_CONFIG_MAP_BYTES} bytes) the API server accepts in a ConfigMap` };
}

/** One problem of a volume item (`index` in the items list, `part` the field at fault). */
export interface ConfigItemFinding {
  readonly index: number;
  readonly part: 'key' | 'path';
  readonly value: unknown;
  readonly problem: string;
}

/**
 * The one implementation of SW-CONFIG-002, at synth and in the audit: the items of a ConfigMap,
 * Secret or projected source as the API server validates them (a key; a relative path without a
 * ".." element, not starting with "..").
 */
export function configItemFindings(items: readonly unknown[]): ConfigItemFinding[] {
  const out: ConfigItemFinding[] = [];
  items.forEach((item, index) => {
    const key: unknown = (item as { key?: unknown } | null)?.key;
    const path: unknown = (item as { path?: unknown } | null)?.path;
    if (typeof key !== 'string' || key.length === 0) out.push({ index, part: 'key', value: key, problem: 'must name a key of the ConfigMap or Secret' });
    if (typeof path !== 'string' || path.length === 0) {
      out.push({ index, part: 'path', value: path, problem: 'must be a relative file path' });
    } else if (path.startsWith('/')) {
      out.push({ index, part: 'path', value: path, problem: 'must be relative to the mount path, not absolute' });
    } else if (path.split('/').includes('..') || path.startsWith('..')) {
      out.push({ index, part: 'path', value: path, problem: 'must not contain a ".." element or start with ".."' });
    }
  });
  return out;
}
