// Owns running executions: launches the runner, persists each engine effect as it happens, finishes the run.
import { RunReports } from './run-reports.js';
import type { MarkerDialect } from '../markers/marker-dialect.js';
import type { ExecutionPatch, ExecutionRecord } from '../core/execution.js';
import type { ExecutionProgress } from '../engine/engine-types.js';
import type { ActiveRun } from './active-run.js';
import { toCountersPatch } from './to-counters-patch.js';
import { trackRunArtifacts, type OpenRunArtifacts } from './artifacts/track-run-artifacts.js';
import { collectSecretValues, compileSecretNamePatterns } from '../core/collect-secret-values.js';
import { closeExecution } from './close-execution.js';
import type { LogWriter } from './log-writer.js';
import { ProgressBatch } from './progress-batch.js';
import { WriteChain } from './write-chain.js';
import type { DatabaseOutage } from './database-outage.js';
import { createRunEffects } from './run-effects.js';
import type { PendingEnds } from './pending-ends.js';
import type { Executor } from './executor.js';
import { describeStorageFailure, isStorageFailure } from './storage-failure.js';
import type { ServiceDeps } from './service-deps.js';

/** Starts, tracks, cancels and finishes executions. */
export interface RunSupervisor {
  /** Runs the execution on `executor` (default: this server's). */
  start(record: ExecutionRecord, executor?: Executor): void;
  /** Asks a running execution to stop; resolves once it has finished. Undefined when it is not running. */
  cancel(executionId: number): Promise<void> | undefined;
  /** Like cancel, for an execution about to be deleted: also abandons the artifact it is copying or packing. */
  discard(executionId: number): Promise<void> | undefined;
  isRunning(executionId: number): boolean;
  /** Settles once every step and execution write queued so far for this run is stored and published; null when it is not running. */
  writesSettled(executionId: number): Promise<void> | null;
  /** Fails a running execution (its output could not be stored, its agent was lost): stops it, ends it with `message`. */
  fail(executionId: number, message: string): void;
  /** Resolves once every store write of the run issued so far has landed (at once when it is not running). */
  settled(executionId: number): Promise<void>;
  /**
   * Lets go of a run without ending it (another server took over its agent's execution): stores what it accepted so far,
   * then forgets it; nothing more of it is written here.
   */
  release(executionId: number): Promise<void>;
  /**
   * Stops every execution running on this server (recorded as cancelled by shutdown), abandons artifact collection, and
   * waits for them to finish. Agents' executions keep running: the next server their agent reaches takes them up.
   */
  stopAll(): Promise<void>;
  readonly size: number;
}

export type { ArtifactOutcome, OpenRunArtifacts } from './artifacts/track-run-artifacts.js';

/** What the supervisor works with besides the service's dependencies. */
export interface RunSupervisorParts {
  logWriter: LogWriter;
  /** Where the end of a run goes when it cannot be stored yet. */
  ends: PendingEnds;
  /** Told once a run's end is stored (frees the local queue slot, or the agent's hold). */
  onFinished: (executionId: number, executor: Executor) => void;
  onArtifact: OpenRunArtifacts | null;
  /** Runs executions on this server. */
  local: Executor;
  /** Holds the run's writes, and its end, while the database does not answer. */
  outage: DatabaseOutage;
}

/** Creates the supervisor. */
export function createRunSupervisor(deps: ServiceDeps, parts: RunSupervisorParts): RunSupervisor {
  const { logWriter, ends, onFinished, onArtifact, outage } = parts;
  const effects = createRunEffects(deps, logWriter);
  const runs = new Map<number, ActiveRun>();
  const secretNames = compileSecretNamePatterns(deps.settings.secretNamePatterns ?? []);
  // The server's own secrets (STEPFLOW_API_KEY included) are masked too, even though children never get them.
  const serverSecrets = collectSecretValues(secretNames, deps.baseEnvironment);
  const { store, bus, logger } = deps;

  function stop(run: ActiveRun): void {
    if (run.handle) run.handle.cancel();
    else run.stopRequested = true;
  }

  function abandonArtifacts(run: ActiveRun, reason: string): void {
    run.abandoned = reason;
    run.artifacts?.abandon(reason);
  }

  function failRun(run: ActiveRun, message: string): void {
    if (run.failure) return;
    run.failure = message;
    logger.error({ execution_id: run.record.id, reason: message }, 'stopping execution');
    stop(run);
  }

  /** A write of this run failed: the host hears of a storage failure (and frees its reserve), the run stops. */
  function writeFailed(run: ActiveRun, error: unknown, what?: string): void {
    if (isStorageFailure(error)) deps.onStorageFailure?.(error);
    failRun(run, describeStorageFailure(error, what));
  }

  function persist(run: ActiveRun, write: () => Promise<void>): void {
    run.chain.push(write);
  }

  // Awaited before the script is launched: the roots are held open before the script could rename or replace them.
  async function openArtifacts(run: ActiveRun): Promise<void> {
    if (!onArtifact) return;
    try {
      const opened = await onArtifact(run.record);
      const collector = {
        ...opened,
        collect: async (effect: Parameters<typeof opened.collect>[0], signal: AbortSignal) => {
          try {
            return await opened.collect(effect, signal);
          } catch (error) {
            // An artifact that does not fit means the disk is full: the run ends failed rather than completed without it.
            if (isStorageFailure(error)) writeFailed(run, error, `artifact "${effect.path}" could not be stored`);
            throw error;
          }
        },
      };
      run.artifacts = trackRunArtifacts(run.record, collector, (content) => effects.note(run, content), logger);
      if (run.abandoned !== null) run.artifacts.abandon(run.abandoned);
    } catch (error) {
      logger.error(
        { execution_id: run.record.id, err: error },
        'artifact roots could not be opened; ARTIFACT markers of this execution are ignored',
      );
    }
  }

  async function finish(run: ActiveRun, final: ExecutionProgress): Promise<void> {
    // A run let go of (another server took it over) ends there, not here.
    if (runs.get(run.record.id) !== run) return;
    run.progress.close();
    run.reports.runEnded();
    await run.reports.settle();
    await run.chain.settled;
    await run.artifacts?.settle();
    await logWriter.flush();
    await run.chain.settled;
    await run.reports.close();
    logWriter.forget(run.record.id);
    const patch: ExecutionPatch = {
      ...toCountersPatch(final),
      metadata: final.metadata,
      current_step_index: null,
      pid: null,
    };
    if (run.failure) Object.assign(patch, { status: 'failed', error_message: run.failure });
    else if (run.stoppedByShutdown && final.status === 'cancelled')
      patch.error_message = 'cancelled: server shutting down';
    Object.assign(run.record, patch);
    const { id } = run.record;
    const failure = run.failure;
    // A storage failure may have lost step writes: the end closes whatever step is still open.
    const completedAt = final.completed_at ?? deps.clock.now();
    await ends.settle(id, () => outage.retry(() => closeExecution(store, id, patch, failure, completedAt)));
    runs.delete(run.record.id);
    bus.publish({
      type: 'execution_completed',
      execution: { ...run.record },
      artifacts_count: run.artifacts?.count ?? run.handle?.artifactsCount ?? 0,
    });
    logger.info(
      { execution_id: run.record.id, status: patch.status, exit_code: patch.exit_code },
      'execution finished',
    );
    onFinished(run.record.id, run.executor);
    run.resolveFinished();
  }

  function launch(run: ActiveRun): void {
    const record = run.record;
    run.handle = run.executor.start(
      {
        execution_id: record.id,
        command: record.command,
        working_directory: record.working_directory,
        // $GITHUB_STEP_SUMMARY names a file on this server: only a script running here can write it.
        environment: run.executor.onThisServer
          ? withSummaryFile(record.environment, run.reports.githubFile)
          : record.environment,
        timeout_seconds: record.timeout_seconds,
        metadata: record.metadata,
        engine: {
          markerMode: deps.settings.markerMode,
          markers: (record.markers as readonly MarkerDialect[] | null) ?? deps.settings.markers,
          secrets: [
            ...(run.executor.onThisServer ? serverSecrets : []),
            ...collectSecretValues(secretNames, record.environment),
          ],
        },
      },
      (batch) => effects.apply(run, batch),
    );
    // The runner cancels a script that has not spawned yet as soon as it does, recorded like any cancel.
    if (run.stopRequested) run.handle.cancel();
    void run.handle.done.then((final) => finish(run, final));
  }

  function start(record: ExecutionRecord, executor: Executor = parts.local): void {
    let resolveFinished = (): void => {};
    const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    // The run's own record: its metadata is updated in place as META keys arrive.
    const own: ExecutionRecord = { ...record, metadata: structuredClone(record.metadata) };
    const run: ActiveRun = {
      record: own,
      executor,
      handle: null,
      // Writes wait, in order, while the database does not answer.
      chain: new WriteChain(
        (error) => writeFailed(run, error),
        (write) => outage.retry(write),
      ),
      failure: null,
      stoppedByShutdown: false,
      stopRequested: false,
      abandoned: null,
      artifacts: null,
      lastLine: 0,
      finished,
      resolveFinished,
      progress: new ProgressBatch(own, deps.settings.logFlushMs, (flush) => effects.writeProgress(run, flush)),
      reports: new RunReports(own, {
        store,
        persist: (write) => persist(run, write),
        mask: (text) => run.handle?.mask?.(text) ?? text,
        note: (content) => effects.note(run, content),
        changed: () => bus.publish({ type: 'execution_updated', execution: { ...run.record } }),
      }),
    };
    runs.set(record.id, run);
    // Another machine's ARTIFACT paths name files there; its executor sends them, this server opens nothing for them.
    const opened = executor.onThisServer ? openArtifacts(run) : Promise.resolve();
    // $GITHUB_STEP_SUMMARY is a file on this server (see launch): only a run here gets one to create and watch.
    void opened.then(() => (executor.onThisServer ? run.reports.open() : null)).then(() => launch(run));
  }

  return {
    start,
    cancel(executionId) {
      const run = runs.get(executionId);
      if (!run) return undefined;
      stop(run);
      return run.finished;
    },
    discard(executionId) {
      const run = runs.get(executionId);
      if (!run) return undefined;
      abandonArtifacts(run, 'the execution was deleted');
      stop(run);
      return run.finished;
    },
    fail(executionId, message) {
      const run = runs.get(executionId);
      if (run) failRun(run, message);
    },
    isRunning: (executionId) => runs.has(executionId),
    writesSettled: (executionId) => runs.get(executionId)?.chain.settled ?? null,
    settled: async (executionId) => {
      await runs.get(executionId)?.chain.settled;
    },
    async release(executionId) {
      const run = runs.get(executionId);
      if (!run) return;
      runs.delete(executionId);
      run.progress.close();
      await run.reports.settle();
      await run.chain.settled;
      await logWriter.flush();
      await run.chain.settled;
      logWriter.forget(executionId);
      await run.reports.close();
      run.resolveFinished();
    },
    async stopAll() {
      const all = [...runs.values()].filter((run) => run.executor.onThisServer);
      for (const run of all) {
        run.stoppedByShutdown = true;
        abandonArtifacts(run, 'the server is stopping');
        stop(run);
      }
      await Promise.all(all.map((run) => run.finished));
    },
    get size() {
      return runs.size;
    },
  };
}

/** The script's environment plus $GITHUB_STEP_SUMMARY when StepFlow made the file (a script's own value is replaced, as on GitHub). */
function withSummaryFile(environment: Record<string, string>, file: string | null): Record<string, string> {
  return file === null ? environment : { ...environment, GITHUB_STEP_SUMMARY: file };
}
