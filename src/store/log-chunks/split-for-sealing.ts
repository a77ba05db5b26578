// Owns where chunk boundaries fall: at a step change, or when a chunk reaches its line or size limit.
import type { LogLine } from '../../core/log-line.js';
import { CHUNK_MAX_CHARS, CHUNK_MAX_LINES } from './log-chunk.js';

/** Lines cut into runs ready to seal, and the unfinished run that stays in the live tail. */
export interface SealingPlan {
  sealed: LogLine[][];
  rest: LogLine[];
}

/**
 * Cuts ascending, contiguous lines into chunks. A run is complete when the next line belongs to another step or
 * the run is full; `final` (the log has ended) seals the last run too.
 */
export function splitForSealing(lines: readonly LogLine[], final: boolean): SealingPlan {
  const sealed: LogLine[][] = [];
  let run: LogLine[] = [];
  let chars = 0;
  for (const line of lines) {
    const first = run[0];
    if (first !== undefined && first.step_index !== line.step_index) {
      sealed.push(run);
      run = [];
      chars = 0;
    }
    run.push(line);
    chars += line.content.length;
    if (run.length >= CHUNK_MAX_LINES || chars >= CHUNK_MAX_CHARS) {
      sealed.push(run);
      run = [];
      chars = 0;
    }
  }
  if (final && run.length > 0) return { sealed: [...sealed, run], rest: [] };
  return { sealed, rest: run };
}

/** True when appending `lines` to a tail of `tailCount` lines, `tailChars` characters, last step `tailStep` would complete a chunk. */
export function completesChunk(
  tailCount: number,
  tailChars: number,
  tailStep: number | null | undefined,
  lines: readonly LogLine[],
): boolean {
  let count = tailCount;
  let chars = tailChars;
  let step = tailStep;
  for (const line of lines) {
    if (count > 0 && step !== line.step_index) return true;
    count++;
    chars += line.content.length;
    step = line.step_index;
    if (count >= CHUNK_MAX_LINES || chars >= CHUNK_MAX_CHARS) return true;
  }
  return false;
}
