// Owns how one script line is printed: its own text unchanged, stderr red and StepFlow's notices dim when colours are on.
import type { WireLogLine } from '../core/wire-types.js';
import type { Colors } from './color-status.js';

/** The line's content plus a newline; colour is the only thing ever added, and only when `colors` is enabled. */
export function formatLogLine(line: Pick<WireLogLine, 'content' | 'stream'>, colors: Colors): string {
  if (!colors.isColorSupported) return `${line.content}\n`;
  if (line.stream === 'stderr') return `${colors.red(line.content)}\n`;
  if (line.stream === 'system') return `${colors.dim(line.content)}\n`;
  return `${line.content}\n`;
}
