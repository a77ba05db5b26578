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
 * the run is full; `final` (the log has ended) seals the last run too, and `eager` (an append's batch ends
 * here) seals it once it holds half a chunk, or with the chunk before it as two halves when that chunk was cut
 * for size, so a batch of about a chunk or more is sealed whole rather than leaving lines as rows to be written,
 * read back and deleted.
 */
export function splitForSealing(lines: readonly LogLine[], final: boolean, eager = false): SealingPlan {
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
  if (run.length === 0 || !(final || eager)) return { sealed, rest: run };
  const full = sealed.at(-1);
  if (final || run.length >= CHUNK_MAX_LINES / 2 || chars >= CHUNK_MAX_CHARS / 2) sealed.push(run);
  else if (full?.[0]?.step_index === line0(run).step_index) {
    // The run continues a chunk cut for size: seal both as two halves instead of leaving a few lines as rows.
    const both = [...full, ...run];
    const half = Math.ceil(both.length / 2);
    sealed.splice(-1, 1, both.slice(0, half), both.slice(half));
  } else return { sealed, rest: run };
  return { sealed, rest: [] };
}

function line0(run: readonly LogLine[]): LogLine {
  return run[0] as LogLine;
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
