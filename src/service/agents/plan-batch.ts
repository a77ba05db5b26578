// Owns checking one agent batch against what is stored: applied once, in order, no gaps, nothing forged.
import { AGENT_MAX_LINE_CHARS, type AgentBatch, type AgentEffect } from '../../core/agent-protocol.js';
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
 * left out (a batch resent after a lost acknowledgement); `finished` may come only last. `lines` effects become one
 * `log` effect per line.
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
  const lines = new LineCheck(batch.execution_id, lastLine);
  const effects: EngineEffect[] = [];
  batch.effects.forEach((effect, i) => {
    if (effect.type === 'finished' && i !== batch.effects.length - 1)
      throw new AppError('validation_failed', '"finished" must be the last effect of its batch', `effects.${i}`);
    if (effect.type === 'lines') return lines.group(effect, `effects.${i}`, effects);
    if (effect.type !== 'log') return effects.push(effect as EngineEffect);
    lines.check(effect.line.line, effect.line.content, () => `effects.${i}`);
    if (effect.line.line > lastLine) effects.push(effect);
  });
  return { kind: 'apply', effects, lastLine: Math.max(lastLine, lines.previous ?? 0) };
}

/** Follows a batch's line numbers: consecutive, starting at most one past the last line accepted. */
class LineCheck {
  previous: number | null = null;

  constructor(
    private readonly executionId: string,
    private readonly lastLine: number,
  ) {}

  /** `field` names the line for an error; it is built only then (this runs for every line). */
  check(line: number, content: string, field: () => string): void {
    if (this.previous !== null && line !== this.previous + 1)
      throw new AppError(
        'agent_batch_gap',
        `line ${line} follows line ${this.previous}: lines must be numbered consecutively`,
        field(),
      );
    if (this.previous === null && line > this.lastLine + 1)
      throw new AppError(
        'agent_batch_gap',
        `line ${line} would leave a gap: the next line of execution ${this.executionId} is ${this.lastLine + 1}`,
        field(),
      );
    if (content.length > AGENT_MAX_LINE_CHARS)
      throw new AppError('validation_failed', `a line may hold at most ${AGENT_MAX_LINE_CHARS} characters`, field());
    this.previous = line;
  }

  /** Checks a `lines` effect and adds a `log` effect for each of its lines not stored yet. */
  group(effect: Extract<AgentEffect, { type: 'lines' }>, field: string, into: EngineEffect[]): void {
    const { first, content, ts, stream, step_index } = effect;
    // Numbered consecutively by construction: only where the group starts needs checking.
    this.check(first, '', () => `${field}.content.0`);
    for (let j = 0; j < content.length; j++) {
      const text = content[j]!;
      if (text.length > AGENT_MAX_LINE_CHARS)
        throw new AppError(
          'validation_failed',
          `a line may hold at most ${AGENT_MAX_LINE_CHARS} characters`,
          `${field}.content.${j}`,
        );
      if (first + j > this.lastLine)
        into.push({ type: 'log', line: { line: first + j, ts, stream, step_index, content: text } });
    }
    this.previous = first + content.length - 1;
  }
}
