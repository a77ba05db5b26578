// Owns the live feed across servers: local bus events become cluster notices, other servers' notices become bus events read from the store.
import type { EventBus, StepflowEvent } from '../bus/event-bus.js';
import { isTerminalStatus } from '../core/execution.js';
import type { ClusterCoordinator, ClusterNotice } from '../store/cluster-coordinator.js';
import type { Store } from '../store/store.js';
import type { ServiceLogger } from './service-deps.js';

/** What the relay needs; `watched` says whether anyone here follows the execution (lines are read only for those). */
export interface ClusterRelayDeps {
  store: Store;
  bus: EventBus;
  cluster: ClusterCoordinator;
  logger: ServiceLogger;
  watched: (executionId: number) => boolean;
  /** Another server has pending executions it cannot run now: try to claim. */
  onPending: () => void;
  /** Another server was asked to cancel an execution this one may be running. */
  onCancel: (executionId: number) => void;
  /** A server took over an agent's execution (`release`), or let go of one (`released`). */
  onHandOff: (notice: Extract<ClusterNotice, { kind: 'release' | 'released' }>) => void;
}

/** The notice announcing a local event, or null for events others need not hear. */
function toNotice(server: string, event: StepflowEvent): ClusterNotice | null {
  switch (event.type) {
    case 'execution_created':
      return { kind: 'execution', server, execution_id: event.execution.id, event: 'created' };
    case 'execution_started':
      return { kind: 'execution', server, execution_id: event.execution.id, event: 'started' };
    case 'execution_updated':
      return { kind: 'execution', server, execution_id: event.execution.id, event: 'updated' };
    case 'execution_completed':
      return { kind: 'execution', server, execution_id: event.execution.id, event: 'completed' };
    case 'execution_deleted':
      return { kind: 'execution', server, execution_id: event.execution_id, event: 'deleted' };
    case 'step_updated':
      return { kind: 'step', server, execution_id: event.execution_id, step_index: event.step.index };
    case 'artifact_created':
      return { kind: 'artifact', server, execution_id: event.execution_id, artifact_id: event.artifact.id };
    case 'log_lines': {
      const first = event.lines[0];
      const last = event.lines.at(-1);
      return first && last
        ? { kind: 'lines', server, execution_id: event.execution_id, from: first.line, to: last.line }
        : null;
    }
  }
}

/** The bus event a notice stands for, read from the store (null when there is nothing to publish). */
async function toEvent(
  store: Store,
  notice: ClusterNotice,
  watched: (id: number) => boolean,
): Promise<StepflowEvent | null> {
  switch (notice.kind) {
    case 'lines': {
      if (!watched(notice.execution_id)) return null;
      const page = await store.readLogLines(notice.execution_id, {
        offset: notice.from - 1,
        limit: notice.to - notice.from + 1,
      });
      return page.lines.length === 0
        ? null
        : { type: 'log_lines', execution_id: notice.execution_id, lines: page.lines };
    }
    case 'step': {
      const step = (await store.listSteps(notice.execution_id)).find((s) => s.index === notice.step_index);
      return step ? { type: 'step_updated', execution_id: notice.execution_id, step } : null;
    }
    case 'artifact': {
      const artifact = await store.getArtifact(notice.artifact_id);
      return artifact ? { type: 'artifact_created', execution_id: notice.execution_id, artifact } : null;
    }
    case 'execution':
      return executionEvent(store, notice.execution_id, notice.event);
    default:
      return null;
  }
}

async function executionEvent(
  store: Store,
  executionId: number,
  event: 'created' | 'started' | 'updated' | 'completed' | 'deleted',
): Promise<StepflowEvent | null> {
  if (event === 'deleted') return { type: 'execution_deleted', execution_id: executionId };
  const execution = await store.getExecution(executionId);
  if (!execution) return null;
  if (event === 'completed' && isTerminalStatus(execution.status)) {
    const artifacts = await store.listArtifacts({ execution_id: executionId, limit: 1, offset: 0 });
    return { type: 'execution_completed', execution, artifacts_count: artifacts.total_count };
  }
  return {
    type: event === 'created' ? 'execution_created' : event === 'started' ? 'execution_started' : 'execution_updated',
    execution,
  };
}

/** Starts relaying; returns the function that stops it. Notices of one execution are handled in arrival order. */
export async function startClusterRelay(deps: ClusterRelayDeps): Promise<() => void> {
  const { bus, cluster, logger } = deps;
  let relaying = false;
  const chains = new Map<number, Promise<void>>();
  const unsubscribe = bus.subscribe((event) => {
    if (relaying) return;
    const notice = toNotice(cluster.serverName, event);
    if (notice)
      cluster
        .notify(notice)
        .catch((error: unknown) => logger.warn({ err: error }, 'could not notify the other servers'));
  });
  const publish = async (notice: ClusterNotice): Promise<void> => {
    const event = await toEvent(deps.store, notice, deps.watched);
    if (!event) return;
    relaying = true;
    try {
      bus.publish(event);
    } finally {
      relaying = false;
    }
  };
  await cluster.listen((notice) => {
    if (notice.kind === 'pending') return deps.onPending();
    if (notice.kind === 'cancel') return deps.onCancel(notice.execution_id);
    if (notice.kind === 'release' || notice.kind === 'released') return deps.onHandOff(notice);
    const id = notice.execution_id;
    const next = (chains.get(id) ?? Promise.resolve())
      .then(() => publish(notice))
      .catch((error: unknown) =>
        logger.warn({ err: error, execution_id: id }, 'could not relay a change from another server'),
      );
    chains.set(id, next);
    void next.then(() => {
      if (chains.get(id) === next) chains.delete(id);
    });
  });
  return unsubscribe;
}
