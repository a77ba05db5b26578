// Owns checking one agent batch against what is stored: applied once, in order, no gaps, nothing forged.
import type { AgentBatch } from '../../core/agent-protocol.js';
import { AppError } from '../../core/app-error.js';
import type { EngineEffect } from '../../engine/engine-types.js';

/** What to do with a batch: answer it was already stored, or apply these effects (lines already stored left out). */
export type BatchPlan = { kind: 'duplicate' } | { kind: 'apply'; effects: EngineEffect[]; lastLine: number };

/** Where the run stands: the last batch number applied (null: unknown since a restart) and the last line accepted. */
export interface BatchPosition {
  lastSeq: number | null;
  lastLine: number;
}

/**
 * Decides what a batch does without changing anything, so a refused batch stores nothing: a batch number already
 * applied is a duplicate; a skipped number, a skipped line or lines out of order are refused; lines already stored are
 * left out (a batch resent after a lost acknowledgement); `finished` may come only last.
 */
export function planBatch(position: BatchPosition, batch: AgentBatch): BatchPlan {
  const { lastSeq, lastLine } = position;
  if (lastSeq !== null && batch.seq <= lastSeq) return { kind: 'duplicate' };
  if (lastSeq !== null && batch.seq > lastSeq + 1) {
    throw new AppError(
      'agent_batch_gap',
      `batch ${batch.seq} of execution ${batch.execution_id} skips a number: the next batch is ${lastSeq + 1}`,
      'seq',
    );
  }
  const effects: EngineEffect[] = [];
  let previous: number | null = null;
  batch.effects.forEach((effect, i) => {
    if (effect.type === 'finished' && i !== batch.effects.length - 1)
      throw new AppError('validation_failed', '"finished" must be the last effect of its batch', `effects.${i}`);
    if (effect.type !== 'log') return effects.push(effect as EngineEffect);
    const line = effect.line.line;
    if (previous !== null && line !== previous + 1)
      throw new AppError(
        'agent_batch_gap',
        `line ${line} follows line ${previous}: lines must be numbered consecutively`,
        `effects.${i}`,
      );
    if (previous === null && line > lastLine + 1)
      throw new AppError(
        'agent_batch_gap',
        `line ${line} would leave a gap: the next line of execution ${batch.execution_id} is ${lastLine + 1}`,
        `effects.${i}`,
      );
    previous = line;
    if (line > lastLine) effects.push(effect);
  });
  return { kind: 'apply', effects, lastLine: Math.max(lastLine, previous ?? 0) };
}
