// Owns one run's ARTIFACT bookkeeping: collection in announcement order, retries of missing files, warning lines, abandoning.
import type { ExecutionRecord } from '../../core/execution.js';
import type { EngineEffect } from '../../engine/engine-types.js';
import type { ServiceLogger } from '../service-deps.js';

/** The engine effect an ARTIFACT marker produces. */
export type ArtifactEffect = Extract<EngineEffect, { type: 'artifact' }>;

/** What became of one attempt to keep an announced artifact. */
export type ArtifactOutcome = { status: 'recorded' } | { status: 'missing' } | { status: 'refused'; warning: string };

/** Keeps the artifacts of one run; holds what it opened for the run (its roots) until `close`. */
export interface RunArtifactCollector {
  /** Keeps the announced file, or says it is missing (retried later) or refused (with a warning line); `signal` abandons it. */
  collect(effect: ArtifactEffect, signal: AbortSignal): Promise<ArtifactOutcome>;
  /** Releases what the collector holds; called once, after the last collection. */
  close(): Promise<void>;
}

/** Hook called before a run's script starts: pins what the run's ARTIFACT paths may point into and returns its collector. */
export type OpenRunArtifacts = (record: ExecutionRecord) => Promise<RunArtifactCollector>;

/** The artifact side of one running execution. */
export interface RunArtifacts {
  /** Queues the collection of an announced artifact; it starts once `after` (the store writes queued before it) settled. */
  announce(effect: ArtifactEffect, after: Promise<void>): void;
  /** Retries the still-missing artifacts announced in this step. */
  stepEnded(stepIndex: number, after: Promise<void>): void;
  /** Waits for queued work, retries what is still missing one last time, reports what never appeared, then closes the collector. */
  settle(): Promise<void>;
  /** Stops the collection under way and every later one, each with a warning line giving `reason`. */
  abandon(reason: string): void;
  /** Artifacts recorded so far. */
  readonly count: number;
}

/**
 * Tracks the ARTIFACT markers of one run. Work runs on its own chain, so copying a large file never
 * delays the run's step and execution writes; `note` adds a warning line to the execution's log.
 */
export function trackRunArtifacts(
  record: ExecutionRecord,
  collector: RunArtifactCollector,
  note: (line: string) => void,
  logger: ServiceLogger,
): RunArtifacts {
  let chain: Promise<void> = Promise.resolve();
  let count = 0;
  // Missing files by step, so a step's end retries its own without walking everyone else's.
  const waiting = new Map<number | null, Array<{ effect: ArtifactEffect; order: number }>>();
  let missed = 0;
  const abandoned = new AbortController();

  async function attempt(effect: ArtifactEffect, final: boolean): Promise<void> {
    let outcome: ArtifactOutcome;
    try {
      outcome = await collector.collect(effect, abandoned.signal);
    } catch (error) {
      logger.error({ execution_id: record.id, path: effect.path, err: error }, 'artifact could not be stored');
      const reason = error instanceof Error ? error.message : String(error);
      outcome = { status: 'refused', warning: `warning: artifact "${effect.path}" could not be stored: ${reason}` };
    }
    if (outcome.status === 'recorded') count++;
    else if (outcome.status === 'refused') note(outcome.warning);
    else if (final) note(`warning: artifact "${effect.path}" is missing: nothing was there when the execution ended`);
    else {
      const entry = { effect, order: missed++ };
      const list = waiting.get(effect.step_index);
      if (list === undefined) waiting.set(effect.step_index, [entry]);
      else list.push(entry);
    }
  }

  function queue(after: Promise<void>, work: () => Promise<void>): void {
    chain = chain
      .then(async () => {
        await after;
        await work();
      })
      .catch((error: unknown) => logger.error({ execution_id: record.id, err: error }, 'artifact bookkeeping failed'));
  }

  return {
    announce(effect, after) {
      queue(after, () => attempt(effect, false));
    },
    stepEnded(stepIndex, after) {
      queue(after, async () => {
        const due = waiting.get(stepIndex) ?? [];
        waiting.delete(stepIndex);
        for (const { effect } of due) await attempt(effect, false);
      });
    },
    async settle() {
      try {
        await chain;
        const last = [...waiting.values()].flat().sort((a, b) => a.order - b.order);
        waiting.clear();
        for (const { effect } of last) await attempt(effect, true);
      } finally {
        await collector
          .close()
          .catch((error: unknown) =>
            logger.error({ execution_id: record.id, err: error }, 'artifact roots could not be released'),
          );
      }
    },
    abandon(reason) {
      abandoned.abort(new Error(reason));
    },
    get count() {
      return count;
    },
  };
}
