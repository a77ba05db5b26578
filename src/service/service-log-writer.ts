// Owns the service's log writer: what a stored batch publishes, and why a run fails when its lines cannot be stored.
import { createLogWriter, type LogWriter } from './log-writer.js';
import type { DatabaseOutage } from './database-outage.js';
import { describeStorageFailure, isStorageFailure } from './storage-failure.js';
import type { ServiceDeps } from './service-deps.js';

/** What the log writer tells the runs about (the run supervisor, created after it). */
export interface LogWriterRuns {
  /** Settles once the run's queued step and execution writes are stored; null when it is not running. */
  writesSettled(executionId: number): Promise<void> | null;
  fail(executionId: number, message: string): void;
}

const MIB = 1024 * 1024;

/** Creates the log writer of the service: lines wait through database outages up to `settings.outageBufferMb`. */
export function createServiceLogWriter(deps: ServiceDeps, outage: DatabaseOutage, runs: LogWriterRuns): LogWriter {
  const { bus, settings } = deps;
  const bufferMb = settings.outageBufferMb ?? 64;
  return createLogWriter(deps.store, {
    flushMs: settings.logFlushMs,
    batchLines: settings.logBatchLines,
    onCommitted: (executionId, lines) => {
      // A step row is saved (and gets its id) on the run's own write chain; lines are published after it, so a
      // subscriber never sees a line of a step whose step_updated it has not had yet.
      const publish = (): void => bus.publish({ type: 'log_lines', execution_id: executionId, lines });
      const settled = runs.writesSettled(executionId);
      if (settled === null) publish();
      else void settled.then(publish);
    },
    onFailed: (executionId, error) => {
      deps.logger.error({ execution_id: executionId, err: error }, 'log lines could not be stored');
      if (isStorageFailure(error)) deps.onStorageFailure?.(error);
      runs.fail(executionId, describeStorageFailure(error));
    },
    refusal: () => deps.storageProblem?.() ?? null,
    onRefused: (executionId, reason) => runs.fail(executionId, reason),
    outage,
    maxPendingChars: bufferMb * MIB,
    onOverflow: (executionId) => {
      const waiting = outage.problem();
      runs.fail(
        executionId,
        `output not stored: ${bufferMb} MiB of output are held in memory waiting for the database ` +
          `(STEPFLOW_OUTAGE_BUFFER_MB)${waiting === null ? '' : ` (${waiting})`}, so the execution was stopped; ` +
          'the lines held before that are stored once the database answers',
      );
    },
  });
}
