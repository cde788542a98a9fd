import { createRequire } from 'module';
import type * as JsYaml from 'js-yaml';

/**
 * A js-yaml schema with YAML 1.1 scalar resolution, as kubectl reads manifests (sigs.k8s.io/yaml
 * on go-yaml v2): `yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0755` is octal, `~` is null.
 * js-yaml parses about ten times faster than the `yaml` package, which keeps `seaworthy audit`
 * fast on large manifest sets.
 */

const TRUE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[1-9][0-9_]*|0)$/;
const FLOAT = /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

let loaded: typeof JsYaml | undefined;

/**
 * js-yaml, loaded on first use: synthesis loads this module (through the report and diff
 * exports) but never parses YAML, and js-yaml's 25 modules were a tenth of seaworthy's load time.
 */
export function jsYaml(): typeof JsYaml {
  return loaded ??= createRequire(__filename)('js-yaml') as typeof JsYaml;
}

let schema: JsYaml.Schema | undefined;

/** YAML 1.1 scalars on js-yaml's failsafe schema (strings, sequences, mappings), plus merge keys. */
export function yaml11Schema(): JsYaml.Schema {
  if (schema) return schema;
  const jsyaml = jsYaml();
  const bool11 = new jsyaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && BOOL.test(data),
    construct: (data: string) => TRUE.test(data),
    predicate: (v: unknown) => typeof v === 'boolean',
  });

  const int11 = new jsyaml.Type('tag:yaml.org,2002:int', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && INT.test(data),
    construct: (data: string) => {
      const sign = data.startsWith('-') ? -1 : 1;
      const digits = data.replace(/^[-+]/, '').replace(/_/g, '');
      if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
      if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
      if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits.slice(1), 8);
      return sign * parseInt(digits, 10);
    },
    predicate: (v: unknown) => typeof v === 'number' && Number.isInteger(v),
  });

  const float11 = new jsyaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (data: unknown) => typeof data === 'string' && FLOAT.test(data) && !INT.test(data),
    construct: (data: string) => {
      const d = data.replace(/_/g, '');
      if (/inf$/i.test(d)) return d.startsWith('-') ? -Infinity : Infinity;
      if (/nan$/i.test(d)) return NaN;
      return parseFloat(d);
    },
    predicate: (v: unknown) => typeof v === 'number' && !Number.isInteger(v),
  });

  const null11 = new jsyaml.Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: (data: unknown) => data === null || data === '' || data === '~' || data === 'null' || data === 'Null' || data === 'NULL',
    construct: () => null,
    predicate: (v: unknown) => v === null,
  });

  // js-yaml 4 exports its built-in types at run time, but @types/js-yaml does not declare them.
  const merge = (jsyaml as unknown as { types: { merge: JsYaml.Type } }).types.merge;

  return schema = jsyaml.FAILSAFE_SCHEMA.extend({ implicit: [null11, bool11, int11, float11, merge] });
}
