// Owns the server's one notion of a terminal escape sequence: what marker parsing and log search both look through.

// CSI (colours, cursor moves), OSC (titles, hyperlinks) and two-byte escapes, as terminals emit them.
// eslint-disable-next-line no-control-regex -- matching the ESC control character is the point
const ANSI_ESCAPE = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])/g;

/** Removes every terminal escape sequence from `text`, leaving what a terminal would draw as characters. */
export function stripAnsiEscapes(text: string): string {
  // Cheap exit for the vast majority of lines, which carry no escape at all.
  return text.includes('\x1b') ? text.replace(ANSI_ESCAPE, '') : text;
}
