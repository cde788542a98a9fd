import { Duration } from 'cdk8s';
import { Kustomization, KustomizationSpecSourceRefKind } from '../../imports/flux';
import { Rules } from '../rules/catalog';
import { Finding, makeFinding } from '../rules/finding';
import { Reporter } from '../rules/finding';
import { compareCodeUnits } from '../util/compare';
import { describeDuration, durationSeconds } from '../validation/duration';
import { dns1123LabelProblem, dns1123SubdomainProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { durationText } from '../util/duration-text';

/** Where Flux finds the rendered folders, and how it applies them. */
export interface FluxProps {
  /** Prefix of the Kustomization names: `<appName>-<environment>`. */
  readonly appName: string;
  /**
   * Name of the Flux `GitRepository` (source-controller) holding the rendered folders, created
   * by `flux bootstrap` or by you.
   */
  readonly gitRepository: string;
  /**
   * Namespace of the GitRepository.
   * @default - the Kustomizations' namespace
   */
  readonly gitRepositoryNamespace?: string;
  /**
   * Folder of the rendered environments in the repository (the `outdir`).
   * @default "dist"
   */
  readonly path?: string;
  /**
   * Namespace the Kustomizations live in (Flux's).
   * @default "flux-system"
   */
  readonly namespace?: string;
  /**
   * How often Flux applies the folder again, correcting drift (`spec.interval`).
   * @default Duration.minutes(10)
   */
  readonly interval?: Duration;
  /**
   * Time Flux gives the apply and the health checks (`spec.timeout`).
   * @default - the environment's longest rollout (progressDeadlineSeconds of its Deployments, activeDeadlineSeconds of its Jobs when `wait`) plus a minute, at least 5 minutes
   */
  readonly timeout?: Duration;
  /**
   * Wait until every object Flux applied is healthy (Deployments rolled out, Jobs complete) before
   * the Kustomization is Ready. With false, only the environment's Deployments, StatefulSets and
   * DaemonSets are health-checked (`spec.healthChecks`; Flux ignores them under `wait`).
   * @default true
   */
  readonly wait?: boolean;
  /**
   * Kustomizations that must be Ready before an environment is applied, by name (in the
   * Kustomizations' namespace) or as "namespace/name": typically the platform's, installing the
   * CRDs and operators the environment's custom resources need (Gateway API, Prometheus Operator).
   * @default - none
   */
  readonly dependsOn?: string[];
  /**
   * Secret holding the kubeconfig of each environment's cluster, by environment name, for a Flux
   * that applies to remote clusters.
   * @default - the cluster Flux runs in, for every environment
   */
  readonly kubeConfigSecrets?: Record<string, string>;
  /**
   * ServiceAccount (in the Kustomizations' namespace) Flux impersonates when applying.
   * @default - the kustomize-controller's own
   */
  readonly serviceAccountName?: string;
}

/** A repository path: "/"-separated DNS-1123-ish segments, no "..", ".", empty or absolute parts. */
const REPO_PATH_SEGMENT = /^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/;

/** Why `path` is not a relative repository path, or undefined. @internal */
export function repoPathProblem(path: unknown): string | undefined {
  const segs = typeof path === 'string' ? path.split('/') : [];
  const ok = typeof path === 'string' && !path.startsWith('/') && segs.every(seg => REPO_PATH_SEGMENT.test(seg) && seg !== '..');
  return ok ? undefined : 'must be a relative repository path of lowercase letters, digits, ".", "-" and "_" segments, without "", "." or ".."';
}

/**
 * What the API server or Flux would refuse in `flux` (SW-GITOPS-004), unknown props and wrong
 * types included, before anything renders. @internal
 */
export function fluxProblems(flux: FluxProps, environments: readonly string[]): Finding[] {
  const findings: Finding[] = [];
  const reporter: Reporter = { report: (rule, field, value, problem) => findings.push(makeFinding(rule, 'environments/flux', field, value, problem)) };
  if (flux === null || typeof flux !== 'object' || Array.isArray(flux)) {
    reporter.report(Rules.PROPS_INVALID, 'flux', flux, 'must be an object with at least appName and gitRepository');
    return findings;
  }
  checkUnknownProps(reporter, 'FluxProps', flux);
  const check = (field: string, value: unknown, problem: string | undefined) => {
    if (problem) reporter.report(Rules.FLUX_NAME_INVALID, field, value, problem);
  };
  check('appName', flux.appName, dns1123LabelProblem(flux.appName));
  check('gitRepository', flux.gitRepository, dns1123SubdomainProblem(flux.gitRepository));
  for (const field of ['gitRepositoryNamespace', 'namespace'] as const) {
    if (flux[field] !== undefined) check(field, flux[field], dns1123LabelProblem(flux[field]));
  }
  if (flux.serviceAccountName !== undefined) check('serviceAccountName', flux.serviceAccountName, dns1123SubdomainProblem(flux.serviceAccountName));
  if (flux.path !== undefined) check('path', flux.path, repoPathProblem(flux.path));
  for (const field of ['interval', 'timeout'] as const) {
    const v = flux[field];
    if (v === undefined) continue;
    const s = durationSeconds(v);
    if (s === undefined || s < 1) check(field, describeDuration(v), 'must be a whole number of seconds, at least 1s (Flux reads it as a Go duration)');
  }
  if (flux.wait !== undefined && typeof flux.wait !== 'boolean') reporter.report(Rules.PROPS_INVALID, 'wait', flux.wait, 'must be true or false');
  if (flux.dependsOn !== undefined) {
    if (!Array.isArray(flux.dependsOn)) reporter.report(Rules.PROPS_INVALID, 'dependsOn', flux.dependsOn, 'must be a list of Kustomization names ("name" or "namespace/name")');
    else {
      flux.dependsOn.forEach((d, i) => {
        const parts = typeof d === 'string' ? d.split('/') : [];
        const problem = typeof d !== 'string' || parts.length > 2 ? 'must be a Kustomization name or "namespace/name"'
          : parts.length === 2 ? dns1123LabelProblem(parts[0]) ?? dns1123SubdomainProblem(parts[1]) : dns1123SubdomainProblem(parts[0]);
        check(`dependsOn[${i}]`, d, problem);
      });
    }
  }
  if (flux.kubeConfigSecrets !== undefined) {
    if (flux.kubeConfigSecrets === null || typeof flux.kubeConfigSecrets !== 'object' || Array.isArray(flux.kubeConfigSecrets)) {
      reporter.report(Rules.PROPS_INVALID, 'kubeConfigSecrets', flux.kubeConfigSecrets, 'must be an object of environment names to Secret names');
    } else {
      for (const [env, secret] of Object.entries(flux.kubeConfigSecrets)) {
        check(`kubeConfigSecrets.${env}`, secret, environments.includes(env) ? dns1123SubdomainProblem(secret) : `names no environment (${environments.join(', ')})`);
      }
    }
  }
  return findings;
}

/** The workload kinds Flux health-checks by name when it does not `wait` for everything. */
const HEALTH_CHECKED = ['Deployment', 'StatefulSet', 'DaemonSet'];

interface RenderedObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: { readonly progressDeadlineSeconds?: number; readonly activeDeadlineSeconds?: number };
}

/**
 * The Flux Kustomization of one environment: `<path>/<env>` of the GitRepository, pruned, waited
 * for (or health-checked on its workloads), with a timeout covering its longest rollout. @internal
 */
export function kustomization(flux: FluxProps, env: string, objects: readonly RenderedObject[]): object {
  const wait = flux.wait ?? true;
  const sorted = (list: readonly RenderedObject[]) => [...list].sort((a, b) => compareCodeUnits(`${a.kind}/${a.metadata?.namespace}/${a.metadata?.name}`, `${b.kind}/${b.metadata?.namespace}/${b.metadata?.name}`));
  const workloads = sorted(objects.filter(o => HEALTH_CHECKED.includes(o.kind ?? '')));
  // Kubernetes declares a rollout failed after progressDeadlineSeconds (600 by default); Flux must not give up before.
  const deadlines = objects.flatMap(o => (o.kind === 'Deployment' ? [o.spec?.progressDeadlineSeconds ?? 600] : wait && o.kind === 'Job' ? [o.spec?.activeDeadlineSeconds ?? 0] : []));
  const timeout = flux.timeout === undefined ? Math.max(300, ...deadlines.map(d => d + 60)) : durationSeconds(flux.timeout)!;
  const namespace = flux.namespace ?? 'flux-system';
  const secret = flux.kubeConfigSecrets?.[env];
  return Kustomization.manifest({
    metadata: { name: `${flux.appName}-${env}`, namespace, labels: { 'app.kubernetes.io/part-of': flux.appName, 'seaworthy.dev/environment': env } },
    spec: {
      sourceRef: { kind: KustomizationSpecSourceRefKind.GIT_REPOSITORY, name: flux.gitRepository, namespace: flux.gitRepositoryNamespace },
      // No kustomization.yaml is written there: the kustomize-controller generates one listing the folder's manifests.
      path: `./${flux.path ?? 'dist'}/${env}`,
      interval: durationText(durationSeconds(flux.interval ?? Duration.minutes(10))!),
      timeout: durationText(timeout),
      prune: true,
      wait,
      healthChecks: wait || workloads.length === 0 ? undefined : workloads.map(o => ({ apiVersion: o.apiVersion, kind: o.kind!, name: o.metadata!.name!, namespace: o.metadata?.namespace })),
      dependsOn: flux.dependsOn?.map(d => (d.includes('/') ? { namespace: d.split('/')[0], name: d.split('/')[1] } : { name: d })),
      kubeConfig: secret ? { secretRef: { name: secret } } : undefined,
      serviceAccountName: flux.serviceAccountName,
    },
  });
}
