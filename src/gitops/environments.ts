import { App } from 'cdk8s';
import { SeaworthyError } from '../errors';
import { Rules } from '../rules/catalog';
import { Finding, makeFinding } from '../rules/finding';
import { Reporter } from '../rules/finding';
import { Profile, Profiles } from '../rules/profile';
import { synthesize } from '../synth/synthesize';
import { StaticPods } from '../synth/static-pods';
import { WriteOptions, writeTree } from '../synth/write-tree';
import { stringifyManifests } from '../synth/yaml-emitter';
import { KubernetesTarget } from '../target/target';
import { KubernetesVersion, versionProblem } from '../target/versions';
import { compareCodeUnits } from '../util/compare';
import { dns1123LabelProblem } from '../validation/names';
import { checkUnknownProps } from '../validation/props';
import { FluxProps, fluxProblems, kustomization, repoPathProblem } from './flux';

/** One environment; extend it with the per-environment values your build function reads. */
export interface Environment {
  /** Name: a DNS-1123 label, used as folder (`dist/<name>/`) and in Application names. */
  readonly name: string;
  /**
   * Rule profile of the environment.
   * @default Profile.PRODUCTION
   */
  readonly profile?: Profile;
  /**
   * Kubernetes minor of the environment's cluster: what its manifests are rendered for.
   * @default - KubernetesTarget.DEFAULT (see DEFAULT_VERSION)
   */
  readonly kubernetesVersion?: KubernetesVersion;
}

/** Where Argo CD finds the rendered folders. */
export interface ArgoCdProps {
  /** Prefix of the Application names: `<appName>-<environment>`. */
  readonly appName: string;
  /** Git repository holding the rendered folders. */
  readonly repoURL: string;
  /**
   * Revision to track.
   * @default "main"
   */
  readonly targetRevision?: string;
  /**
   * Folder of the rendered environments in the repository (the `outdir`).
   * @default "dist"
   */
  readonly path?: string;
  /**
   * Argo CD project.
   * @default "default"
   */
  readonly project?: string;
  /**
   * Namespace Argo CD runs in.
   * @default "argocd"
   */
  readonly namespace?: string;
  /**
   * Cluster API server per environment name.
   * @default - the cluster Argo CD runs in (https://kubernetes.default.svc) for every environment
   */
  readonly servers?: Record<string, string>;
}

/** Props of `renderEnvironments()`. */
export interface EnvironmentsProps<E extends Environment> {
  /** The environments, each rendered into its own fresh App. */
  readonly environments: readonly E[];
  /** The one app definition: builds the charts of `env` into `app`. */
  readonly build: (app: App, env: E) => void;
  /**
   * Receives the findings of each environment's app once it has synthesized: what
   * `Findings.of(app)` returns, read from the synthesis's own rendering (see `synthesize()`'s
   * `findings`) instead of rendering every object once more.
   * @default - the findings are not read
   */
  readonly findings?: (findings: Finding[], env: E) => void;
  /**
   * Generate Argo CD Applications (`argocd/<appName>-<env>.yaml`) pointing at the folders.
   * @default - none
   */
  readonly argoCd?: ArgoCdProps;
  /**
   * Generate Flux Kustomizations (`flux/<appName>-<env>.yaml`) pointing at the folders, beside or
   * instead of the Argo CD Applications.
   * @default - none
   */
  readonly flux?: FluxProps;
}

/** Argo CD sync waves: the namespace baseline, identities and configuration before workloads. */
const SYNC_WAVES: Record<string, string> = {
  Namespace: '-3', ResourceQuota: '-2', LimitRange: '-2', StorageClass: '-2', NetworkPolicy: '-1', ServiceAccount: '-1',
  Role: '-1', RoleBinding: '-1', ConfigMap: '-1', Secret: '-1', PersistentVolumeClaim: '-1', Service: '0', Endpoints: '0',
};
const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';

/**
 * Renders one app definition for several environments: `<env>/<chart>.k8s.yaml` for each,
 * every environment in a fresh App (so nothing leaks between them), objects annotated with Argo CD
 * sync waves, and optionally `argocd/<app>-<env>.yaml` Applications and `flux/<app>-<env>.yaml`
 * Kustomizations. Returns relative path →
 * YAML, deterministic for the same input.
 */
export function renderEnvironments<E extends Environment>(props: EnvironmentsProps<E>): Map<string, string> {
  const files = new Map<string, string>();
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const flux = props.flux;
  for (const env of props.environments) {
    const problem = dns1123LabelProblem(env.name) ?? (seen.has(env.name) ? 'is used by another environment' : undefined)
      ?? (env.name === 'argocd' && props.argoCd ? 'is the folder of the Argo CD Applications' : undefined)
      ?? (env.name === 'flux' && flux ? 'is the folder of the Flux Kustomizations' : undefined)
      ?? (props.argoCd && typeof props.argoCd.appName === 'string' && props.argoCd.appName.length + 1 + env.name.length > 63 ? `makes the Application name "${props.argoCd.appName}-${env.name}" longer than 63 characters` : undefined)
      ?? (flux && typeof flux.appName === 'string' && flux.appName.length + 1 + env.name.length > 63 ? `makes the Kustomization name "${flux.appName}-${env.name}" longer than 63 characters` : undefined);
    if (problem) findings.push(makeFinding(Rules.ENVIRONMENT_INVALID, 'environments', 'name', env.name, problem));
    const versionIssue = env.kubernetesVersion === undefined ? undefined : versionProblem(env.kubernetesVersion);
    if (versionIssue) findings.push(makeFinding(Rules.TARGET_INVALID, `environments/${env.name}`, 'kubernetesVersion', env.kubernetesVersion, versionIssue));
    seen.add(env.name);
  }
  if (props.argoCd) findings.push(...argoCdProblems(props.argoCd));
  if (flux !== undefined) findings.push(...fluxProblems(flux, props.environments.map(e => e.name)));
  if (findings.length > 0) throw new SeaworthyError(findings);
  for (const env of props.environments) {
    const app = new App({ outdir: `/nonexistent/${env.name}` });
    Profiles.set(app, env.profile ?? Profile.PRODUCTION);
    if (env.kubernetesVersion !== undefined) KubernetesTarget.set(app, env.kubernetesVersion);
    props.build(app, env);
    const onFindings = props.findings;
    const manifests = synthesize(app, onFindings ? { findings: f => onFindings(f, env) } : {});
    for (const m of manifests) {
      // A static Pod's file is for the kubelet's manifest directory, not for Argo CD: no sync wave.
      const objects = m.file.startsWith(`${StaticPods.FOLDER}/`) ? [...m.objects] : m.objects.map(withSyncWave);
      files.set(`${env.name}/${m.file}`, stringifyManifests(...objects));
    }
    if ((props.argoCd || flux) && manifests.every(m => m.objects.length === 0)) {
      throw new SeaworthyError([makeFinding(Rules.GITOPS_EMPTY_SOURCE, `environments/${env.name}`, 'environments', env.name, `renders no manifests, so an automated ${props.argoCd ? 'Application' : 'Kustomization'} would prune everything`)]);
    }
    if (props.argoCd) files.set(`argocd/${props.argoCd.appName}-${env.name}.yaml`, stringifyManifests(application(props.argoCd, env.name)));
    if (flux) {
      const staticPods = manifests.filter(m => m.file.startsWith(`${StaticPods.FOLDER}/`));
      if (staticPods.length > 0) {
        throw new SeaworthyError([makeFinding(Rules.FLUX_STATIC_PODS, `environments/${env.name}`, 'flux', staticPods.map(m => `${env.name}/${m.file}`), 'Flux would apply the static Pods of the folder as ordinary Pods too (it generates the kustomization from every manifest under the path)')]);
      }
      files.set(`flux/${flux.appName}-${env.name}.yaml`, stringifyManifests(kustomization(flux, env.name, manifests.flatMap(m => m.objects))));
    }
  }
  return files;
}

/**
 * Renders the environments into `outdir`, with the guarantees of `writeManifests()` (a dedicated
 * directory holding only files seaworthy wrote, swapped in whole); returns the files.
 */
export function writeEnvironments<E extends Environment>(props: EnvironmentsProps<E>, outdir = 'dist', options: WriteOptions = {}): string[] {
  const files = renderEnvironments(props);
  writeTree(files, outdir, options);
  return [...files.keys()];
}

/** Names that become Application names, project references and repository paths (SW-GITOPS-003). */
function argoCdProblems(argo: ArgoCdProps): Finding[] {
  const findings: Finding[] = [];
  const reporter: Reporter = { report: (rule, field, value, problem) => findings.push(makeFinding(rule, 'environments/argoCd', field, value, problem)) };
  checkUnknownProps(reporter, 'ArgoCdProps', argo);
  const check = (field: string, value: unknown, problem: string | undefined) => {
    if (problem) reporter.report(Rules.ARGOCD_NAME_INVALID, field, value, problem);
  };
  // The Application name is `<appName>-<env>`, a DNS-1123 label of at most 63 characters.
  check('appName', argo.appName, dns1123LabelProblem(argo.appName));
  if (argo.project !== undefined) check('project', argo.project, dns1123LabelProblem(argo.project));
  if (argo.namespace !== undefined) check('namespace', argo.namespace, dns1123LabelProblem(argo.namespace));
  if (argo.path !== undefined) check('path', argo.path, repoPathProblem(argo.path));
  check('repoURL', argo.repoURL, typeof argo.repoURL === 'string' && /^[\x21-\x7e]+$/.test(argo.repoURL) ? undefined : 'must be a non-empty URL of printable ASCII characters');
  return findings;
}

function withSyncWave(obj: object): object {
  const o = obj as { kind?: string; metadata?: Record<string, unknown> & { annotations?: Record<string, string> } };
  const wave = SYNC_WAVES[o.kind ?? ''] ?? '1';
  // Keys stay sorted, as cdk8s renders them, so the annotation never reorders a Git diff.
  const sorted = <T extends object>(x: T): T => Object.fromEntries(Object.entries(x).sort(([a], [b]) => compareCodeUnits(a, b))) as T;
  return { ...o, metadata: sorted({ ...o.metadata, annotations: sorted({ ...o.metadata?.annotations, [SYNC_WAVE]: wave }) }) };
}

function application(argo: ArgoCdProps, env: string): object {
  // An own key only: an environment named "constructor" must not find Object.prototype's.
  const server = argo.servers !== undefined && Object.prototype.hasOwnProperty.call(argo.servers, env) ? argo.servers[env] : undefined;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: `${argo.appName}-${env}`, namespace: argo.namespace ?? 'argocd', labels: { 'app.kubernetes.io/part-of': argo.appName, 'seaworthy.dev/environment': env } },
    spec: {
      project: argo.project ?? 'default',
      source: { repoURL: argo.repoURL, targetRevision: argo.targetRevision ?? 'main', path: `${argo.path ?? 'dist'}/${env}` },
      destination: { server: server ?? 'https://kubernetes.default.svc' },
      syncPolicy: {
        // allowEmpty: false makes Argo CD refuse to prune everything when the folder comes up empty.
        automated: { prune: true, selfHeal: true, allowEmpty: false },
        syncOptions: ['PruneLast=true', 'ApplyOutOfSyncOnly=true'],
        retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '3m' } },
      },
    },
  };
}
