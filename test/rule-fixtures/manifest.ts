import { KubernetesVersion } from '../../src/target/versions';
import { web, WebSet } from './base';
import { ManifestFixture, Obj, RuleFixture } from './fixture';

/** Manifests as a fixture. */
export function manifests(objects: readonly Obj[], kubernetesVersion?: KubernetesVersion): ManifestFixture {
  return kubernetesVersion === undefined ? { manifests: objects } : { manifests: objects, kubernetesVersion };
}

/**
 * A rule judged on the WebService base: `fail` patches it into a violation, `pass` (the base
 * unchanged by default) into the nearest correct input.
 */
export function onWeb(id: string, fail: (s: WebSet) => void, pass: (s: WebSet) => void = () => undefined, kubernetesVersion?: KubernetesVersion): RuleFixture {
  return { id, fail: manifests(web(fail), kubernetesVersion), pass: manifests(web(pass), kubernetesVersion) };
}

/** A rule judged on given manifests. */
export function onManifests(id: string, fail: readonly Obj[], pass: readonly Obj[], kubernetesVersion?: KubernetesVersion): RuleFixture {
  return { id, fail: manifests(fail, kubernetesVersion), pass: manifests(pass, kubernetesVersion) };
}
