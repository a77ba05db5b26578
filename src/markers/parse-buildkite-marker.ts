// Owns the Buildkite dialect: header lines `--- title`, `+++ title`, `~~~ title` and `^^^ +++`.
import type { MarkerEvent } from './marker-event.js';

const TEXT: MarkerEvent = Object.freeze({ kind: 'text' });
const HEADER = /^(---|\+\+\+|~~~) (.*\S)\r?$/;

/**
 * Reads one line (leading whitespace removed). A header starts a step that ends when the next header
 * starts (or at exit); `---` and `~~~` are shown collapsed, `+++` expanded; `^^^ +++` expands the
 * previous header's step. A header without a title (`+++ ` alone) is text.
 */
export function parseBuildkiteMarker(line: string): MarkerEvent {
  if (line.startsWith('^^^ +++')) return line.slice(7).trim() === '' ? { kind: 'group_expand' } : TEXT;
  const match = HEADER.exec(line);
  if (match === null) return TEXT;
  return {
    kind: 'group_start',
    name: match[2] as string,
    key: null,
    collapsed: match[1] !== '+++',
    closing: 'next_header',
  };
}
