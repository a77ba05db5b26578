// Owns the text a viewer shows for a stored line: what searches match against.

// Escape sequences (CSI and OSC) are not visible text, so a search must not match inside them.
// eslint-disable-next-line no-control-regex
const ESCAPES = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?/g;

/** The text a viewer shows for a stored line: escapes removed, only what follows the last carriage return. */
export function visibleText(content: string): string {
  if (!content.includes('\x1b') && !content.includes('\r')) return content;
  const plain = content.replace(ESCAPES, '');
  const trimmed = plain.endsWith('\r') ? plain.slice(0, -1) : plain;
  const cut = trimmed.lastIndexOf('\r');
  return cut === -1 ? trimmed : trimmed.slice(cut + 1);
}
