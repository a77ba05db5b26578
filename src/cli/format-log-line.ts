// Owns how one script line is printed: its own text, a `\r`-updated line as its final state, stderr red and StepFlow's notices dim when colours are on.
import type { WireLogLine } from '../core/wire-types.js';
import type { Colors } from './color-status.js';

// eslint-disable-next-line no-control-regex -- colour codes set before a carriage return still apply after it
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * What a terminal leaves of a line that redrew itself with `\r` (npm, pip, curl, docker pull progress): the text after
 * the last carriage return, with the colours set before it. A trailing `\r` (CRLF output) is kept as printed.
 */
export function finalLineState(content: string): string {
  const body = content.endsWith('\r') ? content.slice(0, -1) : content;
  const cut = body.lastIndexOf('\r');
  if (cut === -1) return content;
  const colours = body.slice(0, cut).match(SGR)?.join('') ?? '';
  return colours + body.slice(cut + 1);
}

/** The line's content (its final state when it redrew itself) plus a newline; colour is the only thing added, and only when `colors` is enabled. */
export function formatLogLine(line: Pick<WireLogLine, 'content' | 'stream'>, colors: Colors): string {
  const content = finalLineState(line.content);
  if (!colors.isColorSupported) return `${content}\n`;
  if (line.stream === 'stderr') return `${colors.red(content)}\n`;
  if (line.stream === 'system') return `${colors.dim(content)}\n`;
  return `${content}\n`;
}
