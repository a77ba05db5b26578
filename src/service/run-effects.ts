// Owns persisting one run's engine effects in order: log lines to the log writer, steps, progress and metadata to the store.
import { isTerminalStatus, type ExecutionPatch } from '../core/execution.js';
import type { StepState } from '../core/step.js';
import type { EngineEffect, ExecutionCounters } from '../engine/engine-types.js';
import type { ActiveRun } from './active-run.js';
import type { LogWriter } from './log-writer.js';
import type { ProgressFlush } from './progress-batch.js';
import type { ServiceDeps } from './service-deps.js';
import { toCountersPatch } from './to-counters-patch.js';

/** What the supervisor does with a run's effects. */
export interface RunEffects {
  /** Persists the effects in order (each store write on the run's chain, published after it lands). */
  apply(run: ActiveRun, effects: EngineEffect[]): void;
  /** Writes what the run's progress batch coalesced. */
  writeProgress(run: ActiveRun, flush: ProgressFlush): void;
  /** Adds a system line to the run's log. */
  note(run: ActiveRun, content: string): void;
}

/** Creates the effect writer; `persist` queues a store write on the run's own chain. */
export function createRunEffects(deps: ServiceDeps, logWriter: LogWriter): RunEffects {
  const { store, bus, logger } = deps;
  const persist = (run: ActiveRun, write: () => Promise<void>): void => run.chain.push(write);

  // The engine only knows it was cancelled; a step stopped for lack of storage failed, and says why.
  function explainStep(run: ActiveRun, step: StepState): StepState {
    return run.failure !== null && step.status === 'cancelled'
      ? { ...step, status: 'failed', error_message: run.failure }
      : step;
  }

  function onExecutionChanged(run: ActiveRun, progress: ExecutionCounters): void {
    // finish() stores the end once the run's artifacts and last log lines are in, so whoever sees the end sees them too.
    if (isTerminalStatus(progress.status)) return;
    if (!(run.record.status === 'pending' && progress.status === 'running'))
      return run.progress.executionChanged(progress);
    const patch: ExecutionPatch = {
      ...toCountersPatch(progress),
      host: run.executor.onThisServer ? (deps.settings.hostName ?? null) : run.executor.name,
    };
    Object.assign(run.record, patch);
    const snapshot = { ...run.record };
    persist(run, async () => {
      await store.updateExecution(run.record.id, patch);
      bus.publish({ type: 'execution_started', execution: snapshot });
      logger.info({ execution_id: snapshot.id, executor: run.executor.name }, 'execution running');
    });
  }

  function saveStep(run: ActiveRun, step: StepState): void {
    persist(run, async () => {
      const saved = await store.saveStep(run.record.id, step);
      bus.publish({ type: 'step_updated', execution_id: run.record.id, step: saved });
    });
  }

  function onStepChanged(run: ActiveRun, changed: StepState): void {
    const step = explainStep(run, changed);
    run.progress.stepChanged(step);
    saveStep(run, step);
    if (step.status === 'completed' || step.status === 'failed' || step.status === 'cancelled')
      run.artifacts?.stepEnded(step.index, run.chain.settled);
    if (step.status === 'running') run.reports.stepStarted(step.index, step.parent_index);
    else if (step.status !== 'pending') run.reports.stepEnded(step.index, step.parent_index);
  }

  return {
    apply(run, effects) {
      for (const effect of effects) {
        if (effect.type === 'log') {
          run.lastLine = effect.line.line;
          logWriter.add(run.record.id, effect.line);
        } else if (effect.type === 'execution_changed') onExecutionChanged(run, effect.execution);
        else if (effect.type === 'metadata_changed') run.progress.metadataChanged(effect);
        else if (effect.type === 'step_changed') onStepChanged(run, effect.step);
        else if (effect.type === 'artifact') run.artifacts?.announce(effect, run.chain.settled);
        else if (effect.type === 'annotation' || effect.type === 'summary') run.reports.accept(effect);
      }
    },
    // The store serializes the metadata once per flush, not per META line.
    writeProgress(run, { execution, step }) {
      if (execution !== null) {
        persist(run, async () => {
          await store.updateExecution(run.record.id, execution);
          bus.publish({ type: 'execution_updated', execution: { ...run.record } });
        });
      }
      if (step !== null) saveStep(run, step);
    },
    /**
     * While the runner lives the engine numbers the line (so it never collides with script output); once the runner
     * finished no engine line can follow, so the line simply continues from the last number the engine emitted.
     */
    note(run, content) {
      if (run.handle?.notice(content)) return;
      run.lastLine++;
      logWriter.add(run.record.id, {
        line: run.lastLine,
        ts: deps.clock.now(),
        stream: 'system',
        step_index: null,
        content,
      });
    },
  };
}
