// Owns which first characters can open a marker in each dialect, and the per-scanner table of those that cannot.
import type { MarkerDialect } from './marker-dialect.js';
import type { MarkerMatchMode } from './marker-event.js';

/** First characters of StepFlow's tokens at line start: S s A a M m P p and ':' (`::add-mask::`). */
export const STEPFLOW_STARTS: ReadonlySet<number> = new Set([83, 115, 65, 97, 77, 109, 80, 112, 58]);

// The column-0 characters each other dialect's commands begin with (after spaces or tabs, which never take the fast path).
const DIALECT_STARTS: Readonly<Record<Exclude<MarkerDialect, 'stepflow'>, string>> = {
  github: ':',
  gitlab: 's',
  azure: '#',
  teamcity: '#',
  buildkite: '-+~^',
  tap: 'on#B-',
};

/**
 * A table over printable ASCII: 1 where a line starting with that character can be no marker of any chosen dialect,
 * so the scanner answers "text" after one look. Empty (all 0) when StepFlow markers may appear anywhere in a line.
 */
export function buildPlainLineStarts(dialects: readonly MarkerDialect[], mode: MarkerMatchMode): Uint8Array {
  const table = new Uint8Array(128);
  if (dialects.includes('stepflow') && mode !== 'line_start') return table;
  for (let code = 33; code <= 126; code++) table[code] = 1;
  const block = (code: number): void => void (table[code] = 0);
  if (dialects.includes('stepflow')) STEPFLOW_STARTS.forEach(block);
  for (const dialect of dialects) {
    if (dialect === 'stepflow') continue;
    for (const char of DIALECT_STARTS[dialect]) block(char.charCodeAt(0));
  }
  return table;
}
