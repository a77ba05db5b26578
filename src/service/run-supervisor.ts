// Owns running executions: launches the runner, persists each engine effect as it happens, finishes the run.
import { isTerminalStatus, type ExecutionPatch, type ExecutionRecord } from '../core/execution.js';
import type { StepState } from '../core/step.js';
import type { EngineEffect, ExecutionProgress } from '../engine/engine-types.js';
import { buildChildEnvironment } from '../runner/build-child-environment.js';
import type { RunHandle } from '../runner/run-execution.js';
import { trackRunArtifacts, type ArtifactHandler, type RunArtifacts } from './artifacts/track-run-artifacts.js';
import { collectSecretValues, compileSecretNamePatterns } from './collect-secret-values.js';
import { closeExecution } from './close-execution.js';
import type { LogWriter } from './log-writer.js';
import type { PendingEnds } from './pending-ends.js';
import { describeStorageFailure, isStorageFailure } from './storage-failure.js';
import type { ServiceDeps } from './service-deps.js';

interface ActiveRun {
  record: ExecutionRecord;
  handle: RunHandle | null;
  /** Store writes of this run, chained so they land in effect order. */
  chain: Promise<void>;
  /** Set when the run must end failed for a reason the engine cannot see (storage failure). */
  failure: string | null;
  /** Set when the server stops the run at shutdown, to say so in the error message. */
  stoppedByShutdown: boolean;
  /** ARTIFACT markers of this run; null when the service keeps no artifacts. */
  artifacts: RunArtifacts | null;
  /** Number of the last log line the engine emitted; lines added after the run finished continue from it. */
  lastLine: number;
  finished: Promise<void>;
  resolveFinished: () => void;
}

/** Starts, tracks, cancels and finishes executions. */
export interface RunSupervisor {
  start(record: ExecutionRecord): void;
  /** Asks a running execution to stop; resolves once it has finished. Undefined when it is not running. */
  cancel(executionId: number): Promise<void> | undefined;
  isRunning(executionId: number): boolean;
  /** Fails a running execution because its output could not be stored: stops its process group, ends it with `message`. */
  fail(executionId: number, message: string): void;
  /** Stops every running execution (recorded as cancelled by shutdown) and waits for them to finish. */
  stopAll(): Promise<void>;
  readonly size: number;
}

export type { ArtifactHandler, ArtifactOutcome } from './artifacts/track-run-artifacts.js';

/** What the supervisor works with besides the service's dependencies. */
export interface RunSupervisorParts {
  logWriter: LogWriter;
  /** Where the end of a run goes when it cannot be stored yet. */
  ends: PendingEnds;
  /** Frees the queue slot of a finished run. */
  onFinished: (executionId: number) => void;
  onArtifact: ArtifactHandler | null;
}

function progressPatch(progress: ExecutionProgress): ExecutionPatch {
  return {
    status: progress.status,
    exit_code: progress.exit_code,
    error_message: progress.error_message,
    started_at: progress.started_at,
    completed_at: progress.completed_at,
    total_steps: progress.total_steps,
    completed_steps: progress.completed_steps,
    current_step_index: progress.current_step_index,
    metadata: progress.metadata,
  };
}

/** Creates the supervisor. */
export function createRunSupervisor(deps: ServiceDeps, parts: RunSupervisorParts): RunSupervisor {
  const { logWriter, ends, onFinished, onArtifact } = parts;
  const runs = new Map<number, ActiveRun>();
  // Enumerating process.env goes through a native interceptor per key (~ms); filter it once, not per run.
  const baseEnvironment = buildChildEnvironment(deps.baseEnvironment, {});
  const secretNames = compileSecretNamePatterns(deps.settings.secretNamePatterns ?? []);
  // The server's own secrets (STEPFLOW_API_KEY included) are masked too, even though children never get them.
  const serverSecrets = collectSecretValues(secretNames, deps.baseEnvironment);
  const { store, bus, logger } = deps;

  function failRun(run: ActiveRun, message: string): void {
    if (run.failure) return;
    run.failure = message;
    logger.error({ execution_id: run.record.id, reason: message }, 'storage failure, stopping execution');
    run.handle?.cancel();
  }

  /** A write of this run failed: the host hears of a storage failure (and frees its reserve), the run stops. */
  function writeFailed(run: ActiveRun, error: unknown, what?: string): void {
    if (isStorageFailure(error)) deps.onStorageFailure?.(error);
    failRun(run, describeStorageFailure(error, what));
  }

  function persist(run: ActiveRun, write: () => Promise<void>): void {
    run.chain = run.chain.then(write).catch((error: unknown) => writeFailed(run, error));
  }

  // The engine only knows it was cancelled; a step stopped for lack of storage says so.
  function explainStep(run: ActiveRun, step: StepState): StepState {
    return run.failure !== null && step.status === 'failed' && step.error_message === 'cancelled' ? { ...step, error_message: run.failure } : step;
  }

  function onExecutionChanged(run: ActiveRun, progress: ExecutionProgress): void {
    // finish() stores the end once the run's artifacts and last log lines are in, so whoever sees the end sees them too.
    if (isTerminalStatus(progress.status)) return;
    const becameRunning = run.record.status === 'pending' && progress.status === 'running';
    const patch = progressPatch(progress);
    if (becameRunning) patch.pid = run.handle?.pid ?? null;
    Object.assign(run.record, patch);
    const snapshot = { ...run.record };
    persist(run, async () => {
      await store.updateExecution(run.record.id, patch);
      bus.publish({ type: becameRunning ? 'execution_started' : 'execution_updated', execution: snapshot });
      if (becameRunning) logger.info({ execution_id: snapshot.id, pid: snapshot.pid }, 'execution running');
    });
  }

  function applyEffects(run: ActiveRun, effects: EngineEffect[]): void {
    const id = run.record.id;
    for (const effect of effects) {
      if (effect.type === 'log') {
        run.lastLine = effect.line.line;
        logWriter.add(id, effect.line);
      } else if (effect.type === 'execution_changed') onExecutionChanged(run, effect.execution);
      else if (effect.type === 'step_changed') {
        const step = explainStep(run, effect.step);
        persist(run, async () => {
          const saved = await store.saveStep(id, step);
          bus.publish({ type: 'step_updated', execution_id: id, step: saved });
        });
        if (step.status === 'completed' || step.status === 'failed') run.artifacts?.stepEnded(step.index, run.chain);
      } else if (effect.type === 'artifact') run.artifacts?.announce(effect, run.chain);
    }
  }

  /**
   * Adds a system line to the run's log. While the runner lives the engine numbers it (so it never
   * collides with script output); once the runner finished no engine line can follow, so the line
   * simply continues from the last number the engine emitted.
   */
  function note(run: ActiveRun, content: string): void {
    if (run.handle?.notice(content)) return;
    run.lastLine++;
    logWriter.add(run.record.id, { line: run.lastLine, ts: deps.clock.now(), stream: 'system', step_index: null, content });
  }

  function trackArtifacts(run: ActiveRun): RunArtifacts | null {
    if (!onArtifact) return null;
    const keep: ArtifactHandler = async (record, effect) => {
      try {
        return await onArtifact(record, effect);
      } catch (error) {
        // An artifact that does not fit means the disk is full: the run ends failed rather than completed without it.
        if (isStorageFailure(error)) writeFailed(run, error, `artifact "${effect.path}" could not be stored`);
        throw error;
      }
    };
    return trackRunArtifacts(run.record, keep, (content) => note(run, content), logger);
  }

  async function finish(run: ActiveRun, final: ExecutionProgress): Promise<void> {
    await run.chain;
    await run.artifacts?.settle();
    await logWriter.flush();
    await run.chain;
    logWriter.forget(run.record.id);
    const patch: ExecutionPatch = { ...progressPatch(final), current_step_index: null, pid: null };
    if (run.failure) Object.assign(patch, { status: 'failed', error_message: run.failure });
    else if (run.stoppedByShutdown && final.status === 'cancelled') patch.error_message = 'cancelled: server shutting down';
    Object.assign(run.record, patch);
    const { id } = run.record;
    const failure = run.failure;
    // A storage failure may have lost step writes: the end closes whatever step is still open.
    await ends.settle(id, () => closeExecution(store, id, patch, failure, final.completed_at ?? deps.clock.now()));
    runs.delete(run.record.id);
    bus.publish({ type: 'execution_completed', execution: { ...run.record }, artifacts_count: run.artifacts?.count ?? 0 });
    logger.info({ execution_id: run.record.id, status: patch.status, exit_code: patch.exit_code }, 'execution finished');
    onFinished(run.record.id);
    run.resolveFinished();
  }

  function start(record: ExecutionRecord): void {
    let resolveFinished = (): void => {};
    const finished = new Promise<void>((resolve) => (resolveFinished = resolve));
    const run: ActiveRun = { record: { ...record }, handle: null, chain: Promise.resolve(), failure: null, stoppedByShutdown: false, artifacts: null, lastLine: 0, finished, resolveFinished };
    run.artifacts = trackArtifacts(run);
    runs.set(record.id, run);
    run.handle = deps.launch(
      {
        command: record.command,
        cwd: record.working_directory,
        environment: buildChildEnvironment(baseEnvironment, record.environment),
        timeoutSeconds: record.timeout_seconds,
        killGraceMs: deps.settings.killGraceMs,
        engineOptions: { markerMode: deps.settings.markerMode, secrets: [...serverSecrets, ...collectSecretValues(secretNames, record.environment)] },
        metadata: record.metadata,
      },
      { clock: deps.clock, onEffects: (effects) => applyEffects(run, effects), limitProcesses: deps.limitProcesses },
    );
    void run.handle.done.then((final) => finish(run, final));
  }

  return {
    start,
    cancel(executionId) {
      const run = runs.get(executionId);
      if (!run) return undefined;
      run.handle?.cancel();
      return run.finished;
    },
    fail(executionId, message) {
      const run = runs.get(executionId);
      if (run) failRun(run, message);
    },
    isRunning: (executionId) => runs.has(executionId),
    async stopAll() {
      const all = [...runs.values()];
      for (const run of all) {
        run.stoppedByShutdown = true;
        run.handle?.cancel();
      }
      await Promise.all(all.map((run) => run.finished));
    },
    get size() {
      return runs.size;
    },
  };
}
