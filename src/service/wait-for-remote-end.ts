// Owns waiting for an execution another server runs to end: bounded polling of the stored record.
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../core/app-error.js';
import { isTerminalStatus, type ExecutionRecord } from '../core/execution.js';
import type { Store } from '../store/store.js';

const POLL_MS = 50;

/** The execution once its stored status is terminal; execution_running (409) when that takes longer than `timeoutMs`. */
export async function waitForRemoteEnd(store: Store, executionId: number, timeoutMs: number): Promise<ExecutionRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await store.getExecution(executionId);
    if (!record) throw new AppError('execution_not_found', `execution ${executionId} not found`, 'id');
    if (isTerminalStatus(record.status)) return record;
    if (Date.now() > deadline)
      throw new AppError(
        'execution_running',
        `execution ${executionId} runs on another server, which has not stopped it within ${Math.round(timeoutMs / 1000)} s`,
      );
    await sleep(POLL_MS);
  }
}
