// Owns the FIFO queue that holds executions as `pending` until a concurrency slot frees up.

/** A first-in-first-out queue with a limit on how many entries run at once. */
export interface ExecutionQueue {
  /** Adds an execution; it starts at once when a slot is free. */
  push(executionId: number): void;
  /** Removes a waiting execution; false when it is not waiting (running or unknown). */
  remove(executionId: number): boolean;
  /** Frees the slot of a finished execution and starts the next waiting one. */
  release(): void;
  /** Frees the slot of an execution that could not start after all and puts it back first in line. */
  requeue(executionId: number): void;
  /** Starts waiting executions again after `canStart` said no. */
  resume(): void;
  readonly running: number;
  readonly waiting: number;
}

/** Creates a queue that calls `start` for each execution when it gets a slot and `canStart()` allows it. */
export function createExecutionQueue(
  limit: number,
  start: (executionId: number) => void,
  canStart: () => boolean = () => true,
): ExecutionQueue {
  // A Set keeps insertion order (FIFO) and makes remove() O(1) for cancel of a pending execution.
  const waiting = new Set<number>();
  let running = 0;

  function drain(): void {
    while (running < limit && waiting.size > 0 && canStart()) {
      const next = waiting.values().next().value as number;
      waiting.delete(next);
      running++;
      start(next);
    }
  }

  return {
    push(executionId) {
      waiting.add(executionId);
      drain();
    },
    remove: (executionId) => waiting.delete(executionId),
    release() {
      running = Math.max(0, running - 1);
      drain();
    },
    requeue(executionId) {
      // Rebuilding the Set is O(waiting), but this only happens when storage fails during a start.
      const rest = [...waiting];
      waiting.clear();
      for (const id of [executionId, ...rest]) waiting.add(id);
      running = Math.max(0, running - 1);
      drain();
    },
    resume: drain,
    get running() {
      return running;
    },
    get waiting() {
      return waiting.size;
    },
  };
}
