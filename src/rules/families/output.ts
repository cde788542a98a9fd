import { ALL_KINDS, defineRule as rule, Severity } from '../rule';

const WRITE_PATH_DOC = 'https://github.com/seaworthy-dev/seaworthy/blob/main/docs/write-path.md#what-the-write-path-guarantees';

/** Rules of the output family: where synthesized files may go, and what they may be called. */
export const OutputRules = {
  OUTPUT_DIR_UNSAFE: rule({
    id: 'SW-OUTPUT-001',
    title: 'The output directory is a dedicated directory',
    severity: Severity.ERROR,
    rationale: 'The output directory is replaced as a whole on every run; an empty path, ".", the current directory or one of its ancestors, a project root (package.json or .git) or a file would be replaced with the synthesized files, sources and history included.',
    fix: 'pass a dedicated sub-directory such as "dist" (and make sure $OUT_DIR-style variables are not empty)',
    kinds: [],
    see: WRITE_PATH_DOC,
  }),
  OUTPUT_DIR_FOREIGN: rule({
    id: 'SW-OUTPUT-002',
    title: 'The output directory holds only files seaworthy wrote',
    severity: Severity.ERROR,
    rationale: 'Replacing a directory deletes everything in it; files seaworthy did not write (not listed in its .seaworthy-output marker) may be someone\'s work.',
    fix: 'move the listed files elsewhere, choose another output directory, or adopt the directory once with { adopt: true } after checking that everything in it may be replaced',
    kinds: [],
    see: WRITE_PATH_DOC,
  }),
  OUTPUT_NAME_INVALID: rule({
    id: 'SW-OUTPUT-003',
    title: 'Output file names are safe, unique paths inside the output directory',
    severity: Severity.ERROR,
    rationale: 'Chart ids and environment names become file names; "..", "/", NUL, control or non-ASCII characters would write outside the output directory or create names Git and Argo CD treat differently, and two charts mapping to one file name would overwrite each other silently.',
    fix: 'give charts and environments lowercase DNS-1123 ids ("shop", "prod") that differ after lowercasing',
    kinds: [],
    see: WRITE_PATH_DOC,
  }),
  OUTPUT_DIR_BUSY: rule({
    id: 'SW-OUTPUT-004',
    title: 'One run writes an output directory at a time',
    severity: Severity.ERROR,
    rationale: 'Two runs replacing one output directory at once (two terminals, a watch task and a pre-commit hook) would each swap in their own tree and clean up the other\'s staging; the result would depend on timing. A lock file beside the directory (<dir>.seaworthy-lock) holds the second run off; a lock left by a run that died is taken over.',
    fix: 'wait for the other run to finish; if no other run is active (the lock names its process and host), delete the lock file',
    kinds: [],
    see: WRITE_PATH_DOC,
  }),
  OBJECT_DUPLICATE: rule({
    id: 'SW-OBJECT-001',
    title: 'Each object (group, kind, namespace, name) is defined once',
    severity: Severity.ERROR,
    rationale: 'Two manifests for one object make kubectl and Argo CD apply whichever comes last (or fight over it on every sync); the other definition is silently lost.',
    fix: 'rename one of the two objects (for generated children such as "<name>-pdb" or "<name>-headless", rename the workload), or move it to another namespace',
    kinds: ALL_KINDS,
    see: 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/',
  }),
} as const;
