import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

type Schema = Record<string, unknown>;

interface CrdDocument {
  kind?: string;
  spec?: { group: string; names: { kind: string }; versions: Array<{ name: string; schema?: { openAPIV3Schema?: Schema } }> };
}

/** One served version of a CustomResourceDefinition, with its schema. */
export interface CrdVersion {
  /** "group/version/Kind", as objects' apiVersion and kind name it. */
  readonly gvk: string;
  /** "Kind group/version", for messages. */
  readonly crd: string;
  /** The CRD file, relative to its folder's parent (e.g. "gateway-api-v1.6.1/httproutes.yaml"). */
  readonly file: string;
  readonly schema: Schema;
}

/** Every version with an openAPIV3Schema of every CRD in the `.yaml` files of `dirs` (read in place; missing folders are skipped). */
export function crdVersions(dirs: readonly string[]): CrdVersion[] {
  const out: CrdVersion[] = [];
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort()) {
      for (const doc of yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')) as CrdDocument[]) {
        if (doc?.kind !== 'CustomResourceDefinition' || !doc.spec) continue;
        for (const v of doc.spec.versions) {
          const schema = v.schema?.openAPIV3Schema;
          if (!schema) continue;
          out.push({ gvk: `${doc.spec.group}/${v.name}/${doc.spec.names.kind}`, crd: `${doc.spec.names.kind} ${doc.spec.group}/${v.name}`, file: path.join(path.basename(dir), file), schema });
        }
      }
    }
  }
  return out;
}
