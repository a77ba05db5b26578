// Owns what a run's outcome reads as once its steps are known: failed steps counted, interrupted steps named cancelled, the tab title.
import type { WireExecution, WireStep } from '../../../src/core/wire-types';
import { STATUS_ICONS, WARN_ICON, type Status } from '../components/status-badge';
import { formatCount } from '../format';

/** How a run's status reads in its header. */
export interface Outcome {
  status: Status;
  label: string;
  warn: boolean;
}

/** A step's status as the page shows it: the step a cancel interrupted is `cancelled`, not `failed`. */
export function shownStepStatus(step: WireStep, execution: WireExecution): Status {
  // The engine closes the step open at a cancel as failed with the message "cancelled"; it did not fail on its own.
  const interrupted = step.status === 'failed' && execution.status === 'cancelled' && step.error_message === 'cancelled';
  return interrupted ? 'cancelled' : step.status;
}

/** Steps that failed on their own (not interrupted by a cancel). */
export function countFailedSteps(execution: WireExecution, steps: readonly WireStep[]): number {
  return steps.filter((step) => shownStepStatus(step, execution) === 'failed').length;
}

/** "Completed with 2 failed steps" when non-critical steps failed in a completed run (the API status stays `completed`). */
export function describeOutcome(execution: WireExecution, steps: readonly WireStep[]): Outcome {
  const failed = execution.status === 'completed' ? countFailedSteps(execution, steps) : 0;
  if (failed > 0) return { status: 'completed', label: `Completed with ${formatCount(failed, 'failed step')}`, warn: true };
  return { status: execution.status, label: execution.status[0]?.toUpperCase() + execution.status.slice(1), warn: false };
}

/** "✓ #42 build — StepFlow", "⚠ #42 …" with failed steps, "Running #42 …" / "Queued #42 …" while active. */
export function describeTabTitle(execution: WireExecution, steps: readonly WireStep[]): string {
  const subject = `#${execution.id} ${execution.name}`;
  if (execution.status === 'running') return `Running ${subject} — StepFlow`;
  if (execution.status === 'pending') return `Queued ${subject} — StepFlow`;
  const icon = describeOutcome(execution, steps).warn ? WARN_ICON : STATUS_ICONS[execution.status];
  return `${icon} ${subject} — StepFlow`;
}
