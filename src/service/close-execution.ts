// Owns the write that ends an execution, closing the steps a storage failure or a server stop left open.
import type { ExecutionPatch } from '../core/execution.js';
import type { Store } from '../store/store.js';

/**
 * Marks the execution's `running` and `pending` steps failed with `stepError` (skipped when null), counting
 * them in `failed_steps`, then stores `patch`. Every write sets absolute values, so the whole can be retried.
 */
export async function closeExecution(
  store: Store,
  executionId: number,
  patch: ExecutionPatch,
  stepError: string | null,
  at: number,
): Promise<void> {
  if (stepError === null) return store.updateExecution(executionId, patch);
  let failed = 0;
  for (const step of await store.listSteps(executionId)) {
    if (step.status === 'failed') failed++;
    if (step.status !== 'running' && step.status !== 'pending') continue;
    await store.saveStep(executionId, { ...step, status: 'failed', error_message: stepError, completed_at: at });
    failed++;
  }
  await store.updateExecution(executionId, { ...patch, failed_steps: failed });
}
