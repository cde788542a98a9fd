import * as k8s from '../../imports/k8s';

/** A reference from a Pod spec to an API object. */
export interface StaticPodReference {
  readonly field: string;
  readonly value: unknown;
  readonly problem: string;
}

/**
 * What a static Pod's spec refers to in the API (a ServiceAccount, ConfigMaps, Secrets,
 * PersistentVolumeClaims, image pull Secrets), which the kubelet cannot resolve for it. Fields are
 * paths in the rendered Pod spec.
 */
export function staticPodReferences(spec: k8s.PodSpec): StaticPodReference[] {
  const out: StaticPodReference[] = [];
  const ref = (field: string, value: unknown, what: string) => out.push({ field, value, problem: `refers to ${what}, which a static Pod cannot use` });
  if (spec.serviceAccountName) ref('serviceAccountName', spec.serviceAccountName, 'a ServiceAccount');
  (spec.imagePullSecrets ?? []).forEach((s, i) => ref(`podOptions.imagePullSecrets[${i}]`, s.name, 'an image pull Secret'));
  const containers: Array<[string, k8s.Container[] | undefined]> = [['containers', spec.containers], ['initContainers', spec.initContainers]];
  for (const [list, items] of containers) {
    for (const c of items ?? []) {
      for (const e of c.env ?? []) {
        if (e.valueFrom?.configMapKeyRef) ref(`${list}.${c.name}.env.${e.name}`, e.valueFrom.configMapKeyRef.name, 'a ConfigMap');
        if (e.valueFrom?.secretKeyRef) ref(`${list}.${c.name}.env.${e.name}`, e.valueFrom.secretKeyRef.name, 'a Secret');
      }
      (c.envFrom ?? []).forEach((e, i) => {
        if (e.configMapRef) ref(`${list}.${c.name}.envFrom[${i}]`, e.configMapRef.name, 'a ConfigMap');
        if (e.secretRef) ref(`${list}.${c.name}.envFrom[${i}]`, e.secretRef.name, 'a Secret');
      });
    }
  }
  for (const v of spec.volumes ?? []) {
    const at = `volumes.${v.name}`;
    if (v.configMap) ref(at, v.configMap.name, 'a ConfigMap');
    if (v.secret) ref(at, v.secret.secretName, 'a Secret');
    if (v.persistentVolumeClaim) ref(at, v.persistentVolumeClaim.claimName, 'a PersistentVolumeClaim');
    for (const s of v.projected?.sources ?? []) {
      if (s.configMap) ref(at, s.configMap.name, 'a ConfigMap');
      if (s.secret) ref(at, s.secret.name, 'a Secret');
      if (s.serviceAccountToken) ref(at, s.serviceAccountToken.path, 'a ServiceAccount token');
    }
  }
  return out;
}
