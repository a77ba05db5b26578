// Owns the cancel use case: a pending execution ends at once; a running one is stopped wherever it runs (here, another server, an agent).
import { AppError } from '../core/app-error.js';
import { isTerminalStatus, type ExecutionRecord } from '../core/execution.js';
import type { AgentService } from './agents/agent-service.js';
import type { ExecutionQueue } from './execution-queue.js';
import type { RunSupervisor } from './run-supervisor.js';
import type { ServiceDeps } from './service-deps.js';
import { waitForRemoteEnd } from './wait-for-remote-end.js';

/** What cancelling works with besides the service's dependencies. */
export interface CancelParts {
  queue: ExecutionQueue;
  agents: AgentService;
  supervisor: RunSupervisor;
  load: (executionId: number) => Promise<ExecutionRecord>;
  /** True when the execution waits for an agent rather than this server's queue. */
  forAgents: (record: ExecutionRecord) => boolean;
}

/** Creates the cancel use case; it answers the execution once its end is stored. */
export function createCancelExecution(deps: ServiceDeps, parts: CancelParts) {
  const { store, bus, clock, settings } = deps;
  const cluster = deps.cluster ?? null;
  const { queue, agents, supervisor, load } = parts;
  const remoteWaitMs = settings.killGraceMs + 10_000;

  async function cancelPending(record: ExecutionRecord): Promise<ExecutionRecord> {
    const patch = { status: 'cancelled' as const, completed_at: clock.now(), error_message: 'cancelled by request' };
    await store.updateExecution(record.id, patch);
    return published({ ...record, ...patch });
  }

  function published(record: ExecutionRecord): ExecutionRecord {
    bus.publish({ type: 'execution_completed', execution: record, artifacts_count: 0 });
    return record;
  }

  return async function cancel(executionId: number): Promise<ExecutionRecord> {
    let record = await load(executionId);
    if (isTerminalStatus(record.status)) {
      throw new AppError('execution_finished', `execution ${executionId} already ended as ${record.status}`, 'id');
    }
    if (queue.remove(executionId)) {
      await cluster?.releaseClaim(executionId);
      return cancelPending(record);
    }
    if (parts.forAgents(record) && record.status === 'pending' && record.agent === null) {
      if (await agents.cancelQueued(executionId)) return published(await load(executionId));
      // An agent claimed it meanwhile: cancelled through the agent below.
      record = await load(executionId);
    }
    if (record.agent !== null) {
      // Whichever server the agent reaches tells it; answered once its end is stored (by the server holding its run).
      await agents.requestCancel(executionId);
      await cluster?.notify({ kind: 'cancel', server: cluster.serverName, execution_id: executionId });
      return waitForRemoteEnd(store, executionId, remoteWaitMs);
    }
    if (cluster && record.status === 'running' && !supervisor.isRunning(executionId)) {
      // Running on another server: ask it, and answer once its end is stored.
      await cluster.notify({ kind: 'cancel', server: cluster.serverName, execution_id: executionId });
      return waitForRemoteEnd(store, executionId, remoteWaitMs);
    }
    const stopping = supervisor.cancel(executionId);
    // A pending execution that just got its slot has no process yet; it is cancelled before it starts.
    if (!stopping) return cancelPending(record);
    await stopping;
    return load(executionId);
  };
}
