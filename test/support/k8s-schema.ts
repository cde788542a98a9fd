import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import { CrdCel, formatViolation } from './crd-cel';
import { crdVersions } from './crds';
import { sharedDir } from './shared-dir';

/**
 * Strict validation of synthesized objects against the OpenAPI definitions of their Kubernetes
 * target (1.28 … 1.36): every object schema that lists its properties rejects any other property,
 * as the API server does with `kubectl apply --validate=strict`. Custom resources whose CRD is in
 * `CRD_DIRS` (the Gateway API v1.6.1, Argo CD, VerticalPodAutoscaler, Prometheus Operator and Flux CRDs under `../shared/crds/`, read in place) are
 * validated the same way against the openAPIV3Schema of their CRD version (closed likewise), and
 * then against the CRD's CEL rules (`x-kubernetes-validations`), evaluated offline as the API
 * server does on create (test/support/crd-cel.ts; transition rules do not apply on create).
 */

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const SHARED_SCHEMAS = path.resolve(REPO_ROOT, '..', 'shared', 'kubernetes');
const CACHE_SCHEMAS = path.join(REPO_ROOT, 'node_modules', '.cache', 'seaworthy', 'kubernetes');
const DOWNLOAD_URL = 'https://raw.githubusercontent.com/cdk8s-team/cdk8s/master/kubernetes-schemas/v{version}.0/_definitions.json';

/** Every minor the tests validate against. */
export const SCHEMA_VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'] as const;

/**
 * Where the definitions of `version` ("1.35") are: under `$SEAWORTHY_K8S_SCHEMAS` (a folder
 * holding `v1.NN.0/_definitions.json`, like `../shared/kubernetes`), then `../shared/kubernetes`,
 * then the download cache.
 */
export function schemaPath(version: string): string {
  const file = path.join(`v${version}.0`, '_definitions.json');
  const fromEnv = process.env.SEAWORTHY_K8S_SCHEMAS;
  if (fromEnv) {
    const p = path.join(fromEnv, file);
    if (!fs.existsSync(p)) throw new Error(`SEAWORTHY_K8S_SCHEMAS points to ${fromEnv}, which has no ${file}`);
    return p;
  }
  const shared = path.join(SHARED_SCHEMAS, file);
  return fs.existsSync(shared) ? shared : path.join(CACHE_SCHEMAS, file);
}

/** Downloads the definitions of every version into the cache once, when no local copy exists. */
export async function ensureSchemas(): Promise<void> {
  for (const version of SCHEMA_VERSIONS) {
    const file = schemaPath(version);
    if (fs.existsSync(file)) continue;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const body = await download(DOWNLOAD_URL.replace('{version}', version));
    JSON.parse(body); // refuse to cache anything that is not JSON
    fs.writeFileSync(`${file}.tmp`, body);
    fs.renameSync(`${file}.tmp`, file);
  }
}

function download(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    https.get(url, res => {
      if (res.statusCode !== 200) {
        reject(new Error(`downloading ${url}: HTTP ${res.statusCode}; set SEAWORTHY_K8S_SCHEMAS to a folder holding v1.NN.0/_definitions.json`));
        res.resume();
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
}

type Schema = Record<string, unknown>;

/** Closes every object schema that lists its properties (additionalProperties: false). */
function closeObjects(node: unknown): void {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const schema = node as Schema;
  const props = schema.properties as Record<string, unknown> | undefined;
  if (props && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    schema.additionalProperties = false;
  }
  for (const child of Object.values(props ?? {})) closeObjects(child);
  closeObjects(schema.items);
  closeObjects(schema.additionalProperties);
  for (const key of ['oneOf', 'anyOf', 'allOf']) {
    for (const child of (schema[key] as unknown[] | undefined) ?? []) closeObjects(child);
  }
}

interface Gvk { readonly group: string; readonly version: string; readonly kind: string }

class K8sSchema {
  private readonly ajv: Ajv;
  private readonly byGvk = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(file: string, private readonly version: string) {
    const definitions = (JSON.parse(fs.readFileSync(file, 'utf8')) as { definitions: Record<string, Schema> }).definitions;
    for (const [name, def] of Object.entries(definitions)) {
      closeObjects(def);
      for (const gvk of (def['x-kubernetes-group-version-kind'] as Gvk[] | undefined) ?? []) {
        this.byGvk.set(`${gvk.group ? `${gvk.group}/` : ''}${gvk.version}/${gvk.kind}`, name);
      }
    }
    this.ajv = new Ajv({ strict: false, allErrors: true });
    for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'date-time']) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ $id: 'k8s', definitions });
  }

  /** Schema errors of one object, as readable strings; empty when valid. */
  public errors(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string } }): string[] {
    const key = `${obj.apiVersion}/${obj.kind}`;
    const name = this.byGvk.get(key);
    const where = `${obj.kind}/${obj.metadata?.name}`;
    if (!name) return [`${where}: no Kubernetes ${this.version} schema for ${key}`];
    let validate = this.compiled.get(name);
    if (!validate) {
      validate = this.ajv.getSchema(`k8s#/definitions/${name}`)!;
      this.compiled.set(name, validate);
    }
    if (validate(obj)) return [];
    return (validate.errors ?? []).map(e => `${where}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
}

const SHARED_DIR = sharedDir();
/** The third-party CRDs, read in place (never copied into the repository). */
export const SHARED_CRDS = path.join(SHARED_DIR, 'crds');
/** CRD folders whose custom resources are validated strictly (schema and CEL rules). */
export const CRD_DIRS = [path.join(SHARED_DIR, 'crds', 'gateway-api-v1.6.1'), path.join(SHARED_DIR, 'crds', 'argo-cd'), path.join(SHARED_DIR, 'crds', 'vertical-pod-autoscaler'), path.join(SHARED_DIR, 'crds', 'prometheus-operator'), path.join(SHARED_DIR, 'crds', 'flux')];

/**
 * CRD patterns are Go (RE2) regular expressions: a leading `(?i)` (the Prometheus Operator's
 * `partial_response_strategy`) is JavaScript's `i` flag.
 */
const goRegExp = Object.assign((pattern: string, flags: string): RegExp => {
  const caseless = pattern.replace(/^(\^?)\(\?i\)/, '$1');
  return new RegExp(caseless, caseless === pattern ? flags : `${flags}i`);
}, { code: 'goRegExp' });

/** The custom resources' schemas, by "group/version/Kind". */
class CrdSchemas {
  private readonly byGvk = new Map<string, ValidateFunction>();

  constructor(dirs: readonly string[]) {
    const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp } });
    for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'date-time', 'ipv4', 'ipv6']) ajv.addFormat(format, true);
    for (const v of crdVersions(dirs)) {
      closeObjects(v.schema);
      this.byGvk.set(v.gvk, ajv.compile(v.schema));
    }
  }

  /** Errors of `obj`, or undefined when no CRD defines its kind. */
  public errors(obj: { apiVersion?: string; kind?: string; metadata?: { name?: string } }): string[] | undefined {
    const validate = this.byGvk.get(`${obj.apiVersion}/${obj.kind}`);
    if (!validate) return undefined;
    const where = `${obj.kind}/${obj.metadata?.name}`;
    if (validate(obj)) return [];
    return (validate.errors ?? []).map(e => `${where}: ${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
  }
}

let crds: CrdSchemas | undefined;
let crdCel: CrdCel | undefined;

/** The CEL rules of the CRDs in `CRD_DIRS`, compiled once (shared with test/crd-cel.test.ts). */
export function crdCelRules(): CrdCel {
  crdCel ??= new CrdCel(CRD_DIRS);
  return crdCel;
}

/**
 * Errors of custom resources against their CRD: the strict openAPIV3Schema errors, then the
 * violated CEL rules ("Kind/name: field: message [rule: …]"); undefined for other kinds.
 */
export function crdSchemaErrors(obj: object): string[] | undefined {
  crds ??= new CrdSchemas(CRD_DIRS);
  const errors = crds.errors(obj);
  if (!errors) return undefined;
  const cel = crdCelRules().validate(obj);
  return [...errors, ...(cel?.violations ?? []).map(formatViolation)];
}

const instances = new Map<string, K8sSchema>();

/** Schema errors of every object against the definitions of `version`; empty when all are valid. */
export function schemaErrors(objects: readonly object[], version: string): string[] {
  let schema = instances.get(version);
  if (!schema) {
    schema = new K8sSchema(schemaPath(version), version);
    instances.set(version, schema);
  }
  return objects.flatMap(o => crdSchemaErrors(o) ?? schema.errors(o));
}
