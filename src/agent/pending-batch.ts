// Owns an agent run's next batch while it fills: effects in order, lines grouped into `lines` effects, its size.
import type { AgentEffect } from '../core/agent-protocol.js';
import type { LogLine } from '../core/log-line.js';

/** Most lines one `lines` effect carries. */
const MAX_GROUP_LINES = 4000;
/** Bytes counted for an effect that is not a line (a step, an artifact, …): a rough size of its JSON. */
const EFFECT_BYTES = 200;

/** The effects of one run not yet cut into a numbered batch. */
export class PendingBatch {
  effects: AgentEffect[] = [];
  /** About the bytes of the batch's JSON: what bounds a batch and counts against the spool. */
  bytes = 0;
  lines = 0;

  get empty(): boolean {
    return this.effects.length === 0;
  }

  add(effect: AgentEffect): void {
    this.effects.push(effect);
    this.bytes += EFFECT_BYTES;
  }

  /** Adds a line to the `lines` effect it continues (same stream, step and time), or starts one. O(1). */
  addLine(line: LogLine): void {
    const last = this.effects.at(-1);
    if (
      last?.type === 'lines' &&
      last.first + last.content.length === line.line &&
      last.ts === line.ts &&
      last.stream === line.stream &&
      last.step_index === line.step_index &&
      last.content.length < MAX_GROUP_LINES
    )
      last.content.push(line.content);
    else
      this.effects.push({
        type: 'lines',
        first: line.line,
        ts: line.ts,
        stream: line.stream,
        step_index: line.step_index,
        content: [line.content],
      });
    this.lines++;
    this.bytes += line.content.length + 8;
  }

  /** Hands over the effects and starts empty again. */
  take(): AgentEffect[] {
    const effects = this.effects;
    this.effects = [];
    this.bytes = 0;
    this.lines = 0;
    return effects;
  }
}
