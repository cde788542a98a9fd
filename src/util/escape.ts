/**
 * Escaping for every output format of the CLI: whatever a manifest holds (names, values, file
 * names) is printed as inert text.
 */

const hex = (c: string) => `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}`;

/**
 * For a terminal: C0 and C1 control characters (escape sequences that move the cursor, retitle
 * the window or clear the screen), DEL, line and paragraph separators and bidirectional overrides
 * (which reorder what the reader sees) become `\uXXXX`.
 */
export function forTerminal(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, hex);
}

/** A multi-line text for a terminal: each line escaped, the line breaks kept. */
export function linesForTerminal(text: string): string {
  return text.split('\n').map(forTerminal).join('\n');
}

/**
 * For XML 1.0 attribute values and text: markup characters as entities, and characters XML 1.0
 * does not allow at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF) as `\uXXXX` text.
 */
export function forXml(value: unknown): string {
  return String(value)
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, hex)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // Keep tabs and line breaks in attributes as written (XML normalises raw ones to spaces).
    .replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

/** For a quoted mermaid label: everything but letters, digits and ` ./:_-` as `#<code>;` entities. */
export function forMermaid(s: string): string {
  return [...s].map(c => (/^[A-Za-z0-9 ./:_-]$/.test(c) ? c : `#${c.codePointAt(0)};`)).join('');
}
