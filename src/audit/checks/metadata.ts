import { annotationBytes, MAX_ANNOTATIONS_BYTES } from '../../pod/labels';
import { Rules } from '../../rules/catalog';
import { labelKeyProblem, labelValueProblem } from '../../validation/names';
import { CheckContext, ObjectCheck } from '../check';
import { KubeObject } from '../kube';

/**
 * Label and annotation keys (SW-LABEL-003) and annotation size (SW-LABEL-005) of every object
 * and of its Pod template, and the label values of the Pod template (SW-LABEL-001; the object's
 * own label values are checked with the object's name).
 */
function metadata(obj: KubeObject, ctx: CheckContext): void {
  const r = ctx.reporter;
  const keys = (map: unknown, at: string, kind: 'label' | 'annotation') => {
    if (!map || typeof map !== 'object') return;
    for (const k of Object.keys(map)) {
      const problem = labelKeyProblem(k);
      if (problem) r.report(Rules.LABEL_KEY_INVALID, `${at}.${k}`, k, `is not a valid ${kind} key: it ${problem}`);
    }
  };
  const size = (map: unknown, at: string) => {
    if (!map || typeof map !== 'object') return;
    const bytes = annotationBytes(map as Record<string, unknown>);
    if (bytes > MAX_ANNOTATIONS_BYTES) r.report(Rules.ANNOTATIONS_TOO_LARGE, at, `${bytes} bytes`, `is more than the ${MAX_ANNOTATIONS_BYTES} bytes (256 KiB) the API server accepts`);
  };
  keys(obj.metadata?.labels, 'metadata.labels', 'label');
  keys(obj.metadata?.annotations, 'metadata.annotations', 'annotation');
  size(obj.metadata?.annotations, 'metadata.annotations');
  const t = obj.kind === 'Pod' ? undefined : ctx.index.templateOf(obj);
  if (!t) return;
  const at = t.path.replace(/\.spec$/, '.metadata');
  keys(t.labels, `${at}.labels`, 'label');
  for (const [k, v] of Object.entries(t.labels)) {
    const problem = labelValueProblem(v);
    if (problem) r.report(Rules.LABEL_VALUE_INVALID, `${at}.labels.${k}`, v, `it ${problem}`);
  }
  keys(t.annotations, `${at}.annotations`, 'annotation');
  size(t.annotations, `${at}.annotations`);
}

/** The metadata checks. */
export const METADATA_CHECKS: ObjectCheck[] = [
  { rules: [Rules.LABEL_KEY_INVALID, Rules.ANNOTATIONS_TOO_LARGE, Rules.LABEL_VALUE_INVALID], run: metadata },
];
