// Owns one run's ARTIFACT bookkeeping: collection in announcement order, retries of missing files, warning lines.
import type { ExecutionRecord } from '../../core/execution.js';
import type { EngineEffect } from '../../engine/engine-types.js';
import type { ServiceLogger } from '../service-deps.js';

/** The engine effect an ARTIFACT marker produces. */
export type ArtifactEffect = Extract<EngineEffect, { type: 'artifact' }>;

/** What became of one attempt to keep an announced artifact. */
export type ArtifactOutcome = { status: 'recorded' } | { status: 'missing' } | { status: 'refused'; warning: string };

/** Hook for ARTIFACT markers: keeps the announced file, or says it is missing (retried later) or refused (with a warning line). */
export type ArtifactHandler = (record: ExecutionRecord, effect: ArtifactEffect) => Promise<ArtifactOutcome>;

/** The artifact side of one running execution. */
export interface RunArtifacts {
  /** Queues the collection of an announced artifact; it starts once `after` (the store writes queued before it) settled. */
  announce(effect: ArtifactEffect, after: Promise<void>): void;
  /** Retries the still-missing artifacts announced in this step. */
  stepEnded(stepIndex: number, after: Promise<void>): void;
  /** Waits for queued work, retries what is still missing one last time and reports what never appeared. */
  settle(): Promise<void>;
  /** Artifacts recorded so far. */
  readonly count: number;
}

/**
 * Tracks the ARTIFACT markers of one run. Work runs on its own chain, so copying a large file never
 * delays the run's step and execution writes; `note` adds a warning line to the execution's log.
 */
export function trackRunArtifacts(record: ExecutionRecord, handler: ArtifactHandler, note: (line: string) => void, logger: ServiceLogger): RunArtifacts {
  let chain: Promise<void> = Promise.resolve();
  let count = 0;
  // Missing files by step, so a step's end retries its own without walking everyone else's.
  const waiting = new Map<number | null, Array<{ effect: ArtifactEffect; order: number }>>();
  let missed = 0;

  async function attempt(effect: ArtifactEffect, final: boolean): Promise<void> {
    let outcome: ArtifactOutcome;
    try {
      outcome = await handler(record, effect);
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
      await chain;
      const last = [...waiting.values()].flat().sort((a, b) => a.order - b.order);
      waiting.clear();
      for (const { effect } of last) await attempt(effect, true);
    },
    get count() {
      return count;
    },
  };
}
