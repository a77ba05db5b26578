// Owns sealing logs into compressed chunks in the background: each ended execution's tail, and logs stored before chunks existed.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { EventBus } from '../bus/event-bus.js';
import type { Store } from '../store/store.js';
import type { ServiceLogger } from './service-deps.js';

/** What the sealer needs. */
export interface LogSealerDeps {
  store: Store;
  bus: EventBus;
  logger: ServiceLogger;
  /** Lines sealed per store call (one transaction), with a loop turn between calls. */
  batchLines?: number;
}

/** The background sealer: started once the store is open, stopped before it closes. */
export interface LogSealer {
  /** Resolves once nothing is left to seal; returns how many backlog lines this pass sealed. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

const DEFAULT_BATCH_LINES = 5_000;

/** Starts the sealer: it works through the backlog at once (resumable: progress is in the store) and seals each ended log. */
export function startLogSealer(deps: LogSealerDeps): LogSealer {
  const ended: number[] = [];
  let stopped = false;
  let running: Promise<number> | null = null;

  async function pass(): Promise<number> {
    let sealed = 0;
    while (!stopped) {
      const id = ended.shift();
      if (id !== undefined) {
        await deps.store.sealLog(id);
      } else {
        const n = await deps.store.sealLogBacklog(deps.batchLines ?? DEFAULT_BATCH_LINES);
        if (n === 0) break;
        sealed += n;
      }
      // A million-line backlog is sealed a batch at a time so requests are served in between.
      await yieldToLoop();
    }
    if (sealed > 0) deps.logger.info({ lines: sealed }, 'sealed stored log lines into compressed chunks');
    return sealed;
  }

  function schedule(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    running ??= pass()
      .catch((error: unknown) => {
        deps.logger.warn({ err: error }, 'sealing log chunks failed; the lines stay readable and are sealed on the next pass');
        return 0;
      })
      .finally(() => {
        running = null;
        if (ended.length > 0) void schedule();
      });
    return running;
  }

  const unsubscribe = deps.bus.subscribe((event) => {
    if (event.type !== 'execution_completed') return;
    ended.push(event.execution.id);
    void schedule();
  });
  void schedule();
  return {
    async drain() {
      let sealed = 0;
      while (running !== null) sealed += await running;
      return sealed;
    },
    async stop() {
      stopped = true;
      unsubscribe();
      await running;
    },
  };
}
