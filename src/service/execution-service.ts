// Owns the execution use cases: create, list, cancel, delete, statistics, recovery, shutdown (reads of one: execution-reads.ts).
import { join } from 'node:path';
import { AppError } from '../core/app-error.js';
import type { ExecutionRecord } from '../core/execution.js';
import type { ExecutionFilter, ExecutionPage, ExecutionStatistics } from '../store/store.js';
import { createAgentService } from './agents/agent-service.js';
import type { LostServer } from '../store/cluster-coordinator.js';
import { ArtifactStorage } from './artifacts/artifact-storage.js';
import { createCancelExecution } from './cancel-execution.js';
import { createClaimFeed } from './claim-feed.js';
import { createExecutionQueue } from './execution-queue.js';
import { createLocalExecutor } from './local-executor.js';
import { createDatabaseOutage } from './database-outage.js';
import { createServiceLogWriter } from './service-log-writer.js';
import { createPendingEnds } from './pending-ends.js';
import { createStartPacer } from './start-pacer.js';
import { guardStorageWrite } from './storage-failure.js';
import { normalizeNewExecution, type CreateExecutionInput } from './normalize-new-execution.js';
import { createExecutionReads } from './execution-reads.js';
export type { ExecutionDetail } from './execution-reads.js';
import { failLostServerExecutions, recoverInterruptedExecutions } from './recover-interrupted-executions.js';
import { createRunSupervisor, type OpenRunArtifacts } from './run-supervisor.js';
import type { ServiceDeps } from './service-deps.js';

/** Statistics plus the live queue figures. */
export interface ServiceStatistics extends ExecutionStatistics {
  running_now: number;
  queued_now: number;
}

/** Milliseconds between attempts to store held writes while the database does not answer. */
const OUTAGE_RETRY_MS = 500;

/** Milliseconds a stopping server keeps trying to store held output before it gives up (the next start recovers the runs). */
const SHUTDOWN_OUTAGE_WAIT_MS = 10_000;

/** Log output this server holds in memory, not yet stored. */
export interface HeldOutput {
  /** Why writes are waiting for the database, or null while it answers. */
  problem: string | null;
  lines: number;
  /** Characters of line text (what STEPFLOW_OUTAGE_BUFFER_MB bounds). */
  chars: number;
}

/** The execution use cases every transport calls. */
export type ExecutionService = ReturnType<typeof createExecutionService>;

/** Creates the service; call `recover()` once before serving and `shutdown()` at the end. */
export function createExecutionService(deps: ServiceDeps, onArtifact: OpenRunArtifacts | null = null) {
  const { store, bus, clock, settings } = deps;
  const artifactFiles = new ArtifactStorage(settings.artifactPath ?? join(settings.storagePath, 'artifacts'));
  let accepting = true;
  // Non-null while the storage reserve is in use: nothing new starts or is accepted, and no more log lines are stored.
  const storageProblem = (): string | null => deps.storageProblem?.() ?? null;
  const reportStorageFailure = (error: unknown): void => deps.onStorageFailure?.(error);
  const ends = createPendingEnds(reportStorageFailure, deps.logger);
  // While the database does not answer, runs' writes and lines wait in memory (lines up to STEPFLOW_OUTAGE_BUFFER_MB).
  const outage = createDatabaseOutage({ clock, logger: deps.logger, retryMs: OUTAGE_RETRY_MS });
  const logWriter = createServiceLogWriter(deps, outage, {
    writesSettled: (executionId) => supervisor.writesSettled(executionId),
    fail: (executionId, message) => supervisor.fail(executionId, message),
  });
  const local = createLocalExecutor(deps);
  const supervisor = createRunSupervisor(deps, {
    logWriter,
    outage,
    ends,
    onArtifact,
    local,
    onFinished: (executionId, executor) => {
      if (!executor.onThisServer) return agents.finished(executionId);
      queue.release();
      feed?.pull();
    },
  });
  const agents = createAgentService(
    deps,
    {
      start: (record, executor) => supervisor.start(record, executor),
      fail: (executionId, message) => supervisor.fail(executionId, message),
      settled: (executionId) => supervisor.settled(executionId),
      flushLogs: () => logWriter.flushSoon(),
      release: (executionId) => supervisor.release(executionId),
    },
    (settings.agentLostSeconds ?? 60) * 1000,
  );
  // An execution asking for labels, or any execution on a coordinator-only server, waits for an agent.
  const forAgents = (runsOn: readonly string[] | undefined): boolean =>
    settings.localExecutor === false || (runsOn?.length ?? 0) > 0;
  const waitingCount = (): number => queue.waiting + agents.waiting;
  const queue = createExecutionQueue(
    settings.maxConcurrent,
    (executionId) => pacer.push(executionId),
    () => storageProblem() === null,
  );
  // fork+exec blocks the event loop for ~8 ms here; starting one process per loop turn lets a burst of
  // requests be answered between spawns instead of waiting behind all of them.
  const pacer = createStartPacer((executionId) => void startQueued(executionId));
  // With other servers on the database, the queue is theirs too: this server claims what its free slots can run.
  const cluster = deps.cluster ?? null;
  // A coordinator-only server runs nothing itself, so it claims nothing.
  const feed =
    cluster && settings.localExecutor !== false
      ? createClaimFeed(
          cluster,
          queue,
          settings.maxConcurrent,
          () => accepting && storageProblem() === null,
          deps.logger,
        )
      : null;

  async function startQueued(executionId: number): Promise<void> {
    // The pacer starts one turn after the queue: storage may have failed in between, and this run could not be stored.
    if (storageProblem() !== null) return queue.requeue(executionId);
    const record = await store.getExecution(executionId).catch(() => null);
    if (!record || record.status !== 'pending') {
      queue.release();
      return;
    }
    supervisor.start(record);
  }

  const reads = createExecutionReads(store);
  const loadExecution = reads.getRecord;

  const cancel = createCancelExecution(deps, {
    queue,
    agents,
    supervisor,
    load: loadExecution,
    forAgents: (record) => forAgents(record.runs_on),
  });

  return {
    async create(input: CreateExecutionInput): Promise<ExecutionRecord> {
      if (!accepting) throw new AppError('shutting_down', 'the server is shutting down and accepts no new executions');
      const problem = storageProblem();
      if (problem !== null) throw new AppError('storage_unavailable', problem);
      // Checked before anything is stored: an unbounded backlog would grow the database and memory without limit.
      if (waitingCount() >= (settings.maxQueued ?? Infinity)) {
        throw new AppError(
          'queue_full',
          `${waitingCount()} executions are already waiting; try again once some have started`,
        );
      }
      const remote = forAgents(input.runs_on);
      const normalized = await normalizeNewExecution(
        input,
        settings.defaultWorkingDirectory,
        settings.workingRoots,
        settings.markers,
        remote ? 'agent' : 'here',
      );
      const record = await guardStorageWrite(
        () => store.createExecution(normalized, clock.now()),
        deps.onStorageFailure,
      );
      bus.publish({ type: 'execution_created', execution: record });
      if (remote) agents.enqueue(record);
      else if (feed) feed.pull(true);
      else queue.push(record.id);
      return record;
    },

    /** Creates a new execution running what `executionId` ran (command, directory, environment, tags, name, timeout); `user` is who asked, else the old run's. */
    async rerun(executionId: number, user?: string): Promise<ExecutionRecord> {
      const old = await loadExecution(executionId);
      return this.create({
        name: old.name,
        command: typeof old.command === 'string' ? old.command : [...old.command],
        working_directory: old.working_directory,
        environment: old.environment,
        tags: old.tags,
        timeout: old.timeout_seconds,
        user: user ?? old.user,
        metadata: { rerun_of: String(old.id) },
        runs_on: old.runs_on,
        ...(old.markers === undefined || old.markers === null ? {} : { markers: [...old.markers] }),
      });
    },

    ...reads,
    list: (filter: ExecutionFilter): Promise<ExecutionPage> => store.listExecutions(filter),
    active: () => store.listExecutionsByStatus(['running', 'pending']),

    async statistics(): Promise<ServiceStatistics> {
      const stats = await store.statistics();
      return { ...stats, running_now: queue.running + agents.running, queued_now: waitingCount() };
    },

    cancel: (executionId: number): Promise<ExecutionRecord> => cancel(executionId),

    async delete(executionId: number, force: boolean): Promise<void> {
      const record = await loadExecution(executionId);
      if (record.status === 'running' || supervisor.isRunning(executionId)) {
        if (!force)
          throw new AppError(
            'execution_running',
            `execution ${executionId} is running; cancel it first or pass force=true`,
            'id',
          );
        // Discarded, not only cancelled: packing a big directory for an execution being deleted would only delay the delete.
        await supervisor.discard(executionId);
      }
      queue.remove(executionId);
      await logWriter.flush();
      await store.deleteExecution(executionId);
      await artifactFiles.removeExecution(executionId);
      bus.publish({ type: 'execution_deleted', execution_id: executionId });
    },

    async recover(): Promise<{ interrupted: number; requeued: number; adopted: number }> {
      const own = cluster && (await cluster.recoverOwn());
      const result = await recoverInterruptedExecutions(deps, ends, (record) => local.killLeftovers(record), own);
      // Agents' executions wait in the database: an agent claims them, or takes its runs up again, through any server.
      await agents.recover();
      for (const record of result.pending)
        if (!forAgents(record.runs_on) && record.agent === null) queue.push(record.id);
      feed?.pull();
      return { interrupted: result.interrupted, requeued: result.pending.length, adopted: result.adopted.length };
    },

    /** Claims pending executions from the shared queue while slots are free (a no-op without other servers). */
    pull: (): void => feed?.pull(),

    /** Fails what a lost server was running; its pending executions were already released to the queue. */
    failLost: (lost: LostServer): Promise<void> => failLostServerExecutions(deps, ends, lost.server, lost.running),

    /** Cancels the execution if this server runs it (a cancel that reached another server). */
    cancelLocal(executionId: number): void {
      if (supervisor.isRunning(executionId)) void supervisor.cancel(executionId);
      // The agent running it may be waiting on this server for its next instructions.
      agents.wakeAll();
    },

    counts: () => ({ running: queue.running + agents.running, queued: waitingCount() }),

    /** Output held in memory because the database does not answer (or not fast enough), and why. */
    heldOutput: (): HeldOutput => ({
      problem: outage.problem(),
      lines: logWriter.pending,
      chars: logWriter.pendingChars,
    }),

    /** The agent use cases (register, heartbeat, batches, list). */
    agents,

    /** Call once the storage reserve is back: stores the ends kept meanwhile, then starts the waiting executions. */
    async storageRestored(): Promise<void> {
      await ends.retry();
      queue.resume();
    },

    async shutdown(): Promise<void> {
      accepting = false;
      agents.close();
      // A database still away at shutdown would hold the runs' ends forever: after a while they are given up.
      const giveUp = setTimeout(() => outage.giveUp(), SHUTDOWN_OUTAGE_WAIT_MS);
      await supervisor.stopAll();
      await logWriter.flush();
      clearTimeout(giveUp);
      // Last chance for ends kept for lack of space; what still does not fit is failed by the next start's recovery.
      await ends.retry();
    },
  };
}
