// Owns pacing execution starts: at most one per event-loop turn, so requests are served between starts (each writes to the store).

/** Runs queued jobs one per `setImmediate` turn, in order. */
export interface StartPacer {
  push(executionId: number): void;
  readonly size: number;
}

/** Creates a pacer that calls `start` for each pushed id, one per event-loop turn. */
export function createStartPacer(start: (executionId: number) => void): StartPacer {
  const waiting: number[] = [];
  let head = 0;
  let scheduled = false;

  function turn(): void {
    scheduled = false;
    const next = waiting[head];
    if (next === undefined) return;
    head++;
    if (head > 1024 && head * 2 > waiting.length) {
      waiting.splice(0, head);
      head = 0;
    }
    start(next);
    schedule();
  }

  function schedule(): void {
    if (!scheduled && head < waiting.length) {
      scheduled = true;
      setImmediate(turn);
    }
  }

  return {
    push(executionId) {
      waiting.push(executionId);
      schedule();
    },
    get size() {
      return waiting.length - head;
    },
  };
}
