import { Construct, IConstruct } from 'constructs';
import { FINDING_METADATA_TYPE } from './collector';
import { Finding } from './finding';

/**
 * Runs the manifest rules over the synthesized objects of an app, given the construct findings
 * (to leave out what they already report). Installed by the audit module, which sits above this
 * one. @internal
 */
export type ManifestAuditor = (app: IConstruct, constructFindings: readonly Finding[]) => Finding[];

let manifestAuditor: ManifestAuditor | undefined;

/** @internal */
export function _installManifestAuditor(auditor: ManifestAuditor): void {
  manifestAuditor = auditor;
}

/**
 * Reads the non-fatal findings (warnings, infos) recorded in a construct tree; for an app (the
 * root of the tree) also the findings of the rules that run on manifests, over its synthesized
 * objects, once per call.
 */
export class Findings {
  /**
   * All findings recorded on `scope` and its descendants, in tree order. When `scope` is the app,
   * the manifest rules' findings on its synthesized objects follow, except those a construct
   * already reported (same rule, same object).
   */
  public static of(scope: IConstruct): Finding[] {
    const out: Finding[] = [];
    for (const c of scope.node.findAll()) {
      for (const entry of c.node.metadata) {
        if (entry.type === FINDING_METADATA_TYPE) out.push(entry.data as Finding);
      }
    }
    if (scope.node.scope === undefined && manifestAuditor) out.push(...manifestAuditor(scope, out));
    return out;
  }

  /** Prints the findings in `scope` to stderr, one per line; returns how many there were. */
  public static print(scope: Construct): number {
    const all = Findings.of(scope);
    for (const f of all) console.warn(`${f.severity}: ${f.message}`);
    return all.length;
  }

  private constructor() {}
}
