// Owns retention: deleting old finished executions, their logs and artifact files in the background, a little per turn.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { EventBus } from '../bus/event-bus.js';
import type { Clock } from '../core/clock.js';
import type { Store } from '../store/store.js';
import type { ServiceLogger } from './service-deps.js';

/** What retention needs; `deleteExecution` is the service's delete (rows, artifact files, bus event). */
export interface RetentionDeps {
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: ServiceLogger;
  deleteExecution: (executionId: number) => Promise<void>;
  /** Delete finished executions older than this many days; 0 turns the rule off. */
  retentionDays: number;
  /** Keep at most this many executions; 0 turns the rule off. */
  maxExecutions: number;
  /** Time between passes (default 60 s); a finished execution also starts one soon after. */
  intervalMs?: number;
}

/** The background retention loop. */
export interface Retention {
  /** Runs one pass now (or waits for the one under way); resolves with how many executions it deleted. */
  runPass(): Promise<number>;
  stop(): Promise<void>;
}

const EXECUTIONS_PER_BATCH = 5;
const LOG_LINES_PER_CHUNK = 5_000;
const DAY_MS = 86_400_000;

/** Starts retention, or returns an idle one when both rules are off. */
export function startRetention(deps: RetentionDeps): Retention {
  const enabled = deps.retentionDays > 0 || deps.maxExecutions > 0;
  let running: Promise<number> | null = null;
  let stopped = false;
  let soon: NodeJS.Timeout | null = null;

  async function deleteOne(executionId: number): Promise<void> {
    const last = await deps.store.lastLogLine(executionId);
    // Chunks by line range with a loop turn between them: one DELETE of a million lines would block every request.
    for (
      let through = LOG_LINES_PER_CHUNK;
      through < last + LOG_LINES_PER_CHUNK && !stopped;
      through += LOG_LINES_PER_CHUNK
    ) {
      await deps.store.deleteLogLines(executionId, through);
      await yieldToLoop();
    }
    if (!stopped) await deps.deleteExecution(executionId);
  }

  async function pass(): Promise<number> {
    let deleted = 0;
    while (!stopped) {
      const ids = await deps.store.listRetentionCandidates({
        finishedBefore: deps.retentionDays > 0 ? deps.clock.now() - deps.retentionDays * DAY_MS : null,
        keepNewest: deps.maxExecutions > 0 ? deps.maxExecutions : null,
        limit: EXECUTIONS_PER_BATCH,
      });
      if (ids.length === 0) break;
      for (const id of ids) {
        await deleteOne(id).catch((error: unknown) =>
          deps.logger.warn({ execution_id: id, err: error }, 'retention could not delete an execution'),
        );
        deleted++;
      }
      await yieldToLoop();
    }
    // Freed pages are reused by later writes; truncating the WAL gives its space back at once.
    if (deleted > 0) {
      await deps.store.optimize().catch(() => {});
      deps.logger.info({ deleted }, 'retention deleted old executions');
    }
    return deleted;
  }

  const retention: Retention = {
    runPass() {
      if (!enabled || stopped) return Promise.resolve(0);
      running ??= pass().finally(() => (running = null));
      return running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (soon) clearTimeout(soon);
      unsubscribe();
      await running?.catch(() => 0);
    },
  };
  const schedule = (): void => {
    if (!enabled || stopped || soon) return;
    soon = setTimeout(() => {
      soon = null;
      void retention.runPass().catch((error: unknown) => deps.logger.warn({ err: error }, 'retention pass failed'));
    }, 200);
    soon.unref();
  };
  const timer = setInterval(schedule, deps.intervalMs ?? 60_000);
  timer.unref();
  const unsubscribe = deps.bus.subscribe((event) => {
    if (event.type === 'execution_completed') schedule();
  });
  schedule();
  return retention;
}
