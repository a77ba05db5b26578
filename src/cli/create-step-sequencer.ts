// Owns putting step changes in order with the log: a change is released only once the lines before it are out.
import type { WireStep } from '../core/wire-types.js';

/** Orders step changes against the log position (the last line number handed on). */
export interface StepSequencer {
  /** Queues a step change; it is released once the log has reached the line it belongs after. */
  step(step: WireStep): void;
  /** Moves the log position forward and releases every change that is now due. */
  advance(lastLine: number): void;
  /** Releases everything still queued (the execution has ended, no more lines are coming). */
  flush(): void;
}

/**
 * Steps and lines travel separately (lines are batched, step changes are not), so without this a
 * step could be shown as finished before its last lines. A started step belongs before its first
 * line, a finished one after its last; changes stay first-in first-out so one step's order holds.
 * A step first seen finished is also released as running first, so every step that ran is shown starting.
 */
export function createStepSequencer(release: (step: WireStep) => void, position = 0): StepSequencer {
  const queue: { after: number; step: WireStep }[] = [];
  const started = new Set<string>();
  let lastLine = position;
  const drain = (all: boolean): void => {
    while (queue.length > 0 && (all || (queue[0]?.after ?? 0) <= lastLine)) {
      const next = queue.shift();
      if (next) release(next.step);
    }
  };
  return {
    step(step) {
      const finished =
        step.status === 'completed' ||
        step.status === 'failed' ||
        step.status === 'cancelled' ||
        step.status === 'skipped';
      const startAfter = Math.max(0, (step.first_line ?? 1) - 1);
      // A step first seen finished (a fast one) still gets its start released before its lines.
      if (!started.has(step.id) && step.status !== 'pending' && step.first_line !== null) {
        started.add(step.id);
        if (finished) queue.push({ after: startAfter, step: { ...step, status: 'running' } });
      }
      queue.push({ after: finished ? (step.last_line ?? 0) : startAfter, step });
      drain(false);
    },
    advance(line) {
      lastLine = Math.max(lastLine, line);
      drain(false);
    },
    flush: () => drain(true),
  };
}
