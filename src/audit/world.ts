/**
 * The audit's open and closed world. A set known to be the whole deployment (the objects of an
 * app, a dist/ written by seaworthy, `seaworthy audit --complete`) is complete: a selector that
 * matches nothing in it, or a reference to an object not in it, is an error. Any other set is
 * open: what it does not hold may be deployed by another chart, an operator or a controller, so
 * such findings are infos saying why they are not judged.
 */

/** What a finding of a rule that needs the whole deployment adds in an open set. */
export const NOT_SEEN = 'not seen: the audited files are not known to be the whole deployment (another chart, an operator or a controller may create it), so this is not judged; audit with --complete when they are';

/** The name of the world an audit judged in, as the JSON, SARIF and JUnit outputs state it. */
export function worldName(complete: boolean): 'complete' | 'open' {
  return complete ? 'complete' : 'open';
}

/** One line saying which world an audit judged in, for the table and the report. */
export function worldStatement(complete: boolean): string {
  return complete
    ? 'Judged as a complete set (the whole deployment): selectors that match nothing and references to objects not in it are errors.'
    : 'Judged as an open set: selectors that match nothing and references to objects not in these files are not judged (infos); pass --complete when the files are the whole deployment.';
}
