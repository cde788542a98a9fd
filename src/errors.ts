import { Finding } from './rules/finding';

/**
 * Thrown when input violates one or more error-level rules.
 *
 * Raised from the constructor, before anything is synthesized, so a bad input never reaches
 * `dist/`. All violations of one construct are reported together.
 */
export class SeaworthyError extends Error {
  /** The violations, in the order they were found. */
  public readonly findings: readonly Finding[];

  constructor(findings: readonly Finding[]) {
    const lines = findings.map(f => `  ${f.message}`).join('\n');
    super(`seaworthy found ${findings.length} error${findings.length === 1 ? '' : 's'}:\n${lines}`);
    this.name = 'SeaworthyError';
    this.findings = findings;
  }

  /** The ids of the violated rules, e.g. `['SW-IMAGE-001']`. */
  public get ruleIds(): string[] {
    return this.findings.map(f => f.rule.id);
  }
}
