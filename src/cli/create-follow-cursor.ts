// Owns the position of a follower in an execution's log: each line handed on once and in order, REST catch-up, the final read.
import type { WireArtifact, WireExecution, WireLogLine, WireLogPage, WireStep } from '../core/wire-types.js';
import type { ApiClient } from './api-client.js';
import { createStepSequencer } from './create-step-sequencer.js';

/** Where a follower's output goes. */
export interface FollowHandlers {
  /** Each log line after the starting line, exactly once, in line order. */
  onLine(line: WireLogLine): void;
  /** Step changes, ordered against the lines (may repeat a status; the receiver dedupes). */
  onStep?(step: WireStep): void;
  /** Something the user may want to know about the connection (dropped, resumed, polling). */
  onNotice?(message: string): void;
  /** Null when the output can take more now, else resolves once it can: a slow reader holds the follower back. */
  waitForRoom?(): Promise<void> | null;
}

/** The execution as the server has it once it has ended. */
export interface FollowResult {
  execution: WireExecution;
  steps: WireStep[];
  artifacts: WireArtifact[];
}

/** What to follow and from where. */
export interface FollowTarget {
  client: ApiClient;
  executionId: number;
  /** Lines up to and including this number are not handed on (0: from the start). */
  fromLine: number;
  /** When set, only this step's lines are handed on (the others still move the position). */
  stepId?: string | undefined;
  handlers: FollowHandlers;
}

/** A follower's position and the REST reads that move it. */
export interface FollowCursor {
  /** The last line number handed on or skipped; resuming starts after it. */
  readonly position: number;
  /** Hands a line on unless it is at or before the position. */
  deliver(line: WireLogLine): void;
  /** Queues step changes (ordered against the lines). */
  steps(steps: WireStep[]): void;
  /** Reads every stored line after the position over REST. */
  catchUp(): Promise<void>;
  /** Reads the execution, queues its steps, reads every line still missing, then releases all step changes. */
  finish(): Promise<FollowResult>;
}

const PAGE_LIMIT = 10_000;

/** Starts a cursor at `target.fromLine`. */
export function createFollowCursor(target: FollowTarget): FollowCursor {
  const { client, executionId, stepId, handlers } = target;
  let position = target.fromLine;
  const sequencer = createStepSequencer((step) => handlers.onStep?.(step), position);
  const deliver = (line: WireLogLine): void => {
    if (line.line <= position) return;
    position = line.line;
    if (stepId === undefined || line.step_id === stepId) handlers.onLine(line);
    sequencer.advance(position);
  };
  const catchUp = async (): Promise<void> => {
    for (;;) {
      // Line numbers are 1-based and contiguous, so "after line N" is offset N.
      const page = await client.get<WireLogPage>(`/api/executions/${executionId}/logs`, {
        offset: position,
        limit: PAGE_LIMIT,
      });
      for (const line of page.lines) deliver(line);
      await handlers.waitForRoom?.();
      if (!page.has_more || page.lines.length === 0) return;
    }
  };
  return {
    get position() {
      return position;
    },
    deliver,
    steps: (steps) => steps.forEach((step) => sequencer.step(step)),
    catchUp,
    async finish() {
      // The execution first: once it has ended, every line is stored, so the catch-up after it is complete.
      // Its steps are queued before the lines so each is released at its place in the log.
      const detail = await client.get<FollowResult>(`/api/executions/${executionId}`);
      detail.steps.forEach((step) => sequencer.step(step));
      await catchUp();
      sequencer.flush();
      return detail;
    },
  };
}
