import * as ts from 'typescript';
import { CAPABILITIES, Feature } from '../../src/target/capabilities';
import { minorOf, SUPPORTED_VERSIONS } from '../../src/target/versions';

/**
 * Finds statements in documentation that name a Kubernetes minor as the first one of a feature of
 * the capability table ("from 1.29", "1.30+", "1.29 or later", "before 1.33", "needs 1.31") and
 * compares them with `CAPABILITIES`, so the JSDoc, the rule texts and the generated docs cannot
 * drift from the one table that decides what the output uses.
 *
 * A claim belongs to the feature named nearest to it in its comma-separated part of the clause,
 * else in the clause (sentences and `;` split clauses), else to the feature the documented
 * declaration (or Markdown heading) is named after;
 * a claim near no feature word is not about the table and is ignored. Statements qualified as
 * "GA", "stable" or "alpha" describe upstream's stages, not where seaworthy starts, and are ignored.
 */

/** Words naming each feature in prose (exhaustive: a new Feature needs its words here). */
export const FEATURE_WORDS: Readonly<Record<Feature, RegExp>> = {
  [Feature.NATIVE_SIDECARS]: /native sidecars?|sidecars?|restartable init containers?|NATIVE_SIDECARS/gi,
  [Feature.PRESTOP_SLEEP_ACTION]: /sleep action|preStop\.sleep|PreStop\.sleep\(\)|PRESTOP_SLEEP_ACTION/gi,
  [Feature.SAFE_SYSCTLS_TCP_KEEPALIVE]: /tcp_keepalive\w*|tcp_fin_timeout|keepalive sysctls?|SAFE_SYSCTLS_TCP_KEEPALIVE/gi,
  [Feature.SAFE_SYSCTLS_TCP_BUFFERS]: /tcp_rmem|tcp_wmem|tcp_rmem\/wmem|SAFE_SYSCTLS_TCP_BUFFERS/gi,
  [Feature.APPARMOR_PROFILE_FIELD]: /appArmorProfile|AppArmor|APPARMOR_PROFILE_FIELD/gi,
  [Feature.PSS_PROBE_HOST_CONTROL]: /\bhost\b|PSS_PROBE_HOST_CONTROL/gi,
  [Feature.STATEFULSET_HISTORY_LIMIT_MUTABLE]: /revisionHistoryLimit|STATEFULSET_HISTORY_LIMIT_MUTABLE/gi,
  [Feature.JOB_POD_FAILURE_POLICY]: /podFailurePolicy|podFailureRules?|PodFailureRule|JOB_POD_FAILURE_POLICY/gi,
  [Feature.JOB_BACKOFF_LIMIT_PER_INDEX]: /backoffLimitPerIndex|maxFailedIndexes|FailIndex|JOB_BACKOFF_LIMIT_PER_INDEX/gi,
  [Feature.JOB_SUCCESS_POLICY]: /successPolicy|JOB_SUCCESS_POLICY/gi,
  [Feature.JOB_POD_REPLACEMENT_POLICY]: /podReplacementPolicy|JOB_POD_REPLACEMENT_POLICY/gi,
  [Feature.IN_PLACE_POD_RESIZE]: /in-place (?:Pod )?resize|resize(?:s|d)? in place|resizePolicy|InPlaceOrRecreate|InPlacePodVerticalScaling|IN_PLACE_POD_RESIZE/gi,
  [Feature.VALIDATING_ADMISSION_POLICY]: /ValidatingAdmissionPolic(?:y|ies)|admission polic(?:y|ies)|admissionregistration\.k8s\.io\/v1\b|VALIDATING_ADMISSION_POLICY/gi,
  [Feature.MUTATING_ADMISSION_POLICY]: /MutatingAdmissionPolic(?:y|ies)|mutating (?:admission )?polic(?:y|ies)|MUTATING_ADMISSION_POLICY\b/gi,
  [Feature.MUTATING_ADMISSION_POLICY_BETA]: /MutatingAdmissionPolicy feature gate|MUTATING_ADMISSION_POLICY_BETA/gi,
  [Feature.CEL_QUANTITY]: /quantity library|quantity\(\)|isQuantity\(\)|CEL_QUANTITY/gi,
  [Feature.OMIT_ZERO_DEFAULTS]: /zero values?|zeros? (?:the|an) (?:API )?server drops|OMIT_ZERO_DEFAULTS|zero-defaults/gi,
};

const K = String.raw`(?:Kubernetes\s+|k8s\s+)?v?`;
const M = String.raw`1\.(\d{1,2})(?:\.\d+)?`;

/** Phrasings that name the first minor of something; group 1 is the minor. */
const CLAIMS: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:from|since|starting (?:with|at|in|from))\s+${K}${M}\b`, 'gi'),
  new RegExp(String.raw`${K}${M}\+`, 'gi'),
  new RegExp(String.raw`${K}${M}\s+(?:and|or)\s+(?:later|newer|above|up)\b`, 'gi'),
  new RegExp(String.raw`\b(?:before|prior to|older than|below)\s+${K}${M}\b`, 'gi'),
  new RegExp(String.raw`\bneeds?\s+(?:a target of\s+)?${K}${M}\b`, 'gi'),
];

/** Upstream stages: "GA from 1.33" says nothing about where seaworthy starts using a feature. */
const STAGE_BEFORE = /\b(?:GA|stable|alpha)\s*(?:in|from|since)?\s*$/i;

/** A passage of documentation and what it documents. */
export interface Passage {
  /** File and line (or rule id) it comes from. */
  readonly where: string;
  readonly text: string;
  /** Name of the documented declaration or the Markdown heading above, when known. */
  readonly subject?: string;
}

/** A statement naming `minor` as the first minor of `feature`. */
export interface Claim {
  readonly where: string;
  readonly feature: Feature;
  readonly minor: number;
  /** The clause the claim was found in. */
  readonly clause: string;
}

/** A claim the capability table contradicts. */
export interface Contradiction extends Claim {
  /** The first minor according to `CAPABILITIES`. */
  readonly since: number;
}

/** The JSDoc comments of a TypeScript source, each with the name of what it documents. */
export function passagesOfSource(file: string, text: string): Passage[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const out: Passage[] = [];
  const visit = (node: ts.Node): void => {
    for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) {
      const name = ts.isVariableStatement(node) ? node.declarationList.declarations[0]?.name : ts.getNameOfDeclaration(node as ts.Declaration);
      const line = source.getLineAndCharacterOfPosition(doc.getStart()).line + 1;
      out.push({ where: `${file}:${line}`, text: doc.getText().replace(/^\s*\/\*\*|\*\/\s*$/g, '').replace(/^\s*\* ?/gm, ''), subject: name?.getText() });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The paragraphs of a Markdown text, each with the heading above it as its subject. */
export function passagesOfMarkdown(file: string, text: string): Passage[] {
  const out: Passage[] = [];
  let heading: string | undefined;
  let start = 0;
  const lines = text.split('\n');
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length > 0) out.push({ where: `${file}:${start + 1}`, text: paragraph.join(' '), subject: heading });
    paragraph = [];
  };
  lines.forEach((line, i) => {
    const h = /^#+\s+(.*)$/.exec(line);
    if (h) {
      flush();
      heading = h[1];
    } else if (line.trim() === '') {
      flush();
    } else {
      if (paragraph.length === 0) start = i;
      paragraph.push(line);
    }
  });
  flush();
  return out;
}

/** Splits text into clauses: sentences, `;`-separated parts and JSDoc tags. */
function clausesOf(text: string): string[] {
  return text.replace(/\s+/g, ' ').split(/;|(?<=[.!?])\s+(?=[A-Z`"'(])|\s(?=@\w)/).map(c => c.trim()).filter(c => c.length > 0);
}

/** The feature named nearest to `at` (a distance from the word's span) in `text`, if any. */
function nearestFeature(text: string, at: number): Feature | undefined {
  let best: { feature: Feature; distance: number } | undefined;
  for (const feature of Object.values(Feature)) {
    for (const m of text.matchAll(FEATURE_WORDS[feature])) {
      const distance = m.index > at ? m.index - at : Math.max(0, at - (m.index + m[0].length));
      if (!best || distance < best.distance) best = { feature, distance };
    }
  }
  return best?.feature;
}

/**
 * The feature a claim at `at` is about: the one named nearest in its comma-separated part of the
 * clause ("tcp_keepalive_* from 1.29, tcp_rmem from 1.32"), else nearest in the clause.
 */
function featureNear(clause: string, at: number): Feature | undefined {
  const start = clause.lastIndexOf(', ', at) + 1;
  const comma = clause.indexOf(', ', at);
  const end = comma < 0 ? clause.length : comma;
  return nearestFeature(clause.slice(start, end), at - start) ?? nearestFeature(clause, at);
}

/** The feature a declaration or heading is named after, if any. */
function featureOfSubject(subject: string | undefined): Feature | undefined {
  if (subject === undefined) return undefined;
  return Object.values(Feature).find(f => new RegExp(FEATURE_WORDS[f].source, 'i').test(subject));
}

/** Every first-minor claim in `passage` that is about a feature of the table. */
export function claimsIn(passage: Passage): Claim[] {
  const out: Claim[] = [];
  for (const clause of clausesOf(passage.text)) {
    const seen = new Set<number>();
    for (const pattern of CLAIMS) {
      for (const m of clause.matchAll(pattern)) {
        const at = m.index + m[0].indexOf(`1.${m[1]}`);
        if (seen.has(at) || STAGE_BEFORE.test(clause.slice(0, m.index))) continue;
        seen.add(at);
        const feature = featureNear(clause, at) ?? featureOfSubject(passage.subject);
        if (feature !== undefined) out.push({ where: passage.where, feature, minor: Number(m[1]), clause });
      }
    }
  }
  return out;
}

/** The claims of `passages` that `CAPABILITIES` contradicts. */
export function contradictions(passages: readonly Passage[]): Contradiction[] {
  const oldest = minorOf(SUPPORTED_VERSIONS[0]);
  return passages.flatMap(claimsIn).flatMap(c => {
    const since = CAPABILITIES[c.feature].since;
    // "from 1.26" and "since" the oldest supported minor both mean: every supported target has it.
    const agrees = c.minor === since || (c.minor <= oldest && since <= oldest);
    return agrees ? [] : [{ ...c, since }];
  });
}

/** One line per contradiction, for failure messages. */
export function describeContradiction(c: Contradiction): string {
  return `${c.where}: names 1.${c.minor} for ${c.feature}, but CAPABILITIES says 1.${c.since}: "${c.clause}"`;
}
