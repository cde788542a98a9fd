/**
 * Object identity as the API server sees it: API group (not version), kind, namespace, name.
 * One definition, read by synthesis (SW-OBJECT-001 at synth) and by the audit.
 */
export function objectIdentity(object: unknown): string | undefined {
  if (!object || typeof object !== 'object') return undefined;
  const o = object as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  if (typeof o.kind !== 'string' || typeof o.metadata?.name !== 'string' || o.kind === 'List') return undefined;
  const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  const namespace = typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '';
  return `${group}\0${o.kind}\0${namespace}\0${o.metadata.name}`;
}

/** Pairs [index of the first definition, index of a later one] for every object defined twice. */
export function duplicateObjects(objects: readonly unknown[]): Array<[number, number]> {
  const first = new Map<string, number>();
  const pairs: Array<[number, number]> = [];
  objects.forEach((object, i) => {
    const id = objectIdentity(object);
    if (id === undefined) return;
    const at = first.get(id);
    if (at === undefined) first.set(id, i);
    else pairs.push([at, i]);
  });
  return pairs;
}
