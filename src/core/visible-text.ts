// Owns the text a viewer shows for a stored line: what every log search (one run's, across runs, chunk filters) matches against.
import { stripAnsiEscapes } from './strip-ansi-escapes.js';

/** The text a viewer shows for a stored line: escapes removed, only what follows the last carriage return. */
export function visibleText(content: string): string {
  // Escape sequences are not visible text, so a search must not match inside them.
  const plain = stripAnsiEscapes(content);
  if (!plain.includes('\r')) return plain;
  const trimmed = plain.endsWith('\r') ? plain.slice(0, -1) : plain;
  const cut = trimmed.lastIndexOf('\r');
  return cut === -1 ? trimmed : trimmed.slice(cut + 1);
}
