// Owns how an execution ends: exit (open step takes the exit code, final status), spawn failure, and ending before start.
import type { ExecutionStatus } from '../core/execution.js';
import type { StepState } from '../core/step.js';
import type { EngineState } from './engine-types.js';
import type { TransitionDraft } from './transition-draft.js';

/** Ends the execution when its process exited: closes the open step, decides the final status, emits finished. */
export function finishOnExit(draft: TransitionDraft, exitCode: number | null, signal: string | null, at: number): void {
  const exit = describeExit(exitCode, signal);
  const closed = closeStepAtExit(draft, exitCode, exit, at);
  const outcome = decideOutcome(draft.state, closed, exitCode, exit);
  finishExecution(draft, at, outcome.status, outcome.error, exitCode);
}

/** Ends an execution whose process could not be spawned, with a system log line saying why. */
export function finishOnSpawnFailure(draft: TransitionDraft, message: string, at: number): void {
  const error = `could not start: ${message}`;
  draft.appendLog(at, 'system', null, error);
  finishExecution(draft, at, 'failed', error, null);
}

/** Sets the final status and times of the execution and emits execution_changed then finished. */
export function finishExecution(
  draft: TransitionDraft,
  at: number,
  status: ExecutionStatus,
  error: string | null,
  exitCode: number | null,
): void {
  draft.patchExecution({ status, error_message: error, exit_code: exitCode, completed_at: at, current_step_index: null });
  draft.recountSteps();
  draft.emitExecution();
  draft.emitFinished();
}

function describeExit(exitCode: number | null, signal: string | null): string {
  if (exitCode !== null) return `exited with code ${exitCode}`;
  return signal !== null ? `killed by ${signal}` : 'exited without an exit code or signal';
}

function closeStepAtExit(draft: TransitionDraft, exitCode: number | null, exit: string, at: number): StepState | null {
  const index = draft.state.openStep;
  if (index === null) return null;
  const stopping = draft.state.stopping;
  // A step interrupted by a cancel or timeout did not succeed, whatever code the script exited with; one a
  // cancel interrupted is `cancelled`, not `failed`: it did not fail on its own.
  const interruption = stopping !== null && stopping.reason !== 'critical_step_failed' ? stopping : null;
  const status = interruption?.reason === 'cancelled' ? 'cancelled' : interruption !== null || exitCode !== 0 ? 'failed' : 'completed';
  // error_message stays "cancelled" for a cancelled step, as before the status existed: old clients read it.
  const error = status === 'cancelled' ? 'cancelled' : (interruption?.message ?? exit);
  const step = draft.patchStep(index, {
    status,
    exit_code: exitCode,
    error_message: status === 'completed' ? null : error,
    completed_at: at,
    last_line: draft.state.lastLine,
  });
  draft.update({ openStep: null });
  draft.emitStep(index);
  return step;
}

function decideOutcome(
  state: EngineState,
  closed: StepState | null,
  exitCode: number | null,
  exit: string,
): { status: ExecutionStatus; error: string | null } {
  const stopping = state.stopping;
  if (stopping?.reason === 'cancelled') return { status: 'cancelled', error: stopping.message };
  if (stopping !== null) return { status: 'failed', error: stopping.message };
  if (closed !== null && closed.stop_on_error && closed.status === 'failed') {
    return { status: 'failed', error: `critical step "${closed.name}" failed: ${exit}` };
  }
  if (exitCode !== 0) return { status: 'failed', error: exit };
  // A non-critical step that failed does not fail the run (contract §1).
  return { status: 'completed', error: null };
}
