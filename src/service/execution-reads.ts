// Owns the use cases that read one existing execution: its record, detail, log pages, raw log, log search and reports.
import { AppError } from '../core/app-error.js';
import type { ArtifactRecord } from '../core/artifact.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { StepRecord } from '../core/step.js';
import type { WireAnnotationPage, WireLogPage, WireStepSummary } from '../core/wire-types.js';
import type { Store } from '../store/store.js';
import { readLogPage, streamRawLog, type LogPageRequest, type RawLogFilter } from './read-log.js';
import { readAnnotationPage, readStepSummaries } from './read-reports.js';
import { searchLog, type LogSearchRequest, type LogSearchResult } from './search-log.js';

/** An execution with its steps and artifacts. */
export interface ExecutionDetail {
  execution: ExecutionRecord;
  steps: StepRecord[];
  artifacts: ArtifactRecord[];
}

/** Creates the reads; each starts by loading the execution, so an unknown id is execution_not_found (404, field `id`). */
export function createExecutionReads(store: Store) {
  async function getRecord(executionId: number): Promise<ExecutionRecord> {
    const record = await store.getExecution(executionId);
    if (!record) throw new AppError('execution_not_found', `execution ${executionId} not found`, 'id');
    return record;
  }

  return {
    getRecord,

    async get(executionId: number): Promise<ExecutionDetail> {
      const execution = await getRecord(executionId);
      const [steps, artifacts] = await Promise.all([
        store.listSteps(executionId),
        store.listArtifacts({ execution_id: executionId, limit: 10_000, offset: 0 }),
      ]);
      return { execution, steps, artifacts: artifacts.artifacts };
    },

    async annotations(executionId: number, page: { limit: number; offset: number }): Promise<WireAnnotationPage> {
      return readAnnotationPage(store, await getRecord(executionId), page);
    },

    async summaries(executionId: number): Promise<WireStepSummary[]> {
      return readStepSummaries(store, await getRecord(executionId));
    },

    async logs(executionId: number, request: LogPageRequest): Promise<WireLogPage> {
      return readLogPage(store, await getRecord(executionId), request);
    },

    /** Finds a text in the execution's whole stored log (case-insensitive, over visible text). */
    async searchLog(executionId: number, request: LogSearchRequest): Promise<LogSearchResult> {
      return searchLog(store, await getRecord(executionId), request);
    },

    /** Checks the execution exists, then streams its stored log as text. */
    async rawLog(executionId: number, filter: RawLogFilter = {}): Promise<AsyncGenerator<string>> {
      await getRecord(executionId);
      return streamRawLog(store, executionId, filter);
    },
  };
}
