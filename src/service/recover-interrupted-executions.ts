// Owns start-up recovery: executions a previous server process left running are failed, pending ones re-queued.
import type { ServiceDeps } from './service-deps.js';

/** What recovery did: how many runs were interrupted, and the pending ids to queue again (oldest first). */
export interface RecoveryResult {
  interrupted: number;
  pendingIds: number[];
}

const INTERRUPTED = 'interrupted: server stopped';

/** Marks `running` executions failed (killing their process groups if alive), closes their open steps. */
export async function recoverInterruptedExecutions(deps: ServiceDeps): Promise<RecoveryResult> {
  const { store, clock, logger } = deps;
  const now = clock.now();
  const running = await store.listExecutionsByStatus(['running']);
  for (const record of running) {
    if (record.pid !== null && deps.killOrphanGroup(record.pid)) {
      logger.warn({ execution_id: record.id, pid: record.pid }, 'killed the process group of an interrupted execution');
    }
    for (const step of await store.listSteps(record.id)) {
      if (step.status !== 'running' && step.status !== 'pending') continue;
      await store.saveStep(record.id, { ...step, status: 'failed', error_message: INTERRUPTED, completed_at: now });
    }
    await store.updateExecution(record.id, {
      status: 'failed',
      error_message: INTERRUPTED,
      completed_at: now,
      current_step_index: null,
      pid: null,
    });
    logger.info({ execution_id: record.id }, 'execution marked failed: interrupted by a server stop');
  }
  const pending = await store.listExecutionsByStatus(['pending']);
  return { interrupted: running.length, pendingIds: pending.map((record) => record.id) };
}
