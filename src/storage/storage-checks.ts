import { AccessMode } from '../pod/volumes';
import { Rules } from '../rules/catalog';
import { Reporter } from '../rules/finding';
import { labelMapProblems } from '../validation/selectors';

/** Checks and helpers shared by the storage constructs (not exported from the package). */

/** Validates access modes (at least one, known, ReadWriteOncePod alone), defaulting to ReadWriteOnce. */
export function checkAccessModes(reporter: Reporter, modes: unknown): AccessMode[] {
  if (modes === undefined) return [AccessMode.READ_WRITE_ONCE];
  if (!Array.isArray(modes) || modes.length === 0) {
    reporter.report(Rules.PV_INVALID, 'accessModes', modes, 'must list at least one AccessMode');
    return [AccessMode.READ_WRITE_ONCE];
  }
  const known = Object.values(AccessMode) as string[];
  modes.forEach((m, i) => {
    if (!known.includes(m)) reporter.report(Rules.PV_INVALID, `accessModes[${i}]`, m, `must be one of ${known.join(', ')}`);
  });
  if (new Set(modes).size !== modes.length) reporter.report(Rules.PV_INVALID, 'accessModes', modes, 'lists a mode twice');
  if (modes.includes(AccessMode.READ_WRITE_ONCE_POD) && modes.length > 1) reporter.report(Rules.PV_INVALID, 'accessModes', modes, 'ReadWriteOncePod cannot be combined with other access modes');
  return [...modes] as AccessMode[];
}

/** Validates a label map (keys and values as Kubernetes validates them). */
export function checkLabels(reporter: Reporter, field: string, labels: unknown): void {
  if (labels === undefined) return;
  for (const l of labelMapProblems(labels)) reporter.report(Rules.PV_INVALID, l.at ? `${field}.${l.at}` : field, l.value, l.problem);
}
