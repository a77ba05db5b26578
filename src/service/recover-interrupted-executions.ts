// Owns start-up recovery: executions a previous server process left running are failed, pending ones re-queued.
import type { ExecutionRecord } from '../core/execution.js';
import { closeExecution } from './close-execution.js';
import type { PendingEnds } from './pending-ends.js';
import type { ServiceDeps } from './service-deps.js';

/** What recovery did: how many runs were interrupted, the pending executions to queue again (oldest first), and agents' runs to adopt. */
export interface RecoveryResult {
  interrupted: number;
  pending: ExecutionRecord[];
  /** Running on an agent: they did not stop with this server; the server their agent's next batch reaches takes them up. */
  adopted: ExecutionRecord[];
}

const INTERRUPTED = 'interrupted: server stopped';

/**
 * Marks `running` executions failed (the local executor kills what they left running) and closes their open
 * steps. On a full disk an end that does not fit is kept in `ends` and stored once there is room.
 */
export async function recoverInterruptedExecutions(
  deps: ServiceDeps,
  ends: PendingEnds,
  killLeftovers: (record: ExecutionRecord) => boolean,
  own: readonly number[] | null = null,
): Promise<RecoveryResult> {
  const { store, clock, logger } = deps;
  const now = clock.now();
  const all = await store.listExecutionsByStatus(['running']);
  // With other servers on the database, only this server's own runs are its to recover; agents' runs are adopted, not failed.
  const running = all.filter((record) => record.agent === null && (own === null || own.includes(record.id)));
  for (const record of running) {
    if (killLeftovers(record)) {
      logger.warn({ execution_id: record.id, pid: record.pid }, 'killed the process group of an interrupted execution');
    }
    const patch = {
      status: 'failed' as const,
      error_message: INTERRUPTED,
      completed_at: now,
      current_step_index: null,
      pid: null,
    };
    await ends.settle(record.id, () => closeExecution(store, record.id, patch, INTERRUPTED, now));
    logger.info({ execution_id: record.id }, 'execution marked failed: interrupted by a server stop');
  }
  const adopted = all.filter((record) => record.agent !== null);
  const stored = await store.listExecutionsByStatus(['pending']);
  // The shared queue keeps the pending executions a server runs itself; those for agents wait in the database for a claim.
  const pending = own === null ? stored : stored.filter((record) => record.runs_on.length > 0);
  return { interrupted: running.length, pending, adopted };
}

/**
 * Fails the running executions of a server that stopped heartbeating, as `interrupted: server <name> lost`, and
 * announces each end. Their processes ran on that server, so there is nothing here to kill.
 */
export async function failLostServerExecutions(
  deps: ServiceDeps,
  ends: PendingEnds,
  server: string,
  running: readonly number[],
): Promise<void> {
  const { store, clock, bus, logger } = deps;
  const reason = `interrupted: server ${server} lost`;
  for (const id of running) {
    const now = clock.now();
    const patch = {
      status: 'failed' as const,
      error_message: reason,
      completed_at: now,
      current_step_index: null,
      pid: null,
    };
    await ends.settle(id, () => closeExecution(store, id, patch, reason, now));
    const record = await store.getExecution(id);
    if (record)
      bus.publish({
        type: 'execution_completed',
        execution: record,
        artifacts_count: (await store.listArtifacts({ execution_id: id, limit: 1, offset: 0 })).total_count,
      });
    logger.warn({ execution_id: id, server }, 'execution marked failed: its server was lost');
  }
}
