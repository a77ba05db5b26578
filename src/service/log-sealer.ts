// Owns sealing logs into compressed chunks in the background: complete chunks of live logs, each ended execution's tail, and logs stored before chunks existed.
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
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
  /** How often to look again for ended logs left unsealed (another server died with them), in milliseconds. */
  sweepMs?: number;
}

/** The background sealer: started once the store is open, stopped before it closes. */
export interface LogSealer {
  /** Resolves once nothing is left to seal; returns how many backlog lines this pass sealed. */
  drain(): Promise<number>;
  stop(): Promise<void>;
}

const DEFAULT_BATCH_LINES = 5_000;
const DEFAULT_SWEEP_MS = 60_000;
/** Pause after a sealing batch while output arrives, per millisecond the batch took: 3 caps sealing at a quarter of the thread. */
const PAUSE_PER_WORK = 3;
const MAX_PAUSE_MS = 250;

/**
 * Starts the sealer, which seals behind appends a batch per loop turn: complete chunks of live logs that appends
 * left as rows, each log whole once its execution ends, and the backlog of ended logs left unsealed (resumable:
 * progress is in the store) at start and then every `sweepMs`. In a cluster a server that dies leaves its runs'
 * tails unsealed; once they are ended, whichever server sweeps first seals them (the store makes two servers
 * sealing the same log take turns, and the second finds nothing left).
 */
export function startLogSealer(deps: LogSealerDeps): LogSealer {
  const batch = deps.batchLines ?? DEFAULT_BATCH_LINES;
  const ended: number[] = [];
  let stopped = false;
  let backlog = true;
  let again = false;
  let running: Promise<number> | null = null;
  // Set when log lines were stored since the last sealing batch began.
  let arrived = false;

  /** One bounded step of work; false when nothing is left. */
  async function step(): Promise<{ busy: boolean; backlogLines: number }> {
    // Complete chunks first, a batch at a time: an ended log's whole-log seal is then only its short last chunk.
    if ((await deps.store.sealLiveLogs(batch)) > 0) return { busy: true, backlogLines: 0 };
    const id = ended.shift();
    if (id !== undefined) {
      await deps.store.sealLog(id);
      return { busy: true, backlogLines: 0 };
    }
    if (!backlog) return { busy: false, backlogLines: 0 };
    const n = await deps.store.sealLogBacklog(batch);
    backlog = n > 0;
    return { busy: backlog, backlogLines: n };
  }

  async function pass(): Promise<number> {
    let sealed = 0;
    again = false;
    while (!stopped) {
      arrived = false;
      const started = performance.now();
      const { busy, backlogLines } = await step();
      sealed += backlogLines;
      if (!busy) break;
      // Work is done a batch at a time so requests and appends are served in between. While output keeps arriving,
      // sealing takes at most a quarter of the thread, so compression never slows ingest by more than that; when
      // output stops, the sealer catches up at full speed (the tail stays readable meanwhile).
      if (arrived) await sleep(Math.min(MAX_PAUSE_MS, (performance.now() - started) * PAUSE_PER_WORK));
      else await yieldToLoop();
    }
    if (sealed > 0) deps.logger.info({ lines: sealed }, 'sealed stored log lines into compressed chunks');
    return sealed;
  }

  function schedule(): Promise<number> {
    if (stopped) return Promise.resolve(0);
    if (running !== null) {
      again = true;
      return running;
    }
    running = pass()
      .catch((error: unknown) => {
        deps.logger.warn(
          { err: error },
          'sealing log chunks failed; the lines stay readable and are sealed on the next pass',
        );
        return 0;
      })
      .finally(() => {
        running = null;
        if (again || ended.length > 0) void schedule();
      });
    return running;
  }

  const sweep = setInterval(() => {
    backlog = true;
    void schedule();
  }, deps.sweepMs ?? DEFAULT_SWEEP_MS);
  sweep.unref();
  const unsubscribe = deps.bus.subscribe((event) => {
    if (event.type === 'execution_completed') ended.push(event.execution.id);
    else if (event.type !== 'log_lines') return;
    else arrived = true;
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
      clearInterval(sweep);
      unsubscribe();
      await running;
    },
  };
}
