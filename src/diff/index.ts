export { diffManifests, rejectedObjects } from './diff';
export { CONSEQUENCE_CLASSES, ConsequenceClass } from './model';
export type { ChangeKind, Consequence, DiffInput, DiffOptions, DiffResult, DiffSummary, ObjectChange } from './model';
export { renderDiff, summaryLine } from './render';
export type { DiffFormat, RenderOptions } from './render';
export { DocumentCache } from './load';
