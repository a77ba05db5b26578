// Owns start-up recovery: executions a previous server process left running are failed, pending ones re-queued.
import type { ExecutionRecord } from '../core/execution.js';
import { closeExecution } from './close-execution.js';
import type { PendingEnds } from './pending-ends.js';
import type { ServiceDeps } from './service-deps.js';

/** What recovery did: how many runs were interrupted, the pending executions to queue again (oldest first), and agents' runs to adopt. */
export interface RecoveryResult {
  interrupted: number;
  pending: ExecutionRecord[];
  /** Running on an agent: they did not stop with this server, and their agent resumes sending them. */
  adopted: ExecutionRecord[];
}

const INTERRUPTED = 'interrupted: server stopped';

/**
 * Marks `running` executions failed (the local executor kills what they left running) and closes their open
 * steps. On a full disk an end that does not fit is kept in `ends` and stored once there is room.
 */
export async function recoverInterruptedExecutions(deps: ServiceDeps, ends: PendingEnds, killLeftovers: (record: ExecutionRecord) => boolean): Promise<RecoveryResult> {
  const { store, clock, logger } = deps;
  const now = clock.now();
  const all = await store.listExecutionsByStatus(['running']);
  const running = all.filter((record) => record.agent === null);
  for (const record of running) {
    if (killLeftovers(record)) {
      logger.warn({ execution_id: record.id, pid: record.pid }, 'killed the process group of an interrupted execution');
    }
    const patch = { status: 'failed' as const, error_message: INTERRUPTED, completed_at: now, current_step_index: null, pid: null };
    await ends.settle(record.id, () => closeExecution(store, record.id, patch, INTERRUPTED, now));
    logger.info({ execution_id: record.id }, 'execution marked failed: interrupted by a server stop');
  }
  const pending = await store.listExecutionsByStatus(['pending']);
  return { interrupted: running.length, pending, adopted: all.filter((record) => record.agent !== null) };
}
