/** Types of scripts/diff-example.js (plain node, run by `npm run docs`). */

/** The README's `seaworthy diff --format markdown` example, rendered with the given build of the library. */
export function renderDiffExample(sw: unknown, root?: string): string;
