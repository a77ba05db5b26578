// Owns how an execution ends: exit (open steps take the exit code, final status), spawn failure, and ending before start.
import type { ExecutionStatus } from '../core/execution.js';
import type { StepState } from '../core/step.js';
import { MAX_TEST_POINT_STEPS } from './engine-limits.js';
import type { EngineState, OpenStep } from './engine-types.js';
import type { TransitionDraft } from './transition-draft.js';

/** Ends the execution when its process exited: closes the open steps, decides the final status, emits finished. */
export function finishOnExit(draft: TransitionDraft, exitCode: number | null, signal: string | null, at: number): void {
  const exit = describeExit(exitCode, signal);
  const closed = closeStepsAtExit(draft, exitCode, exit, at);
  summarizeTestPoints(draft, at);
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
  draft.patchExecution({
    status,
    error_message: error,
    exit_code: exitCode,
    completed_at: at,
    current_step_index: null,
  });
  draft.recountSteps();
  draft.emitExecution();
  draft.emitFinished();
}

function describeExit(exitCode: number | null, signal: string | null): string {
  if (exitCode !== null) return `exited with code ${exitCode}`;
  return signal !== null ? `killed by ${signal}` : 'exited without an exit code or signal';
}

/** Closes every open step, innermost first; returns the steps closed. A failed exit fails them all: it happened inside each. */
function closeStepsAtExit(draft: TransitionDraft, exitCode: number | null, exit: string, at: number): StepState[] {
  const stack = draft.state.openSteps;
  const stopping = draft.state.stopping;
  // A step interrupted by a cancel or timeout did not succeed, whatever code the script exited with; one a
  // cancel interrupted is `cancelled`, not `failed`: it did not fail on its own.
  const interruption = stopping !== null && stopping.reason !== 'critical_step_failed' ? stopping : null;
  const exitStatus =
    interruption?.reason === 'cancelled'
      ? 'cancelled'
      : interruption !== null || exitCode !== 0
        ? 'failed'
        : 'completed';
  // error_message stays "cancelled" for a cancelled step, as before the status existed: old clients read it.
  const error = exitStatus === 'cancelled' ? 'cancelled' : (interruption?.message ?? exit);
  const closed: StepState[] = [];
  while (stack.length > 0) {
    const frame = stack.pop() as OpenStep;
    // A failed or cancelled exit happened inside every open step; otherwise a step ends as a marker said (Azure task.complete).
    const status = exitStatus !== 'completed' ? exitStatus : (frame.result?.status ?? 'completed');
    const message = exitStatus !== 'completed' ? error : (frame.result?.message ?? 'failed');
    closed.push(
      draft.patchStep(frame.index, {
        status,
        exit_code: exitCode,
        error_message: status === 'completed' ? null : message,
        // A start the script printed (GitLab) may lie a little ahead of the exit: a step never ends before it started.
        completed_at: Math.max(at, draft.state.steps[frame.index]?.started_at ?? at),
        last_line: draft.state.lastLine,
      }),
    );
    draft.update({ openStep: stack[stack.length - 1]?.index ?? null });
    draft.emitStep(frame.index);
  }
  return closed;
}

/** Sums up TAP test points when some were only counted (past the bound), so none goes unmentioned. */
function summarizeTestPoints(draft: TransitionDraft, at: number): void {
  const points = draft.state.usage.testPoints;
  const total = points.completed + points.failed + points.skipped;
  if (total <= MAX_TEST_POINT_STEPS) return;
  const summary = `TAP summary: ${total} test points, ${points.completed} passed, ${points.failed} failed, ${points.skipped} skipped (the first ${MAX_TEST_POINT_STEPS} are shown as steps)`;
  draft.appendLog(at, 'system', null, summary);
}

function decideOutcome(
  state: EngineState,
  closed: readonly StepState[],
  exitCode: number | null,
  exit: string,
): { status: ExecutionStatus; error: string | null } {
  const stopping = state.stopping;
  if (stopping?.reason === 'cancelled') return { status: 'cancelled', error: stopping.message };
  if (stopping !== null) return { status: 'failed', error: stopping.message };
  const critical = closed.find((step) => step.stop_on_error && step.status === 'failed');
  if (critical !== undefined) return { status: 'failed', error: `critical step "${critical.name}" failed: ${exit}` };
  if (exitCode !== 0) return { status: 'failed', error: exit };
  // A non-critical step that failed does not fail the run (contract §1).
  return { status: 'completed', error: null };
}
